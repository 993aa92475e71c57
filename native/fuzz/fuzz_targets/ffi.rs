//! The exported `extern "C"` functions (native/ABI.md) that take buffers and need no live server:
//! requests to handles that do not exist (`glide_sync_command`, `glide_submit` + `glide_drain`,
//! `glide_sync_take`, `glide_close`), creates with configurations that do not decode, and
//! `glide_last_error`, each with an output buffer of a fuzzed size. No call may panic (the panic
//! hook of libfuzzer-sys aborts even on a panic that `catch_unwind` would have caught), and what
//! comes back must be well formed.
//!
//! Input: `[op u8][cap u16][handle u32][payload...]`. No client is ever created, so every handle is
//! unknown. A payload that decodes to valid settings is never passed to a create function: that
//! would connect to whatever address it names.
#![no_main]

use glide_deno::config::Settings;
use glide_deno::ffi::{
    glide_async_create, glide_close, glide_drain, glide_last_error, glide_queue_open,
    glide_submit, glide_sync_command, glide_sync_create, glide_sync_take,
};
use libfuzzer_sys::fuzz_target;

const CLOSING: u8 = 4;
const CONFIGURATION: u8 = 6;
const TOO_SMALL: u32 = 0x8000_0000;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// The request id of the first record, as the core reads it (0 if it has none).
fn first_id(req: &[u8]) -> u32 {
    glide_deno::request::Reader::new(req).id().unwrap_or(0)
}

/// Checks one ClosingError completion record for `id`.
fn check_closing(rec: &[u8], id: u32) {
    assert!(rec.len() >= 13, "completion record too short: {rec:?}");
    assert_eq!(u32_at(rec, 0) as usize, rec.len() - 4, "body_len");
    assert_eq!(u32_at(rec, 4), id, "req_id");
    assert_eq!(rec[8], CLOSING, "status");
    assert_eq!(u32_at(rec, 9) as usize, rec.len() - 13, "message length");
}

/// Checks that the last create error is a ConfigurationError, not an internal error.
fn check_last_error(cap: usize) {
    let mut out = vec![0u8; cap];
    let n = unsafe { glide_last_error(out.as_mut_ptr(), cap as u32) } as usize;
    assert!(n <= cap);
    if cap > 0 {
        assert!(n >= 1, "no last error after a failed create");
        assert_eq!(out[0], CONFIGURATION, "{:?}", String::from_utf8_lossy(&out[1..n]));
        assert!(!out[1..n].starts_with(b"internal error"));
    }
}

thread_local! {
    /// This thread's completion queue, as an isolate opens one.
    static QUEUE: u32 = glide_queue_open();
}

fuzz_target!(|data: &[u8]| {
    let queue = QUEUE.with(|q| *q);
    if data.len() < 7 {
        return;
    }
    let op = data[0] % 6;
    let cap = u16::from_le_bytes([data[1], data[2]]) as usize;
    let handle = u32_at(data, 3);
    let payload = &data[7..];
    let mut out = vec![0u8; cap];
    unsafe {
        match op {
            0 => {
                let n = glide_sync_command(
                    handle,
                    payload.as_ptr(),
                    payload.len() as u32,
                    out.as_mut_ptr(),
                    cap as u32,
                ) as usize;
                assert!(n >= 13, "glide_sync_command returned {n}");
                if n <= cap {
                    check_closing(&out[..n], first_id(payload));
                }
                // The unknown handle keeps no record.
                assert_eq!(glide_sync_take(handle, out.as_mut_ptr(), cap as u32), 0);
            }
            1 => {
                assert_eq!(glide_submit(queue, handle, payload.as_ptr(), payload.len() as u32), 0);
                // Drain everything it queued, through a buffer of the fuzzed size, growing it
                // when a record does not fit.
                let mut records = 0usize;
                loop {
                    let n = glide_drain(queue, out.as_mut_ptr(), out.len() as u32);
                    if n == 0 {
                        break;
                    }
                    if n & TOO_SMALL != 0 {
                        let need = (n & !TOO_SMALL) as usize;
                        assert!(need > out.len(), "drain: {need} does not fit {}", out.len());
                        out.resize(need, 0);
                        continue;
                    }
                    let n = n as usize;
                    assert!(n <= out.len());
                    let mut at = 0;
                    while at < n {
                        let len = u32_at(&out, at) as usize + 4;
                        check_closing(&out[at..at + len], u32_at(&out, at + 4));
                        at += len;
                        records += 1;
                    }
                    assert_eq!(at, n);
                }
                // One completion per request id read; none for an empty buffer.
                assert!(payload.len() >= 4 || records == 0);
                assert!(payload.len() < 4 || records >= 1);
            }
            2 | 3 => {
                if Settings::decode(payload).is_ok() {
                    return;
                }
                let h = if op == 2 {
                    glide_async_create(queue, payload.as_ptr(), payload.len() as u32, handle)
                } else {
                    glide_sync_create(queue, payload.as_ptr(), payload.len() as u32)
                };
                assert_eq!(h, 0, "a create with a bad configuration returned a handle");
                check_last_error(cap);
            }
            4 => {
                assert_eq!(glide_sync_take(handle, out.as_mut_ptr(), cap as u32), 0);
                glide_close(handle);
                glide_close(handle);
            }
            _ => {
                let n = glide_last_error(out.as_mut_ptr(), cap as u32) as usize;
                assert!(n <= cap);
            }
        }
    }
});
