//! PostgreSQL: changes go to the other instances by `NOTIFY` on one channel, each tagged with
//! the instance that made it (which does not act on its own).
use super::PgStore;
use crate::server::store::{Change, ChangeFeed, Heard, StoreError};
use async_trait::async_trait;
use sqlx::postgres::PgListener;
use std::time::Duration;

const CHANNEL: &str = "ngo_portal_changes";

/// A connection listening on the channel.
async fn listener(pool: &sqlx::PgPool) -> Result<PgListener, StoreError> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

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
        let first = listener(&self.pool).await?;
        let (heard, hearing) = tokio::sync::mpsc::channel(64);
        let own = format!("{}:", self.instance);
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut connected = Some(first);
            let mut warned = false;
            loop {
                let mut current = match connected.take() {
                    Some(current) => current,
                    // Heard again after a gap: what was said meanwhile is unknown, so
                    // everything counts as changed. Not while the database is away: the pages
                    // kept meanwhile are the best there is to serve.
                    None => match listener(&pool).await {
                        Ok(current) => {
                            warned = false;
                            if heard.send(Change::Content).await.is_err() {
                                break;
                            }
                            current
                        }
                        Err(error) => {
                            if !warned {
                                tracing::warn!(%error, "not hearing other instances' changes; retrying");
                                warned = true;
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                            continue;
                        }
                    },
                };
                // Until the connection is lost (`Ok(None)`) or fails.
                while let Ok(Some(notification)) = current.try_recv().await {
                    let payload = notification.payload();
                    let change = payload.strip_prefix(&own).map_or_else(
                        || payload.split_once(':').and_then(|(_, change)| Change::parse(change)),
                        |_| None,
                    );
                    if let Some(change) = change
                        && heard.send(change).await.is_err()
                    {
                        return;
                    }
                }
            }
        });
        Ok(Some(hearing))
    }
}
