//! Live updates. Writers append events to the database log inside their transactions
//! (`store::events`); each instance runs one [`LiveHub`] that reads the log in id order
//! and broadcasts it to its streams (what was committed together, and under load what
//! was committed in the [`GATHER`] pause after the last broadcast, as one batch), and
//! each stream ([`follow`]) passes every event through the same policy as reads before
//! its tab hears of it. A stream re-reads its
//! person's role and channels whenever they change (a role change, deactivation or a
//! membership change records an event for them), and ends when they are deactivated.
//!
//! What every channel is (public, private…) is one [`Directory`] per instance, shared by
//! all its streams; a stream keeps only the ids of the channels its person is in. With
//! ten thousand tabs open, that is one map of the company's channels instead of ten
//! thousand (the hot-paths issue: memory per idle stream).
//!
//! The hub reads the log when this process committed events, when PostgreSQL announces
//! another instance's commit (LISTEN/NOTIFY), and every few seconds in case a
//! notification was lost. A tab that reconnects names the last event it received and
//! gets everything after it from the log, so a lost network loses nothing.

use crate::model::{ChannelId, ChannelKind, LiveEvent, LiveKind};
use crate::policy::{allows, Action, ChannelFacts, Viewer};
use crate::store::{Backend, Store, StoreError, StoredEvent, EVENT_RETENTION_MS, NOTIFY_CHANNEL};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch};

/// How often the hub looks at the log even when nobody said anything was written.
const POLL: Duration = Duration::from_secs(2);
/// How many events the hub and a catching-up stream read at once.
const BATCH: i64 = 500;
/// Broadcasts (each a batch of events) a slow stream may fall behind before it re-reads
/// the log instead: half a minute at two a second, and a bound on what one stalled
/// connection keeps alive (at most this many batches of [`GATHERED_MOST`] events).
const BUFFER: usize = 64;
/// After a broadcast, the hub waits this long before the next one, gathering whatever is
/// committed meanwhile into it. An event after a quiet moment goes at once; under load,
/// each tab is written to at most this often instead of once per event. At a busy hour
/// ×30 (seven events a second to 9,000 tabs) that is the difference between 63,000
/// writes a second, more than two cores deliver, and 18,000 (the hot-paths issue's
/// open-loop mix).
pub const GATHER: Duration = Duration::from_millis(500);
/// The most events one broadcast carries (a few log reads): a stream that takes a batch
/// holds it until it has looked at every event.
const GATHERED_MOST: usize = 4 * BATCH as usize;
/// How often each instance forgets events older than [`EVENT_RETENTION_MS`].
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);
/// The directory re-reads the channels for a channel it does not know (an archived one)
/// at most this often, unless the id is newer than any it knows (a new channel).
const RELOAD_AFTER: Duration = Duration::from_secs(5);
/// How often the hub re-reads the directory even when no event named a new channel.
const DIRECTORY_EVERY: Duration = Duration::from_secs(60);

/// Events broadcast together, in id order.
type Batch = Arc<[StoredEvent]>;

pub struct LiveHub {
    sender: broadcast::Sender<Batch>,
    latest: AtomicI64,
    /// How many batches were broadcast (tests tell gathering from one send per event).
    broadcasts: std::sync::atomic::AtomicU64,
    closing: watch::Sender<bool>,
    directory: Arc<Directory>,
}

/// The kind of every channel that is not archived, shared by all of an instance's
/// streams. A channel made after it was read has a larger id than any it knows, so an
/// event naming one re-reads it at once (one reader re-reads; the others wait and find
/// the channel); any other unknown id (an archived channel) at most every
/// [`RELOAD_AFTER`].
pub struct Directory {
    kinds: std::sync::RwLock<HashMap<ChannelId, ChannelKind>>,
    /// The largest id known, and when the channels were last read.
    newest: AtomicI64,
    loaded_at: std::sync::Mutex<Instant>,
    reloading: tokio::sync::Mutex<()>,
}

impl Directory {
    pub async fn load(store: &Store) -> Result<Directory, StoreError> {
        let directory = Directory {
            kinds: Default::default(),
            newest: AtomicI64::new(0),
            loaded_at: std::sync::Mutex::new(Instant::now()),
            reloading: tokio::sync::Mutex::new(()),
        };
        directory.reload(store).await?;
        Ok(directory)
    }

    fn known(&self, channel: ChannelId) -> Option<ChannelKind> {
        self.kinds
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&channel)
            .copied()
    }

    fn loaded_at(&self) -> Instant {
        *self
            .loaded_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The kind of `channel`, re-reading the channels if it may be new.
    pub async fn kind(
        &self,
        store: &Store,
        channel: ChannelId,
    ) -> Result<Option<ChannelKind>, StoreError> {
        if let Some(kind) = self.known(channel) {
            return Ok(Some(kind));
        }
        let may_be_new = |d: &Directory| {
            channel.0 > d.newest.load(Ordering::Acquire) || d.loaded_at().elapsed() > RELOAD_AFTER
        };
        if !may_be_new(self) {
            return Ok(None);
        }
        let _turn = self.reloading.lock().await;
        // Whoever held the turn before may have read it already.
        if self.known(channel).is_none() && may_be_new(self) {
            self.reload(store).await?;
        }
        let kind = self.known(channel);
        if kind.is_none() {
            // Not new after all (archived, or gone): its events must not re-read the
            // channels each time.
            self.newest.fetch_max(channel.0, Ordering::AcqRel);
        }
        Ok(kind)
    }

    /// Re-reads the channels, in turn with any stream doing so, so that an older read
    /// never replaces a newer one.
    async fn refresh(&self, store: &Store) -> Result<(), StoreError> {
        let _turn = self.reloading.lock().await;
        self.reload(store).await
    }

    /// Only with the `reloading` turn held (or before anyone else can see it).
    async fn reload(&self, store: &Store) -> Result<(), StoreError> {
        let kinds: HashMap<ChannelId, ChannelKind> =
            store.channel_kinds().await?.into_iter().collect();
        let newest = kinds.keys().map(|c| c.0).max().unwrap_or(0);
        *self
            .kinds
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = kinds;
        self.newest.fetch_max(newest, Ordering::AcqRel);
        *self
            .loaded_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
        Ok(())
    }
}

impl LiveHub {
    /// Starts reading the log from its current end (and, on PostgreSQL, listening).
    pub async fn start(store: Store) -> Result<Arc<LiveHub>, StoreError> {
        LiveHub::start_polling(store, POLL).await
    }

    /// [`LiveHub::start`] looking at the log every `poll` when nothing woke it: tests
    /// tell the two ways events arrive apart (PostgreSQL's NOTIFY, and the poll).
    pub async fn start_polling(store: Store, poll: Duration) -> Result<Arc<LiveHub>, StoreError> {
        let (sender, _) = broadcast::channel(BUFFER);
        let hub = Arc::new(LiveHub {
            sender,
            latest: AtomicI64::new(store.last_event_id().await?),
            broadcasts: Default::default(),
            closing: watch::channel(false).0,
            directory: Arc::new(Directory::load(&store).await?),
        });
        if store.backend() == Backend::Postgres {
            tokio::spawn(listen(store.url().to_owned(), store.events_written()));
        }
        tokio::spawn(pump(store, hub.clone(), poll));
        Ok(hub)
    }

    /// The id of the latest event broadcast: where a new stream starts.
    pub fn latest(&self) -> i64 {
        self.latest.load(Ordering::Acquire)
    }

    /// How many batches of events were broadcast since the hub started.
    pub fn broadcasts(&self) -> u64 {
        self.broadcasts.load(Ordering::Acquire)
    }

    /// Ends every stream (the server is shutting down and waits for open responses).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

/// Reads new events from the log and broadcasts them, in order, for ever.
async fn pump(store: Store, hub: Arc<LiveHub>, poll: Duration) {
    let written = store.events_written();
    let mut closing = hub.closing.subscribe();
    let mut pruned = Instant::now();
    // More was committed than one broadcast carries: read on without waiting.
    let mut more = false;
    loop {
        // Also when it closed before this task subscribed, or while it was reading on.
        if *closing.borrow() {
            return;
        }
        if !more {
            tokio::select! {
                () = written.notified() => {}
                () = tokio::time::sleep(poll) => {}
                _ = closing.changed() => return,
            }
        }
        // Archived channels leave the directory within a minute.
        if hub.directory.loaded_at().elapsed() > DIRECTORY_EVERY {
            if let Err(err) = hub.directory.refresh(&store).await {
                crate::telemetry::background_error("live");
                tracing::warn!(error = %err, "live hub cannot read the channels");
            }
        }
        if pruned.elapsed() > PRUNE_EVERY {
            pruned = Instant::now();
            if let Err(err) = prune(&store).await {
                crate::telemetry::background_error("live");
                tracing::warn!(error = %err, "cannot prune old live events");
            }
        }
        // Everything committed since the last read goes out as one batch (of at most
        // `GATHERED_MOST` events).
        let mut gathered: Vec<StoredEvent> = Vec::new();
        let mut after = hub.latest();
        more = false;
        loop {
            let batch = match store.events_after(after, BATCH).await {
                Ok(batch) => batch,
                Err(err) => {
                    crate::telemetry::background_error("live");
                    tracing::warn!(error = %err, "live hub cannot read events");
                    // What was read goes out; the rest is read again at once, not after
                    // the next wake-up.
                    more = !gathered.is_empty();
                    break;
                }
            };
            for event in &batch {
                // A new channel enters the directory here, once, before any stream
                // meets it.
                if let Some(channel) = event.channel_id {
                    if let Err(err) = hub.directory.kind(&store, channel).await {
                        // Each stream asks again when it meets the channel.
                        crate::telemetry::background_error("live");
                        tracing::warn!(error = %err, "live hub cannot read the channels");
                    }
                }
            }
            let full = batch.len() as i64 == BATCH;
            if let Some(last) = batch.last() {
                after = last.id;
            }
            gathered.extend(batch);
            if !full {
                break;
            }
            if gathered.len() >= GATHERED_MOST {
                more = true;
                break;
            }
        }
        let Some(last) = gathered.last().map(|e| e.id) else {
            continue;
        };
        // No receivers is fine: nobody is watching right now.
        let _ = hub.sender.send(Arc::from(gathered));
        hub.broadcasts.fetch_add(1, Ordering::AcqRel);
        hub.latest.store(last, Ordering::Release);
        if more {
            continue;
        }
        // Commits meanwhile leave their wake-up behind (`Notify` keeps one), so the next
        // read, after the pause, gathers them all.
        tokio::select! {
            () = tokio::time::sleep(GATHER) => {}
            _ = closing.changed() => return,
        }
    }
}

async fn prune(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    tx.prune_events(crate::store::now_ms() - EVENT_RETENTION_MS)
        .await?;
    tx.commit().await
}

/// Wakes the hub whenever another instance commits events. Reconnects after failures;
/// the hub's polling covers anything missed meanwhile.
async fn listen(url: String, wake: Arc<tokio::sync::Notify>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(err) = listener.listen(NOTIFY_CHANNEL).await {
                    crate::telemetry::background_error("live");
                    tracing::warn!(error = %err, "cannot LISTEN for live events");
                } else {
                    while listener.recv().await.is_ok() {
                        wake.notify_one();
                    }
                }
            }
            Err(err) => {
                crate::telemetry::background_error("live");
                tracing::warn!(error = %err, "cannot connect to LISTEN for live events")
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Which events one person may hear about, decided by [`crate::policy`].
pub struct Audience {
    viewer: Viewer,
    directory: Arc<Directory>,
    /// The channels the person is a member of, in id order (usually a handful).
    member_of: Box<[ChannelId]>,
    /// The person was deactivated (or is gone): the stream must end.
    ended: bool,
}

impl Audience {
    /// The audience of `viewer`, with a directory of its own (a hub's streams share the
    /// hub's: [`Audience::joining`]).
    pub async fn load(store: &Store, viewer: Viewer) -> Result<Audience, StoreError> {
        let directory = Arc::new(Directory::load(store).await?);
        Audience::joining(store, viewer, directory).await
    }

    pub async fn joining(
        store: &Store,
        viewer: Viewer,
        directory: Arc<Directory>,
    ) -> Result<Audience, StoreError> {
        let mut audience = Audience {
            viewer,
            directory,
            member_of: Box::default(),
            ended: false,
        };
        audience.reload(store).await?;
        Ok(audience)
    }

    /// Whether the stream must end: its person was deactivated since it started.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Re-reads who the person is now (their role decides what they may read, and an
    /// admin may have changed it since the stream started) and their channels.
    async fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        match store.person(self.viewer.user_id).await? {
            Some(record) if record.active => {
                self.viewer.role = record.role;
                self.viewer.leader = record.leader;
            }
            _ => {
                self.ended = true;
                self.member_of = Box::default();
                return Ok(());
            }
        }
        self.member_of = store
            .member_channels(self.viewer.user_id)
            .await?
            .into_boxed_slice();
        Ok(())
    }

    /// What the person's tab is told about `event`, if anything.
    pub async fn admit(
        &mut self,
        store: &Store,
        event: &StoredEvent,
    ) -> Result<Option<LiveEvent>, StoreError> {
        let me = self.viewer.user_id;
        if self.ended {
            return Ok(None);
        }
        if let Some(recipient) = event.recipient_id {
            if recipient != me {
                return Ok(None);
            }
            if event.kind == LiveKind::Membership {
                // Boxed, as every read of the database here: an idle stream's task then
                // holds a pointer where the query's state would be (see `follow`).
                Box::pin(self.reload(store)).await?;
                return Ok(None);
            }
            return Ok(Some(self.told(event, false)));
        }
        let Some(channel) = event.channel_id else {
            return Ok(None);
        };
        // Their own doing: their tab already shows it.
        if event.actor_id == Some(me) {
            return Ok(None);
        }
        let kind = match self.directory.known(channel) {
            Some(kind) => kind,
            None => match Box::pin(self.directory.kind(store, channel)).await? {
                Some(kind) => kind,
                None => return Ok(None),
            },
        };
        // Joining or leaving records an event for the person, which re-reads these
        // before any later event of the channel arrives (the log is read in order).
        let member = self.member_of.binary_search(&channel).is_ok();
        if !allows(
            Some(&self.viewer),
            Action::ReadChannel(ChannelFacts { kind, member }),
        ) {
            return Ok(None);
        }
        Ok(Some(self.told(event, member)))
    }

    fn told(&self, event: &StoredEvent, member: bool) -> LiveEvent {
        LiveEvent {
            id: event.id,
            kind: event.kind,
            post: event.post_id,
            channel: event.channel_id,
            home: member,
        }
    }
}

/// Every event after `after` that `viewer` may hear about, in order: first those in the
/// log, then each as the hub broadcasts it. The stream ends when the hub closes or the
/// person is deactivated, and at the first error (after yielding it).
///
/// It runs in whatever polls it (the HTTP response's body), not in a task of its own:
/// with ten thousand tabs open, an event wakes ten thousand bodies once, instead of ten
/// thousand tasks that then wake ten thousand bodies through a queue each (the
/// hot-paths issue: fan-out p99 and memory per idle stream). A tab that reads slowly
/// holds back only its own stream; the hub's buffer then tells it that it fell behind,
/// and it reads the log from where it was.
pub fn follow(
    store: Store,
    hub: Arc<LiveHub>,
    viewer: Viewer,
    after: i64,
) -> impl futures_util::Stream<Item = Result<LiveEvent, StoreError>> + Send {
    // Subscribe before reading the backlog: whatever commits meanwhile arrives twice at
    // worst, and ids tell the copies apart.
    let follower = Follower {
        events: hub.sender.subscribe(),
        closing: hub.closing.subscribe(),
        directory: hub.directory.clone(),
        store,
        viewer: Some(viewer),
        audience: None,
        sent: after,
        reading_log: true,
        backlog: None,
        done: false,
    };
    futures_util::stream::unfold(follower, |mut follower| async move {
        let item = follower.next().await?;
        if item.is_err() {
            follower.done = true;
        }
        Some((item, follower))
    })
}

/// One tab's place in the log and what it may hear.
struct Follower {
    store: Store,
    events: broadcast::Receiver<Batch>,
    closing: watch::Receiver<bool>,
    directory: Arc<Directory>,
    /// Who follows, until their audience is read (at the first poll).
    viewer: Option<Viewer>,
    audience: Option<Audience>,
    /// The id of the last event looked at.
    sent: i64,
    /// Reading the log (at the start, and after falling behind the hub).
    reading_log: bool,
    /// The last batch read from the log or received from the hub, looked at one event a
    /// step (so that an error or the end comes in order), and from where; let go (and
    /// its memory with it) before the stream waits for the hub again.
    backlog: Option<(Batch, usize)>,
    done: bool,
}

impl Follower {
    async fn next(&mut self) -> Option<Result<LiveEvent, StoreError>> {
        loop {
            if self.done || *self.closing.borrow() {
                return None;
            }
            let audience = match &mut self.audience {
                Some(audience) if audience.ended() => return None,
                Some(audience) => audience,
                None => {
                    let viewer = self.viewer.take()?;
                    // Boxed, as every read of the database here: an idle stream holds a
                    // pointer where the query's state would be, not room for it (a
                    // stream's size is that of its largest state).
                    let joined = match Box::pin(Audience::joining(
                        &self.store,
                        viewer,
                        self.directory.clone(),
                    ))
                    .await
                    {
                        Ok(audience) => audience,
                        Err(err) => return Some(Err(err)),
                    };
                    self.audience.insert(joined)
                }
            };
            let next = self.backlog.as_mut().and_then(|(batch, at)| {
                let event = batch.get(*at).copied();
                *at += 1;
                event
            });
            let event = match next {
                Some(event) => event,
                None if self.reading_log => {
                    // One batch at a time: a tab far behind is not read into memory at
                    // once.
                    let batch = match Box::pin(self.store.events_after(self.sent, BATCH)).await {
                        Ok(batch) => batch,
                        Err(err) => return Some(Err(err)),
                    };
                    self.reading_log = batch.len() as i64 == BATCH;
                    self.backlog = Some((Arc::from(batch), 0));
                    continue;
                }
                None => {
                    // The batch is looked at: it goes before a long wait.
                    self.backlog = None;
                    let received = tokio::select! {
                        received = self.events.recv() => received,
                        changed = self.closing.changed() => match changed {
                            Ok(()) => continue,
                            Err(_) => return None,
                        },
                    };
                    match received {
                        Ok(batch) => {
                            self.backlog = Some((batch, 0));
                            continue;
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            self.reading_log = true;
                            continue;
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            };
            // From the hub, an event may come again after the log (see `follow`).
            if event.id <= self.sent {
                continue;
            }
            self.sent = event.id;
            match audience.admit(&self.store, &event).await {
                Ok(Some(told)) => return Some(Ok(told)),
                Ok(None) => {}
                Err(err) => return Some(Err(err)),
            }
        }
    }
}
