//! Signing in, signing out and setting Townhall up: the logic behind the account server
//! functions, callable without HTTP.

pub mod password;
pub mod reset;
pub mod session;

use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::{ChannelKind, PersonId, Role};
use crate::store::{NewChannel, NewUser, Store, StoreError, Tx};
use std::net::IpAddr;

/// Ten failures in fifteen minutes, per account and per address, and sign-in waits.
pub const MAX_FAILURES: i64 = 10;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Signs `email` in and returns the new session token.
pub async fn sign_in(
    store: &Store,
    email: &str,
    password: &str,
    address: Option<IpAddr>,
    now: i64,
) -> Result<String, AppError> {
    let email = email.trim();
    // Limits first: a megabyte "password" must not cost a megabyte of hashing.
    if email.chars().count() > MAX_EMAIL {
        return Err(Invalid::TooLong(Field::Email, MAX_EMAIL).into());
    }
    if password.chars().count() > password::MAX_LENGTH {
        return Err(Invalid::TooLong(Field::Password, password::MAX_LENGTH).into());
    }
    let subjects: Vec<String> = std::iter::once(format!("account:{}", email.to_lowercase()))
        .chain(address.map(|a| format!("address:{a}")))
        .collect();
    for subject in &subjects {
        if store
            .sign_in_failures_since(subject, now - FAILURE_WINDOW_MS)
            .await?
            >= MAX_FAILURES
        {
            return Err(AppError::TooManyAttempts {
                minutes: FAILURE_WINDOW_MS / 60_000,
            });
        }
    }
    let account = store.credentials(email).await?;
    let (user_id, active, stored) = match account {
        Some(c) => (Some(c.user_id), c.is_active, c.password_hash),
        None => (None, false, None),
    };
    // A burst of sign-ins is refused ("busy, try again"), not queued without end.
    let matches = password::verify(password.to_owned(), stored).await?;
    let mut tx = store.begin().await?;
    match user_id {
        Some(user_id) if matches && active => {
            let token = start_session(&mut tx, user_id, now).await?;
            tx.clear_sign_in_failures(&subjects[0], now - FAILURE_WINDOW_MS)
                .await?;
            tx.commit().await?;
            Ok(token)
        }
        // The right password for a deactivated account: say so, it is not a typo.
        Some(_) if matches => Err(AppError::Deactivated),
        _ => {
            for subject in &subjects {
                tx.record_sign_in_failure(subject, now).await?;
            }
            tx.commit().await?;
            Err(AppError::WrongCredentials)
        }
    }
}

/// Creates a session for `user_id` in `tx` and returns its token.
pub(crate) async fn start_session(
    tx: &mut Tx,
    user_id: PersonId,
    now: i64,
) -> Result<String, AppError> {
    let token = session::new_token().map_err(|_| AppError::Internal)?;
    tx.create_session(
        &session::token_hash(&token),
        user_id,
        now,
        now + session::LIFETIME_MS,
    )
    .await?;
    Ok(token)
}

/// Ends the session behind `token` (signing out, or replacing it at sign-in).
pub async fn end_session(store: &Store, token: &str) -> Result<(), AppError> {
    let mut tx = store.begin().await?;
    tx.delete_session(&session::token_hash(token)).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of `user_id`; returns how many there were.
pub async fn end_all_sessions(store: &Store, user_id: PersonId) -> Result<u64, AppError> {
    let mut tx = store.begin().await?;
    let ended = tx.delete_sessions_of(user_id).await?;
    tx.commit().await?;
    Ok(ended)
}

/// What first run asks for.
pub struct SetUp<'a> {
    pub company_name: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub time_zone: &'a str,
    pub default_channel_name: &'a str,
}

pub const MAX_NAME: usize = 100;
pub const MAX_EMAIL: usize = 254;

/// Creates the company, its owner and the company-wide channel, and signs the owner in.
/// Only ever succeeds once per database.
pub async fn set_up(store: &Store, input: SetUp<'_>, now: i64) -> Result<String, AppError> {
    let company_name = required(input.company_name, Field::CompanyName, MAX_NAME)?;
    let name = required(input.name, Field::Name, MAX_NAME)?;
    let email = valid_email(input.email)?;
    password::check(input.password, email)?;
    if store.company().await?.is_some() {
        return Err(AppError::AlreadySetUp);
    }
    let hash = password::hash(input.password.to_owned()).await?;
    let mut tx = store.begin().await?;
    // The company row has a fixed id, so a second, racing first run fails here.
    tx.create_company(company_name, input.time_zone)
        .await
        .map_err(|err| match err {
            StoreError::Conflict => AppError::AlreadySetUp,
            other => other.into(),
        })?;
    let owner = tx
        .create_user(&NewUser {
            email,
            display_name: name,
            job_title: "",
            department_id: None,
            manager_id: None,
            role: Role::Owner,
            location: "",
            start_date: None,
            created_at: now,
        })
        .await?;
    tx.set_password_hash(owner, &hash).await?;
    let general = tx
        .create_channel(&NewChannel {
            slug: "general",
            name: input.default_channel_name,
            description: "",
            guidelines: "",
            kind: ChannelKind::Public,
            is_default: true,
            created_by: Some(owner),
            created_at: now,
        })
        .await?;
    tx.add_member(general, owner, true).await?;
    let token = start_session(&mut tx, owner, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// A plausible address: one `@`, something on each side, a dot in the domain, no spaces.
pub fn valid_email(value: &str) -> Result<&str, AppError> {
    let email = required(value, Field::Email, MAX_EMAIL)?;
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(email)
    } else {
        Err(Invalid::BadEmail.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_for_shape() {
        assert_eq!(valid_email(" an@saomai.vn "), Ok("an@saomai.vn"));
        for bad in [
            "an",
            "an@",
            "@saomai.vn",
            "an@saomai",
            "a n@saomai.vn",
            "an@@saomai.vn",
            "an@.vn",
        ] {
            assert_eq!(valid_email(bad), Err(Invalid::BadEmail.into()), "{bad}");
        }
        assert_eq!(
            valid_email("  "),
            Err(Invalid::Required(Field::Email).into())
        );
    }
}
