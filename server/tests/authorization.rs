//! The authorisation matrix: every server function, and every route of the server's own
//! (photos, `@handle` links, dashboard exports, the live stream, photo uploads), sent as
//! raw HTTP/1.1 to the real router in this process (`common::in_process`) by each kind
//! of caller — anonymous, guest, member, admin, owner and a deactivated person still
//! holding a session cookie — on SQLite and on PostgreSQL. Each row says which status
//! each caller gets, and where a status cannot tell a refusal from an answer, what the
//! answer must hold; a refusal is 401 (not signed in) or 403 (not allowed), and what was
//! refused must have stored nothing. `every_server_function_has_a_row` keeps the matrix
//! complete.
//!
//! Targets are chosen so that allowed calls can repeat (setting a role someone already
//! has, a department name per caller) or prove only that the policy let them through (a
//! missing invitation answers 404 to admins, but 401/403 to everyone else).

#[macro_use]
mod common;

use app::domain::accounts::session;
use app::model::{ChannelId, ChannelKind, PersonId, PostId, Role};
use app::store::{NewInvitation, Store};
use app::testing::{cookie_header, CompanyBuilder, TestDb, PASSWORD};
use common::in_process::{self, InProcess};
use common::*;

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
    ids: Vec<(Caller, PersonId)>,
    owner: PersonId,
    /// A member whom admins manage in the matrix (their role and activity must end
    /// where they started).
    target: PersonId,
    /// A member who shares the guest's channel.
    partner: PersonId,
    invitation_token: String,
    /// A post in the company-wide channel.
    post: PostId,
    /// A must-read announcement from the owner to everyone (guests are not "everyone").
    announcement: PostId,
    /// A post the owner scheduled for 2099.
    scheduled: i64,
    /// Another, which the owner publishes at once.
    scheduled_now: i64,
    /// A private channel only the owner is in: no admin may invite anyone into it.
    boardroom: ChannelId,
    /// The member's question in `engineering` (which has no channel admin), and the
    /// admin's answer to it.
    question: PostId,
    answer: app::model::CommentId,
    /// Knowledge pages: a company-wide one and one in `boardroom`, both the owner's.
    page: app::model::PageId,
    boardroom_page: app::model::PageId,
    /// Another company-wide page of the owner's, which the admin deletes.
    spare_page: app::model::PageId,
    /// The owner's company-wide journey, given to the member by hand, with two tasks:
    /// one the member ticks in the matrix, one that the admin removes.
    journey: app::model::journeys::JourneyId,
    tick_step: app::model::journeys::StepId,
    spare_step: app::model::journeys::StepId,
    /// Another of the owner's journeys, which the admin deletes.
    spare_journey: app::model::journeys::JourneyId,
    /// Files the owner posted: in `general`, and in `boardroom`.
    company_file: app::model::files::Attachment,
    boardroom_file: app::model::files::Attachment,
}

impl Company {
    fn id(&self, caller: Caller) -> PersonId {
        self.ids
            .iter()
            .find(|(c, _)| *c == caller)
            .map_or(PersonId(0), |(_, id)| *id)
    }

    fn cookie(&self, caller: Caller) -> String {
        self.tokens
            .iter()
            .find(|(c, _)| *c == caller)
            .map(|(_, token)| cookie_header(token))
            .unwrap_or_default()
    }
}

async fn company(store: &Store) -> Company {
    let now = app::store::now_ms();
    let (company, owner_viewer) = CompanyBuilder::set_up(store, now).await;
    let owner = owner_viewer.user_id;
    let person = |email, name, role| company.person(email, name).role(role);
    let admin = person("admin@saomai.vn", "Admin", Role::Admin).await;
    let member = person("member@saomai.vn", "Member", Role::Member).await;
    let guest = person("guest@partner.vn", "Guest", Role::Guest).await;
    let gone = person("gone@saomai.vn", "Gone", Role::Member).await;
    let target = person("target@saomai.vn", "Target", Role::Member).await;
    let partner = person("partner@saomai.vn", "Partner", Role::Member).await;
    company
        .channel("engineering", ChannelKind::Public)
        .member(&member)
        .await;
    company
        .channel("leaders", ChannelKind::Private)
        .admin(&admin)
        .member(&owner_viewer)
        .await;
    company
        .channel("partners", ChannelKind::Public)
        .member(&guest)
        .member(&partner)
        .await;
    let boardroom = company
        .channel("boardroom", ChannelKind::Private)
        .admin(&owner_viewer)
        .await;
    // Photos the matrix asks for: the partner shares the guest's channel, the target not.
    for who in [&target, &partner] {
        company.photo(who, b"not really a jpeg").await;
    }
    let mut tokens = Vec::new();
    for (caller, who) in [
        (Caller::Owner, &owner_viewer),
        (Caller::Admin, &admin),
        (Caller::Member, &member),
        (Caller::Guest, &guest),
    ] {
        tokens.push((caller, company.session(who).await));
    }
    let (admin, member, guest, target, partner) = (
        admin.user_id,
        member.user_id,
        guest.user_id,
        target.user_id,
        partner.user_id,
    );
    let mut tx = store.begin().await.unwrap();
    let invitation_token = session::new_token().unwrap();
    tx.create_invitation(&NewInvitation {
        token_hash: &session::token_hash(&invitation_token),
        role: Role::Member,
        department_id: None,
        channel_id: None,
        max_uses: None,
        expires_at: now + 86_400_000,
        created_by: owner,
        created_at: now,
        email: None,
        locale: None,
    })
    .await
    .unwrap();
    // The owner's invitation into `boardroom`: its channel is not for the admin's eyes.
    tx.create_invitation(&NewInvitation {
        token_hash: &session::token_hash("boardroom-invitation"),
        role: Role::Guest,
        department_id: None,
        channel_id: Some(boardroom),
        max_uses: None,
        expires_at: now + 86_400_000,
        created_by: owner,
        created_at: now,
        email: None,
        locale: None,
    })
    .await
    .unwrap();
    // Deactivation ends sessions; this one is written afterwards, as if it had been
    // created in the same instant, to prove an inactive person's cookie is worthless.
    tx.set_active(gone.user_id, false, now).await.unwrap();
    tx.commit().await.unwrap();
    tokens.push((Caller::Deactivated, company.session(&gone).await));
    let general = company
        .post(&owner_viewer, "general", "update", "Hi")
        .await
        .unwrap();
    let announcement = app::domain::announcements::announce(
        store,
        &owner_viewer,
        &app::domain::announcements::AnnouncementInput {
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
    let mut scheduled = Vec::new();
    for body in ["Later", "Sooner"] {
        let input = app::domain::posts::PostInput {
            channel: "general",
            kind: "update",
            body,
            confirm_channel: false,
            files: &[],
        };
        let when = app::domain::scheduled::When {
            date: "2099-01-01",
            time: "09:00",
        };
        let id = app::domain::scheduled::schedule(store, &owner_viewer, &input, &when, now);
        scheduled.push(id.await.unwrap());
    }
    let [scheduled, scheduled_now] = scheduled[..] else {
        unreachable!("two scheduled posts")
    };
    let member_viewer = store
        .session_viewer(&session::token_hash(&tokens[2].1), now)
        .await
        .unwrap()
        .unwrap();
    let admin_viewer = store
        .session_viewer(&session::token_hash(&tokens[1].1), now)
        .await
        .unwrap()
        .unwrap();
    let question = company
        .post(
            &member_viewer,
            "engineering",
            "question",
            "How do we deploy?",
        )
        .await
        .unwrap();
    let answer = company
        .comment(&admin_viewer, question, None, "With make deploy.")
        .await
        .unwrap();
    let new_page = |space, title: &'static str| {
        let owner_viewer = owner_viewer.clone();
        async move {
            let input = app::domain::knowledge::PageInput {
                title,
                body: "Text",
                parent: None,
                review_days: 90,
                files: &[],
            };
            app::domain::knowledge::create(store, &owner_viewer, space, &input, now)
                .await
                .unwrap()
        }
    };
    let page = new_page(app::model::knowledge::SpaceKey::Company, "Handbook").await;
    let boardroom_page =
        new_page(app::model::knowledge::SpaceKey::Channel(boardroom), "Board").await;
    let spare_page = new_page(app::model::knowledge::SpaceKey::Company, "Old memo").await;
    let (journey, tick_step, spare_step, spare_journey) = {
        use app::domain::journeys::{self, JourneyInput, StepInput};
        let input = |name| JourneyInput {
            name,
            description: "",
            department: None,
            assign_on_join: false,
            join_role: None,
        };
        let task = |note| StepInput {
            day: 1,
            kind: app::model::journeys::StepKind::Task,
            page: None,
            channel: "",
            person: None,
            note,
        };
        let first = input("First month");
        let journey = journeys::create(store, &owner_viewer, &first, now)
            .await
            .unwrap();
        let mut steps = Vec::new();
        for note in ["Sign the contract", "Spare"] {
            let step = task(note);
            let id = journeys::add_step(store, &owner_viewer, journey, &step, now);
            steps.push(id.await.unwrap());
        }
        journeys::assign(store, &owner_viewer, journey, member, now)
            .await
            .unwrap();
        let spare = input("Spare");
        let spare = journeys::create(store, &owner_viewer, &spare, now).await;
        (journey, steps[0], steps[1], spare.unwrap())
    };
    let posted_file = |channel: &'static str, name: &'static str, bytes: &'static [u8]| {
        let owner_viewer = owner_viewer.clone();
        async move {
            let file = app::domain::files::upload(store, &owner_viewer, name, bytes.to_vec(), now)
                .await
                .unwrap();
            let input = app::domain::posts::PostInput {
                channel,
                kind: "update",
                body: name,
                confirm_channel: false,
                files: std::slice::from_ref(&file.key),
            };
            app::domain::posts::create_post(store, &owner_viewer, &input, now)
                .await
                .unwrap();
            file
        }
    };
    // Boxed: the fixture's future is already large, and a debug build's stack is not.
    let company_file = Box::pin(posted_file("general", "Handbook.pdf", b"%PDF-1.7 handbook")).await;
    let boardroom_file = Box::pin(posted_file("boardroom", "Board.pdf", b"%PDF-1.7 board")).await;
    Company {
        company_file,
        boardroom_file,
        tokens,
        ids: vec![
            (Caller::Owner, owner),
            (Caller::Admin, admin),
            (Caller::Member, member),
            (Caller::Guest, guest),
            (Caller::Deactivated, gone.user_id),
        ],
        owner,
        target,
        partner,
        invitation_token,
        post: general,
        announcement,
        scheduled,
        scheduled_now,
        boardroom,
        question,
        answer,
        page,
        boardroom_page,
        spare_page,
        journey,
        tick_step,
        spare_step,
        spare_journey,
    }
}

/// What a row sends.
#[derive(Clone, Debug, PartialEq)]
enum Call {
    /// `POST /api/{endpoint}` with a form body, as a script sends it.
    Api(&'static str, String),
    /// `GET` a path.
    Get(String),
    /// `POST /people/{person}/avatar`: a small PNG, as the profile form sends it.
    Upload(PersonId),
    /// `GET /live?after=0`, the live stream from the log's start, read until this text
    /// has arrived (a live stream never ends; otherwise only what it sent at once).
    Live(String),
}

impl Call {
    fn describe(&self) -> String {
        match self {
            Call::Api(endpoint, body) => format!("POST /api/{endpoint} ({body})"),
            Call::Get(path) => format!("GET {path}"),
            Call::Upload(person) => format!("POST /people/{person}/avatar (a photo)"),
            Call::Live(until) => format!("GET /live?after=0 (until {until})"),
        }
    }

    async fn send(&self, site: &InProcess, cookie: &str) -> (u16, String, String) {
        match self {
            Call::Api(endpoint, body) => site.post(&format!("/api/{endpoint}"), body, cookie).await,
            Call::Get(path) => site.get_with(path, cookie).await,
            Call::Upload(person) => {
                let (content_type, form) = photo_form(&small_png());
                let mut request = format!(
                    "POST /people/{person}/avatar HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\
                     Content-Type: {content_type}\r\nContent-Length: {}\r\n{cookie}\r\n",
                    form.len()
                )
                .into_bytes();
                request.extend_from_slice(&form);
                site.exchange(request).await
            }
            Call::Live(until) => {
                site.stream_until(in_process::get_request("/live?after=0", cookie), until)
                    .await
            }
        }
    }
}

/// An 8 × 8 PNG: a photo the upload accepts.
fn small_png() -> Vec<u8> {
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(8, 8)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    png.into_inner()
}

/// The `Location` an answer sends the browser to (empty when none).
fn location(head: &str) -> &str {
    head.lines()
        .find_map(|line| line.strip_prefix("location: "))
        .unwrap_or_default()
}

/// What a row sends for a caller.
type Build = Box<dyn Fn(&Company, Caller) -> Call>;

/// What a row's answer must hold besides its status, for each caller expected to succeed
/// (a status below 400): `(company, caller, lower-cased head, body)`.
type Check = Box<dyn Fn(&Company, Caller, &str, &str) -> bool>;

/// One server function or route called one way: what is sent for each caller, and the
/// status each of [`CALLERS`] gets.
struct Row {
    /// The server function (`search` for `/api/search`), or the route (`GET /live`).
    endpoint: &'static str,
    /// Whether `endpoint` names a server function (which `every_server_function_has_a_row`
    /// counts).
    server_function: bool,
    call: Build,
    expect: [u16; 6],
    answer: Option<Check>,
}

impl Row {
    /// The answer must also pass `check` (a status cannot tell every refusal apart).
    fn answers(mut self, check: impl Fn(&Company, Caller, &str, &str) -> bool + 'static) -> Row {
        self.answer = Some(Box::new(check));
        self
    }
}

/// A server function, sent a form body.
fn row(
    endpoint: &'static str,
    body: impl Fn(&Company, Caller) -> String + 'static,
    expect: [u16; 6],
) -> Row {
    Row {
        endpoint,
        server_function: true,
        call: Box::new(move |c, caller| Call::Api(endpoint, body(c, caller))),
        expect,
        answer: None,
    }
}

/// A route of the server's own.
fn route(
    endpoint: &'static str,
    call: impl Fn(&Company, Caller) -> Call + 'static,
    expect: [u16; 6],
) -> Row {
    Row {
        endpoint,
        server_function: false,
        call: Box::new(call),
        expect,
        answer: None,
    }
}

/// The tag and the word the search and tag rows ask for. Nothing in the matrix's own
/// company carries it; in the guest and outsider test every planted secret does, and
/// there the owner's answers prove these rows find them ([`aimed_at_secrets`]).
const SECRET_TAG: &str = "launch";

/// Every server function, and the server's own routes. Order matters where a row
/// changes what later ones find (photos are read before they are replaced or removed)
/// and at the end, where sessions end.
fn matrix() -> Vec<Row> {
    //                 anon guest member admin owner deactivated
    const PUBLIC: [u16; 6] = [200, 200, 200, 200, 200, 200];
    const SIGNED_IN: [u16; 6] = [401, 200, 200, 200, 200, 401];
    // A browser's subscription keys (a P-256 point and a 16-byte secret), base64url.
    const PUSH_KEY: &str =
        "BLn9b-VR0ca83knDNZ32dCHGyjJp-1riX9ZTN40MqV8K_LpQmLqxC_DoHvqvFXO_nGdAB4W9dogZb_sM-uV4JbY";
    const PUSH_AUTH: &str = "_ordMnz7uTCmrpBTeUV4Bw";
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
        // Password reset links: staff make them for members (the owner also for admins),
        // nobody for the owner; the link comes back whole to its maker only. A link that
        // does not work answers the same to everyone and says nothing about why.
        row(
            "account/reset-link",
            |c, _| format!("person={}", c.target),
            [401, 403, 403, 200, 200, 401],
        )
        .answers(|_, _, _, body| body.contains("/reset/") && body.len() > 40),
        row(
            "account/reset-link",
            |c, _| format!("person={}", c.owner),
            [401, 403, 403, 403, 403, 401],
        ),
        row(
            "account/reset-link",
            |c, _| format!("person={}", c.id(Caller::Admin)),
            [401, 403, 403, 403, 200, 401],
        ),
        row(
            "account/reset-details",
            |_, _| "token=nope".into(),
            [410; 6],
        ),
        row(
            "account/reset",
            |_, _| "token=nope&password=a+long+enough+password".into(),
            [410; 6],
        ),
        // E-mail: this company sends none, so "Forgot password?" says so to everyone
        // (and looks nothing up); a link in a mail that does not work answers the same
        // to everyone. The digest setting is each signed-in person's own.
        row("mail/enabled", none, PUBLIC).answers(|_, _, _, body| body.contains("false")),
        row(
            "mail/forgot",
            |_, _| "email=an%40saomai.vn".into(),
            [409; 6],
        ),
        row("mail/digest", none, SIGNED_IN),
        row("mail/set-digest", |_, _| "every=daily".into(), SIGNED_IN),
        row(
            "mail/set-digest",
            |_, _| "every=hourly".into(),
            [401, 400, 400, 400, 400, 401],
        ),
        row("mail/link", |_, _| "token=nope".into(), [410; 6]),
        row(
            "mail/use-link",
            |_, _| "token=nope&back=%2Fmail%2Funsubscribe%2Fnope".into(),
            [410; 6],
        ),
        // Push: each signed-in person's own devices and settings. The test comes first:
        // nobody has a device yet.
        row("push/settings", none, SIGNED_IN),
        row("push/test", none, [401, 404, 404, 404, 404, 401]),
        row(
            "push/subscribe",
            |_, _| {
                format!("endpoint=https%3A%2F%2Ffcm.googleapis.com%2Ffcm%2Fsend%2Fmatrix&p256dh={PUSH_KEY}&auth={PUSH_AUTH}")
            },
            SIGNED_IN,
        ),
        // Only browsers' push services: nobody makes the server call into its network.
        row(
            "push/subscribe",
            |_, _| {
                format!(
                    "endpoint=http%3A%2F%2F127.0.0.1%3A5432%2F&p256dh={PUSH_KEY}&auth={PUSH_AUTH}"
                )
            },
            [401, 400, 400, 400, 400, 401],
        ),
        row(
            "push/unsubscribe",
            |_, _| "endpoint=https%3A%2F%2Ffcm.googleapis.com%2Ffcm%2Fsend%2Fmatrix".into(),
            SIGNED_IN,
        ),
        row(
            "push/save-settings",
            |_, _| "mentions=on&quiet_from=22%3A00&quiet_to=07%3A00".into(),
            SIGNED_IN,
        ),
        row(
            "push/save-settings",
            |_, _| "quiet_from=99%3A00&quiet_to=".into(),
            [401, 400, 400, 400, 400, 401],
        ),
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
        // A photo answers like one never uploaded to those who may not see its person.
        route(
            "GET /avatars/{person}",
            |c, _| Call::Get(format!("/avatars/{}", c.partner)),
            SIGNED_IN,
        )
        .answers(|_, _, head, body| {
            head.contains("content-type: image/jpeg") && body == "not really a jpeg"
        }),
        route(
            "GET /avatars/{person}",
            |c, _| Call::Get(format!("/avatars/{}", c.target)),
            [401, 404, 200, 200, 200, 401],
        )
        .answers(|_, _, _, body| body == "not really a jpeg"),
        // A photo is uploaded by its person and by staff (the owner's by the owner only);
        // without a session the form is sent on to sign in, and a stored photo back to
        // the edit page. Each 303 says which by where it leads.
        route(
            "POST /people/{person}/avatar",
            |c, caller| Call::Upload(c.id(caller)),
            [303; 6],
        )
        .answers(|c, caller, head, _| {
            upload_lands(
                head,
                c.id(caller),
                &[Caller::Guest, Caller::Member, Caller::Admin, Caller::Owner],
                caller,
            )
        }),
        route(
            "POST /people/{person}/avatar",
            |c, _| Call::Upload(c.target),
            [303, 403, 403, 303, 303, 303],
        )
        .answers(|c, caller, head, _| {
            upload_lands(head, c.target, &[Caller::Admin, Caller::Owner], caller)
        }),
        route(
            "POST /people/{person}/avatar",
            |c, _| Call::Upload(c.owner),
            [303, 403, 403, 403, 303, 303],
        )
        .answers(|c, caller, head, _| upload_lands(head, c.owner, &[Caller::Owner], caller)),
        // `@handle` links lead to the profile only for those who may see its person;
        // everyone else is sent to a directory search, as for a handle nobody has.
        route(
            "GET /u/{handle}",
            |_, _| Call::Get("/u/target".into()),
            [303; 6],
        )
        .answers(|c, caller, head, _| {
            let sees = matches!(caller, Caller::Member | Caller::Admin | Caller::Owner);
            location(head)
                == if sees {
                    format!("/people/{}", c.target)
                } else {
                    "/people?q=target".into()
                }
        }),
        route(
            "GET /u/{handle}",
            |_, _| Call::Get("/u/partner".into()),
            [303; 6],
        )
        .answers(|c, caller, head, _| {
            let sees = !matches!(caller, Caller::Anonymous | Caller::Deactivated);
            location(head)
                == if sees {
                    format!("/people/{}", c.partner)
                } else {
                    "/people?q=partner".into()
                }
        }),
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
        // Its author publishes it at once, into the channel it names.
        row(
            "scheduled/publish-now",
            |c, _| format!("id={}", c.scheduled_now),
            [401, 404, 404, 404, 200, 401],
        )
        .answers(|_, _, _, body| body.starts_with("[\"general\",")),
        // Knowledge pages: company pages are not for guests (404, as for a page that
        // does not exist); a private channel's pages exist only for its members.
        row("knowledge/home", none, SIGNED_IN),
        row(
            "knowledge/page",
            |c, _| format!("id={}", c.page),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "knowledge/page",
            |c, _| format!("id={}", c.boardroom_page),
            [401, 404, 404, 404, 200, 401],
        ),
        row(
            "knowledge/new-form",
            |_, _| "template=policy".into(),
            SIGNED_IN,
        ),
        row(
            "knowledge/create",
            |_, caller| {
                format!("space=company&parent=&title=Page+{caller:?}&body=Text&review_days=90")
            },
            STAFF,
        ),
        row(
            "knowledge/create",
            |c, caller| {
                format!(
                    "space=channel-{}&parent=&title=Board+{caller:?}&body=Text&review_days=90",
                    c.boardroom
                )
            },
            [401, 404, 404, 404, 200, 401],
        ),
        row(
            "knowledge/edit-form",
            |c, _| format!("id={}", c.page),
            [401, 404, 403, 200, 200, 401],
        ),
        row(
            "knowledge/edit",
            |c, caller| {
                format!(
                    "id={}&parent=&title=Handbook+{caller:?}&body=Edited&review_days=60",
                    c.page
                )
            },
            [401, 404, 403, 200, 200, 401],
        ),
        row(
            "knowledge/edit",
            |c, caller| {
                format!(
                    "id={}&parent=&title=Boardroom+{caller:?}&body=Edited&review_days=60",
                    c.boardroom_page
                )
            },
            [401, 404, 404, 404, 200, 401],
        ),
        row(
            "knowledge/verify",
            |c, _| format!("id={}", c.page),
            [401, 404, 403, 200, 200, 401],
        ),
        // Handing a page over: to its owner (nothing changes, so every row can run),
        // by its editors only; the boardroom's page exists only for the owner.
        row(
            "knowledge/owner",
            |c, _| format!("id={}&owner={}", c.page, c.owner),
            [401, 404, 403, 200, 200, 401],
        ),
        row(
            "knowledge/owner",
            |c, _| format!("id={}&owner={}", c.boardroom_page, c.owner),
            [401, 404, 404, 404, 200, 401],
        ),
        // The admin deletes the spare page; after that it is gone for the owner too.
        row(
            "knowledge/delete",
            |c, _| format!("id={}", c.spare_page),
            [401, 404, 403, 200, 404, 401],
        ),
        row(
            "knowledge/history",
            |c, _| format!("id={}", c.page),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "knowledge/restore",
            |c, _| format!("id={}&version=1", c.page),
            [401, 404, 403, 200, 200, 401],
        ),
        row(
            "knowledge/restore",
            |c, _| format!("id={}&version=1", c.boardroom_page),
            [401, 404, 404, 404, 200, 401],
        ),
        // Onboarding journeys: HR (staff) and department leaders write them; the
        // traveller alone ticks, and those who look after them follow.
        row("journeys/home", none, STAFF),
        row("journeys/editor", |c, _| format!("id={}", c.journey), STAFF),
        row(
            "journeys/create",
            |_, caller| format!("name=Journey+{caller:?}&description=&department=&join_role="),
            STAFF,
        ),
        row(
            "journeys/save",
            |c, _| {
                format!(
                    "id={}&name=First+month&description=&department=&join_role=",
                    c.journey
                )
            },
            STAFF,
        ),
        row(
            "journeys/add-step",
            |c, _| format!("journey={}&day=2&kind=task&note=Lunch", c.journey),
            STAFF,
        ),
        row(
            "journeys/remove-step",
            |c, _| format!("step={}", c.spare_step),
            [401, 403, 403, 200, 404, 401],
        ),
        row(
            "journeys/delete",
            |c, _| format!("id={}", c.spare_journey),
            [401, 403, 403, 200, 404, 401],
        ),
        row("journeys/mine", none, SIGNED_IN),
        row(
            "journeys/person",
            |c, _| format!("person={}", c.id(Caller::Member)),
            [401, 403, 200, 200, 200, 401],
        ),
        row(
            "journeys/assign",
            |c, _| format!("person={}&journey={}", c.target, c.journey),
            STAFF,
        ),
        row(
            "journeys/unassign",
            |c, _| format!("person={}&journey={}", c.target, c.journey),
            // The admin took it back; then the target is on no such journey.
            [401, 403, 403, 200, 404, 401],
        ),
        row(
            "journeys/tick",
            |c, _| format!("step={}", c.tick_step),
            [401, 404, 200, 404, 404, 401],
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
        row("feed/tag", |_, _| format!("tag={SECRET_TAG}"), SIGNED_IN),
        row("search", |_, _| format!("q={SECRET_TAG}"), SIGNED_IN),
        row("search/suggest", |_, _| "q=zz".into(), SIGNED_IN),
        row("search/suggest-list", |_, _| "q=zz".into(), SIGNED_IN),
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
            "posts/card",
            |c, _| format!("post={}&back=/", c.post),
            [401, 404, 200, 200, 200, 401],
        ),
        row(
            "feed/mention-suggestions",
            |_, _| "prefix=o".into(),
            SIGNED_IN,
        ),
        row("posts/mention-list", |_, _| "prefix=o".into(), SIGNED_IN),
        // Questions and answers. `engineering` is public, without the guest, and has no
        // channel admin: only the asker (the member) accepts.
        row(
            "questions/accept",
            |c, _| format!("post={}&comment={}&on=on", c.question, c.answer),
            [401, 403, 200, 403, 403, 401],
        ),
        // Not on one's own answer (the admin's): refused with its reason.
        row(
            "questions/helpful",
            |c, _| format!("comment={}&on=on", c.answer),
            [401, 403, 200, 400, 200, 401],
        ),
        row("questions/for-you", none, SIGNED_IN),
        row("questions/open", none, SIGNED_IN),
        row(
            "questions/channel",
            |_, _| "slug=engineering".into(),
            [401, 403, 200, 200, 200, 401],
        ),
        row(
            "questions/channel",
            |_, _| "slug=boardroom".into(),
            [401, 404, 404, 404, 200, 401],
        ),
        row(
            "questions/similar",
            |_, _| "text=how+do+we+deploy".into(),
            SIGNED_IN,
        ),
        row(
            "questions/similar-list",
            |_, _| "text=how+do+we+deploy".into(),
            SIGNED_IN,
        ),
        // No page holds this file: only those who may edit the page are told so.
        row(
            "knowledge/remove-file",
            |c, _| format!("id={}&key=0123456789abcdef0123456789abcdef", c.page),
            [401, 404, 403, 404, 404, 401],
        ),
        row("files/settings", none, STAFF),
        row(
            "files/settings/save",
            |_, _| "max_mb=25&quota_mb=10240".into(),
            STAFF,
        ),
        // Nobody has this pending file: only the signed-in are even told so.
        row(
            "files/discard",
            |_, _| "key=0123456789abcdef0123456789abcdef".into(),
            [401, 404, 404, 404, 404, 401],
        ),
        // A file is read exactly by who reads its post; to anyone else it does not exist.
        route(
            "GET /files/{key}/{name}",
            |c, _| Call::Get(c.company_file.href()),
            [404, 404, 200, 200, 200, 404],
        )
        .answers(|_, caller, head, body| match caller {
            Caller::Member | Caller::Admin | Caller::Owner => {
                head.contains("content-type: application/pdf") && body == "%PDF-1.7 handbook"
            }
            _ => !body.contains("handbook"),
        }),
        route(
            "GET /files/{key}/{name}",
            |c, _| Call::Get(c.boardroom_file.href()),
            [404, 404, 404, 404, 200, 404],
        )
        .answers(|_, caller, _, body| (caller == Caller::Owner) == body.contains("board")),
        route(
            "GET /files/{key}/preview/{size}",
            |c, _| Call::Get(format!("/files/{}/preview/small", c.boardroom_file.key)),
            [404; 6],
        ),
        row("questions/settings", none, STAFF),
        row(
            "questions/settings/save",
            |_, _| "accept_days=3&unanswered_days=2".into(),
            STAFF,
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
        // Those who may not announce are answered `null`: no departments, no channels.
        row("announcements/options", none, SIGNED_IN).answers(|_, caller, _, body| {
            let staff = matches!(caller, Caller::Admin | Caller::Owner);
            if staff {
                body.contains("\"departments\"") && body.contains("\"channels\"")
            } else {
                body.trim() == "null"
            }
        }),
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
        // An announcement to everyone is not addressed to guests: for them it does not
        // exist, so its reach answers 404 before the policy is asked.
        row(
            "announcements/reach",
            |c, _| format!("post={}", c.announcement),
            [401, 404, 403, 200, 200, 401],
        ),
        // An announcement to everyone is not addressed to guests: for them it does not
        // exist, so its reach answers 404 before the policy is asked.
        row(
            "announcements/renotify",
            |c, _| format!("post={}", c.announcement),
            [401, 404, 403, 200, 200, 401],
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
        // The dashboard's CSV files, read through the same policy as the page (the guest
        // and outsider test asks for each of them).
        route(
            "GET /dashboard/export/{file}",
            |_, _| Call::Get("/dashboard/export/people.csv?range=7".into()),
            STAFF,
        )
        .answers(|_, _, head, _| head.contains("content-type: text/csv")),
        route(
            "GET /dashboard/export/{file}",
            // Not a figure of the dashboard: not found for anyone, before any work.
            |_, _| Call::Get("/dashboard/export/nothing.csv?range=7".into()),
            [404; 6],
        ),
        route(
            "GET /dashboard/export/{file}",
            |_, _| Call::Get("/dashboard/export/people?range=7".into()),
            [404; 6],
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
        row("admin/guest-channels", none, STAFF),
        row(
            "admin/invite",
            |_, _| "role=member&valid_days=7&uses=one".into(),
            STAFF,
        ),
        // By e-mail: staff only, and refused here, where no mail is set up.
        row(
            "admin/invite",
            |_, _| "role=member&valid_days=7&uses=one&emails=new%40saomai.vn".into(),
            [401, 403, 403, 409, 409, 401],
        ),
        // Only into channels the inviter may manage: not a private one they are not in.
        row(
            "admin/invite",
            |c, _| format!("role=guest&channel={}&valid_days=7&uses=one", c.boardroom),
            [401, 403, 403, 400, 200, 401],
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
        // The live stream, from the log's start, read only as far as it answers at once:
        // the guest and outsider test reads what it says.
        route(
            "GET /live",
            |_, _| Call::Get("/live?after=0".into()),
            SIGNED_IN,
        )
        .answers(|_, _, head, _| head.contains("content-type: text/event-stream")),
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

/// Whether a photo upload's answer leads where it should: back to `person`'s edit page
/// (the photo was stored) for those in `allowed`, to sign in for those without a
/// session.
fn upload_lands(head: &str, person: PersonId, allowed: &[Caller], caller: Caller) -> bool {
    let edit = format!("/people/{person}/edit");
    match caller {
        Caller::Anonymous | Caller::Deactivated => {
            location(head) == format!("/sign-in?next={edit}")
        }
        _ => allowed.contains(&caller) && location(head) == edit,
    }
}

fn profile_body(person: PersonId, name: &str) -> String {
    format!(
        "person={person}&name={}&job_title=&location=&time_zone=&start_date=&birthday_month=\
         &birthday_day=&expertise=&responsibilities=",
        name.replace(' ', "+")
    )
}

async fn run_matrix(site: &InProcess, company: &Company) -> Vec<String> {
    let mut failures = Vec::new();
    for row in matrix() {
        for (caller, expected) in CALLERS.into_iter().zip(row.expect) {
            let call = (row.call)(company, caller);
            let (status, head, answer) = call.send(site, &company.cookie(caller)).await;
            let wrong = if status != expected {
                Some(format!("{status}, expected {expected}"))
            } else {
                row.answer
                    .as_ref()
                    .filter(|_| expected < 400)
                    .filter(|check| !check(company, caller, &head, &answer))
                    .map(|_| format!("{status}, but not the answer expected: {head}"))
            };
            if let Some(wrong) = wrong {
                failures.push(format!(
                    "{} as {caller:?}: {wrong}: {answer}",
                    call.describe()
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
    // Knowledge pages: only staff started company pages, only the owner one in
    // `boardroom`; only staff saved versions of the company page, only the owner of
    // the boardroom's.
    let owner_viewer = app::policy::Viewer {
        user_id: company.owner,
        name: "Owner".into(),
        role: Role::Owner,
        leader: false,
    };
    let titles: Vec<String> = store
        .readable_pages(app::store::Reader::of(&owner_viewer))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.title)
        .filter(|t| t.starts_with("Page ") || t.starts_with("Board "))
        .collect();
    let mut titles = titles;
    titles.sort();
    assert_eq!(titles, ["Board Owner", "Page Admin", "Page Owner"]);
    // The admin deleted the spare page; the handbook still has its owner, the owner.
    let reader = app::store::Reader::of(&owner_viewer);
    assert!(store
        .page(reader, company.spare_page)
        .await
        .unwrap()
        .is_none());
    let handbook = store.page(reader, company.page).await.unwrap().unwrap();
    assert_eq!(handbook.owner.id, company.owner);
    for (page, editors) in [
        (company.page, vec![company.id(Caller::Admin), company.owner]),
        (company.boardroom_page, vec![company.owner]),
    ] {
        for version in store.page_versions(page).await.unwrap() {
            let editor = version.edited_by.map(|p| p.id).unwrap();
            assert!(editors.contains(&editor), "page {page}: {editor}");
        }
    }
    // The owner's invitations into `boardroom` are the only ones; the admin's was refused.
    let into_boardroom = store
        .pending_invitations(app::store::now_ms())
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.channel.as_deref() == Some("boardroom"))
        .count();
    assert_eq!(into_boardroom, 2);
    // Only the asker accepted; the member and the owner found the answer helpful (the
    // guest, outside the channel, and the answer's author could not).
    let question = store
        .post_card(
            app::store::Reader::of(&app::policy::Viewer {
                user_id: company.owner,
                name: String::new(),
                role: Role::Owner,
                leader: false,
            }),
            company.question,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(question.accepted_answer, Some(company.answer));
    assert_eq!(question.comments[0].helpful, 2);
}

/// What the admin page tells each of them: a private channel's name only to those in it.
async fn admin_page_names_only_manageable_channels(site: &InProcess, company: &Company) {
    for (caller, sees) in [(Caller::Admin, false), (Caller::Owner, true)] {
        let (status, _, body) = site
            .post("/api/admin/overview", "", &company.cookie(caller))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("partners"), "{body}");
        assert_eq!(body.contains("boardroom"), sees, "{caller:?}: {body}");
        // What a member turned guest may keep: the same channels, less the company-wide one.
        let (status, _, body) = site
            .post("/api/admin/guest-channels", "", &company.cookie(caller))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains("partners") && !body.contains("general"),
            "{body}"
        );
        assert_eq!(body.contains("boardroom"), sees, "{caller:?}: {body}");
    }
}

/// A form posted without JavaScript, as a browser sends it (it asks for a page).
async fn plain_form(site: &InProcess, path: &str, body: &str, cookie: &str) -> (u16, String) {
    let (status, head, _) = site
        .exchange(format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: text/html\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{cookie}\
             \r\n{body}",
            body.len()
        ))
        .await;
    (status, location(&head).to_owned())
}

/// `next` and `back` never send a browser off the site, and never break the response
/// (a control character used to panic after the action was stored).
async fn redirects_stay_on_this_site(site: &InProcess, company: &Company) {
    let sign_in = |next: &str| format!("email=owner%40saomai.vn&password={PASSWORD}&next={next}");
    for next in [
        "%2F%09%2Fevil.example",
        "%2F%2509%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
        "%2Fok%0D%0ASet-Cookie%3A+a%3Db",
        "%2Fok%0Aevil",
    ] {
        let (status, location) = plain_form(site, "/api/account/sign-in", &sign_in(next), "").await;
        assert_eq!((status, location.as_str()), (302, "/"), "next={next}");
    }
    let (status, location) = plain_form(
        site,
        "/api/account/sign-in",
        &sign_in("%2Fpeople%3Fq%3Dan"),
        "",
    )
    .await;
    assert_eq!((status, location.as_str()), (302, "/people?q=an"));
    let (status, location) = plain_form(
        site,
        "/api/channels/join",
        "slug=engineering&back=%2Fc%2Fengineering%0D%0AX%3A+y",
        &company.cookie(Caller::Owner),
    )
    .await;
    assert_eq!((status, location.as_str()), (302, "/"));
}

async fn every_server_function_asks_the_policy(db: TestDb) {
    let company = Box::pin(company(&db.store)).await;
    let site = InProcess::start(&db.store, &format!("authz-{}", db.url.len())).await;
    // Before the matrix, which ends everyone's sessions.
    admin_page_names_only_manageable_channels(&site, &company).await;
    redirects_stay_on_this_site(&site, &company).await;
    let failures = run_matrix(&site, &company).await;
    drop(site);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    nothing_refused_was_stored(&db.store, &company).await;
    db.finish().await;
}

// Pages are rendered in this process: each story runs on serve's stack
// (`on_both_databases!` uses `on_a_server_stack`).
on_both_databases!(
    every_server_function_asks_the_policy,
    guests_and_outsiders_receive_nothing_private,
);

/// The server functions the app declares: `#[server(prefix = "/api", endpoint = "…")]`
/// in `app/src/api/*.rs` (and, for those answering with a fragment of HTML, next to the
/// component they render, in `app/src/components/*.rs`), as `/api/…` paths. Fails on a
/// declaration it cannot read, so the list is never short.
fn declared_server_functions() -> std::collections::BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut declared = std::collections::BTreeSet::new();
    let files = ["api", "components"]
        .into_iter()
        .flat_map(|dir| std::fs::read_dir(src.join(dir)).unwrap());
    for file in files {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for line in source
            .lines()
            .filter(|l| l.trim_start().starts_with("#[server"))
        {
            let value = |key: &str| {
                line.split_once(&format!("{key} = \""))
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(value, _)| value.to_owned())
            };
            let (Some(prefix), Some(endpoint)) = (value("prefix"), value("endpoint")) else {
                panic!("{}: cannot read `{line}`", path.display());
            };
            assert!(
                declared.insert(format!("{prefix}/{endpoint}")),
                "{endpoint} is declared twice"
            );
        }
    }
    declared
}

/// Every registered server function has a row in the matrix (and every row names one).
/// The registry is compared with the declarations in the source first, so an empty or
/// partial registry cannot make this pass.
#[test]
fn every_server_function_has_a_row() {
    let declared = declared_server_functions();
    assert!(
        !declared.is_empty(),
        "no server function declared in app/src/api"
    );
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            // The matrix sends every call as a form POST.
            assert_eq!(method, http::Method::POST, "{path}");
            path.to_owned()
        })
        .collect();
    assert_eq!(registered, declared, "the registry and the source disagree");
    let rows: std::collections::BTreeSet<String> = matrix()
        .iter()
        .filter(|row| row.server_function)
        .map(|row| format!("/api/{}", row.endpoint))
        .collect();
    let missing: Vec<&String> = registered.difference(&rows).collect();
    assert!(missing.is_empty(), "no row in matrix() for {missing:?}");
    let unknown: Vec<&String> = rows.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows for no server function: {unknown:?}"
    );
}

/// What the guest and the outsider must never receive, planted in the matrix's company:
/// a post and an announcement in a private channel neither is in, an announcement to a
/// department neither is in, and a person (with a photo) who shares no channel with the
/// guest.
struct Secrets {
    /// Words only the private channel's members and the department's people may read.
    posts: [&'static str; 4],
    /// Words only people who share a channel with the hidden person may read: their
    /// name and handle.
    person: [&'static str; 2],
    hidden: PersonId,
    vault: ChannelId,
    vault_post: PostId,
    vault_notice: PostId,
    /// A knowledge page in the private channel, and the word only its members may read.
    vault_page: app::model::PageId,
    page_words: [&'static str; 1],
    department_notice: PostId,
    /// A post by the partner in the guest's channel, after all the rest: whoever hears
    /// of it on the live stream has been told all they will be about the secrets.
    marker: PostId,
}

/// Plants the [`Secrets`]. The matrix's member becomes the outsider: given the leader
/// permission (so the dashboard and reach are theirs to ask for), in neither the
/// private channel nor the department. Every secret post carries [`SECRET_TAG`].
async fn plant_secrets(store: &Store, company: &Company) -> Secrets {
    let now = app::store::now_ms();
    let builder = CompanyBuilder::existing(store, now);
    let finance = builder.department("Finance").await;
    let hidden = builder
        .person("qqhandle@saomai.vn", "Zzhidden Outsider")
        .department(finance)
        .await;
    builder.photo(&hidden, b"zzhidden's photo").await;
    let hidden = hidden.user_id;
    let vault = builder
        .channel("vault", ChannelKind::Private)
        .admin(company.owner)
        .member(company.id(Caller::Admin))
        .await;
    let mut tx = store.begin().await.unwrap();
    tx.set_leader(company.id(Caller::Member), true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let owner = app::policy::Viewer {
        user_id: company.owner,
        name: "Owner".into(),
        role: Role::Owner,
        leader: false,
    };
    let vault_post = app::domain::posts::create_post(
        store,
        &owner,
        &app::domain::posts::PostInput {
            channel: "vault",
            kind: "update",
            body: &format!("Zzvaultpost #{SECRET_TAG}"),
            confirm_channel: false,
            files: &[],
        },
        now,
    )
    .await
    .unwrap()
    .id;
    let announce = |audience, body: String| {
        let owner = owner.clone();
        async move {
            let input = app::domain::announcements::AnnouncementInput {
                audience,
                body: &body,
                must_read: true,
                expires_on: "",
            };
            app::domain::announcements::announce(store, &owner, &input, now)
                .await
                .unwrap()
                .id
        }
    };
    let vault_notice = announce(
        app::model::Audience::Channel("vault".into()),
        format!("Zzvaultnotice #{SECRET_TAG}"),
    )
    .await;
    let department_notice = announce(
        app::model::Audience::Departments(vec![finance]),
        format!("Zzdeptnotice #{SECRET_TAG}"),
    )
    .await;
    // A question in the vault on a topic the admin (in the vault) and the outsider (not)
    // both say they know: it may be routed to the admin only.
    for who in [Caller::Admin, Caller::Member] {
        let input = app::domain::people::ProfileInput {
            name: format!("{who:?}"),
            job_title: String::new(),
            location: String::new(),
            time_zone: String::new(),
            start_date: String::new(),
            birthday_month: String::new(),
            birthday_day: String::new(),
            birthday_public: false,
            expertise: "Routetopic".into(),
            responsibilities: String::new(),
            department: None,
            manager: None,
        };
        app::domain::people::save(store, &owner, company.id(who), &input)
            .await
            .unwrap();
    }
    app::domain::posts::create_post(
        store,
        &owner,
        &app::domain::posts::PostInput {
            channel: "vault",
            kind: "question",
            body: &format!("Zzvaultquestion: who knows routetopic? #{SECRET_TAG}"),
            confirm_channel: false,
            files: &[],
        },
        now,
    )
    .await
    .unwrap();
    let vault_page = app::domain::knowledge::create(
        store,
        &owner,
        app::model::knowledge::SpaceKey::Channel(vault),
        &app::domain::knowledge::PageInput {
            title: "Zzvaultpage",
            body: "Zzvaultpage text",
            parent: None,
            review_days: 90,
            files: &[],
        },
        now,
    )
    .await
    .unwrap();
    let partner = app::policy::Viewer {
        user_id: company.partner,
        name: "Partner".into(),
        role: Role::Member,
        leader: false,
    };
    let marker = app::domain::posts::create_post(
        store,
        &partner,
        &app::domain::posts::PostInput {
            channel: "partners",
            kind: "update",
            body: "Marker",
            confirm_channel: false,
            files: &[],
        },
        now,
    )
    .await
    .unwrap()
    .id;
    Secrets {
        posts: [
            "zzvaultpost",
            "zzvaultnotice",
            "zzdeptnotice",
            "zzvaultquestion",
        ],
        person: ["zzhidden", "qqhandle"],
        hidden,
        vault,
        vault_post,
        vault_notice,
        vault_page,
        page_words: ["zzvaultpage"],
        department_notice,
        marker,
    }
}

/// The requests aimed at the secrets, each with what its [`finder`] (who may read every
/// secret) gets back from it: proof that the request finds the secret, so a guest or an
/// outsider receiving none of it is the policy's doing, not an empty result. Texts are
/// lower-cased; an empty list asserts nothing (the answer quotes no text).
fn aimed_at_secrets(s: &Secrets) -> Vec<(Call, Vec<String>)> {
    let (post, notice, department) = (s.vault_post, s.vault_notice, s.department_notice);
    let all = || s.posts.map(String::from).to_vec();
    let api = |endpoint, body: String| Call::Api(endpoint, body);
    let mut aimed = vec![
        (
            api("feed/post", format!("id={post}&opened=true")),
            vec!["zzvaultpost".into()],
        ),
        (
            api("feed/post", format!("id={notice}&opened=true")),
            vec!["zzvaultnotice".into()],
        ),
        (
            api("feed/post", format!("id={department}&opened=true")),
            vec!["zzdeptnotice".into()],
        ),
        (
            api("posts/card", format!("post={post}&back=/")),
            vec!["zzvaultpost".into()],
        ),
        (
            api("posts/card", format!("post={department}&back=/")),
            vec!["zzdeptnotice".into()],
        ),
        (api("posts/history", format!("post={post}")), vec![]),
        // A reach quotes no text, but its recipient list is the announcement's audience.
        (
            api("announcements/reach", format!("post={notice}")),
            vec!["\"pending\"".into()],
        ),
        (
            api("announcements/reach", format!("post={department}")),
            vec!["\"pending\"".into(), "zzhidden".into()],
        ),
        (
            api("announcements/renotify", format!("post={notice}")),
            vec![],
        ),
        (
            api("announcements/renotify", format!("post={department}")),
            vec![],
        ),
        (
            api("announcements/acknowledge", format!("post={department}")),
            vec![],
        ),
        (
            api(
                "posts/seen",
                format!("posts[0]={department}&posts[1]={notice}"),
            ),
            vec![],
        ),
        (
            api("feed/channel", "slug=vault".into()),
            vec!["zzvaultpost".into(), "zzvaultnotice".into()],
        ),
        (api("channels/members", "slug=vault".into()), vec![]),
        (
            api("feed/mention-suggestions", "prefix=zz".into()),
            vec!["zzhidden".into()],
        ),
        (
            api("feed/mention-suggestions", "prefix=qq".into()),
            vec!["qqhandle".into()],
        ),
        (
            api("posts/mention-list", "prefix=zz".into()),
            vec!["zzhidden".into()],
        ),
        (
            api("posts/mention-list", "prefix=qq".into()),
            vec!["qqhandle".into()],
        ),
        (api("people", "query=zz".into()), vec!["zzhidden".into()]),
        (
            api("people", "query=outsider".into()),
            vec!["zzhidden".into()],
        ),
        (api("people", String::new()), vec!["zzhidden".into()]),
        (
            api("people/profile", format!("id={}", s.hidden)),
            vec!["zzhidden".into(), "qqhandle".into()],
        ),
        (api("feed/person", format!("person={}", s.hidden)), vec![]),
        (api("search", format!("q={SECRET_TAG}")), all()),
        // Mistyped (the answer echoes the words, so they must not be the secret), the vault's
        // words are found by those who may read them, by nobody else: results, counts, snippets.
        (
            api("search", "q=zzvaultpots".into()),
            vec!["zzvaultpost".into()],
        ),
        (
            api("search", "q=zzvaultpots&kind=posts".into()),
            vec!["zzvaultpost".into()],
        ),
        (
            api("search", format!("q={SECRET_TAG}&channel={}", s.vault)),
            vec!["zzvaultpost".into()],
        ),
        (
            api("search/suggest", "q=zzhid".into()),
            vec!["zzhidden".into()],
        ),
        (
            api("search/suggest", "q=vau".into()),
            vec!["\"vault\"".into()],
        ),
        (
            api("search/suggest-list", "q=zzhid".into()),
            vec!["zzhidden".into()],
        ),
        (
            api("questions/open", String::new()),
            vec!["zzvaultquestion".into()],
        ),
        (
            api("questions/channel", "slug=vault".into()),
            vec!["zzvaultquestion".into()],
        ),
        (
            api(
                "questions/similar",
                format!("text=zzvaultquestion+{SECRET_TAG}"),
            ),
            vec!["zzvaultquestion".into()],
        ),
        (
            api(
                "questions/similar-list",
                format!("text=zzvaultquestion+{SECRET_TAG}"),
            ),
            vec!["zzvaultquestion".into()],
        ),
        (
            api("questions/for-you", String::new()),
            vec!["zzvaultquestion".into()],
        ),
        (
            Call::Get("/questions".into()),
            vec!["zzvaultquestion".into()],
        ),
        (
            Call::Get("/questions/open".into()),
            vec!["zzvaultquestion".into()],
        ),
        (
            Call::Get("/channels/vault/questions".into()),
            vec!["zzvaultquestion".into()],
        ),
        (api("feed/tag", format!("tag={SECRET_TAG}")), all()),
        (api("feed/home", String::new()), vec![]),
        (api("feed/company", String::new()), vec![]),
        (api("notifications/list", String::new()), vec![]),
        (api("dashboard", "range=7".into()), vec![]),
        (api("admin/overview", String::new()), vec![]),
        (Call::Get(format!("/search?q={SECRET_TAG}")), all()),
        (Call::Get(format!("/tags/{SECRET_TAG}")), all()),
        (Call::Get("/people?q=zz".into()), vec!["zzhidden".into()]),
        (
            Call::Get("/u/qqhandle".into()),
            vec![format!("location: /people/{}\r\n", s.hidden)],
        ),
        (
            Call::Get("/channels/vault".into()),
            vec!["zzvaultpost".into()],
        ),
        (Call::Get("/channels/vault/members".into()), vec![]),
        (
            Call::Get(format!("/avatars/{}", s.hidden)),
            vec!["zzhidden's photo".into()],
        ),
        (
            Call::Get(format!("/people/{}", s.hidden)),
            vec!["zzhidden".into()],
        ),
        // Every event since the log began that the caller may hear of, up to the marker.
        (
            Call::Live(format!("\"post\":{}", s.marker)),
            vec![
                format!("\"post\":{post}"),
                format!("\"channel\":{}", s.vault),
            ],
        ),
        // Uploading the hidden person's photo: only staff may, so it says nothing here.
        (Call::Upload(s.hidden), vec![]),
        // Knowledge pages in the private channel.
        (
            api("knowledge/page", format!("id={}", s.vault_page)),
            vec!["zzvaultpage".into()],
        ),
        (
            api("knowledge/history", format!("id={}", s.vault_page)),
            vec!["zzvaultpage".into()],
        ),
        (
            api("knowledge/edit-form", format!("id={}", s.vault_page)),
            vec!["zzvaultpage".into()],
        ),
        (
            api("knowledge/home", String::new()),
            vec!["zzvaultpage".into()],
        ),
        (
            api("knowledge/new-form", String::from("template=")),
            vec!["zzvaultpage".into()],
        ),
        (Call::Get("/pages".into()), vec!["zzvaultpage".into()]),
        (
            Call::Get(format!("/pages/{}", s.vault_page)),
            vec!["zzvaultpage".into()],
        ),
        (
            Call::Get(format!("/pages/{}/history", s.vault_page)),
            vec!["zzvaultpage".into()],
        ),
    ];
    for id in [post, notice, department] {
        aimed.push((Call::Get(format!("/posts/{id}")), vec![]));
    }
    for metric in app::model::Metric::ALL {
        aimed.push((
            Call::Get(format!("/dashboard/export/{}.csv?range=7", metric.name())),
            vec![],
        ));
    }
    for page in [
        "/",
        "/company",
        "/mentions",
        "/notifications",
        "/people",
        "/channels",
        "/dashboard",
        "/dashboard?range=7",
        "/admin",
    ] {
        aimed.push((Call::Get(page.into()), vec![]));
    }
    aimed
}

/// Every request that returns data, as one caller: the matrix's rows (but those that
/// end or replace the session) and the requests aimed at the secrets. Answers (request,
/// lower-cased head, body) for each.
async fn everything_as(
    site: &InProcess,
    company: &Company,
    s: &Secrets,
    caller: Caller,
) -> Vec<(String, String, String)> {
    let cookie = company.cookie(caller);
    let mut calls: Vec<Call> = matrix()
        .into_iter()
        .filter(|row| !row.endpoint.starts_with("account/sign") && row.endpoint != "account/join")
        .map(|row| (row.call)(company, caller))
        .collect();
    for (call, _) in aimed_at_secrets(s) {
        if !calls.contains(&call) {
            calls.push(call);
        }
    }
    let mut answers = Vec::new();
    for call in calls {
        let (status, head, body) = call.send(site, &cookie).await;
        answers.push((format!("{} → {status}", call.describe()), head, body));
    }
    answers
}

/// Who reads what a request aimed at the secrets finds: the owner, who wrote them all,
/// but for the live stream, which tells nobody of their own doing; there the admin, who
/// is in the private channel.
fn finder(call: &Call) -> Caller {
    match call {
        Call::Live(_) => Caller::Admin,
        // A question is routed to those who may read it, never its asker.
        Call::Api("questions/for-you", _) => Caller::Admin,
        Call::Get(path) if path == "/questions" => Caller::Admin,
        _ => Caller::Owner,
    }
}

/// What the [`finder`] gets from the requests aimed at the secrets: every request that
/// should find a secret does (see [`aimed_at_secrets`]); among them the matrix's search
/// and tag rows, so those rows look for words that are there to find.
async fn the_secrets_are_there_to_find(
    site: &InProcess,
    company: &Company,
    s: &Secrets,
) -> Vec<String> {
    let aimed = aimed_at_secrets(s);
    let mut misses = Vec::new();
    for row in matrix() {
        if ["search", "feed/tag"].contains(&row.endpoint) {
            let call = (row.call)(company, Caller::Owner);
            if !aimed
                .iter()
                .any(|(c, found)| *c == call && !found.is_empty())
            {
                misses.push(format!("the matrix's {} finds no secret", call.describe()));
            }
        }
    }
    for (call, wanted) in aimed.into_iter().filter(|(_, w)| !w.is_empty()) {
        let finder = finder(&call);
        let (status, head, body) = call.send(site, &company.cookie(finder)).await;
        let answer = format!("{head}\r\n{}", body.to_lowercase());
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|w| !answer.contains(w.as_str()))
            .collect();
        if !missing.is_empty() {
            misses.push(format!(
                "the {finder:?}'s {} → {status} lacks {missing:?}: {answer}",
                call.describe()
            ));
        }
    }
    misses
}

/// The general rule, checked on what comes back: a guest receives nothing about a
/// private channel, an announcement not addressed to them or a person who shares no
/// channel with them; a member (here also a leader) outside a private channel and a
/// department receives nothing about their posts. What the owner (or the admin)
/// receives from the same requests proves they find the secrets. Every leak is
/// collected before the test fails, so one run names them all.
async fn guests_and_outsiders_receive_nothing_private(db: TestDb) {
    let company = Box::pin(company(&db.store)).await;
    let secrets = plant_secrets(&db.store, &company).await;
    let unread = db.store.unread_notifications(secrets.hidden).await.unwrap();
    let site = InProcess::start(&db.store, &format!("secrets-{}", db.url.len())).await;
    let mut leaks = the_secrets_are_there_to_find(&site, &company, &secrets).await;
    for caller in [Caller::Guest, Caller::Member] {
        // A guest may not know the hidden person exists, even by their address.
        let hidden_path = format!("/people/{}", secrets.hidden);
        for (request, headers, body) in everything_as(&site, &company, &secrets, caller).await {
            let body = body.to_lowercase();
            let mut words: Vec<&str> = secrets.posts.to_vec();
            words.extend(secrets.page_words);
            if caller == Caller::Guest {
                words.extend(secrets.person);
            }
            let mut found: Vec<String> = words
                .into_iter()
                .filter(|word| body.contains(word))
                .map(String::from)
                .collect();
            if caller == Caller::Guest
                && [&headers, &body]
                    .iter()
                    .any(|text| names_path(text, &hidden_path))
            {
                found.push(hidden_path.clone());
            }
            // A reach quotes no text, but its recipient list is the announcement's
            // audience: none comes back for an announcement the caller may not read.
            let secret_reach = [secrets.vault_notice, secrets.department_notice]
                .iter()
                .any(|id| request.contains(&format!("announcements/reach (post={id})")));
            if secret_reach && body.contains("\"pending\"") {
                found.push("its reach".into());
            }
            // The live stream names posts and channels by id only.
            if request.starts_with("GET /live") {
                let posts = [
                    secrets.vault_post,
                    secrets.vault_notice,
                    secrets.department_notice,
                ];
                found.extend(
                    posts
                        .iter()
                        .map(|id| format!("\"post\":{id}"))
                        .chain([format!("\"channel\":{}", secrets.vault)])
                        .filter(|named| names_path(&body, named)),
                );
            }
            if !found.is_empty() {
                leaks.push(format!("{caller:?}: {request} holds {found:?}"));
            }
        }
    }
    drop(site);
    // Reminders asked for by those who may not read the announcement went nowhere.
    let reminded = db.store.unread_notifications(secrets.hidden).await.unwrap() - unread;
    if reminded != 0 {
        leaks.push(format!("{reminded} reminders reached the department"));
    }
    assert!(leaks.is_empty(), "\n{}", leaks.join("\n"));
    db.finish().await;
}

/// Whether `text` holds `path` as a whole address (`/people/7`, not `/people/70`).
fn names_path(text: &str, path: &str) -> bool {
    text.match_indices(path).any(|(at, _)| {
        !text[at + path.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}
