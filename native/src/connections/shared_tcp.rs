//! The socket of a plain TCP connection on a sync client's runtime, shared between the
//! connection's tasks and the calling thread: the caller writes its command and reads its reply
//! itself when it can (see `pipe/caller.rs`); the tasks do the rest while the caller drives the
//! runtime (calling_thread.rs).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::AsyncWrite;
use tokio::net::TcpStream;

/// A shared socket (cheap to clone). Dropping the last clone closes it.
#[derive(Clone)]
pub struct SharedTcp(Arc<TcpStream>);

impl SharedTcp {
    pub fn new(stream: TcpStream) -> Self {
        SharedTcp(Arc::new(stream))
    }

    pub fn stream(&self) -> &TcpStream {
        &self.0
    }

    /// Writes what the socket takes now, without waiting: the count of bytes written
    /// (`WouldBlock` when it takes none). A system call of its own, whatever the runtime last
    /// saw of the socket (the caller may not be driving it).
    #[cfg(unix)]
    pub fn write_now(&self, buf: &[u8]) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        // SAFETY: `buf` is valid for reads of its length for the duration of the call.
        let n = unsafe {
            libc::send(
                self.0.as_raw_fd(),
                buf.as_ptr().cast(),
                buf.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    #[cfg(not(unix))]
    pub fn write_now(&self, buf: &[u8]) -> io::Result<usize> {
        self.0.try_write(buf)
    }

    /// Appends what the socket holds now to `buf`, without waiting: the count of bytes read
    /// (0 at the end of the stream; `WouldBlock` when it holds none) and whether that filled the
    /// room there was (more may be waiting). A system call of its own, as
    /// [`SharedTcp::write_now`].
    #[cfg(unix)]
    pub fn read_now(&self, buf: &mut bytes::BytesMut) -> io::Result<(usize, bool)> {
        use std::os::fd::AsRawFd;
        buf.reserve(16 * 1024);
        let spare = buf.spare_capacity_mut();
        let room = spare.len();
        // SAFETY: `spare` is valid for writes of its length for the duration of the call, and
        // the `n` bytes the call wrote are initialised before the length covers them.
        let n = unsafe {
            libc::recv(
                self.0.as_raw_fd(),
                spare.as_mut_ptr().cast(),
                spare.len(),
                0,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let n = n as usize;
        unsafe { buf.set_len(buf.len() + n) };
        Ok((n, n == room))
    }

    #[cfg(not(unix))]
    pub fn read_now(&self, buf: &mut bytes::BytesMut) -> io::Result<(usize, bool)> {
        buf.reserve(16 * 1024);
        let room = buf.capacity() - buf.len();
        let n = self.0.try_read_buf(buf)?;
        Ok((n, n == room))
    }

    /// Waits until the socket (on the calling thread, outside any runtime) can be read, or
    /// written when `write`, or until `deadline`: false if the deadline passed first.
    pub fn wait(&self, write: bool, deadline: Option<std::time::Instant>) -> io::Result<bool> {
        wait_any(&[(self, write)], deadline)
    }
}

/// How long a caller keeps checking its sockets before it sleeps in `poll`. A thread that
/// sleeps is woken by the kernel when the reply comes, and on a virtual machine that wake-up
/// costs more than the loopback round trip itself (measured: a sync SET+GET took 198 us
/// sleeping, 59 us checking; the replies came within 35 us). A reply that takes longer costs
/// the thread this much CPU, once per request, then it sleeps as before.
#[cfg(unix)]
const SPIN: std::time::Duration = std::time::Duration::from_micros(100);

/// Waits until one of `sockets` can be read (or written, when its flag says so), on the calling
/// thread, outside any runtime, or until `deadline`: false if the deadline passed first. Checks
/// without sleeping for up to [`SPIN`] first.
#[cfg(unix)]
pub fn wait_any(
    sockets: &[(&SharedTcp, bool)],
    deadline: Option<std::time::Instant>,
) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut fds: Vec<libc::pollfd> = sockets
        .iter()
        .map(|(s, write)| libc::pollfd {
            fd: s.0.as_raw_fd(),
            events: libc::POLLIN | if *write { libc::POLLOUT } else { 0 },
            revents: 0,
        })
        .collect();
    let nfds = fds.len() as libc::nfds_t;
    let spin_until = std::time::Instant::now() + SPIN;
    let spin_until = deadline.map_or(spin_until, |d| d.min(spin_until));
    while std::time::Instant::now() < spin_until {
        // SAFETY: `fds` holds `nfds` valid pollfds for the duration of the call.
        if unsafe { libc::poll(fds.as_mut_ptr(), nfds, 0) } > 0 {
            return Ok(true);
        }
        std::hint::spin_loop();
    }
    loop {
        let timeout = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                // Rounded up: a deadline less than a millisecond away still waits for it.
                left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32
            }
        };
        // SAFETY: `fds` holds `nfds` valid pollfds for the duration of the call.
        match unsafe { libc::poll(fds.as_mut_ptr(), nfds, timeout) } {
            0 => continue, // the loop re-checks the deadline
            n if n > 0 => return Ok(true),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

/// Not available here: callers take the runtime's way.
#[cfg(not(unix))]
pub fn wait_any(
    _sockets: &[(&SharedTcp, bool)],
    _deadline: Option<std::time::Instant>,
) -> io::Result<bool> {
    Err(io::ErrorKind::Unsupported.into())
}

impl AsyncWrite for SharedTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.0.poll_write_ready(cx))?;
            match self.0.try_write(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                other => return Poll::Ready(other),
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
