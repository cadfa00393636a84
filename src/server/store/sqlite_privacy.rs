//! SQLite: a data subject's export and erasure.
use super::events::ERASED_NONCE;
use super::privacy::{PersonalRow, erasure_entry};
use super::{Actor, Erased, PersonalData, PersonalMail, PrivacyStore, SqliteStore, StoreError};
use async_trait::async_trait;

/// The registrations of an address (`?1`), whatever its case.
const OF_ADDRESS: &str = "SELECT id FROM registrations WHERE lower(email) = lower(?1) AND email <> ''";

#[async_trait]
impl PrivacyStore for SqliteStore {
    async fn personal_data(&self, email: &str) -> Result<PersonalData, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<PersonalRow> = sqlx::query_as(&format!(
            "SELECT r.id, t.title AS event, e.starts_at, r.code, r.status, r.parent_name, r.email, r.phone, r.note, \
               r.created_at \
             FROM registrations r JOIN events e ON e.id = r.event_id \
             JOIN event_translations t ON t.event_id = e.id AND t.lang = r.lang \
             WHERE r.id IN ({OF_ADDRESS}) ORDER BY r.id"
        ))
        .bind(email)
        .fetch_all(&mut *conn)
        .await?;
        let mut registrations = Vec::with_capacity(rows.len());
        for row in rows {
            let children: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
                "SELECT first_name, age, checked_in_at FROM registration_children WHERE registration_id = ? ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
            registrations.push(row.into_registration(children)?);
        }
        let mails: Vec<(String, i64)> = sqlx::query_as(
            "SELECT subject, created_at FROM outbox WHERE lower(recipient) = lower(?) AND sent_at IS NULL ORDER BY id",
        )
        .bind(email)
        .fetch_all(&mut *conn)
        .await?;
        Ok(PersonalData {
            registrations,
            mails: mails
                .into_iter()
                .map(|(subject, created_at)| PersonalMail { subject, created_at })
                .collect(),
        })
    }

    async fn active_nonces_of(&self, email: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT token_nonce FROM registrations WHERE id IN ({OF_ADDRESS}) AND status IN ('confirmed', 'waitlisted')"
        ))
        .bind(email)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn registration_ids_of(&self, email: &str) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(OF_ADDRESS).bind(email).fetch_all(&self.pool).await?)
    }

    async fn erase_person(
        &self,
        email: &str,
        registrations: &[i64],
        now: i64,
        actor: &Actor,
    ) -> Result<Erased, StoreError> {
        // Integers only: safe to write into the statement.
        let ids = registrations.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mails = sqlx::query(&format!(
            "DELETE FROM outbox WHERE lower(recipient) = lower(?1) OR registration_id IN ({ids})"
        ))
        .bind(email)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(&format!(
            "DELETE FROM registration_children WHERE registration_id IN ({ids})"
        ))
        .execute(&mut *tx)
        .await?;
        let registrations = sqlx::query(&format!(
            "UPDATE registrations SET parent_name = '', email = '', phone = '', note = '', \
               token_nonce = '{ERASED_NONCE}' || id, idempotency_key = '{ERASED_NONCE}' || id \
             WHERE id IN ({ids})"
        ))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Failed sign-ins are kept under the address typed (alone, or with a visitor after a space);
        // compared as a prefix, not with LIKE, where the `_` and `%` an address may hold match others.
        sqlx::query(
            "DELETE FROM sign_in_failures WHERE lower(email) = lower(?1) \
             OR substr(lower(email), 1, length(?1) + 1) = lower(?1) || ' '",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        let erased = Erased { registrations, mails };
        let entry = erasure_entry(erased, now, actor);
        super::sqlite_audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(erased)
    }
}
