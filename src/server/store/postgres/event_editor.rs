//! PostgreSQL: the event editor's reads and writes. A save of an event first locks its row
//! (`FOR UPDATE`), as every registration change of the event does: the seats and
//! registrations it judges and changes (capacity, the waitlist's promotion, the mail of a
//! cancellation) cannot move under it, whichever instance the registrations arrive through.
use super::super::event_editor::{
    EditorEventRow, EventListRow, EventTextRow, SaveEffect, SaveFacts, StoredSeats, added_organisers, admin_event_page,
    audit_action, refusal, save_effect,
};
use super::super::post_editor::audit_json;
use super::super::{
    Actor, AdminEventListRecord, AdminEventQuery, AuditEntry, Choice, EditableEvent, EventEditorStore,
    EventSaveRefusal, EventSaved, EventState, MailComposer, MailKind, StoreError, parse_slug, rows,
};
use super::events::mail_registered;
use super::post_editor::{replace_links, tag_ids, violates};
use super::{PgStore, audit};
use crate::domain::{Lang, Slug};
use async_trait::async_trait;
use sqlx::PgConnection;

/// The unique constraint on an event's slug (migrations/postgres, `events`).
const EVENT_SLUG_KEY: &str = "events_slug_key";

/// The event as stored, read inside the caller's transaction (so that the audit log's
/// "before" is what the change replaced).
async fn load(conn: &mut PgConnection, id: i64) -> Result<Option<EditableEvent>, StoreError> {
    let Some(row) = sqlx::query_as::<_, EditorEventRow>(
        "SELECT e.id, e.slug, e.status, e.draft, e.starts_at, e.ends_at, e.registration_opens_at, \
                e.registration_closes_at, e.map_url, e.price_eur_cents, e.min_age, e.max_age, e.capacity, \
                e.organiser_ngo_id, e.code_prefix, e.cover_image_id, i.alt_bg, i.alt_en \
         FROM events e LEFT JOIN images i ON i.id = e.cover_image_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let texts = sqlx::query_as::<_, EventTextRow>(
        "SELECT lang, title, summary, body_md, venue_name, venue_address FROM event_translations \
         WHERE event_id = $1 ORDER BY lang = 'en'",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|text| text.into_record(id))
    .collect::<Result<Vec<_>, StoreError>>()?;
    // A tag by its Bulgarian name, else its English one.
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE((SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'bg'), \
                         (SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'en'), t.slug) \
         FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = $1 ORDER BY 1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let organisers: Vec<i64> =
        sqlx::query_scalar("SELECT account_id FROM event_organisers WHERE event_id = $1 ORDER BY account_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    row.into_editable(texts, tags, organisers).map(Some)
}

/// Whether an event other than `id` has, or had, this slug.
async fn slug_taken(conn: &mut PgConnection, slug: &Slug, id: Option<i64>) -> Result<bool, StoreError> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE slug = $1 UNION ALL SELECT event_id FROM event_slug_history WHERE slug = $1",
    )
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(owner.is_some_and(|owner| Some(owner) != id))
}

/// What the rules of a save (`event_editor::refusal`) need to know of the database; the
/// event's row is locked by the caller, so its seats and registrations hold still.
async fn save_facts(
    conn: &mut PgConnection,
    before: Option<&EditableEvent>,
    event: &EditableEvent,
) -> Result<SaveFacts, StoreError> {
    let slug_taken = slug_taken(conn, &event.slug, event.id).await?;
    let ngo: Option<i64> = sqlx::query_scalar("SELECT id FROM ngos WHERE id = $1")
        .bind(event.organiser_ngo_id)
        .fetch_optional(&mut *conn)
        .await?;
    let mut added_organisers_active = true;
    for account in added_organisers(before, event) {
        let organiser: Option<i64> =
            sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1 AND role = 'organiser' AND disabled_at IS NULL")
                .bind(account)
                .fetch_optional(&mut *conn)
                .await?;
        if organiser.is_none() {
            added_organisers_active = false;
            break;
        }
    }
    let cover_exists = match &event.cover {
        Some(cover) => {
            let image: Option<i64> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1")
                .bind(cover.image_id)
                .fetch_optional(&mut *conn)
                .await?;
            image.is_some()
        }
        None => true,
    };
    let stored = match before.and_then(|before| before.id) {
        Some(id) => {
            let (registrations, confirmed_children): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM registrations WHERE event_id = $1), \
                        (SELECT confirmed_children FROM events WHERE id = $1)",
            )
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
            Some(StoredSeats {
                registrations,
                confirmed_children,
            })
        }
        None => None,
    };
    Ok(SaveFacts {
        slug_taken,
        ngo_exists: ngo.is_some(),
        added_organisers_active,
        cover_exists,
        stored,
    })
}

#[async_trait]
impl EventEditorStore for PgStore {
    async fn admin_event_list(&self, query: &AdminEventQuery) -> Result<(Vec<AdminEventListRecord>, u64), StoreError> {
        // Every event's light columns; the list is filtered in Rust (`admin_event_page`), by
        // the same rule as on SQLite.
        let rows: Vec<EventListRow> = sqlx::query_as(
            "SELECT e.id, e.slug, e.status, e.draft, e.starts_at, e.capacity, e.confirmed_children, \
                    (SELECT title FROM event_translations WHERE event_id = e.id AND lang = 'bg') AS title_bg, \
                    (SELECT title FROM event_translations WHERE event_id = e.id AND lang = 'en') AS title_en \
             FROM events e ORDER BY e.starts_at DESC, e.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        admin_event_page(rows, query)
    }

    async fn editable_event(&self, slug: &Slug) -> Result<Option<EditableEvent>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        match id {
            Some(id) => load(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn confirmed_children(&self, id: i64) -> Result<u32, StoreError> {
        let confirmed: Option<i64> = sqlx::query_scalar("SELECT confirmed_children FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        rows::int(confirmed.unwrap_or_default(), || format!("event {id}: confirmed"))
    }

    async fn save_event(
        &self,
        event: &EditableEvent,
        now: i64,
        actor: &Actor,
        compose: &MailComposer,
    ) -> Result<Result<EventSaved, EventSaveRefusal>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let before = match event.id {
            Some(id) => {
                // Held to the commit: registrations of this event (any instance) wait here,
                // so the confirmed count judged below is the one the capacity is set against,
                // the waitlist promoted is the whole waitlist, and a cancellation mails every
                // parent registered when it commits.
                let stored = match super::events::lock_event(&mut tx, id).await? {
                    Some(id) => load(&mut tx, id).await?,
                    None => None,
                };
                match stored {
                    Some(before) => Some((id, before)),
                    None => return Ok(Err(EventSaveRefusal::NotFound)),
                }
            }
            None => None,
        };
        let before_event = before.as_ref().map(|(_, before)| before);
        let facts = save_facts(&mut tx, before_event, event).await?;
        if let Some(refused) = refusal(before_event, event, &facts, now)? {
            return Ok(Err(refused));
        }
        if let Some(cover) = &event.cover {
            // The row stays locked to the end of the save: a logo change that would delete
            // the picture as unused waits, then sees it used.
            let found = sqlx::query("UPDATE images SET alt_bg = $1, alt_en = $2 WHERE id = $3")
                .bind(&cover.alt_bg)
                .bind(&cover.alt_en)
                .bind(cover.image_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if found == 0 {
                return Ok(Err(EventSaveRefusal::UnknownImage));
            }
        }
        let sql = match &before {
            None => {
                // A new event whose slug another new event took meanwhile (after the check
                // above) inserts nothing and is refused the same way.
                "INSERT INTO events (slug, code_prefix, organiser_ngo_id, starts_at, ends_at, registration_opens_at, \
                     registration_closes_at, map_url, price_eur_cents, min_age, max_age, capacity, status, draft, \
                     updated_at, cover_image_id) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 \
                 WHERE $17::BIGINT IS NULL \
                 ON CONFLICT (slug) DO NOTHING RETURNING id"
            }
            Some((id, before)) => {
                if before.slug != event.slug {
                    // The old address answers with a redirect to the new one; a slug the event
                    // takes back stops redirecting.
                    sqlx::query(
                        "INSERT INTO event_slug_history (slug, event_id) VALUES ($1, $2) \
                         ON CONFLICT (slug) DO UPDATE SET event_id = excluded.event_id",
                    )
                    .bind(before.slug.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM event_slug_history WHERE slug = $1")
                        .bind(event.slug.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                "UPDATE events SET slug = $1, code_prefix = $2, organiser_ngo_id = $3, starts_at = $4, ends_at = $5, \
                     registration_opens_at = $6, registration_closes_at = $7, map_url = $8, price_eur_cents = $9, \
                     min_age = $10, max_age = $11, capacity = $12, status = $13, draft = $14, updated_at = $15, \
                     cover_image_id = $16 \
                 WHERE id = $17 RETURNING id"
            }
        };
        let stored: Result<Option<i64>, sqlx::Error> = sqlx::query_scalar(sql)
            .bind(event.slug.as_str())
            .bind(&event.code_prefix)
            .bind(event.organiser_ngo_id)
            .bind(event.starts_at)
            .bind(event.ends_at)
            .bind(event.registration_opens_at)
            .bind(event.registration_closes_at)
            .bind(event.map_url.as_deref())
            .bind(event.price_eur_cents.map(i64::from))
            .bind(i64::from(event.min_age))
            .bind(i64::from(event.max_age))
            .bind(i64::from(event.capacity))
            .bind(event.state.status_column())
            .bind(event.state == EventState::Draft)
            .bind(now)
            .bind(event.cover.as_ref().map(|cover| cover.image_id))
            .bind(before.as_ref().map(|(id, _)| *id))
            .fetch_optional(&mut *tx)
            .await;
        let id = match stored {
            Ok(Some(id)) => id,
            // Inserted nothing: the slug is taken (the update's row is locked, so it is there).
            Ok(None) => return Ok(Err(EventSaveRefusal::SlugTaken)),
            // A new event took the new slug after the check above.
            Err(error) if violates(&error, EVENT_SLUG_KEY) => return Ok(Err(EventSaveRefusal::SlugTaken)),
            Err(error) => return Err(error.into()),
        };
        sqlx::query("DELETE FROM event_translations WHERE event_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for text in &event.texts {
            sqlx::query(
                "INSERT INTO event_translations (event_id, lang, title, summary, body_md, venue_name, venue_address) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(text.lang.code())
            .bind(&text.title)
            .bind(&text.summary)
            .bind(&text.body_md)
            .bind(&text.venue_name)
            .bind(&text.venue_address)
            .execute(&mut *tx)
            .await?;
        }
        let tags = tag_ids(&mut tx, &event.tags).await?;
        replace_links(&mut tx, ("event_tags", "event_id", "tag_id"), id, &tags).await?;
        replace_links(
            &mut tx,
            ("event_organisers", "event_id", "account_id"),
            id,
            &event.organisers,
        )
        .await?;
        let mut saved = EventSaved {
            id,
            ..EventSaved::default()
        };
        match save_effect(before_event, event) {
            SaveEffect::TellCancelled => {
                saved.told_cancelled = mail_registered(&mut tx, id, MailKind::EventCancelled, compose, now).await?;
            }
            SaveEffect::PromoteWaitlist => {
                let promoted = PgStore::promote_waitlist(&mut tx, id, compose, now).await?;
                saved.promoted = rows::int(rows::to_i64(promoted.len()), || format!("event {id}: promoted"))?;
            }
            SaveEffect::Nothing => {}
        }
        let after = load(&mut tx, id).await?;
        audit::write(
            &mut tx,
            &AuditEntry {
                at: now,
                actor: actor.clone(),
                action: audit_action(before_event, event),
                entity: "event",
                entity_id: event.slug.to_string(),
                before: audit_json(before_event),
                after: audit_json(after.as_ref()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(saved))
    }

    async fn moved_event(&self, old: &Slug) -> Result<Option<Slug>, StoreError> {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT e.slug FROM event_slug_history h JOIN events e ON e.id = h.event_id \
             WHERE h.slug = $1 AND NOT e.draft",
        )
        .bind(old.as_str())
        .fetch_optional(&self.pool)
        .await?;
        slug.map(parse_slug).transpose()
    }

    async fn ngo_choice(&self, lang: Lang, id: i64) -> Result<Option<Choice>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, CASE WHEN $1 = 'en' AND name_en <> '' THEN name_en ELSE name_bg END FROM ngos WHERE id = $2",
        )
        .bind(lang.code())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, name)| Choice { id, name }))
    }

    async fn organiser_choices(&self) -> Result<Vec<Choice>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, display_name FROM accounts WHERE role = 'organiser' AND disabled_at IS NULL \
             ORDER BY display_name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id, name)| Choice { id, name }).collect())
    }
}
