//! The async standalone connection: one multiplexed connection, re-established on demand after
//! it breaks, with the configured backoff between attempts. Requests made while it is down fail
//! at once with `ConnectionError` instead of queueing.

use crate::config::Settings;
use crate::errors::{breaks_connection, Failure, Status};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, Cmd, Value};
use std::sync::Mutex;
use tokio::time::{timeout, Instant};

enum Link {
    Up(MultiplexedConnection),
    Down { failures: u32, retry_at: Instant },
}

/// A standalone server connection shared by all of a client's requests.
pub struct Standalone {
    /// The client new connections are made with (replaced when the password changes).
    client: Mutex<Client>,
    settings: Mutex<Settings>,
    link: Mutex<Link>,
    /// Serialises connection attempts.
    connecting: tokio::sync::Mutex<()>,
}

impl Standalone {
    pub fn new(settings: Settings) -> Result<Self, Failure> {
        let (host, port) = settings.nodes[0].clone();
        let client = settings.client(&host, port)?;
        Ok(Self {
            client: Mutex::new(client),
            settings: Mutex::new(settings),
            link: Mutex::new(Link::Down {
                failures: 0,
                retry_at: Instant::now(),
            }),
            connecting: tokio::sync::Mutex::new(()),
        })
    }

    fn current(&self) -> Result<MultiplexedConnection, (u32, Instant)> {
        match &*self.link.lock().unwrap_or_else(|p| p.into_inner()) {
            Link::Up(c) => Ok(c.clone()),
            Link::Down { failures, retry_at } => Err((*failures, *retry_at)),
        }
    }

    /// The live connection, connecting first if it is down and its backoff has passed.
    pub async fn connection(&self) -> Result<MultiplexedConnection, Failure> {
        if let Ok(c) = self.current() {
            return Ok(c);
        }
        let _guard = self.connecting.lock().await;
        let failures = match self.current() {
            Ok(c) => return Ok(c),
            Err((_, retry_at)) if Instant::now() < retry_at => {
                return Err(Failure::new(
                    Status::Connection,
                    "not connected to the server; reconnecting with backoff",
                ))
            }
            Err((failures, _)) => failures,
        };
        match self.connect_once().await {
            Ok(c) => {
                *self.link.lock().unwrap_or_else(|p| p.into_inner()) = Link::Up(c.clone());
                Ok(c)
            }
            Err(e) => {
                let backoff = self.settings().backoff;
                let retry_at = Instant::now() + backoff.delay(failures);
                *self.link.lock().unwrap_or_else(|p| p.into_inner()) = Link::Down {
                    failures: failures + 1,
                    retry_at,
                };
                Err(e)
            }
        }
    }

    fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Changes the password that reconnections use; with `immediate`, re-authenticates the
    /// live connection now (its error, e.g. WRONGPASS, is the result).
    pub async fn update_password(
        &self,
        password: Option<&str>,
        immediate: bool,
    ) -> Result<(), Failure> {
        let settings = crate::credentials::with_password(&self.settings(), password);
        let (host, port) = settings.nodes[0].clone();
        let client = settings.client(&host, port)?;
        if immediate {
            if let (Ok(mut conn), Some(auth)) =
                (self.current(), crate::credentials::auth(&settings))
            {
                let v = conn
                    .send_packed_command(&auth)
                    .await
                    .map_err(Failure::from)?;
                crate::errors::top_level(v)?;
            }
        }
        *self.client.lock().unwrap_or_else(|p| p.into_inner()) = client;
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
        Ok(())
    }

    async fn connect_once(&self) -> Result<MultiplexedConnection, Failure> {
        let settings = self.settings();
        let limit = settings.connection_timeout;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(limit))
            .set_response_timeout(None);
        let client = self
            .client
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let attempt = async {
            let mut conn = client
                .get_multiplexed_async_connection_with_config(&config)
                .await?;
            if let Some(name) = &settings.client_name {
                conn.send_packed_command(redis::cmd("CLIENT").arg("SETNAME").arg(name))
                    .await?;
            }
            Ok::<_, redis::RedisError>(conn)
        };
        match timeout(limit, attempt).await {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(e)) => Err(connect_failure(e)),
            Err(_) => Err(Failure::new(
                Status::Connection,
                format!("could not connect within {} ms", limit.as_millis()),
            )),
        }
    }

    /// Marks `conn` as broken so that the next request reconnects.
    fn invalidate(&self) {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        if let Link::Up(_) = &*link {
            *link = Link::Down {
                failures: 0,
                retry_at: Instant::now(),
            };
        }
    }

    /// Runs one command.
    pub async fn run(&self, cmd: &Cmd) -> Result<Value, Failure> {
        let mut conn = self.connection().await?;
        match conn.send_packed_command(cmd).await {
            Ok(v) => crate::errors::top_level(v),
            Err(e) => {
                if breaks_connection(&e) && !e.is_timeout() {
                    self.invalidate();
                }
                Err(Failure::from(e))
            }
        }
    }
}

impl Standalone {
    /// Runs a batch as one pipeline (MULTI/EXEC around it when atomic).
    pub async fn run_batch(&self, mut batch: crate::request::Batch) -> Result<Value, Failure> {
        let n = batch.cmds.len();
        let atomic = batch.atomic;
        let (offset, count) = crate::batch::reply_window(n, atomic);
        let p = crate::batch::pipeline(&mut batch);
        let mut conn = self.connection().await?;
        match conn.send_packed_commands(&p, offset, count).await {
            Ok(values) => Ok(crate::batch::result(values, atomic)),
            Err(e) => {
                if breaks_connection(&e) && !e.is_timeout() {
                    self.invalidate();
                }
                Err(Failure::from(e))
            }
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
