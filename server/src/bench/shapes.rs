//! Readers of every shape (the hot-paths issue): the same pages cost what they cost for
//! whoever asks, so the bench asks as five kinds of people, not only members of the
//! busiest channel. The people are made for the run (a new address each time), put in
//! the channels their shape names, and signed in as signing in would.

use super::client::{Call, Sample};
use super::{BenchError, Next};
use app::model::{ChannelKind, PersonId, Role};
use app::store::{NewUser, Reader, Store};
use std::sync::Arc;

/// One reader: who they are, their session, and the channel whose page they open (the
/// quietest of theirs).
pub struct Shape {
    pub name: String,
    pub session: Arc<str>,
    pub channel: String,
}

/// What each shape is measured on, in the report's column order.
pub const PAGES: [&str; 4] = [
    "home feed (JSON)",
    "home page (HTML)",
    "channel list (HTML)",
    "channel page (HTML)",
];

/// The requests of [`PAGES`] as `shape` sends them.
pub fn requests(shape: &Shape) -> [Next; 4] {
    let session = shape.session.clone();
    let at = move |call: Call| call.as_(&session);
    let channel = format!("/channels/{}", shape.channel);
    [
        Arc::new({
            let at = at.clone();
            move |_, _| at(Call::post("/api/feed/home", ""))
        }),
        Arc::new({
            let at = at.clone();
            move |_, _| at(Call::get("/"))
        }),
        Arc::new({
            let at = at.clone();
            move |_, _| at(Call::get("/channels"))
        }),
        Arc::new(move |_, _| at(Call::get(channel.clone()))),
    ]
}

/// A measured shape: its name and one sample per page of [`PAGES`].
pub struct Measured {
    pub name: String,
    pub samples: Vec<Sample>,
}

/// Makes the five readers: a member of the general channel (and nothing else), a guest
/// in the quietest channel, someone in the three quietest channels only, someone in 40
/// channels, and a new joiner (in the default channels since a moment ago, having
/// looked at nothing).
pub async fn cast(store: &Store) -> Result<Vec<Shape>, BenchError> {
    let nobody = Reader {
        user_id: PersonId(0),
        guest: false,
        staff: false,
    };
    let mut channels: Vec<_> = store
        .listed_channels(nobody)
        .await?
        .into_iter()
        .filter(|c| c.post_count > 0 && c.kind == ChannelKind::Public)
        .collect();
    channels.sort_by_key(|c| (c.post_count, c.slug.clone()));
    if channels.len() < 3 {
        return Err(BenchError::NoCompany);
    }
    // The quick benchmark's company has fewer public channels than 40.
    let many = channels.len().min(40);
    let quiet: Vec<String> = channels.iter().map(|c| c.slug.clone()).collect();
    let by_size_desc: Vec<String> = quiet.iter().rev().cloned().collect();
    let run = app::store::now_ms();
    let plans: [(String, Role, Vec<String>, bool); 5] = [
        (
            "member of general only".into(),
            Role::Member,
            vec!["general".into()],
            false,
        ),
        (
            "guest in 1 quiet channel".into(),
            Role::Guest,
            quiet[..1].to_vec(),
            false,
        ),
        (
            "member of 3 quiet channels".into(),
            Role::Member,
            quiet[..3].to_vec(),
            false,
        ),
        (
            format!("member of {many} channels"),
            Role::Member,
            by_size_desc[..many].to_vec(),
            false,
        ),
        ("new joiner".into(), Role::Member, Vec::new(), true),
    ];
    let mut shapes = Vec::new();
    let mut tx = store.begin().await?;
    for (k, (name, role, places, defaults)) in plans.into_iter().enumerate() {
        let email = format!("bench.shape{k}.{run}@bench.example");
        let id = tx
            .create_user(&NewUser {
                email: &email,
                display_name: &name,
                job_title: "",
                department_id: None,
                manager_id: None,
                role,
                location: "",
                start_date: None,
                created_at: run,
            })
            .await?;
        let mut opened = None;
        if defaults {
            tx.join_default_channels(id, run).await?;
            opened = Some("general".to_owned());
        }
        for slug in &places {
            let channel = store
                .channel_access(slug, id)
                .await?
                .ok_or(BenchError::NoCompany)?;
            // Joined long ago: everything since counts as new on the channel list.
            tx.join_channel(channel.id, id, 0).await?;
            opened = Some(slug.clone());
        }
        let token = app::domain::accounts::session::new_token()
            .map_err(|e| BenchError::Request(format!("no randomness for a session: {e}")))?;
        tx.create_session(
            &app::domain::accounts::session::token_hash(&token),
            id,
            run,
            run + app::domain::accounts::session::LIFETIME_MS,
        )
        .await?;
        shapes.push(Shape {
            name,
            session: Arc::from(token),
            // The quietest of their channels (the list is quietest first).
            channel: places.first().cloned().or(opened).unwrap_or_default(),
        });
    }
    tx.commit().await?;
    Ok(shapes)
}

/// Slowest ÷ typical: the worst shape's p50 on the home feed over the general member's.
pub fn spread(measured: &[Measured], page: usize) -> Option<f64> {
    let typical = measured.first()?.samples.get(page)?.quantile_ms(0.5);
    let worst = measured
        .iter()
        .filter_map(|m| m.samples.get(page))
        .map(|s| s.quantile_ms(0.5))
        .fold(0.0_f64, f64::max);
    (typical > 0.0).then(|| worst / typical)
}
