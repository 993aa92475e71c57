//! A connection to one server, ordered by construction: a command is appended to the connection's
//! outgoing bytes and its reply slot to the queue of replies awaited, both under one lock, so
//! commands are written in the order they were handed over and each reply completes the oldest
//! slot. One task writes the outgoing bytes; one task reads, checks ([`crate::protocol::resp_guard`]) and
//! parses replies (the `redis` crate's parser) and completes the slots. Over plain TCP on the
//! sync client's own runtime, the caller writes its command and reads its reply itself
//! (`pipe/caller.rs`).
//!
//! A slot whose caller has given up (timed out) stays in the queue, so its late reply is
//! discarded instead of reaching a later caller.

use crate::connections::shared_tcp::SharedTcp;
use crate::protocol::errors::Failure;
use crate::protocol::request::Batch;
use crate::protocol::resp_guard::LengthCheck;
use bytes::BytesMut;
use redis::{Cmd, RedisError, RedisResult, Value};
use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{oneshot, Notify};
use tokio::time::Instant;
use tokio_util::codec::Decoder;

mod caller;
pub use caller::drive;

/// Who is told a command's outcome.
enum To {
    /// A future's caller ([`Pipe::send`], [`Pipe::send_batch`]).
    Caller(oneshot::Sender<RedisResult<Value>>),
    /// A callback, run on the connection's reader (or timer) task ([`Pipe::submit`]).
    Done(Box<dyn FnOnce(Result<Value, Failure>) + Send>),
    /// A callback given the crate's own result (a transaction's redirect error keeps its kind).
    Raw(Box<dyn FnOnce(RedisResult<Value>) + Send>),
    /// Nobody any more: the caller timed out. The slot stays, to absorb the late reply.
    Gone,
    /// Every reply from now on, for good ([`Pipe::stream`]: MONITOR), then the connection's end.
    Stream(Box<dyn FnMut(Result<Value, Failure>) + Send>),
}

/// Why a slot ends without its reply.
#[derive(Clone)]
enum Why {
    Ended(String),
    TimedOut,
    Closing,
}

impl Why {
    fn redis_error(&self) -> RedisError {
        match self {
            Why::Ended(why) => closed(why),
            Why::TimedOut => RedisError::from(io::Error::new(
                io::ErrorKind::TimedOut,
                "no reply within the request timeout",
            )),
            Why::Closing => closed("the client is closed"),
        }
    }

    fn failure(&self) -> Failure {
        match self {
            Why::Ended(_) => Failure::from(self.redis_error()),
            Why::TimedOut => Failure::timeout(),
            Why::Closing => Failure::closing(),
        }
    }
}

impl To {
    fn reply(self, outcome: RedisResult<Value>) {
        match self {
            To::Caller(tx) => {
                let _ = tx.send(outcome);
            }
            To::Done(f) => f(outcome.map_err(Failure::from)),
            To::Raw(f) => f(outcome),
            To::Stream(mut f) => f(outcome.map_err(Failure::from)),
            To::Gone => {}
        }
    }

    fn fail(self, why: &Why) {
        match self {
            To::Caller(tx) => {
                let _ = tx.send(Err(why.redis_error()));
            }
            To::Done(f) => f(Err(why.failure())),
            To::Raw(f) => f(Err(why.redis_error())),
            To::Stream(mut f) => f(Err(why.failure())),
            To::Gone => {}
        }
    }
}

/// A batch's replies being gathered: `skip` replies are not the caller's (MULTI and QUEUED),
/// then `count` are.
struct Gathering {
    skip: usize,
    count: usize,
    atomic: bool,
    /// The first error reply among the skipped ones of a transaction: the transaction fails.
    aborted: Option<RedisError>,
    values: Vec<Value>,
}

impl Gathering {
    /// Takes one reply: the batch's outcome once it has all of them.
    fn take(&mut self, reply: Value) -> Option<RedisResult<Value>> {
        if self.skip > 0 {
            self.skip -= 1;
            if let (true, None, Value::ServerError(_)) = (self.atomic, &self.aborted, &reply) {
                self.aborted = reply.extract_error().err();
            }
            return None;
        }
        self.values.push(reply);
        if self.values.len() < self.count {
            return None;
        }
        let values = std::mem::take(&mut self.values);
        Some(match (self.atomic, self.aborted.take()) {
            // A command queued on a node that does not serve its slot (MOVED, ASK ...): the
            // transaction must run elsewhere, which EXECABORT would not say.
            (true, Some(first))
                if crate::protocol::errors::redirects(crate::protocol::errors::server_kind(
                    &first,
                )) =>
            {
                Err(first)
            }
            // EXEC's own reply (EXECABORT) says the transaction was discarded.
            (true, Some(first)) => Err(match values.into_iter().last() {
                Some(v @ Value::ServerError(_)) => v.extract_error().err().unwrap_or(first),
                _ => first,
            }),
            // A transaction's result is EXEC's reply (nil when a WATCHed key changed).
            (true, None) => Ok(values.into_iter().last().unwrap_or(Value::Nil)),
            (false, _) => Ok(Value::Array(values)),
        })
    }
}

/// What awaits one reply, or the replies of one batch.
struct Slot {
    to: To,
    /// `None` for one command.
    batch: Option<Box<Gathering>>,
    /// When the caller stops waiting ([`Pipe::submit`] only; futures have their own timeouts).
    deadline: Option<Instant>,
    /// Replies the connection had read when this was handed over.
    replies_before: u64,
    /// Kept until the slot leaves the queue (its reply read, or the connection's end), even
    /// after its caller timed out: what holds the command's place in its client's order.
    keep: Option<Keep>,
}

/// What a command's slot keeps while the command is on the connection (see [`Slot::keep`]).
pub type Keep = Arc<dyn std::any::Any + Send + Sync>;

impl Slot {
    /// Gives the slot one reply: its outcome once it has all it awaits.
    fn take(&mut self, reply: Value) -> Option<RedisResult<Value>> {
        if let To::Stream(f) = &mut self.to {
            f(Ok(reply));
            return None;
        }
        match &mut self.batch {
            None => Some(Ok(reply)),
            Some(g) => g.take(reply),
        }
    }
}

fn closed(why: &str) -> RedisError {
    RedisError::from(io::Error::new(
        io::ErrorKind::ConnectionAborted,
        format!("the connection ended: {why}"),
    ))
}

struct State {
    /// Bytes handed over and not yet taken by the writer.
    out: Vec<u8>,
    /// One slot per command (or batch) written or to be written, oldest first.
    slots: VecDeque<Slot>,
    /// Why the connection ended, once it has: later commands fail at once.
    ended: Option<Why>,
    /// When the timer task wakes next (`None`: when told).
    alarm: Option<Instant>,
    /// The latest deadline handed over: while requests keep coming, the timer sleeps until it
    /// even when nothing awaits a reply, so that a request handed over meanwhile (its deadline
    /// later) need not wake it.
    latest: Option<Instant>,
    /// Slots handed over so far, in all.
    handed: u64,
    /// Slots whose bytes the writer has taken, in all.
    written: u64,
    /// Slots completed by their replies, in all (the front slot is number `done`).
    done: u64,
    /// Replaced by a new connection ([`Pipe::retire`]): it ends once nobody awaits a reply.
    retiring: bool,
    /// Whether the writer task holds bytes it has not finished writing.
    writing: bool,
    /// The socket, for callers to write on and read from themselves (plain TCP on a sync
    /// client's runtime, until the connection ends: see `pipe/caller.rs`).
    direct: Option<SharedTcp>,
    /// Counts the connection as open (`getStatistics`) until it ends.
    open: Option<crate::boundary::telemetry::Counted>,
}

impl State {
    /// Writes the outgoing bytes on the socket now, from the calling thread, if the connection
    /// writes directly ([`State::direct`]); whether all of them were written. What the socket
    /// does not take is left for the writer task.
    fn write_now(&mut self) -> bool {
        let Some(direct) = &self.direct else {
            return false;
        };
        match direct.write_now(&self.out) {
            Ok(n) if n == self.out.len() => {
                self.out.clear();
                self.written = self.handed;
                true
            }
            Ok(n) => {
                self.out.drain(..n);
                false
            }
            Err(_) => false,
        }
    }

    /// Whether the connection is retiring and no caller awaits a reply on it any more.
    fn drained(&self) -> bool {
        self.retiring && self.slots.iter().all(|s| matches!(s.to, To::Gone))
    }
}

struct Shared {
    /// The connection's number (see [`Pipe::id`]).
    id: u64,
    state: Mutex<State>,
    /// Wakes the writer: bytes were handed over.
    write: Notify,
    /// Wakes the timer: a deadline earlier than its alarm was handed over.
    timer: Notify,
    /// Replies read so far (a stalled connection reads none).
    replies: AtomicU64,
    /// Set when a caller timed out while no reply at all arrived since its command was handed
    /// over: the server stopped answering on this connection (half-open).
    stalled: AtomicBool,
    /// Set once the connection has ended.
    ended: AtomicBool,
    /// Set when the isolate's event loop owns the socket (js_io.rs).
    external: Option<External>,
    /// The parser, when more than one reader feeds it: JS (js_io.rs), or a sync client's caller
    /// and its connection's task (`pipe/caller.rs`).
    fed: Option<Fed>,
}

/// What a connection whose socket the isolate's event loop owns keeps (see js_io.rs): JS writes
/// the bytes handed over ([`Pipe::take_out_into`]) and gives back what it reads
/// ([`Pipe::absorb`]).
struct External {
    /// The connection's number for JS.
    io_id: u32,
    queue: Arc<crate::boundary::completions::Queue>,
}

/// The parser of a connection read by whoever holds it (see [`Shared::fed`]).
struct Fed {
    reader: Mutex<Reader>,
    /// Where invalidation pushes go (a tracking client).
    tracking: Option<Arc<crate::connections::tracking::Tracking>>,
    /// Flushes a tracking client's cache once the connection has ended.
    flush: Mutex<Option<crate::connections::tracking::FlushOnEnd>>,
}

impl Fed {
    fn new(mut decoder: Reader) -> Fed {
        let tracking = decoder.tracking.take();
        Fed {
            reader: Mutex::new(decoder),
            flush: Mutex::new(Some(crate::connections::tracking::FlushOnEnd(
                tracking.clone(),
            ))),
            tracking,
        }
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ends the connection: every awaited reply fails with `why`, and so does every later
    /// command.
    fn end(&self, why: Why) {
        let (slots, first) = {
            let mut s = self.lock();
            let first = s.ended.is_none();
            if first {
                s.ended = Some(why.clone());
            }
            self.ended.store(true, Ordering::Release);
            s.direct = None;
            s.open = None;
            (std::mem::take(&mut s.slots), first)
        };
        for slot in slots {
            slot.to.fail(&why);
        }
        if let (Some(ext), true) = (&self.external, first) {
            // JS destroys the socket (and releases it: js_io.rs).
            external_record(&ext.queue, "glide-io-close", ext.io_id);
        }
        if let (Some(fed), true) = (&self.fed, first) {
            drop(fed.flush.lock().unwrap_or_else(|p| p.into_inner()).take());
        }
    }
}

/// A connection to one server (cheap to clone: the clones share it).
#[derive(Clone)]
pub struct Pipe {
    shared: Arc<Shared>,
}

/// The connection's tasks: stopped, and the awaited replies failed, when this is dropped.
pub struct Tasks {
    shared: Arc<Shared>,
    handles: Vec<tokio::task::AbortHandle>,
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for h in &self.handles {
            h.abort();
        }
        self.shared.end(Why::Ended("it was closed".into()));
    }
}

impl Pipe {
    /// Runs the connection over `stream` (the handshake done), on the current tokio runtime.
    pub fn start<S>(stream: S, decoder: Reader) -> (Pipe, Tasks)
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (rd, wr) = tokio::io::split(stream);
        Pipe::start_halves(rd, wr, decoder)
    }

    /// Runs the connection over a plain TCP socket (the handshake done). On a sync client's
    /// runtime, which only its caller drives (calling_thread.rs), the caller writes its command
    /// and reads its reply itself when it can ([`Pipe::call`]), and the connection's tasks do
    /// while it drives the runtime. On the shared I/O thread the writer task writes: the JS
    /// thread hands over and returns, and the I/O thread, awake for the write, then reads the
    /// reply sooner than a parked one would (measured: writing on the JS thread made the async
    /// client's round trip slower).
    pub fn start_tcp(tcp: tokio::net::TcpStream, decoder: Reader) -> (Pipe, Tasks) {
        if !crate::connections::calling_thread::driving() {
            return Pipe::start(tcp, decoder);
        }
        let socket = SharedTcp::new(tcp);
        let shared = Shared::new(Some(socket.clone()), None, Some(Fed::new(decoder)));
        let pipe = Pipe { shared };
        let reading = tokio::spawn(caller::read_loop(pipe.clone(), socket.clone()));
        let writing = tokio::spawn(write_loop(pipe.shared.clone(), socket));
        let timing = tokio::spawn(timer_loop(pipe.shared.clone()));
        let tasks = Tasks {
            shared: pipe.shared.clone(),
            handles: vec![
                reading.abort_handle(),
                writing.abort_handle(),
                timing.abort_handle(),
            ],
        };
        (pipe, tasks)
    }

    fn start_halves<R, W>(rd: R, wr: W, decoder: Reader) -> (Pipe, Tasks)
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Shared::new(None, None, None);
        let reading = tokio::spawn(read_loop(shared.clone(), rd, decoder));
        let writing = tokio::spawn(write_loop(shared.clone(), wr));
        let timing = tokio::spawn(timer_loop(shared.clone()));
        let tasks = Tasks {
            shared: shared.clone(),
            handles: vec![
                reading.abort_handle(),
                writing.abort_handle(),
                timing.abort_handle(),
            ],
        };
        (Pipe { shared }, tasks)
    }

    /// Runs the connection over a plain TCP socket (the handshake done) whose reads and writes
    /// the isolate of `queue` does in its own event loop (js_io.rs): the socket is handed to JS,
    /// which writes what [`Pipe::take_out`] gives and feeds what it reads to [`Pipe::absorb`].
    /// Gives back the socket, to register with js_io.rs before anything is handed over.
    pub fn start_external(
        tcp: tokio::net::TcpStream,
        decoder: Reader,
        queue: Arc<crate::boundary::completions::Queue>,
    ) -> io::Result<(Pipe, Tasks, std::net::TcpStream)> {
        static NEXT_IO: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let socket = tcp.into_std()?;
        let io_id = NEXT_IO.fetch_add(1, Ordering::Relaxed).max(1);
        let external = External {
            io_id,
            queue: queue.clone(),
        };
        let shared = Shared::new(None, Some(external), Some(Fed::new(decoder)));
        let timing = tokio::spawn(timer_loop(shared.clone()));
        let pipe = Pipe { shared };
        let tasks = Tasks {
            shared: pipe.shared.clone(),
            handles: vec![timing.abort_handle()],
        };
        Ok((pipe, tasks, socket))
    }

    /// An external connection's number for JS (see [`Pipe::start_external`]).
    pub fn io_id(&self) -> Option<u32> {
        self.shared.external.as_ref().map(|e| e.io_id)
    }

    /// Reads `bytes`, which JS read from an external connection's socket: completes the slots
    /// the replies among them answer (on the calling thread).
    pub fn absorb(&self, bytes: &[u8]) {
        let Some(fed) = &self.shared.fed else {
            return;
        };
        let mut reader = fed.reader.lock().unwrap_or_else(|p| p.into_inner());
        reader.extend(bytes);
        // As for a read: replies answer the commands JS took to write before it read them.
        let written = self.shared.lock().written;
        self.deliver_parsed(reader, written, &fed.tracking);
    }

    /// Completes the slots that the replies `reader` holds answer (see [`deliver`]).
    fn deliver_parsed(
        &self,
        mut reader: std::sync::MutexGuard<'_, Reader>,
        written: u64,
        tracking: &Option<Arc<crate::connections::tracking::Tracking>>,
    ) {
        loop {
            match reader.parsed() {
                Ok(Some(reply)) => {
                    if !deliver(&self.shared, reply, written, tracking) {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    drop(reader);
                    return self.shared.end(Why::Ended(e.to_string()));
                }
            }
        }
    }

    /// Appends to `dst` the bytes handed over to an external connection since JS last took
    /// them, for JS to write now (the connection's buffer keeps its capacity); how many.
    pub fn take_out_into(&self, dst: &mut Vec<u8>) -> usize {
        let mut s = self.shared.lock();
        if s.ended.is_some() {
            return 0;
        }
        s.written = s.handed;
        dst.extend_from_slice(&s.out);
        let n = s.out.len();
        s.out.clear();
        n
    }

    /// Ends an external connection whose socket JS saw end (`why`).
    pub fn socket_ended(&self, why: &str) {
        self.shared.end(Why::Ended(why.to_owned()));
    }
}

impl Shared {
    fn new(direct: Option<SharedTcp>, external: Option<External>, fed: Option<Fed>) -> Arc<Shared> {
        static IDS: AtomicU64 = AtomicU64::new(1);
        Arc::new(Shared {
            id: IDS.fetch_add(1, Ordering::Relaxed),
            state: Mutex::new(State {
                out: Vec::new(),
                slots: VecDeque::new(),
                ended: None,
                alarm: None,
                latest: None,
                handed: 0,
                written: 0,
                done: 0,
                retiring: false,
                writing: false,
                direct,
                open: Some(crate::boundary::telemetry::Counted::new(
                    &crate::boundary::telemetry::CONNECTIONS,
                )),
            }),
            write: Notify::new(),
            timer: Notify::new(),
            replies: AtomicU64::new(0),
            stalled: AtomicBool::new(false),
            ended: AtomicBool::new(false),
            external,
            fed,
        })
    }
}

impl Pipe {
    /// Whether a caller timed out while the connection read nothing at all since its command
    /// was handed over (see [`Pipe::submit`]).
    pub fn stalled(&self) -> bool {
        self.shared.stalled.load(Ordering::Relaxed)
    }

    /// Replies read so far (pushes excluded): a connection that stopped answering reads none.
    pub fn replies(&self) -> u64 {
        self.shared.replies.load(Ordering::Relaxed)
    }

    /// Whether the connection still works as far as it knows: not ended, not stalled.
    pub fn usable(&self) -> bool {
        !self.shared.ended.load(Ordering::Acquire) && !self.stalled()
    }

    /// Whether the connection has ended.
    pub fn ended(&self) -> bool {
        self.shared.ended.load(Ordering::Acquire)
    }

    /// Retires the connection (a new one replaces it): it takes no new caller's command, but
    /// the commands handed over already keep their place, and each caller gets its reply, or
    /// its `TimeoutError` at its deadline, as it would have. It ends once nobody waits.
    pub fn retire(&self) {
        let drained = {
            let mut s = self.shared.lock();
            s.retiring = true;
            s.drained()
        };
        if drained {
            self.shared.end(Why::Ended("it was replaced".into()));
        } else {
            self.shared.timer.notify_one();
        }
    }

    /// Ends the connection for the client's close: awaited replies fail with `ClosingError`.
    pub fn close(&self) {
        self.shared.end(Why::Closing);
    }

    /// Hands `slot` over with the bytes `write` appends (nothing is written if the connection
    /// has ended).
    fn hand_over(&self, slot: Slot, write: impl FnOnce(&mut Vec<u8>)) {
        self.hand_over_with(|out| {
            write(out);
            slot
        })
    }

    /// Hands over the slot that `write` returns once it has appended its command's bytes (to
    /// a scratch buffer, and failed, if the connection has ended).
    fn hand_over_with(&self, write: impl FnOnce(&mut Vec<u8>) -> Slot) {
        self.before_hand_over();
        let mut s = self.shared.lock();
        if let Some(why) = &s.ended {
            let why = why.clone();
            drop(s);
            return write(&mut Vec::new()).to.fail(&why);
        }
        // Idle: nothing awaits a reply and nothing waits to be written.
        let idle = s.slots.is_empty() && s.out.is_empty() && !s.writing;
        let mut slot = write(&mut s.out);
        slot.replies_before = self.shared.replies.load(Ordering::Relaxed);
        let wake_timer = match (slot.deadline, s.alarm) {
            (Some(d), Some(alarm)) => d < alarm,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if wake_timer {
            s.alarm = slot.deadline;
        }
        if let Some(d) = slot.deadline {
            s.latest = Some(s.latest.map_or(d, |l| l.max(d)));
        }
        s.slots.push_back(slot);
        s.handed += 1;
        let written = idle && s.write_now();
        drop(s);
        if let Some(ext) = &self.shared.external {
            // JS writes it after the call it is in, or, from another thread, once told.
            if ext.queue.js_io_mark(ext.io_id) && !crate::boundary::on_js::on_js() {
                external_record(&ext.queue, "glide-io-write", ext.io_id);
            }
        } else if !written {
            self.shared.write.notify_one();
        }
        if wake_timer {
            self.shared.timer.notify_one();
        }
    }

    /// Sends one command now (in the order of calls); the future resolves with its reply.
    pub fn send(&self, cmd: &Cmd) -> impl std::future::Future<Output = RedisResult<Value>> {
        let (tx, rx) = oneshot::channel();
        self.hand_over(slot(To::Caller(tx), None, None), |out| {
            cmd.write_packed_command(out)
        });
        async move { rx.await.unwrap_or_else(|_| Err(closed("it was closed"))) }
    }

    /// Sends a batch now (between MULTI and EXEC when `atomic`); resolves with its result: its
    /// replies as an array, or a transaction's EXEC reply (a queuing error fails it).
    pub fn send_batch(&self, batch: &Batch) -> Pending {
        let (tx, rx) = oneshot::channel();
        let (count, atomic) = (batch.count, batch.atomic);
        self.submit_batch(count, atomic, To::Caller(tx), None, None, |out| {
            batch.write_resp(out)
        });
        Pending(rx)
    }

    /// Sends one command now; `done` gets its reply (a top-level error reply is a value here),
    /// or `TimeoutError` at `deadline`, or the connection's end.
    pub fn submit(
        &self,
        cmd: &Cmd,
        deadline: Option<Instant>,
        done: Box<dyn FnOnce(Result<Value, Failure>) + Send>,
    ) {
        self.hand_over(slot(To::Done(done), None, deadline), |out| {
            cmd.write_packed_command(out)
        });
    }

    /// Like [`Pipe::submit`] for a command that `request` holds: `done` gets the request back
    /// with the outcome (to send it again elsewhere, say). `keep` stays in the command's slot
    /// until it leaves the queue (see [`Slot::keep`]).
    pub fn submit_request<R: Send + 'static>(
        &self,
        request: R,
        cmd: impl FnOnce(&R) -> &Cmd,
        deadline: Option<Instant>,
        keep: Option<Keep>,
        done: impl FnOnce(R, Result<Value, Failure>) + Send + 'static,
    ) {
        self.hand_over_with(|out| {
            cmd(&request).write_packed_command(out);
            let done = Box::new(move |outcome| done(request, outcome));
            Slot {
                keep,
                ..slot(To::Done(done), None, deadline)
            }
        });
    }

    /// Sends one command (`batch: None`) or a batch (`Some(atomic)`) now; `done` gets the
    /// crate's own result (see [`Pipe::send_batch`]), or the timeout at `deadline`, or the
    /// connection's end. `keep` stays in the slot until it leaves the queue.
    pub fn submit_raw<'a>(
        &self,
        cmds: impl ExactSizeIterator<Item = &'a Cmd>,
        batch: Option<bool>,
        deadline: Option<Instant>,
        keep: Option<Keep>,
        done: Box<dyn FnOnce(RedisResult<Value>) + Send>,
    ) {
        match batch {
            Some(atomic) => {
                let count = cmds.len();
                self.submit_batch(count, atomic, To::Raw(done), deadline, keep, |out| {
                    for cmd in cmds {
                        cmd.write_packed_command(out);
                    }
                })
            }
            None => {
                let keep = Slot {
                    keep,
                    ..slot(To::Raw(done), None, deadline)
                };
                self.hand_over(keep, |out| {
                    for cmd in cmds {
                        cmd.write_packed_command(out);
                    }
                })
            }
        }
    }

    /// This connection's number, unique in the process: commands handed to one connection are
    /// answered in order, to two they are not.
    pub fn id(&self) -> u64 {
        self.shared.id
    }

    /// Sends `cmd` (MONITOR) and gives `each` every reply the connection reads from now on (the
    /// command's own first), then the connection's end as an error. Nothing else may be sent
    /// on the connection after it.
    pub fn stream(&self, cmd: &Cmd, each: Box<dyn FnMut(Result<Value, Failure>) + Send>) {
        self.hand_over(slot(To::Stream(each), None, None), |out| {
            cmd.write_packed_command(out)
        });
    }

    /// Sends a batch now; `done` gets its result (see [`Pipe::send_batch`]), or `TimeoutError`
    /// at `deadline`, or the connection's end.
    pub fn submit_batch_to(
        &self,
        batch: &Batch,
        deadline: Option<Instant>,
        done: Box<dyn FnOnce(Result<Value, Failure>) + Send>,
    ) {
        let (count, atomic) = (batch.count, batch.atomic);
        self.submit_batch(count, atomic, To::Done(done), deadline, None, |out| {
            batch.write_resp(out)
        });
    }

    /// Hands over a batch of `commands` commands that `write` appends (MULTI and EXEC around
    /// them when `atomic`).
    fn submit_batch(
        &self,
        commands: usize,
        atomic: bool,
        to: To,
        deadline: Option<Instant>,
        keep: Option<Keep>,
        write: impl FnOnce(&mut Vec<u8>),
    ) {
        if commands == 0 && !atomic {
            return to.reply(Ok(Value::Array(vec![])));
        }
        // A transaction's replies: MULTI's, one QUEUED per command, then EXEC's (the caller's).
        let (skip, count) = if atomic {
            (commands + 1, 1)
        } else {
            (0, commands)
        };
        let gathering = Gathering {
            skip,
            count,
            atomic,
            aborted: None,
            values: Vec::with_capacity(count),
        };
        let gathering = Slot {
            keep,
            ..slot(to, Some(Box::new(gathering)), deadline)
        };
        self.hand_over(gathering, |out| {
            if atomic {
                redis::cmd("MULTI").write_packed_command(out);
            }
            write(out);
            if atomic {
                redis::cmd("EXEC").write_packed_command(out);
            }
        });
    }
}

/// A batch handed to a connection, its result to come ([`Pipe::send_batch`]).
pub struct Pending(oneshot::Receiver<RedisResult<Value>>);

impl Pending {
    /// The batch's result, or the connection's end.
    pub async fn result(self) -> RedisResult<Value> {
        self.0
            .await
            .unwrap_or_else(|_| Err(closed("it was closed")))
    }
}

fn slot(to: To, batch: Option<Box<Gathering>>, deadline: Option<Instant>) -> Slot {
    Slot {
        to,
        batch,
        deadline,
        replies_before: 0,
        keep: None,
    }
}

/// Parses a connection's replies: the length check, then the crate's parser.
#[derive(Default)]
pub struct Reader {
    check: LengthCheck,
    codec: redis::ValueCodec,
    buf: BytesMut,
    /// A violation found in bytes not yet parsed: what the connection ends with once the
    /// replies before it are parsed.
    broken: Option<String>,
    /// Server-assisted caching: where invalidation pushes go (tracking.rs).
    pub tracking: Option<Arc<crate::connections::tracking::Tracking>>,
}

impl Reader {
    /// Reads the next reply from `rd` (RESP3 pushes included).
    pub async fn next<R: AsyncRead + Unpin>(&mut self, rd: &mut R) -> RedisResult<Value> {
        loop {
            if let Some(v) = self.parsed()? {
                return Ok(v);
            }
            self.fill(rd).await?;
        }
    }

    /// The next reply among the bytes read so far, if they hold a whole one.
    fn parsed(&mut self) -> RedisResult<Option<Value>> {
        if let Some(v) = self.codec.decode(&mut self.buf)? {
            return Ok(Some(v));
        }
        match &self.broken {
            Some(why) => Err(RedisError::from(io::Error::new(
                io::ErrorKind::InvalidData,
                why.clone(),
            ))),
            None => Ok(None),
        }
    }

    /// Takes bytes read elsewhere (an external connection's, read by JS).
    fn extend(&mut self, bytes: &[u8]) {
        if self.broken.is_some() {
            return;
        }
        let before = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.check_from(before);
    }

    /// Runs the length check over the bytes from `before` on; keeps only what precedes a
    /// violation, and remembers it.
    fn check_from(&mut self, before: usize) {
        if let Err(v) = self.check.feed(&self.buf[before..]) {
            self.buf.truncate(before + v.valid);
            self.broken = Some(v.message);
        }
    }

    /// Reads what `tcp` holds now, without waiting (`WouldBlock` if nothing): how many bytes
    /// (0 at the end of the stream), and whether they filled the room there was.
    fn fill_now(&mut self, tcp: &SharedTcp) -> io::Result<(usize, bool)> {
        let before = self.buf.len();
        let read = tcp.read_now(&mut self.buf)?;
        self.check_from(before);
        Ok(read)
    }

    /// Reads more bytes from `rd`.
    async fn fill<R: AsyncRead + Unpin>(&mut self, rd: &mut R) -> RedisResult<()> {
        self.buf.reserve(16 * 1024);
        let before = self.buf.len();
        if rd.read_buf(&mut self.buf).await? == 0 {
            return Err(RedisError::from(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            )));
        }
        self.check_from(before);
        Ok(())
    }
}

/// Completes slots with the replies read. A reply can only answer a command whose bytes went
/// to the writer before the read that brought it returned: one read while no such command
/// awaits a reply (the server sent more than asked) is dropped, even if a command was handed
/// over meanwhile from another thread.
async fn read_loop<R: AsyncRead + Unpin>(shared: Arc<Shared>, mut rd: R, mut reader: Reader) {
    // However the connection ends, a tracking client's cache is flushed after its last reply.
    let tracking = reader.tracking.take();
    let _flush = crate::connections::tracking::FlushOnEnd(tracking.clone());
    // Slots whose commands went to the writer before the last read returned.
    let mut written = 0u64;
    loop {
        let reply = match reader.parsed() {
            Ok(Some(v)) => v,
            Ok(None) => {
                if let Err(e) = reader.fill(&mut rd).await {
                    return shared.end(Why::Ended(e.to_string()));
                }
                written = shared.lock().written;
                continue;
            }
            Err(e) => return shared.end(Why::Ended(e.to_string())),
        };
        if !deliver(&shared, reply, written, &tracking) {
            return;
        }
    }
}

/// Tells the isolate of an external connection about it (see js_io.rs).
pub fn external_record(queue: &crate::boundary::completions::Queue, kind: &str, io_id: u32) {
    let push = redis::PushInfo {
        kind: redis::PushKind::Other(kind.to_owned()),
        data: vec![Value::Int(io_id.into())],
    };
    queue.push_message(0, &push);
}

/// Takes one reply read: completes the oldest slot once it has all it awaits. Pushes (RESP3)
/// answer no command of this connection; invalidations go to the client's isolate, in their
/// place among the replies. A reply while no command written before the read awaits one is
/// dropped. False once the connection has ended (retired, and nobody waits any more).
fn deliver(
    shared: &Shared,
    reply: Value,
    written: u64,
    tracking: &Option<Arc<crate::connections::tracking::Tracking>>,
) -> bool {
    if let Value::Push { kind, data } = reply {
        if let (Some(t), redis::PushKind::Invalidate) = (tracking, kind) {
            t.invalidated(data);
        }
        return true;
    }
    shared.replies.fetch_add(1, Ordering::Relaxed);
    let mut s = shared.lock();
    if s.done >= written {
        return true;
    }
    let Some(slot) = s.slots.front_mut() else {
        return true;
    };
    let Some(outcome) = slot.take(reply) else {
        return true;
    };
    let Some(slot) = s.slots.pop_front() else {
        return true;
    };
    s.done += 1;
    let drained = s.drained();
    drop(s);
    // Outside the lock: a callback may hand a command to this connection again.
    slot.to.reply(outcome);
    drop(slot.keep);
    if drained {
        shared.end(Why::Ended("it was replaced".into()));
        return false;
    }
    true
}

/// Fails the slots whose deadline passed (keeping them, to absorb their late replies), then
/// sleeps until the next deadline or until an earlier one is handed over.
async fn timer_loop(shared: Arc<Shared>) {
    loop {
        let now = Instant::now();
        let mut expired = Vec::new();
        let alarm = {
            let mut s = shared.lock();
            let mut next: Option<Instant> = None;
            for slot in s.slots.iter_mut() {
                let (Some(d), false) = (slot.deadline, matches!(slot.to, To::Gone)) else {
                    continue;
                };
                if d <= now {
                    if shared.replies.load(Ordering::Relaxed) == slot.replies_before {
                        shared.stalled.store(true, Ordering::Relaxed);
                    }
                    expired.push(std::mem::replace(&mut slot.to, To::Gone));
                } else {
                    next = Some(next.map_or(d, |n| n.min(d)));
                }
            }
            // With nothing to time, it still wakes at the latest deadline handed over (once per
            // request timeout while requests come, instead of once per request), then sleeps.
            let next = next.or(s.latest.filter(|&l| l > now));
            s.alarm = next;
            (next, s.drained())
        };
        for to in expired {
            to.fail(&Why::TimedOut);
        }
        let alarm = match alarm {
            (_, true) => return shared.end(Why::Ended("it was replaced".into())),
            (alarm, false) => alarm,
        };
        match alarm {
            Some(at) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = shared.timer.notified() => {}
                }
            }
            None => shared.timer.notified().await,
        }
    }
}

async fn write_loop<W: AsyncWrite + Unpin>(shared: Arc<Shared>, mut wr: W) {
    let mut bytes = Vec::new();
    loop {
        {
            let mut s = shared.lock();
            std::mem::swap(&mut s.out, &mut bytes);
            s.written = s.handed;
            s.writing = !bytes.is_empty();
        }
        if bytes.is_empty() {
            shared.write.notified().await;
            continue;
        }
        if let Err(e) = wr.write_all(&bytes).await {
            return shared.end(Why::Ended(e.to_string()));
        }
        bytes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Reads what the client wrote until `word` appeared `times` times (a server replies only
    /// to commands it has read).
    async fn read_until(server: &mut tokio::io::DuplexStream, word: &str, times: usize) {
        let mut seen = Vec::new();
        while String::from_utf8_lossy(&seen).matches(word).count() < times {
            let mut buf = vec![0u8; 4096];
            let n = server.read(&mut buf).await.unwrap();
            seen.extend_from_slice(&buf[..n]);
        }
    }

    fn ok(s: &str) -> Value {
        Value::SimpleString(s.into())
    }

    #[test]
    fn a_transaction_with_a_queuing_error_fails() {
        let mut g = Gathering {
            skip: 3,
            count: 1,
            atomic: true,
            aborted: None,
            values: vec![],
        };
        assert!(g.take(Value::Okay).is_none());
        let err = redis::parse_redis_value(b"-ERR unknown command\r\n").unwrap();
        assert!(g.take(err).is_none());
        assert!(g.take(ok("QUEUED")).is_none());
        let exec = redis::parse_redis_value(b"-EXECABORT Transaction discarded\r\n").unwrap();
        let e = g.take(exec).unwrap().unwrap_err();
        assert_eq!(e.code(), Some("EXECABORT"));
    }

    #[test]
    fn a_pipeline_keeps_its_error_replies_in_place() {
        let mut g = Gathering {
            skip: 0,
            count: 2,
            atomic: false,
            aborted: None,
            values: vec![],
        };
        let err = redis::parse_redis_value(b"-ERR no\r\n").unwrap();
        assert!(g.take(err.clone()).is_none());
        let all = g.take(Value::Int(1)).unwrap().unwrap();
        assert_eq!(all, Value::Array(vec![err, Value::Int(1)]));
    }

    /// A reply that comes after its caller timed out goes to no one: the next caller gets its
    /// own reply; a stall is noticed.
    #[tokio::test]
    async fn a_late_reply_reaches_no_later_caller() {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let (pipe, _tasks) = Pipe::start(client, Reader::default());
        let (tx, rx) = oneshot::channel();
        let deadline = Instant::now() + Duration::from_millis(20);
        pipe.submit(
            redis::cmd("GET").arg("late"),
            Some(deadline),
            Box::new(move |outcome| {
                let _ = tx.send(outcome);
            }),
        );
        let first = rx.await.unwrap().unwrap_err();
        assert_eq!(first.status, crate::protocol::errors::Status::Timeout);
        assert!(pipe.stalled());
        let second = pipe.send(redis::cmd("GET").arg("next"));
        read_until(&mut server, "next", 1).await;
        server.write_all(b"+late\r\n+next\r\n").await.unwrap();
        assert_eq!(second.await.unwrap(), ok("next"));
    }

    #[tokio::test]
    async fn replies_complete_commands_in_the_order_they_were_handed_over() {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let (pipe, tasks) = Pipe::start(client, Reader::default());
        let calls: Vec<_> = (0..100)
            .map(|i| pipe.send(redis::cmd("ECHO").arg(i)))
            .collect();
        read_until(&mut server, "ECHO", 100).await;
        let replies: String = (0..100).map(|i| format!(":{i}\r\n")).collect();
        server.write_all(replies.as_bytes()).await.unwrap();
        for (i, call) in calls.into_iter().enumerate() {
            assert_eq!(call.await.unwrap(), Value::Int(i as i64));
        }
        let pending = pipe.send(&redis::cmd("PING"));
        drop(tasks);
        assert!(pending.await.is_err());
        assert!(pipe.send(&redis::cmd("PING")).await.is_err());
    }

    #[tokio::test]
    async fn a_stream_gets_every_reply_then_the_end() {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let (pipe, tasks) = Pipe::start(client, Reader::default());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        pipe.stream(
            &redis::cmd("MONITOR"),
            Box::new(move |outcome| {
                let _ = tx.send(outcome);
            }),
        );
        read_until(&mut server, "MONITOR", 1).await;
        server
            .write_all(b"+OK\r\n+1.5 [0 a] \"GET\"\r\n")
            .await
            .unwrap();
        assert_eq!(rx.recv().await.unwrap().unwrap(), Value::Okay);
        assert_eq!(rx.recv().await.unwrap().unwrap(), ok("1.5 [0 a] \"GET\""));
        drop(tasks);
        assert!(
            rx.recv().await.unwrap().is_err(),
            "then the connection's end"
        );
    }

    #[tokio::test]
    async fn a_retired_connection_answers_its_callers_then_ends() {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let (pipe, _tasks) = Pipe::start(client, Reader::default());
        let (tx, rx) = oneshot::channel();
        let (late_tx, late_rx) = oneshot::channel();
        let soon = Instant::now() + Duration::from_millis(20);
        pipe.submit(
            redis::cmd("GET").arg("slow"),
            Some(soon),
            Box::new(move |outcome| {
                let _ = late_tx.send(outcome);
            }),
        );
        pipe.submit(
            redis::cmd("GET").arg("a"),
            Some(soon + Duration::from_secs(5)),
            Box::new(move |outcome| {
                let _ = tx.send(outcome);
            }),
        );
        pipe.retire();
        assert!(!pipe.ended(), "callers still wait");
        let timed_out = late_rx.await.unwrap().unwrap_err();
        assert_eq!(timed_out.status, crate::protocol::errors::Status::Timeout);
        read_until(&mut server, "GET", 2).await;
        server.write_all(b"+slow\r\n+a\r\n").await.unwrap();
        assert_eq!(
            rx.await.unwrap().unwrap(),
            ok("a"),
            "not a connection error"
        );
        while !pipe.ended() {
            tokio::task::yield_now().await;
        }
        assert!(pipe.send(&redis::cmd("PING")).await.is_err());
    }
}
