//! Web Push: a notification reaches a person's phone or desktop through their browser's
//! push service, even when no Townhall tab is open.
//!
//! - A device turns it on from the account page: the browser subscribes with this
//!   Townhall's VAPID public key ([`public_key`], made once and shared by every
//!   instance) and the page hands the subscription to [`subscribe`]. It belongs to the
//!   session it was made in, so signing out ends it.
//! - Notifications of the groups a person keeps on ([`PushGroup`]) are queued for
//!   those with a device when they are stored (`Tx::notify`); every instance runs a
//!   [`Pusher`] that claims them, writes each message as things stand then (the read
//!   rule, the person's groups and quiet hours), encrypts it for each device (RFC 8291)
//!   and signs the request (RFC 8292). A device its push service calls gone is forgotten.
//! - Endpoints must be on a browser's push service (so nobody can make Townhall send
//!   requests into its own network), or on loopback when the operator allows it
//!   (`Store::with_local_push`, for tests).

pub mod message;
pub mod sender;

pub use sender::Pusher;

use crate::error::{AppError, Field, Invalid};
use crate::model::{PushGroup, PushSettings};
use crate::policy::Viewer;
use crate::store::{NewPush, PushDevice, PushKeys, PushWhat, Store};
use base64ct::{Base64UrlUnpadded, Encoding};

/// Devices one person may have subscribed at once; the oldest go first.
pub const MAX_DEVICES: i64 = 10;
/// The longest endpoint accepted (browsers' are under 500 characters).
const MAX_ENDPOINT: usize = 1024;
/// The push services of Chrome/Edge/Android (FCM), Firefox (Mozilla), Safari/iOS
/// (Apple) and Windows (WNS): an endpoint's host must be one of these or under them.
const PUSH_SERVICES: [&str; 5] = [
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
];

/// This Townhall's VAPID public key (base64url), made on first use by whichever
/// instance gets there first; `contact` (where the site was opened) goes in its
/// signatures.
pub async fn public_key(store: &Store, contact: &str, now: i64) -> Result<String, AppError> {
    if let Some(keys) = store.push_keys().await? {
        return Ok(keys.public_key);
    }
    let keys = new_keys(contact)?;
    let mut tx = store.begin().await?;
    tx.create_push_keys(&keys, now).await?;
    tx.commit().await?;
    // Another instance may have stored its pair first: theirs is the one.
    Ok(store
        .push_keys()
        .await?
        .ok_or(AppError::Internal)?
        .public_key)
}

fn new_keys(contact: &str) -> Result<PushKeys, AppError> {
    use web_push_native::p256::{elliptic_curve::sec1::ToEncodedPoint, SecretKey};
    let secret = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| AppError::Internal)?;
        // All but a vanishing few 32-byte strings are valid scalars.
        if let Ok(secret) = SecretKey::from_slice(&bytes) {
            break secret;
        }
    };
    let public = secret.public_key().to_encoded_point(false);
    let contact = if contact.starts_with("https://") || contact.starts_with("mailto:") {
        contact.to_owned()
    } else {
        // Push services want a way to reach the sender; an http:// site (a test, or a
        // box without TLS yet) has none to give.
        "mailto:postmaster@localhost".to_owned()
    };
    Ok(PushKeys {
        private_key: Base64UrlUnpadded::encode_string(&secret.to_bytes()),
        public_key: Base64UrlUnpadded::encode_string(public.as_bytes()),
        contact,
    })
}

/// Records the signed-in device's subscription (made in session `session_hash`).
pub async fn subscribe(
    store: &Store,
    viewer: &Viewer,
    session_hash: &str,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    now: i64,
) -> Result<(), AppError> {
    let device = checked_device(store, endpoint, p256dh, auth)?;
    let mut tx = store.begin().await?;
    tx.save_push_device(viewer.user_id, session_hash, &device, now)
        .await?;
    tx.trim_push_devices(viewer.user_id, MAX_DEVICES).await?;
    tx.commit().await?;
    Ok(())
}

/// A subscription as a browser gives it, checked before anything is stored: an
/// endpoint on a push service, a P-256 public key and a 16-byte secret.
fn checked_device(
    store: &Store,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> Result<PushDevice, AppError> {
    let bad = || AppError::from(Invalid::Unacceptable(Field::PushDevice));
    if endpoint.len() > MAX_ENDPOINT || !endpoint_allowed(endpoint, store.local_push()) {
        return Err(bad());
    }
    // A P-256 point is 65 bytes (87 characters of base64url), the secret 16 (22): refused
    // by length before anything is decoded.
    if p256dh.len() > 88 || auth.len() > 24 {
        return Err(bad());
    }
    let key = Base64UrlUnpadded::decode_vec(p256dh.trim_end_matches('=')).map_err(|_| bad())?;
    web_push_native::p256::PublicKey::from_sec1_bytes(&key).map_err(|_| bad())?;
    let secret = Base64UrlUnpadded::decode_vec(auth.trim_end_matches('=')).map_err(|_| bad())?;
    if secret.len() != 16 {
        return Err(bad());
    }
    Ok(PushDevice {
        id: 0,
        endpoint: endpoint.to_owned(),
        p256dh: p256dh.trim_end_matches('=').to_owned(),
        auth: auth.trim_end_matches('=').to_owned(),
    })
}

/// Whether `endpoint` is an https address on a browser's push service, or (with
/// `local`) any address on this machine.
fn endpoint_allowed(endpoint: &str, local: bool) -> bool {
    let Ok(uri) = endpoint.parse::<http::Uri>() else {
        return false;
    };
    let Some(host) = uri.host() else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    let scheme = uri.scheme_str();
    if local && matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
        return matches!(scheme, Some("http" | "https"));
    }
    scheme == Some("https")
        && PUSH_SERVICES
            .iter()
            .any(|service| host == *service || host.ends_with(&format!(".{service}")))
}

/// Removes the signed-in person's subscription at `endpoint` (the device turned it off).
pub async fn unsubscribe(store: &Store, viewer: &Viewer, endpoint: &str) -> Result<(), AppError> {
    let mut tx = store.begin().await?;
    tx.delete_push_device(viewer.user_id, endpoint).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a test message to every device of the signed-in person.
pub async fn test(store: &Store, viewer: &Viewer, now: i64) -> Result<(), AppError> {
    if store.push_devices(viewer.user_id).await?.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut tx = store.begin().await?;
    tx.queue_pushes(
        &[NewPush {
            user_id: viewer.user_id,
            what: PushWhat::Test,
            actor_id: None,
            post_id: None,
            comment_id: None,
        }],
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in person's push settings, with the key a device subscribes with.
pub async fn settings(
    store: &Store,
    viewer: &Viewer,
    contact: &str,
    now: i64,
) -> Result<PushSettings, AppError> {
    let public_key = public_key(store, contact, now).await?;
    let stored = store.push_settings(viewer.user_id).await?;
    Ok(PushSettings {
        public_key,
        groups: groups(&stored.groups),
        quiet: stored.quiet_from.zip(stored.quiet_to),
        devices: stored.devices,
    })
}

/// The groups in a stored list, unknown names skipped.
pub fn groups(stored: &str) -> Vec<PushGroup> {
    stored.split(',').filter_map(PushGroup::parse).collect()
}

/// Saves which groups reach the person's devices and their quiet hours (`HH:MM` each,
/// both or neither; `from` later than `to` spans midnight).
pub async fn set_settings(
    store: &Store,
    viewer: &Viewer,
    chosen: &[String],
    quiet_from: &str,
    quiet_to: &str,
) -> Result<(), AppError> {
    let mut groups = Vec::new();
    for name in chosen {
        let group =
            PushGroup::parse(name.trim()).ok_or(Invalid::Unacceptable(Field::PushGroups))?;
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    let quiet = match (minutes(quiet_from), minutes(quiet_to)) {
        (Ok(None), Ok(None)) => None,
        (Ok(Some(from)), Ok(Some(to))) if from != to => Some((from, to)),
        _ => return Err(Invalid::Unacceptable(Field::QuietHours).into()),
    };
    let names: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    let mut tx = store.begin().await?;
    tx.set_push_settings(viewer.user_id, &names.join(","), quiet)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// `HH:MM` as minutes after midnight; empty is `None`.
fn minutes(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (hours, minutes) = text.split_once(':').ok_or(())?;
    let hours: i64 = hours.parse().map_err(|_| ())?;
    let minutes: i64 = minutes.parse().map_err(|_| ())?;
    if (0..24).contains(&hours) && (0..60).contains(&minutes) {
        Ok(Some(hours * 60 + minutes))
    } else {
        Err(())
    }
}

/// Whether `minute` (after local midnight) falls in quiet hours `from`..`to`, which may
/// span midnight.
pub fn is_quiet(quiet: Option<(i64, i64)>, minute: i64) -> bool {
    match quiet {
        None => false,
        Some((from, to)) if from < to => (from..to).contains(&minute),
        Some((from, to)) => minute >= from || minute < to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_push_services_unless_local_is_allowed() {
        for ok in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/abc",
            "https://web.push.apple.com/QH",
            "https://wns2-sg2p.notify.windows.com/w/?token=x",
        ] {
            assert!(endpoint_allowed(ok, false), "{ok}");
        }
        for refused in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/x",
            "https://evilfcm.googleapis.com.example/x",
            "https://127.0.0.1/push",
            "http://localhost:8080/push",
            "https://10.0.0.1/",
            "not a url",
        ] {
            assert!(!endpoint_allowed(refused, false), "{refused}");
        }
        assert!(endpoint_allowed("http://127.0.0.1:9000/push/1", true));
        assert!(!endpoint_allowed("http://10.0.0.1:9000/push/1", true));
    }

    #[test]
    fn quiet_hours_may_span_midnight() {
        assert!(!is_quiet(None, 0));
        let night = Some((22 * 60, 7 * 60));
        assert!(is_quiet(night, 23 * 60));
        assert!(is_quiet(night, 0));
        assert!(is_quiet(night, 6 * 60 + 59));
        assert!(!is_quiet(night, 7 * 60));
        assert!(!is_quiet(night, 12 * 60));
        let lunch = Some((12 * 60, 13 * 60));
        assert!(is_quiet(lunch, 12 * 60 + 30));
        assert!(!is_quiet(lunch, 13 * 60));
    }

    #[test]
    fn times_are_read_as_hours_and_minutes() {
        assert_eq!(minutes(""), Ok(None));
        assert_eq!(minutes("07:30"), Ok(Some(450)));
        assert_eq!(minutes("23:59"), Ok(Some(1439)));
        assert!(minutes("24:00").is_err());
        assert!(minutes("7").is_err());
    }
}
