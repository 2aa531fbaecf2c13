//! Ids of stored things, one type per table, so a post's id cannot be passed where a
//! person's is expected. Each is the row's `BIGINT`/`INTEGER` key and nothing more:
//! `#[serde(transparent)]` keeps the wire format a bare number (JSON, and the
//! URL-encoded forms server functions receive, `post=12`), and on the server
//! `sqlx(transparent)` binds and reads it as the `i64` it wraps. `Display` and
//! `FromStr` write and read it in URLs (`/posts/12`), and it goes into an HTML attribute
//! (a hidden form field) as its number. The inner number is public for
//! the few edges that need it (cursors, hidden form fields, bulk loads).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// Written as its number in an attribute (`<input type="hidden" value=id/>`).
        impl leptos::prelude::IntoAttributeValue for $name {
            type Output = i64;

            fn into_attribute_value(self) -> i64 {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<$name, Self::Err> {
                text.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A post (`posts.id`).
    PostId
);

id_type!(
    /// A channel (`channels.id`).
    ChannelId
);

id_type!(
    /// A person (`users.id`): everyone who signs in, whatever their role.
    PersonId
);

id_type!(
    /// A comment on a post, or a reply to one (`comments.id`).
    CommentId
);

id_type!(
    /// A department (`departments.id`).
    DepartmentId
);

id_type!(
    /// A knowledge page (`pages.id`).
    PageId
);

id_type!(
    /// An onboarding journey (`journeys.id`).
    JourneyId
);

id_type!(
    /// One step of an onboarding journey (`journey_steps.id`).
    StepId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_numbers_on_the_wire_and_in_urls() {
        assert_eq!(PostId(12).to_string(), "12");
        assert_eq!("12".parse::<PostId>(), Ok(PostId(12)));
        assert!("twelve".parse::<PostId>().is_err());
    }
}
