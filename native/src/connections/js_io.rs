//! Connections whose socket an isolate's event loop owns: for an async client in an isolate that
//! asked for it (`glide_io_enable`), each plain-TCP connection, once its handshake is done, is
//! handed to JS, which adopts the socket (`node:net`'s `Socket({ fd })`), writes the bytes its
//! commands were encoded into, and feeds back what it reads. A reply then costs one wake-up,
//! the event loop's own, instead of two (the I/O thread's, then the isolate's): the core's
//! parser, ordering and completions run on the isolate's thread, inside the FFI calls.
//!
//! JS learns of them by message records in its queue (request id 0, a push of kind):
//! - `glide-io-socket [id]`: a connection to adopt; its socket is claimed with `glide_io_adopt`.
//! - `glide-io-write [id]`: bytes were handed over by another thread; JS takes them after the
//!   drain.
//! - `glide-io-close [id]`: the connection ended (the client closed, a replaced connection
//!   drained, a protocol violation): JS destroys the socket and releases it (`glide_io_release`).
//!
//! Order holds as on any connection: bytes are taken (`glide_io_flush`) in the order they were
//! handed over, and JS writes them in that order on the one socket.

use crate::boundary::completions::Queue;
use crate::boundary::on_js::OnJs;
use crate::connections::pipe::{external_record, Pipe};
use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::{Mutex, MutexGuard, OnceLock};

struct Entry {
    pipe: Pipe,
    /// The socket until JS claims it; closed here if the connection ends first.
    socket: Option<TcpStream>,
}

fn table() -> MutexGuard<'static, HashMap<u32, Entry>> {
    static TABLE: OnceLock<Mutex<HashMap<u32, Entry>>> = OnceLock::new();
    TABLE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Hands connection `pipe` (its socket) to `queue`'s isolate; forgets the connections that
/// ended without JS releasing them (their isolate ended).
pub fn register(pipe: &Pipe, queue: &Queue, socket: TcpStream) {
    let Some(id) = pipe.io_id() else {
        return;
    };
    {
        let mut t = table();
        t.retain(|_, e| !e.pipe.ended());
        t.insert(
            id,
            Entry {
                pipe: pipe.clone(),
                socket: Some(socket),
            },
        );
    }
    external_record(queue, "glide-io-socket", id);
}

/// Gives JS connection `id`'s socket: its file descriptor, which JS owns (and closes) from now
/// on; -1 if the connection is gone or the socket was claimed already.
pub fn adopt(id: u32) -> i64 {
    let socket = table().get_mut(&id).and_then(|e| e.socket.take());
    match socket {
        #[cfg(unix)]
        Some(s) => {
            use std::os::fd::IntoRawFd;
            s.into_raw_fd().into()
        }
        #[cfg(not(unix))]
        Some(_) => -1,
        None => -1,
    }
}

/// JS is done with connection `id` (it ended): forgets it, closing its socket if JS never
/// claimed it.
pub fn release(id: u32) {
    let entry = table().remove(&id);
    drop(entry);
}

fn pipe(id: u32) -> Option<Pipe> {
    table().get(&id).map(|e| e.pipe.clone())
}

/// JS read `bytes` from connection `id`'s socket.
pub fn feed(id: u32, bytes: &[u8]) {
    if let Some(p) = pipe(id) {
        let _js = OnJs::enter();
        p.absorb(bytes);
    }
}

/// JS saw connection `id`'s socket end.
pub fn socket_ended(id: u32, why: &str) {
    if let Some(p) = pipe(id) {
        p.socket_ended(why);
    }
}

/// Appends the bytes each of `queue`'s connections has to write, as records (id u32, length
/// u32, bytes), to `out`.
pub fn flush(queue: &Queue, out: &mut Vec<u8>) {
    for id in queue.js_io_take() {
        let Some(p) = pipe(id) else {
            continue;
        };
        let at = out.len();
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        match p.take_out_into(out) as u32 {
            0 => out.truncate(at),
            n => out[at + 4..at + 8].copy_from_slice(&n.to_le_bytes()),
        }
    }
}
