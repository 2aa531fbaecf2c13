//! Sending what the push outbox holds. Each round claims due rows (one instance gets
//! each), writes each message for its reader as things stand, and posts it, encrypted
//! for each of their devices, to the device's push service. A device the service calls
//! gone (404, 410) is forgotten; a service that cannot be reached or answers 429/5xx
//! is tried again after a pause, a few times; a message for someone in quiet hours, or
//! about something they may no longer read, is dropped (the notification centre still
//! has it).

use super::message::{self, Message};
use crate::domain::scheduled::Clock;
use crate::store::{ClaimedPush, PushDevice, PushKeys, Store, StoreError};
use base64ct::{Base64UrlUnpadded, Encoding};
use std::time::Duration;
use tokio::sync::watch;
use web_push_native::jwt_simple::algorithms::ES256KeyPair;
use web_push_native::{p256::PublicKey, Auth, WebPushBuilder};

/// How often each instance sends what is due: a push is meant to arrive at once.
pub const SEND_EVERY: Duration = Duration::from_secs(1);
/// Rows one round claims at most.
const BATCH: i64 = 50;
/// How long a claim holds: longer than a round's requests may take.
const HOLD_MS: i64 = 60_000;
/// Pauses before the 2nd and 3rd try; after that the message is dropped (it would
/// arrive late, and the notification centre has it).
const RETRY_AFTER_MS: [i64; 2] = [30_000, 5 * 60_000];
/// How long a push service keeps a message for a device that is offline.
const TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long one request to a push service may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What one round did, for the tests and the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages accepted by a push service (one per device).
    pub delivered: usize,
    /// Rows dropped unsent: quiet hours, a group turned off, nothing they may read.
    pub dropped: usize,
    /// Devices forgotten because their push service said they are gone.
    pub forgotten: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends every due row (in batches) by `now`.
pub async fn send_due(
    store: &Store,
    client: &reqwest::Client,
    now: i64,
) -> Result<Round, StoreError> {
    let mut round = Round::default();
    // A read first: claiming is a write, and most seconds have nothing to send.
    if !store.pushes_due(now).await? {
        return Ok(round);
    }
    let Some(keys) = store.push_keys().await? else {
        return Ok(round);
    };
    let Some(signer) = signer(&keys) else {
        tracing::warn!("the stored VAPID key cannot be read; push is off");
        return Ok(round);
    };
    loop {
        let claimed = store.claim_pushes(now, now + HOLD_MS, BATCH).await?;
        if claimed.is_empty() {
            return Ok(round);
        }
        for row in claimed {
            let message = match message_for(store, &row, now).await? {
                Some((message, devices)) if !devices.is_empty() => (message, devices),
                _ => {
                    store.finish_push(row.id).await?;
                    round.dropped += 1;
                    continue;
                }
            };
            let (message, devices) = message;
            let mut again = false;
            for device in &devices {
                match deliver(client, &signer, &keys.contact, device, &message).await {
                    Outcome::Delivered => round.delivered += 1,
                    Outcome::Gone => {
                        store.forget_push_device(device.id).await?;
                        round.forgotten += 1;
                    }
                    Outcome::Later(why) => {
                        tracing::warn!(device = device.id, %why, "push not delivered");
                        again = true;
                    }
                    Outcome::Refused(why) => {
                        crate::telemetry::background_error("push");
                        tracing::warn!(device = device.id, %why, "push refused");
                    }
                }
            }
            // A retry goes to every device again: the few that took it the first time
            // show it once still (the same tag replaces it).
            match RETRY_AFTER_MS.get(row.attempts as usize - 1) {
                Some(pause) if again => {
                    store.retry_push(row.id, now + pause).await?;
                    round.retried += 1;
                }
                _ => {
                    if again {
                        crate::telemetry::background_error("push");
                        round.failed += 1;
                    }
                    store.finish_push(row.id).await?;
                }
            }
        }
    }
}

/// The message for `row` and the devices it goes to; `None` when it is not to be sent.
async fn message_for(
    store: &Store,
    row: &ClaimedPush,
    now: i64,
) -> Result<Option<(Message, Vec<PushDevice>)>, StoreError> {
    let Some(person) = store.recipient(row.user_id).await? else {
        return Ok(None);
    };
    if !person.active {
        return Ok(None);
    }
    let settings = store.push_settings(row.user_id).await?;
    let quiet = settings.quiet_from.zip(settings.quiet_to);
    if row.what != crate::store::PushWhat::Test
        && super::is_quiet(quiet, local_minute(settings.time_zone.as_deref(), now))
    {
        return Ok(None);
    }
    let groups = super::groups(&settings.groups);
    let Some(message) = message::write(store, &person, &groups, row).await? else {
        return Ok(None);
    };
    Ok(Some((message, store.push_devices(row.user_id).await?)))
}

/// Minutes after midnight at `now` in `time_zone` (UTC when unknown).
fn local_minute(time_zone: Option<&str>, now: i64) -> i64 {
    use chrono::{Offset, TimeZone, Utc};
    let offset_minutes = time_zone
        .and_then(|tz| tz.parse::<chrono_tz::Tz>().ok())
        .and_then(|tz| {
            Utc.timestamp_millis_opt(now).single().map(|at| {
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
                    / 60
            })
        })
        .unwrap_or(0);
    (now.div_euclid(60_000) + i64::from(offset_minutes)).rem_euclid(24 * 60)
}

fn signer(keys: &PushKeys) -> Option<ES256KeyPair> {
    let bytes = Base64UrlUnpadded::decode_vec(&keys.private_key).ok()?;
    ES256KeyPair::from_bytes(&bytes).ok()
}

enum Outcome {
    Delivered,
    Gone,
    Later(String),
    Refused(String),
}

async fn deliver(
    client: &reqwest::Client,
    signer: &ES256KeyPair,
    contact: &str,
    device: &PushDevice,
    message: &Message,
) -> Outcome {
    let request = (|| {
        let endpoint = device.endpoint.parse().ok()?;
        let key = Base64UrlUnpadded::decode_vec(&device.p256dh).ok()?;
        let auth = Base64UrlUnpadded::decode_vec(&device.auth).ok()?;
        let body = serde_json::to_vec(message).ok()?;
        WebPushBuilder::new(
            endpoint,
            PublicKey::from_sec1_bytes(&key).ok()?,
            Auth::clone_from_slice(&auth),
        )
        .with_valid_duration(TTL)
        .with_vapid(signer, contact)
        .build(body)
        .ok()
    })();
    let Some(request) = request else {
        return Outcome::Refused("the subscription's keys cannot be used".to_owned());
    };
    let (parts, body) = request.into_parts();
    let mut sending = client
        .post(parts.uri.to_string())
        .timeout(TIMEOUT)
        .header("Urgency", "high")
        .body(body);
    for (name, value) in &parts.headers {
        sending = sending.header(name.as_str(), value.as_bytes());
    }
    match sending.send().await {
        Ok(answer) => match answer.status().as_u16() {
            200..=299 => Outcome::Delivered,
            404 | 410 => Outcome::Gone,
            429 | 500..=599 => Outcome::Later(format!("push service answered {}", answer.status())),
            _ => Outcome::Refused(format!("push service answered {}", answer.status())),
        },
        Err(error) => Outcome::Later(error.to_string()),
    }
}

/// The HTTP client every round shares (its connections are kept between rounds).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .unwrap_or_default()
}

/// Each instance's push round, every [`SEND_EVERY`].
pub struct Pusher {
    closing: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Pusher {
    /// Runs by the system clock.
    pub fn start(store: Store) -> Pusher {
        Pusher::start_with(store, std::sync::Arc::new(crate::store::now_ms), SEND_EVERY)
    }

    pub fn start_with(store: Store, clock: Clock, every: Duration) -> Pusher {
        let closing = watch::channel(false).0;
        let mut stop = closing.subscribe();
        let task = tokio::spawn(async move {
            let client = client();
            loop {
                match send_due(&store, &client, clock()).await {
                    Ok(round) if round != Round::default() => {
                        tracing::info!(?round, "push sent");
                    }
                    Ok(_) => {}
                    Err(error) => {
                        crate::telemetry::background_error("push");
                        tracing::warn!(%error, "cannot send push messages");
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    _ = stop.changed() => return,
                }
            }
        });
        Pusher { closing, task }
    }

    /// Stops after the round in progress, if any.
    pub async fn stop(self) {
        self.closing.send_replace(true);
        let _ = self.task.await;
    }
}
