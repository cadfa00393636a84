//! SQLite: the door list and check-ins.
use super::rows;
use super::{Actor, AuditEntry, DoorChild, DoorRegistration, DoorStore, SqliteStore, StoreError};
use async_trait::async_trait;
use sqlx::FromRow;

#[derive(FromRow)]
struct DoorRow {
    id: i64,
    code: String,
    parent_name: String,
    phone: String,
    status: String,
}

#[derive(FromRow)]
struct ChildRow {
    registration_id: i64,
    position: i64,
    first_name: String,
    age: i64,
    checked_in_at: Option<i64>,
}

#[async_trait]
impl DoorStore for SqliteStore {
    async fn active_registration_nonce(&self, event_id: i64, code: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT token_nonce FROM registrations WHERE event_id = ? AND code = ? AND status IN ('confirmed', 'waitlisted')",
        )
        .bind(event_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn door_list(&self, event_id: i64) -> Result<Vec<DoorRegistration>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<DoorRow> = sqlx::query_as(
            "SELECT id, code, parent_name, phone, status FROM registrations \
             WHERE event_id = ?1 AND status IN ('confirmed', 'waitlisted') ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?;
        let children: Vec<ChildRow> = sqlx::query_as(
            "SELECT c.registration_id, c.position, c.first_name, c.age, c.checked_in_at \
             FROM registration_children c JOIN registrations r ON r.id = c.registration_id \
             WHERE r.event_id = ?1 AND r.status IN ('confirmed', 'waitlisted') ORDER BY c.registration_id, c.position",
        )
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(DoorRegistration {
                    children: children
                        .iter()
                        .filter(|child| child.registration_id == row.id)
                        .map(|child| {
                            Ok(DoorChild {
                                position: rows::int(child.position, || format!("registration {} child", row.id))?,
                                first_name: child.first_name.clone(),
                                age: rows::int(child.age, || format!("registration {} child age", row.id))?,
                                checked_in: child.checked_in_at.is_some(),
                            })
                        })
                        .collect::<Result<_, StoreError>>()?,
                    code: row.code,
                    parent_name: row.parent_name,
                    phone: row.phone,
                    waitlisted: row.status == "waitlisted",
                })
            })
            .collect()
    }

    async fn set_checked_in(
        &self,
        event_id: i64,
        code: &str,
        position: u32,
        at: Option<i64>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT c.checked_in_at FROM registration_children c JOIN registrations r ON r.id = c.registration_id \
             WHERE r.event_id = ?1 AND r.code = ?2 AND r.status = 'confirmed' AND c.position = ?3",
        )
        .bind(event_id)
        .bind(code)
        .bind(i64::from(position))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else { return Ok(false) };
        sqlx::query(
            "UPDATE registration_children SET checked_in_at = ?3 \
             WHERE position = ?2 AND registration_id = (SELECT id FROM registrations WHERE event_id = ?1 AND code = ?4)",
        )
        .bind(event_id)
        .bind(i64::from(position))
        .bind(at)
        .bind(code)
        .execute(&mut *tx)
        .await?;
        if before.is_some() != at.is_some() {
            // The registration by its code and the child by position: no names in the log.
            let entry = AuditEntry {
                at: at.unwrap_or_else(crate::server::time::now),
                actor: actor.clone(),
                action: "registration.check_in",
                entity: "registration",
                entity_id: code.to_owned(),
                before: Some(serde_json::json!({ "child": position, "checked_in": before.is_some() })),
                after: Some(serde_json::json!({ "child": position, "checked_in": at.is_some() })),
            };
            super::sqlite_audit::write(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
