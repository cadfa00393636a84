//! PostgreSQL: changes go to the other instances by `NOTIFY` on one channel, each tagged with
//! the instance that made it (which does not act on its own).
use super::PgStore;
use crate::server::store::{Change, ChangeFeed, Heard, StoreError};
use async_trait::async_trait;
use sqlx::postgres::PgListener;
use std::time::Duration;

const CHANNEL: &str = "ngo_portal_changes";

#[async_trait]
impl ChangeFeed for PgStore {
    async fn announce(&self, change: Change) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{}:{}", self.instance, change.as_str()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn listen(&self) -> Result<Option<Heard>, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        let (heard, hearing) = tokio::sync::mpsc::channel(64);
        let own = format!("{}:", self.instance);
        tokio::spawn(async move {
            loop {
                let change = match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        let payload = notification.payload();
                        if payload.starts_with(&own) {
                            continue;
                        }
                        payload.split_once(':').and_then(|(_, change)| Change::parse(change))
                    }
                    // The connection was lost and is made again by the next call: what was
                    // said meanwhile is unknown, so everything counts as changed.
                    Ok(None) => Some(Change::Content),
                    Err(error) => {
                        tracing::warn!(%error, "listening for other instances' changes failed; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        Some(Change::Content)
                    }
                };
                if let Some(change) = change
                    && heard.send(change).await.is_err()
                {
                    break;
                }
            }
        });
        Ok(Some(hearing))
    }
}
