//! Passwords: Argon2id (RustCrypto's defaults, the OWASP minimum: 19 MiB, 2 passes, 1 lane)
//! in PHC strings, so parameters can be raised later without invalidating stored hashes.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use std::sync::OnceLock;

/// Shortest password `admin create` accepts.
pub const MIN_LENGTH: usize = 12;
/// Longest password hashed: beyond it a request would only burn CPU.
pub const MAX_LENGTH: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("password could not be hashed")]
pub struct HashError;

pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| HashError)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| HashError)
}

/// Whether `password` is the one `hash` was made from. A malformed hash matches nothing.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody knows, checked when an address has no account, so that a
/// sign-in takes as long whether or not the address has one.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let text: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        hash(&text).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert_ne!(stored, hash("correct horse battery staple").unwrap(), "salted");
    }

    #[test]
    fn a_malformed_hash_matches_nothing() {
        assert!(!verify("", ""));
        assert!(!verify("anything", "not a hash"));
        assert!(!verify("anything", decoy_hash()));
    }
}
