//! A sync client's round trip on its calling thread, over its own socket ([`Pipe::call`]): the
//! caller reads what the server sent unasked (it answers nothing), hands its command to the
//! connection and writes it, then waits for the socket (`poll`) and reads and parses what comes
//! until its reply is there. No runtime, no task, no other thread: a request costs a read that
//! finds nothing, a write, a wait and a read. Anything else (a batch, a reconnection, a request
//! while the connection still has bytes to write) runs on the client's runtime, which the caller
//! drives while it waits (calling_thread.rs); the connection's tasks then read with the same
//! parser ([`super::Fed`]), so the replies complete the slots in order whoever reads them.

use super::{closed, slot, Pipe, To, Why};
use crate::connections::shared_tcp::{wait_any, SharedTcp};
use redis::{Cmd, RedisError, RedisResult, Value};
use std::cell::RefCell;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::oneshot::{self, error::TryRecvError};

thread_local! {
    /// While this thread drives a sync request itself ([`drive`]): the connections it was
    /// handed to.
    static HANDED: RefCell<Option<Vec<Pipe>>> = const { RefCell::new(None) };
}

/// Ends a [`drive`] on this thread when dropped.
struct Driving;

impl Drop for Driving {
    fn drop(&mut self) {
        HANDED.with(|h| *h.borrow_mut() = None);
    }
}

/// Runs `start`, which hands a sync client's request to its connections (a cluster request,
/// routed on this thread), then drives the connections it went to on this thread, outside any
/// runtime, as [`Pipe::call`] does, until `done` says the outcome is in: true. False, leaving
/// the rest to the client's runtime, once `deadline` passes (the runtime's timers end it) or
/// none of those connections awaits a reply the caller can read (the request went on through
/// the runtime: a redirect, a connection being made). Unix only: elsewhere the caller cannot
/// wait on sockets itself, and callers leave it all to the runtime.
pub fn drive(
    start: impl FnOnce(),
    deadline: Option<Instant>,
    mut done: impl FnMut() -> bool,
) -> bool {
    HANDED.with(|h| *h.borrow_mut() = Some(Vec::new()));
    let _driving = Driving;
    start();
    loop {
        if done() {
            return true;
        }
        let pipes = HANDED.with(|h| h.borrow().clone().unwrap_or_default());
        let mut sockets = Vec::with_capacity(pipes.len());
        for pipe in &pipes {
            if let Some(socket) = pipe.awaiting_caller() {
                let unwritten = pipe.write_rest(&socket);
                sockets.push((pipe, socket, unwritten));
            }
        }
        if sockets.is_empty() {
            return false;
        }
        let waits: Vec<(&SharedTcp, bool)> = sockets.iter().map(|(_, s, w)| (s, *w)).collect();
        if !matches!(wait_any(&waits, deadline), Ok(true)) {
            return false;
        }
        for (pipe, socket, _) in &sockets {
            let _ = pipe.read_now(socket);
        }
    }
}

impl Pipe {
    /// Sends `cmd` and reads its reply on the calling thread (which must not be driving a
    /// runtime): its reply, or an error that is a timeout once `deadline` has passed (its slot
    /// stays, to absorb a late reply). `None`, with nothing sent, unless the connection is a
    /// sync client's plain TCP one with nothing left to write.
    pub fn call(&self, cmd: &Cmd, deadline: Option<Instant>) -> Option<RedisResult<Value>> {
        let socket = {
            let s = self.shared.lock();
            if !cfg!(unix) || s.writing || !s.out.is_empty() || s.ended.is_some() {
                return None;
            }
            s.direct.clone()?
        };
        // What the server sent unasked is read before the command goes: it answers nothing.
        // (One read: a server that never stops sending cannot hold the caller here.)
        let _ = self.read_now(&socket);
        let (tx, mut rx) = oneshot::channel();
        self.hand_over(slot(To::Caller(tx), None, None), |out| {
            cmd.write_packed_command(out)
        });
        loop {
            match rx.try_recv() {
                Ok(outcome) => return Some(outcome),
                Err(TryRecvError::Closed) => return Some(Err(closed("it was closed"))),
                Err(TryRecvError::Empty) => {}
            }
            let unwritten = self.write_rest(&socket);
            match socket.wait(unwritten, deadline) {
                Ok(true) => {
                    let _ = self.read_now(&socket);
                }
                Ok(false) => {
                    return Some(Err(RedisError::from(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the request timed out",
                    ))))
                }
                Err(e) => self.shared.end(Why::Ended(e.to_string())),
            }
        }
    }

    /// Before a command is handed over while this thread drives its request ([`drive`]):
    /// notes the connection, to be driven, and, if it is idle, reads what its server sent
    /// unasked first (it answers nothing).
    pub(super) fn before_hand_over(&self) {
        if self.shared.fed.is_none() || self.shared.external.is_some() {
            return;
        }
        let noted = HANDED.with(|h| match h.borrow_mut().as_mut() {
            Some(list) => {
                if !list.iter().any(|p| Arc::ptr_eq(&p.shared, &self.shared)) {
                    list.push(self.clone());
                }
                true
            }
            None => false,
        });
        if !noted {
            return;
        }
        let socket = {
            let s = self.shared.lock();
            let idle = s.slots.is_empty() && s.out.is_empty() && !s.writing;
            s.direct.clone().filter(|_| idle)
        };
        if let Some(socket) = socket {
            let _ = self.read_now_unless_reading(&socket);
        }
    }

    /// The socket, if a caller awaits a reply on this connection and may write and read it
    /// itself (the writer task holds no bytes).
    fn awaiting_caller(&self) -> Option<SharedTcp> {
        let s = self.shared.lock();
        let awaits = s.slots.iter().any(|slot| !matches!(slot.to, To::Gone));
        if s.ended.is_some() || s.writing || !awaits {
            return None;
        }
        s.direct.clone()
    }

    /// Writes what is left of the bytes handed over, as far as the socket takes it now:
    /// whether some is left. (Never while the writer task holds bytes: they go first.)
    fn write_rest(&self, socket: &SharedTcp) -> bool {
        let mut s = self.shared.lock();
        if s.out.is_empty() || s.ended.is_some() || s.writing {
            return false;
        }
        match socket.write_now(&s.out) {
            Ok(n) => {
                s.out.drain(..n);
                if s.out.is_empty() {
                    s.written = s.handed;
                }
                !s.out.is_empty()
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => true,
            Err(e) => {
                drop(s);
                self.shared.end(Why::Ended(e.to_string()));
                false
            }
        }
    }

    /// Reads what the socket holds now and completes the slots its replies answer: whether
    /// the read filled the room it had (more may be waiting); `WouldBlock` if it held nothing;
    /// an error if the connection has ended.
    fn read_now(&self, socket: &SharedTcp) -> io::Result<bool> {
        let Some(fed) = &self.shared.fed else {
            return Err(io::ErrorKind::Unsupported.into());
        };
        let reader = fed.reader.lock().unwrap_or_else(|p| p.into_inner());
        self.read_with(fed, reader, socket)
    }

    /// [`Pipe::read_now`], unless the connection is being read already (by this thread: a
    /// reply's callback handed this command over; the bytes there are being taken anyway).
    fn read_now_unless_reading(&self, socket: &SharedTcp) -> io::Result<bool> {
        let Some(fed) = &self.shared.fed else {
            return Err(io::ErrorKind::Unsupported.into());
        };
        let reader = match fed.reader.try_lock() {
            Ok(reader) => reader,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(io::ErrorKind::WouldBlock.into())
            }
        };
        self.read_with(fed, reader, socket)
    }

    fn read_with(
        &self,
        fed: &super::Fed,
        mut reader: std::sync::MutexGuard<'_, super::Reader>,
        socket: &SharedTcp,
    ) -> io::Result<bool> {
        let failed = match reader.fill_now(socket) {
            Ok((0, _)) => io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ),
            Ok((_, filled)) => {
                // Replies answer the commands written before the read returned.
                let written = self.shared.lock().written;
                self.deliver_parsed(reader, written, &fed.tracking);
                return match self.shared.ended.load(Ordering::Acquire) {
                    false => Ok(filled),
                    true => Err(io::ErrorKind::NotConnected.into()),
                };
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(e),
            Err(e) => e,
        };
        drop(reader);
        let why = RedisError::from(io::Error::new(failed.kind(), failed.to_string()));
        self.shared.end(Why::Ended(why.to_string()));
        Err(failed)
    }
}

/// Reads a sync client's connection while the caller drives its runtime for something else.
pub(super) async fn read_loop(pipe: Pipe, socket: SharedTcp) {
    loop {
        if let Err(e) = socket.stream().readable().await {
            return pipe.shared.end(Why::Ended(e.to_string()));
        }
        // Through the runtime's record of the socket, so that finding nothing clears its
        // readiness (the caller's reads bypass that record).
        // A read that did not fill its room took all there was: the task then waits for the
        // socket again (as the runtime's own reads do), and more comes in bigger reads.
        let read = socket.stream().try_io(tokio::io::Interest::READABLE, || {
            match pipe.read_now(&socket)? {
                true => Ok(()),
                false => Err(io::ErrorKind::WouldBlock.into()),
            }
        });
        match read {
            Err(e) if e.kind() != io::ErrorKind::WouldBlock => return,
            // A server that never stops sending must not starve the runtime's other tasks
            // (the timers that end its callers' waits).
            _ => tokio::task::coop::consume_budget().await,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::connections::calling_thread::CallingThread;
    use crate::connections::pipe::Reader;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    /// Reads one command (a single read holds it whole here) and answers `reply`.
    fn answer(mut server: TcpStream, reply: &'static [u8]) -> std::thread::JoinHandle<TcpStream> {
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            let n = server.read(&mut buf).expect("a command");
            assert!(n > 0);
            server.write_all(reply).expect("written");
            server
        })
    }

    fn simple(s: &str) -> Value {
        Value::SimpleString(s.to_owned())
    }

    #[test]
    fn the_caller_gets_its_own_reply_never_an_unasked_or_late_one() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bound");
        let addr = listener.local_addr().expect("an address");
        let runtime = CallingThread::new(None).expect("a runtime");
        let (pipe, _tasks) = runtime.block_on(async {
            let tcp = tokio::net::TcpStream::connect(addr)
                .await
                .expect("connected");
            Pipe::start_tcp(tcp, Reader::default())
        });
        let (mut server, _) = listener.accept().expect("accepted");
        let soon = || Some(Instant::now() + Duration::from_secs(5));

        // Sent while the client is idle: it answers nothing.
        server.write_all(b"+unasked\r\n").expect("written");
        std::thread::sleep(Duration::from_millis(20));
        let server_side = answer(server, b"+mine\r\n");
        let got = pipe
            .call(&redis::cmd("PING"), soon())
            .expect("caller-driven");
        assert_eq!(got.expect("a reply"), simple("mine"));
        let mut server = server_side.join().expect("the server");

        // No answer in time: a timeout, and the command keeps its place.
        let at = Some(Instant::now() + Duration::from_millis(50));
        let got = pipe.call(&redis::cmd("PING"), at).expect("caller-driven");
        assert!(got.expect_err("timed out").is_timeout());
        let mut buf = [0u8; 256];
        assert!(server.read(&mut buf).expect("the command") > 0);

        // Its late reply completes its own slot, not the next caller's.
        server.write_all(b"+late\r\n").expect("written");
        let server_side = answer(server, b"+next\r\n");
        let got = pipe
            .call(&redis::cmd("PING"), soon())
            .expect("caller-driven");
        assert_eq!(got.expect("a reply"), simple("next"));
        let server = server_side.join().expect("the server");

        // The server goes away: the call fails at once, typed, instead of waiting.
        drop(server);
        let got = pipe.call(&redis::cmd("PING"), soon());
        match got {
            None => assert!(pipe.ended()),
            Some(outcome) => assert!(outcome.is_err()),
        }
    }
}
