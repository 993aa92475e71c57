//! The C ABI (`native/ABI.md`). Every function catches panics, so none unwinds into Deno.

use crate::async_client::AsyncClient;
use crate::boundary::completions::Queue;
use crate::boundary::handles::Table;
use crate::boundary::isolates;
use crate::config::Settings;
use crate::protocol::compression::{self, Backend, DecompressError};
use crate::protocol::errors::{Failure, Status};
use crate::sync_client::SyncClient;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, LazyLock, Mutex};

enum Client {
    Async(Arc<AsyncClient>),
    Sync(Box<Mutex<SyncClient>>),
}

/// A client, with the queue it was made on and the thread that made it.
struct Entry {
    queue: u32,
    owner: u64,
    client: Client,
}

impl Entry {
    fn close(&self) {
        match &self.client {
            Client::Async(c) => c.close(),
            Client::Sync(c) => c.lock().unwrap_or_else(|p| p.into_inner()).close(),
        }
    }
}

static CLIENTS: LazyLock<Table<Entry>> = LazyLock::new(Table::default);

/// Client `handle`, if it exists and the calling thread (isolate) made it.
fn client(handle: u32) -> Option<Arc<Entry>> {
    CLIENTS
        .get(handle)
        .filter(|e| e.owner == isolates::thread_token())
}

/// Closes every client made on queue `queue` (its isolate is gone).
pub(crate) fn close_clients_of(queue: u32) {
    for e in CLIENTS.remove_where(|e| e.queue == queue) {
        e.close();
    }
    crate::boundary::resolvers::free_of(queue);
}

/// Settings decoded from `cfg`, with the address resolver they name found.
fn settings(cfg: &[u8]) -> Result<Settings, Failure> {
    let mut s = Settings::decode(cfg)?;
    if s.resolver_id != 0 {
        s.resolver = Some(
            crate::boundary::resolvers::get(s.resolver_id)
                .ok_or_else(|| Failure::config("unknown addressResolver"))?,
        );
    }
    Ok(s)
}

thread_local! {
    static LAST_ERROR: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

fn set_last_error(f: Failure) {
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(f));
}

/// Runs `f`, turning a panic into `fallback` (and a last error).
fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    crate::boundary::pin::pin();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(Failure::new(
                Status::Request,
                format!("internal error: {what}"),
            ));
            fallback
        }
    }
}

/// # Safety
/// `ptr` must point to `len` readable bytes (or `len` is 0).
unsafe fn bytes<'a>(ptr: *const u8, len: u32) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len as usize)
    }
}

/// # Safety
/// `ptr` must point to `len` writable bytes (or `len` is 0).
unsafe fn bytes_mut<'a>(ptr: *mut u8, len: u32) -> &'a mut [u8] {
    if ptr.is_null() || len == 0 {
        &mut []
    } else {
        std::slice::from_raw_parts_mut(ptr, len as usize)
    }
}

fn unknown_queue() -> Failure {
    Failure::config("unknown completion queue (it belongs to another isolate, or was closed)")
}

fn create(queue: u32, make: impl FnOnce(Arc<Queue>) -> Result<Client, Failure>) -> u32 {
    let made = isolates::queue(queue)
        .ok_or_else(unknown_queue)
        .and_then(make);
    match made {
        Ok(client) => {
            let entry = Entry {
                queue,
                owner: isolates::thread_token(),
                client,
            };
            let handle = CLIENTS.insert(entry);
            match CLIENTS.get(handle).as_deref().map(|e| &e.client) {
                Some(Client::Async(c)) => c.set_handle(handle),
                Some(Client::Sync(c)) => c
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .set_handle(handle),
                None => {}
            }
            handle
        }
        Err(f) => {
            set_last_error(f);
            0
        }
    }
}

/// Opens a completion queue for the calling isolate (thread); see ABI.md. 0 if the thread is
/// ending.
#[no_mangle]
pub extern "C" fn glide_queue_open() -> u32 {
    guard(0, || {
        isolates::on_close(close_clients_of);
        isolates::open_queue()
    })
}

/// Closes a queue of the calling isolate and every client made on it. Idempotent.
#[no_mangle]
pub extern "C" fn glide_queue_close(queue: u32) {
    guard((), || isolates::close_queue(queue))
}

/// Creates an async client on `queue` and starts connecting; see ABI.md.
///
/// # Safety
/// `cfg` must point to `cfg_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_async_create(
    queue: u32,
    cfg: *const u8,
    cfg_len: u32,
    req_id: u32,
) -> u32 {
    let cfg = bytes(cfg, cfg_len);
    guard(0, || {
        create(queue, |q| {
            settings(cfg)
                .and_then(|s| AsyncClient::start(s, q, req_id))
                .map(Client::Async)
        })
    })
}

/// Queues request records for an async client of `queue`.
///
/// # Safety
/// `buf` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_submit(queue: u32, handle: u32, buf: *const u8, len: u32) -> u32 {
    let buf = bytes(buf, len);
    let _js = crate::boundary::on_js::OnJs::enter();
    guard(1, || {
        let Some(q) = isolates::queue(queue) else {
            return 1;
        };
        match client(handle).as_deref() {
            Some(Entry {
                client: Client::Async(c),
                queue: on,
                ..
            }) if *on == queue => c.submit(buf),
            _ => reject_all(&q, buf),
        }
        0
    })
}

/// Completes every request in `buf` with `ClosingError` (unknown or closed handle).
fn reject_all(queue: &Queue, buf: &[u8]) {
    let mut reader = crate::protocol::request::Reader::new(buf);
    while let Ok(id) = reader.id() {
        queue.push(id, Err(Failure::closing()));
        if reader.rest(id).is_err() {
            break;
        }
    }
}

/// Moves completion records of `queue` into `out`; see ABI.md.
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_drain(queue: u32, out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || isolates::queue(queue).map_or(0, |q| q.drain(out)))
}

/// Lets `queue`'s isolate own the sockets of the async clients it makes from now on (plain TCP
/// connections); see connections/js_io.rs. Returns 1, or 0 if `queue` is not the caller's.
#[no_mangle]
pub extern "C" fn glide_io_enable(queue: u32) -> u32 {
    guard(0, || {
        isolates::queue(queue).map_or(0, |q| {
            q.enable_js_io();
            1
        })
    })
}

/// Claims external connection `id`'s socket: its file descriptor (JS owns it from now on), or
/// -1; see js_io.rs.
#[no_mangle]
pub extern "C" fn glide_io_adopt(id: u32) -> i64 {
    guard(-1, || crate::connections::js_io::adopt(id))
}

/// Gives external connection `id` the `len` bytes JS read from its socket (replies complete
/// into the queue, to drain next).
///
/// # Safety
/// `buf` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_io_feed(id: u32, buf: *const u8, len: u32) {
    let buf = bytes(buf, len);
    guard((), || crate::connections::js_io::feed(id, buf))
}

/// JS is done with external connection `id` (it ended; a `glide-io-close` record said so).
#[no_mangle]
pub extern "C" fn glide_io_release(id: u32) {
    guard((), || crate::connections::js_io::release(id))
}

/// Tells the core that external connection `id`'s socket ended (closed by the server, an
/// error).
#[no_mangle]
pub extern "C" fn glide_io_ended(id: u32) {
    guard((), || {
        crate::connections::js_io::socket_ended(id, "the server closed the connection")
    })
}

thread_local! {
    /// Bytes `glide_io_flush` took that did not fit JS's buffer, given first next time.
    static STAGED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes into `out` the bytes `queue`'s external connections have to write, as records (id
/// u32, length u32, bytes); returns their length, or 0x8000_0000 | the length needed when
/// `cap` is too small (the bytes are kept for the next call).
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_io_flush(queue: u32, out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || {
        STAGED.with(|staged| {
            let mut staged = staged.borrow_mut();
            if staged.is_empty() {
                if let Some(q) = isolates::queue(queue) {
                    crate::connections::js_io::flush(&q, &mut staged);
                }
            }
            let n = staged.len();
            if n > out.len() {
                return 0x8000_0000 | n as u32;
            }
            out[..n].copy_from_slice(&staged);
            staged.clear();
            n as u32
        })
    })
}

/// Waits until records of `queue` are ready (1), or until `glide_wake`, the queue's closing or
/// `timeout_ms` (0). JS calls it as a `nonblocking` symbol (on a Deno blocking-pool thread, so
/// the queue is looked up without the owner check; waiting reads nothing), one call at a time
/// per queue, while it has requests pending; see completions.rs.
#[no_mangle]
pub extern "C" fn glide_wait_ready(queue: u32, timeout_ms: u32) -> u32 {
    guard(0, || {
        let timeout = std::time::Duration::from_millis(timeout_ms as u64);
        isolates::queue_from_any_thread(queue).is_some_and(|q| q.wait_ready(timeout)) as u32
    })
}

/// The port of the core's wake-up listener on 127.0.0.1 (0 if it could not listen); see
/// wakeup.rs and ABI.md.
#[no_mangle]
pub extern "C" fn glide_wakeup_port() -> u32 {
    guard(0, || crate::boundary::wakeup_listener::port() as u32)
}

/// Writes the hello that hands a wake-up socket to `queue` (20 bytes: the queue id, then its
/// secret) into `out`; returns 20, or 0 if `queue` is not the calling isolate's or `cap` < 20.
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_wakeup_hello(queue: u32, out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || match isolates::queue(queue) {
        Some(q) if out.len() >= 20 => {
            out[..4].copy_from_slice(&queue.to_le_bytes());
            out[4..20].copy_from_slice(&q.secret());
            20
        }
        _ => 0,
    })
}

/// Makes the outstanding `glide_wait_ready` of `queue` return 0 (nothing is pending any more).
#[no_mangle]
pub extern "C" fn glide_wake(queue: u32) {
    guard((), || {
        if let Some(q) = isolates::queue(queue) {
            q.wake()
        }
    })
}

/// Blocks until a completion is queued on `queue` or `timeout_ms` passes; returns 1 if one is
/// queued. The sync client waits for pub/sub messages with it.
#[no_mangle]
pub extern "C" fn glide_wait(queue: u32, timeout_ms: u32) -> u32 {
    guard(0, || {
        let timeout = std::time::Duration::from_millis(timeout_ms as u64);
        isolates::queue(queue).is_some_and(|q| q.wait(timeout)) as u32
    })
}

/// Creates a sync client, connecting on the calling thread; its pub/sub messages go to `queue`.
///
/// # Safety
/// `cfg` must point to `cfg_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_sync_create(queue: u32, cfg: *const u8, cfg_len: u32) -> u32 {
    let cfg = bytes(cfg, cfg_len);
    guard(0, || {
        create(queue, |q| {
            settings(cfg)
                .and_then(|s| SyncClient::connect(s, q))
                .map(|c| Client::Sync(Box::new(Mutex::new(c))))
        })
    })
}

/// Runs one request on the calling thread; see ABI.md.
///
/// # Safety
/// `req` must point to `req_len` readable bytes and `out` to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_sync_command(
    handle: u32,
    req: *const u8,
    req_len: u32,
    out: *mut u8,
    cap: u32,
) -> u32 {
    let req = bytes(req, req_len);
    let out = bytes_mut(out, cap);
    guard(0, || match client(handle).as_deref().map(|e| &e.client) {
        Some(Client::Sync(c)) => c
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .command(req, out),
        _ => closed_record(req, out),
    })
}

/// Writes a ClosingError completion for a request to an unknown handle.
fn closed_record(req: &[u8], out: &mut [u8]) -> u32 {
    let id = crate::protocol::request::Reader::new(req).id().unwrap_or(0);
    let mut rec = Vec::new();
    crate::protocol::reply::encode_completion(&mut rec, id, &Err(Failure::closing()));
    if rec.len() <= out.len() {
        out[..rec.len()].copy_from_slice(&rec);
    }
    rec.len() as u32
}

/// Copies the record kept by the last `glide_sync_command`.
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_sync_take(handle: u32, out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || match client(handle).as_deref().map(|e| &e.client) {
        Some(Client::Sync(c)) => c.lock().unwrap_or_else(|p| p.into_inner()).take(out),
        _ => 0,
    })
}

/// Lets a sync client's connections read what arrived since its last call (its isolate's
/// queue gets the invalidations of a server-assisted cache). Never waits.
#[no_mangle]
pub extern "C" fn glide_sync_poll(handle: u32) {
    guard((), || {
        if let Some(Client::Sync(c)) = client(handle).as_deref().map(|e| &e.client) {
            c.lock().unwrap_or_else(|p| p.into_inner()).poll();
        }
    })
}

/// 1 when queue `queue` (of the calling thread) holds records to drain, else 0: a cheap check
/// before `glide_drain`.
#[no_mangle]
pub extern "C" fn glide_queue_ready(queue: u32) -> u32 {
    guard(0, || {
        isolates::queue(queue).is_some_and(|q| q.has_records()) as u32
    })
}

/// Closes a client of the calling isolate and frees its handle. Idempotent.
#[no_mangle]
pub extern "C" fn glide_close(handle: u32) {
    guard((), || {
        if client(handle).is_some() {
            if let Some(e) = CLIENTS.remove(handle) {
                e.close();
            }
        }
    })
}

/// Writes this thread's last create error as `[status][message]`.
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_last_error(out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || {
        LAST_ERROR.with(|e| match &*e.borrow() {
            None => 0,
            Some(f) if !out.is_empty() => {
                out[0] = f.status as u8;
                let msg = f.message.as_bytes();
                let n = msg.len().min(out.len() - 1);
                out[1..1 + n].copy_from_slice(&msg[..n]);
                (1 + n) as u32
            }
            Some(_) => 0,
        })
    })
}

thread_local! {
    /// The value the last `glide_decompress` of this thread produced, until `glide_decompressed`.
    static DECOMPRESSED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// `glide_decompress`: the stored bytes are not a value it can decompress.
const NOT_DECOMPRESSED: u32 = u32::MAX;
/// `glide_decompress`: the value would decompress to more than the limit.
const TOO_LARGE: u32 = u32::MAX - 1;

/// Compresses `value` in GLIDE's format (`compression.rs`) with backend `backend` (1 zstd,
/// 2 lz4) at `level` into `out`; returns the bytes written, or 0 when the value is to be stored
/// as it is (the result would not fit in `cap`, which callers make smaller than the value).
///
/// # Safety
/// `value` must point to `len` readable bytes, `out` to `cap` writable ones.
#[no_mangle]
pub unsafe extern "C" fn glide_compress(
    backend: u32,
    level: i32,
    value: *const u8,
    len: u32,
    out: *mut u8,
    cap: u32,
) -> u32 {
    let value = bytes(value, len);
    let out = bytes_mut(out, cap);
    guard(0, || {
        let Some(backend) = u8::try_from(backend).ok().and_then(Backend::from_id) else {
            return 0;
        };
        // Straight into the caller's buffer, which is smaller than the value.
        let room = out.len().min(value.len().saturating_sub(1));
        compression::compress_into(backend, level, value, &mut out[..room]).unwrap_or(0) as u32
    })
}

/// Configures the process's logger (GLIDE's `Logger.init` / `setLoggerConfig`): `level` is
/// GLIDE's (error 0 ... trace 4, off 5), `file` a file name (`len` 0: stderr); with
/// `only_if_unset` 1, only if it was not configured before. Returns the level in force.
///
/// # Safety
/// `file` must point to `len` readable bytes (or be null with `len` 0).
#[no_mangle]
pub unsafe extern "C" fn glide_log_config(
    level: u32,
    file: *const u8,
    len: u32,
    only_if_unset: u32,
) -> u32 {
    let file = bytes(file, len);
    guard(crate::connections::logger::OFF as u32, || {
        let level = u8::try_from(level).unwrap_or(crate::connections::logger::OFF);
        let name = std::str::from_utf8(file).ok().filter(|n| !n.is_empty());
        u32::from(crate::connections::logger::configure(
            level,
            name,
            only_if_unset == 1,
        ))
    })
}

/// Writes one line through the process's logger (GLIDE's `Logger.log`) at `level`.
///
/// # Safety
/// `id` and `message` must point to `id_len` and `message_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_log(
    level: u32,
    id: *const u8,
    id_len: u32,
    message: *const u8,
    message_len: u32,
) {
    let (id, message) = (bytes(id, id_len), bytes(message, message_len));
    guard((), || {
        let level = u8::try_from(level).unwrap_or(crate::connections::logger::OFF);
        let id = String::from_utf8_lossy(id);
        crate::connections::logger::log(level, &id, &String::from_utf8_lossy(message));
    })
}

/// A process-wide statistic for `getStatistics()` (telemetry.rs): 0, the connections the
/// clients' own pipes hold open; 1, the clients alive; 2, pub/sub reconciliation rounds that
/// found subscriptions out of sync; 3, when one last found them in sync (ms since the epoch).
/// -1 for an unknown kind.
#[no_mangle]
pub extern "C" fn glide_statistic(kind: u32) -> f64 {
    crate::boundary::telemetry::get(kind) as f64
}

/// 1 if the isolate of `queue` (the caller's) exports the process's metrics (the first to ask,
/// until its queue closes), else 0.
#[no_mangle]
pub extern "C" fn glide_metrics_claim(queue: u32) -> u32 {
    guard(0, || {
        let open = |q| isolates::queue_from_any_thread(q).is_some_and(|q| !q.is_closed());
        let mine = isolates::queue(queue).is_some();
        (mine && crate::boundary::telemetry::claim_metrics(queue, open)) as u32
    })
}

/// Decompresses a value stored in GLIDE's format, keeping the result for
/// `glide_decompressed`; returns its length, `0xFFFF_FFFF` when `value` is not one it can
/// decompress (corrupt, or an unknown backend), `0xFFFF_FFFE` when it would be larger than
/// `max` bytes (then nothing larger than `max` was allocated).
///
/// # Safety
/// `value` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_decompress(value: *const u8, len: u32, max: u32) -> u32 {
    let value = bytes(value, len);
    guard(NOT_DECOMPRESSED, || {
        let max = (max as usize).min(TOO_LARGE as usize - 1);
        match compression::decompress(value, max) {
            Ok(v) => {
                let n = v.len() as u32;
                DECOMPRESSED.with(|d| *d.borrow_mut() = v);
                n
            }
            Err(DecompressError::TooLarge) => TOO_LARGE,
            Err(DecompressError::Corrupt) => NOT_DECOMPRESSED,
        }
    })
}

/// Moves the value the last `glide_decompress` produced into `out`; returns its length (0 and
/// nothing written if it does not fit `cap`, or there is none).
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_decompressed(out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || {
        DECOMPRESSED.with(|d| {
            let v = std::mem::take(&mut *d.borrow_mut());
            if v.len() > out.len() {
                return 0;
            }
            out[..v.len()].copy_from_slice(&v);
            v.len() as u32
        })
    })
}

/// Registers an address resolver for the isolate of `queue`; returns its id (0 on error). With
/// a `callback`, a sync client's: called on the calling thread while it waits in a call; without,
/// its questions come as `resolve` message records, answered by `glide_resolver_answer`.
#[no_mangle]
pub extern "C" fn glide_resolver_new(
    queue: u32,
    callback: Option<crate::connections::resolver::Callback>,
) -> u32 {
    guard(0, || crate::boundary::resolvers::register(queue, callback))
}

/// Answers question `token` of resolver `id`: the address is `host:port`, or (port 0) the one
/// asked about.
///
/// # Safety
/// `host` must point to `host_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_resolver_answer(
    id: u32,
    token: u32,
    host: *const u8,
    host_len: u32,
    port: u32,
) {
    let host = bytes(host, host_len);
    guard((), || {
        if let Some(r) = crate::boundary::resolvers::get(id) {
            let answer = match (std::str::from_utf8(host), u16::try_from(port)) {
                (Ok(h), Ok(p)) if p != 0 && !h.is_empty() => Some((h.to_owned(), p)),
                _ => None,
            };
            r.answer(token, answer);
        }
    })
}

/// Frees resolver `id`: the core never calls or asks it again (JS may close its callback).
#[no_mangle]
pub extern "C" fn glide_resolver_free(id: u32) {
    guard((), || crate::boundary::resolvers::free(id))
}
