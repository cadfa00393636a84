//! The registration rules every store engine applies inside its transaction: the window and the
//! ages an event accepts, what counts as the same submission, and how many registrations one
//! address may hold. The engines only read the rows these need and write what they decide.
use super::events::{NewRegistration, RegisterRejection, RegistrationRecord};

/// Active registrations one e-mail address may hold for one event.
pub const MAX_REGISTRATIONS_PER_EMAIL: u32 = 3;
/// A registration's link is sent again at most this often (seconds), however often the same
/// parent and children are submitted: nobody can flood a parent's inbox.
pub const LINK_AGAIN_INTERVAL: i64 = 6 * 3600;

/// What an event's row says about taking a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationWindow {
    pub opens_at: i64,
    pub closes_at: i64,
    pub min_age: u8,
    pub max_age: u8,
    pub cancelled: bool,
}

impl RegistrationWindow {
    /// Why the event takes no registration of these children at `now`, if it does not.
    /// Checked before anything about who registered, so a submission can never tell whether
    /// an address registered given children.
    pub fn rejection(&self, children: &[(String, u8)], now: i64) -> Option<RegisterRejection> {
        if self.cancelled {
            Some(RegisterRejection::EventCancelled)
        } else if now < self.opens_at {
            Some(RegisterRejection::NotOpenYet)
        } else if now > self.closes_at {
            Some(RegisterRejection::Closed)
        } else if children
            .iter()
            .any(|(_, age)| !(self.min_age..=self.max_age).contains(age))
        {
            Some(RegisterRejection::AgeOutOfRange {
                min: self.min_age,
                max: self.max_age,
            })
        } else {
            None
        }
    }
}

/// The columns of an event's row that [`RegistrationWindow`] is made of, as both engines read
/// them (`registration_opens_at, registration_closes_at, min_age, max_age, status`).
#[derive(sqlx::FromRow)]
pub(crate) struct WindowRow {
    registration_opens_at: i64,
    registration_closes_at: i64,
    min_age: i64,
    max_age: i64,
    status: String,
}

impl WindowRow {
    pub(crate) fn into_window(self, event_id: i64) -> Result<RegistrationWindow, super::StoreError> {
        let what = |column: &str| format!("event {event_id}: {column}");
        Ok(RegistrationWindow {
            opens_at: self.registration_opens_at,
            closes_at: self.registration_closes_at,
            min_age: super::rows::int(self.min_age, || what("min_age"))?,
            max_age: super::rows::int(self.max_age, || what("max_age"))?,
            cancelled: self.status == "cancelled",
        })
    }
}

/// Children compared by name (case and spacing aside) and age, in any order.
fn normalised_children(children: &[(String, u8)]) -> Vec<(String, u8)> {
    let mut list: Vec<(String, u8)> = children
        .iter()
        .map(|(name, age)| {
            (
                name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
                *age,
            )
        })
        .collect();
    list.sort();
    list
}

/// The same parent and children as `new`: e-mail case aside, children by name and age.
pub fn same_submission(record: &RegistrationRecord, new: &NewRegistration) -> bool {
    record.email.to_lowercase() == new.email.as_str().to_lowercase()
        && normalised_children(&record.children) == normalised_children(&new.children)
}

/// What the address's live registrations for the event mean for a new submission.
#[derive(Debug, PartialEq, Eq)]
pub enum SameParent<'a> {
    /// These children are registered already under this address: its link goes out again.
    Registered(&'a RegistrationRecord),
    /// The address holds as many registrations as it may.
    TooMany { max: u32 },
    /// A registration to store.
    New,
}

/// Judges `new` against the address's live (confirmed or waitlisted) registrations.
pub fn same_parent<'a>(live: &'a [RegistrationRecord], new: &NewRegistration) -> SameParent<'a> {
    if let Some(record) = live.iter().find(|record| same_submission(record, new)) {
        return SameParent::Registered(record);
    }
    if live.len() >= MAX_REGISTRATIONS_PER_EMAIL as usize {
        return SameParent::TooMany {
            max: MAX_REGISTRATIONS_PER_EMAIL,
        };
    }
    SameParent::New
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::server::store::StoredStatus;

    fn window() -> RegistrationWindow {
        RegistrationWindow {
            opens_at: 100,
            closes_at: 200,
            min_age: 5,
            max_age: 12,
            cancelled: false,
        }
    }

    fn kids(list: &[(&str, u8)]) -> Vec<(String, u8)> {
        list.iter().map(|(name, age)| ((*name).to_owned(), *age)).collect()
    }

    fn new(email: &str, children: &[(&str, u8)]) -> NewRegistration {
        NewRegistration {
            event_id: 1,
            idempotency_key: "k".into(),
            lang: Lang::Bg,
            parent_name: "Мария".into(),
            email: email.parse().unwrap(),
            phone: "0888123456".parse().unwrap(),
            note: String::new(),
            children: kids(children),
            code: "LP-1".into(),
            token_nonce: "n".into(),
        }
    }

    fn stored(id: i64, email: &str, children: &[(&str, u8)]) -> RegistrationRecord {
        RegistrationRecord {
            id,
            event_id: 1,
            code: format!("LP-{id}"),
            token_nonce: Some(format!("n{id}")),
            lang: Lang::Bg,
            parent_name: "Мария".into(),
            email: email.into(),
            children: kids(children),
            status: StoredStatus::Confirmed,
        }
    }

    #[test]
    fn the_window_and_ages_decide_before_anything_else() {
        let ok = kids(&[("Ана", 7)]);
        assert_eq!(window().rejection(&ok, 150), None);
        assert_eq!(window().rejection(&ok, 100), None, "opening second is open");
        assert_eq!(window().rejection(&ok, 200), None, "closing second is open");
        assert_eq!(window().rejection(&ok, 99), Some(RegisterRejection::NotOpenYet));
        assert_eq!(window().rejection(&ok, 201), Some(RegisterRejection::Closed));
        let cancelled = RegistrationWindow {
            cancelled: true,
            ..window()
        };
        assert_eq!(cancelled.rejection(&ok, 150), Some(RegisterRejection::EventCancelled));
        for age in [4, 13] {
            assert_eq!(
                window().rejection(&kids(&[("Ана", 7), ("Иво", age)]), 150),
                Some(RegisterRejection::AgeOutOfRange { min: 5, max: 12 })
            );
        }
    }

    #[test]
    fn the_same_children_in_any_order_and_spelling_are_the_same_submission() {
        let record = stored(1, "Maria@Example.bg", &[("Ана  Мария", 7), ("Иво", 9)]);
        assert!(same_submission(
            &record,
            &new("maria@example.bg", &[("иво", 9), ("ана мария", 7)])
        ));
        assert!(!same_submission(&record, &new("maria@example.bg", &[("Иво", 9)])));
        assert!(!same_submission(
            &record,
            &new("maria@example.bg", &[("Ана Мария", 8), ("Иво", 9)])
        ));
        assert!(!same_submission(
            &record,
            &new("other@example.bg", &[("Ана Мария", 7), ("Иво", 9)])
        ));
    }

    #[test]
    fn an_address_holds_at_most_three_live_registrations() {
        let live = [
            stored(1, "m@example.bg", &[("Ана", 7)]),
            stored(2, "m@example.bg", &[("Иво", 9)]),
        ];
        let registered = same_parent(&live, &new("m@example.bg", &[("Иво", 9)]));
        assert_eq!(registered, SameParent::Registered(&live[1]));
        assert_eq!(
            same_parent(&live, &new("m@example.bg", &[("Петър", 6)])),
            SameParent::New
        );
        let full = [
            live[0].clone(),
            live[1].clone(),
            stored(3, "m@example.bg", &[("Зоя", 5)]),
        ];
        assert_eq!(
            same_parent(&full, &new("m@example.bg", &[("Петър", 6)])),
            SameParent::TooMany { max: 3 }
        );
        // The same children again still get their link, even at the cap.
        assert!(matches!(
            same_parent(&full, &new("m@example.bg", &[("Зоя", 5)])),
            SameParent::Registered(_)
        ));
    }
}
