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
//! A byte is written only when the queue goes from drained to non-empty after JS found it empty
//! ([`crate::completions::Queue`]'s `armed` flag), so a burst of completions costs one write.
//! When the isolate ends, its queue closes and drops the socket: JS's read ends with EOF.

use crate::isolates;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

/// What JS sends first: the queue id (u32 LE) then the queue's secret (16 bytes).
const HELLO_LEN: usize = 20;

/// What the core answers once the socket is the queue's: JS switches to it after reading this.
pub const READY: u8 = 0xA5;

/// How long a connection may take to say hello. JS writes it right after connecting, over
/// loopback; the listener reads hellos one at a time on its own thread (no thread, and so no
/// allocator arena, per connection), so a peer that connects and stays silent holds up the
/// others for at most this long.
const HELLO_TIMEOUT: Duration = Duration::from_millis(500);

static PORT: OnceLock<u16> = OnceLock::new();

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

/// The listener's port, starting it on first use (0 if it cannot listen).
pub fn port() -> u16 {
    *PORT.get_or_init(|| {
        let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)) else {
            return 0;
        };
        let Ok(addr) = listener.local_addr() else {
            return 0;
        };
        let started = std::thread::Builder::new()
            .name("glide-deno-wakeup".into())
            .spawn(move || accept(listener));
        if started.is_err() {
            return 0;
        }
        addr.port()
    })
}

fn accept(listener: TcpListener) {
    for stream in listener.incoming().flatten() {
        hello(stream);
    }
}

/// Reads a connection's hello and hands it to its queue, or drops it.
fn hello(mut stream: TcpStream) {
    let mut msg = [0u8; HELLO_LEN];
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    if stream.read_exact(&mut msg).is_err() {
        return;
    }
    let id = u32::from_le_bytes([msg[0], msg[1], msg[2], msg[3]]);
    let Some(queue) = isolates::queue_from_any_thread(id) else {
        return;
    };
    if !queue.secret_matches(&msg[4..]) {
        return;
    }
    let _ = stream.set_nodelay(true);
    queue.set_wakeup(stream);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_is_woken_through_its_socket() {
        let id = isolates::open_queue();
        let q = isolates::queue(id).unwrap();
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port())).unwrap();
        let mut hello = id.to_le_bytes().to_vec();
        hello.extend_from_slice(&q.secret());
        s.write_all(&hello).unwrap();
        let mut b = [0u8; 1];
        s.read_exact(&mut b).unwrap();
        assert_eq!(b[0], READY);
        assert_eq!(q.drain(&mut [0u8; 64]), 0); // JS found it empty: armed
        q.push(1, Ok(crate::reply::Reply::Value(redis::Value::Okay)));
        q.push(2, Ok(crate::reply::Reply::Value(redis::Value::Okay)));
        s.read_exact(&mut b).unwrap();
        assert_eq!(b[0], 1);
        assert_eq!(q.drain(&mut [0u8; 64]), 20);
        isolates::close_queue(id);
        assert_eq!(s.read(&mut b).unwrap(), 0); // EOF: the queue is gone
    }

    #[test]
    fn a_wrong_secret_is_refused() {
        let id = isolates::open_queue();
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port())).unwrap();
        let mut hello = id.to_le_bytes().to_vec();
        hello.extend_from_slice(&[0u8; 16]);
        s.write_all(&hello).unwrap();
        let mut b = [0u8; 1];
        assert_eq!(s.read(&mut b).unwrap(), 0);
        isolates::close_queue(id);
    }
}
