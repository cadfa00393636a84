//! PostgreSQL: a data subject's export and erasure.
use super::PgStore;
use crate::server::store::events::ERASED_NONCE;
use crate::server::store::privacy::{PersonalRow, erasure_entry};
use crate::server::store::{Actor, Erased, PersonalData, PersonalMail, PrivacyStore, StoreError};
use async_trait::async_trait;

/// The registrations of an address (`$1`), whatever its case.
const OF_ADDRESS: &str = "SELECT id FROM registrations WHERE lower(email) = lower($1) AND email <> ''";

#[async_trait]
impl PrivacyStore for PgStore {
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
                "SELECT first_name, age, checked_in_at FROM registration_children WHERE registration_id = $1 \
                 ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
            registrations.push(row.into_registration(children)?);
        }
        let mails: Vec<(String, i64)> = sqlx::query_as(
            "SELECT subject, created_at FROM outbox WHERE lower(recipient) = lower($1) AND sent_at IS NULL ORDER BY id",
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
        let mut tx = self.pool.begin().await?;
        // The events of these registrations are locked, as for every change of an event's
        // registrations (in id order, so that two erasures cannot deadlock).
        sqlx::query(
            "SELECT id FROM events WHERE id IN (SELECT event_id FROM registrations WHERE id = ANY($1)) \
             ORDER BY id FOR UPDATE",
        )
        .bind(registrations)
        .execute(&mut *tx)
        .await?;
        let mails = sqlx::query("DELETE FROM outbox WHERE lower(recipient) = lower($1) OR registration_id = ANY($2)")
            .bind(email)
            .bind(registrations)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM registration_children WHERE registration_id = ANY($1)")
            .bind(registrations)
            .execute(&mut *tx)
            .await?;
        let registrations = sqlx::query(&format!(
            "UPDATE registrations SET parent_name = '', email = '', phone = '', note = '', \
               token_nonce = '{ERASED_NONCE}' || id, idempotency_key = '{ERASED_NONCE}' || id \
             WHERE id = ANY($1)"
        ))
        .bind(registrations)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Failed sign-ins are kept under the address typed (alone, or with a visitor after a space);
        // compared as a prefix, not with LIKE, where the `_` and `%` an address may hold match others.
        sqlx::query(
            "DELETE FROM sign_in_failures WHERE lower(email) = lower($1) \
             OR substr(lower(email), 1, length($1) + 1) = lower($1) || ' '",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        let erased = Erased { registrations, mails };
        super::audit::write(&mut tx, &erasure_entry(erased, now, actor)).await?;
        tx.commit().await?;
        Ok(erased)
    }
}
