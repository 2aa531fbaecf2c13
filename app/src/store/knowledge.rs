//! Knowledge pages: pages in a space (the company, a channel, a department), their
//! versions, and the notifications that name them. Every read that returns a page to a
//! person composes [`VISIBLE_PAGE`].

use super::people::{person_columns, person_named};
use super::rules::{visible_page, visible_page_for_reader, visible_person};
use super::search::EntryKind;
use super::{Reader, Store, StoreError, Tx};
use crate::folding::fold;
use crate::model::knowledge::{SpaceKey, DAY_MS};
use crate::model::{
    ChannelId, ChannelKind, DepartmentId, LiveKind, NotificationKind, PageId, PersonId, PersonRef,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A page being written for the first time.
pub struct NewPage<'a> {
    pub space: SpaceKey,
    pub parent_id: Option<PageId>,
    pub title: &'a str,
    pub body: &'a str,
    pub owner_id: PersonId,
    pub review_days: i64,
    pub by: PersonId,
    pub at: i64,
}

/// A page as stored, with its space's name and the people it names.
#[derive(Clone, Debug)]
pub struct PageRecord {
    pub id: PageId,
    pub space: SpaceKey,
    /// A channel's or department's name (empty for the company).
    pub space_name: String,
    pub channel_slug: Option<String>,
    pub parent_id: Option<PageId>,
    pub title: String,
    /// Empty in lists; the Markdown when one page is read.
    pub body: String,
    pub owner: PersonRef,
    pub review_days: i64,
    pub verified_at: i64,
    pub verified_by: Option<PersonRef>,
    pub version: i64,
    pub updated_at: i64,
    pub updated_by: Option<PersonRef>,
}

impl PageRecord {
    pub fn due_at(&self) -> i64 {
        self.verified_at + self.review_days * DAY_MS
    }
}

/// Where a person stands in a page's space: what the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct PageStanding {
    pub space: SpaceKey,
    pub owner_id: PersonId,
    /// The channel's kind, for a channel's page.
    pub channel_kind: Option<ChannelKind>,
    /// `None`: not in the channel; `Some(true)`: its admin.
    pub channel_membership: Option<bool>,
    /// The person belongs to the page's department.
    pub in_department: bool,
}

/// One saved version of a page.
#[derive(Clone, Debug)]
pub struct PageVersionRecord {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub edited_by: Option<PersonRef>,
    pub edited_at: i64,
    pub restored_from: Option<i64>,
}

/// A page due for review whose owner has not been reminded in this period.
#[derive(Clone, Copy, Debug)]
pub struct DueReminder {
    pub id: PageId,
    pub owner_id: PersonId,
    pub verified_at: i64,
}

/// What [`page_record`] reads (with `{body}` standing for the body or `''`).
fn columns(body: &str) -> String {
    format!(
        "pg.id, pg.space_kind, pg.channel_id, pg.department_id, \
         COALESCE(sc.name, sd.name, '') AS space_name, sc.slug AS channel_slug, pg.parent_id, \
         pg.title, {body} AS body, pg.review_days, pg.verified_at, pg.version, pg.updated_at, \
         {}, {}, {} \
         FROM pages pg LEFT JOIN channels sc ON sc.id = pg.channel_id \
         LEFT JOIN departments sd ON sd.id = pg.department_id \
         JOIN users o ON o.id = pg.owner_id \
         LEFT JOIN users vb ON vb.id = pg.verified_by \
         LEFT JOIN users ub ON ub.id = pg.updated_by",
        person_columns("o", "owner"),
        person_columns("vb", "verifier"),
        person_columns("ub", "updater"),
    )
}

fn maybe_person(r: &AnyRow, prefix: &str) -> Result<Option<PersonRef>, StoreError> {
    match r.try_get::<Option<PersonId>, _>(format!("{prefix}_id").as_str())? {
        Some(_) => Ok(Some(person_named(r, prefix)?)),
        None => Ok(None),
    }
}

fn space_key(r: &AnyRow) -> Result<SpaceKey, StoreError> {
    let kind: String = r.try_get("space_kind")?;
    let channel: Option<ChannelId> = r.try_get("channel_id")?;
    let department: Option<DepartmentId> = r.try_get("department_id")?;
    match (kind.as_str(), channel, department) {
        ("company", _, _) => Ok(SpaceKey::Company),
        ("channel", Some(id), _) => Ok(SpaceKey::Channel(id)),
        ("department", _, Some(id)) => Ok(SpaceKey::Department(id)),
        _ => Err(StoreError::Corrupt("pages.space_kind")),
    }
}

fn page_record(r: &AnyRow) -> Result<PageRecord, StoreError> {
    Ok(PageRecord {
        id: r.try_get("id")?,
        space: space_key(r)?,
        space_name: r.try_get("space_name")?,
        channel_slug: r.try_get("channel_slug")?,
        parent_id: r.try_get("parent_id")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        owner: person_named(r, "owner")?,
        review_days: r.try_get("review_days")?,
        verified_at: r.try_get("verified_at")?,
        verified_by: maybe_person(r, "verifier")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
        updated_by: maybe_person(r, "updater")?,
    })
}

fn space_ids(space: SpaceKey) -> (Option<ChannelId>, Option<DepartmentId>) {
    match space {
        SpaceKey::Company => (None, None),
        SpaceKey::Channel(id) => (Some(id), None),
        SpaceKey::Department(id) => (None, Some(id)),
    }
}

impl Tx {
    /// Stores a new page and its first version; its creator's save verifies it.
    pub async fn create_page(&mut self, page: &NewPage<'_>) -> Result<PageId, StoreError> {
        let (channel, department) = space_ids(page.space);
        let id: PageId = sqlx::query_scalar(
            "INSERT INTO pages (space_kind, channel_id, department_id, parent_id, title, body, \
               search_text, owner_id, review_days, verified_at, verified_by, version, created_by, \
               created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $11, $10, $11, $10) \
             RETURNING id",
        )
        .bind(page.space.kind())
        .bind(channel)
        .bind(department)
        .bind(page.parent_id)
        .bind(page.title)
        .bind(page.body)
        .bind(fold(&format!("{}\n{}", page.title, page.body)))
        .bind(page.owner_id)
        .bind(page.review_days)
        .bind(page.at)
        .bind(page.by)
        .fetch_one(&mut *self.tx)
        .await?;
        self.add_page_version(id, 1, page.title, page.body, page.by, page.at, None)
            .await?;
        self.reindex(EntryKind::Page, id.0).await?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn add_page_version(
        &mut self,
        page: PageId,
        version: i64,
        title: &str,
        body: &str,
        by: PersonId,
        at: i64,
        restored_from: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO page_versions (page_id, version, title, body, edited_by, edited_at, \
               restored_from) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(page)
        .bind(version)
        .bind(title)
        .bind(body)
        .bind(by)
        .bind(at)
        .bind(restored_from)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Saves a new version of a page (text, place, review interval); `verify` also
    /// restarts its review clock. Returns the new version's number, or `None` when the
    /// page is gone.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_page(
        &mut self,
        id: PageId,
        title: &str,
        body: &str,
        parent_id: Option<PageId>,
        review_days: i64,
        verify: bool,
        restored_from: Option<i64>,
        by: PersonId,
        at: i64,
    ) -> Result<Option<i64>, StoreError> {
        let version: Option<i64> = sqlx::query_scalar(
            "UPDATE pages SET title = $1, body = $2, search_text = $3, parent_id = $4, \
               review_days = $5, version = version + 1, updated_by = $6, updated_at = $7, \
               verified_at = CASE WHEN $8 = 1 THEN $7 ELSE verified_at END, \
               verified_by = CASE WHEN $8 = 1 THEN $6 ELSE verified_by END, \
               review_reminded_at = CASE WHEN $8 = 1 THEN NULL ELSE review_reminded_at END \
             WHERE id = $9 AND deleted_at IS NULL RETURNING version",
        )
        .bind(title)
        .bind(body)
        .bind(fold(&format!("{title}\n{body}")))
        .bind(parent_id)
        .bind(review_days)
        .bind(by)
        .bind(at)
        .bind(i64::from(verify))
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(version) = version {
            self.add_page_version(id, version, title, body, by, at, restored_from)
                .await?;
            self.reindex(EntryKind::Page, id.0).await?;
        }
        Ok(version)
    }

    /// "Still true": restarts the page's review clock. `false` when the page is gone.
    pub async fn verify_page(
        &mut self,
        id: PageId,
        by: PersonId,
        at: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE pages SET verified_at = $1, verified_by = $2, review_reminded_at = NULL \
             WHERE id = $3 AND deleted_at IS NULL",
        )
        .bind(at)
        .bind(by)
        .bind(id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Gives a page a new owner.
    pub async fn set_page_owner(&mut self, id: PageId, owner: PersonId) -> Result<(), StoreError> {
        sqlx::query("UPDATE pages SET owner_id = $1 WHERE id = $2")
            .bind(owner)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        self.reindex(EntryKind::Page, id.0).await?;
        Ok(())
    }

    /// Claims the reminder of a page's current review period: `true` for exactly one
    /// caller however many instances try (the row lock on PostgreSQL, the one writer on
    /// SQLite), and never again until the page is verified and falls due once more.
    pub async fn claim_review_reminder(
        &mut self,
        page: &DueReminder,
        at: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE pages SET review_reminded_at = $1 WHERE id = $2 AND verified_at = $3 \
               AND deleted_at IS NULL AND owner_id = $4 \
               AND (review_reminded_at IS NULL OR review_reminded_at < verified_at + review_days * $5)",
        )
        .bind(at)
        .bind(page.id)
        .bind(page.verified_at)
        .bind(page.owner_id)
        .bind(DAY_MS)
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// A notification naming a page, and the live event that updates the badge.
    pub async fn notify_about_page(
        &mut self,
        user: PersonId,
        kind: NotificationKind,
        actor: Option<PersonId>,
        page: PageId,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, actor_id, page_id, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user)
        .bind(kind.as_str())
        .bind(actor)
        .bind(page)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        self.record_event(LiveKind::Notification, None, Some(user), None, actor, at)
            .await
    }

    /// The pages `owner` owns (not deleted), read inside this transaction.
    pub async fn pages_owned_by(
        &mut self,
        owner: PersonId,
    ) -> Result<Vec<(PageId, SpaceKey)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, space_kind, channel_id, department_id FROM pages \
             WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(owner)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, space_key(r)?)))
            .collect()
    }

    /// Who may take over a page from `leaving`, best first: their manager, the page's
    /// channel admins (oldest first), the company's owner, its admins — each active,
    /// and only those who may read the page ([`visible_page`]).
    pub async fn page_heirs(
        &mut self,
        page: PageId,
        leaving: PersonId,
    ) -> Result<Vec<PersonId>, StoreError> {
        let visible = visible_page("pg", "u.id", "CASE WHEN u.role = 'guest' THEN 1 ELSE 0 END");
        let sql = format!(
            "SELECT u.id, CASE \
               WHEN u.id = (SELECT manager_id FROM users WHERE id = $2) THEN 0 \
               WHEN EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = pg.channel_id \
                 AND cm.user_id = u.id AND cm.role = 'admin') THEN 1 \
               WHEN u.role = 'owner' THEN 2 WHEN u.role = 'admin' THEN 3 ELSE 9 END AS heir_rank, \
               COALESCE((SELECT cm.joined_at FROM channel_members cm WHERE cm.channel_id = pg.channel_id \
                 AND cm.user_id = u.id), 0) AS joined \
             FROM users u JOIN pages pg ON pg.id = $1 \
             WHERE u.is_active = 1 AND u.id <> $2 AND {visible} \
             ORDER BY heir_rank, joined, u.id"
        );
        let rows = sqlx::query(&sql)
            .bind(page)
            .bind(leaving)
            .fetch_all(&mut *self.tx)
            .await?;
        let mut heirs = Vec::new();
        for r in rows {
            if r.try_get::<i64, _>("heir_rank")? < 9 {
                heirs.push(r.try_get("id")?);
            }
        }
        Ok(heirs)
    }
}

impl Store {
    /// One page, if `reader` may read it.
    pub async fn page(&self, reader: Reader, id: PageId) -> Result<Option<PageRecord>, StoreError> {
        let sql = format!(
            "SELECT {} WHERE pg.id = $3 AND pg.deleted_at IS NULL AND {}",
            columns("pg.body"),
            visible_page_for_reader("pg")
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(page_record)
            .transpose()
    }

    /// Every page `reader` may read (without bodies), by space, then title.
    pub async fn readable_pages(&self, reader: Reader) -> Result<Vec<PageRecord>, StoreError> {
        let sql = format!(
            "SELECT {} WHERE pg.deleted_at IS NULL AND {} \
             ORDER BY pg.space_kind, pg.channel_id, pg.department_id, pg.title, pg.id",
            columns("''"),
            visible_page_for_reader("pg")
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(page_record)
            .collect()
    }

    /// `reader`'s own pages that are due for review at `now` and that they may still
    /// read, most overdue first.
    pub async fn review_queue(
        &self,
        reader: Reader,
        now: i64,
    ) -> Result<Vec<PageRecord>, StoreError> {
        let sql = format!(
            "SELECT {} WHERE pg.deleted_at IS NULL AND pg.owner_id = $1 \
               AND pg.verified_at + pg.review_days * $3 <= $4 AND {} \
             ORDER BY pg.verified_at + pg.review_days * $3, pg.id",
            columns("''"),
            visible_page_for_reader("pg")
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(DAY_MS)
            .bind(now)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(page_record)
            .collect()
    }

    /// The pages of one space as `(id, parent)`: what a move is checked against.
    pub async fn page_tree(
        &self,
        space: SpaceKey,
    ) -> Result<Vec<(PageId, Option<PageId>)>, StoreError> {
        let (channel, department) = space_ids(space);
        let rows = sqlx::query(
            "SELECT id, parent_id FROM pages WHERE deleted_at IS NULL AND space_kind = $1 \
               AND COALESCE(channel_id, 0) = COALESCE($2, 0) \
               AND COALESCE(department_id, 0) = COALESCE($3, 0)",
        )
        .bind(space.kind())
        .bind(channel)
        .bind(department)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("parent_id")?)))
            .collect()
    }

    /// Where `user` stands in page `id`'s space (`None`: no such page).
    pub async fn page_standing(
        &self,
        user: PersonId,
        id: PageId,
    ) -> Result<Option<PageStanding>, StoreError> {
        let row = sqlx::query(
            "SELECT pg.space_kind, pg.channel_id, pg.department_id, pg.owner_id, c.kind, \
               me.role AS my_role, \
               CASE WHEN u.department_id IS NOT NULL AND u.department_id = pg.department_id \
                 THEN 1 ELSE 0 END AS in_department \
             FROM pages pg LEFT JOIN channels c ON c.id = pg.channel_id \
             LEFT JOIN channel_members me ON me.channel_id = pg.channel_id AND me.user_id = $1 \
             LEFT JOIN users u ON u.id = $1 \
             WHERE pg.id = $2 AND pg.deleted_at IS NULL",
        )
        .bind(user)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let kind: Option<String> = r.try_get("kind")?;
        Ok(Some(PageStanding {
            space: space_key(&r)?,
            owner_id: r.try_get("owner_id")?,
            channel_kind: kind.as_deref().and_then(ChannelKind::parse),
            channel_membership: r
                .try_get::<Option<String>, _>("my_role")?
                .map(|role| role == "admin"),
            in_department: r.try_get::<i64, _>("in_department")? == 1,
        }))
    }

    /// Where `user` stands in a space a page may be started in: a channel's kind and
    /// their membership, or whether the department is theirs. `None`: no such space.
    pub async fn space_standing(
        &self,
        user: PersonId,
        space: SpaceKey,
    ) -> Result<Option<(crate::model::knowledge::Space, PageStanding)>, StoreError> {
        use crate::model::knowledge::Space;
        let standing = |channel_kind, channel_membership, in_department| PageStanding {
            space,
            owner_id: user,
            channel_kind,
            channel_membership,
            in_department,
        };
        match space {
            SpaceKey::Company => Ok(Some((
                Space {
                    key: space,
                    name: String::new(),
                    slug: None,
                },
                standing(None, None, false),
            ))),
            SpaceKey::Channel(id) => {
                let row = sqlx::query(
                    "SELECT c.name, c.slug, c.kind, me.role AS my_role FROM channels c \
                     LEFT JOIN channel_members me ON me.channel_id = c.id AND me.user_id = $1 \
                     WHERE c.id = $2 AND c.archived_at IS NULL",
                )
                .bind(user)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                let kind: String = r.try_get("kind")?;
                Ok(Some((
                    Space {
                        key: space,
                        name: r.try_get("name")?,
                        slug: Some(r.try_get("slug")?),
                    },
                    standing(
                        ChannelKind::parse(&kind),
                        r.try_get::<Option<String>, _>("my_role")?
                            .map(|role| role == "admin"),
                        false,
                    ),
                )))
            }
            SpaceKey::Department(id) => {
                let row = sqlx::query(
                    "SELECT d.name, CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = $1 \
                       AND u.department_id = d.id) THEN 1 ELSE 0 END AS mine \
                     FROM departments d WHERE d.id = $2",
                )
                .bind(user)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                Ok(Some((
                    Space {
                        key: space,
                        name: r.try_get("name")?,
                        slug: None,
                    },
                    standing(None, None, r.try_get::<i64, _>("mine")? == 1),
                )))
            }
        }
    }

    /// Pages `reader` may read whose text links to page `id` (`](/pages/{id})`).
    pub async fn pages_linking_to(
        &self,
        reader: Reader,
        id: PageId,
    ) -> Result<Vec<(PageId, String)>, StoreError> {
        let sql = format!(
            "SELECT pg.id, pg.title FROM pages pg WHERE pg.deleted_at IS NULL AND pg.id <> $3 \
               AND (pg.body LIKE $4 OR pg.body LIKE $5 OR pg.body LIKE $6) AND {} \
             ORDER BY pg.title, pg.id",
            visible_page_for_reader("pg")
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(id)
            .bind(format!("%](/pages/{id})%"))
            .bind(format!("%](/pages/{id}#%"))
            .bind(format!("%](/pages/{id} %"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
            .collect()
    }

    /// Every version of a page, oldest first (the caller has checked the reader may
    /// read the page).
    pub async fn page_versions(&self, id: PageId) -> Result<Vec<PageVersionRecord>, StoreError> {
        let sql = format!(
            "SELECT v.version, v.title, v.body, v.edited_at, v.restored_from, {} \
             FROM page_versions v LEFT JOIN users e ON e.id = v.edited_by \
             WHERE v.page_id = $1 ORDER BY v.version",
            person_columns("e", "editor")
        );
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PageVersionRecord {
                    version: r.try_get("version")?,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    edited_by: maybe_person(r, "editor")?,
                    edited_at: r.try_get("edited_at")?,
                    restored_from: r.try_get("restored_from")?,
                })
            })
            .collect()
    }

    /// Pages due for review at `now` whose active owner may read them and has not been
    /// reminded in this review period, oldest due first.
    pub async fn pages_due_for_reminder(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<DueReminder>, StoreError> {
        let visible = visible_page("pg", "o.id", "CASE WHEN o.role = 'guest' THEN 1 ELSE 0 END");
        let sql = format!(
            "SELECT pg.id, pg.owner_id, pg.verified_at FROM pages pg JOIN users o ON o.id = pg.owner_id \
             WHERE pg.deleted_at IS NULL AND o.is_active = 1 \
               AND pg.verified_at + pg.review_days * $1 <= $2 \
               AND (pg.review_reminded_at IS NULL \
                    OR pg.review_reminded_at < pg.verified_at + pg.review_days * $1) \
               AND {visible} \
             ORDER BY pg.verified_at + pg.review_days * $1, pg.id LIMIT $3"
        );
        sqlx::query(&sql)
            .bind(DAY_MS)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DueReminder {
                    id: r.try_get("id")?,
                    owner_id: r.try_get("owner_id")?,
                    verified_at: r.try_get("verified_at")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The pages right under page `id` that `reader` may read, by title.
    pub async fn page_children(
        &self,
        reader: Reader,
        id: PageId,
    ) -> Result<Vec<(PageId, String)>, StoreError> {
        let sql = format!(
            "SELECT pg.id, pg.title FROM pages pg WHERE pg.parent_id = $3 \
               AND pg.deleted_at IS NULL AND {} ORDER BY pg.title, pg.id",
            visible_page_for_reader("pg")
        );
        let rows = sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
            .collect()
    }
}

impl Tx {
    /// The company's owner, if active: who takes a page nobody else may.
    pub async fn company_owner(&mut self) -> Result<Option<PersonId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE role = 'owner' AND is_active = 1 ORDER BY id LIMIT 1",
        )
        .fetch_optional(&mut *self.tx)
        .await?)
    }
}

impl Store {
    /// Who may be given page `id` to keep: the active people, guests aside, who may read
    /// it ([`visible_page`]), by name. A guest keeps no page: they see only their
    /// channels, and a page outlives what one guest is shown.
    ///
    /// Only people `viewer` may see ([`visible_person`]): a guest who edits a page as its
    /// channel's admin is offered their channels' people, never the whole company.
    pub async fn possible_page_owners(
        &self,
        id: PageId,
        viewer: PersonId,
    ) -> Result<Vec<(PersonId, String)>, StoreError> {
        let sql = format!(
            "SELECT u.id, u.display_name AS name FROM users u JOIN pages pg ON pg.id = $1 \
             WHERE u.is_active = 1 AND u.role <> 'guest' AND pg.deleted_at IS NULL AND {} \
               AND {} ORDER BY u.display_name, u.id",
            visible_page("pg", "u.id", "0"),
            visible_person("u", "$2")
        );
        let rows = sqlx::query(&sql)
            .bind(id)
            .bind(viewer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect()
    }
}

impl Tx {
    /// Deletes page `id`: readers can no longer open, find or link to it (every read
    /// asks `deleted_at IS NULL`), and the pages right under it move up to its parent so
    /// none is lost from the tree. Its versions stay in the database. `false` when it
    /// was already gone.
    pub async fn delete_page(&mut self, id: PageId, at: i64) -> Result<bool, StoreError> {
        let parent: Option<Option<PageId>> = sqlx::query_scalar(
            "UPDATE pages SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL \
             RETURNING parent_id",
        )
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(parent) = parent else {
            return Ok(false);
        };
        sqlx::query("UPDATE pages SET parent_id = $1 WHERE parent_id = $2")
            .bind(parent)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        self.reindex(EntryKind::Page, id.0).await?;
        Ok(true)
    }
}
