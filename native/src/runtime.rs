//! The process-wide tokio runtime of the async clients: one worker thread, whatever the number
//! of clients or requests in flight.

use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The runtime, started on first use.
pub fn get() -> &'static Runtime {
    RUNTIME.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("glide-deno-io")
            .enable_all()
            .build()
            .expect("cannot start the tokio runtime")
    })
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
