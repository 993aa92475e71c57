//! Isolates: each one (the main thread, a Worker, one of `deno serve --parallel`'s) opens a
//! completion queue of its own, and the clients it creates complete into that queue only.
//!
//! An isolate runs on one OS thread, and the synchronous FFI calls it makes run on that thread.
//! A queue belongs to the thread that opened it; every client belongs to the queue it was made
//! on. A call naming a queue or a client of another thread is refused, so a client can only be
//! used by the isolate that made it. When the thread ends (a Worker terminated or finished), a
//! thread-local guard closes the thread's queues and every client made on them: their sockets,
//! tasks and subscriptions are released, and their in-flight requests are dropped. The guard
//! runs after the isolate is gone (Deno ends the isolate, then the thread), so nothing is ever
//! written into a dead isolate's memory: the core writes into JS buffers only inside the
//! synchronous calls JS makes.

use crate::boundary::completions::Queue;
use crate::boundary::handles::Table;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

static QUEUES: LazyLock<Table<Queue>> = LazyLock::new(Table::default);

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// The queues a thread opened; closed (with their clients) when the thread ends.
struct Owned(RefCell<Vec<u32>>);

impl Drop for Owned {
    fn drop(&mut self) {
        for id in self.0.take() {
            // A panic here would abort the thread's exit; nothing in it should, but a thread
            // that ends must end.
            let _ = std::panic::catch_unwind(|| close_queue_unchecked(id));
        }
    }
}

thread_local! {
    static TOKEN: u64 = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    static OWNED: Owned = const { Owned(RefCell::new(Vec::new())) };
}

/// A number that names the calling thread for the life of the process (never 0).
pub fn thread_token() -> u64 {
    TOKEN.try_with(|t| *t).unwrap_or(0)
}

/// Opens a completion queue owned by the calling thread; returns its id.
pub fn open_queue() -> u32 {
    let id = QUEUES.insert(Queue::new(thread_token()));
    if OWNED.try_with(|o| o.0.borrow_mut().push(id)).is_err() {
        // The thread is ending: nobody could drain the queue.
        close_queue_unchecked(id);
        return 0;
    }
    id
}

/// Queue `id`, if it is open and the calling thread owns it.
pub fn queue(id: u32) -> Option<Arc<Queue>> {
    QUEUES.get(id).filter(|q| q.owner() == thread_token())
}

/// Queue `id`, if it is open, whatever thread asks: for the long poll, which Deno runs on a
/// thread of its blocking pool. Waiting on a queue reads none of its records.
pub fn queue_from_any_thread(id: u32) -> Option<Arc<Queue>> {
    QUEUES.get(id)
}

/// Closes queue `id` and every client made on it, if the calling thread owns it.
pub fn close_queue(id: u32) {
    if queue(id).is_some() {
        let _ = OWNED.try_with(|o| o.0.borrow_mut().retain(|q| *q != id));
        close_queue_unchecked(id);
    }
}

/// What else closes with a queue: the clients made on it. Set by the layer that keeps the client
/// table (the FFI boundary), which depends on this module, not this module on it.
static ON_CLOSE: std::sync::OnceLock<fn(u32)> = std::sync::OnceLock::new();

/// Has `f` called with the id of every queue that closes, after the queue itself (set once).
pub fn on_close(f: fn(u32)) {
    let _ = ON_CLOSE.set(f);
}

fn close_queue_unchecked(id: u32) {
    if let Some(q) = QUEUES.remove(id) {
        q.close();
        if let Some(f) = ON_CLOSE.get() {
            f(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_is_only_its_threads() {
        let id = open_queue();
        assert!(queue(id).is_some());
        let elsewhere = std::thread::spawn(move || queue(id).is_none())
            .join()
            .unwrap();
        assert!(elsewhere);
        close_queue(id);
        assert!(queue(id).is_none());
    }

    #[test]
    fn a_threads_queues_close_when_it_ends() {
        let (id, q) = std::thread::spawn(|| {
            let id = open_queue();
            (id, queue(id).unwrap())
        })
        .join()
        .unwrap();
        assert!(q.is_closed());
        assert!(QUEUES.get(id).is_none());
    }
}
