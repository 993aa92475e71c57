//! The process-wide tokio runtime of the async clients: one I/O thread, whatever the number
//! of clients or requests in flight.
//!
//! It is a current-thread runtime driven by a thread of its own. Unlike the multi-thread
//! scheduler, it runs woken tasks in the order they were woken (no LIFO slot), so requests that
//! run as tasks (see `async_client.rs`) and wait for their turn start in the order they were
//! made. (Commands handed to a connection are written in hand-over order by construction, see
//! `pipe.rs`.)

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

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static HOT: AtomicBool = AtomicBool::new(false);

/// Until when (nanoseconds after [`epoch`]) the I/O thread keeps polling.
static HOT_UNTIL: AtomicU64 = AtomicU64::new(0);

/// How long the I/O thread keeps polling after a submit instead of sleeping in epoll: a reply
/// that arrives within it is read without a thread wake-up, and so is the next submit of a
/// caller that sends one request at a time (it comes a few microseconds after the reply).
const HOT_WINDOW: Duration = Duration::from_micros(150);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ns() -> u64 {
    epoch().elapsed().as_nanos() as u64
}

/// Whether the I/O thread is polling (see [`keep_hot`]).
pub fn is_hot() -> bool {
    HOT.load(Ordering::Acquire)
}

/// Keeps the I/O thread polling its driver for [`HOT_WINDOW`] from now.
pub fn keep_hot() {
    HOT_UNTIL.store(now_ns() + HOT_WINDOW.as_nanos() as u64, Ordering::Relaxed);
    if HOT.swap(true, Ordering::AcqRel) {
        return;
    }
    // Only worth it with few requests in flight: under load the thread is busy anyway, and
    // spinning would take CPU from the server and from JS.
    let hot = || now_ns() < HOT_UNTIL.load(Ordering::Relaxed) && in_flight() <= 2;
    get().spawn(async move {
        loop {
            while hot() {
                tokio::task::yield_now().await;
            }
            HOT.store(false, Ordering::Release);
            // A submit that saw this spin still running, just before it ended, extends it.
            if !hot() || HOT.swap(true, Ordering::AcqRel) {
                break;
            }
        }
    });
}

/// Requests of async clients still running in the core, over every queue.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Requests of async clients still running in the core.
pub fn in_flight() -> usize {
    IN_FLIGHT.load(Ordering::Relaxed)
}

/// Counts a request as in flight until dropped.
pub struct InFlight(());

impl InFlight {
    pub fn start() -> Self {
        IN_FLIGHT.fetch_add(1, Ordering::Relaxed);
        InFlight(())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
    }
}
