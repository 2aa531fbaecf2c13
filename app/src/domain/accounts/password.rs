//! Password rules and hashing (argon2id, the crate's recommended parameters).

use crate::error::{AppError, Field, Invalid};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 200;

/// Long enough to pass the length rule, yet first in every attacker's list.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "0123456789",
    "0987654321",
    "1111111111",
    "1234512345",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "abcdefghij",
    "aaaaaaaaaa",
    "qwertyuiop",
    "qwertyuiop123",
    "asdfghjkl;",
    "zxcvbnm123",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "iloveyou12",
    "iloveyou123",
    "welcome123",
    "welcome1234",
    "admin12345",
    "administrator",
    "changeme123",
    "letmein123",
    "football123",
    "baseball123",
    "sunshine123",
    "princess123",
    "qwerty12345",
    "trustno1234",
    "matkhau123",
    "matkhau1234",
    "anhyeuem123",
    "vietnam123",
    "vietnam1234",
    "saigon1234",
    "hanoi12345",
    "townhall123",
    "townhall1234",
];

/// Checks a new password against the rules; `email` is the account's own address.
pub fn check(password: &str, email: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Invalid::PasswordTooShort.into());
    }
    if length > MAX_LENGTH {
        return Err(Invalid::TooLong(Field::Password, MAX_LENGTH).into());
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default();
    if lower == email || lower == local_part {
        return Err(Invalid::PasswordIsEmail.into());
    }
    if COMMON.contains(&lower.as_str()) {
        return Err(Invalid::PasswordTooCommon.into());
    }
    Ok(())
}

/// Hashes on a blocking thread, under the password limit (`heavy.rs`): argon2 is
/// deliberately slow and takes 19 MiB, so when as many hashes as the server takes are
/// under way this answers [`AppError::Busy`] at once.
pub async fn hash(password: String) -> Result<String, AppError> {
    crate::heavy::passwords()
        .run(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|_| AppError::Internal)?;
            let salt = SaltString::encode_b64(&salt).map_err(|_| AppError::Internal)?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|_| AppError::Internal)
        })
        .await?
}

/// Whether `password` matches `stored`, verified like [`hash`] (or [`AppError::Busy`]).
/// With no stored hash it still spends the same time on a made-up one, so response
/// times do not reveal which e-mails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1d8oe6n1yMpOt3C2nL1S5r6o9T+gPOx3vDWt3k1yGqg";
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DECOY.to_owned());
    crate::heavy::passwords()
        .run(move || {
            let matches = PasswordHash::new(&stored)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            known && matches
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_reject_short_common_and_email_passwords() {
        let email = "an.nguyen@example.vn";
        assert_eq!(check("short", email), Err(Invalid::PasswordTooShort.into()));
        assert_eq!(
            check("Password123", email),
            Err(Invalid::PasswordTooCommon.into())
        );
        assert_eq!(
            check("AN.NGUYEN@example.vn", email),
            Err(Invalid::PasswordIsEmail.into())
        );
        assert_eq!(
            check("an.nguyen1", "an.nguyen1@example.vn"),
            Err(Invalid::PasswordIsEmail.into())
        );
        assert_eq!(
            check(&"x".repeat(201), email),
            Err(Invalid::TooLong(Field::Password, 200).into())
        );
        assert_eq!(check("mười ký tự ở đây", email), Ok(()));
        // Length counts characters, not bytes: nine Vietnamese letters are still too short.
        assert_eq!(
            check("ằằằằằằằằ", email),
            Err(Invalid::PasswordTooShort.into())
        );
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert_eq!(
            verify("correct horse battery".into(), Some(stored.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify("correct horse battery!".into(), Some(stored)).await,
            Ok(false)
        );
        assert_eq!(verify("anything at all".into(), None).await, Ok(false));
    }
}
