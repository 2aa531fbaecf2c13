/// `StoreError`: the one error type of the storage layer.
///
/// It says what went wrong in terms callers can act on: a bad URL or unreachable
/// database is the operator's to fix (the CLI prints it), `NotFound` and `Conflict` are
/// the user's (the server-function layer turns them into translated messages), and
/// `Unavailable`/`Database` carry the driver's error for the log only.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://USER@HOST/DATABASE")]
    BadUrl(String),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, #[source] std::io::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database stopped answering: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write (an e-mail or name already taken).
    #[error("already exists")]
    Conflict,
    /// A stored value broke an invariant the schema cannot express (a bug or a bad edit).
    #[error("unexpected value in {0}")]
    Corrupt(&'static str),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// The store was opened without a place for attachments (`Store::with_objects`).
    #[error("no file storage was configured")]
    NoFileStorage,
    /// The file storage (a folder or a bucket) failed; the request may succeed later.
    #[error("{0}")]
    Objects(#[from] crate::objects::ObjectsError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(err)
            }
            sqlx::Error::Database(ref db)
                if db.code().as_deref().is_some_and(means_unavailable) =>
            {
                StoreError::Unavailable(err)
            }
            sqlx::Error::Database(ref db) if db.is_unique_violation() => StoreError::Conflict,
            other => StoreError::Database(other),
        }
    }
}

/// Error codes that say the database is away rather than that the query was wrong:
/// PostgreSQL's connection exceptions (class 08), shutdowns (57P01–57P03), a missing
/// database (3D000) or too many connections (53300); SQLite still busy after its
/// timeout (5).
fn means_unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "3D000" | "53300" | "5")
}

/// How a storage failure reaches the person: "not found" as such, an unreachable
/// database as "unavailable", anything else as an internal error (logged here).
impl From<StoreError> for crate::error::AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => crate::error::AppError::NotFound,
            StoreError::Connect(_) | StoreError::Unavailable(_) => {
                tracing::warn!(error = %err, "database unavailable");
                crate::error::AppError::Unavailable
            }
            StoreError::Objects(_) => {
                tracing::warn!(error = %err, "file storage unavailable");
                crate::error::AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage error");
                crate::error::AppError::Internal
            }
        }
    }
}
