//! Opens one connection to a server: a TCP socket (with TLS over it when configured), the
//! handshake (HELLO or AUTH, SELECT, library name), then a [`Pipe`] over it.

use crate::config::Settings;
use crate::connections::pipe::{Pipe, Reader, Tasks};
use crate::protocol::errors::{connect_failure, Failure};
use redis::{Cmd, ProtocolVersion, RedisConnectionInfo, RedisResult};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// Connects to `host:port` with `settings` (TLS, credentials, protocol, database).
pub async fn open(settings: &Settings, host: &str, port: u16) -> Result<(Pipe, Tasks), Failure> {
    let io = |e: std::io::Error| connect_failure(redis::RedisError::from(e));
    let (to, to_port) = settings.resolve(host, port).await;
    let tcp = TcpStream::connect((to.as_str(), to_port))
        .await
        .map_err(io)?;
    // Commands are written whole; Nagle's algorithm would only hold the next one back (unless
    // the configuration asks for it: `tcpNoDelay: false`).
    tcp.set_nodelay(settings.tcp_nodelay).map_err(io)?;
    let mut reader = Reader::default();
    match &settings.tls {
        None => {
            let mut tcp = tcp;
            handshake(&mut tcp, &mut reader, settings)
                .await
                .map_err(connect_failure)?;
            match &settings.js_io {
                Some(queue) if !queue.is_closed() => {
                    let (pipe, tasks, socket) =
                        Pipe::start_external(tcp, reader, queue.clone()).map_err(io)?;
                    crate::connections::js_io::register(&pipe, queue, socket);
                    Ok((pipe, tasks))
                }
                _ => Ok(Pipe::start_tcp(tcp, reader)),
            }
        }
        Some(tls) => {
            let connector = tokio_rustls::TlsConnector::from(tls.client_config()?);
            let mut stream = connector
                .connect(crate::connections::tls::server_name(host)?, tcp)
                .await
                .map_err(io)?;
            handshake(&mut stream, &mut reader, settings)
                .await
                .map_err(connect_failure)?;
            Ok(Pipe::start(stream, reader))
        }
    }
}

/// The commands that set a connection up, each with whether it must succeed; with
/// `tracking`, CLIENT TRACKING ON BCAST comes last, so that no invalidation comes before the
/// handshake's replies.
fn setup(info: &RedisConnectionInfo, tracking: bool) -> Vec<(Cmd, bool)> {
    let mut cmds = Vec::new();
    if info.protocol() == ProtocolVersion::RESP3 {
        let mut hello = redis::cmd("HELLO");
        hello.arg(3);
        if let Some(password) = info.password() {
            hello
                .arg("AUTH")
                .arg(info.username().unwrap_or("default"))
                .arg(password);
        }
        cmds.push((hello, true));
    } else if let Some(auth) = crate::connections::credentials::auth_of(info) {
        cmds.push((auth, true));
    }
    if info.db() != 0 {
        let mut select = redis::cmd("SELECT");
        select.arg(info.db());
        cmds.push((select, true));
    }
    if let (Some(name), Some(version)) = (info.lib_name(), info.lib_ver()) {
        // Servers before 7.2 do not know CLIENT SETINFO: not an error.
        for (field, value) in [("LIB-NAME", name), ("LIB-VER", version)] {
            let mut setinfo = redis::cmd("CLIENT");
            setinfo.arg("SETINFO").arg(field).arg(value);
            cmds.push((setinfo, false));
        }
    }
    if tracking {
        let mut on = redis::cmd("CLIENT");
        on.arg("TRACKING").arg("ON").arg("BCAST");
        cmds.push((on, true));
    }
    cmds
}

async fn handshake<S>(stream: &mut S, reader: &mut Reader, settings: &Settings) -> RedisResult<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let cmds = setup(&settings.redis, settings.tracking.is_some());
    reader.tracking = settings.tracking.clone();
    let mut out = Vec::new();
    for (cmd, _) in &cmds {
        cmd.write_packed_command(&mut out);
    }
    stream.write_all(&out).await?;
    stream.flush().await?;
    for (_, must_succeed) in &cmds {
        let reply = reader.next(stream).await?;
        if *must_succeed {
            reply.extract_error()?;
        }
    }
    Ok(())
}
