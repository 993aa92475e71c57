//! The wake-up sockets' listener (see [`crate::boundary::wakeup`]): a thread of its own accepts loopback
//! connections, reads each one's hello (a queue id and that queue's secret) and hands the socket
//! to the queue it names, or drops it.

use crate::boundary::isolates;
use crate::boundary::wakeup::HELLO_LEN;
use std::io::Read;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

/// How long a connection may take to say hello. JS writes it right after connecting, over
/// loopback; the listener reads hellos one at a time on its own thread (no thread, and so no
/// allocator arena, per connection), so a peer that connects and stays silent holds up the
/// others for at most this long.
const HELLO_TIMEOUT: Duration = Duration::from_millis(500);

static PORT: OnceLock<u16> = OnceLock::new();

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::wakeup::READY;
    use std::io::Write;

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
        q.push(
            1,
            Ok(crate::protocol::reply::Reply::Value(redis::Value::Okay)),
        );
        q.push(
            2,
            Ok(crate::protocol::reply::Reply::Value(redis::Value::Okay)),
        );
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
