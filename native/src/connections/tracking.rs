//! Server-assisted client-side caching (`clientSideCache` with `serverAssisted`): every
//! connection of the client's own sends `CLIENT TRACKING ON BCAST` in its handshake (dial.rs),
//! and its reader hands each invalidation the server pushes to the client's isolate, in order
//! with the replies read before and after it on that connection. A connection that ends
//! flushes the cache, after its last reply: invalidations may be missed until another
//! connection tracks keys (its handshake turns tracking on before it carries any command, and
//! replies read over connections without tracking are marked so, see `reply::tag::UNTRACKED`).
//!
//! The records are pub/sub message records of kind `invalidate` for the client's handle: data
//! `[keys]`, or `[nil]` to drop every entry (what the server sends on a flush too).

use crate::boundary::completions::Queue;
use redis::{PushInfo, PushKind, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

/// Where a client's invalidations go.
#[derive(Default)]
pub struct Tracking {
    queue: OnceLock<Arc<Queue>>,
    handle: AtomicU32,
}

impl std::fmt::Debug for Tracking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tracking")
    }
}

impl Tracking {
    /// The client's isolate queue (known once the client is made).
    pub fn attach(&self, queue: Arc<Queue>) {
        let _ = self.queue.set(queue);
    }

    /// The client's handle (known once the client is registered).
    pub fn set_handle(&self, handle: u32) {
        self.handle.store(handle, Ordering::Release);
    }

    /// An invalidation push as the server sent it (`data`: the keys, or nil).
    pub fn invalidated(&self, data: Vec<Value>) {
        self.send(PushInfo {
            kind: PushKind::Invalidate,
            data,
        });
    }

    /// Drops every entry of the client's cache.
    pub fn flush(&self) {
        self.invalidated(vec![Value::Nil]);
    }

    fn send(&self, push: PushInfo) {
        let handle = self.handle.load(Ordering::Acquire);
        if let (Some(queue), true) = (self.queue.get(), handle != 0) {
            queue.push_message(handle, &push);
        }
    }
}

/// Flushes the client's cache when dropped: a connection's reader holds one, so that the end
/// of the connection, however it ends, is a flush queued after its last reply.
pub struct FlushOnEnd(pub Option<Arc<Tracking>>);

impl Drop for FlushOnEnd {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            t.flush();
        }
    }
}
