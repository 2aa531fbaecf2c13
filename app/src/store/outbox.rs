//! What the two outboxes (`mail_outbox`, `push_outbox`) share: several instances may run
//! the background sender, and each due row must go to exactly one of them. A row is
//! claimed until a time; a claim that was never ended (its instance stopped) lapses and
//! the row is claimed again.

use super::{Store, StoreError};
use sqlx::any::AnyRow;

#[derive(Clone, Copy, Debug)]
pub(super) enum Outbox {
    Mail,
    Push,
}

impl Outbox {
    fn table(self) -> &'static str {
        match self {
            Outbox::Mail => "mail_outbox",
            Outbox::Push => "push_outbox",
        }
    }

    /// Rows still to send. Mail keeps a sent row (`done_at`): it is the record that a
    /// digest went once. A push row is deleted once it is sent.
    fn open(self) -> &'static str {
        match self {
            Outbox::Mail => "done_at IS NULL AND ",
            Outbox::Push => "",
        }
    }
}

impl Store {
    /// Claims up to `limit` rows of `outbox` that are due at `now` and that no running
    /// instance holds, holding them until `hold_until`; answers their `returning`
    /// columns. Exactly one claimer gets each row: on PostgreSQL a second one waits for
    /// the first one's row lock and then no longer matches; on SQLite writers take turns.
    pub(super) async fn claim_outbox(
        &self,
        outbox: Outbox,
        returning: &str,
        now: i64,
        hold_until: i64,
        limit: i64,
    ) -> Result<Vec<AnyRow>, StoreError> {
        let (table, open) = (outbox.table(), outbox.open());
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&format!(
            "UPDATE {table} SET claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM {table} WHERE {open}next_try_at <= $1 \
                            AND (claimed_until IS NULL OR claimed_until <= $1) \
                          ORDER BY next_try_at LIMIT $3) \
               AND {open}(claimed_until IS NULL OR claimed_until <= $1) \
             RETURNING {returning}"
        ))
        .bind(now)
        .bind(hold_until)
        .bind(limit)
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Puts a claimed row of `outbox` back, to be tried again at `next_try_at`; the
    /// mail outbox also keeps `why` (its `outcome` says what last happened to a row).
    pub(super) async fn put_back(
        &self,
        outbox: Outbox,
        id: i64,
        next_try_at: i64,
        why: &str,
    ) -> Result<(), StoreError> {
        let note = match outbox {
            Outbox::Mail => ", outcome = $3",
            Outbox::Push => "",
        };
        let sql = format!(
            "UPDATE {} SET next_try_at = $1, claimed_until = NULL{note} WHERE id = $2",
            outbox.table()
        );
        let mut query = sqlx::query(&sql).bind(next_try_at).bind(id);
        if !note.is_empty() {
            query = query.bind(why);
        }
        let mut tx = self.begin().await?;
        query.execute(&mut *tx.tx).await?;
        tx.commit().await
    }
}
