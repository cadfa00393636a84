use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// An email address as a parent types it, checked the way mail servers will accept it
/// (RFC 5321/5322 syntax via `email_address`) and requiring a dotted domain; stored trimmed,
/// with the domain lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct InvalidEmail;

validated_string!(Email, InvalidEmail);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// The address in one spelling (local part lowercased too), so that one parent's address
    /// compares equal however it was typed.
    pub fn to_lowercase(&self) -> Email {
        Email(self.0.to_lowercase())
    }
}

impl FromStr for Email {
    type Err = InvalidEmail;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        if raw.len() > Self::MAX_LEN || !email_address::EmailAddress::is_valid(raw) {
            return Err(InvalidEmail);
        }
        let (local, domain) = raw.rsplit_once('@').ok_or(InvalidEmail)?;
        let dotted = domain.split('.').count() >= 2 && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || !dotted || domain.starts_with('[') {
            return Err(InvalidEmail);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalises_the_domain() {
        assert_eq!(
            "  Maria.Ivanova@Example.BG ".parse::<Email>().map(String::from),
            Ok("Maria.Ivanova@example.bg".into())
        );
        assert!("parent+kids@mail.co.uk".parse::<Email>().is_ok());
    }

    #[test]
    fn rejects_what_mail_cannot_reach() {
        for raw in [
            "",
            "maria",
            "maria@",
            "@example.bg",
            "maria@localhost",
            "maria@example..bg",
            "maria ivanova@example.bg",
            "maria@[127.0.0.1]",
        ] {
            assert_eq!(raw.parse::<Email>(), Err(InvalidEmail), "{raw}");
        }
    }
}
