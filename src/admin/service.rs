//! What the admin server functions do (server only): the access rules of an event's
//! registrations, the door list, check-ins and the CSV export.
use super::model::{AdminEvent, DoorChildView, DoorEntry, DoorList, Role};
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::store::{AccountRecord, DoorRegistration, EventRecord};
use axum::http::HeaderMap;

/// The event of `slug` if the signed-in account may see its registrations: editors and
/// admins all, organisers those assigned to them (`Forbidden` otherwise, the same answer
/// whether or not the event exists, so an organiser learns nothing of other events).
pub async fn event_for_door(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    slug: &str,
) -> Result<(AccountRecord, EventRecord), AppError> {
    let account = crate::server::auth::require(state, headers, &[Role::Admin, Role::Editor, Role::Organiser]).await?;
    let event = match slug.parse::<Slug>() {
        Ok(slug) => state.store.event(lang, &slug).await?,
        Err(_) => None,
    };
    match event {
        Some(event) if account.role.sees_all_events() => Ok((account, event)),
        Some(event) if state.store.organises(account.id, event.id).await? => Ok((account, event)),
        None if account.role.sees_all_events() => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

pub fn admin_event(event: &EventRecord) -> AdminEvent {
    AdminEvent {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        starts: crate::server::time::sofia_datetime(event.starts_at),
        capacity: event.capacity,
        confirmed_children: event.confirmed_children,
        waitlisted_children: event.waitlisted_children,
        cancelled: event.cancelled,
    }
}

/// The door list of an event, narrowed to the registrations whose parent's name or code
/// contains `query` (any case).
pub async fn door_list(state: &AppState, event: &EventRecord, query: &str) -> Result<DoorList, AppError> {
    let registrations = state.store.door_list(event.id).await?;
    let checked_in_children = registrations
        .iter()
        .filter(|r| !r.waitlisted)
        .flat_map(|r| &r.children)
        .filter(|c| c.checked_in)
        .count();
    let query = query.trim();
    let wanted = query.to_lowercase();
    Ok(DoorList {
        event: admin_event(event),
        query: query.to_owned(),
        checked_in_children: u32::try_from(checked_in_children).unwrap_or(u32::MAX),
        registrations: registrations
            .into_iter()
            .filter(|r| {
                wanted.is_empty()
                    || r.parent_name.to_lowercase().contains(&wanted)
                    || r.code.to_lowercase().contains(&wanted)
            })
            .map(door_entry)
            .collect(),
    })
}

fn door_entry(registration: DoorRegistration) -> DoorEntry {
    DoorEntry {
        code: registration.code,
        parent_name: registration.parent_name,
        phone: registration.phone,
        waitlisted: registration.waitlisted,
        children: registration
            .children
            .into_iter()
            .map(|child| DoorChildView {
                position: child.position,
                first_name: child.first_name,
                age: child.age,
                checked_in: child.checked_in,
            })
            .collect(),
    }
}

/// The address of a data subject's request, as typed by the admin: a valid e-mail address.
pub fn subject_address(typed: &str) -> Result<String, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(AppError::Validation(vec![crate::error::FieldError::new(
            "email",
            crate::error::FieldProblem::Required,
        )]));
    }
    typed.parse::<crate::domain::Email>().map(String::from).map_err(|_| {
        AppError::Validation(vec![crate::error::FieldError::new(
            "email",
            crate::error::FieldProblem::InvalidEmail,
        )])
    })
}

/// Erases everything held under `email`: its active registrations are cancelled first (their
/// places go to the waitlist, whose parents are mailed), then every registration's personal
/// data, link and mail, in one transaction recorded without the address.
pub async fn erase_person(
    state: &AppState,
    email: &str,
    actor: &crate::server::store::Actor,
) -> Result<crate::server::store::Erased, AppError> {
    // Taken first: cancelling erases the address from the cancelled registrations.
    let registrations = state.store.registration_ids_of(email).await?;
    for nonce in state.store.active_nonces_of(email).await? {
        crate::events::service::cancel_by_nonce(state.store.as_ref(), &nonce, actor).await?;
    }
    let erased = state
        .store
        .erase_person(email, &registrations, crate::server::time::now(), actor)
        .await?;
    state.page_cache.invalidate();
    Ok(erased)
}

/// An address with its local part masked (`maria@example.org` → `m•••@example.org`): enough to
/// tell mails apart on the outbox page, not to read who they went to.
pub fn masked_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None if address.is_empty() => String::new(),
        None => "•••".into(),
    }
}

/// The door list as a spreadsheet: UTF-8 with a byte order mark (Excel then reads Cyrillic
/// right), one row per child, and every cell that a spreadsheet would read as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return first) made text with a leading apostrophe.
pub fn door_csv(registrations: &[DoorRegistration], lang: Lang) -> Vec<u8> {
    let headings: [&str; 7] = match lang {
        Lang::Bg => ["Код", "Родител", "Телефон", "Статус", "Дете", "Възраст", "Дошло"],
        Lang::En => ["Code", "Parent", "Phone", "Status", "Child", "Age", "Arrived"],
    };
    let (confirmed, waitlisted, yes, no) = match lang {
        Lang::Bg => ("потвърдена", "чакащ", "да", "не"),
        Lang::En => ("confirmed", "waitlisted", "yes", "no"),
    };
    let mut out = Vec::from("\u{feff}".as_bytes());
    push_row(&mut out, headings.iter().map(|h| (*h).to_owned()));
    for registration in registrations {
        for child in &registration.children {
            push_row(
                &mut out,
                [
                    registration.code.clone(),
                    registration.parent_name.clone(),
                    crate::domain::phone_for_people(&registration.phone),
                    (if registration.waitlisted { waitlisted } else { confirmed }).to_owned(),
                    child.first_name.clone(),
                    child.age.to_string(),
                    (if child.checked_in { yes } else { no }).to_owned(),
                ],
            );
        }
    }
    out
}

fn push_row(out: &mut Vec<u8>, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|cell| csv_cell(&cell)).collect();
    out.extend_from_slice(cells.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// One cell, quoted (RFC 4180) and defused against formula injection.
fn csv_cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::DoorChild;

    fn registration(parent: &str, phone: &str, children: &[(&str, bool)]) -> DoorRegistration {
        DoorRegistration {
            code: "LP-7K3Q".into(),
            parent_name: parent.into(),
            phone: phone.into(),
            waitlisted: false,
            children: children
                .iter()
                .enumerate()
                .map(|(i, (name, arrived))| DoorChild {
                    position: u32::try_from(i).unwrap(),
                    first_name: (*name).into(),
                    age: 7,
                    checked_in: *arrived,
                })
                .collect(),
        }
    }

    #[test]
    fn addresses_are_masked_but_their_domain_kept() {
        assert_eq!(masked_address("maria@example.org"), "m•••@example.org");
        assert_eq!(masked_address("ива@пример.бг"), "и•••@пример.бг");
        assert_eq!(masked_address(""), "");
    }

    #[test]
    fn the_csv_starts_with_a_bom_and_keeps_cyrillic_as_utf8() {
        let bytes = door_csv(
            &[registration(
                "Мария Иванова",
                "0888 123 456",
                &[("Ива", true), ("Петър", false)],
            )],
            Lang::Bg,
        );
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(
            text,
            "\"Код\",\"Родител\",\"Телефон\",\"Статус\",\"Дете\",\"Възраст\",\"Дошло\"\r\n\
             \"LP-7K3Q\",\"Мария Иванова\",\"0888 123 456\",\"потвърдена\",\"Ива\",\"7\",\"да\"\r\n\
             \"LP-7K3Q\",\"Мария Иванова\",\"0888 123 456\",\"потвърдена\",\"Петър\",\"7\",\"не\"\r\n"
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_made_text() {
        let bytes = door_csv(
            &[registration(
                "=HYPERLINK(\"http://evil\",\"x\")",
                "+380671234567",
                &[("@SUM(A1)", false), ("-2+3", false)],
            )],
            Lang::En,
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""),
            "{text}"
        );
        assert!(text.contains("\"'+380671234567\""));
        assert!(text.contains("\"'@SUM(A1)\""));
        assert!(text.contains("\"'-2+3\""));
        for line in text.lines().skip(1) {
            assert!(
                !line.contains(",\"=") && !line.contains(",\"+") && !line.contains(",\"@") && !line.contains(",\"-"),
                "{line}"
            );
        }
    }
}
