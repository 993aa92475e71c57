//! The write half of a plain TCP connection, shared between the connection's writer task and
//! the caller that hands commands over: a command handed to an idle connection (nothing
//! awaiting a reply, nothing waiting to be written) can be written by the caller at once (see
//! [`crate::connections::pipe::Pipe::start_tcp`]); anything else piles up for the writer, which writes it in
//! one go.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::AsyncWrite;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;

/// A shared write half (cheap to clone). Dropping the last clone shuts the write side down.
#[derive(Clone)]
pub struct TcpOut(Arc<OwnedWriteHalf>);

impl TcpOut {
    pub fn new(half: OwnedWriteHalf) -> Self {
        TcpOut(Arc::new(half))
    }

    fn stream(&self) -> &TcpStream {
        (*self.0).as_ref()
    }

    /// Writes what the socket takes now, from any thread, without waiting: the count of bytes
    /// written (`WouldBlock` when it takes none).
    pub fn write_now(&self, buf: &[u8]) -> io::Result<usize> {
        self.stream().try_write(buf)
    }
}

impl AsyncWrite for TcpOut {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.stream().poll_write_ready(cx))?;
            match self.stream().try_write(buf) {
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
