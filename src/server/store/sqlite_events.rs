//! SQLite: events and registrations. Every registration change runs in one `BEGIN IMMEDIATE`
//! transaction, so concurrent requests are serialised by the database and the seat count can
//! only move by a conditional UPDATE that never exceeds capacity.
use super::events::*;
use super::registration_rules::{LINK_AGAIN_INTERVAL, SameParent, WindowRow, same_parent, same_submission};
use super::sqlite::COVER_COLUMNS;
use super::{EventStore, MailComposer, MailKind, StoreError, parse_slug, rows};
use crate::domain::Tag;
use crate::domain::{Lang, Slug};
use crate::events::model::EventsWhen;
use async_trait::async_trait;
use sqlx::{Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;

use super::SqliteStore;

/// Events with their text in the language `?1`, else in the one they are written in.
static EVENT_SELECT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT e.id, e.slug, e.code_prefix, t.title, t.summary, t.body_md, t.venue_name, \
       t.venue_address, e.map_url, CASE WHEN ?1 = 'en' AND n.name_en <> '' THEN n.name_en ELSE n.name_bg END AS organiser, \
       n.slug AS organiser_slug, \
       e.starts_at, e.ends_at, e.registration_opens_at, e.registration_closes_at, e.price_eur_cents, \
       e.min_age, e.max_age, e.capacity, e.confirmed_children, \
       (SELECT COALESCE(SUM(r.children_count), 0) FROM registrations r \
         WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted_children, \
       e.status, e.draft, e.updated_at, t.lang AS text_lang, \
       (SELECT COUNT(*) FROM event_translations y WHERE y.event_id = e.id) AS translations, {COVER_COLUMNS} \
     FROM events e \
     JOIN event_translations t ON t.event_id = e.id AND t.lang = \
         (SELECT x.lang FROM event_translations x WHERE x.event_id = e.id ORDER BY x.lang <> ?1 LIMIT 1) \
     JOIN ngos n ON n.id = e.organiser_ngo_id \
     LEFT JOIN images i ON i.id = e.cover_image_id"
    )
});

const REGISTRATION_SELECT: &str =
    "SELECT id, event_id, code, token_nonce, lang, parent_name, email, status FROM registrations";

/// Reads a registration with its children and waitlist position inside `conn`.
async fn load_registration(
    conn: &mut SqliteConnection,
    row: RegistrationRow,
) -> Result<RegistrationRecord, StoreError> {
    let children: Vec<(String, i64)> = sqlx::query_as(
        "SELECT first_name, age FROM registration_children WHERE registration_id = ?1 ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    let position = if row.is_waitlisted() {
        Some(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM registrations WHERE event_id = ?1 AND status = 'waitlisted' AND id <= ?2",
            )
            .bind(row.event_id)
            .bind(row.id)
            .fetch_one(&mut *conn)
            .await?,
        )
    } else {
        None
    };
    row.into_record(children, position)
}

async fn enqueue(
    tx: &mut Transaction<'_, Sqlite>,
    kind: MailKind,
    record: &RegistrationRecord,
    compose: &MailComposer,
    now: i64,
) -> Result<(), StoreError> {
    let mail = compose(kind, record);
    sqlx::query(
        "INSERT INTO outbox (registration_id, kind, recipient, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(record.id)
    .bind(kind.as_str())
    .bind(&record.email)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Mails `kind` to every parent with a live registration (confirmed or waitlisted) for the
/// event, inside `tx`. Returns how many were written.
pub(super) async fn mail_registered(
    tx: &mut Transaction<'_, Sqlite>,
    event_id: i64,
    kind: MailKind,
    compose: &MailComposer,
    now: i64,
) -> Result<u32, StoreError> {
    let rows: Vec<RegistrationRow> = sqlx::query_as(&format!(
        "{REGISTRATION_SELECT} WHERE event_id = ?1 AND status IN ('confirmed', 'waitlisted') ORDER BY id"
    ))
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut written = 0;
    for row in rows {
        let record = load_registration(tx, row).await?;
        enqueue(tx, kind, &record, compose, now).await?;
        written += 1;
    }
    Ok(written)
}

/// Erases the personal data of the registrations `ids_sql` selects (a subquery with `?1`
/// bound to `bound`): names, contacts and notes cleared, children dropped (their count stays).
async fn erase_registrations(
    tx: &mut Transaction<'_, Sqlite>,
    ids_sql: &str,
    bound: i64,
    forget_link: bool,
) -> Result<u64, StoreError> {
    sqlx::query(&format!(
        "DELETE FROM registration_children WHERE registration_id IN ({ids_sql})"
    ))
    .bind(bound)
    .execute(&mut **tx)
    .await?;
    let link = if forget_link {
        format!(", token_nonce = '{ERASED_NONCE}' || id, idempotency_key = '{ERASED_NONCE}' || id")
    } else {
        String::new()
    };
    Ok(sqlx::query(&format!(
        "UPDATE registrations SET parent_name = '', email = '', phone = '', note = ''{link} WHERE id IN ({ids_sql})"
    ))
    .bind(bound)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

impl SqliteStore {
    /// The records of `rows`, with their tags.
    async fn with_all_tags(&self, lang: Lang, rows: Vec<EventRow>) -> Result<Vec<EventRecord>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut tags = self.event_tags(lang, &ids).await?;
        rows.into_iter()
            .map(|row| {
                let id = row.id;
                row.into_record(tags.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    async fn event_tags(&self, lang: Lang, ids: &[i64]) -> Result<HashMap<i64, Vec<Tag>>, StoreError> {
        let mut tags: HashMap<i64, Vec<Tag>> = HashMap::new();
        for id in ids {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT t.slug, tt.name FROM event_tags et JOIN tags t ON t.id = et.tag_id \
                 JOIN tag_translations tt ON tt.tag_id = t.id AND tt.lang = ?1 WHERE et.event_id = ?2 ORDER BY tt.name",
            )
            .bind(lang.code())
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            let list = rows
                .into_iter()
                .map(|(slug, name)| {
                    Ok(Tag {
                        slug: parse_slug(slug)?,
                        name,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            tags.insert(*id, list);
        }
        Ok(tags)
    }

    async fn with_tags(&self, lang: Lang, row: Option<EventRow>) -> Result<Option<EventRecord>, StoreError> {
        let Some(row) = row else { return Ok(None) };
        let mut tags = self.event_tags(lang, &[row.id]).await?;
        let id = row.id;
        row.into_record(tags.remove(&id).unwrap_or_default()).map(Some)
    }

    pub(super) async fn promote_waitlist(
        tx: &mut Transaction<'_, Sqlite>,
        event_id: i64,
        compose: &MailComposer,
        now: i64,
    ) -> Result<Vec<RegistrationRecord>, StoreError> {
        // In waitlist order, everyone whose children now fit is confirmed (nobody, once the
        // event is cancelled: its parents were told it will not take place).
        let waiting: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, children_count FROM registrations WHERE event_id = ?1 AND status = 'waitlisted' ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&mut **tx)
        .await?;
        let mut promoted_ids = Vec::new();
        for (id, children) in waiting {
            let seated = sqlx::query(
                "UPDATE events SET confirmed_children = confirmed_children + ?2 \
                 WHERE id = ?1 AND confirmed_children + ?2 <= capacity AND status <> 'cancelled'",
            )
            .bind(event_id)
            .bind(children)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if seated == 1 {
                sqlx::query("UPDATE registrations SET status = 'confirmed' WHERE id = ?1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                promoted_ids.push(id);
            }
        }
        let mut promoted = Vec::new();
        for id in promoted_ids {
            let row: RegistrationRow = sqlx::query_as(&format!("{REGISTRATION_SELECT} WHERE id = ?1"))
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
            let record = load_registration(tx, row).await?;
            enqueue(tx, MailKind::Promoted, &record, compose, now).await?;
            promoted.push(record);
        }
        Ok(promoted)
    }
}

impl SqliteStore {
    /// Mail the outbox still delivers, after `after_id`, oldest first.
    async fn waiting_mail(&self, after_id: i64, limit: u32) -> Result<Vec<OutboxMail>, StoreError> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT o.id, o.recipient, o.subject, o.body, r.lang, r.token_nonce FROM outbox o \
             JOIN registrations r ON r.id = o.registration_id \
             WHERE o.sent_at IS NULL AND o.attempts < 5 AND o.recipient <> '' AND o.id > ?2 ORDER BY o.id LIMIT ?1",
        )
        .bind(i64::from(limit))
        .bind(after_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(OutboxRow::into_mail).collect()
    }
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn events(&self, lang: Lang, when: EventsWhen, now: i64, limit: u32) -> Result<Vec<EventRecord>, StoreError> {
        let (filter, order) = match when {
            EventsWhen::Upcoming => ("e.ends_at >= ?2", "e.starts_at ASC"),
            EventsWhen::Past => ("e.ends_at < ?2", "e.starts_at DESC"),
        };
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "{} WHERE e.draft = 0 AND {filter} ORDER BY {order}, e.id LIMIT ?3",
            *EVENT_SELECT
        ))
        .bind(lang.code())
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        self.with_all_tags(lang, rows).await
    }

    async fn events_of_organiser(
        &self,
        lang: Lang,
        organiser: &Slug,
        now: i64,
        limit: u32,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "{} WHERE e.draft = 0 AND e.ends_at >= ?2 AND n.slug = ?3 ORDER BY e.starts_at, e.id LIMIT ?4",
            *EVENT_SELECT
        ))
        .bind(lang.code())
        .bind(now)
        .bind(organiser.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        self.with_all_tags(lang, rows).await
    }

    async fn event(&self, lang: Lang, slug: &Slug) -> Result<Option<EventRecord>, StoreError> {
        let row: Option<EventRow> = sqlx::query_as(&format!("{} WHERE e.slug = ?2 AND e.draft = 0", *EVENT_SELECT))
            .bind(lang.code())
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await?;
        self.with_tags(lang, row).await
    }

    async fn event_by_id(&self, lang: Lang, id: i64) -> Result<Option<EventRecord>, StoreError> {
        let row: Option<EventRow> = sqlx::query_as(&format!("{} WHERE e.id = ?2", *EVENT_SELECT))
            .bind(lang.code())
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        self.with_tags(lang, row).await
    }

    async fn register(
        &self,
        new: NewRegistration,
        now: i64,
        compose: &MailComposer,
    ) -> Result<RegisterOutcome, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let existing: Option<RegistrationRow> = sqlx::query_as(&format!(
            "{REGISTRATION_SELECT} WHERE event_id = ?1 AND idempotency_key = ?2"
        ))
        .bind(new.event_id)
        .bind(&new.idempotency_key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            let record = load_registration(&mut tx, row).await?;
            // A key is no password: it replays only the very submission it came with.
            return Ok(if same_submission(&record, &new) {
                RegisterOutcome::Replayed(record)
            } else {
                RegisterOutcome::KeyConflict
            });
        }
        let event: Option<WindowRow> = sqlx::query_as(
            // A draft takes no registrations (its page is not public).
            "SELECT registration_opens_at, registration_closes_at, min_age, max_age, status FROM events \
             WHERE id = ?1 AND draft = 0",
        )
        .bind(new.event_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(event) = event else {
            return Ok(RegisterOutcome::Rejected(RegisterRejection::Closed));
        };
        let window = event.into_window(new.event_id)?;
        if let Some(rejection) = window.rejection(&new.children, now) {
            return Ok(RegisterOutcome::Rejected(rejection));
        }
        let same_email: Vec<RegistrationRow> = sqlx::query_as(&format!(
            "{REGISTRATION_SELECT} WHERE event_id = ?1 AND lower(email) = lower(?2) AND status <> 'cancelled' ORDER BY id"
        ))
        .bind(new.event_id)
        .bind(new.email.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let mut live = Vec::with_capacity(same_email.len());
        for row in same_email {
            live.push(load_registration(&mut tx, row).await?);
        }
        match same_parent(&live, &new) {
            SameParent::Registered(record) => {
                // Whoever typed this gets no link: it goes to the address stored with it.
                let recently: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM outbox WHERE registration_id = ?1 AND kind = 'link_again' AND created_at > ?2",
                )
                .bind(record.id)
                .bind(now - LINK_AGAIN_INTERVAL)
                .fetch_one(&mut *tx)
                .await?;
                if recently == 0 {
                    enqueue(&mut tx, MailKind::LinkAgain, record, compose, now).await?;
                    tx.commit().await?;
                }
                return Ok(RegisterOutcome::AlreadyRegistered);
            }
            SameParent::TooMany { max } => return Ok(RegisterOutcome::TooManyForEmail { max }),
            SameParent::New => {}
        }
        let children = rows::to_i64(new.children.len());
        let seated = sqlx::query(
            "UPDATE events SET confirmed_children = confirmed_children + ?2 \
             WHERE id = ?1 AND confirmed_children + ?2 <= capacity",
        )
        .bind(new.event_id)
        .bind(children)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let status = if seated { "confirmed" } else { "waitlisted" };
        // The conflict target names the constraint: a taken code, and only that, is a clash
        // (the transaction is dropped, so the seat taken above is given back).
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO registrations (event_id, code, token_nonce, idempotency_key, lang, parent_name, email, phone, \
             note, children_count, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
             ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(new.event_id)
        .bind(&new.code)
        .bind(&new.token_nonce)
        .bind(&new.idempotency_key)
        .bind(new.lang.code())
        .bind(&new.parent_name)
        .bind(new.email.as_str())
        .bind(new.phone.as_str())
        .bind(&new.note)
        .bind(children)
        .bind(status)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::CodeClash)?;
        for (position, (first_name, age)) in new.children.iter().enumerate() {
            sqlx::query("INSERT INTO registration_children (registration_id, position, first_name, age) VALUES (?1, ?2, ?3, ?4)")
                .bind(id)
                .bind(rows::to_i64(position))
                .bind(first_name)
                .bind(i64::from(*age))
                .execute(&mut *tx)
                .await?;
        }
        let row: RegistrationRow = sqlx::query_as(&format!("{REGISTRATION_SELECT} WHERE id = ?1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let record = load_registration(&mut tx, row).await?;
        let kind = if seated {
            MailKind::Confirmed
        } else {
            MailKind::Waitlisted
        };
        enqueue(&mut tx, kind, &record, compose, now).await?;
        tx.commit().await?;
        Ok(RegisterOutcome::Created(record))
    }

    async fn registration(&self, token_nonce: &str) -> Result<Option<RegistrationRecord>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<RegistrationRow> = sqlx::query_as(&format!("{REGISTRATION_SELECT} WHERE token_nonce = ?1"))
            .bind(token_nonce)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => Ok(Some(load_registration(&mut conn, row).await?)),
            None => Ok(None),
        }
    }

    async fn cancel_registration(
        &self,
        token_nonce: &str,
        now: i64,
        compose: &MailComposer,
        actor: &super::Actor,
    ) -> Result<Option<CancelOutcome>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<RegistrationRow> = sqlx::query_as(&format!("{REGISTRATION_SELECT} WHERE token_nonce = ?1"))
            .bind(token_nonce)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let before = load_registration(&mut tx, row).await?;
        if before.status == StoredStatus::Cancelled {
            return Ok(Some(CancelOutcome {
                cancelled: before,
                promoted: Vec::new(),
            }));
        }
        sqlx::query("UPDATE registrations SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1")
            .bind(before.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let mut promoted = Vec::new();
        if before.status == StoredStatus::Confirmed {
            let children = rows::to_i64(before.children.len());
            sqlx::query("UPDATE events SET confirmed_children = confirmed_children - ?2 WHERE id = ?1")
                .bind(before.event_id)
                .bind(children)
                .execute(&mut *tx)
                .await?;
            promoted = Self::promote_waitlist(&mut tx, before.event_id, compose, now).await?;
        }
        let was = if before.status == StoredStatus::Confirmed {
            "confirmed"
        } else {
            "waitlisted"
        };
        let cancelled = RegistrationRecord {
            status: StoredStatus::Cancelled,
            ..before
        };
        enqueue(&mut tx, MailKind::Cancelled, &cancelled, compose, now).await?;
        // Codes and states only: no parent's or child's data in the log.
        let entry = super::AuditEntry {
            at: now,
            actor: actor.clone(),
            action: "registration.cancel",
            entity: "registration",
            entity_id: cancelled.code.clone(),
            before: Some(serde_json::json!({ "status": was })),
            after: Some(serde_json::json!({
                "status": "cancelled",
                "promoted": promoted.iter().map(|r: &RegistrationRecord| r.code.clone()).collect::<Vec<_>>(),
            })),
        };
        super::sqlite_audit::write(&mut tx, &entry).await?;
        // Nothing personal is kept for a cancelled registration; its link still shows the
        // status (and the mail above keeps what it says until it is sent).
        erase_registrations(&mut tx, "?1", cancelled.id, false).await?;
        tx.commit().await?;
        Ok(Some(CancelOutcome { cancelled, promoted }))
    }

    async fn erase_personal_data(
        &self,
        events_ended_before: i64,
        undeliverable_before: i64,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ended = format!(
            "SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id \
             WHERE e.ends_at < ?1 AND r.token_nonce NOT LIKE '{ERASED_NONCE}%'"
        );
        sqlx::query(&format!("DELETE FROM outbox WHERE registration_id IN ({ended})"))
            .bind(events_ended_before)
            .execute(&mut *tx)
            .await?;
        let erased = erase_registrations(&mut tx, &ended, events_ended_before, true).await?;
        // Mail that could not be delivered for days keeps nothing personal (until then, staff
        // can send a given-up mail again from the outbox page).
        sqlx::query(
            "UPDATE outbox SET recipient = '', subject = '', body = '', attempts = 5 \
             WHERE sent_at IS NULL AND recipient <> '' AND created_at < ?1",
        )
        .bind(undeliverable_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Old page versions in the write-ahead log still hold what was erased here, at a
        // cancellation or when sent mail was cleared: move every page into the database file
        // (zeroed there by `secure_delete`) and empty the log. Each pass, as it is cheap.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await?;
        if busy != 0 {
            tracing::warn!("write-ahead log not fully checkpointed (readers busy); next pass retries");
        }
        Ok(erased)
    }

    async fn unsent_mail(&self, limit: u32) -> Result<Vec<OutboxMail>, StoreError> {
        self.waiting_mail(0, limit).await
    }

    async fn claim_mail(&self, after_id: i64, now: i64) -> Result<Option<OutboxMail>, StoreError> {
        // Several server processes may share the file (a rolling restart): one statement
        // takes the mail for this one, unless another holds a claim that has not run out.
        let claimed: Option<i64> = sqlx::query_scalar(
            "UPDATE outbox SET claimed_until = ?3 WHERE id = \
               (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < 5 AND recipient <> '' AND id > ?1 \
                AND (claimed_until IS NULL OR claimed_until <= ?2) ORDER BY id LIMIT 1) \
             RETURNING id",
        )
        .bind(after_id)
        .bind(now)
        .bind(now + super::MAIL_CLAIM_SECONDS)
        .fetch_optional(&self.pool)
        .await?;
        let Some(id) = claimed else { return Ok(None) };
        Ok(self.waiting_mail(id - 1, 1).await?.pop().filter(|mail| mail.id == id))
    }

    async fn mark_mail(&self, id: i64, sent_at: Option<i64>) -> Result<(), StoreError> {
        // A sent mail is a record that it was sent, not a second copy of the parent's data;
        // the attempt, whatever its outcome, ends the mail's claim.
        sqlx::query(
            "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, claimed_until = NULL, \
             recipient = CASE WHEN ?2 IS NULL THEN recipient ELSE '' END, \
             subject = CASE WHEN ?2 IS NULL THEN subject ELSE '' END, \
             body = CASE WHEN ?2 IS NULL THEN body ELSE '' END WHERE id = ?1",
        )
        .bind(id)
        .bind(sent_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
