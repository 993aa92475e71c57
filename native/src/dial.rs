//! Opens one connection to a server: a TCP socket (with TLS over it when configured) whose
//! replies pass the length check of [`crate::resp_guard`], then the `redis` crate's multiplexed
//! connection over it, which runs the handshake (HELLO or AUTH, SELECT, library name).

use crate::config::Settings;
use crate::errors::connect_failure;
use crate::errors::Failure;
use crate::resp_guard::Checked;
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use tokio::net::TcpStream;

/// The task that drives a connection's socket: stopped when this is dropped (a connection
/// given up on may still wait for replies that will never come).
pub struct Driver(tokio::task::AbortHandle);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Connects to `host:port` with `settings` (TLS, credentials, protocol, database).
pub async fn open(
    settings: &Settings,
    host: &str,
    port: u16,
    config: AsyncConnectionConfig,
) -> Result<(MultiplexedConnection, Driver), Failure> {
    let io = |e: std::io::Error| connect_failure(redis::RedisError::from(e));
    let tcp = TcpStream::connect((host, port)).await.map_err(io)?;
    // Commands are written whole; Nagle's algorithm would only hold the next one back.
    tcp.set_nodelay(true).map_err(io)?;
    let redis = &settings.redis;
    match &settings.tls {
        None => over(redis, Checked::new(tcp), config).await,
        Some(tls) => {
            let connector = tokio_rustls::TlsConnector::from(tls.client_config()?);
            let stream = connector
                .connect(crate::tls::server_name(host)?, tcp)
                .await
                .map_err(io)?;
            over(redis, Checked::new(stream), config).await
        }
    }
}

/// The multiplexed connection over `stream`, its handshake done; its socket task spawned.
async fn over<S>(
    redis: &redis::RedisConnectionInfo,
    stream: S,
    config: AsyncConnectionConfig,
) -> Result<(MultiplexedConnection, Driver), Failure>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (conn, driver) = MultiplexedConnection::new_with_config(redis, stream, config)
        .await
        .map_err(connect_failure)?;
    Ok((conn, Driver(tokio::spawn(driver).abort_handle())))
}
