//! Secrets kept out of what Townhall prints: a URL's password before it reaches a log
//! line, an error or `townhall doctor`'s report (database and SMTP URLs carry them).

/// `url` with its password, if it has one, replaced by `***`: how a database URL may
/// appear in a log line, an error or `townhall doctor`'s report.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    // The credentials end at the last `@` before the host's path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_never_leave_a_url() {
        assert_eq!(
            redacted("postgres://townhall:s3cr@t@db:5432/th?sslmode=require"),
            "postgres://townhall:***@db:5432/th?sslmode=require"
        );
        assert_eq!(
            redacted("smtp://mailer:hunter2@smtp.example:587"),
            "smtp://mailer:***@smtp.example:587"
        );
        assert_eq!(
            redacted("postgres://townhall@db/th"),
            "postgres://townhall@db/th"
        );
        assert_eq!(
            redacted("sqlite:data/townhall.db"),
            "sqlite:data/townhall.db"
        );
    }
}
