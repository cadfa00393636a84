//! PostgreSQL: accounts, sessions and the sign-in throttle, shared by every app instance.
use super::PgStore;
use crate::domain::Lang;
use crate::server::store::accounts::{ACCOUNT_COLUMNS, AccountRow, AccountSummaryRow, AdminEventRow, disabled_entry};
use crate::server::store::{
    AccountChange, AccountRecord, AccountRefusal, AccountStore, AccountSummary, Actor, AdminEventRecord, AttemptCount,
    NewAccount, NewSession, StoreError, ThrottlePolicy, rows,
};
use async_trait::async_trait;

#[async_trait]
impl AccountStore for PgStore {
    async fn create_account(&self, account: &NewAccount, now: i64, actor: &Actor) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (email, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&account.email)
        .bind(&account.display_name)
        .bind(account.role.as_str())
        .bind(&account.password_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Duplicate)?;
        super::audit::write(&mut tx, &account.created_entry(now, actor)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1 AND a.disabled_at IS NULL"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?
        .map(AccountRecord::try_from)
        .transpose()
    }

    async fn create_session(&self, session: NewSession<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.token_hash)
        .bind(session.account_id)
        .bind(session.now)
        .bind(session.now)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_account(
        &self,
        token_hash: &[u8],
        now: i64,
        idle: i64,
    ) -> Result<Option<AccountRecord>, StoreError> {
        // Marked seen at most once a minute: a page's several requests write once. (Requests
        // of one page served by two instances at once both match; the later write wins, and
        // both write the same instant give or take a second.)
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 \
             WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $2 - $3 AND last_seen_at < $2 - 60",
        )
        .bind(token_hash)
        .bind(now)
        .bind(idle)
        .execute(&self.pool)
        .await?;
        let account = sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2 - $3 AND a.disabled_at IS NULL"
        ))
        .bind(token_hash)
        .bind(now)
        .bind(idle)
        .fetch_optional(&self.pool)
        .await?;
        if account.is_none() {
            self.delete_session(token_hash).await?;
        }
        account.map(AccountRecord::try_from).transpose()
    }

    async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, account_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn sign_in_locked_until(&self, key: &str, now: i64) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT locked_until FROM sign_in_failures WHERE email = $1 AND locked_until > $2",
        )
        .bind(key)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn count_sign_in_attempt(
        &self,
        key: &str,
        now: i64,
        policy: ThrottlePolicy,
    ) -> Result<AttemptCount, StoreError> {
        // One statement: concurrent attempts (several instances) all count. PostgreSQL makes a
        // second insert of the key wait for the first and then take the update branch on the
        // row as committed. An attempt after the window starts a new count.
        let (attempts, locked_until) = sqlx::query_as::<_, (i64, Option<i64>)>(
            "INSERT INTO sign_in_failures AS f (email, failures, first_failed_at, locked_until) \
             VALUES ($1, 1, $2, CASE WHEN $3 <= 1 THEN $2 + $5 END) \
             ON CONFLICT (email) DO UPDATE SET \
               failures = CASE WHEN f.first_failed_at <= $2 - $4 THEN 1 ELSE f.failures + 1 END, \
               first_failed_at = CASE WHEN f.first_failed_at <= $2 - $4 THEN $2 ELSE f.first_failed_at END, \
               locked_until = CASE \
                 WHEN f.first_failed_at > $2 - $4 AND f.failures + 1 = $3 THEN $2 + $5 \
                 WHEN f.first_failed_at <= $2 - $4 AND $3 <= 1 THEN $2 + $5 \
                 ELSE f.locked_until END \
             RETURNING f.failures, f.locked_until",
        )
        .bind(key)
        .bind(now)
        .bind(i64::from(policy.max_failures))
        .bind(policy.window)
        .bind(policy.lock_for)
        .fetch_one(&self.pool)
        .await?;
        Ok(AttemptCount {
            attempts: rows::int(attempts, || "sign-in attempts".to_owned())?,
            locked_until: locked_until.filter(|until| *until > now),
        })
    }

    async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn purge_sign_in_data(&self, now: i64, idle: i64, failures_before: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1 - $2")
            .bind(now)
            .bind(idle)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "DELETE FROM sign_in_failures WHERE first_failed_at < $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(failures_before)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn accounts(&self) -> Result<Vec<AccountSummary>, StoreError> {
        let rows: Vec<AccountSummaryRow> = sqlx::query_as(
            "SELECT a.id, a.email, a.display_name, a.role, a.disabled_at, a.created_at, \
                    (SELECT COUNT(*) FROM event_organisers o WHERE o.account_id = a.id) AS events \
             FROM accounts a ORDER BY a.display_name, a.email, a.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AccountSummary::try_from).collect()
    }

    async fn change_account(
        &self,
        id: i64,
        change: &AccountChange,
        actor: &Actor,
    ) -> Result<Result<(), AccountRefusal>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Whether another active admin is left is a read-then-write: lock the active admins
        // (in id order, so two changes never wait on each other in a circle), then the account
        // itself. Of two demotions of the last two admins the second waits here, then finds
        // the first's account no longer an admin and is refused.
        sqlx::query("SELECT id FROM accounts WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE")
            .execute(&mut *tx)
            .await?;
        let Some((email, role, disabled_at)) = sqlx::query_as::<_, (String, String, Option<i64>)>(
            "SELECT email, role, disabled_at FROM accounts WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Err(AccountRefusal::NotFound));
        };
        if change.removes_admin(&role, disabled_at) {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if others == 0 {
                return Ok(Err(AccountRefusal::LastAdmin));
            }
        }
        let now = crate::server::time::now();
        match change {
            AccountChange::Role(new) => {
                sqlx::query("UPDATE accounts SET role = $1 WHERE id = $2")
                    .bind(new.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            AccountChange::Disabled(off) => {
                sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2")
                    .bind(AccountChange::disabled_at(*off, disabled_at, now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            AccountChange::PasswordHash(hash) => {
                sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if change.ends_sessions() {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = change.audit_entry(email, &role, disabled_at, now, actor);
        super::audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn set_account_disabled(
        &self,
        email: &str,
        disabled_at: Option<i64>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Only a real change (on to off or back) is made and recorded. The UPDATE locks the
        // row and re-checks its condition on the committed row: of two instances making the
        // same change, one records it.
        let changed = sqlx::query(
            "UPDATE accounts SET disabled_at = $2 \
             WHERE email = $1 AND (disabled_at IS NULL) <> ($2::BIGINT IS NULL)",
        )
        .bind(email)
        .bind(disabled_at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if changed {
            super::audit::write(&mut tx, &disabled_entry(email, disabled_at, actor)).await?;
        }
        if disabled_at.is_some() {
            sqlx::query("DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE email = $1)")
                .bind(email)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn assign_organiser(&self, event_id: i64, account_id: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO event_organisers (event_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(event_id)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn organises(&self, account_id: i64, event_id: i64) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM event_organisers WHERE account_id = $1 AND event_id = $2)",
        )
        .bind(account_id)
        .bind(event_id)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn admin_events(&self, lang: Lang, organiser: Option<i64>) -> Result<Vec<AdminEventRecord>, StoreError> {
        let rows = sqlx::query_as::<_, AdminEventRow>(
            "SELECT e.id, e.slug, t.title, e.starts_at, e.capacity, e.confirmed_children, \
               (SELECT COALESCE(SUM(r.children_count), 0)::BIGINT FROM registrations r \
                 WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted_children, \
               e.status \
             FROM events e JOIN event_translations t ON t.event_id = e.id AND t.lang = $1 \
             WHERE $2::BIGINT IS NULL OR e.id IN (SELECT event_id FROM event_organisers WHERE account_id = $2) \
             ORDER BY e.starts_at DESC",
        )
        .bind(lang.code())
        .bind(organiser)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AdminEventRecord::try_from).collect()
    }
}
