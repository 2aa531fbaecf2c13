//! Every request's handler is polled with that request's own reactive arena.
//!
//! Leptos keeps a request's reactive values (signals, resources) in an arena of its own,
//! found through a thread-local that each `Sandboxed` future sets when it is polled.
//! leptos_integration_utils 0.8.9 renders a page's first chunk (for async routes: the
//! whole page) in the handler's own future, outside any such wrapper. After an `.await`
//! that render may go on in a thread whose thread-local still names the arena of another
//! request, finished or not; a value of this request is then "already disposed" and the
//! page panics into a 500. Measured before this layer: one request in ~20,000 in the
//! benchmark's mixed load, and the authorisation test's owner once in about a hundred
//! runs (`GET /channels/vault`, "you tried to access a reactive value which was defined
//! at app/src/lib.rs… but it has already been disposed").
//!
//! The layer remembers which arena the handler was using when it last yielded and puts
//! it back before polling it again. Requests with no arena (static files) pass through.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::reactive::owner::Sandboxed;
use std::future::{pending, Future, Pending};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Middleware: runs the rest of the stack with the request's arena restored at each poll.
pub async fn keep_request_arena(request: Request, next: Next) -> Response {
    KeepArena {
        inner: Box::pin(next.run(request)),
        arena: None,
    }
    .await
}

struct KeepArena<F> {
    inner: Pin<Box<F>>,
    /// A future that never ends, holding the arena that was current when `inner` last
    /// returned `Pending`: polling it sets that arena as the thread's (`Sandboxed` does so
    /// on every poll, and captures the current one when made).
    arena: Option<Pin<Box<Sandboxed<Pending<()>>>>>,
}

impl<F: Future> Future for KeepArena<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        if let Some(arena) = this.arena.as_mut() {
            // `pending()` registers nothing; only the arena is set.
            let _ = arena.as_mut().poll(cx);
        }
        let answer = this.inner.as_mut().poll(cx);
        if answer.is_pending() {
            this.arena = Some(Box::pin(Sandboxed::new(pending())));
        }
        answer
    }
}
