use crate::error::{AppError, Field, Invalid};
use crate::input::required;
use crate::model::DepartmentId;
use crate::policy::{allows, Action, Viewer};
use crate::store::{Store, StoreError};

/// The longest department name.
pub const MAX_DEPARTMENT: usize = 80;

/// Adds a department (`id` None) or renames one.
pub async fn save_department(
    store: &Store,
    viewer: &Viewer,
    id: Option<DepartmentId>,
    name: &str,
) -> Result<(), AppError> {
    if !allows(Some(viewer), Action::ManagePeople) {
        return Err(AppError::Forbidden);
    }
    let name = required(name, Field::DepartmentName, MAX_DEPARTMENT)?;
    let mut tx = store.begin().await?;
    let saved = match id {
        Some(id) => tx.rename_department(id, name).await,
        None => tx.create_department(name).await.map(|_| ()),
    };
    saved.map_err(|err| match err {
        StoreError::Conflict => Invalid::DepartmentExists.into(),
        other => AppError::from(other),
    })?;
    tx.commit().await?;
    Ok(())
}
