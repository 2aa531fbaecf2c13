//! Islands: the only parts of Townhall that run in the browser.
//!
//! Every page is rendered on the server and works without JavaScript; what is here makes
//! parts of it act in place once the page's wasm has loaded. Nothing outside this folder
//! is compiled into the browser's code, except what an island itself uses (texts,
//! model types, the server functions it calls).
//!
//! The rule for a new one: make a component an island only if it must react in the
//! browser (typing, a live event, acting without a reload), give it serialisable props
//! that are small (ids and counts, not cards: the HTML already carries those), and let
//! it change server-rendered HTML by fetching fresh HTML from the server ([`dom`]) rather
//! than by rendering views of its own.
//!
//! - [`live::LiveStream`]: the tab's one live stream, which the others subscribe to.
//! - [`badge::UnreadBadge`]: the unread-notifications count.
//! - [`theme::ThemeInPlace`]: the theme toggle switches light and dark in place.
//! - [`posts::PostsInPlace`]: every post card's forms in place, live card updates and
//!   "seen" reports.
//! - [`lists::ListInPlace`]: "N new posts", infinite scroll, a list refreshed in place.
//! - [`forms::FormsInPlace`]: a page's plain forms marked `data-in-place`, sent in place
//!   and the page's parts refreshed (the scheduled posts).
//! - [`composer::ComposerInPlace`]: every composer's `@` suggestions, preview and post
//!   sent in place.
//! - [`search_box::SearchBoxInPlace`]: the search boxes' suggestions while typing.
//! - [`attach::AttachInPlace`]: files uploaded as they are picked, dropped or pasted,
//!   with progress, and taken out again.
//! - [`push::PushInPlace`]: push notifications turned on, off or tested for this device.

pub mod attach;
pub mod badge;
pub mod composer;
#[cfg(feature = "hydrate")]
pub mod dom;
pub mod forms;
pub mod lists;
pub mod live;
#[cfg(feature = "hydrate")]
pub mod outbox;
pub mod posts;
pub mod push;
pub mod search_box;
pub mod theme;
