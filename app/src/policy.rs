//! The one answer to "may this person do this to that?". Every server function asks here
//! before it reads or writes, and the interface asks the same question to decide what to
//! show, so a button never offers what the server would refuse.
//!
//! It is a pure function of who is asking, what they ask and the facts about the target
//! that matter (whose profile, which role, which channel and whether they belong to it),
//! so the whole matrix is tested below without a database; the HTTP matrix in
//! `server/tests/authorization.rs` checks that every server function asks.

use crate::model::{ChannelKind, PersonId, Role};
use serde::{Deserialize, Serialize};

/// A signed-in, active person. Deactivated people have no sessions, so they are never
/// a `Viewer`; anonymous requests have `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: PersonId,
    pub name: String,
    pub role: Role,
    /// Given the "leader" permission: reads the adoption dashboard without being staff.
    #[serde(default)]
    pub leader: bool,
}

impl Viewer {
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Owner | Role::Admin)
    }

    pub fn is_guest(&self) -> bool {
        self.role == Role::Guest
    }
}

/// Where a knowledge page lives, with the viewer's standing there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSpace {
    /// The whole company.
    Company,
    /// A channel: its pages are exactly as readable as its posts.
    Channel {
        channel: ChannelFacts,
        channel_admin: bool,
    },
    /// A department; `member`: the viewer is one of its people.
    Department { member: bool },
}

/// What a person is allowed to know about a channel before reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelFacts {
    pub kind: ChannelKind,
    pub member: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Posts in every channel one may read (for guests: only their channels).
    ReadFeed,
    /// The list of channels one may read.
    ListChannels,
    /// The directory. Guests only ever find the members of their own channels (the
    /// store narrows the search; the policy only says they may search).
    ReadDirectory,
    /// Deactivated people, to reactivate them.
    ListDeactivated,
    /// One person's profile. `shares_channel`: whether viewer and person have a channel
    /// in common (all a guest may rely on).
    ReadProfile {
        person: PersonId,
        shares_channel: bool,
    },
    /// Name, title, location, time zone, dates, expertise, responsibilities, avatar of
    /// `person`, who has role `role`: only the owner edits the owner.
    EditProfile { person: PersonId, role: Role },
    /// A person's department and manager: the organisation chart is kept by admins.
    EditOrganisation,
    /// Changing someone's role from `from` to `to`.
    ChangeRole {
        person: PersonId,
        from: Role,
        to: Role,
    },
    /// Deactivating or reactivating someone who has role `role`.
    SetActive { person: PersonId, role: Role },
    /// Making a one-time password reset link for someone who has role `role`. A link
    /// lets whoever holds it into the account, so admins make them for members and
    /// guests, the owner also for admins, nobody for the owner or themself (the
    /// operator's `townhall reset-link` is the owner's way back).
    MakeResetLink { person: PersonId, role: Role },
    /// Invitations and departments.
    ManagePeople,
    /// Reading a channel's page and posts.
    ReadChannel(ChannelFacts),
    /// Posting in a channel: wherever one may read, unless it is archived; in an
    /// announcement channel, only its admins.
    PostIn {
        channel: ChannelFacts,
        channel_admin: bool,
        archived: bool,
    },
    /// Commenting on and reacting to posts in a channel: wherever one may read, unless
    /// the channel is archived.
    Respond {
        channel: ChannelFacts,
        archived: bool,
    },
    /// Starting a channel (its creator becomes its admin).
    CreateChannel,
    /// Joining a channel oneself: open channels only, and not while archived.
    JoinChannel {
        channel: ChannelFacts,
        archived: bool,
    },
    /// Leaving a channel one is in, except the company-wide one everyone is in.
    LeaveChannel {
        channel: ChannelFacts,
        is_default: bool,
    },
    /// Members, channel admins, name, description, guidelines and archiving: for the
    /// channel's admins and the company's staff, in a channel they may read.
    ManageChannel {
        channel: ChannelFacts,
        channel_admin: bool,
    },
    /// The adoption dashboard: company-wide activity figures (staff and leaders).
    ReadDashboard,
    /// Giving (`leader`) or taking the leader permission from someone with role `role`:
    /// staff only, and a guest is never given it.
    SetLeader { role: Role, leader: bool },
    /// Ending one's own sessions.
    ManageOwnSessions,
    // Scheduled posts
    /// Seeing, editing and cancelling a scheduled post: only its author, staff included.
    ManageScheduledPost { author: PersonId },
    // The living feed
    /// Notifying everyone in a channel with `@channel`.
    MentionChannel { channel_admin: bool },
    /// Publishing a company announcement to an audience, optionally must-read.
    Announce,
    /// Who has seen and acknowledged an announcement, and reminding the rest.
    SeeReach { author: PersonId },
    /// One's own notifications, and how much one hears about one's channels.
    ManageOwnNotifications,
    /// Changing a post's text: its author only, and not in an archived channel.
    EditPost { author: PersonId, archived: bool },
    /// Deleting a post: its author, the channel's admins, or the company's.
    DeletePost {
        author: PersonId,
        channel_admin: bool,
    },
    /// Pinning and unpinning in a channel, and reading a post's earlier versions.
    ModeratePosts { channel_admin: bool },
    // Questions and answers
    /// Accepting (or changing) a question's answer: its asker or the channel's admins,
    /// and not in an archived channel.
    AcceptAnswer {
        asker: PersonId,
        channel_admin: bool,
        archived: bool,
    },
    // Knowledge pages
    /// Reading a page, its history and its place in the tree: company and department
    /// pages for everyone but guests, a channel's pages for whoever reads the channel.
    ReadPage(PageSpace),
    /// Starting a page in a space: company pages by staff, a channel's by its admins
    /// (and staff who read it), a department's by its people (and staff).
    CreatePage(PageSpace),
    /// Editing, verifying ("still true"), moving and restoring a page: whoever may start
    /// pages in its space, and its owner, as long as they may read it.
    EditPage { space: PageSpace, owner: bool },
    // Onboarding journeys
    /// The list of journeys: staff and leaders (department heads).
    ListJourneys,
    /// Starting, changing and deleting a journey. `department`: `None` for a
    /// company-wide one (staff only), `Some(mine)` for a department's (staff, and the
    /// leaders of that department).
    ManageJourney { department: Option<bool> },
    /// Seeing someone's journeys and how far they are: the person, their manager, the
    /// company's staff (HR) and the leaders of their department.
    FollowJourney {
        person: PersonId,
        manager: bool,
        same_department: bool,
    },
    /// Giving someone a journey by hand or taking it back: their manager, staff, the
    /// leaders of their department.
    AssignJourney {
        manager: bool,
        same_department: bool,
    },
}

pub fn allows(viewer: Option<&Viewer>, action: Action) -> bool {
    let Some(viewer) = viewer else { return false };
    let staff = viewer.is_staff();
    let member = !viewer.is_guest();
    // Guests are never given the leader permission; a flag left over opens nothing.
    let leader = viewer.leader && member;
    let me = viewer.user_id;
    match action {
        Action::ReadFeed
        | Action::ListChannels
        | Action::ReadDirectory
        | Action::ManageOwnSessions
        | Action::ManageOwnNotifications => true,
        Action::ReadProfile {
            person,
            shares_channel,
        } => member || person == me || shares_channel,
        Action::EditProfile { person, role } => person == me || (staff && role != Role::Owner),
        Action::EditOrganisation
        | Action::ManagePeople
        | Action::ListDeactivated
        | Action::Announce => staff,
        Action::ReadDashboard => staff || leader,
        Action::SetLeader { role, leader } => staff && (!leader || role != Role::Guest),
        Action::MentionChannel { channel_admin } => channel_admin || staff,
        // Leaders follow announcements up from the dashboard.
        Action::SeeReach { author } => author == me || staff || leader,
        Action::EditPost { author, archived } => author == me && !archived,
        Action::DeletePost {
            author,
            channel_admin,
        } => author == me || channel_admin || staff,
        Action::ModeratePosts { channel_admin } => channel_admin || staff,
        Action::AcceptAnswer {
            asker,
            channel_admin,
            archived,
        } => (asker == me || channel_admin) && !archived,
        Action::ManageScheduledPost { author } => author == me,
        // Nobody changes the owner's role or their own (an admin cannot lock themself
        // out by accident), and there is only ever one owner.
        Action::ChangeRole { person, from, to } => {
            staff && person != me && from != Role::Owner && to != Role::Owner
        }
        Action::SetActive { person, role } => staff && person != me && role != Role::Owner,
        Action::MakeResetLink { person, role } => {
            staff
                && person != me
                && match role {
                    Role::Owner => false,
                    Role::Admin => viewer.role == Role::Owner,
                    Role::Member | Role::Guest => true,
                }
        }
        Action::ReadChannel(channel) => may_read(member, channel),
        Action::PostIn {
            channel,
            channel_admin,
            archived,
        } => {
            may_read(member, channel)
                && !archived
                && (channel.kind != ChannelKind::Announcement || channel_admin)
        }
        Action::Respond { channel, archived } => may_read(member, channel) && !archived,
        Action::CreateChannel => member,
        Action::JoinChannel { channel, archived } => {
            member && channel.kind != ChannelKind::Private && !archived
        }
        Action::LeaveChannel {
            channel,
            is_default,
        } => channel.member && !is_default,
        Action::ManageChannel {
            channel,
            channel_admin,
        } => may_read(member, channel) && (channel_admin || staff),
        Action::ReadPage(space) => may_read_page(member, space),
        Action::CreatePage(space) => may_write_page(member, staff, space),
        Action::EditPage { space, owner } => {
            may_read_page(member, space) && (owner || may_write_page(member, staff, space))
        }
        Action::ListJourneys => staff || leader,
        Action::ManageJourney { department } => staff || (leader && department == Some(true)),
        Action::FollowJourney {
            person,
            manager,
            same_department,
        } => person == me || may_look_after(staff, leader, manager, same_department),
        Action::AssignJourney {
            manager,
            same_department,
        } => may_look_after(staff, leader, manager, same_department),
    }
}

/// Who looks after a new hire: the company's staff, their manager, and the leaders of
/// their department.
fn may_look_after(staff: bool, leader: bool, manager: bool, same_department: bool) -> bool {
    staff || manager || (leader && same_department)
}

/// Company and department pages are for the company's people, not its guests; a
/// channel's pages follow the channel.
fn may_read_page(member_of_company: bool, space: PageSpace) -> bool {
    match space {
        PageSpace::Company | PageSpace::Department { .. } => member_of_company,
        PageSpace::Channel { channel, .. } => may_read(member_of_company, channel),
    }
}

/// Who writes a space's pages (besides each page's owner).
fn may_write_page(member_of_company: bool, staff: bool, space: PageSpace) -> bool {
    may_read_page(member_of_company, space)
        && match space {
            PageSpace::Company => staff,
            PageSpace::Channel { channel_admin, .. } => channel_admin || staff,
            PageSpace::Department { member } => member || staff,
        }
}

/// Members read their channels; everyone but guests reads those that are not private.
fn may_read(member_of_company: bool, channel: ChannelFacts) -> bool {
    channel.member || (member_of_company && channel.kind != ChannelKind::Private)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: PersonId = PersonId(1);
    const OTHER: PersonId = PersonId(2);

    fn viewer(role: Role) -> Viewer {
        Viewer {
            user_id: ME,
            name: "X".into(),
            role,
            leader: false,
        }
    }

    fn channel(kind: ChannelKind, member: bool) -> Action {
        Action::ReadChannel(ChannelFacts { kind, member })
    }

    fn post_in(kind: ChannelKind, member: bool, channel_admin: bool, archived: bool) -> Action {
        Action::PostIn {
            channel: ChannelFacts { kind, member },
            channel_admin,
            archived,
        }
    }

    fn respond(kind: ChannelKind, member: bool, archived: bool) -> Action {
        Action::Respond {
            channel: ChannelFacts { kind, member },
            archived,
        }
    }

    fn join(kind: ChannelKind, archived: bool) -> Action {
        Action::JoinChannel {
            channel: ChannelFacts {
                kind,
                member: false,
            },
            archived,
        }
    }

    fn leave(kind: ChannelKind, member: bool, is_default: bool) -> Action {
        Action::LeaveChannel {
            channel: ChannelFacts { kind, member },
            is_default,
        }
    }

    fn page_channel(kind: ChannelKind, member: bool, channel_admin: bool) -> PageSpace {
        PageSpace::Channel {
            channel: ChannelFacts { kind, member },
            channel_admin,
        }
    }

    fn manage(kind: ChannelKind, member: bool, channel_admin: bool) -> Action {
        Action::ManageChannel {
            channel: ChannelFacts { kind, member },
            channel_admin,
        }
    }

    /// The full matrix, written out so that a change to the policy must change it too.
    /// Columns: anonymous, guest, member, admin, owner.
    #[test]
    fn every_role_against_every_action() {
        let roles = [
            None,
            Some(Role::Guest),
            Some(Role::Member),
            Some(Role::Admin),
            Some(Role::Owner),
        ];
        let change_role = |from, to| Action::ChangeRole {
            person: OTHER,
            from,
            to,
        };
        let cases: Vec<(Action, [bool; 5])> = vec![
            (Action::ReadFeed, [false, true, true, true, true]),
            (
                Action::ManageScheduledPost { author: ME },
                [false, true, true, true, true],
            ),
            // Not even the company's staff see someone else's drafts.
            (
                Action::ManageScheduledPost { author: OTHER },
                [false, false, false, false, false],
            ),
            (
                Action::ManageOwnNotifications,
                [false, true, true, true, true],
            ),
            (Action::Announce, [false, false, false, true, true]),
            (
                Action::MentionChannel {
                    channel_admin: false,
                },
                [false, false, false, true, true],
            ),
            (
                Action::MentionChannel {
                    channel_admin: true,
                },
                [false, true, true, true, true],
            ),
            (
                Action::SeeReach { author: OTHER },
                [false, false, false, true, true],
            ),
            (
                Action::SeeReach { author: ME },
                [false, true, true, true, true],
            ),
            (Action::ListChannels, [false, true, true, true, true]),
            (Action::ReadDirectory, [false, true, true, true, true]),
            (Action::ListDeactivated, [false, false, false, true, true]),
            (
                Action::ReadProfile {
                    person: OTHER,
                    shares_channel: false,
                },
                [false, false, true, true, true],
            ),
            (
                Action::ReadProfile {
                    person: OTHER,
                    shares_channel: true,
                },
                [false, true, true, true, true],
            ),
            (
                Action::ReadProfile {
                    person: ME,
                    shares_channel: false,
                },
                [false, true, true, true, true],
            ),
            (
                Action::EditProfile {
                    person: ME,
                    role: Role::Member,
                },
                [false, true, true, true, true],
            ),
            (
                Action::EditProfile {
                    person: OTHER,
                    role: Role::Member,
                },
                [false, false, false, true, true],
            ),
            (
                Action::EditProfile {
                    person: OTHER,
                    role: Role::Admin,
                },
                [false, false, false, true, true],
            ),
            // Admins neither rename the owner nor change their photo.
            (
                Action::EditProfile {
                    person: OTHER,
                    role: Role::Owner,
                },
                [false, false, false, false, false],
            ),
            (Action::EditOrganisation, [false, false, false, true, true]),
            (Action::ManagePeople, [false, false, false, true, true]),
            (
                change_role(Role::Member, Role::Admin),
                [false, false, false, true, true],
            ),
            (
                change_role(Role::Admin, Role::Guest),
                [false, false, false, true, true],
            ),
            (
                change_role(Role::Owner, Role::Member),
                [false, false, false, false, false],
            ),
            (
                change_role(Role::Member, Role::Owner),
                [false, false, false, false, false],
            ),
            (
                Action::ChangeRole {
                    person: ME,
                    from: Role::Admin,
                    to: Role::Member,
                },
                [false, false, false, false, false],
            ),
            (
                Action::SetActive {
                    person: OTHER,
                    role: Role::Admin,
                },
                [false, false, false, true, true],
            ),
            (
                Action::SetActive {
                    person: OTHER,
                    role: Role::Owner,
                },
                [false, false, false, false, false],
            ),
            (
                Action::MakeResetLink {
                    person: OTHER,
                    role: Role::Member,
                },
                [false, false, false, true, true],
            ),
            (
                Action::MakeResetLink {
                    person: OTHER,
                    role: Role::Guest,
                },
                [false, false, false, true, true],
            ),
            (
                Action::MakeResetLink {
                    person: OTHER,
                    role: Role::Admin,
                },
                [false, false, false, false, true],
            ),
            (
                Action::MakeResetLink {
                    person: OTHER,
                    role: Role::Owner,
                },
                [false, false, false, false, false],
            ),
            (
                Action::MakeResetLink {
                    person: ME,
                    role: Role::Admin,
                },
                [false, false, false, false, false],
            ),
            (
                Action::SetActive {
                    person: ME,
                    role: Role::Admin,
                },
                [false, false, false, false, false],
            ),
            (
                channel(ChannelKind::Public, false),
                [false, false, true, true, true],
            ),
            (
                channel(ChannelKind::Announcement, false),
                [false, false, true, true, true],
            ),
            (
                channel(ChannelKind::Public, true),
                [false, true, true, true, true],
            ),
            (
                channel(ChannelKind::Private, false),
                [false, false, false, false, false],
            ),
            (
                channel(ChannelKind::Private, true),
                [false, true, true, true, true],
            ),
            (
                post_in(ChannelKind::Public, false, false, false),
                [false, false, true, true, true],
            ),
            (
                post_in(ChannelKind::Public, true, false, false),
                [false, true, true, true, true],
            ),
            (
                post_in(ChannelKind::Public, true, false, true),
                [false, false, false, false, false],
            ),
            (
                post_in(ChannelKind::Announcement, true, false, false),
                [false, false, false, false, false],
            ),
            (
                post_in(ChannelKind::Announcement, true, true, false),
                [false, true, true, true, true],
            ),
            (
                post_in(ChannelKind::Private, false, false, false),
                [false, false, false, false, false],
            ),
            (
                respond(ChannelKind::Announcement, false, false),
                [false, false, true, true, true],
            ),
            (
                respond(ChannelKind::Private, true, false),
                [false, true, true, true, true],
            ),
            (
                respond(ChannelKind::Public, true, true),
                [false, false, false, false, false],
            ),
            (Action::CreateChannel, [false, false, true, true, true]),
            (
                join(ChannelKind::Public, false),
                [false, false, true, true, true],
            ),
            (
                join(ChannelKind::Announcement, false),
                [false, false, true, true, true],
            ),
            (
                join(ChannelKind::Public, true),
                [false, false, false, false, false],
            ),
            // Private channels are entered only by being added.
            (
                join(ChannelKind::Private, false),
                [false, false, false, false, false],
            ),
            (
                leave(ChannelKind::Private, true, false),
                [false, true, true, true, true],
            ),
            (
                leave(ChannelKind::Public, false, false),
                [false, false, false, false, false],
            ),
            (
                leave(ChannelKind::Public, true, true),
                [false, false, false, false, false],
            ),
            (
                manage(ChannelKind::Public, true, true),
                [false, true, true, true, true],
            ),
            (
                manage(ChannelKind::Public, true, false),
                [false, false, false, true, true],
            ),
            (
                manage(ChannelKind::Announcement, false, false),
                [false, false, false, true, true],
            ),
            // Staff manage only the private channels they are in.
            (
                manage(ChannelKind::Private, false, false),
                [false, false, false, false, false],
            ),
            (
                manage(ChannelKind::Private, true, false),
                [false, false, false, true, true],
            ),
            (Action::ReadDashboard, [false, false, false, true, true]),
            (
                Action::SetLeader {
                    role: Role::Member,
                    leader: true,
                },
                [false, false, false, true, true],
            ),
            // Guests are never given the leader permission; staff may still take it.
            (
                Action::SetLeader {
                    role: Role::Guest,
                    leader: true,
                },
                [false, false, false, false, false],
            ),
            (
                Action::SetLeader {
                    role: Role::Guest,
                    leader: false,
                },
                [false, false, false, true, true],
            ),
            (Action::ManageOwnSessions, [false, true, true, true, true]),
            // Knowledge pages: company and department pages are not for guests.
            (
                Action::ReadPage(PageSpace::Company),
                [false, false, true, true, true],
            ),
            (
                Action::ReadPage(PageSpace::Department { member: true }),
                [false, false, true, true, true],
            ),
            (
                Action::ReadPage(page_channel(ChannelKind::Public, true, false)),
                [false, true, true, true, true],
            ),
            (
                Action::ReadPage(page_channel(ChannelKind::Public, false, false)),
                [false, false, true, true, true],
            ),
            // A private channel's pages are as private as its posts, staff included.
            (
                Action::ReadPage(page_channel(ChannelKind::Private, false, false)),
                [false, false, false, false, false],
            ),
            (
                Action::ReadPage(page_channel(ChannelKind::Private, true, false)),
                [false, true, true, true, true],
            ),
            (
                Action::CreatePage(PageSpace::Company),
                [false, false, false, true, true],
            ),
            (
                Action::CreatePage(PageSpace::Department { member: true }),
                [false, false, true, true, true],
            ),
            (
                Action::CreatePage(PageSpace::Department { member: false }),
                [false, false, false, true, true],
            ),
            (
                Action::CreatePage(page_channel(ChannelKind::Public, true, false)),
                [false, false, false, true, true],
            ),
            (
                Action::CreatePage(page_channel(ChannelKind::Public, true, true)),
                [false, true, true, true, true],
            ),
            (
                Action::CreatePage(page_channel(ChannelKind::Private, false, false)),
                [false, false, false, false, false],
            ),
            // Owners keep their pages true wherever they may read them.
            (
                Action::EditPage {
                    space: PageSpace::Company,
                    owner: true,
                },
                [false, false, true, true, true],
            ),
            (
                Action::EditPage {
                    space: PageSpace::Company,
                    owner: false,
                },
                [false, false, false, true, true],
            ),
            (
                Action::EditPage {
                    space: PageSpace::Department { member: false },
                    owner: false,
                },
                [false, false, false, true, true],
            ),
            (
                Action::EditPage {
                    space: PageSpace::Department { member: true },
                    owner: false,
                },
                [false, false, true, true, true],
            ),
            (
                Action::EditPage {
                    space: page_channel(ChannelKind::Public, true, false),
                    owner: true,
                },
                [false, true, true, true, true],
            ),
            (
                Action::EditPage {
                    space: page_channel(ChannelKind::Public, true, false),
                    owner: false,
                },
                [false, false, false, true, true],
            ),
            // An owner removed from a private channel no longer edits its pages.
            (
                Action::EditPage {
                    space: page_channel(ChannelKind::Private, false, false),
                    owner: true,
                },
                [false, false, false, false, false],
            ),
            // A guest owner of a department page (a member turned guest) reads it no more.
            (
                Action::EditPage {
                    space: PageSpace::Department { member: true },
                    owner: true,
                },
                [false, false, true, true, true],
            ),
            // The asker accepts an answer; the channel's admins may too; the company's
            // staff, as such, may not (it is the asker's judgement).
            (
                Action::AcceptAnswer {
                    asker: ME,
                    channel_admin: false,
                    archived: false,
                },
                [false, true, true, true, true],
            ),
            (
                Action::AcceptAnswer {
                    asker: OTHER,
                    channel_admin: false,
                    archived: false,
                },
                [false, false, false, false, false],
            ),
            (
                Action::AcceptAnswer {
                    asker: OTHER,
                    channel_admin: true,
                    archived: false,
                },
                [false, true, true, true, true],
            ),
            (
                Action::AcceptAnswer {
                    asker: ME,
                    channel_admin: true,
                    archived: true,
                },
                [false, false, false, false, false],
            ),
        ];
        for (action, answers) in cases {
            for (role, allowed) in roles.into_iter().zip(answers) {
                let v = role.map(viewer);
                assert_eq!(allows(v.as_ref(), action), allowed, "{role:?} {action:?}");
            }
        }
    }

    /// The leader permission opens the dashboard and announcements' reach, and nothing
    /// else that members may not do.
    #[test]
    fn leaders_read_the_dashboard_and_reach() {
        for role in [Role::Guest, Role::Member] {
            let leader = Viewer {
                leader: true,
                ..viewer(role)
            };
            // Guests are never given it; a flag left over opens nothing.
            let opens = role != Role::Guest;
            assert_eq!(allows(Some(&leader), Action::ReadDashboard), opens);
            assert_eq!(
                allows(Some(&leader), Action::SeeReach { author: OTHER }),
                opens
            );
            assert!(!allows(Some(&leader), Action::ManagePeople));
            assert!(!allows(Some(&leader), Action::Announce));
            assert!(!allows(Some(&viewer(role)), Action::ReadDashboard));
        }
    }

    /// Journeys: staff keep them all; a leader keeps their own department's and looks
    /// after its people; a manager looks after their reports; everyone sees their own.
    #[test]
    fn journeys_are_kept_by_staff_and_department_leaders() {
        let leader = Viewer {
            leader: true,
            ..viewer(Role::Member)
        };
        let member = viewer(Role::Member);
        let admin = viewer(Role::Admin);
        let guest_leader = Viewer {
            leader: true,
            ..viewer(Role::Guest)
        };
        let manage = |department| Action::ManageJourney { department };
        for (who, list, company, mine, theirs) in [
            (&member, false, false, false, false),
            (&leader, true, false, true, false),
            (&admin, true, true, true, true),
            (&guest_leader, false, false, false, false),
        ] {
            assert_eq!(allows(Some(who), Action::ListJourneys), list, "{who:?}");
            assert_eq!(allows(Some(who), manage(None)), company, "{who:?}");
            assert_eq!(allows(Some(who), manage(Some(true))), mine, "{who:?}");
            assert_eq!(allows(Some(who), manage(Some(false))), theirs, "{who:?}");
        }
        let follow = |person, manager, same_department| Action::FollowJourney {
            person,
            manager,
            same_department,
        };
        let assign = |manager, same_department| Action::AssignJourney {
            manager,
            same_department,
        };
        // One's own journey, but not to give oneself more.
        assert!(allows(Some(&member), follow(ME, false, false)));
        assert!(!allows(Some(&member), assign(false, false)));
        // A colleague's, only as their manager.
        assert!(!allows(Some(&member), follow(OTHER, false, true)));
        assert!(allows(Some(&member), follow(OTHER, true, false)));
        assert!(allows(Some(&member), assign(true, false)));
        // A leader: their department's people only.
        assert!(allows(Some(&leader), follow(OTHER, false, true)));
        assert!(!allows(Some(&leader), follow(OTHER, false, false)));
        assert!(allows(Some(&leader), assign(false, true)));
        assert!(!allows(Some(&guest_leader), assign(false, true)));
        // Staff (HR): everyone.
        assert!(allows(Some(&admin), follow(OTHER, false, false)));
        assert!(allows(Some(&admin), assign(false, false)));
        assert!(!allows(None, follow(ME, false, false)));
    }
}
