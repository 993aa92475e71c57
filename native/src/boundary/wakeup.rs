//! Wake-up sockets: the fast way for the core to tell an isolate that completions are ready.
//!
//! The long poll (`glide_wait_ready`) costs two thread hand-offs per wake-up: the core wakes a
//! thread of Deno's blocking pool, which then wakes the isolate's event loop. A socket costs one:
//! the I/O thread writes a byte, and the event loop, already waiting in epoll/kqueue/IOCP for its
//! own sockets, wakes to read it. So an isolate that may open loopback connections connects once
//! to the core's listener (`127.0.0.1`, an ephemeral port), names its queue and proves it owns it
//! with the queue's secret, and from then on keeps one read outstanding on that socket while it
//! has requests pending. Records still travel through the queue (drained by `glide_drain`); the
//! socket carries only wake-up bytes.
//!
//! The listener that hands sockets to their queues is in [`crate::boundary::wakeup_listener`].
//!
//! A byte is written only when the queue goes from drained to non-empty after JS found it empty
//! ([`crate::boundary::completions::Queue`]'s `armed` flag), so a burst of completions costs one write.
//! When the isolate ends, its queue closes and drops the socket: JS's read ends with EOF.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::net::TcpStream;

/// What JS sends first: the queue id (u32 LE) then the queue's secret (16 bytes).
pub const HELLO_LEN: usize = 20;

/// What the core answers once the socket is the queue's: JS switches to it after reading this.
pub const READY: u8 = 0xA5;

/// A queue's secret: 16 bytes no other process can guess (SipHash keys come from the OS).
pub fn new_secret() -> [u8; 16] {
    let mut out = [0u8; 16];
    for half in out.chunks_mut(8) {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(std::process::id() as u64);
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

/// Tells JS the socket is its queue's (written with the queue locked, so that no wake-up byte
/// can come first), and makes it nonblocking for the wake-up bytes; false if it is gone.
pub fn accept_socket(mut stream: &TcpStream) -> bool {
    stream.write_all(&[READY]).is_ok() && stream.set_nonblocking(true).is_ok()
}

/// Writes one wake-up byte; false if the socket is gone (JS closed it).
pub fn ring(stream: &TcpStream) -> bool {
    match (&*stream).write(&[1]) {
        Ok(_) => true,
        // Bytes JS has not read yet are enough to wake it.
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => true,
        Err(_) => false,
    }
}
