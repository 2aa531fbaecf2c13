//! The authorisation matrix: every server function, called over real HTTP against a
//! running `townhall serve`, by each kind of caller — anonymous, guest, member, admin,
//! owner and a deactivated person still holding a session cookie — on SQLite and on
//! PostgreSQL. Each row says which status each caller gets; a refusal is 401 (not signed
//! in) or 403 (not allowed), and what was refused must have stored nothing.
//!
//! Targets are chosen so that allowed calls can repeat (setting a role someone already
//! has, a department name per caller) or prove only that the policy let them through (a
//! missing invitation answers 404 to admins, but 401/403 to everyone else).

mod common;

use app::auth::{self, session, SetUp};
use app::model::{ChannelKind, Role};
use app::store::testing::TestDb;
use app::store::{NewChannel, NewInvitation, NewUser, Store};
use common::*;
use std::net::SocketAddr;

const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    Guest,
    Member,
    Admin,
    Owner,
    Deactivated,
}
const CALLERS: [Caller; 6] = [
    Caller::Anonymous,
    Caller::Guest,
    Caller::Member,
    Caller::Admin,
    Caller::Owner,
    Caller::Deactivated,
];

/// The company the matrix runs in: who is who, and the ids the calls refer to.
struct Company {
    tokens: Vec<(Caller, String)>,
    ids: Vec<(Caller, i64)>,
    owner: i64,
    /// A member whom admins manage in the matrix (their role and activity must end
    /// where they started).
    target: i64,
    /// A member who shares the guest's channel.
    partner: i64,
    invitation_token: String,
    /// A post in the company-wide channel.
    post: i64,
    /// A must-read announcement from the owner to everyone (guests are not "everyone").
    announcement: i64,
    /// A post the owner scheduled for 2099.
    scheduled: i64,
}

impl Company {
    fn id(&self, caller: Caller) -> i64 {
        self.ids
            .iter()
            .find(|(c, _)| *c == caller)
            .map_or(0, |(_, id)| *id)
    }

    fn cookie(&self, caller: Caller) -> String {
        self.tokens
            .iter()
            .find(|(c, _)| *c == caller)
            .map(|(_, token)| format!("Cookie: townhall_session={token}\r\n"))
            .unwrap_or_default()
    }
}

async fn person(tx: &mut app::store::Tx, email: &str, name: &str, role: Role) -> i64 {
    tx.create_user(&NewUser {
        email,
        display_name: name,
        job_title: "",
        department_id: None,
        manager_id: None,
        role,
        location: "",
        start_date: None,
        created_at: app::store::now_ms(),
    })
    .await
    .unwrap()
}

async fn channel(tx: &mut app::store::Tx, slug: &str, kind: ChannelKind) -> i64 {
    tx.create_channel(&NewChannel {
        slug,
        name: slug,
        description: "",
        guidelines: "",
        kind,
        is_default: false,
        created_by: None,
        created_at: app::store::now_ms(),
    })
    .await
    .unwrap()
}

async fn company(store: &Store) -> Company {
    let now = app::store::now_ms();
    let owner_token = auth::set_up(
        store,
        SetUp {
            company_name: "Sao Mai",
            name: "Owner",
            email: "owner@saomai.vn",
            password: PASSWORD,
            time_zone: "Asia/Ho_Chi_Minh",
            default_channel_name: "general",
        },
        now,
    )
    .await
    .unwrap();
    let owner = store
        .credentials("owner@saomai.vn")
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let mut tx = store.begin().await.unwrap();
    let admin = person(&mut tx, "admin@saomai.vn", "Admin", Role::Admin).await;
    let member = person(&mut tx, "member@saomai.vn", "Member", Role::Member).await;
    let guest = person(&mut tx, "guest@partner.vn", "Guest", Role::Guest).await;
    let gone = person(&mut tx, "gone@saomai.vn", "Gone", Role::Member).await;
    let target = person(&mut tx, "target@saomai.vn", "Target", Role::Member).await;
    let partner = person(&mut tx, "partner@saomai.vn", "Partner", Role::Member).await;
    for id in [admin, member, gone, target, partner] {
        tx.join_default_channels(id, now).await.unwrap();
    }
    let engineering = channel(&mut tx, "engineering", ChannelKind::Public).await;
    tx.add_member(engineering, member, false).await.unwrap();
    let leaders = channel(&mut tx, "leaders", ChannelKind::Private).await;
    tx.add_member(leaders, admin, true).await.unwrap();
    tx.add_member(leaders, owner, false).await.unwrap();
    let partners = channel(&mut tx, "partners", ChannelKind::Public).await;
    tx.add_member(partners, guest, false).await.unwrap();
    tx.add_member(partners, partner, false).await.unwrap();
    let invitation_token = "matrix-invitation".to_owned();
    tx.create_invitation(&NewInvitation {
        token_hash: &session::token_hash(&invitation_token),
        role: Role::Member,
        department_id: None,
        channel_id: None,
        max_uses: None,
        expires_at: now + 86_400_000,
        created_by: owner,
        created_at: now,
    })
    .await
    .unwrap();
    let mut tokens = vec![(Caller::Owner, owner_token)];
    for (caller, id) in [
        (Caller::Admin, admin),
        (Caller::Member, member),
        (Caller::Guest, guest),
    ] {
        let token = session::new_token().unwrap();
        tx.create_session(&session::token_hash(&token), id, now, now + 86_400_000)
            .await
            .unwrap();
        tokens.push((caller, token));
    }
    // Deactivation ends sessions; this one is written afterwards, as if it had been
    // created in the same instant, to prove an inactive person's cookie is worthless.
    tx.set_active(gone, false, now).await.unwrap();
    let gone_token = session::new_token().unwrap();
    tx.create_session(
        &session::token_hash(&gone_token),
        gone,
        now,
        now + 86_400_000,
    )
    .await
    .unwrap();
    tokens.push((Caller::Deactivated, gone_token));
    tx.commit().await.unwrap();
    let owner_viewer = app::policy::Viewer {
        user_id: owner,
        name: "Owner".into(),
        role: Role::Owner,
        leader: false,
    };
    let general = app::posting::create_post(
        store,
        &owner_viewer,
        &app::posting::PostInput {
            channel: "general",
            kind: "update",
            body: "Hi",
            confirm_channel: false,
        },
        now,
    )
    .await
    .unwrap()
    .id;
    let announcement = app::announcing::announce(
        store,
        &owner_viewer,
        &app::announcing::AnnouncementInput {
            audience: app::model::Audience::Everyone,
            body: "Read me",
            must_read: true,
            expires_on: "",
        },
        now,
    )
    .await
    .unwrap()
    .id;
    let scheduled = app::scheduling::schedule(
        store,
        &owner_viewer,
        &app::posting::PostInput {
            channel: "general",
            kind: "update",
            body: "Later",
            confirm_channel: false,
        },
        &app::scheduling::When {
            date: "2099-01-01",
            time: "09:00",
        },
        now,
    )
    .await
    .unwrap();
    Company {
        tokens,
        ids: vec![
            (Caller::Owner, owner),
            (Caller::Admin, admin),
            (Caller::Member, member),
            (Caller::Guest, guest),
            (Caller::Deactivated, gone),
        ],
        owner,
        target,
        partner,
        invitation_token,
        post: general,
        announcement,
        scheduled,
    }
}

/// One server function called one way: its endpoint, the form body for a caller, and
/// the status each of [`CALLERS`] gets.
type Body = Box<dyn Fn(&Company, Caller) -> String>;

struct Row {
    endpoint: &'static str,
    body: Body,
    expect: [u16; 6],
}

fn row(
    endpoint: &'static str,
    body: impl Fn(&Company, Caller) -> String + 'static,
    expect: [u16; 6],
) -> Row {
    Row {
        endpoint,
        body: Box::new(body),
        expect,
    }
}

/// Every server function. Order matters only at the end, where sessions end.
fn matrix() -> Vec<Row> {
    //                 anon guest member admin owner deactivated
    const PUBLIC: [u16; 6] = [200, 200, 200, 200, 200, 200];
    const SIGNED_IN: [u16; 6] = [401, 200, 200, 200, 200, 401];
    const MEMBERS: [u16; 6] = [401, 403, 200, 200, 200, 401];
    const STAFF: [u16; 6] = [401, 403, 403, 200, 200, 401];

    let none = |_: &Company, _: Caller| String::new();
    vec![
        row("site", none, PUBLIC),
        row("account/session", none, PUBLIC),
        row("prefs/language", |_, _| "lang=vi".into(), PUBLIC),
        row("prefs/theme", |_, _| "theme=dark".into(), PUBLIC),
        row(
            "account/set-up",
            |_, _| format!("company_name=X&name=Y&email=y%40x.vn&password={PASSWORD}"),
            [409; 6],
        ),
        row(
            "account/invitation",
            |c, _| format!("token={}", c.invitation_token),
            PUBLIC,
        ),
        row("account/invitation", |_, _| "token=nope".into(), [404; 6]),
        row("feed/company", none, SIGNED_IN),
        row("channels", none, SIGNED_IN),
        row("feed/channel", |_, _| "slug=general".into(), MEMBERS),
        row("feed/channel", |_, _| "slug=engineering".into(), MEMBERS),
        row("feed/channel", |_, _| "slug=partners".into(), SIGNED_IN),
        // A private channel does not exist for those outside it.
        row(
            "feed/channel",
            |_, _| "slug=leaders".into(),
            [401, 404, 404, 200, 200, 401],
        ),
        row("people", none, SIGNED_IN),
        row("people", |_, _| "status=deactivated".into(), STAFF),
        // Someone outside a guest's channels does not exist for the guest.
        row(
            "people/profile",
            |c, _| format!("id={}", c.target),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "people/profile",
            |c, _| format!("id={}", c.partner),
            SIGNED_IN,
        ),
        row(
            "people/profile",
            |c, caller| format!("id={}", c.id(caller)),
            SIGNED_IN,
        ),
        row(
            "people/profile-form",
            |c, _| format!("id={}", c.target),
            STAFF,
        ),
        row(
            "people/profile-form",
            |c, caller| format!("id={}", c.id(caller)),
            SIGNED_IN,
        ),
        row(
            "people/save",
            |c, caller| profile_body(c.id(caller), &format!("{caller:?} Renamed")),
            SIGNED_IN,
        ),
        row(
            "people/save",
            |c, _| profile_body(c.target, "Target"),
            STAFF,
        ),
        row(
            "people/remove-avatar",
            |c, _| format!("person={}", c.target),
            STAFF,
        ),
        // Only the owner edits the owner (server/tests/people.rs checks nothing changed).
        row(
            "people/save",
            |c, _| profile_body(c.owner, "Owner Renamed"),
            [401, 403, 403, 403, 200, 401],
        ),
        row(
            "people/remove-avatar",
            |c, _| format!("person={}", c.owner),
            [401, 403, 403, 403, 200, 401],
        ),
        row(
            "people/role",
            |c, _| format!("person={}&role=member", c.target),
            STAFF,
        ),
        // Nobody changes the owner's role, and nobody makes an owner.
        row(
            "people/role",
            |c, _| format!("person={}&role=admin", c.owner),
            [401, 403, 403, 403, 403, 401],
        ),
        row(
            "people/role",
            |c, _| format!("person={}&role=owner", c.target),
            [401, 403, 403, 403, 403, 401],
        ),
        row(
            "people/active",
            |c, _| format!("person={}&active=true", c.target),
            STAFF,
        ),
        row(
            "people/active",
            |c, _| format!("person={}&active=false", c.owner),
            [401, 403, 403, 403, 403, 401],
        ),
        row(
            "posts/create",
            |_, _| "channel=general&kind=update&body=Hello".into(),
            MEMBERS,
        ),
        row(
            "posts/create",
            |_, _| "channel=partners&kind=question&body=Hi".into(),
            SIGNED_IN,
        ),
        row(
            "posts/create",
            |_, _| "channel=leaders&kind=update&body=Secret".into(),
            [401, 404, 404, 200, 200, 401],
        ),
        row(
            "posts/create",
            |_, caller| {
                format!(
                    "channel=general&kind=update&body=Later+{caller:?}\
                     &schedule_date=2099-01-01&schedule_time=10%3A00"
                )
            },
            MEMBERS,
        ),
        row("scheduled/list", none, SIGNED_IN),
        // Only its author sees, edits and cancels a scheduled post; for anyone else it
        // does not exist.
        row(
            "scheduled/edit",
            |c, _| {
                format!(
                    "id={}&body=Edited&schedule_date=2099-01-02&schedule_time=09%3A00",
                    c.scheduled
                )
            },
            [401, 404, 404, 404, 200, 401],
        ),
        row(
            "scheduled/cancel",
            |c, _| format!("id={}", c.scheduled),
            [401, 404, 404, 404, 200, 401],
        ),
        row("posts/preview", |_, _| "body=**x**".into(), SIGNED_IN),
        row("posts/channels", none, SIGNED_IN),
        row(
            "posts/comment",
            |c, _| format!("post={}&body=Nice", c.post),
            MEMBERS,
        ),
        row(
            "posts/react",
            |c, _| format!("post={}&emoji=%F0%9F%91%8D", c.post),
            MEMBERS,
        ),
        row("feed/home", none, SIGNED_IN),
        row("feed/mentions", none, SIGNED_IN),
        row("feed/tag", |_, _| "tag=launch".into(), SIGNED_IN),
        row("search", |_, _| "q=launch".into(), SIGNED_IN),
        row(
            "feed/person",
            |c, _| format!("person={}", c.owner),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "feed/person",
            |c, _| format!("person={}", c.partner),
            SIGNED_IN,
        ),
        row(
            "feed/post",
            |c, _| format!("id={}&opened=true", c.post),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "feed/mention-suggestions",
            |_, _| "prefix=o".into(),
            SIGNED_IN,
        ),
        row("notifications/list", none, SIGNED_IN),
        row("notifications/unread", none, SIGNED_IN),
        row("notifications/read", none, SIGNED_IN),
        row(
            "notifications/read",
            |_, _| "id=999999".into(),
            [401, 404, 404, 404, 404, 401],
        ),
        row(
            "notifications/level",
            |_, _| "channel=general&level=all".into(),
            MEMBERS,
        ),
        row("announcements/options", none, SIGNED_IN),
        row(
            "announcements/publish",
            |_, caller| format!("audience=everyone&body=From+{caller:?}"),
            STAFF,
        ),
        // Everyone but the author (and guests, who are not "everyone") acknowledges.
        row(
            "announcements/acknowledge",
            |c, _| format!("post={}", c.announcement),
            [401, 404, 200, 200, 403, 401],
        ),
        row(
            "posts/seen",
            |c, _| format!("posts[0]={}", c.announcement),
            SIGNED_IN,
        ),
        row(
            "announcements/reach",
            |c, _| format!("post={}", c.announcement),
            STAFF,
        ),
        row(
            "announcements/renotify",
            |c, _| format!("post={}", c.announcement),
            STAFF,
        ),
        row("channels", |_, _| "archived=true".into(), SIGNED_IN),
        row(
            "channels/create",
            |_, caller| format!("name=Chan-{caller:?}&description=&guidelines=&kind=private"),
            MEMBERS,
        ),
        row("channels/members", |_, _| "slug=general".into(), MEMBERS),
        row("channels/members", |_, _| "slug=partners".into(), SIGNED_IN),
        row(
            "channels/members",
            |_, _| "slug=leaders".into(),
            [401, 404, 404, 200, 200, 401],
        ),
        row("channels/join", |_, _| "slug=engineering".into(), MEMBERS),
        row("channels/leave", |_, _| "slug=engineering".into(), MEMBERS),
        // Everyone stays in the company-wide channel.
        row(
            "channels/leave",
            |_, _| "slug=general".into(),
            [401, 403, 409, 409, 409, 401],
        ),
        row(
            "channels/add-member",
            |c, _| format!("slug=leaders&person={}", c.target),
            [401, 404, 404, 200, 200, 401],
        ),
        row(
            "channels/add-member",
            |c, _| format!("slug=partners&person={}", c.target),
            STAFF,
        ),
        row(
            "channels/admin",
            |c, _| format!("slug=leaders&person={}&admin=true", c.id(Caller::Admin)),
            [401, 404, 404, 200, 200, 401],
        ),
        // The last channel admin stays one.
        row(
            "channels/admin",
            |c, _| format!("slug=leaders&person={}&admin=false", c.id(Caller::Admin)),
            [401, 404, 404, 409, 409, 401],
        ),
        row(
            "channels/remove-member",
            |c, _| format!("slug=leaders&person={}", c.target),
            [401, 404, 404, 200, 200, 401],
        ),
        row(
            "channels/remove-member",
            |c, _| format!("slug=general&person={}", c.target),
            [401, 403, 403, 409, 409, 401],
        ),
        row(
            "channels/edit",
            |_, _| "slug=partners&name=partners&description=D&guidelines=G".into(),
            STAFF,
        ),
        row(
            "channels/archive",
            |_, _| "slug=partners&archived=false".into(),
            STAFF,
        ),
        row(
            "channels/archive",
            |_, _| "slug=general&archived=true".into(),
            [401, 403, 403, 409, 409, 401],
        ),
        // Only the author edits; channel and company admins pin and read earlier texts.
        row(
            "posts/edit",
            |c, _| format!("post={}&body=Hi", c.post),
            [401, 403, 403, 403, 200, 401],
        ),
        row(
            "posts/pin",
            |c, _| format!("post={}&pinned=on", c.post),
            [401, 403, 403, 200, 200, 401],
        ),
        row(
            "posts/history",
            |c, _| format!("post={}", c.post),
            [401, 403, 403, 200, 200, 401],
        ),
        // Leaders read it too: app/tests/dashboard.rs and end2end/tests/dashboard.spec.ts.
        row("dashboard", none, STAFF),
        row(
            "dashboard",
            |_, _| "range=90&department=x".into(),
            [401, 403, 403, 400, 400, 401],
        ),
        row(
            "people/leader",
            |c, _| format!("person={}&leader=false", c.target),
            STAFF,
        ),
        // Guests are never given the leader permission.
        row(
            "people/leader",
            |c, _| format!("person={}&leader=true", c.id(Caller::Guest)),
            [401, 403, 403, 403, 403, 401],
        ),
        row("admin/overview", none, STAFF),
        row(
            "admin/invite",
            |_, _| "role=member&valid_days=7&uses=one".into(),
            STAFF,
        ),
        row(
            "admin/revoke",
            |_, _| "id=999999".into(),
            [401, 403, 403, 404, 404, 401],
        ),
        row(
            "admin/department",
            |_, caller| format!("name=Dept-{caller:?}"),
            STAFF,
        ),
        // The admin deletes the owner's post; after that it is gone for the owner too.
        row(
            "posts/delete",
            |c, _| format!("post={}", c.post),
            [401, 403, 403, 200, 404, 401],
        ),
        row("account/sign-out-everywhere", none, SIGNED_IN),
        row("account/sign-out", none, PUBLIC),
        // Signing in and joining replace the caller's session, so they come last.
        row(
            "account/sign-in",
            |_, _| format!("email=owner%40saomai.vn&password={PASSWORD}"),
            PUBLIC,
        ),
        row(
            "account/join",
            |c, caller| {
                format!(
                    "token={}&name=New&email=join-{caller:?}%40saomai.vn&password={PASSWORD}",
                    c.invitation_token
                )
            },
            PUBLIC,
        ),
    ]
}

fn profile_body(person: i64, name: &str) -> String {
    format!(
        "person={person}&name={}&job_title=&location=&time_zone=&start_date=&birthday_month=\
         &birthday_day=&expertise=&responsibilities=",
        name.replace(' ', "+")
    )
}

fn run_matrix(addr: SocketAddr, company: &Company) -> Vec<String> {
    let mut failures = Vec::new();
    for row in matrix() {
        for (caller, expected) in CALLERS.into_iter().zip(row.expect) {
            let body = (row.body)(company, caller);
            let (status, _, answer) = post(
                addr,
                &format!("/api/{}", row.endpoint),
                &body,
                &company.cookie(caller),
            );
            if status != expected {
                failures.push(format!(
                    "{} ({body}) as {caller:?}: {status}, expected {expected}: {answer}",
                    row.endpoint
                ));
            }
        }
    }
    failures
}

/// What refused calls must not have changed.
async fn nothing_refused_was_stored(store: &Store, company: &Company) {
    let target = store.person(company.target).await.unwrap().unwrap();
    assert_eq!((target.role, target.active), (Role::Member, true));
    let owner = store.person(company.owner).await.unwrap().unwrap();
    assert_eq!((owner.role, owner.active), (Role::Owner, true));
    let guest = store
        .person(company.id(Caller::Guest))
        .await
        .unwrap()
        .unwrap();
    assert!(!guest.leader, "a guest was given the leader permission");
    let departments: Vec<String> = store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(departments, ["Dept-Admin", "Dept-Owner"]);
    // Only the people allowed to save their own profile did.
    for caller in [Caller::Guest, Caller::Member, Caller::Admin, Caller::Owner] {
        let me = store.person(company.id(caller)).await.unwrap().unwrap();
        assert_eq!(me.person.name, format!("{caller:?} Renamed"));
    }
    let gone = store
        .person(company.id(Caller::Deactivated))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.person.name, "Gone");
    // Only members started channels; the company-wide one stays open, with everyone.
    for (caller, started) in [
        (Caller::Guest, false),
        (Caller::Member, true),
        (Caller::Admin, true),
        (Caller::Owner, true),
        (Caller::Deactivated, false),
    ] {
        let slug = format!("chan-{caller:?}").to_lowercase();
        let found = store.channel_access(&slug, company.owner).await.unwrap();
        assert_eq!(found.is_some(), started, "{slug}");
    }
    let general = store
        .channel_access("general", company.target)
        .await
        .unwrap()
        .unwrap();
    assert!(!general.archived && general.membership.is_some());
    // Members scheduled their own posts; the owner's was cancelled by the owner only.
    for (caller, scheduled) in [
        (Caller::Guest, 0),
        (Caller::Member, 1),
        (Caller::Admin, 1),
        (Caller::Deactivated, 0),
    ] {
        let mine = store.scheduled_by(company.id(caller)).await.unwrap();
        assert_eq!(mine.len(), scheduled, "{caller:?}");
        assert!(mine.iter().all(|r| r.body == format!("Later {caller:?}")));
    }
    assert_eq!(
        store.scheduled_author(company.scheduled).await.unwrap(),
        None
    );
}

async fn every_server_function_asks_the_policy(db: TestDb) {
    let company = company(&db.store).await;
    let site = fake_site(&format!("authz-{}", db.url.len()));
    let addr = free_addr();
    let mut server = spawn_serve(addr, &db.url, &site);
    wait_until_healthy(addr, &mut server);
    let failures = run_matrix(addr, &company);
    server.kill().unwrap();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    nothing_refused_was_stored(&db.store, &company).await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_sqlite() {
    every_server_function_asks_the_policy(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        every_server_function_asks_the_policy(db).await;
    }
}
