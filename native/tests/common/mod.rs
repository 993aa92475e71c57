//! Helpers for driving the C ABI from tests: request encoding, a completion collector (each test
//! thread opens a completion queue of its own, as an isolate does; completions are sorted by
//! request id), and a decoder for the value format of `native/ABI.md`.

#![allow(dead_code)]

use glide_deno::boundary::ffi;
use glide_deno::proto::{ConnectionRequest, NodeAddress};
use prost::Message;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const REQUEST_ERROR: u8 = 1;
pub const TIMEOUT: u8 = 2;
pub const CONNECTION: u8 = 3;
pub const CLOSING: u8 = 4;
pub const EXEC_ABORT: u8 = 5;
pub const CONFIGURATION: u8 = 6;
pub const NO_TIMEOUT: u32 = u32::MAX;

/// A decoded value.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Nil,
    Int(i64),
    Double(f64),
    Bool(bool),
    Bulk(Vec<u8>),
    Simple(String),
    Verbatim(String, String),
    Big(String),
    Array(Vec<V>),
    Map(Vec<(V, V)>),
    Set(Vec<V>),
    Push(String, Vec<V>),
    Error(String),
    Okay,
    PerNode(Vec<(String, V)>),
}

/// A decoded completion: a value, or an error status and message.
pub type Outcome = Result<V, (u8, String)>;

/// The `host:port` of the server under test, from `GLIDE_TEST_STANDALONE`; `None` skips.
pub fn server() -> Option<(String, u16)> {
    let v = std::env::var("GLIDE_TEST_STANDALONE").ok()?;
    let (host, port) = v.rsplit_once(':')?;
    assert!(
        host == "127.0.0.1" || host == "localhost" || host == "::1",
        "tests only talk to loopback"
    );
    Some((host.to_string(), port.parse().ok()?))
}

pub fn config(host: &str, port: u16, f: impl FnOnce(&mut ConnectionRequest)) -> Vec<u8> {
    let mut req = ConnectionRequest {
        addresses: vec![NodeAddress {
            host: host.into(),
            port: port as u32,
        }],
        ..Default::default()
    };
    f(&mut req);
    req.encode_to_vec()
}

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// A request id unique in this process.
pub fn id() -> u32 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Appends one request record (route 0).
pub fn record(out: &mut Vec<u8>, id: u32, timeout_ms: u32, args: &[&[u8]]) {
    record_routed(out, id, timeout_ms, &[0], args)
}

/// Appends one request record with the given route bytes.
pub fn record_routed(out: &mut Vec<u8>, id: u32, timeout_ms: u32, route: &[u8], args: &[&[u8]]) {
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&timeout_ms.to_le_bytes());
    out.push(0);
    out.extend_from_slice(route);
    out.extend_from_slice(&(args.len() as u32).to_le_bytes());
    for a in args {
        out.extend_from_slice(&(a.len() as u32).to_le_bytes());
        out.extend_from_slice(a);
    }
}

/// `glide_last_error` of this thread.
pub fn last_error() -> (u8, String) {
    let mut buf = vec![0u8; 4096];
    let n = unsafe { ffi::glide_last_error(buf.as_mut_ptr(), buf.len() as u32) } as usize;
    assert!(n >= 1, "no last error");
    (buf[0], String::from_utf8_lossy(&buf[1..n]).into_owned())
}

thread_local! {
    static QUEUE: u32 = ffi::glide_queue_open();
}

/// The calling thread's completion queue (opened on first use, closed when the thread ends).
pub fn queue() -> u32 {
    QUEUE.with(|q| *q)
}

/// Creates an async client; returns its handle and the id of its create completion.
pub fn async_create(cfg: &[u8]) -> (u32, u32) {
    let req = id();
    let h = unsafe { ffi::glide_async_create(queue(), cfg.as_ptr(), cfg.len() as u32, req) };
    (h, req)
}

/// Submits records to an async client.
pub fn submit(handle: u32, buf: &[u8]) {
    let rc = unsafe { ffi::glide_submit(queue(), handle, buf.as_ptr(), buf.len() as u32) };
    assert_eq!(rc, 0);
}

/// Submits one command and waits for its completion.
pub fn call(handle: u32, timeout_ms: u32, args: &[&[u8]]) -> Outcome {
    let i = id();
    let mut buf = Vec::new();
    record(&mut buf, i, timeout_ms, args);
    submit(handle, &buf);
    completion(i, Duration::from_secs(10)).expect("no completion within 10 s")
}

thread_local! {
    /// Completions drained while waiting for another one.
    static RECORDS: Mutex<Vec<(u32, Vec<u8>, Instant)>> = const { Mutex::new(Vec::new()) };
}

/// Waits for the completion of request `id`, draining (and keeping) everyone else's.
pub fn completion(id: u32, within: Duration) -> Option<Outcome> {
    completion_at(id, within).map(|(o, _)| o)
}

/// Like [`completion`], with the instant the record was drained.
pub fn completion_at(id: u32, within: Duration) -> Option<(Outcome, Instant)> {
    let deadline = Instant::now() + within;
    let mut out = vec![0u8; 1 << 16];
    loop {
        let found = RECORDS.with(|records| {
            let mut records = records.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                let n = unsafe { ffi::glide_drain(queue(), out.as_mut_ptr(), out.len() as u32) };
                if n == 0 {
                    break;
                }
                if n & 0x8000_0000 != 0 {
                    out.resize((n & 0x7fff_ffff) as usize, 0);
                    continue;
                }
                let now = Instant::now();
                let mut pos = 0;
                let n = n as usize;
                while pos < n {
                    let body = u32::from_le_bytes(out[pos..pos + 4].try_into().unwrap()) as usize;
                    let rid = u32::from_le_bytes(out[pos + 4..pos + 8].try_into().unwrap());
                    records.push((rid, out[pos + 8..pos + 4 + body].to_vec(), now));
                    pos += 4 + body;
                }
                assert_eq!(pos, n, "records must fill the drained bytes exactly");
            }
            let i = records.iter().position(|r| r.0 == id)?;
            let (_, body, at) = records.swap_remove(i);
            Some((decode_outcome(&body), at))
        });
        if found.is_some() {
            return found;
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Decodes `[status][value | u32 len + message]`, checking that nothing is left over.
pub fn decode_outcome(body: &[u8]) -> Outcome {
    let mut r = Cursor { b: body, p: 1 };
    let out = match body[0] {
        0 => Ok(r.value()),
        status => Err((status, String::from_utf8(r.bytes().to_vec()).unwrap())),
    };
    assert_eq!(r.p, body.len(), "trailing bytes in a completion record");
    out
}

/// Decodes one whole sync completion record, checking its id.
pub fn decode_record(rec: &[u8], id: u32) -> Outcome {
    let body = u32::from_le_bytes(rec[0..4].try_into().unwrap()) as usize;
    assert_eq!(body + 4, rec.len());
    assert_eq!(u32::from_le_bytes(rec[4..8].try_into().unwrap()), id);
    decode_outcome(&rec[8..])
}

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        s
    }
    fn u32(&mut self) -> usize {
        u32::from_le_bytes(self.take(4).try_into().unwrap()) as usize
    }
    fn bytes(&mut self) -> &[u8] {
        let n = self.u32();
        self.take(n)
    }
    fn string(&mut self) -> String {
        String::from_utf8(self.bytes().to_vec()).unwrap()
    }
    fn list(&mut self) -> Vec<V> {
        let n = self.u32();
        (0..n).map(|_| self.value()).collect()
    }
    fn value(&mut self) -> V {
        let tag = self.take(1)[0];
        match tag {
            0 => V::Nil,
            1 => V::Int(i64::from_le_bytes(self.take(8).try_into().unwrap())),
            2 => V::Double(f64::from_le_bytes(self.take(8).try_into().unwrap())),
            3 => V::Bool(self.take(1)[0] != 0),
            4 => V::Bulk(self.bytes().to_vec()),
            5 => V::Simple(self.string()),
            6 => {
                let format = self.string();
                V::Verbatim(format, self.string())
            }
            7 => V::Big(self.string()),
            8 => V::Array(self.list()),
            9 => {
                let n = self.u32();
                V::Map((0..n).map(|_| (self.value(), self.value())).collect())
            }
            10 => V::Set(self.list()),
            11 => {
                let kind = self.string();
                V::Push(kind, self.list())
            }
            12 => V::Error(self.string()),
            13 => V::Okay,
            14 => {
                let n = self.u32();
                V::PerNode((0..n).map(|_| (self.string(), self.value())).collect())
            }
            t => panic!("unknown tag {t}"),
        }
    }
}

/// Sync client: runs one command, taking the record through `glide_sync_take` if it is larger
/// than `cap`.
pub fn sync_call(handle: u32, cap: usize, timeout_ms: u32, args: &[&[u8]]) -> Outcome {
    let i = id();
    let mut req = Vec::new();
    record(&mut req, i, timeout_ms, args);
    let mut out = vec![0u8; cap];
    let n = unsafe {
        ffi::glide_sync_command(
            handle,
            req.as_ptr(),
            req.len() as u32,
            out.as_mut_ptr(),
            out.len() as u32,
        )
    } as usize;
    if n > cap {
        out = vec![0u8; n];
        let m = unsafe { ffi::glide_sync_take(handle, out.as_mut_ptr(), out.len() as u32) };
        assert_eq!(m as usize, n);
    }
    decode_record(&out[..n], i)
}

pub fn sync_create(cfg: &[u8]) -> u32 {
    unsafe { ffi::glide_sync_create(queue(), cfg.as_ptr(), cfg.len() as u32) }
}

/// A loopback port with nothing listening on it.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

pub fn ok(o: Outcome) -> V {
    match o {
        Ok(v) => v,
        Err((s, m)) => panic!("expected a value, got status {s}: {m}"),
    }
}

pub fn err(o: Outcome) -> (u8, String) {
    match o {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

/// Every byte value, twice.
pub fn all_bytes() -> Vec<u8> {
    (0..512u32).map(|i| (i % 256) as u8).collect()
}
