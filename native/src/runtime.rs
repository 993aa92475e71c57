//! The process-wide tokio runtime of the async clients: one I/O thread, whatever the number
//! of clients or requests in flight.
//!
//! It is a current-thread runtime driven by a thread of its own. Unlike the multi-thread
//! scheduler, it runs woken tasks in the order they were woken (no LIFO slot): requests that
//! wait for room in a connection's queue are sent in the order they were made, so commands
//! submitted together reach the server in the caller's order.

use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The runtime, started on first use.
pub fn get() -> &'static Runtime {
    let mut started = false;
    let rt = RUNTIME.get_or_init(|| {
        started = true;
        Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("cannot start the tokio runtime")
    });
    if started {
        std::thread::Builder::new()
            .name("glide-deno-io".into())
            .spawn(move || rt.block_on(std::future::pending::<()>()))
            .expect("cannot start the I/O thread");
    }
    rt
}

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static HOT: AtomicBool = AtomicBool::new(false);

/// How long the I/O thread keeps polling after a submit instead of sleeping in epoll: a reply
/// that arrives within it is read without a thread wake-up.
const HOT_WINDOW: Duration = Duration::from_micros(150);

/// Keeps the worker polling its I/O driver for a short window (see [`HOT_WINDOW`]).
pub fn keep_hot() {
    if HOT.swap(true, Ordering::AcqRel) {
        return;
    }
    get().spawn(async {
        let until = Instant::now() + HOT_WINDOW;
        // Only worth it with few requests in flight: under load the worker is busy anyway, and
        // spinning would take CPU from the server and from JS.
        while Instant::now() < until && (1..=2).contains(&crate::completions::in_flight()) {
            tokio::task::yield_now().await;
        }
        HOT.store(false, Ordering::Release);
    });
}
