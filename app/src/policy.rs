//! The one answer to "may this person do this?". Every server function asks here before
//! it reads or writes, and the interface asks the same question to decide what to show,
//! so a button never offers what the server would refuse.
//!
//! It is a pure function of who is asking and what they ask, so the whole matrix of
//! roles × actions is tested below without a database.

use crate::model::Role;
use serde::{Deserialize, Serialize};

/// A signed-in, active person. Deactivated people have no sessions, so they are never
/// a `Viewer`; anonymous requests have `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Posts in channels open to the whole company.
    ReadCompanyFeed,
    /// The list of public and announcement channels.
    ListChannels,
    /// Everyone in the company. Guests only ever see the members of their channels.
    ReadDirectory,
    /// Company-wide activity figures.
    ReadDashboard,
    /// Ending one's own sessions.
    ManageOwnSessions,
}

pub fn allows(viewer: Option<&Viewer>, action: Action) -> bool {
    let Some(viewer) = viewer else { return false };
    let staff = matches!(viewer.role, Role::Owner | Role::Admin);
    let member = viewer.role != Role::Guest;
    match action {
        Action::ReadCompanyFeed | Action::ListChannels | Action::ReadDirectory => member,
        Action::ReadDashboard => staff,
        Action::ManageOwnSessions => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 5] = [
        Action::ReadCompanyFeed,
        Action::ListChannels,
        Action::ReadDirectory,
        Action::ReadDashboard,
        Action::ManageOwnSessions,
    ];

    fn viewer(role: Role) -> Viewer {
        Viewer {
            user_id: 1,
            name: "X".into(),
            role,
        }
    }

    /// The full matrix, written out so that a change to the policy must change it too.
    #[test]
    fn every_role_against_every_action() {
        let expected: [(Option<Role>, [bool; 5]); 5] = [
            (None, [false, false, false, false, false]),
            (Some(Role::Guest), [false, false, false, false, true]),
            (Some(Role::Member), [true, true, true, false, true]),
            (Some(Role::Admin), [true, true, true, true, true]),
            (Some(Role::Owner), [true, true, true, true, true]),
        ];
        for (role, answers) in expected {
            let v = role.map(viewer);
            for (action, allowed) in ACTIONS.into_iter().zip(answers) {
                assert_eq!(allows(v.as_ref(), action), allowed, "{role:?} {action:?}");
            }
        }
    }
}
