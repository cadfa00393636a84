//! Private registration links. The store keeps only a random nonce per registration; the
//! link's token is that nonce with an HMAC-SHA256 tag under the server's secret, so a leaked
//! database or backup opens no private page, and the link can still be written into every mail.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

const NONCE_BYTES: usize = 16;
/// Truncated tag: 128 bits are far beyond guessing over HTTP.
const TAG_BYTES: usize = 16;
const SECRET_BYTES: usize = 32;
/// Keeps these tags apart from any other use of the same secret.
const DOMAIN: &[u8] = b"ngo-portal/registration-link/v1";

#[derive(Clone)]
pub struct ManageTokens {
    secret: [u8; SECRET_BYTES],
}

impl std::fmt::Debug for ManageTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ManageTokens(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("SECRET_KEY must be at least 32 bytes of base64 or hex")]
    Invalid,
    #[error("secret file {0}: {1}")]
    File(String, std::io::Error),
}

impl ManageTokens {
    pub fn new(secret: [u8; SECRET_BYTES]) -> ManageTokens {
        ManageTokens { secret }
    }

    /// The secret given in configuration (base64 or hex), else the one in `file`, created with
    /// a fresh random secret (readable by the owner only) on first start.
    pub fn load(configured: Option<&str>, file: &Path) -> Result<ManageTokens, SecretError> {
        if let Some(text) = configured {
            return Self::parse(text).ok_or(SecretError::Invalid);
        }
        let describe = |error| SecretError::File(file.display().to_string(), error);
        match std::fs::read_to_string(file) {
            Ok(text) => Self::parse(&text).ok_or(SecretError::Invalid),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut secret = [0u8; SECRET_BYTES];
                rand::rng().fill_bytes(&mut secret);
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(describe)?;
                }
                write_private(file, &URL_SAFE_NO_PAD.encode(secret)).map_err(describe)?;
                Ok(ManageTokens::new(secret))
            }
            Err(error) => Err(describe(error)),
        }
    }

    fn parse(text: &str) -> Option<ManageTokens> {
        let text = text.trim();
        let bytes = if text.len() >= 2 * SECRET_BYTES && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..text.len() / 2)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
                .collect::<Option<Vec<u8>>>()?
        } else {
            URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text))
                .ok()?
        };
        if bytes.len() < SECRET_BYTES {
            return None;
        }
        // Longer secrets are folded into 32 bytes by hashing.
        let mut secret = [0u8; SECRET_BYTES];
        if bytes.len() == SECRET_BYTES {
            secret.copy_from_slice(&bytes);
        } else {
            use sha2::Digest;
            secret.copy_from_slice(&Sha256::digest(&bytes));
        }
        Some(ManageTokens::new(secret))
    }

    fn tag(&self, nonce: &[u8]) -> Option<Hmac<Sha256>> {
        // HMAC takes keys of any length: this never fails.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret).ok()?;
        mac.update(DOMAIN);
        mac.update(nonce);
        Some(mac)
    }

    /// A fresh nonce to store with a new registration (hex).
    pub fn new_nonce() -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        hex(&nonce)
    }

    /// The token of the private link of the registration stored with `nonce`.
    pub fn token(&self, nonce: &str) -> Option<String> {
        let nonce = unhex(nonce)?;
        let tag = self.tag(&nonce)?.finalize().into_bytes();
        let mut token = nonce;
        token.extend_from_slice(&tag[..TAG_BYTES]);
        Some(URL_SAFE_NO_PAD.encode(token))
    }

    /// The nonce a token was made for, if this server made it (checked in constant time).
    pub fn nonce(&self, token: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != NONCE_BYTES + TAG_BYTES {
            return None;
        }
        let (nonce, tag) = bytes.split_at(NONCE_BYTES);
        self.tag(nonce)?.verify_truncated_left(tag).ok()?;
        Some(hex(nonce))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 2 * NONCE_BYTES {
        return None;
    }
    (0..NONCE_BYTES)
        .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn write_private(file: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_leads_back_to_its_nonce_and_only_under_its_secret() {
        let tokens = ManageTokens::new([7; 32]);
        let nonce = ManageTokens::new_nonce();
        let token = tokens.token(&nonce).unwrap();
        assert_eq!(tokens.nonce(&token), Some(nonce.clone()));
        assert!(!token.contains(&nonce), "the token is not the stored value");
        assert_eq!(
            ManageTokens::new([8; 32]).nonce(&token),
            None,
            "another server's secret"
        );
    }

    #[test]
    fn altered_or_malformed_tokens_are_refused() {
        let tokens = ManageTokens::new([1; 32]);
        let token = tokens.token(&ManageTokens::new_nonce()).unwrap();
        let mut altered = token.clone().into_bytes();
        altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(tokens.nonce(&String::from_utf8(altered).unwrap()), None);
        assert_eq!(tokens.nonce(&token[..token.len() - 2]), None);
        assert_eq!(tokens.nonce("not a token"), None);
        assert_eq!(tokens.nonce(""), None);
    }

    #[test]
    fn the_secret_file_is_made_once_and_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("secret.key");
        let first = ManageTokens::load(None, &file).unwrap();
        let again = ManageTokens::load(None, &file).unwrap();
        assert_eq!(first.secret, again.secret);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_configured_secret_wins_and_must_be_long_enough() {
        let hex_secret = "ab".repeat(32);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("unused.key");
        let tokens = ManageTokens::load(Some(&hex_secret), &file).unwrap();
        assert_eq!(tokens.secret, [0xab; 32]);
        assert!(!file.exists());
        assert!(matches!(
            ManageTokens::load(Some("short"), &file),
            Err(SecretError::Invalid)
        ));
    }
}
