//! PostgreSQL: the door list and check-ins.
use super::PgStore;
use crate::server::store::door::{DoorChildRow, DoorRow, check_in_entry, door_list};
use crate::server::store::{Actor, DoorRegistration, DoorStore, StoreError};
use async_trait::async_trait;

#[async_trait]
impl DoorStore for PgStore {
    async fn active_registration_nonce(&self, event_id: i64, code: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT token_nonce FROM registrations WHERE event_id = $1 AND code = $2 AND status IN ('confirmed', 'waitlisted')",
        )
        .bind(event_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn door_list(&self, event_id: i64) -> Result<Vec<DoorRegistration>, StoreError> {
        // One snapshot for both reads: a registration cancelled in between would otherwise
        // be listed without its children.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let rows: Vec<DoorRow> = sqlx::query_as(
            "SELECT id, code, parent_name, phone, status FROM registrations \
             WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted') ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&mut *tx)
        .await?;
        let children: Vec<DoorChildRow> = sqlx::query_as(
            "SELECT c.registration_id, c.position, c.first_name, c.age, c.checked_in_at \
             FROM registration_children c JOIN registrations r ON r.id = c.registration_id \
             WHERE r.event_id = $1 AND r.status IN ('confirmed', 'waitlisted') ORDER BY c.registration_id, c.position",
        )
        .bind(event_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        door_list(rows, &children)
    }

    async fn set_checked_in(
        &self,
        event_id: i64,
        code: &str,
        position: u32,
        at: Option<i64>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The event's row lock, as for every change of its registrations: the state read
        // below (confirmed, checked in or not) decides the audit entry, and no cancellation
        // or second check-in of the event can change it until this commits.
        super::events::lock_event(&mut tx, event_id).await?;
        let before: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT c.checked_in_at FROM registration_children c JOIN registrations r ON r.id = c.registration_id \
             WHERE r.event_id = $1 AND r.code = $2 AND r.status = 'confirmed' AND c.position = $3",
        )
        .bind(event_id)
        .bind(code)
        .bind(i64::from(position))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else { return Ok(false) };
        sqlx::query(
            "UPDATE registration_children SET checked_in_at = $3 \
             WHERE position = $2 AND registration_id = (SELECT id FROM registrations WHERE event_id = $1 AND code = $4)",
        )
        .bind(event_id)
        .bind(i64::from(position))
        .bind(at)
        .bind(code)
        .execute(&mut *tx)
        .await?;
        if let Some(entry) = check_in_entry(code, position, before, at, actor) {
            super::audit::write(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
