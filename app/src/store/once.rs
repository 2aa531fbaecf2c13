//! Writes done once per person and client-made id (`client_writes`): a post or comment
//! sent again (written offline, or its answer lost) is not written twice.

use super::{Store, StoreError};
use crate::model::PersonId;

/// What claiming an id found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This request claimed it: it writes, then records the result.
    Mine,
    /// An earlier request wrote this; its result.
    Done(i64),
    /// An earlier request is writing it now.
    Running,
}

impl Store {
    /// Claims `client_id` for `user_id`, taking over a claim older than `stale_before`
    /// whose request never finished (its instance stopped).
    pub async fn claim_client_write(
        &self,
        user_id: PersonId,
        client_id: &str,
        now: i64,
        stale_before: i64,
    ) -> Result<Claim, StoreError> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO client_writes (user_id, client_id, claimed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, client_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(client_id)
        .bind(now)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        let claim = if inserted == 1 {
            Claim::Mine
        } else {
            let taken_over = sqlx::query(
                "UPDATE client_writes SET claimed_at = $3 WHERE user_id = $1 AND client_id = $2 \
                 AND result_id IS NULL AND claimed_at < $4",
            )
            .bind(user_id)
            .bind(client_id)
            .bind(now)
            .bind(stale_before)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
            if taken_over == 1 {
                Claim::Mine
            } else {
                let result: Option<Option<i64>> = sqlx::query_scalar(
                    "SELECT result_id FROM client_writes WHERE user_id = $1 AND client_id = $2",
                )
                .bind(user_id)
                .bind(client_id)
                .fetch_optional(&mut *tx.tx)
                .await?;
                match result.flatten() {
                    Some(id) => Claim::Done(id),
                    None => Claim::Running,
                }
            }
        };
        tx.commit().await?;
        Ok(claim)
    }

    /// Records what a claimed write wrote.
    pub async fn finish_client_write(
        &self,
        user_id: PersonId,
        client_id: &str,
        result_id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE client_writes SET result_id = $3 WHERE user_id = $1 AND client_id = $2",
        )
        .bind(user_id)
        .bind(client_id)
        .bind(result_id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Gives up a claim whose write was refused, so that the same id may try again.
    pub async fn release_client_write(
        &self,
        user_id: PersonId,
        client_id: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM client_writes WHERE user_id = $1 AND client_id = $2 AND result_id IS NULL",
        )
        .bind(user_id)
        .bind(client_id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Forgets up to 1,000 of the ids claimed before `before` (a bounded delete, so the
    /// writer's lock is held briefly; the next round takes more); answers how many.
    pub async fn forget_client_writes(&self, before: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let gone = sqlx::query(
            "DELETE FROM client_writes WHERE (user_id, client_id) IN \
             (SELECT user_id, client_id FROM client_writes WHERE claimed_at < $1 LIMIT 1000)",
        )
        .bind(before)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(gone)
    }
}
