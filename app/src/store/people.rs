use super::{now_ms, Store, StoreError, Tx};
use crate::model::{Department, PersonRef, PersonSummary, Role, SiteInfo};
use crate::search::fold;
use sqlx::Row;

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub job_title: &'a str,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub role: Role,
    pub location: &'a str,
    pub start_date: Option<&'a str>,
    pub created_at: i64,
}

/// Which people a directory search wants.
#[derive(Default)]
pub struct PeopleFilter {
    /// Free text: words to find in name, title or e-mail, with or without diacritics.
    pub text: String,
    pub department_id: Option<i64>,
}

/// `%word%` with LIKE's own wildcards escaped, so "50%" means a literal percent sign.
fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
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

    pub async fn create_department(&mut self, name: &str) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO departments (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now_ms())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    pub async fn create_user(&mut self, user: &NewUser<'_>) -> Result<i64, StoreError> {
        let search = fold(&format!(
            "{} {} {}",
            user.display_name, user.job_title, user.email
        ));
        let id = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, search_text, job_title, department_id, \
             manager_id, role, location, start_date, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
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
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
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
                    company_name: r.try_get(0)?,
                },
                r.try_get(1)?,
            ))
        })
        .transpose()
    }

    /// Active people matching `filter`, by name. Every word of the query must appear in
    /// the person's folded name, title or e-mail, so "nguyen an" finds "Nguyễn Văn An".
    pub async fn people(&self, filter: &PeopleFilter) -> Result<Vec<PersonSummary>, StoreError> {
        let words: Vec<String> = fold(&filter.text)
            .split_whitespace()
            .map(like_pattern)
            .collect();
        let mut sql = String::from(
            "SELECT u.id, u.display_name, u.job_title, d.name, u.location \
             FROM users u LEFT JOIN departments d ON d.id = u.department_id \
             WHERE u.is_active = 1",
        );
        for i in 1..=words.len() {
            sql.push_str(&format!(" AND u.search_text LIKE ${i} ESCAPE '\\'"));
        }
        if filter.department_id.is_some() {
            sql.push_str(&format!(" AND u.department_id = ${}", words.len() + 1));
        }
        sql.push_str(" ORDER BY u.display_name, u.id");
        let mut query = sqlx::query(&sql);
        for word in &words {
            query = query.bind(word.as_str());
        }
        if let Some(department) = filter.department_id {
            query = query.bind(department);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                Ok(PersonSummary {
                    person: PersonRef {
                        id: r.try_get(0)?,
                        name: r.try_get(1)?,
                        job_title: r.try_get(2)?,
                    },
                    department: r.try_get(3)?,
                    location: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Departments by name, with how many active people each has.
    pub async fn departments(&self) -> Result<Vec<Department>, StoreError> {
        sqlx::query(
            "SELECT d.id, d.name, (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.is_active = 1) \
             FROM departments d ORDER BY d.name",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| Ok(Department { id: r.try_get(0)?, name: r.try_get(1)?, people: r.try_get(2)? }))
        .collect()
    }
}
