//! Writing many rows at once: multi-row INSERTs, each with as many rows as a
//! statement's parameter limit allows, inside the caller's transaction. The benchmark
//! dataset (`townhall seed --posts N`) loads a million posts this way in minutes
//! instead of hours, and a post's notifications and live events are written this way.

use super::{Backend, StoreError, Tx};
use crate::model::{ChannelId, CommentId, DepartmentId, PersonId, PostId};

/// Parameters in one statement. SQLite prepares a multi-row VALUES in time that grows
/// faster than its length: 4,000 rows in one statement load ten times slower than in
/// twenty statements of 200; around a thousand parameters is the sweet spot.
const MAX_PARAMETERS: usize = 1_000;

/// One value of a row being loaded. Nulls are integer-typed: only integer columns
/// (times, optional references) are left empty by the generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Int(i64),
    Text(String),
    Null,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Cell {
    /// Binds this cell as the query's next parameter.
    pub(super) fn bind(query: AnyQuery<'_>, cell: Cell) -> AnyQuery<'_> {
        match cell {
            Cell::Int(value) => query.bind(value),
            Cell::Text(value) => query.bind(value),
            Cell::Null => query.bind(None::<i64>),
        }
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(value)
    }
}

impl From<Option<i64>> for Cell {
    fn from(value: Option<i64>) -> Cell {
        value.map_or(Cell::Null, Cell::Int)
    }
}

/// Ids load as the numbers they are.
macro_rules! id_cells {
    ($($id:ty),*) => {$(
        impl From<$id> for Cell {
            fn from(value: $id) -> Cell {
                Cell::Int(value.0)
            }
        }

        impl From<Option<$id>> for Cell {
            fn from(value: Option<$id>) -> Cell {
                value.map_or(Cell::Null, |id| Cell::Int(id.0))
            }
        }
    )*};
}

id_cells!(PostId, ChannelId, PersonId, CommentId, DepartmentId);

impl From<String> for Cell {
    fn from(value: String) -> Cell {
        Cell::Text(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }
}

/// Rows waiting to be written to one table, in the order of `columns`.
pub struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    cells: Vec<Cell>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows {
            table,
            columns,
            cells: Vec::new(),
        }
    }

    /// Adds a row; it must have one cell per column.
    pub fn push<const N: usize>(&mut self, row: [Cell; N]) {
        assert_eq!(N, self.columns.len(), "a row of {}", self.table);
        self.cells.extend(row);
    }

    pub fn len(&self) -> usize {
        self.cells.len() / self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl Tx {
    /// Writes every waiting row and empties `rows`.
    pub async fn insert_rows(&mut self, rows: &mut Rows) -> Result<(), StoreError> {
        let width = rows.columns.len();
        let per_statement = (MAX_PARAMETERS / width).max(1);
        let mut cells = std::mem::take(&mut rows.cells).into_iter();
        loop {
            let chunk: Vec<Cell> = cells.by_ref().take(per_statement * width).collect();
            if chunk.is_empty() {
                return Ok(());
            }
            let sql = insert_sql(rows.table, rows.columns, chunk.len() / width);
            let query = chunk.into_iter().fold(sqlx::query(&sql), Cell::bind);
            query.execute(&mut *self.tx).await?;
        }
    }

    /// After rows were written with their own ids, lets PostgreSQL's identity column
    /// continue after the largest (SQLite does so by itself).
    pub async fn continue_ids(&mut self, table: &'static str) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), …` for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&super::placeholders(row * width, width));
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_number_every_rows_parameters() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn rows_count_whole_rows() {
        let mut rows = Rows::new("t", &["a", "b"]);
        assert!(rows.is_empty());
        rows.push([1.into(), "x".into()]);
        rows.push([Some(2).into(), None::<i64>.into()]);
        assert_eq!(rows.len(), 2);
    }
}
