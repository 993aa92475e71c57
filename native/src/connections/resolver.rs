//! GLIDE's `addressResolver`: a JS function `(host, port) => [host, port]` that every connection
//! of a client asks before it dials, for the seed addresses and for every node a cluster's
//! topology names (the client's own connections in dial.rs, the `redis` crate's in
//! guarded.rs). It can map the addresses a cluster announces to ones this host reaches (a NAT, a
//! tunnel, a container network).
//!
//! No core thread ever calls into JS, so a question goes where JS will answer it:
//! - an async client's go to its isolate's completion queue as message records of kind
//!   `resolve` (`[token, host, port]`, for the resolver's id); JS answers with
//!   `glide_resolver_answer`;
//! - a sync client's are answered on the calling thread, while it waits inside one of its
//!   calls: the waiting call runs [`Resolver::serve`], which calls the JS function (a
//!   `Deno.UnsafeCallback`) synchronously, as a sort comparator is called.
//!
//! An answer that does not come within the connection timeout (JS is busy, or idle with no call
//! running), a function that throws or answers nonsense: the connection uses the address the
//! function last gave for it, or the address as given. Resolution never fails a connection.

use redis::{PushInfo, PushKind, Value};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

/// The sync client's JS function: (host, its length, port, out, its capacity) -> bytes written
/// in `out` (the port as u16 little-endian, then the host), 0 to keep the address as given.
pub type Callback = unsafe extern "C" fn(*const u8, u32, u32, *mut u8, u32) -> u32;

/// JS's answer: an address, or `None` to keep the one given.
type Answer = oneshot::Sender<Option<(String, u16)>>;

/// Where questions go.
enum Ask {
    /// Records in an isolate's queue, answered later by token.
    Queue {
        queue: Arc<crate::boundary::completions::Queue>,
        waiting: Mutex<HashMap<u32, Answer>>,
        next: AtomicU32,
    },
    /// A function called on the calling thread by [`Resolver::serve`]; `None` once freed.
    Caller {
        callback: Mutex<Option<Callback>>,
        questions: Mutex<VecDeque<(String, u16, Answer)>>,
        asked: Notify,
    },
}

/// One client's address resolver.
pub struct Resolver {
    /// Its id across the boundary (the `handle` of its records).
    id: AtomicU32,
    ask: Ask,
    /// The last answer for each address, for when no answer comes in time.
    last: Mutex<HashMap<(String, u16), (String, u16)>>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resolver")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Resolver {
    /// A resolver whose questions go to `queue` as records.
    pub fn queued(queue: Arc<crate::boundary::completions::Queue>) -> Self {
        Self::with(Ask::Queue {
            queue,
            waiting: Mutex::default(),
            next: AtomicU32::new(0),
        })
    }

    /// A resolver answered by `callback` on the calling thread.
    pub fn calling(callback: Callback) -> Self {
        Self::with(Ask::Caller {
            callback: Mutex::new(Some(callback)),
            questions: Mutex::default(),
            asked: Notify::new(),
        })
    }

    fn with(ask: Ask) -> Self {
        Resolver {
            id: AtomicU32::new(0),
            ask,
            last: Mutex::default(),
        }
    }

    /// Tells the resolver its id (known once it is registered).
    pub fn set_id(&self, id: u32) {
        self.id.store(id, Ordering::Release);
    }

    /// The address to dial for `host:port`, waiting at most `limit` for JS's answer.
    pub async fn resolve(&self, host: &str, port: u16, limit: Duration) -> (String, u16) {
        let key = (host.to_owned(), port);
        let (tx, rx) = oneshot::channel();
        match &self.ask {
            Ask::Queue {
                queue,
                waiting,
                next,
            } => {
                let token = next.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
                lock(waiting).insert(token, tx);
                queue.push_message(
                    self.id.load(Ordering::Acquire),
                    &PushInfo {
                        kind: PushKind::Other("resolve".into()),
                        data: vec![
                            Value::Int(i64::from(token)),
                            Value::BulkString(host.as_bytes().to_vec()),
                            Value::Int(i64::from(port)),
                        ],
                    },
                );
                let answer = tokio::time::timeout(limit, rx).await;
                lock(waiting).remove(&token);
                self.settle(key, answer.ok().and_then(Result::ok))
            }
            Ask::Caller {
                questions, asked, ..
            } => {
                lock(questions).push_back((host.to_owned(), port, tx));
                asked.notify_one();
                let answer = tokio::time::timeout(limit, rx).await;
                self.settle(key, answer.ok().and_then(Result::ok))
            }
        }
    }

    /// Records `answer` for `key`; with no answer in time, the last one, or the address itself.
    fn settle(&self, key: (String, u16), answer: Option<Option<(String, u16)>>) -> (String, u16) {
        let mut last = lock(&self.last);
        match answer {
            Some(Some(a)) => {
                last.insert(key, a.clone());
                a
            }
            Some(None) => key,
            None => {
                crate::connections::logger::event(
                    crate::connections::logger::WARN,
                    "address_resolver",
                    || {
                        format!(
                            "no answer for {}:{}; using the last or given one",
                            key.0, key.1
                        )
                    },
                );
                last.get(&key).cloned().unwrap_or(key)
            }
        }
    }

    /// JS's answer to question `token` (a queued resolver's); `None` keeps the address.
    pub fn answer(&self, token: u32, answer: Option<(String, u16)>) {
        if let Ask::Queue { waiting, .. } = &self.ask {
            if let Some(tx) = lock(waiting).remove(&token) {
                let _ = tx.send(answer);
            }
        }
    }

    /// Answers the questions asked so far (a calling resolver's), on the calling thread, then
    /// waits for more: never ends. Run beside the work a sync call waits for.
    pub async fn serve(&self) {
        let Ask::Caller {
            callback,
            questions,
            asked,
        } = &self.ask
        else {
            return std::future::pending().await;
        };
        loop {
            asked.notified().await;
            loop {
                let next = lock(questions).pop_front();
                let Some((host, port, tx)) = next else {
                    break;
                };
                let f = *lock(callback);
                let answer = f.and_then(|f| call(f, &host, port));
                let _ = tx.send(answer);
            }
        }
    }

    /// Stops calling into JS (its function is about to be closed); waiting questions keep
    /// their addresses.
    pub fn free(&self) {
        match &self.ask {
            Ask::Queue { waiting, .. } => lock(waiting).clear(),
            Ask::Caller {
                callback,
                questions,
                ..
            } => {
                *lock(callback) = None;
                lock(questions).clear();
            }
        }
    }
}

/// Calls the JS function; `None` when it keeps the address.
fn call(f: Callback, host: &str, port: u16) -> Option<(String, u16)> {
    let mut out = [0u8; 2 + 1024];
    // SAFETY: `f` is the live callback JS registered (freed only by `Resolver::free`, on this
    // same thread, before JS closes it); the pointers are valid for the lengths given.
    let n = unsafe {
        f(
            host.as_ptr(),
            host.len() as u32,
            u32::from(port),
            out.as_mut_ptr(),
            out.len() as u32,
        )
    } as usize;
    decode_answer(out.get(..n)?)
}

/// An answer as JS writes it: the port (u16 little-endian), then the host's UTF-8.
pub fn decode_answer(bytes: &[u8]) -> Option<(String, u16)> {
    if bytes.len() < 3 {
        return None;
    }
    let port = u16::from_le_bytes([bytes[0], bytes[1]]);
    let host = std::str::from_utf8(&bytes[2..]).ok()?;
    (port != 0).then(|| (host.to_owned(), port))
}

/// `work`, while answering `resolver`'s questions on this thread (a sync client's wait).
pub async fn serving<F: Future>(resolver: Option<&Resolver>, work: F) -> F::Output {
    match resolver {
        None => work.await,
        Some(r) => {
            tokio::select! {
                biased;
                out = work => out,
                _ = r.serve() => unreachable!("serve never ends"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_decode_or_keep_the_address() {
        let mut a = 6380u16.to_le_bytes().to_vec();
        a.extend_from_slice(b"10.0.0.5");
        assert_eq!(decode_answer(&a), Some(("10.0.0.5".into(), 6380)));
        assert_eq!(decode_answer(&[0, 0, b'h']), None);
        assert_eq!(decode_answer(&[1, 0]), None);
        assert_eq!(decode_answer(&[1, 0, 0xff]), None);
    }

    unsafe extern "C" fn shift(
        host: *const u8,
        len: u32,
        port: u32,
        out: *mut u8,
        cap: u32,
    ) -> u32 {
        let host = std::slice::from_raw_parts(host, len as usize);
        let out = std::slice::from_raw_parts_mut(out, cap as usize);
        out[..2].copy_from_slice(&((port + 1) as u16).to_le_bytes());
        out[2..2 + host.len()].copy_from_slice(host);
        2 + len
    }

    #[tokio::test]
    async fn a_caller_answers_while_it_serves_and_the_last_answer_stays() {
        let r = Resolver::calling(shift);
        let got = serving(Some(&r), r.resolve("a", 7, Duration::from_secs(1))).await;
        assert_eq!(got, ("a".into(), 8));
        // Nobody serves: the last answer for the address.
        assert_eq!(
            r.resolve("a", 7, Duration::from_millis(10)).await,
            ("a".into(), 8)
        );
        assert_eq!(
            r.resolve("b", 7, Duration::from_millis(10)).await,
            ("b".into(), 7)
        );
        r.free();
        let got = serving(Some(&r), r.resolve("c", 1, Duration::from_secs(1))).await;
        assert_eq!(got, ("c".into(), 1));
    }
}
