//! The completion queue shared by every client: finished requests (and pub/sub messages) are
//! appended as records to one byte buffer; JS drains it in batches.
//!
//! JS learns that records are ready by a long poll: while it has requests pending it keeps one
//! `glide_wait_ready` call outstanding (a `nonblocking` FFI call, run on one of Deno's
//! blocking-pool threads). The call spins briefly, then sleeps on a condvar until the queue is
//! non-empty, JS wakes it (`glide_wake`, when nothing is pending any more), or its timeout
//! passes. No core thread ever calls into JS: a process may end (even on an uncaught error)
//! while requests are in flight without a thread running into a torn-down runtime. The I/O
//! thread never waits for JS.

use crate::errors::Failure;
use crate::reply::{encode_completion, Reply};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

struct State {
    /// Records back to back; `start` is where the undrained ones begin.
    buf: Vec<u8>,
    start: usize,
}

static QUEUE: Mutex<State> = Mutex::new(State {
    buf: Vec::new(),
    start: 0,
});

/// Signalled whenever the queue goes from empty to non-empty, and by [`wake`].
static ARRIVED: Condvar = Condvar::new();

/// Set by [`wake`]: the outstanding wait returns at once.
static WOKEN: AtomicBool = AtomicBool::new(false);

/// Whether the queue holds records (read without the lock by spinning waiters).
static READY: AtomicBool = AtomicBool::new(false);

/// Requests of async clients still running in the core.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// How long a waiter spins before it sleeps, at most; it adapts (see [`wait_ready`]).
const MAX_SPIN: Duration = Duration::from_micros(200);

/// The shortest spin, after spins that caught nothing.
const MIN_SPIN: Duration = Duration::from_micros(20);

/// The current spin length, in microseconds.
static SPIN_US: AtomicUsize = AtomicUsize::new(200);

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

fn lock() -> MutexGuard<'static, State> {
    QUEUE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Appends a record with `write`, and wakes a waiter if the queue was empty.
fn append(write: impl FnOnce(&mut Vec<u8>)) {
    let mut s = lock();
    let was_empty = s.start == s.buf.len();
    write(&mut s.buf);
    if was_empty {
        READY.store(true, Ordering::Release);
    }
    drop(s);
    if was_empty {
        ARRIVED.notify_all();
    }
}

/// Queues the outcome of request `id`.
pub fn push(id: u32, outcome: Result<Reply, Failure>) {
    append(|buf| encode_completion(buf, id, &outcome));
}

/// Queues a pub/sub message for client `handle` (a record with request id 0, see ABI.md).
pub fn push_message(handle: u32, push: &redis::PushInfo) {
    append(|buf| crate::reply::encode_push_record(buf, handle, push));
}

/// Waits until records are queued (true), or until [`wake`] or `timeout` (false). Spins first:
/// a spin that catches a record keeps its full length, one that times out halves the next
/// (records that come far apart, as big batches' do, would only take CPU from the I/O thread
/// and the server).
pub fn wait_ready(timeout: Duration) -> bool {
    if WOKEN.swap(false, Ordering::AcqRel) {
        return READY.load(Ordering::Acquire);
    }
    let spin = Duration::from_micros(SPIN_US.load(Ordering::Relaxed) as u64);
    let until = Instant::now() + spin.min(timeout);
    while Instant::now() < until {
        if READY.load(Ordering::Acquire) {
            SPIN_US.store(MAX_SPIN.as_micros() as usize, Ordering::Relaxed);
            return true;
        }
        if WOKEN.swap(false, Ordering::AcqRel) {
            return READY.load(Ordering::Acquire);
        }
        std::hint::spin_loop();
    }
    let halved = (spin / 2).max(MIN_SPIN);
    SPIN_US.store(halved.as_micros() as usize, Ordering::Relaxed);
    wait_locked(timeout.saturating_sub(spin), true)
}

/// Sleeps on the condvar until records are queued, or (if `wakeable`) [`wake`], or `timeout`.
fn wait_locked(timeout: Duration, wakeable: bool) -> bool {
    let deadline = Instant::now() + timeout;
    let mut s = lock();
    while s.start == s.buf.len() {
        if wakeable && WOKEN.swap(false, Ordering::AcqRel) {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        let (g, _) = ARRIVED
            .wait_timeout(s, deadline - now)
            .unwrap_or_else(|p| p.into_inner());
        s = g;
    }
    true
}

/// Makes the outstanding [`wait_ready`] return (JS has nothing pending any more).
pub fn wake() {
    WOKEN.store(true, Ordering::Release);
    let _s = lock();
    ARRIVED.notify_all();
}

/// Blocks until a record is queued or `timeout` passes (the sync client waiting for a pub/sub
/// message); returns whether one is queued.
pub fn wait(timeout: Duration) -> bool {
    wait_locked(timeout, false)
}

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
        READY.store(false, Ordering::Release);
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
