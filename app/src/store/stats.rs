use super::{Store, StoreError};
use crate::model::Overview;
use sqlx::Row;

impl Store {
    /// Headline activity since `since` (unix ms): the seed of the adoption dashboard.
    /// "Active" here means posted, commented or reacted in the period.
    pub async fn overview(&self, since: i64) -> Result<Overview, StoreError> {
        let r = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM ( \
                  SELECT author_id AS who FROM posts WHERE created_at >= $1 AND deleted_at IS NULL \
                  UNION SELECT author_id FROM comments WHERE created_at >= $1 AND deleted_at IS NULL \
                  UNION SELECT user_id FROM reactions WHERE created_at >= $1) active), \
               (SELECT COUNT(*) FROM channels WHERE kind <> 'private' AND archived_at IS NULL), \
               (SELECT COUNT(*) FROM posts WHERE created_at >= $1 AND deleted_at IS NULL), \
               (SELECT COUNT(*) FROM comments WHERE created_at >= $1 AND deleted_at IS NULL), \
               (SELECT COUNT(*) FROM reactions WHERE created_at >= $1)",
        )
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(Overview {
            active_people: r.try_get(0)?,
            channels: r.try_get(1)?,
            posts: r.try_get(2)?,
            comments: r.try_get(3)?,
            reactions: r.try_get(4)?,
        })
    }
}
