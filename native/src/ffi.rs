//! The C ABI (`native/ABI.md`). Every function catches panics, so none unwinds into Deno.

use crate::async_client::AsyncClient;
use crate::completions;
use crate::config::Settings;
use crate::errors::{Failure, Status};
use crate::handles::Table;
use crate::sync_client::SyncClient;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, LazyLock, Mutex};

enum Client {
    Async(Arc<AsyncClient>),
    Sync(Box<Mutex<SyncClient>>),
}

static CLIENTS: LazyLock<Table<Client>> = LazyLock::new(Table::default);

thread_local! {
    static LAST_ERROR: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

fn set_last_error(f: Failure) {
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(f));
}

/// Runs `f`, turning a panic into `fallback` (and a last error).
fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    crate::pin::pin();
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

fn create(client: Result<Client, Failure>) -> u32 {
    match client {
        Ok(c) => {
            let handle = CLIENTS.insert(c);
            match CLIENTS.get(handle).as_deref() {
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

/// Creates an async client and starts connecting; see ABI.md.
///
/// # Safety
/// `cfg` must point to `cfg_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_async_create(cfg: *const u8, cfg_len: u32, req_id: u32) -> u32 {
    let cfg = bytes(cfg, cfg_len);
    guard(0, || {
        create(
            Settings::decode(cfg)
                .and_then(|s| AsyncClient::start(s, req_id))
                .map(Client::Async),
        )
    })
}

/// Queues request records for an async client.
///
/// # Safety
/// `buf` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_submit(handle: u32, buf: *const u8, len: u32) -> u32 {
    let buf = bytes(buf, len);
    guard(1, || {
        match CLIENTS.get(handle).as_deref() {
            Some(Client::Async(c)) => c.submit(buf),
            _ => reject_all(buf),
        }
        0
    })
}

/// Completes every request in `buf` with `ClosingError` (unknown or closed handle).
fn reject_all(buf: &[u8]) {
    let mut reader = crate::request::Reader::new(buf);
    while let Ok(id) = reader.id() {
        completions::push(id, Err(Failure::closing()));
        if reader.rest(id).is_err() {
            break;
        }
    }
}

/// Moves completion records into `out`; see ABI.md.
///
/// # Safety
/// `out` must point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_drain(out: *mut u8, cap: u32) -> u32 {
    let out = bytes_mut(out, cap);
    guard(0, || completions::drain(out))
}

/// Waits until completion records are ready (1), or until `glide_wake` or `timeout_ms` (0).
/// JS calls it as a `nonblocking` symbol (on a Deno blocking-pool thread), one call at a time,
/// while it has requests pending; see completions.rs.
#[no_mangle]
pub extern "C" fn glide_wait_ready(timeout_ms: u32) -> u32 {
    guard(0, || {
        completions::wait_ready(std::time::Duration::from_millis(timeout_ms as u64)) as u32
    })
}

/// Makes the outstanding `glide_wait_ready` return 0 (JS has nothing pending any more).
#[no_mangle]
pub extern "C" fn glide_wake() {
    guard((), completions::wake)
}

/// The isolate that holds the completion queue (its token), or 0.
static QUEUE_OWNER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Claims the completion queue for the calling isolate, identified by `token` (non-zero).
/// Returns 1 if the queue is (now) this token's, 0 if another isolate holds it: the queue is
/// one per process, and two isolates draining it at once would take each other's completions.
/// Isolates take turns (as `deno test` runs test files): the holder releases it when idle.
#[no_mangle]
pub extern "C" fn glide_claim_queue(token: u32) -> u32 {
    use std::sync::atomic::Ordering;
    guard(0, || {
        match QUEUE_OWNER.compare_exchange(0, token, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => 1,
            Err(owner) => (owner == token) as u32,
        }
    })
}

/// Releases the completion queue if `token` holds it (its isolate has nothing pending).
#[no_mangle]
pub extern "C" fn glide_release_queue(token: u32) {
    use std::sync::atomic::Ordering;
    guard((), || {
        let _ = QUEUE_OWNER.compare_exchange(token, 0, Ordering::AcqRel, Ordering::Acquire);
    })
}

/// Blocks until a completion is queued or `timeout_ms` passes; returns 1 if one is queued.
/// The sync client waits for pub/sub messages with it.
#[no_mangle]
pub extern "C" fn glide_wait(timeout_ms: u32) -> u32 {
    guard(0, || {
        completions::wait(std::time::Duration::from_millis(timeout_ms as u64)) as u32
    })
}

/// Creates a sync client, connecting on the calling thread.
///
/// # Safety
/// `cfg` must point to `cfg_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn glide_sync_create(cfg: *const u8, cfg_len: u32) -> u32 {
    let cfg = bytes(cfg, cfg_len);
    guard(0, || {
        create(
            Settings::decode(cfg)
                .and_then(SyncClient::connect)
                .map(|c| Client::Sync(Box::new(Mutex::new(c)))),
        )
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
    guard(0, || match CLIENTS.get(handle).as_deref() {
        Some(Client::Sync(c)) => c
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .command(req, out),
        _ => closed_record(req, out),
    })
}

/// Writes a ClosingError completion for a request to an unknown handle.
fn closed_record(req: &[u8], out: &mut [u8]) -> u32 {
    let id = crate::request::Reader::new(req).id().unwrap_or(0);
    let mut rec = Vec::new();
    crate::reply::encode_completion(&mut rec, id, &Err(Failure::closing()));
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
    guard(0, || match CLIENTS.get(handle).as_deref() {
        Some(Client::Sync(c)) => c.lock().unwrap_or_else(|p| p.into_inner()).take(out),
        _ => 0,
    })
}

/// Closes a client and frees its handle. Idempotent.
#[no_mangle]
pub extern "C" fn glide_close(handle: u32) {
    guard((), || match CLIENTS.remove(handle).as_deref() {
        Some(Client::Async(c)) => c.close(),
        Some(Client::Sync(c)) => c.lock().unwrap_or_else(|p| p.into_inner()).close(),
        None => {}
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
