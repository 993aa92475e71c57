//! A sync client's own runtime, driven by the thread that calls it: the sync round trip runs on
//! the calling thread.
//!
//! The client's connections (its standalone connection, or its connections to the cluster's
//! primaries) are made inside [`CallingThread::block_on`], so their socket tasks live on this
//! runtime, and the only thread that ever polls them is the caller, while it waits for its
//! reply: the command is written and the reply read on the calling thread, with no hand-off to
//! the I/O thread and back. Between calls nothing runs: the runtime has no thread of its own.
//!
//! Everything the async machinery gives the connections is kept: the timeout is a deadline
//! for the whole round trip, replies are matched to requests by the connection's own queue,
//! and a connection that stops answering is replaced (see standalone.rs).

use crate::connections::resolver::{serving, Resolver};
use crate::protocol::errors::{Failure, Status};
use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use tokio::runtime::{Builder, Runtime};

thread_local! {
    /// Whether this thread is inside [`CallingThread::block_on`].
    static DRIVING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is driving a sync client's runtime right now (a connection made
/// now lives on that runtime, and only this thread ever polls it).
pub fn driving() -> bool {
    DRIVING.with(Cell::get)
}

/// A current-thread runtime with no thread: only `block_on` drives it. While it waits, the
/// caller also answers the client's `addressResolver` questions (resolver.rs): JS runs on this
/// thread, and nowhere else may the core call it.
pub struct CallingThread(Option<Runtime>, Option<Arc<Resolver>>);

impl CallingThread {
    pub fn new(resolver: Option<Arc<Resolver>>) -> Result<Self, Failure> {
        Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| CallingThread(Some(rt), resolver))
            .map_err(|e| Failure::new(Status::Request, format!("cannot start a runtime: {e}")))
    }

    /// Runs `work` on the I/O thread's runtime (the cluster link, pub/sub) until it is done,
    /// answering resolver questions meanwhile.
    pub fn block_on_shared<F: Future>(&self, work: F) -> F::Output {
        crate::connections::runtime::get().block_on(serving(self.1.as_deref(), work))
    }

    /// Where to spawn tasks that only the caller drives (while it waits in `block_on`).
    pub fn handle(&self) -> tokio::runtime::Handle {
        self.0
            .as_ref()
            .expect("the runtime lives as long as its client")
            .handle()
            .clone()
    }

    /// Runs `work` to its end on the calling thread. First lets the client's connections read
    /// whatever arrived since the last call (a reply the server sent unasked), so that it
    /// cannot be taken for the reply to this call's command.
    pub fn block_on<F: Future>(&self, work: F) -> F::Output {
        let rt = self
            .0
            .as_ref()
            .expect("the runtime lives as long as its client");
        let outer = DRIVING.with(|d| d.replace(true));
        let outcome = rt.block_on(async {
            settle().await;
            serving(self.1.as_deref(), work).await
        });
        DRIVING.with(|d| d.set(outer));
        outcome
    }
}

impl Drop for CallingThread {
    /// Never blocks, and never panics inside another runtime's context.
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Returns once the connections have read what their sockets hold, so that a reply read while
/// no request awaits one is discarded (see `pipe.rs`). The first yield lets the runtime poll its
/// sockets (without blocking), which wakes the reader tasks of those holding data; the second
/// lets those tasks run: the runtime runs its woken tasks before it polls `block_on`'s future
/// again after a yield.
async fn settle() {
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
}
