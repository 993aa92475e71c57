//! The `redis` crate's multiplexed connections, over sockets this client dials, with every byte
//! a server sends checked ([`crate::protocol::resp_guard`]) before the crate's parser reads it.
//!
//! The crate's parser reads a negative length other than -1 (`$-5`) as nil. The client's own
//! connections (`pipe.rs`) check the stream first; this module does the same for the
//! connections the crate keeps: the cluster link's node connections (batches it routes,
//! redirects, the slot map), the cluster subscriber's, and the short-lived ones that ask a node
//! its zone or its slot map. A frame with such a length ends the connection with an I/O error
//! (`InvalidData`, "protocol error: ..."), after the replies before it were delivered. Each of
//! these connections is named by the client's `clientName`, as the client's own are.
//!
//! The crate makes a cluster's node connections itself, through [`Connect`], a trait with no
//! receiver: the only client-specific value it passes is each node's connection info. So a
//! cluster client built by [`cluster_client`] carries a registration key where the crate
//! keeps the password ([`Registration`]); [`NodeConnection`]'s `connect_with_config` finds
//! the client's settings by that key and dials with them (the real credentials, TLS, address
//! resolver and timeouts), and the crate's handshake runs over the checked stream.
//!
//! A request of the crate's cluster that fails because its node's connection ended is sent again
//! by the crate (after a reconnect), whether or not the server had it: an `INCR` the server ran
//! but whose reply was lost would run twice. A node connection therefore watches its stream
//! ([`Traffic`]): a request that failed after bytes went out on a connection that had not ended
//! when it was handed over may have reached the server, and fails with an error the crate does
//! not retry (a `ConnectionError` to the caller, as GLIDE does); one handed to a connection that
//! had already ended, or after which nothing was written, never left the client and is retried.

use crate::config::Settings;
use crate::protocol::resp_guard::LengthCheck;
use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster_async::Connect;
use redis::{
    AsyncConnectionConfig, Cmd, ConnectionAddr, ErrorKind, IntoConnectionInfo, Pipeline,
    RedisError, RedisFuture, RedisResult, RetryMethod, Value,
};
use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// What a checked stream did, shared with its connection's handle.
#[derive(Default)]
struct Traffic {
    /// Why the stream was refused, once it was: every later read fails with it.
    refused: OnceLock<String>,
    /// Bytes written to the stream.
    written: AtomicU64,
    /// Set once the stream ended: the end of its bytes, or an error reading or writing.
    ended: AtomicBool,
}

/// Where a stream was when a request was handed to its connection.
#[derive(Clone, Copy)]
struct Mark {
    written: u64,
    ended: bool,
}

impl Traffic {
    fn mark(&self) -> Mark {
        Mark {
            ended: self.ended.load(Ordering::Acquire),
            written: self.written.load(Ordering::Acquire),
        }
    }

    /// Whether a request handed over at `mark` may have reached the server: its connection was
    /// still up then, and bytes went out after it.
    fn may_have_sent(&self, mark: Mark) -> bool {
        !mark.ended && self.written.load(Ordering::Acquire) != mark.written
    }

    fn end(&self) {
        self.ended.store(true, Ordering::Release);
    }
}

/// A byte stream whose incoming bytes pass the length check before they are read.
pub struct Checked<S> {
    inner: S,
    check: LengthCheck,
    traffic: Arc<Traffic>,
}

impl<S> Checked<S> {
    pub fn new(inner: S) -> Self {
        Checked {
            inner,
            check: LengthCheck::default(),
            traffic: Arc::default(),
        }
    }

    /// Counts what a write did.
    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        match result {
            Poll::Ready(Ok(n)) => {
                self.traffic.written.fetch_add(*n as u64, Ordering::AcqRel);
            }
            Poll::Ready(Err(_)) => self.traffic.end(),
            Poll::Pending => {}
        }
    }
}

fn refusal(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_owned())
}

impl<S: AsyncRead + Unpin> AsyncRead for Checked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(why) = this.traffic.refused.get() {
            return Poll::Ready(Err(refusal(why)));
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before && buf.remaining() > 0 => {
                this.traffic.end();
                return Poll::Ready(Ok(()));
            }
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => {
                this.traffic.end();
                return Poll::Ready(Err(e));
            }
            Poll::Pending => return Poll::Pending,
        }
        if let Err(v) = this.check.feed(&buf.filled()[before..]) {
            // The bytes before the refused frame are delivered; the next read fails.
            buf.set_filled(before + v.valid);
            this.traffic.end();
            let why = this.traffic.refused.get_or_init(|| v.message);
            if v.valid == 0 {
                // An empty read would look like the end of the stream.
                return Poll::Ready(Err(refusal(why)));
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Checked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.wrote(&result);
        result
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.wrote(&result);
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// A multiplexed connection of the crate to `host:port`, dialed with `settings` (address
/// resolver, TLS, TCP_NODELAY, connection timeout) over a checked stream; `config` is the
/// crate's (push sender, response timeout), and the handshake is `settings.redis`'s.
pub async fn connect(
    settings: &Settings,
    host: &str,
    port: u16,
    config: AsyncConnectionConfig,
) -> RedisResult<MultiplexedConnection> {
    checked_connect(settings, host, port, config)
        .await
        .map(|(conn, _)| conn)
}

/// [`connect`], with the connection's traffic.
async fn checked_connect(
    settings: &Settings,
    host: &str,
    port: u16,
    config: AsyncConnectionConfig,
) -> RedisResult<(MultiplexedConnection, Arc<Traffic>)> {
    let dial = async {
        let (to, to_port) = settings.resolve(host, port).await;
        let tcp = TcpStream::connect((to.as_str(), to_port)).await?;
        tcp.set_nodelay(settings.tcp_nodelay)?;
        match &settings.tls {
            None => over(settings, tcp, config).await,
            Some(tls) => {
                let invalid = |e: crate::protocol::errors::Failure| {
                    RedisError::from((ErrorKind::InvalidClientConfig, "TLS", e.message))
                };
                let connector =
                    tokio_rustls::TlsConnector::from(tls.client_config().map_err(invalid)?);
                let name = crate::connections::tls::server_name(host).map_err(invalid)?;
                over(settings, connector.connect(name, tcp).await?, config).await
            }
        }
    };
    match tokio::time::timeout(settings.connection_timeout, dial).await {
        Ok(result) => result,
        Err(_) => Err(RedisError::from(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("could not connect to {host}:{port} in time"),
        ))),
    }
}

/// The crate's handshake and connection over `stream`, checked; its driver runs on the
/// current runtime until the connection is dropped or fails.
async fn over<S>(
    settings: &Settings,
    stream: S,
    config: AsyncConnectionConfig,
) -> RedisResult<(MultiplexedConnection, Arc<Traffic>)>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let stream = Checked::new(stream);
    let traffic = stream.traffic.clone();
    let (mut conn, driver) =
        MultiplexedConnection::new_with_config(&settings.redis, stream, config).await?;
    tokio::spawn(driver);
    if let Some(name) = &settings.client_name {
        // Every connection carries the client's name, those made after a failover too.
        redis::cmd("CLIENT")
            .arg("SETNAME")
            .arg(name)
            .query_async::<()>(&mut conn)
            .await?;
    }
    Ok((conn, traffic))
}

/// The settings of the clients whose cluster connections are being made, by registration key.
fn registry() -> &'static Mutex<HashMap<u64, Arc<Settings>>> {
    static CLIENTS: OnceLock<Mutex<HashMap<u64, Arc<Settings>>>> = OnceLock::new();
    CLIENTS.get_or_init(Default::default)
}

/// What the crate carries as the password of a registered client's connections.
const KEY_PREFIX: &str = "glide-deno-client:";

/// A client's settings, findable by [`NodeConnection`] while this lives (the cluster link or
/// subscriber holding it drops it when the client closes).
pub struct Registration {
    key: u64,
}

impl Registration {
    pub fn new(settings: &Settings) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let key = NEXT.fetch_add(1, Ordering::Relaxed);
        registry()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, Arc::new(settings.clone()));
        Registration { key }
    }

    /// The password a cluster client builder is given in place of the real one.
    pub fn password(&self) -> String {
        format!("{KEY_PREFIX}{}", self.key)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        registry()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

/// The settings registered under the key in `password`.
fn registered(password: Option<&str>) -> RedisResult<Arc<Settings>> {
    password
        .and_then(|p| p.strip_prefix(KEY_PREFIX))
        .and_then(|k| k.parse::<u64>().ok())
        .and_then(|k| {
            registry()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&k)
                .cloned()
        })
        .ok_or_else(|| {
            RedisError::from((
                ErrorKind::Client,
                "the client of this cluster connection is closed",
            ))
        })
}

/// A node connection of the crate's cluster connection: the crate's multiplexed connection,
/// made by [`connect`] with the registered client's settings. Once its stream was refused,
/// its requests fail with why (the crate would report a later symptom, a broken pipe).
#[derive(Clone)]
pub struct NodeConnection {
    conn: MultiplexedConnection,
    traffic: Arc<Traffic>,
}

impl NodeConnection {
    /// The error a request handed over at `mark` fails with, for `err`. A refused connection's
    /// requests, and those that may have reached the server before the connection ended, fail
    /// with an I/O error of a kind the crate's cluster does not send again (`Unsupported`): the
    /// client's own connections do not send a request again to a server that broke the
    /// protocol, nor one the server may have run.
    fn explain(traffic: &Traffic, mark: Mark, err: RedisError) -> RedisError {
        let unretried =
            |why: String| RedisError::from(io::Error::new(io::ErrorKind::Unsupported, why));
        if let Some(why) = traffic.refused.get() {
            return unretried(why.clone());
        }
        // Errors the crate answers with a reconnect or an immediate retry are the connection's,
        // not the server's (a redirect or TRYAGAIN says the server did not run the command).
        let resent = matches!(
            err.retry_method(),
            RetryMethod::Reconnect
                | RetryMethod::RetryImmediately
                | RetryMethod::ReconnectFromInitialConnections
        );
        if resent && traffic.may_have_sent(mark) {
            return unretried(format!(
                "the connection ended after the request was sent ({err}); it is not sent again, \
                 as the server may have run it"
            ));
        }
        err
    }
}

/// The crate's cluster connection over checked node connections, holding its client's
/// registration while any handle on it is alive (its nodes may reconnect until then).
#[derive(Clone)]
pub struct ClusterConnection {
    conn: redis::cluster_async::ClusterConnection<NodeConnection>,
    _registration: Arc<Registration>,
}

impl ClusterConnection {
    /// Connects `client` (built with `registration`'s password) to its cluster.
    pub async fn connect(
        client: &redis::cluster::ClusterClient,
        registration: Arc<Registration>,
    ) -> RedisResult<Self> {
        let conn = client
            .get_async_generic_connection::<NodeConnection>()
            .await?;
        Ok(ClusterConnection {
            conn,
            _registration: registration,
        })
    }
}

impl std::ops::Deref for ClusterConnection {
    type Target = redis::cluster_async::ClusterConnection<NodeConnection>;

    fn deref(&self) -> &Self::Target {
        &self.conn
    }
}

impl std::ops::DerefMut for ClusterConnection {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.conn
    }
}

impl ConnectionLike for NodeConnection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        let traffic = &self.traffic;
        let mark = traffic.mark();
        let sent = self.conn.req_packed_command(cmd);
        Box::pin(async move { sent.await.map_err(|e| Self::explain(traffic, mark, e)) })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        let traffic = &self.traffic;
        let mark = traffic.mark();
        let sent = self.conn.req_packed_commands(pipeline, offset, count);
        Box::pin(async move { sent.await.map_err(|e| Self::explain(traffic, mark, e)) })
    }

    fn get_db(&self) -> i64 {
        self.conn.get_db()
    }
}

impl Connect for NodeConnection {
    fn connect_with_config<'a, T>(info: T, config: AsyncConnectionConfig) -> RedisFuture<'a, Self>
    where
        T: IntoConnectionInfo + Send + 'a,
    {
        Box::pin(async move {
            let info = info.into_connection_info()?;
            let settings = registered(info.redis_settings().password())?;
            let (host, port) = match info.addr() {
                ConnectionAddr::Tcp(host, port) => (host.clone(), *port),
                ConnectionAddr::TcpTls { host, port, .. } => (host.clone(), *port),
                other => {
                    return Err(RedisError::from((
                        ErrorKind::InvalidClientConfig,
                        "cluster nodes are reached over TCP",
                        other.to_string(),
                    )))
                }
            };
            let (conn, traffic) = checked_connect(&settings, &host, port, config).await?;
            Ok(NodeConnection { conn, traffic })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_refused_frame_ends_the_stream_after_the_replies_before_it() {
        let (mut server, client) = tokio::io::duplex(64);
        let mut checked = Checked::new(client);
        server.write_all(b"+OK\r\n$-1\r\n$-5\r\n").await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        let err = loop {
            match checked.read(&mut buf).await {
                Ok(0) => panic!("read the end of the stream, not an error"),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert_eq!(got, b"+OK\r\n$-1\r\n");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // Later reads fail the same way.
        assert!(checked.read(&mut buf).await.is_err());
    }

    #[tokio::test]
    async fn the_traffic_tells_whether_a_request_may_have_left() {
        let (server, client) = tokio::io::duplex(64);
        let mut checked = Checked::new(client);
        let traffic = checked.traffic.clone();
        let handed = traffic.mark();
        assert!(!traffic.may_have_sent(handed), "nothing written yet");
        checked.write_all(b"*1\r\n$4\r\nPING\r\n").await.unwrap();
        assert!(traffic.may_have_sent(handed), "bytes went out after it");
        let idle = traffic.mark();
        drop(server);
        let mut buf = [0u8; 8];
        assert_eq!(checked.read(&mut buf).await.unwrap(), 0);
        assert!(!traffic.may_have_sent(idle), "nothing went out after it");
        let late = traffic.mark();
        assert!(late.ended);
        assert!(!traffic.may_have_sent(late), "handed to an ended stream");
    }

    #[test]
    fn a_registration_is_found_by_its_password_until_dropped() {
        let request = crate::proto::ConnectionRequest {
            addresses: vec![crate::proto::NodeAddress {
                host: "127.0.0.1".into(),
                port: 1,
            }],
            ..Default::default()
        };
        let settings = Settings::decode(&prost::Message::encode_to_vec(&request)).unwrap();
        let r = Registration::new(&settings);
        let password = r.password();
        assert!(registered(Some(&password)).is_ok());
        drop(r);
        assert!(registered(Some(&password)).is_err());
        assert!(registered(Some("secret")).is_err());
        assert!(registered(None).is_err());
    }
}
