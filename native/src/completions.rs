//! The completion queue shared by every async client: finished requests are appended as records
//! to one byte buffer; JS drains it in batches. When the queue goes from empty to non-empty, the
//! notifier thread calls JS's registered notifier: a `Deno.UnsafeCallback.threadSafe` that wakes
//! the event loop and returns once JS has run it (and drained). The I/O thread never waits for
//! JS; the notifier thread spins briefly before it sleeps, so a reply that follows soon after the
//! last one reaches JS without a wake-up of its own.

use crate::errors::Failure;
use crate::reply::{encode_completion, Reply};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

struct State {
    /// Records back to back; `start` is where the undrained ones begin.
    buf: Vec<u8>,
    start: usize,
    /// Set when the notifier thread should call JS.
    notify_requested: bool,
}

struct Queue {
    state: Mutex<State>,
}

static QUEUE: Queue = Queue {
    state: Mutex::new(State {
        buf: Vec::new(),
        start: 0,
        notify_requested: false,
    }),
};

/// JS's notifier: an `extern "C" fn()` from `Deno.UnsafeCallback.threadSafe`, or 0.
static NOTIFIER: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the JS thread: pushes made there need no notification (JS drains after its call).
    static ON_JS_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Registers JS's notifier (0 to remove it). Called on the JS thread.
pub fn set_notifier(f: usize) {
    ON_JS_THREAD.with(|c| c.set(true));
    NOTIFIER.store(f, Ordering::Release);
}

/// Requests of async clients still running in the core.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// How long the notifier thread spins for the next request before it sleeps on its condvar.
const NOTIFIER_SPIN: Duration = Duration::from_micros(200);

/// The shortest the notifier's spin gets after spins that caught nothing.
const MIN_SPIN: Duration = Duration::from_micros(20);

/// Requests of async clients still running in the core.
pub fn in_flight() -> usize {
    IN_FLIGHT.load(Ordering::Relaxed)
}

/// Counts a request from its start until it is dropped (after its completion is pushed).
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

fn call_notifier(f: usize) {
    // SAFETY: JS registered a live `extern "C" fn()` and never closes it.
    let f: extern "C" fn() = unsafe { std::mem::transmute(f) };
    f();
}

fn notify() {
    let f = NOTIFIER.load(Ordering::Acquire);
    if f == 0 {
        // No JS side registered yet: it drains when it registers.
    } else if ON_JS_THREAD.with(|c| c.get()) {
        // JS drains right after the call that pushed this.
    } else {
        notifier_thread().notify_one();
    }
}

/// The notifier thread: spins, then sleeps, until signalled; then calls JS (blocking until JS
/// has drained).
fn notifier_thread() -> &'static Condvar {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::Builder::new()
            .name("glide-deno-notify".into())
            .spawn(|| {
                // The spin adapts: a spin that catches the next completion keeps its full
                // length; one that times out halves the next (replies that come far apart, as
                // big batches do, would only take CPU from the server and the I/O thread).
                let mut spin = NOTIFIER_SPIN;
                loop {
                    let until = Instant::now() + spin;
                    while !REQUESTED.load(Ordering::Acquire) && Instant::now() < until {
                        std::hint::spin_loop();
                    }
                    spin = if REQUESTED.load(Ordering::Acquire) {
                        NOTIFIER_SPIN
                    } else {
                        (spin / 2).max(MIN_SPIN)
                    };
                    let mut s = lock();
                    while !s.notify_requested {
                        s = NOTIFY.wait(s).unwrap_or_else(|p| p.into_inner());
                    }
                    s.notify_requested = false;
                    REQUESTED.store(false, Ordering::Release);
                    let pending = s.start < s.buf.len();
                    drop(s);
                    let f = NOTIFIER.load(Ordering::Acquire);
                    if pending && f != 0 {
                        call_notifier(f);
                    }
                }
            })
            .expect("cannot start the notifier thread");
    });
    lock().notify_requested = true;
    REQUESTED.store(true, Ordering::Release);
    &NOTIFY
}

/// Mirrors `State::notify_requested`, for spinning without the lock.
static REQUESTED: AtomicBool = AtomicBool::new(false);

static NOTIFY: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, State> {
    QUEUE.state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Appends a completion; wakes the waiter if the queue was empty.
pub fn push(id: u32, outcome: Result<Reply, Failure>) {
    let mut s = lock();
    let was_empty = s.start == s.buf.len();
    encode_completion(&mut s.buf, id, &outcome);
    drop(s);
    if was_empty {
        notify();
    }
}

/// Moves whole records into `out`. Returns the bytes written, 0 when empty, or
/// `0x8000_0000 | needed` when the first record does not fit.
pub fn drain(out: &mut [u8]) -> u32 {
    let mut s = lock();
    let State { buf, start, .. } = &mut *s;
    let mut pos = *start;
    let mut written = 0usize;
    while pos + 4 <= buf.len() {
        let body =
            u32::from_le_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
        let len = 4 + body;
        if written + len > out.len() {
            if written == 0 {
                return 0x8000_0000 | len as u32;
            }
            break;
        }
        out[written..written + len].copy_from_slice(&buf[pos..pos + len]);
        written += len;
        pos += len;
    }
    *start = pos;
    if *start == buf.len() {
        buf.clear();
        *start = 0;
        if buf.capacity() > 8 << 20 {
            buf.shrink_to(64 << 10);
        }
    }
    written as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis::Value;

    #[test]
    fn push_drain_and_oversized_records() {
        push(1, Ok(Reply::Value(Value::Okay)));
        push(2, Ok(Reply::Value(Value::BulkString(vec![7; 100]))));
        let mut small = [0u8; 16];
        let n = drain(&mut small);
        assert_eq!(n, 10); // only the first record fits
        let n = drain(&mut small);
        assert!(n & 0x8000_0000 != 0);
        let mut big = vec![0u8; (n & 0x7fff_ffff) as usize];
        assert_eq!(drain(&mut big) as usize, big.len());
        assert_eq!(drain(&mut big), 0);
    }
}
