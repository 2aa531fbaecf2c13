//! One way to build the company a test runs in, for the storage stories (`app/tests`)
//! and the HTTP tests (`server/tests`) alike.
//!
//! Each test file used to write its company by hand: people through `Tx::create_user`
//! with a `NewUser` of nine fields, the default channels joined (or forgotten), channels
//! and their members, session tokens hashed and stored for cookies. Seven such companies
//! drifted apart in small ways (who joins `general`, which clock a row carries). Here a
//! test says only what matters to it:
//!
//! ```ignore
//! let (company, owner) = CompanyBuilder::set_up(&db.store, NOW).await;
//! let sales = company.department("Sales").await;
//! let an = company.person("an@saomai.vn", "An").department(sales).await;
//! let guest = company.person("guest@agency.vn", "Guest").role(Role::Guest).await;
//! let team = company.channel("team", ChannelKind::Private).by(&owner).admin(&an).await;
//! let cookie = company.cookie(&an).await;
//! ```
//!
//! Everything else takes the values a real company would have: people join the
//! company-wide channels as the product makes them (guests join none), rows are dated
//! the builder's `now`. Setup failures panic: a test cannot go on without its company.

use crate::domain::accounts::{self, session, SetUp};
use crate::domain::posts::{self, PostInput};
use crate::error::AppError;
use crate::model::{ChannelId, ChannelKind, CommentId, DepartmentId, PersonId, PostId, Role};
use crate::policy::Viewer;
use crate::store::{NewChannel, NewUser, Store};
use std::future::{Future, IntoFuture};
use std::pin::Pin;

/// The stories' "now": fixed, so that expected times can be written down.
pub const NOW: i64 = 1_800_000_000_000;

/// The owner's password in a company made by [`CompanyBuilder::set_up`], for tests
/// that sign in.
pub const PASSWORD: &str = "correct horse battery";

/// The owner's e-mail address in a company made by [`CompanyBuilder::set_up`].
pub const OWNER_EMAIL: &str = "owner@saomai.vn";

/// The first run's answers for the company [`CompanyBuilder::set_up`] makes.
pub const SAO_MAI: SetUp<'static> = SetUp {
    company_name: "Sao Mai",
    name: "Owner",
    email: OWNER_EMAIL,
    password: PASSWORD,
    time_zone: "Asia/Ho_Chi_Minh",
    default_channel_name: "general",
};

/// How long a session made by [`CompanyBuilder::session`] lasts: a day, longer than
/// any test.
const SESSION_LIFETIME: i64 = 86_400_000;

/// Someone the builder refers to: a [`Viewer`] it made, or a user id (for a test that
/// keeps only ids).
pub trait Someone {
    fn user_id(&self) -> PersonId;
}

impl Someone for Viewer {
    fn user_id(&self) -> PersonId {
        self.user_id
    }
}

impl Someone for PersonId {
    fn user_id(&self) -> PersonId {
        *self
    }
}

impl<T: Someone + ?Sized> Someone for &T {
    fn user_id(&self) -> PersonId {
        (**self).user_id()
    }
}

/// A boxed future, so that the person and channel builders can be awaited directly.
type Building<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Builds a test company in a store: its people, departments, channels and sessions.
///
/// Made by [`CompanyBuilder::set_up`] (the company the product sets up, with an owner)
/// or [`CompanyBuilder::bare`] (only the company row, for stories about the store's
/// own rows). Cheap to copy; it holds no state of its own.
#[derive(Clone, Copy)]
pub struct CompanyBuilder<'s> {
    store: &'s Store,
    now: i64,
}

impl<'s> CompanyBuilder<'s> {
    /// Sets up the company Sao Mai ([`SAO_MAI`]) as its first user does
    /// (`accounts::set_up`): its owner "Owner" ([`OWNER_EMAIL`], [`PASSWORD`]), its clock
    /// Ho Chi Minh City's, `general` its channel for everyone. Returns the builder and
    /// the owner.
    pub async fn set_up(store: &'s Store, now: i64) -> (Self, Viewer) {
        Self::set_up_with(store, SAO_MAI, now).await
    }

    /// [`CompanyBuilder::set_up`] with other answers to the first run's questions, for
    /// tests that look for them in what they read: `SetUp { name: "Owner Quan",
    /// ..SAO_MAI }`.
    pub async fn set_up_with(store: &'s Store, setup: SetUp<'_>, now: i64) -> (Self, Viewer) {
        let token = accounts::set_up(store, setup, now)
            .await
            .expect("set up the company");
        let owner = store
            .session_viewer(&session::token_hash(&token), now)
            .await
            .expect("read the owner's session")
            .expect("the owner is signed in");
        (CompanyBuilder { store, now }, owner)
    }

    /// Only the company row (`Tx::create_company`): no owner, no channel, no password
    /// hashing. For storage stories that name every row they need.
    pub async fn bare(store: &'s Store, name: &str, time_zone: &str, now: i64) -> Self {
        let mut tx = store.begin().await.expect("begin");
        tx.create_company(name, time_zone)
            .await
            .expect("create the company");
        tx.commit().await.expect("commit the company");
        CompanyBuilder { store, now }
    }

    /// Adds to the company already in `store` (made by an earlier step of the test),
    /// dating new rows `now`.
    pub fn existing(store: &'s Store, now: i64) -> Self {
        CompanyBuilder { store, now }
    }

    /// The store the company is in.
    pub fn store(&self) -> &'s Store {
        self.store
    }

    /// The time the builder dates its rows with, unless told otherwise.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// A new department; its id.
    pub async fn department(&self, name: &str) -> DepartmentId {
        let mut tx = self.store.begin().await.expect("begin");
        let id = tx
            .create_department(name)
            .await
            .expect("create a department");
        tx.commit().await.expect("commit the department");
        id
    }

    /// A person joining the company: a member, without department, manager, title or
    /// place, dated the builder's `now`, unless told otherwise. Await it to add them.
    pub fn person<'a>(&self, email: &'a str, name: &'a str) -> PersonBuilder<'a>
    where
        's: 'a,
    {
        PersonBuilder {
            company: *self,
            email,
            name,
            role: Role::Member,
            department: None,
            manager: None,
            job_title: "",
            location: "",
            created_at: self.now,
            leader: false,
        }
    }

    /// A channel that is not company-wide, made by no one, with no members, unless told
    /// otherwise. Await it to create it; its id.
    pub fn channel<'a>(&self, slug: &'a str, kind: ChannelKind) -> ChannelBuilder<'a>
    where
        's: 'a,
    {
        ChannelBuilder {
            company: *self,
            slug,
            name: slug,
            kind,
            company_wide: false,
            creator: None,
            created_at: self.now,
            members: Vec::new(),
        }
    }

    /// Signs `who` in: a new session from `now` for a day; its token (what the session
    /// cookie carries).
    pub async fn session(&self, who: impl Someone) -> String {
        let token = session::new_token().expect("a random session token");
        let mut tx = self.store.begin().await.expect("begin");
        tx.create_session(
            &session::token_hash(&token),
            who.user_id(),
            self.now,
            self.now + SESSION_LIFETIME,
        )
        .await
        .expect("create a session");
        tx.commit().await.expect("commit the session");
        token
    }

    /// Signs `who` in ([`CompanyBuilder::session`]); the `Cookie` header line, ending in
    /// CRLF, that raw HTTP/1.1 requests carry.
    pub async fn cookie(&self, who: impl Someone) -> String {
        cookie_header(&self.session(who).await)
    }

    /// Gives `who` a profile photo of these bytes, said to be a JPEG (they need not be
    /// one: the routes that decide who may see it never decode it).
    pub async fn photo(&self, who: impl Someone, bytes: &[u8]) {
        let mut tx = self.store.begin().await.expect("begin");
        tx.set_avatar(who.user_id(), "image/jpeg", bytes, self.now)
            .await
            .expect("set a photo");
        tx.commit().await.expect("commit the photo");
    }

    /// Posts through the product ([`post_in`]) at the builder's `now`.
    pub async fn post(
        &self,
        who: &Viewer,
        channel: &str,
        kind: &str,
        body: &str,
    ) -> Result<PostId, AppError> {
        post_in(self.store, who, channel, kind, body, self.now).await
    }

    /// Comments through the product ([`comment_on`]) at the builder's `now`.
    pub async fn comment(
        &self,
        who: &Viewer,
        post: PostId,
        parent: Option<CommentId>,
        body: &str,
    ) -> Result<CommentId, AppError> {
        comment_on(self.store, who, post, parent, body, self.now).await
    }
}

/// The `Cookie` header line, ending in CRLF, that carries a session token.
pub fn cookie_header(token: &str) -> String {
    format!("Cookie: townhall_session={token}\r\n")
}

/// A person about to join; see [`CompanyBuilder::person`]. Awaiting it adds them and
/// gives the [`Viewer`] they act as.
#[must_use = "a person is added only when awaited"]
pub struct PersonBuilder<'a> {
    company: CompanyBuilder<'a>,
    email: &'a str,
    name: &'a str,
    role: Role,
    department: Option<DepartmentId>,
    manager: Option<PersonId>,
    job_title: &'a str,
    location: &'a str,
    created_at: i64,
    leader: bool,
}

impl<'a> PersonBuilder<'a> {
    /// Their role (a member otherwise). Guests join no channel by themselves.
    pub fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    pub fn department(mut self, department: impl Into<Option<DepartmentId>>) -> Self {
        self.department = department.into();
        self
    }

    /// Whom they report to.
    pub fn manager(mut self, manager: impl Someone) -> Self {
        self.manager = Some(manager.user_id());
        self
    }

    pub fn job_title(mut self, job_title: &'a str) -> Self {
        self.job_title = job_title;
        self
    }

    pub fn location(mut self, location: &'a str) -> Self {
        self.location = location;
        self
    }

    /// When they joined (the builder's `now` otherwise); they join the company-wide
    /// channels then too.
    pub fn created_at(mut self, created_at: i64) -> Self {
        self.created_at = created_at;
        self
    }

    /// Gives them the leader permission (reading the adoption dashboard).
    pub fn leader(mut self, leader: bool) -> Self {
        self.leader = leader;
        self
    }

    async fn add(self) -> Viewer {
        let mut tx = self.company.store.begin().await.expect("begin");
        let id = tx
            .create_user(&NewUser {
                email: self.email,
                display_name: self.name,
                job_title: self.job_title,
                department_id: self.department,
                manager_id: self.manager,
                role: self.role,
                location: self.location,
                start_date: None,
                created_at: self.created_at,
            })
            .await
            .expect("create a person");
        // As invitations and the admins' "add person" do.
        if self.role != Role::Guest {
            tx.join_default_channels(id, self.created_at)
                .await
                .expect("join the company-wide channels");
        }
        if self.leader {
            tx.set_leader(id, true).await.expect("make a leader");
        }
        tx.commit().await.expect("commit the person");
        Viewer {
            user_id: id,
            name: self.name.into(),
            role: self.role,
            leader: self.leader,
        }
    }
}

impl<'a> IntoFuture for PersonBuilder<'a> {
    type Output = Viewer;
    type IntoFuture = Building<'a, Viewer>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.add())
    }
}

/// A channel about to be created; see [`CompanyBuilder::channel`]. Awaiting it creates
/// it, with its members, and gives its id.
#[must_use = "a channel is created only when awaited"]
pub struct ChannelBuilder<'a> {
    company: CompanyBuilder<'a>,
    slug: &'a str,
    name: &'a str,
    kind: ChannelKind,
    company_wide: bool,
    creator: Option<PersonId>,
    created_at: i64,
    /// Who is in it, and whether as its admin, in the order they join.
    members: Vec<(PersonId, bool)>,
}

impl<'a> ChannelBuilder<'a> {
    /// Its display name (its slug otherwise).
    pub fn name(mut self, name: &'a str) -> Self {
        self.name = name;
        self
    }

    /// Who started it (no one otherwise, as for channels the product makes itself).
    pub fn by(mut self, creator: impl Someone) -> Self {
        self.creator = Some(creator.user_id());
        self
    }

    /// Makes it a channel for everyone: people added afterwards join it. Those already
    /// in the company do not; add them with [`ChannelBuilder::member`].
    pub fn company_wide(mut self) -> Self {
        self.company_wide = true;
        self
    }

    /// When it was created (the builder's `now` otherwise).
    pub fn created_at(mut self, created_at: i64) -> Self {
        self.created_at = created_at;
        self
    }

    /// Adds `who` as an ordinary member.
    pub fn member(mut self, who: impl Someone) -> Self {
        self.members.push((who.user_id(), false));
        self
    }

    /// Adds `who` as one of its admins.
    pub fn admin(mut self, who: impl Someone) -> Self {
        self.members.push((who.user_id(), true));
        self
    }

    /// Adds each of `members` (`true`: as its admin).
    pub fn members(mut self, members: &[(&Viewer, bool)]) -> Self {
        self.members
            .extend(members.iter().map(|(who, admin)| (who.user_id, *admin)));
        self
    }

    async fn create(self) -> ChannelId {
        let mut tx = self.company.store.begin().await.expect("begin");
        let id = tx
            .create_channel(&NewChannel {
                slug: self.slug,
                name: self.name,
                description: "",
                guidelines: "",
                kind: self.kind,
                is_default: self.company_wide,
                created_by: self.creator,
                created_at: self.created_at,
            })
            .await
            .expect("create a channel");
        for (who, admin) in self.members {
            tx.add_member(id, who, admin)
                .await
                .expect("add a channel member");
        }
        tx.commit().await.expect("commit the channel");
        id
    }
}

impl<'a> IntoFuture for ChannelBuilder<'a> {
    type Output = ChannelId;
    type IntoFuture = Building<'a, ChannelId>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.create())
    }
}

/// Posts as `who`, through the product (its checks, mentions and notifications), without
/// the `@channel` confirmation; the new post's id.
pub async fn post_in(
    store: &Store,
    who: &Viewer,
    channel: &str,
    kind: &str,
    body: &str,
    now: i64,
) -> Result<PostId, AppError> {
    let input = PostInput {
        channel,
        kind,
        body,
        confirm_channel: false,
        files: &[],
    };
    Ok(posts::create_post(store, who, &input, now).await?.id)
}

/// Comments (or replies) as `who`, through the product; the new comment's id.
pub async fn comment_on(
    store: &Store,
    who: &Viewer,
    post: PostId,
    parent: Option<CommentId>,
    body: &str,
    now: i64,
) -> Result<CommentId, AppError> {
    Ok(posts::comment(store, who, post, parent, body, &[], now)
        .await?
        .id)
}
