use super::{now_ms, Store, StoreError, Tx};
use crate::model::{PersonRef, PersonSummary, Role, SiteInfo};
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

    /// Everyone active, by name.
    pub async fn people(&self) -> Result<Vec<PersonSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, u.job_title, d.name, u.location \
             FROM users u LEFT JOIN departments d ON d.id = u.department_id \
             WHERE u.is_active = 1 ORDER BY u.display_name, u.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
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
}
