//! The error statuses of the ABI, and how `redis` errors map onto them.

use redis::{ErrorKind, RedisError, ServerError, ServerErrorKind, Value};

/// A completion's status byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    Request = 1,
    Timeout = 2,
    Connection = 3,
    Closing = 4,
    ExecAbort = 5,
    Configuration = 6,
}

/// An error as it crosses the boundary: a status and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: Status,
    pub message: String,
}

impl Failure {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn closing() -> Self {
        Self::new(Status::Closing, "the client is closed")
    }

    pub fn timeout() -> Self {
        Self::new(Status::Timeout, "the request timed out")
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Status::Configuration, message)
    }
}

/// The server's own text for a server error: "CODE detail".
fn server_text(err: &RedisError) -> String {
    match (err.code(), err.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_string(),
        (None, Some(detail)) => detail.to_string(),
        (None, None) => err.to_string(),
    }
}

/// Whether an error means the connection can no longer be trusted.
pub fn breaks_connection(err: &RedisError) -> bool {
    err.is_io_error()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_timeout()
        || err.is_unrecoverable_error()
}

impl From<RedisError> for Failure {
    fn from(err: RedisError) -> Self {
        if err.is_timeout() {
            return Failure::timeout();
        }
        match err.kind() {
            ErrorKind::Server(ServerErrorKind::ExecAbort) => {
                Failure::new(Status::ExecAbort, server_text(&err))
            }
            ErrorKind::Server(_) | ErrorKind::Extension => {
                Failure::new(Status::Request, server_text(&err))
            }
            ErrorKind::InvalidClientConfig => Failure::config(err.to_string()),
            ErrorKind::AuthenticationFailed => Failure::new(Status::Connection, err.to_string()),
            _ if err.is_io_error()
                || err.is_connection_dropped()
                || err.is_connection_refusal()
                || err.kind() == ErrorKind::ClusterConnectionNotFound =>
            {
                Failure::new(Status::Connection, err.to_string())
            }
            _ => Failure::new(Status::Request, err.to_string()),
        }
    }
}

/// A failed connection attempt is a `ConnectionError`, unless the server refused the
/// configuration (bad password, unknown database...), which keeps the server's text.
pub fn connect_failure(e: redis::RedisError) -> Failure {
    let f = Failure::from(e);
    match f.status {
        Status::Timeout => Failure::new(Status::Connection, f.message),
        Status::Request => Failure::new(Status::Connection, f.message),
        _ => f,
    }
}

/// The server's text of an error reply: "CODE detail".
pub fn server_error_text(err: &ServerError) -> String {
    match err.details() {
        Some(detail) => format!("{} {detail}", err.code()),
        None => err.code().to_string(),
    }
}

/// A top-level error reply is the request's error; errors nested in aggregates stay values.
pub fn top_level(value: Value) -> Result<Value, Failure> {
    match value {
        Value::ServerError(err) => {
            let status = if err.code() == "EXECABORT" {
                Status::ExecAbort
            } else {
                Status::Request
            };
            Err(Failure::new(status, server_error_text(&err)))
        }
        v => Ok(v),
    }
}
/// The server error kind of an error reply, if it is one.
pub(crate) fn server_kind(e: &redis::RedisError) -> Option<redis::ServerErrorKind> {
    match e.kind() {
        redis::ErrorKind::Server(kind) => Some(kind),
        _ => None,
    }
}

/// Replies that mean the command did not run there, and the link should route it.
pub(crate) fn redirects(kind: Option<redis::ServerErrorKind>) -> bool {
    matches!(
        kind,
        Some(
            redis::ServerErrorKind::Moved
                | redis::ServerErrorKind::Ask
                | redis::ServerErrorKind::TryAgain
                | redis::ServerErrorKind::ClusterDown
        )
    )
}
