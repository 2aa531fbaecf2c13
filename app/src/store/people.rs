use super::rules::visible_person;
use super::search::EntryKind;
use super::{now_ms, Store, StoreError, Tx};
use crate::folding::fold;
use crate::model::{
    Department, DepartmentId, DepartmentRef, PersonId, PersonRef, PersonSummary, Role, SiteInfo,
};
use sqlx::any::AnyRow;
use sqlx::Row;

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub job_title: &'a str,
    pub department_id: Option<DepartmentId>,
    pub manager_id: Option<PersonId>,
    pub role: Role,
    pub location: &'a str,
    pub start_date: Option<&'a str>,
    pub created_at: i64,
}

/// Which people a directory search wants.
#[derive(Default)]
pub struct PeopleFilter {
    /// Free text: words to find in name, title, e-mail, expertise or responsibilities,
    /// with or without diacritics.
    pub text: String,
    pub department_id: Option<DepartmentId>,
    /// Deactivated people instead of active ones (for admins, to reactivate them).
    pub deactivated: bool,
    /// Only the people this person may see ([`visible_person`]); `None` only for the
    /// server's own work (seeding, benchmarks), never for what a person is shown.
    pub seen_by: Option<PersonId>,
    /// At most this many, the best first (the top bar's suggestions want five of what
    /// "ng" finds, which is most of a Vietnamese company).
    pub limit: Option<i64>,
}

/// A person's own record, as stored: what the profile page and its form are built from.
pub struct PersonRecord {
    pub person: PersonRef,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub department: Option<DepartmentRef>,
    pub manager_id: Option<PersonId>,
    pub location: String,
    pub time_zone: Option<String>,
    pub start_date: Option<String>,
    pub birthday: Option<String>,
    pub birthday_public: bool,
    pub expertise: String,
    pub responsibilities: String,
    pub leader: bool,
}

/// A profile as its owner (or an admin) saves it; already checked.
pub struct ProfileUpdate<'a> {
    pub display_name: &'a str,
    pub job_title: &'a str,
    pub location: &'a str,
    pub time_zone: Option<&'a str>,
    pub start_date: Option<&'a str>,
    pub birthday: Option<&'a str>,
    pub birthday_public: bool,
    pub expertise: &'a str,
    pub responsibilities: &'a str,
    /// `None`: leave department and manager as they are (the person is not an admin).
    pub organisation: Option<(Option<DepartmentId>, Option<PersonId>)>,
}

/// `%word%` with LIKE's own wildcards escaped, so "50%" means a literal percent sign.
fn like_pattern(word: &str) -> String {
    format!("%{}%", escape_like(word))
}

/// `word` with LIKE's wildcards and escape character escaped (for `ESCAPE '\\'`).
pub(super) fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The @handle an e-mail address suggests: its local part, lower-cased, with only the
/// characters a handle may hold.
fn handle_from_email(email: &str) -> String {
    let local = email
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let kept: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '.'
            }
        })
        .collect();
    let trimmed = kept.trim_matches(['.', '_', '-']);
    if trimmed.is_empty() {
        "user".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Everything a directory search looks in, folded.
fn search_text(parts: &[&str]) -> String {
    fold(&parts.join(" "))
}

/// Columns of a [`PersonRef`] from the `users` row `alias`, named after `prefix`
/// (`{prefix}_id`, `{prefix}_name`, `{prefix}_job_title`, `{prefix}_avatar`) for
/// [`person_named`] to read.
pub(super) fn person_columns(alias: &str, prefix: &str) -> String {
    format!(
        "{alias}.id AS {prefix}_id, {alias}.display_name AS {prefix}_name, \
         {alias}.job_title AS {prefix}_job_title, {alias}.avatar_version AS {prefix}_avatar"
    )
}

/// Reads a [`PersonRef`] from the columns [`person_columns`] named after `prefix`.
pub(super) fn person_named(r: &AnyRow, prefix: &str) -> Result<PersonRef, StoreError> {
    Ok(PersonRef {
        id: r.try_get(format!("{prefix}_id").as_str())?,
        name: r.try_get(format!("{prefix}_name").as_str())?,
        job_title: r.try_get(format!("{prefix}_job_title").as_str())?,
        avatar: r.try_get(format!("{prefix}_avatar").as_str())?,
    })
}

impl Tx {
    /// Creates the company record; there is exactly one per database.
    pub async fn create_company(&mut self, name: &str, time_zone: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO company (id, name, time_zone, created_at) VALUES (1, $1, $2, $3)")
            .bind(name)
            .bind(time_zone)
            .bind(now_ms())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn create_department(&mut self, name: &str) -> Result<DepartmentId, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO departments (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now_ms())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// Renames a department; `NotFound` when there is none with this id.
    pub async fn rename_department(
        &mut self,
        id: DepartmentId,
        name: &str,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE departments SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// `base`, or `base2`, `base3`… whichever no one has yet.
    async fn free_handle(&mut self, base: &str) -> Result<String, StoreError> {
        let taken: Vec<String> = sqlx::query_scalar(
            "SELECT handle FROM users WHERE handle = $1 OR handle LIKE $2 ESCAPE '\\'",
        )
        .bind(base)
        .bind(format!("{}%", escape_like(base)))
        .fetch_all(&mut *self.tx)
        .await?;
        Ok((1..)
            .map(|n| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|h| !taken.contains(h))
            .unwrap_or_default())
    }

    pub async fn create_user(&mut self, user: &NewUser<'_>) -> Result<PersonId, StoreError> {
        let search = search_text(&[user.display_name, user.job_title, user.email]);
        let handle = self.free_handle(&handle_from_email(user.email)).await?;
        let id: PersonId = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, search_text, job_title, department_id, \
             manager_id, role, location, start_date, created_at, handle) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(user.email)
        .bind(user.display_name)
        .bind(search)
        .bind(user.job_title)
        .bind(user.department_id)
        .bind(user.manager_id)
        .bind(user.role.as_str())
        .bind(user.location)
        .bind(user.start_date)
        .bind(user.created_at)
        .bind(handle)
        .fetch_one(&mut *self.tx)
        .await?;
        self.reindex(EntryKind::Person, id.0).await?;
        Ok(id)
    }

    /// Saves a profile and refreshes what the directory searches.
    pub async fn update_profile(
        &mut self,
        user_id: PersonId,
        update: &ProfileUpdate<'_>,
    ) -> Result<(), StoreError> {
        let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *self.tx)
            .await?;
        let search = search_text(&[
            update.display_name,
            update.job_title,
            &email,
            update.expertise,
            update.responsibilities,
        ]);
        sqlx::query(
            "UPDATE users SET display_name = $1, job_title = $2, location = $3, time_zone = $4, \
             start_date = $5, birthday = $6, birthday_public = $7, expertise = $8, \
             responsibilities = $9, search_text = $10 WHERE id = $11",
        )
        .bind(update.display_name)
        .bind(update.job_title)
        .bind(update.location)
        .bind(update.time_zone)
        .bind(update.start_date)
        .bind(update.birthday)
        .bind(i64::from(update.birthday_public))
        .bind(update.expertise)
        .bind(update.responsibilities)
        .bind(search)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        if let Some((department_id, manager_id)) = update.organisation {
            sqlx::query("UPDATE users SET department_id = $1, manager_id = $2 WHERE id = $3")
                .bind(department_id)
                .bind(manager_id)
                .bind(user_id)
                .execute(&mut *self.tx)
                .await?;
        }
        self.reindex(EntryKind::Person, user_id.0).await?;
        Ok(())
    }

    /// Changes someone's role. Becoming a guest ends the leader permission too: guests
    /// never hold it, whichever path made them one.
    pub async fn set_role(&mut self, user_id: PersonId, role: Role) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET role = $1, \
             is_leader = CASE WHEN $2 = 1 THEN 0 ELSE is_leader END WHERE id = $3",
        )
        .bind(role.as_str())
        .bind(i64::from(role == Role::Guest))
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Deactivates (ending every session at once) or reactivates a person. Their posts,
    /// comments and reactions stay.
    pub async fn set_active(
        &mut self,
        user_id: PersonId,
        active: bool,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET is_active = $1, deactivated_at = $2 WHERE id = $3")
            .bind(i64::from(active))
            .bind((!active).then_some(at))
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        if !active {
            self.delete_sessions_of(user_id).await?;
        }
        self.reindex(EntryKind::Person, user_id.0).await?;
        Ok(())
    }

    /// Stores a (resized) avatar and returns its new version.
    pub async fn set_avatar(
        &mut self,
        user_id: PersonId,
        content_type: &str,
        image: &[u8],
        at: i64,
    ) -> Result<i64, StoreError> {
        sqlx::query(
            "INSERT INTO avatars (user_id, content_type, image) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET content_type = excluded.content_type, image = excluded.image",
        )
        .bind(user_id)
        .bind(content_type)
        .bind(image)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE users SET avatar_version = $1 WHERE id = $2")
            .bind(at)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(at)
    }

    /// Goes back to initials.
    pub async fn remove_avatar(&mut self, user_id: PersonId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("UPDATE users SET avatar_version = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    /// The company's name and time zone, or `None` before first run.
    pub async fn company(&self) -> Result<Option<(SiteInfo, String)>, StoreError> {
        let row = sqlx::query("SELECT name, time_zone FROM company WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                SiteInfo {
                    company_name: r.try_get("name")?,
                },
                r.try_get("time_zone")?,
            ))
        })
        .transpose()
    }

    /// People matching `filter`, by name. Every word of the query must appear in what
    /// the person's profile says (folded), so "nguyen an" finds "Nguyễn Văn An" and
    /// "hoa don" finds whoever is responsible for "hóa đơn".
    pub async fn people(&self, filter: &PeopleFilter) -> Result<Vec<PersonSummary>, StoreError> {
        let words: Vec<String> = fold(&filter.text)
            .split_whitespace()
            .map(like_pattern)
            .collect();
        let mut sql = format!(
            "SELECT {}, d.name AS department, u.location \
             FROM users u LEFT JOIN departments d ON d.id = u.department_id \
             WHERE u.is_active = $1",
            person_columns("u", "person")
        );
        let mut n = 1;
        for _ in &words {
            n += 1;
            sql.push_str(&format!(" AND u.search_text LIKE ${n} ESCAPE '\\'"));
        }
        if filter.department_id.is_some() {
            n += 1;
            sql.push_str(&format!(" AND u.department_id = ${n}"));
        }
        if filter.seen_by.is_some() {
            n += 1;
            sql.push_str(&format!(" AND {}", visible_person("u", &format!("${n}"))));
        }
        // People whose name starts with what was typed come first: "nguyen thu trang"
        // puts Nguyễn Thu Trang above a colleague who knows about "thương hiệu".
        n += 1;
        sql.push_str(&format!(
            " ORDER BY CASE WHEN u.search_text LIKE ${n} ESCAPE '\\' THEN 0 ELSE 1 END, \
             u.display_name, u.id"
        ));
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {}", limit.max(0)));
        }
        let mut query = sqlx::query(&sql).bind(i64::from(!filter.deactivated));
        for word in &words {
            query = query.bind(word.as_str());
        }
        if let Some(department) = filter.department_id {
            query = query.bind(department);
        }
        if let Some(viewer) = filter.seen_by {
            query = query.bind(viewer);
        }
        let typed = fold(&filter.text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name_first = like_pattern(&typed).trim_start_matches('%').to_owned();
        query
            .bind(name_first)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(PersonSummary {
                    person: person_named(&r, "person")?,
                    department: r.try_get("department")?,
                    location: r.try_get("location")?,
                })
            })
            .collect()
    }

    /// Departments by name, with how many active people each has.
    pub async fn departments(&self) -> Result<Vec<Department>, StoreError> {
        sqlx::query(
            "SELECT d.id, d.name, \
               (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.is_active = 1) AS people \
             FROM departments d ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Department {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                people: r.try_get("people")?,
            })
        })
        .collect()
    }

    /// Every department's id and name, by name: [`Store::departments`] without its
    /// head counts, for lists of choices on every feed page.
    pub async fn department_refs(&self) -> Result<Vec<crate::model::DepartmentRef>, StoreError> {
        sqlx::query("SELECT id, name FROM departments ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(crate::model::DepartmentRef {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn department_exists(&self, id: DepartmentId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM departments WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// One person's stored record, active or not.
    pub async fn person(&self, user_id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let sql = format!(
            "SELECT {}, u.email, u.role, u.is_active, d.id AS department_id, \
               d.name AS department_name, u.manager_id, u.location, u.time_zone, u.start_date, \
               u.birthday, u.birthday_public, u.expertise, u.responsibilities, u.is_leader \
             FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1",
            person_columns("u", "person")
        );
        let row = sqlx::query(&sql)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let role: String = r.try_get("role")?;
            let department = match r.try_get::<Option<DepartmentId>, _>("department_id")? {
                Some(id) => Some(DepartmentRef {
                    id,
                    name: r.try_get("department_name")?,
                }),
                None => None,
            };
            Ok(PersonRecord {
                person: person_named(&r, "person")?,
                email: r.try_get("email")?,
                role: Role::parse(&role).ok_or(StoreError::Corrupt("users.role"))?,
                active: r.try_get::<i64, _>("is_active")? != 0,
                department,
                manager_id: r.try_get("manager_id")?,
                location: r.try_get("location")?,
                time_zone: r.try_get("time_zone")?,
                start_date: r.try_get("start_date")?,
                birthday: r.try_get("birthday")?,
                birthday_public: r.try_get::<i64, _>("birthday_public")? != 0,
                expertise: r.try_get("expertise")?,
                responsibilities: r.try_get("responsibilities")?,
                leader: r.try_get::<i64, _>("is_leader")? != 0,
            })
        })
        .transpose()
    }

    /// The person's manager, their manager, and so on up (nearest first), everyone in
    /// it: for checking the organisation chart, never for showing it (that is
    /// [`Store::visible_manager_chain`]). Stops at a loop or after 20 levels, so a bad
    /// edit cannot hang a page.
    pub async fn manager_chain(&self, user_id: PersonId) -> Result<Vec<PersonRef>, StoreError> {
        self.chain_of_managers(user_id, None).await
    }

    /// The manager chain as `seen_by` may see it: the managers they may not see are
    /// left out (a guest does not learn who runs a department outside their channels).
    pub async fn visible_manager_chain(
        &self,
        user_id: PersonId,
        seen_by: PersonId,
    ) -> Result<Vec<PersonRef>, StoreError> {
        self.chain_of_managers(user_id, Some(seen_by)).await
    }

    async fn chain_of_managers(
        &self,
        user_id: PersonId,
        seen_by: Option<PersonId>,
    ) -> Result<Vec<PersonRef>, StoreError> {
        let sql = format!(
            "WITH RECURSIVE chain (id, depth) AS ( \
               SELECT manager_id, 1 FROM users WHERE id = $1 AND manager_id IS NOT NULL \
               UNION ALL \
               SELECT u.manager_id, chain.depth + 1 FROM users u JOIN chain ON u.id = chain.id \
               WHERE u.manager_id IS NOT NULL AND chain.depth < 20 \
             ) SELECT {}, CASE WHEN $2 = 0 OR {} THEN 1 ELSE 0 END AS visible \
             FROM chain JOIN users m ON m.id = chain.id ORDER BY chain.depth",
            person_columns("m", "manager"),
            visible_person("m", "$3")
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(i64::from(seen_by.is_some()))
            // Bound but unused without a viewer.
            .bind(seen_by.map_or(0, |seen_by| seen_by.0))
            .fetch_all(&self.pool)
            .await?;
        let mut chain: Vec<PersonRef> = Vec::with_capacity(rows.len());
        let mut walked: Vec<PersonId> = Vec::with_capacity(rows.len());
        for r in &rows {
            let person = person_named(r, "manager")?;
            if person.id == user_id || walked.contains(&person.id) {
                break;
            }
            walked.push(person.id);
            if r.try_get::<i64, _>("visible")? == 1 {
                chain.push(person);
            }
        }
        Ok(chain)
    }

    /// Active people who report directly to `user_id` and whom `seen_by` may see, by name.
    pub async fn direct_reports(
        &self,
        user_id: PersonId,
        seen_by: PersonId,
    ) -> Result<Vec<PersonRef>, StoreError> {
        let sql = format!(
            "SELECT {} FROM users u WHERE u.manager_id = $1 AND u.is_active = 1 AND {} \
             ORDER BY u.display_name, u.id",
            person_columns("u", "person"),
            visible_person("u", "$2")
        );
        sqlx::query(&sql)
            .bind(user_id)
            .bind(seen_by)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| person_named(r, "person"))
            .collect()
    }

    /// Active people other than `except`, by name: the choices for someone's manager.
    pub async fn possible_managers(&self, except: PersonId) -> Result<Vec<PersonRef>, StoreError> {
        let sql = format!(
            "SELECT {} FROM users u WHERE u.is_active = 1 AND u.id <> $1 AND u.role <> 'guest' \
             ORDER BY u.display_name, u.id",
            person_columns("u", "person")
        );
        sqlx::query(&sql)
            .bind(except)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| person_named(r, "person"))
            .collect()
    }

    /// Whether `seen_by` may see `person` at all ([`visible_person`]); `false` for no one.
    pub async fn may_see_person(
        &self,
        seen_by: PersonId,
        person: PersonId,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM users u WHERE u.id = $2 AND {}",
            visible_person("u", "$1")
        ))
        .bind(seen_by)
        .bind(person)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// A person's avatar, its content type and bytes, if `seen_by` may see them: the
    /// photo of someone a guest may not see is as missing as one never uploaded.
    pub async fn avatar(
        &self,
        user_id: PersonId,
        seen_by: PersonId,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT a.content_type, a.image FROM avatars a JOIN users u ON u.id = a.user_id \
             WHERE a.user_id = $1 AND {}",
            visible_person("u", "$2")
        ))
        .bind(user_id)
        .bind(seen_by)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("content_type")?, r.try_get("image")?)))
            .transpose()
    }
}
