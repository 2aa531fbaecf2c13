//! Onboarding journeys: the list and its editor, a person's journeys, giving one by
//! hand, and ticking steps off. Each action is a plain form post that redirects back
//! without JavaScript.

use crate::error::AppError;
use crate::model::journeys::{JourneyEditor, JourneyId, JourneysHome, PersonJourneys, StepId};
use crate::model::PersonId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod parse {
    use crate::domain::journeys::{JourneyInput, StepInput};
    use crate::error::{AppError, Field, Invalid};
    use crate::model::journeys::{StepKind, MAX_DAY};
    use crate::model::Role;

    /// An id from a select; `""` is none.
    fn optional<T: std::str::FromStr>(value: &str, field: Field) -> Result<Option<T>, AppError> {
        match value.trim() {
            "" => Ok(None),
            id => id
                .parse()
                .map(Some)
                .map_err(|_| Invalid::Unacceptable(field).into()),
        }
    }

    pub fn journey<'a>(
        name: &'a str,
        description: &'a str,
        department: &str,
        assign_on_join: Option<&str>,
        join_role: &str,
    ) -> Result<JourneyInput<'a>, AppError> {
        let join_role = match join_role.trim() {
            "" => None,
            role => Some(Role::parse(role).ok_or(Invalid::Unacceptable(Field::JoinRule))?),
        };
        Ok(JourneyInput {
            name,
            description,
            department: optional(department, Field::Department)?,
            assign_on_join: assign_on_join.is_some(),
            join_role,
        })
    }

    pub fn step<'a>(
        day: &str,
        kind: &str,
        target: &'a str,
        note: &'a str,
    ) -> Result<StepInput<'a>, AppError> {
        let day = day
            .trim()
            .parse()
            .map_err(|_| Invalid::OutOfRange(Field::StepDay, 1, MAX_DAY))?;
        let kind = StepKind::parse(kind).ok_or(Invalid::Unacceptable(Field::StepTarget))?;
        let mut input = StepInput {
            day,
            kind,
            page: None,
            channel: "",
            person: None,
            note,
        };
        match kind {
            StepKind::Page => input.page = optional(target, Field::StepTarget)?,
            StepKind::Channel => input.channel = target.trim(),
            StepKind::Person => input.person = optional(target, Field::StepTarget)?,
            StepKind::Task => {}
        }
        Ok(input)
    }
}

#[server(prefix = "/api", endpoint = "journeys/home")]
pub async fn journeys_overview() -> Result<JourneysHome, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::journeys::home(&store()?, &signed_in()?).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/editor")]
pub async fn load_journey_editor(id: JourneyId) -> Result<JourneyEditor, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            crate::domain::journeys::editor(&store()?, &signed_in()?, id).await
        }
        .await,
    )
}

/// Writes a new journey; without JavaScript the browser goes to it.
#[server(prefix = "/api", endpoint = "journeys/create")]
pub async fn create_journey(
    name: String,
    description: String,
    department: String,
    assign_on_join: Option<String>,
    join_role: String,
) -> Result<JourneyId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let input = parse::journey(
                &name,
                &description,
                &department,
                assign_on_join.as_deref(),
                &join_role,
            )?;
            let now = crate::store::now_ms();
            let id = crate::domain::journeys::create(&store()?, &signed_in()?, &input, now).await?;
            redirect_plain_form(&format!("/journeys/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/save")]
pub async fn save_journey(
    id: JourneyId,
    name: String,
    description: String,
    department: String,
    assign_on_join: Option<String>,
    join_role: String,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let input = parse::journey(
                &name,
                &description,
                &department,
                assign_on_join.as_deref(),
                &join_role,
            )?;
            let now = crate::store::now_ms();
            crate::domain::journeys::save(&store()?, &signed_in()?, id, &input, now).await?;
            redirect_plain_form(&format!("/journeys/{id}"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/delete")]
pub async fn delete_journey(id: JourneyId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::journeys::delete(&store()?, &signed_in()?, id).await?;
            redirect_plain_form("/journeys");
            Ok(())
        }
        .await,
    )
}

/// Adds a step; `target` is the page id, channel address or person id `kind` asks for.
#[server(prefix = "/api", endpoint = "journeys/add-step")]
pub async fn add_journey_step(
    journey: JourneyId,
    day: String,
    kind: String,
    target: Option<String>,
    note: String,
) -> Result<StepId, AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let target = target.unwrap_or_default();
            let input = parse::step(&day, &kind, &target, &note)?;
            let now = crate::store::now_ms();
            let id =
                crate::domain::journeys::add_step(&store()?, &signed_in()?, journey, &input, now)
                    .await?;
            redirect_plain_form(&format!("/journeys/{journey}"));
            Ok(id)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/remove-step")]
pub async fn remove_journey_step(step: StepId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let journey =
                crate::domain::journeys::remove_step(&store()?, &signed_in()?, step).await?;
            redirect_plain_form(&format!("/journeys/{journey}"));
            Ok(())
        }
        .await,
    )
}

/// The signed-in person's journeys.
#[server(prefix = "/api", endpoint = "journeys/mine")]
pub async fn my_journeys() -> Result<PersonJourneys, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::journeys::mine(&store()?, &signed_in()?, now).await
        }
        .await,
    )
}

/// Someone's journeys, for those who look after them.
#[server(prefix = "/api", endpoint = "journeys/person")]
pub async fn load_person_journeys(person: PersonId) -> Result<PersonJourneys, AppError> {
    super::context::respond(
        async move {
            use super::context::{signed_in, store};
            let now = crate::store::now_ms();
            crate::domain::journeys::of_person(&store()?, &signed_in()?, person, now).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/assign")]
pub async fn assign_journey(person: PersonId, journey: String) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            use crate::error::{Field, Invalid};
            let journey: JourneyId = journey
                .trim()
                .parse()
                .map_err(|_| Invalid::Required(Field::Journey))?;
            let now = crate::store::now_ms();
            crate::domain::journeys::assign(&store()?, &signed_in()?, journey, person, now).await?;
            redirect_plain_form(&format!("/people/{person}/journey"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "journeys/unassign")]
pub async fn unassign_journey(person: PersonId, journey: JourneyId) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            crate::domain::journeys::unassign(&store()?, &signed_in()?, journey, person).await?;
            redirect_plain_form(&format!("/people/{person}/journey"));
            Ok(())
        }
        .await,
    )
}

/// Ticks a step off (a channel step by joining the channel) or, with `undo`, takes the
/// tick back; `back` is where a form without JavaScript returns to.
#[server(prefix = "/api", endpoint = "journeys/tick")]
pub async fn tick_step(
    step: StepId,
    undo: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    super::context::respond(
        async move {
            use super::context::{redirect_plain_form, signed_in, store};
            let (store, viewer) = (store()?, signed_in()?);
            if undo.is_some() {
                crate::domain::journeys::untick(&store, &viewer, step).await?;
            } else {
                let now = crate::store::now_ms();
                crate::domain::journeys::tick(&store, &viewer, step, now).await?;
            }
            // Back to the home page or a knowledge page (its "I have read it"), else
            // the journey: never anywhere off the site.
            let page = |b: &str| {
                b.strip_prefix("/pages/")
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
            };
            let back = back
                .filter(|b| b == "/" || page(b))
                .unwrap_or_else(|| "/journey".into());
            redirect_plain_form(&back);
            Ok(())
        }
        .await,
    )
}
