//! SQLite: the event editor's reads and writes. A save runs in one `BEGIN IMMEDIATE`
//! transaction, like registrations, so seats counted here cannot move under it.
use super::sqlite_events::mail_registered;
use super::sqlite_post_editor::{parse_lang, replace_links, tag_ids};
use super::{
    Actor, AdminEventListRecord, AdminEventQuery, AuditEntry, Choice, CoverRecord, EditableEvent, EventEditorStore,
    EventSaveRefusal, EventSaved, EventState, EventTextRecord, MailComposer, MailKind, SqliteStore, StoreError,
    parse_slug, sqlite_audit,
};
use crate::domain::{Lang, Slug};
use async_trait::async_trait;
use sqlx::{FromRow, SqliteConnection};

#[derive(FromRow)]
struct EventRow {
    id: i64,
    slug: String,
    status: String,
    draft: bool,
    starts_at: i64,
    ends_at: i64,
    registration_opens_at: i64,
    registration_closes_at: i64,
    map_url: Option<String>,
    price_eur_cents: Option<i64>,
    min_age: i64,
    max_age: i64,
    capacity: i64,
    organiser_ngo_id: i64,
    code_prefix: String,
    cover_image_id: Option<i64>,
    alt_bg: Option<String>,
    alt_en: Option<String>,
}

#[derive(FromRow)]
struct TextRow {
    lang: String,
    title: String,
    summary: String,
    body_md: String,
    venue_name: String,
    venue_address: String,
}

#[derive(FromRow)]
struct ListRow {
    id: i64,
    slug: String,
    status: String,
    draft: bool,
    starts_at: i64,
    capacity: i64,
    confirmed_children: i64,
    title_bg: Option<String>,
    title_en: Option<String>,
}

fn state_of(draft: bool, status: &str) -> EventState {
    match (draft, status) {
        (_, "cancelled") => EventState::Cancelled,
        (true, _) => EventState::Draft,
        (false, _) => EventState::Published,
    }
}

fn number<T: TryFrom<i64>>(value: i64, what: &str, id: i64) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("event {id}: {what}")))
}

/// The event as stored, read inside the caller's transaction (so that the audit log's
/// "before" is what the change replaced).
async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Option<EditableEvent>, StoreError> {
    let Some(row) = sqlx::query_as::<_, EventRow>(
        "SELECT e.id, e.slug, e.status, e.draft, e.starts_at, e.ends_at, e.registration_opens_at, \
                e.registration_closes_at, e.map_url, e.price_eur_cents, e.min_age, e.max_age, e.capacity, \
                e.organiser_ngo_id, e.code_prefix, e.cover_image_id, i.alt_bg, i.alt_en \
         FROM events e LEFT JOIN images i ON i.id = e.cover_image_id WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let texts = sqlx::query_as::<_, TextRow>(
        "SELECT lang, title, summary, body_md, venue_name, venue_address FROM event_translations \
         WHERE event_id = ? ORDER BY lang = 'en'",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|text| {
        Ok(EventTextRecord {
            lang: parse_lang(&text.lang)?,
            title: text.title,
            summary: text.summary,
            body_md: text.body_md,
            venue_name: text.venue_name,
            venue_address: text.venue_address,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    // A tag by its Bulgarian name, else its English one.
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE((SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'bg'), \
                         (SELECT name FROM tag_translations WHERE tag_id = t.id AND lang = 'en'), t.slug) \
         FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = ? ORDER BY 1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let organisers: Vec<i64> =
        sqlx::query_scalar("SELECT account_id FROM event_organisers WHERE event_id = ? ORDER BY account_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(EditableEvent {
        id: Some(id),
        slug: parse_slug(row.slug)?,
        texts,
        tags,
        state: state_of(row.draft, &row.status),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        registration_opens_at: row.registration_opens_at,
        registration_closes_at: row.registration_closes_at,
        map_url: row.map_url,
        price_eur_cents: row
            .price_eur_cents
            .map(|cents| number(cents, "price", row.id))
            .transpose()?,
        min_age: number(row.min_age, "age", row.id)?,
        max_age: number(row.max_age, "age", row.id)?,
        capacity: number(row.capacity, "capacity", row.id)?,
        organiser_ngo_id: row.organiser_ngo_id,
        code_prefix: row.code_prefix,
        organisers,
        cover: row.cover_image_id.map(|image_id| CoverRecord {
            image_id,
            alt_bg: row.alt_bg.unwrap_or_default(),
            alt_en: row.alt_en.unwrap_or_default(),
        }),
    }))
}

/// Whether an event other than `id` has, or had, this slug.
async fn slug_taken(conn: &mut SqliteConnection, slug: &Slug, id: Option<i64>) -> Result<bool, StoreError> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE slug = ?1 UNION ALL SELECT event_id FROM event_slug_history WHERE slug = ?1",
    )
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(owner.is_some_and(|owner| Some(owner) != id))
}

/// Why the change from `before` to `event` may not be saved, if it may not.
async fn refusal(
    conn: &mut SqliteConnection,
    before: Option<&EditableEvent>,
    event: &EditableEvent,
    now: i64,
) -> Result<Option<EventSaveRefusal>, StoreError> {
    if slug_taken(conn, &event.slug, event.id).await? {
        return Ok(Some(EventSaveRefusal::SlugTaken));
    }
    let ngo: Option<i64> = sqlx::query_scalar("SELECT id FROM ngos WHERE id = ?")
        .bind(event.organiser_ngo_id)
        .fetch_optional(&mut *conn)
        .await?;
    if ngo.is_none() {
        return Ok(Some(EventSaveRefusal::UnknownNgo));
    }
    // Organisers kept from before stay even when their account was turned off since; only
    // one added now must be an active organiser.
    let kept = before.map(|before| before.organisers.as_slice()).unwrap_or_default();
    for account in event.organisers.iter().filter(|account| !kept.contains(account)) {
        let organiser: Option<i64> =
            sqlx::query_scalar("SELECT id FROM accounts WHERE id = ? AND role = 'organiser' AND disabled_at IS NULL")
                .bind(account)
                .fetch_optional(&mut *conn)
                .await?;
        if organiser.is_none() {
            return Ok(Some(EventSaveRefusal::UnknownOrganiser));
        }
    }
    if let Some(cover) = &event.cover {
        let image: Option<i64> = sqlx::query_scalar("SELECT id FROM images WHERE id = ?")
            .bind(cover.image_id)
            .fetch_optional(&mut *conn)
            .await?;
        if image.is_none() {
            return Ok(Some(EventSaveRefusal::UnknownImage));
        }
    }
    let Some(before) = before else { return Ok(None) };
    let id = before.id.unwrap_or_default();
    if before.state == EventState::Cancelled && event.state != EventState::Cancelled {
        return Ok(Some(EventSaveRefusal::Cancelled));
    }
    let (registrations, confirmed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM registrations WHERE event_id = ?1), \
                (SELECT confirmed_children FROM events WHERE id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if event.state == EventState::Draft && before.state != EventState::Draft && registrations > 0 {
        return Ok(Some(EventSaveRefusal::HasRegistrations));
    }
    // A slip of the year would end the event in the past, and the retention purge would then
    // erase its parents' registrations before it takes place.
    if registrations > 0 && event.ends_at != before.ends_at && event.ends_at < now {
        return Ok(Some(EventSaveRefusal::EndsInPast));
    }
    if i64::from(event.capacity) < confirmed {
        return Ok(Some(EventSaveRefusal::CapacityBelowConfirmed {
            confirmed: number(confirmed, "confirmed", id)?,
        }));
    }
    Ok(None)
}

#[async_trait]
impl EventEditorStore for SqliteStore {
    async fn admin_event_list(&self, query: &AdminEventQuery) -> Result<(Vec<AdminEventListRecord>, u64), StoreError> {
        // Filtered here, where Cyrillic lower-casing is right (SQLite's `lower` knows ASCII only).
        let rows: Vec<ListRow> = sqlx::query_as(
            "SELECT e.id, e.slug, e.status, e.draft, e.starts_at, e.capacity, e.confirmed_children, \
                    (SELECT title FROM event_translations WHERE event_id = e.id AND lang = 'bg') AS title_bg, \
                    (SELECT title FROM event_translations WHERE event_id = e.id AND lang = 'en') AS title_en \
             FROM events e ORDER BY e.starts_at DESC, e.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let words: Vec<String> = query
            .search
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let matching: Vec<ListRow> = rows
            .into_iter()
            .filter(|row| {
                query
                    .state
                    .is_none_or(|wanted| wanted == state_of(row.draft, &row.status))
            })
            .filter(|row| {
                let haystack = format!(
                    "{} {} {}",
                    row.slug,
                    row.title_bg.as_deref().unwrap_or_default(),
                    row.title_en.as_deref().unwrap_or_default()
                )
                .to_lowercase();
                words.iter().all(|word| haystack.contains(word.as_str()))
            })
            .collect();
        let total = matching.len() as u64;
        let page = matching
            .into_iter()
            .skip(query.offset as usize)
            .take(query.limit as usize)
            .map(|row| {
                let langs = [(Lang::Bg, &row.title_bg), (Lang::En, &row.title_en)]
                    .into_iter()
                    .filter(|(_, title)| title.is_some())
                    .map(|(lang, _)| lang)
                    .collect();
                let state = state_of(row.draft, &row.status);
                let (mine, other) = match query.lang {
                    Lang::Bg => (row.title_bg, row.title_en),
                    Lang::En => (row.title_en, row.title_bg),
                };
                Ok(AdminEventListRecord {
                    id: row.id,
                    slug: parse_slug(row.slug)?,
                    title: mine.or(other).unwrap_or_default(),
                    state,
                    starts_at: row.starts_at,
                    capacity: number(row.capacity, "capacity", row.id)?,
                    confirmed_children: number(row.confirmed_children, "confirmed", row.id)?,
                    langs,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((page, total))
    }

    async fn editable_event(&self, slug: &Slug) -> Result<Option<EditableEvent>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE slug = ?")
            .bind(slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        match id {
            Some(id) => load(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn confirmed_children(&self, id: i64) -> Result<u32, StoreError> {
        let confirmed: Option<i64> = sqlx::query_scalar("SELECT confirmed_children FROM events WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        number(confirmed.unwrap_or_default(), "confirmed", id)
    }

    async fn save_event(
        &self,
        event: &EditableEvent,
        now: i64,
        actor: &Actor,
        compose: &MailComposer,
    ) -> Result<Result<EventSaved, EventSaveRefusal>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before = match event.id {
            Some(id) => match load(&mut tx, id).await? {
                Some(before) => Some(before),
                None => return Ok(Err(EventSaveRefusal::NotFound)),
            },
            None => None,
        };
        if let Some(refused) = refusal(&mut tx, before.as_ref(), event, now).await? {
            return Ok(Err(refused));
        }
        if let Some(cover) = &event.cover {
            sqlx::query("UPDATE images SET alt_bg = ?, alt_en = ? WHERE id = ?")
                .bind(&cover.alt_bg)
                .bind(&cover.alt_en)
                .bind(cover.image_id)
                .execute(&mut *tx)
                .await?;
        }
        let status = if event.state == EventState::Cancelled {
            "cancelled"
        } else {
            "published"
        };
        let sql = match &before {
            None => {
                "INSERT INTO events (slug, code_prefix, organiser_ngo_id, starts_at, ends_at, registration_opens_at, \
                     registration_closes_at, map_url, price_eur_cents, min_age, max_age, capacity, status, draft, \
                     updated_at, cover_image_id) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16 WHERE ?17 IS NULL RETURNING id"
            }
            Some(before) => {
                if before.slug != event.slug {
                    // The old address answers with a redirect to the new one; a slug the event
                    // takes back stops redirecting.
                    sqlx::query("INSERT OR REPLACE INTO event_slug_history (slug, event_id) VALUES (?, ?)")
                        .bind(before.slug.as_str())
                        .bind(before.id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM event_slug_history WHERE slug = ?")
                        .bind(event.slug.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                "UPDATE events SET slug = ?1, code_prefix = ?2, organiser_ngo_id = ?3, starts_at = ?4, ends_at = ?5, \
                     registration_opens_at = ?6, registration_closes_at = ?7, map_url = ?8, price_eur_cents = ?9, \
                     min_age = ?10, max_age = ?11, capacity = ?12, status = ?13, draft = ?14, updated_at = ?15, \
                     cover_image_id = ?16 \
                 WHERE id = ?17 RETURNING id"
            }
        };
        let id: i64 = sqlx::query_scalar(sql)
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
            .bind(status)
            .bind(event.state == EventState::Draft)
            .bind(now)
            .bind(event.cover.as_ref().map(|cover| cover.image_id))
            .bind(before.as_ref().and_then(|before| before.id))
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM event_translations WHERE event_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for text in &event.texts {
            sqlx::query(
                "INSERT INTO event_translations (event_id, lang, title, summary, body_md, venue_name, venue_address) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        let was_cancelled = before.as_ref().is_some_and(|b| b.state == EventState::Cancelled);
        let mut saved = EventSaved {
            id,
            ..EventSaved::default()
        };
        if event.state == EventState::Cancelled && !was_cancelled {
            saved.told_cancelled = mail_registered(&mut tx, id, MailKind::EventCancelled, compose, now).await?;
        } else if event.state == EventState::Published {
            // Seats added go to the waitlist, in order.
            let promoted = SqliteStore::promote_waitlist(&mut tx, id, compose, now).await?;
            saved.promoted = u32::try_from(promoted.len()).unwrap_or(u32::MAX);
        }
        let after = load(&mut tx, id).await?;
        let json = |event: &Option<EditableEvent>| event.as_ref().and_then(|event| serde_json::to_value(event).ok());
        let action = match (&before, event.state) {
            (None, _) => "event.create",
            (Some(_), EventState::Cancelled) if !was_cancelled => "event.cancel",
            (Some(_), _) => "event.update",
        };
        sqlite_audit::write(
            &mut tx,
            &AuditEntry {
                at: now,
                actor: actor.clone(),
                action,
                entity: "event",
                entity_id: event.slug.to_string(),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(saved))
    }

    async fn moved_event(&self, old: &Slug) -> Result<Option<Slug>, StoreError> {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT e.slug FROM event_slug_history h JOIN events e ON e.id = h.event_id \
             WHERE h.slug = ? AND e.draft = 0",
        )
        .bind(old.as_str())
        .fetch_optional(&self.pool)
        .await?;
        slug.map(parse_slug).transpose()
    }

    async fn ngo_choice(&self, lang: Lang, id: i64) -> Result<Option<Choice>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, CASE WHEN ? = 'en' AND name_en <> '' THEN name_en ELSE name_bg END FROM ngos WHERE id = ?",
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
