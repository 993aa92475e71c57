//! Completion queues: one per isolate. Finished requests (and pub/sub messages) of the clients an
//! isolate created are appended as records to its queue's byte buffer; that isolate drains them
//! in batches. Nothing one isolate's clients complete can reach another isolate.
//!
//! JS learns that records are ready by a long poll: while it has requests pending it keeps one
//! `glide_wait_ready(queue)` call outstanding (a `nonblocking` FFI call, run on one of Deno's
//! blocking-pool threads). The call spins briefly, then sleeps on the queue's condvar until the
//! queue is non-empty, JS wakes it (`glide_wake`, when nothing is pending any more), the queue is
//! closed, or its timeout passes. No core thread ever calls into JS, and no core thread ever
//! writes into memory JS owns except inside a synchronous call that JS made: an isolate may end
//! (a terminated Worker, an uncaught error) while requests are in flight.
//!
//! A queue belongs to the OS thread that opened it (an isolate runs on one thread: the main
//! thread, a Worker's, or one of `deno serve --parallel`'s). When that thread ends, its queues
//! close (see [`crate::boundary::isolates`]), and with them every client made on them.

use crate::protocol::errors::Failure;
use crate::protocol::reply::{
    encode_bulk_completion_head, encode_completion, take_big_bulk, Reply,
};
use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// From this size on, a reply's bulk string is not copied into the queue's buffer: its bytes
/// wait as they are, and the drain copies them straight into JS's buffer (measured on a GET of
/// 100 KiB: each copy of it cost the I/O thread about 45 us here).
const BIG_BULK: usize = 16 * 1024;

struct State {
    /// Records back to back; `start` is where the undrained ones begin.
    buf: Vec<u8>,
    start: usize,
    /// The bytes of big bulk replies, kept out of `buf` (see [`BIG_BULK`]), each with where its
    /// record's head is in `buf`: the record is that head, then these bytes.
    big: VecDeque<(usize, Vec<u8>)>,
    /// The isolate's wake-up socket, once it connected one (see [`crate::boundary::wakeup`]).
    wakeup: Option<Arc<TcpStream>>,
    /// Set when JS found the queue drained: the next record rings the wake-up socket.
    armed: bool,
}

/// One isolate's completion queue.
pub struct Queue {
    state: Mutex<State>,
    /// Signalled whenever the queue goes from empty to non-empty, by [`Queue::wake`] and by
    /// [`Queue::close`].
    arrived: Condvar,
    /// Set by [`Queue::wake`]: the outstanding wait returns at once.
    woken: AtomicBool,
    /// Whether the queue holds records (read without the lock by spinning waiters).
    ready: AtomicBool,
    /// Set once the queue's isolate is gone: records are dropped, waits return at once.
    closed: AtomicBool,
    /// The current spin length of [`Queue::wait_ready`], in microseconds.
    spin_us: AtomicUsize,
    /// The thread that opened the queue (see [`crate::boundary::isolates::thread_token`]).
    owner: u64,
    /// What proves a wake-up socket is this queue's isolate's (see [`crate::boundary::wakeup`]).
    secret: [u8; 16],
    /// Whether the isolate's event loop owns its clients' sockets (connections/js_io.rs).
    js_io: AtomicBool,
    /// Long polls asleep on `arrived` (counted under the lock): a record wakes them only if
    /// there are any (no syscall per record otherwise).
    sleepers: AtomicUsize,
    /// The isolate-owned connections with bytes for JS to write, by id.
    js_io_dirty: Mutex<Vec<u32>>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

/// How long a waiter spins before it sleeps, at most; it adapts (see [`Queue::wait_ready`]).
const MAX_SPIN: Duration = Duration::from_micros(200);

/// The shortest spin, after spins that caught nothing.
const MIN_SPIN: Duration = Duration::from_micros(20);

impl Queue {
    /// A new, empty queue owned by the thread `owner`.
    pub fn new(owner: u64) -> Self {
        Queue {
            state: Mutex::new(State {
                buf: Vec::new(),
                big: VecDeque::new(),
                start: 0,
                wakeup: None,
                armed: false,
            }),
            arrived: Condvar::new(),
            woken: AtomicBool::new(false),
            ready: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            spin_us: AtomicUsize::new(MAX_SPIN.as_micros() as usize),
            owner,
            secret: crate::boundary::wakeup::new_secret(),
            js_io: AtomicBool::new(false),
            sleepers: AtomicUsize::new(0),
            js_io_dirty: Mutex::default(),
        }
    }

    /// The secret a wake-up socket's hello must carry.
    pub fn secret(&self) -> [u8; 16] {
        self.secret
    }

    /// Whether `s` is this queue's secret (compared in constant time).
    pub fn secret_matches(&self, s: &[u8]) -> bool {
        s.len() == 16 && s.iter().zip(self.secret).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
    }

    /// Makes `stream` the queue's wake-up socket (replacing an earlier one). Its first byte
    /// tells JS so; a record already queued rings it at once, so none waits unnoticed.
    pub fn set_wakeup(&self, stream: TcpStream) {
        let mut s = self.lock();
        if self.is_closed() || !crate::boundary::wakeup::accept_socket(&stream) {
            return;
        }
        let stream = Arc::new(stream);
        s.wakeup = Some(stream.clone());
        let queued = s.start < s.buf.len();
        s.armed = !queued;
        drop(s);
        if queued {
            self.ring(&stream);
        }
    }

    /// Writes a wake-up byte; forgets a socket JS has closed.
    fn ring(&self, stream: &TcpStream) {
        if !crate::boundary::wakeup::ring(stream) {
            let mut s = self.lock();
            if s.wakeup.as_deref().is_some_and(|w| std::ptr::eq(w, stream)) {
                s.wakeup = None;
            }
        }
    }

    /// Lets the isolate's event loop own its async clients' sockets from now on (js_io.rs).
    pub fn enable_js_io(&self) {
        self.js_io.store(true, Ordering::Release);
    }

    /// Whether the isolate's event loop owns its async clients' sockets.
    pub fn js_io(&self) -> bool {
        self.js_io.load(Ordering::Acquire)
    }

    /// Notes that connection `id` has bytes for JS to write; true when it is the first since
    /// JS last took them.
    pub fn js_io_mark(&self, id: u32) -> bool {
        let mut d = self.js_io_dirty.lock().unwrap_or_else(|p| p.into_inner());
        let first = d.is_empty();
        if !d.contains(&id) {
            d.push(id);
        }
        first
    }

    /// The connections with bytes for JS to write (see [`Queue::js_io_mark`]).
    pub fn js_io_take(&self) -> Vec<u32> {
        std::mem::take(&mut *self.js_io_dirty.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The thread that opened the queue.
    pub fn owner(&self) -> u64 {
        self.owner
    }

    /// Whether the queue holds records (without taking its lock).
    pub fn has_records(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Whether the queue's isolate is gone.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends a record with `write`, and wakes a waiter if the queue was empty: whether it
    /// woke one (rang the wake-up socket, or ended a long poll). A closed queue takes nothing:
    /// nobody will drain it.
    fn append(&self, write: impl FnOnce(&mut State)) -> bool {
        if self.is_closed() {
            return false;
        }
        let mut s = self.lock();
        let was_empty = s.start == s.buf.len();
        write(&mut s);
        let mut ring = None;
        if was_empty {
            self.ready.store(true, Ordering::Release);
            // JS drains right after the call it is in (js_io.rs): no wake-up needed.
            if s.armed && !crate::boundary::on_js::on_js() {
                s.armed = false;
                ring = s.wakeup.clone();
            }
        }
        drop(s);
        let mut woke = false;
        if was_empty && self.sleepers.load(Ordering::SeqCst) > 0 {
            self.arrived.notify_all();
            woke = true;
        }
        if let Some(w) = ring {
            self.ring(&w);
            woke = true;
        }
        woke
    }

    /// Queues the outcome of request `id`. When that wakes the isolate and no other request is
    /// in flight, the I/O thread keeps polling a while: a caller that sends one request at a
    /// time sends its next one as soon as it has woken, and a parked I/O thread would have to
    /// be woken for it in turn.
    pub fn push(&self, id: u32, mut outcome: Result<Reply, Failure>) {
        crate::boundary::telemetry::outcome(&outcome);
        let woke = match take_big_bulk(&mut outcome, BIG_BULK) {
            Some(bytes) => self.append(|s| {
                let at = s.buf.len();
                encode_bulk_completion_head(&mut s.buf, id, bytes.len());
                s.big.push_back((at, bytes));
            }),
            None => self.append(|s| encode_completion(&mut s.buf, id, &outcome)),
        };
        if woke && crate::connections::runtime::in_flight() == 0 {
            crate::connections::runtime::keep_hot();
        }
    }

    /// Queues a pub/sub message for client `handle` (a record with request id 0, see ABI.md).
    pub fn push_message(&self, handle: u32, push: &redis::PushInfo) {
        self.append(|s| crate::protocol::reply::encode_push_record(&mut s.buf, handle, push));
    }

    /// Waits until records are queued (true), or until [`Queue::wake`], [`Queue::close`] or
    /// `timeout` (false). Spins first: a spin that catches a record keeps its full length, one
    /// that times out halves the next (records that come far apart, as big batches' do, would
    /// only take CPU from the I/O thread and the server).
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        if self.woken.swap(false, Ordering::AcqRel) || self.is_closed() {
            return self.ready.load(Ordering::Acquire);
        }
        // While the I/O thread polls (runtime::keep_hot), a second spinning thread would only
        // take the CPU the server and the I/O thread need.
        let spin = if crate::connections::runtime::is_hot() {
            Duration::ZERO
        } else {
            Duration::from_micros(self.spin_us.load(Ordering::Relaxed) as u64)
        };
        let until = Instant::now() + spin.min(timeout);
        while Instant::now() < until {
            if self.ready.load(Ordering::Acquire) {
                self.spin_us
                    .store(MAX_SPIN.as_micros() as usize, Ordering::Relaxed);
                return true;
            }
            if self.woken.swap(false, Ordering::AcqRel) {
                return self.ready.load(Ordering::Acquire);
            }
            std::hint::spin_loop();
        }
        let halved = (spin / 2).max(MIN_SPIN);
        self.spin_us
            .store(halved.as_micros() as usize, Ordering::Relaxed);
        self.wait_locked(timeout.saturating_sub(spin), true)
    }

    /// Sleeps on the condvar until records are queued, or (if `wakeable`) [`Queue::wake`], or
    /// the queue closes, or `timeout`.
    fn wait_locked(&self, timeout: Duration, wakeable: bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut s = self.lock();
        while s.start == s.buf.len() {
            if self.is_closed() || (wakeable && self.woken.swap(false, Ordering::AcqRel)) {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            let (g, _) = self
                .arrived
                .wait_timeout(s, deadline - now)
                .unwrap_or_else(|p| p.into_inner());
            s = g;
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
        true
    }

    /// Makes the outstanding [`Queue::wait_ready`] return (JS has nothing pending any more).
    pub fn wake(&self) {
        self.woken.store(true, Ordering::Release);
        let s = self.lock();
        let ring = s.wakeup.clone();
        self.arrived.notify_all();
        drop(s);
        if let Some(w) = ring {
            self.ring(&w);
        }
    }

    /// Blocks until a record is queued or `timeout` passes (the sync client waiting for a
    /// pub/sub message); returns whether one is queued.
    pub fn wait(&self, timeout: Duration) -> bool {
        self.wait_locked(timeout, false)
    }

    /// Moves as many whole records as fit into `out`; see ABI.md.
    pub fn drain(&self, out: &mut [u8]) -> u32 {
        let mut s = self.lock();
        let State {
            buf,
            start,
            armed,
            big,
            ..
        } = &mut *s;
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
            let to = &mut out[written..written + len];
            match big.front() {
                Some((at, bytes)) if *at == pos => {
                    let head = len - bytes.len();
                    to[..head].copy_from_slice(&buf[pos..pos + head]);
                    to[head..].copy_from_slice(bytes);
                    big.pop_front();
                    pos += head;
                }
                _ => {
                    to.copy_from_slice(&buf[pos..pos + len]);
                    pos += len;
                }
            }
            written += len;
        }
        *start = pos;
        if *start == buf.len() {
            *armed = true;
            buf.clear();
            big.clear();
            *start = 0;
            self.ready.store(false, Ordering::Release);
            if buf.capacity() > 8 << 20 {
                buf.shrink_to(64 << 10);
            }
        }
        written as u32
    }

    /// Marks the queue closed (its isolate is gone): frees its records, ends every wait on it.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let mut s = self.lock();
        s.buf = Vec::new();
        s.big = VecDeque::new();
        s.start = 0;
        s.wakeup = None; // JS's read ends with EOF
        self.ready.store(false, Ordering::Release);
        drop(s);
        self.arrived.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis::Value;

    #[test]
    fn push_drain_and_oversized_records() {
        let q = Queue::new(0);
        q.push(1, Ok(Reply::Value(Value::Okay)));
        q.push(2, Ok(Reply::Value(Value::BulkString(vec![7; 100]))));
        let mut small = [0u8; 16];
        let n = q.drain(&mut small);
        assert_eq!(n, 10); // only the first record fits
        let n = q.drain(&mut small);
        assert!(n & 0x8000_0000 != 0);
        let mut big = vec![0u8; (n & 0x7fff_ffff) as usize];
        assert_eq!(q.drain(&mut big) as usize, big.len());
        assert_eq!(q.drain(&mut big), 0);
    }

    #[test]
    fn big_bulk_replies_drain_as_the_records_they_stand_for() {
        let outcomes = |i: u8| -> Result<Reply, Failure> {
            match i % 3 {
                0 => Ok(Reply::Value(Value::BulkString(vec![
                    i;
                    40_000 + i as usize
                ]))),
                1 => Ok(Reply::Value(Value::Okay)),
                _ => Ok(Reply::Value(Value::BulkString(vec![i; 10]))),
            }
        };
        let mut want = Vec::new();
        let q = Queue::new(0);
        for i in 0..12u8 {
            encode_completion(&mut want, i.into(), &outcomes(i));
            q.push(i.into(), outcomes(i));
        }
        q.push_message(
            3,
            &redis::PushInfo {
                kind: redis::PushKind::Message,
                data: vec![Value::BulkString(vec![1; 20_000])],
            },
        );
        let mut tail = Vec::new();
        crate::protocol::reply::encode_push_record(
            &mut tail,
            3,
            &redis::PushInfo {
                kind: redis::PushKind::Message,
                data: vec![Value::BulkString(vec![1; 20_000])],
            },
        );
        want.extend_from_slice(&tail);
        // Drained through a buffer that takes one big record at a time, or asks for more.
        let mut got = Vec::new();
        let mut out = vec![0u8; 1_000];
        loop {
            let n = q.drain(&mut out);
            if n == 0 {
                break;
            }
            if n & 0x8000_0000 != 0 {
                out = vec![0u8; (n & 0x7fff_ffff) as usize];
                continue;
            }
            got.extend_from_slice(&out[..n as usize]);
        }
        assert_eq!(got.len(), want.len());
        assert!(got == want, "the same bytes, in the same order");
        // Drained, the queue holds nothing, big or not.
        q.push(99, outcomes(0));
        let mut all = vec![0u8; 1 << 20];
        let n = q.drain(&mut all) as usize;
        let mut one = Vec::new();
        encode_completion(&mut one, 99, &outcomes(0));
        assert_eq!(&all[..n], &one[..]);
    }

    #[test]
    fn a_closed_queue_takes_nothing_and_ends_waits() {
        let q = std::sync::Arc::new(Queue::new(0));
        let waiter = {
            let q = q.clone();
            std::thread::spawn(move || q.wait(Duration::from_secs(30)))
        };
        std::thread::sleep(Duration::from_millis(20));
        q.close();
        assert!(!waiter.join().unwrap());
        q.push(1, Ok(Reply::Value(Value::Okay)));
        assert_eq!(q.drain(&mut [0u8; 64]), 0);
        assert!(!q.wait_ready(Duration::from_secs(30)));
    }

    #[test]
    fn queues_are_separate() {
        let (a, b) = (Queue::new(1), Queue::new(2));
        a.push(7, Ok(Reply::Value(Value::Okay)));
        assert_eq!(b.drain(&mut [0u8; 64]), 0);
        assert_eq!(a.drain(&mut [0u8; 64]), 10);
    }
}
