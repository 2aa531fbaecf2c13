use super::people::{person_columns, person_named};
use super::rules::VISIBLE;
use super::search::EntryKind;
use super::{now_ms, Store, StoreError, Tx};
use crate::model::{ChannelId, ChannelKind, ChannelMember, ChannelSummary, PersonId, PersonRef};
use sqlx::Row;

pub struct NewChannel<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub guidelines: &'a str,
    pub kind: ChannelKind,
    pub is_default: bool,
    pub created_by: Option<PersonId>,
    pub created_at: i64,
}

/// A channel and where one person stands in it: what the policy needs to decide whether
/// they may read or post, and what its page shows.
pub struct ChannelAccess {
    pub id: ChannelId,
    pub summary: ChannelSummary,
    pub guidelines: String,
    pub archived: bool,
    /// `None`: not a member; `Some(true)`: a channel admin.
    pub membership: Option<bool>,
}

/// A channel as a list of choices needs it (the composer's, an announcement's audience):
/// what the policy needs to decide whether one may post in it, and its name. Read
/// without the counts and texts of [`ChannelAccess`], because these lists are on every
/// feed page.
pub struct ChannelChoice {
    pub id: ChannelId,
    pub slug: String,
    pub name: String,
    pub kind: ChannelKind,
    /// `None`: not a member; `Some(true)`: a channel admin.
    pub membership: Option<bool>,
}

impl Tx {
    /// Puts a person in every default (company-wide) channel.
    pub async fn join_default_channels(
        &mut self,
        user_id: PersonId,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO channel_members (channel_id, user_id, role, joined_at) \
             SELECT id, $1, 'member', $2 FROM channels WHERE is_default = 1 AND archived_at IS NULL \
             ON CONFLICT (channel_id, user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn create_channel(&mut self, ch: &NewChannel<'_>) -> Result<ChannelId, StoreError> {
        let id: ChannelId = sqlx::query_scalar(
            "INSERT INTO channels (slug, name, description, guidelines, kind, is_default, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(ch.slug)
        .bind(ch.name)
        .bind(ch.description)
        .bind(ch.guidelines)
        .bind(ch.kind.as_str())
        .bind(i64::from(ch.is_default))
        .bind(ch.created_by)
        .bind(ch.created_at)
        .fetch_one(&mut *self.tx)
        .await?;
        self.reindex(EntryKind::Channel, id.0).await?;
        Ok(id)
    }

    /// Adds a member (or makes an existing member a channel admin when `admin`).
    pub async fn add_member(
        &mut self,
        channel_id: ChannelId,
        user_id: PersonId,
        admin: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO channel_members (channel_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (channel_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(if admin { "admin" } else { "member" })
        .bind(now_ms())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Makes a person a member, leaving an existing membership (and its role) alone.
    pub async fn join_channel(
        &mut self,
        channel_id: ChannelId,
        user_id: PersonId,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO channel_members (channel_id, user_id, role, joined_at) \
             VALUES ($1, $2, 'member', $3) ON CONFLICT (channel_id, user_id) DO NOTHING",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Takes a person out of every channel but `keep`, and puts them in `keep` if they
    /// were not in it: what a member turned guest is left with.
    pub async fn leave_channels_except(
        &mut self,
        user_id: PersonId,
        keep: Option<ChannelId>,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM channel_members WHERE user_id = $1 AND channel_id <> $2")
            .bind(user_id)
            // Ids start at 1: 0 keeps nothing.
            .bind(keep.map_or(0, |keep| keep.0))
            .execute(&mut *self.tx)
            .await?;
        if let Some(channel) = keep {
            self.join_channel(channel, user_id, at).await?;
        }
        Ok(())
    }

    /// Takes a person out of a channel; false when they are not in it or are its last
    /// admin (checked in the same statement, so two admins leaving at once cannot both
    /// go).
    pub async fn remove_member(
        &mut self,
        channel_id: ChannelId,
        user_id: PersonId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(&format!(
            "DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2 AND {NOT_LAST_ADMIN}"
        ))
        .bind(channel_id)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Makes a member a channel admin or a plain member again; false when they are not
    /// in the channel or are its last admin.
    pub async fn set_channel_admin(
        &mut self,
        channel_id: ChannelId,
        user_id: PersonId,
        admin: bool,
    ) -> Result<bool, StoreError> {
        let sql = if admin {
            "UPDATE channel_members SET role = 'admin' WHERE channel_id = $1 AND user_id = $2"
                .to_owned()
        } else {
            format!(
                "UPDATE channel_members SET role = 'member' \
                 WHERE channel_id = $1 AND user_id = $2 AND {NOT_LAST_ADMIN}"
            )
        };
        let done = sqlx::query(&sql)
            .bind(channel_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A new name, description and guidelines; the address (slug) stays, so links keep
    /// working.
    pub async fn update_channel(
        &mut self,
        channel_id: ChannelId,
        name: &str,
        description: &str,
        guidelines: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE channels SET name = $2, description = $3, guidelines = $4 WHERE id = $1",
        )
        .bind(channel_id)
        .bind(name)
        .bind(description)
        .bind(guidelines)
        .execute(&mut *self.tx)
        .await?;
        self.reindex(EntryKind::Channel, channel_id.0).await?;
        Ok(())
    }

    /// Archives the channel at `at`, or brings it back with `None`.
    pub async fn set_channel_archived(
        &mut self,
        channel_id: ChannelId,
        at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE channels SET archived_at = $2 WHERE id = $1")
            .bind(channel_id)
            .bind(at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

/// The membership row (`$1` channel, `$2` person) is not the channel's only admin.
const NOT_LAST_ADMIN: &str = "(role <> 'admin' OR (SELECT COUNT(*) FROM channel_members a \
     WHERE a.channel_id = $1 AND a.role = 'admin') > 1)";

/// A channel's summary, for [`summary_from_row`].
const SUMMARY_COLUMNS: &str = "c.slug, c.name, c.description, c.kind, c.is_default, \
     (SELECT COUNT(*) FROM channel_members m WHERE m.channel_id = c.id) AS member_count, \
     c.post_count";

/// Reads a [`ChannelSummary`] from [`SUMMARY_COLUMNS`].
fn summary_from_row(r: &sqlx::any::AnyRow) -> Result<ChannelSummary, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(ChannelSummary {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        kind: ChannelKind::parse(&kind).ok_or(StoreError::Corrupt("channels.kind"))?,
        is_default: r.try_get::<i64, _>("is_default")? != 0,
        member_count: r.try_get("member_count")?,
        post_count: r.try_get("post_count")?,
    })
}

/// A channel and the asker's membership (`me`), next to its summary: what
/// [`access_from_row`] reads.
const ACCESS_COLUMNS: &str = "c.id, c.guidelines, c.archived_at, me.role AS my_role";

/// Reads a [`ChannelAccess`] from [`ACCESS_COLUMNS`] and [`SUMMARY_COLUMNS`].
fn access_from_row(r: &sqlx::any::AnyRow) -> Result<ChannelAccess, StoreError> {
    Ok(ChannelAccess {
        id: r.try_get("id")?,
        guidelines: r.try_get("guidelines")?,
        archived: r.try_get::<Option<i64>, _>("archived_at")?.is_some(),
        membership: r
            .try_get::<Option<String>, _>("my_role")?
            .map(|role| role == "admin"),
        summary: summary_from_row(r)?,
    })
}

impl Store {
    /// Every channel `reader` may read and that is not archived, with their membership:
    /// what the feed's composer chooses from.
    pub async fn readable_channels(
        &self,
        reader: super::Reader,
    ) -> Result<Vec<ChannelAccess>, StoreError> {
        let sql = format!(
            "SELECT {ACCESS_COLUMNS}, {SUMMARY_COLUMNS} FROM channels c \
             LEFT JOIN channel_members me ON me.channel_id = c.id AND me.user_id = $1 \
             WHERE c.archived_at IS NULL AND {VISIBLE} ORDER BY c.is_default DESC, c.name"
        );
        sqlx::query(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(access_from_row)
            .collect()
    }

    /// The unarchived channels `reader` may read, as [`Store::readable_channels`] lists
    /// them (company-wide first, then by name), as choices.
    pub async fn channel_choices(
        &self,
        reader: super::Reader,
    ) -> Result<Vec<ChannelChoice>, StoreError> {
        // Every page with a composer asks for this list (about 200 channels): it comes
        // as one text (`packed`).
        let sql = format!(
            "SELECT c.id, c.slug, c.name, c.kind, c.is_default, me.role AS my_role \
             FROM channels c \
             LEFT JOIN channel_members me ON me.channel_id = c.id AND me.user_id = $1 \
             WHERE c.archived_at IS NULL AND {VISIBLE}"
        );
        let sql = super::packed::packed(
            self.backend(),
            &sql,
            "id, slug, name, kind, my_role",
            "is_default DESC, name",
        );
        let text: String = sqlx::query_scalar(&sql)
            .bind(reader.user_id)
            .bind(i64::from(reader.guest))
            .fetch_one(&self.pool)
            .await?;
        super::packed::unpack::<(ChannelId, String, String, String, Option<String>)>(&text)?
            .into_iter()
            .map(|(id, slug, name, kind, my_role)| {
                Ok(ChannelChoice {
                    id,
                    slug,
                    name,
                    kind: ChannelKind::parse(&kind).ok_or(StoreError::Corrupt("channels.kind"))?,
                    membership: my_role.map(|role| role == "admin"),
                })
            })
            .collect()
    }

    /// The channel called `slug` and `user_id`'s membership of it.
    pub async fn channel_access(
        &self,
        slug: &str,
        user_id: PersonId,
    ) -> Result<Option<ChannelAccess>, StoreError> {
        let sql = format!(
            "SELECT {ACCESS_COLUMNS}, {SUMMARY_COLUMNS} FROM channels c \
             LEFT JOIN channel_members me ON me.channel_id = c.id AND me.user_id = $2 \
             WHERE c.slug = $1"
        );
        let row = sqlx::query(&sql)
            .bind(slug)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(access_from_row).transpose()
    }

    /// The archived channels `reader` is a member of: the list's "show archived" view.
    pub async fn archived_channels(
        &self,
        user_id: PersonId,
    ) -> Result<Vec<ChannelAccess>, StoreError> {
        let sql = format!(
            "SELECT {ACCESS_COLUMNS}, {SUMMARY_COLUMNS} FROM channels c \
             JOIN channel_members me ON me.channel_id = c.id AND me.user_id = $1 \
             WHERE c.archived_at IS NOT NULL ORDER BY c.name"
        );
        sqlx::query(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(access_from_row)
            .collect()
    }

    /// Whether a channel other than `except` has this name (ignoring case) or this slug.
    pub async fn channel_name_taken(
        &self,
        name: &str,
        slug: &str,
        except: Option<ChannelId>,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM channels WHERE (LOWER(name) = LOWER($1) OR slug = $2) AND id <> $3 \
             LIMIT 1",
        )
        .bind(name)
        .bind(slug)
        .bind(except.map_or(0, |except| except.0))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// A channel's members, its admins first, then by name.
    pub async fn channel_members(
        &self,
        channel_id: ChannelId,
    ) -> Result<Vec<ChannelMember>, StoreError> {
        let sql = format!(
            "SELECT {}, m.role FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 AND u.is_active = 1 \
             ORDER BY CASE WHEN m.role = 'admin' THEN 0 ELSE 1 END, u.display_name, u.id",
            person_columns("u", "person")
        );
        sqlx::query(&sql)
            .bind(channel_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ChannelMember {
                    person: person_named(r, "person")?,
                    admin: r.try_get::<String, _>("role")? == "admin",
                })
            })
            .collect()
    }

    /// Active people not in the channel whom `seen_by` may see: whom its admins may add
    /// (a guest who administers a channel is offered only people they already see).
    pub async fn channel_candidates(
        &self,
        channel_id: ChannelId,
        seen_by: PersonId,
    ) -> Result<Vec<PersonRef>, StoreError> {
        let sql = format!(
            "SELECT {} FROM users u WHERE u.is_active = 1 AND NOT EXISTS \
             (SELECT 1 FROM channel_members m WHERE m.channel_id = $1 AND m.user_id = u.id) \
             AND {} ORDER BY u.display_name, u.id",
            person_columns("u", "person"),
            super::rules::visible_person("u", "$2")
        );
        sqlx::query(&sql)
            .bind(channel_id)
            .bind(seen_by)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| person_named(r, "person"))
            .collect()
    }

    /// The channels `reader` may see listed: those open to the company (not for guests)
    /// and their own, the default channel first, then by name. Archived ones are left out.
    pub async fn listed_channels(
        &self,
        reader: super::Reader,
    ) -> Result<Vec<ChannelSummary>, StoreError> {
        Ok(self
            .readable_channels(reader)
            .await?
            .into_iter()
            .map(|c| c.summary)
            .collect())
    }
}
