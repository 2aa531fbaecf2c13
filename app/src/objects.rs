//! Where attachments' bytes live: a folder on local disk (the default, beside the SQLite
//! file) or an S3-compatible bucket (for several instances), behind the `object_store`
//! crate's one interface. The database says what each object is and who may read it
//! (`store::files`); this only keeps bytes under names.

use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    #[error(
        "unsupported file storage {0:?}: use a folder path, file:///PATH or s3://BUCKET[/PREFIX]"
    )]
    BadUrl(String),
    #[error("cannot create the files folder {0}: {1}")]
    Folder(String, #[source] std::io::Error),
    #[error("file storage: {0}")]
    Storage(#[from] object_store::Error),
}

/// The bytes of one object as they arrive, and its size.
pub struct Download {
    pub size: u64,
    pub bytes: BoxStream<'static, Result<bytes::Bytes, object_store::Error>>,
}

#[derive(Clone)]
pub struct Objects {
    inner: Arc<dyn ObjectStore>,
    /// Where, for the operator (`townhall serve` prints it).
    described: Arc<str>,
}

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Objects({})", self.described)
    }
}

impl Objects {
    /// A folder on local disk, created when missing.
    pub fn local(dir: &std::path::Path) -> Result<Objects, ObjectsError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ObjectsError::Folder(dir.display().to_string(), e))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(Objects {
            inner: Arc::new(store),
            described: dir.display().to_string().into(),
        })
    }

    /// `s3://BUCKET[/PREFIX]` (credentials, region and endpoint from the standard
    /// `AWS_*` variables, `AWS_ENDPOINT` for an S3-compatible server and
    /// `AWS_ALLOW_HTTP=true` for one without TLS), `file:///PATH` or a plain path.
    pub fn from_url(url: &str) -> Result<Objects, ObjectsError> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(ObjectsError::BadUrl(url.to_owned()));
            }
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()?;
            let inner: Arc<dyn ObjectStore> = if prefix.trim_matches('/').is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(object_store::prefix::PrefixStore::new(
                    s3,
                    prefix.trim_matches('/'),
                ))
            };
            return Ok(Objects {
                inner,
                described: url.into(),
            });
        }
        let path = url.strip_prefix("file://").unwrap_or(url);
        if path.is_empty() || url.contains("://") && !url.starts_with("file://") {
            return Err(ObjectsError::BadUrl(url.to_owned()));
        }
        Objects::local(std::path::Path::new(path))
    }

    /// A bucket on an S3-compatible server at `endpoint` (MinIO, Garage, Ceph, a
    /// hosting partner's), named outright rather than through `AWS_*` variables.
    pub fn s3_compatible(
        endpoint: &str,
        bucket: &str,
        access_key: &str,
        secret_key: &str,
        region: &str,
    ) -> Result<Objects, ObjectsError> {
        let s3 = object_store::aws::AmazonS3Builder::new()
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"))
            .with_bucket_name(bucket)
            .with_access_key_id(access_key)
            .with_secret_access_key(secret_key)
            .with_region(region)
            .build()?;
        Ok(Objects {
            inner: Arc::new(s3),
            described: format!("s3://{bucket} at {endpoint}").into(),
        })
    }

    /// The default place: a folder beside the SQLite file (`data/townhall.db` keeps
    /// its files in `data/townhall-files`), or `./townhall-files` with PostgreSQL.
    pub fn beside(database_url: &str) -> Result<Objects, ObjectsError> {
        let path = database_url
            .strip_prefix("sqlite:")
            .map(|rest| rest.trim_start_matches("//"))
            .map(|rest| rest.split('?').next().unwrap_or_default());
        let dir = match path {
            Some(file) if !file.is_empty() => {
                let file = std::path::Path::new(file);
                let stem = file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("townhall");
                file.with_file_name(format!("{stem}-files"))
            }
            _ => std::path::PathBuf::from("townhall-files"),
        };
        Objects::local(&dir)
    }

    pub fn describe(&self) -> &str {
        &self.described
    }

    /// Stores `bytes` under `name`, whole or not at all (a local file is written aside
    /// and renamed; an S3 PUT is atomic).
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), ObjectsError> {
        self.inner
            .put(&ObjectPath::from(name), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// The object's bytes as a stream; `None` when there is no such object.
    pub async fn get(&self, name: &str) -> Result<Option<Download>, ObjectsError> {
        match self.inner.get(&ObjectPath::from(name)).await {
            Ok(found) => Ok(Some(Download {
                size: found.meta.size,
                bytes: found.into_stream().boxed(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// The whole object in memory (tests and small previews).
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ObjectsError> {
        let Some(mut download) = self.get(name).await? else {
            return Ok(None);
        };
        let mut all = Vec::with_capacity(download.size as usize);
        while let Some(chunk) = download.bytes.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Some(all))
    }

    /// Removes the object; one already gone is not an error.
    pub async fn delete(&self, name: &str) -> Result<(), ObjectsError> {
        match self.inner.delete(&ObjectPath::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}
