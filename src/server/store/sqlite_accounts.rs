//! SQLite: accounts, sessions and the sign-in throttle.
use super::accounts::{ACCOUNT_COLUMNS, AccountRow, AccountSummaryRow, AdminEventRow, disabled_entry};
use super::rows;
use super::{
    AccountChange, AccountRecord, AccountRefusal, AccountStore, AccountSummary, Actor, AdminEventRecord, AttemptCount,
    NewAccount, NewSession, SqliteStore, StoreError, ThrottlePolicy,
};
use crate::domain::Lang;
use async_trait::async_trait;

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_account(&self, account: &NewAccount, now: i64, actor: &Actor) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (email, display_name, role, password_hash, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&account.email)
        .bind(&account.display_name)
        .bind(account.role.as_str())
        .bind(&account.password_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Duplicate)?;
        super::sqlite_audit::write(&mut tx, &account.created_entry(now, actor)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = ? AND a.disabled_at IS NULL"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?
        .map(AccountRecord::try_from)
        .transpose()
    }

    async fn create_session(&self, session: NewSession<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
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
        // Marked seen at most once a minute: a page's several requests write once.
        let touched = sqlx::query(
            "UPDATE sessions SET last_seen_at = ?2 \
             WHERE token_hash = ?1 AND expires_at > ?2 AND last_seen_at > ?2 - ?3 AND last_seen_at < ?2 - 60",
        )
        .bind(token_hash)
        .bind(now)
        .bind(idle)
        .execute(&self.pool)
        .await?;
        let _ = touched;
        let account = sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3 AND a.disabled_at IS NULL"
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
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, account_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = ?")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn sign_in_locked_until(&self, key: &str, now: i64) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT locked_until FROM sign_in_failures WHERE email = ? AND locked_until > ?",
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
        // One statement: concurrent attempts (several instances) all count. An attempt after
        // the window starts a new count.
        let (attempts, locked_until) = sqlx::query_as::<_, (i64, Option<i64>)>(
            "INSERT INTO sign_in_failures (email, failures, first_failed_at, locked_until) \
             VALUES (?1, 1, ?2, CASE WHEN ?3 <= 1 THEN ?2 + ?5 END) \
             ON CONFLICT (email) DO UPDATE SET \
               failures = CASE WHEN first_failed_at <= ?2 - ?4 THEN 1 ELSE failures + 1 END, \
               first_failed_at = CASE WHEN first_failed_at <= ?2 - ?4 THEN ?2 ELSE first_failed_at END, \
               locked_until = CASE \
                 WHEN first_failed_at > ?2 - ?4 AND failures + 1 = ?3 THEN ?2 + ?5 \
                 WHEN first_failed_at <= ?2 - ?4 AND ?3 <= 1 THEN ?2 + ?5 \
                 ELSE locked_until END \
             RETURNING failures, locked_until",
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
        sqlx::query("DELETE FROM sign_in_failures WHERE email = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn purge_sign_in_data(&self, now: i64, idle: i64, failures_before: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?1 - ?2")
            .bind(now)
            .bind(idle)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "DELETE FROM sign_in_failures WHERE first_failed_at < ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let Some((email, role, disabled_at)) = sqlx::query_as::<_, (String, String, Option<i64>)>(
            "SELECT email, role, disabled_at FROM accounts WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Err(AccountRefusal::NotFound));
        };
        if change.removes_admin(&role, disabled_at) {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?",
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
                sqlx::query("UPDATE accounts SET role = ? WHERE id = ?")
                    .bind(new.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            AccountChange::Disabled(off) => {
                sqlx::query("UPDATE accounts SET disabled_at = ? WHERE id = ?")
                    .bind(AccountChange::disabled_at(*off, disabled_at, now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            AccountChange::PasswordHash(hash) => {
                sqlx::query("UPDATE accounts SET password_hash = ? WHERE id = ?")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if change.ends_sessions() {
            sqlx::query("DELETE FROM sessions WHERE account_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = change.audit_entry(email, &role, disabled_at, now, actor);
        super::sqlite_audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn set_account_disabled(
        &self,
        email: &str,
        disabled_at: Option<i64>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // Only a real change (on to off or back) is made and recorded.
        let changed = sqlx::query(
            "UPDATE accounts SET disabled_at = ?2 WHERE email = ?1 AND (disabled_at IS NULL) <> (?2 IS NULL)",
        )
        .bind(email)
        .bind(disabled_at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if changed {
            super::sqlite_audit::write(&mut tx, &disabled_entry(email, disabled_at, actor)).await?;
        }
        if disabled_at.is_some() {
            sqlx::query("DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE email = ?)")
                .bind(email)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn assign_organiser(&self, event_id: i64, account_id: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO event_organisers (event_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(event_id)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn organises(&self, account_id: i64, event_id: i64) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM event_organisers WHERE account_id = ? AND event_id = ?")
                .bind(account_id)
                .bind(event_id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    async fn admin_events(&self, lang: Lang, organiser: Option<i64>) -> Result<Vec<AdminEventRecord>, StoreError> {
        let rows = sqlx::query_as::<_, AdminEventRow>(
            "SELECT e.id, e.slug, t.title, e.starts_at, e.capacity, e.confirmed_children, \
               (SELECT COALESCE(SUM(r.children_count), 0) FROM registrations r \
                 WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted_children, \
               e.status \
             FROM events e JOIN event_translations t ON t.event_id = e.id AND t.lang = ?1 \
             WHERE ?2 IS NULL OR e.id IN (SELECT event_id FROM event_organisers WHERE account_id = ?2) \
             ORDER BY e.starts_at DESC",
        )
        .bind(lang.code())
        .bind(organiser)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AdminEventRecord::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::model::Role;

    async fn store() -> (SqliteStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}/accounts.db", dir.path().display());
        (SqliteStore::connect(&url).await.expect("store"), dir)
    }

    async fn account(store: &SqliteStore, email: &str, role: Role) -> i64 {
        let account = NewAccount {
            email: email.into(),
            display_name: email.into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        };
        store
            .create_account(&account, 0, &Actor::system("test"))
            .await
            .expect("created")
    }

    const IDLE: i64 = 3600;

    #[tokio::test]
    async fn a_session_ends_when_idle_and_at_its_absolute_end() {
        let (store, _dir) = store().await;
        let id = account(&store, "editor@example.org", Role::Editor).await;
        let session = |hash: &'static [u8]| NewSession {
            token_hash: hash,
            account_id: id,
            now: 1_000,
            expires_at: 1_000 + 3 * IDLE,
        };
        store.create_session(session(b"active")).await.unwrap();
        store.create_session(session(b"idle")).await.unwrap();
        // Used every 50 minutes, it lives on until its absolute end…
        for now in [4_000, 7_000, 10_000] {
            assert!(
                store.session_account(b"active", now, IDLE).await.unwrap().is_some(),
                "{now}"
            );
        }
        assert!(
            store
                .session_account(b"active", 1_000 + 3 * IDLE, IDLE)
                .await
                .unwrap()
                .is_none()
        );
        // …while one unused for longer than the idle limit is over, and stays over.
        assert!(
            store
                .session_account(b"idle", 1_000 + IDLE + 1, IDLE)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.session_account(b"idle", 1_001, IDLE).await.unwrap().is_none(),
            "deleted"
        );
    }

    #[tokio::test]
    async fn a_disabled_account_signs_in_nowhere() {
        let (store, _dir) = store().await;
        let id = account(&store, "gone@example.org", Role::Organiser).await;
        store
            .create_session(NewSession {
                token_hash: b"t",
                account_id: id,
                now: 0,
                expires_at: 100,
            })
            .await
            .unwrap();
        sqlx::query("UPDATE accounts SET disabled_at = 1")
            .execute(&store.pool)
            .await
            .unwrap();
        assert!(store.session_account(b"t", 1, IDLE).await.unwrap().is_none());
        assert!(store.account_by_email("gone@example.org").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn attempts_lock_a_key_within_the_window_only() {
        let (store, _dir) = store().await;
        let policy = ThrottlePolicy {
            max_failures: 3,
            window: 600,
            lock_for: 900,
        };
        let key = "someone@example.org";
        let count = |now| store.count_sign_in_attempt(key, now, policy);
        // Two attempts, then a long pause: the count starts again.
        assert_eq!(
            count(0).await.unwrap(),
            AttemptCount {
                attempts: 1,
                locked_until: None
            }
        );
        assert_eq!(count(10).await.unwrap().attempts, 2);
        assert_eq!(
            count(700).await.unwrap(),
            AttemptCount {
                attempts: 1,
                locked_until: None
            }
        );
        assert_eq!(count(710).await.unwrap().attempts, 2);
        assert_eq!(
            count(720).await.unwrap(),
            AttemptCount {
                attempts: 3,
                locked_until: Some(1_620)
            }
        );
        // Attempts made while locked count on and do not move the lock.
        assert_eq!(
            count(730).await.unwrap(),
            AttemptCount {
                attempts: 4,
                locked_until: Some(1_620)
            }
        );
        assert_eq!(store.sign_in_locked_until(key, 1_000).await.unwrap(), Some(1_620));
        assert_eq!(store.sign_in_locked_until(key, 1_620).await.unwrap(), None, "over");
        assert_eq!(
            store.sign_in_locked_until("other@example.org", 1_000).await.unwrap(),
            None
        );
        store.clear_sign_in_failures(key).await.unwrap();
        assert_eq!(store.sign_in_locked_until(key, 1_000).await.unwrap(), None);
    }

    #[tokio::test]
    async fn sessions_ended_by_idleness_are_purged_too() {
        let (store, _dir) = store().await;
        let id = account(&store, "editor@example.org", Role::Editor).await;
        for (hash, now) in [(&b"old"[..], 0), (&b"recent"[..], 5_000)] {
            store
                .create_session(NewSession {
                    token_hash: hash,
                    account_id: id,
                    now,
                    expires_at: now + 100_000,
                })
                .await
                .unwrap();
        }
        store.purge_sign_in_data(6_000, IDLE, 0).await.unwrap();
        let left: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        assert_eq!(left, [b"recent".to_vec()]);
    }

    #[tokio::test]
    async fn disabling_an_account_ends_its_sessions() {
        let (store, _dir) = store().await;
        let id = account(&store, "demo@example.org", Role::Editor).await;
        store
            .create_session(NewSession {
                token_hash: b"t",
                account_id: id,
                now: 0,
                expires_at: 100,
            })
            .await
            .unwrap();
        store
            .set_account_disabled("demo@example.org", Some(1), &Actor::system("test"))
            .await
            .unwrap();
        assert!(store.account_by_email("demo@example.org").await.unwrap().is_none());
        store
            .set_account_disabled("demo@example.org", None, &Actor::system("test"))
            .await
            .unwrap();
        assert!(store.account_by_email("demo@example.org").await.unwrap().is_some());
        assert!(
            store.session_account(b"t", 1, IDLE).await.unwrap().is_none(),
            "the session did not come back"
        );
    }

    #[tokio::test]
    async fn an_address_has_one_account() {
        let (store, _dir) = store().await;
        account(&store, "one@example.org", Role::Admin).await;
        let again = NewAccount {
            email: "one@example.org".into(),
            display_name: "Again".into(),
            role: Role::Editor,
            password_hash: String::new(),
        };
        assert!(matches!(
            store.create_account(&again, 0, &Actor::system("test")).await,
            Err(StoreError::Duplicate)
        ));
    }
}
