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
    #[error("{0}: {1}")]
    File(String, #[source] std::io::Error),
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
        Objects::check_url(url)?;
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
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
        Objects::local(std::path::Path::new(
            url.strip_prefix("file://").unwrap_or(url),
        ))
    }

    /// Whether `url` names a place `from_url` can use, without creating or opening it
    /// (settings are checked before `serve` touches anything).
    pub fn check_url(url: &str) -> Result<(), ObjectsError> {
        let bad = || Err(ObjectsError::BadUrl(url.to_owned()));
        if let Some(rest) = url.strip_prefix("s3://") {
            if rest.split('/').next().unwrap_or_default().is_empty() {
                return bad();
            }
            return Ok(());
        }
        let path = url.strip_prefix("file://").unwrap_or(url);
        if path.is_empty() || url.contains("://") && !url.starts_with("file://") {
            return bad();
        }
        Ok(())
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

/// Whole files in and out, and listings: what backups into a bucket need (a database
/// copy may be gigabytes, so it streams rather than sitting in memory).
impl Objects {
    /// Stores the file at `path` under `name`, streamed (a multipart upload to a bucket
    /// when large).
    pub async fn put_file(&self, name: &str, path: &std::path::Path) -> Result<u64, ObjectsError> {
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| ObjectsError::File(path.display().to_string(), e))?;
        let mut upload =
            object_store::buffered::BufWriter::new(self.inner.clone(), ObjectPath::from(name));
        let copied = tokio::io::copy(&mut file, &mut upload).await;
        let copied = match copied {
            Ok(n) => n,
            Err(e) => {
                // Nothing half-stored: the parts already sent are discarded.
                let _ = upload.abort().await;
                return Err(ObjectsError::File(path.display().to_string(), e));
            }
        };
        tokio::io::AsyncWriteExt::shutdown(&mut upload)
            .await
            .map_err(|e| ObjectsError::File(name.to_owned(), e))?;
        Ok(copied)
    }

    /// Writes the object `name` into a new file at `path`; `false` when there is no such
    /// object.
    pub async fn get_file(&self, name: &str, path: &std::path::Path) -> Result<bool, ObjectsError> {
        use tokio::io::AsyncWriteExt;
        let Some(mut download) = self.get(name).await? else {
            return Ok(false);
        };
        let folder_error = |e| ObjectsError::File(path.display().to_string(), e);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(folder_error)?;
        }
        let mut file = tokio::fs::File::create(path).await.map_err(folder_error)?;
        while let Some(chunk) = download.bytes.next().await {
            file.write_all(&chunk?).await.map_err(folder_error)?;
        }
        file.sync_all().await.map_err(folder_error)?;
        Ok(true)
    }

    /// The names of every object under `prefix` (a folder-like `a/b`), in no set order.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, ObjectsError> {
        let prefix = ObjectPath::from(prefix);
        let mut listed = self.inner.list(Some(&prefix));
        let mut names = Vec::new();
        while let Some(meta) = listed.next().await {
            names.push(meta?.location.to_string());
        }
        Ok(names)
    }

    /// The top-level "folders" (common prefixes) of the store.
    pub async fn folders(&self) -> Result<Vec<String>, ObjectsError> {
        let listed = self.inner.list_with_delimiter(None).await?;
        Ok(listed
            .common_prefixes
            .iter()
            .map(|p| p.to_string())
            .collect())
    }
}
