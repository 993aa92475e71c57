//! The async standalone connection: one [`Pipe`] to the server, re-established on demand after
//! it breaks, with the configured backoff between attempts. Requests made while it is down fail
//! at once with `ConnectionError` instead of queueing.
//!
//! A half-open connection (the server stopped answering on it, new connections would work) is
//! recognised by a request that ends unanswered (its caller's timeout dropped it) while no reply
//! at all arrived on the connection since that request was sent: the connection is then marked
//! broken and the next request connects anew (for commands handed over with a deadline, the
//! pipe notices the same itself, see [`Pipe::usable`]). The old connection retires: callers
//! still waiting on it get their replies or their timeouts, and late replies go to the dropped
//! requests' slots of its own queue, so they are discarded and reach no caller.

use crate::config::Settings;
use crate::connections::logger;
use crate::connections::pipe::Pipe;
use crate::connections::replication::{self, Topology};
use crate::protocol::errors::{breaks_connection, connect_failure, Failure, Status};
use redis::{Cmd, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::time::{timeout, Instant};

enum Link {
    Up(Pipe, Arc<Health>),
    Down { failures: u32, retry_at: Instant },
}

/// The live connection's record: its pipe, whose count of replies read tells a stalled
/// connection from a slow one, and its tasks, stopped once nothing uses the connection any more.
struct Health {
    pipe: Pipe,
    _tasks: crate::connections::pipe::Tasks,
}

/// Marks the connection broken if its request is dropped unanswered (the caller timed out)
/// and no reply arrived on the connection since the request was sent.
struct Watch<'a> {
    owner: &'a Standalone,
    health: Arc<Health>,
    seen: u64,
    answered: bool,
}

impl Watch<'_> {
    fn answered(mut self) {
        self.answered = true;
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        if !self.answered && self.health.pipe.replies() == self.seen {
            self.owner.invalidate_if(&self.health);
        }
    }
}

/// Counts a request waiting for the connection lock, until dropped (it got the lock, or was
/// abandoned while waiting).
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Queued(count)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A connection at hand (see [`Standalone::ready`]); watched once a command is sent on it.
pub struct Ready((Pipe, Arc<Health>));

/// A standalone server connection shared by all of a client's requests.
pub struct Standalone {
    /// What new connections are made with (the password changes with `update_password`).
    settings: Mutex<Settings>,
    link: Mutex<Link>,
    /// Serialises connection attempts.
    connecting: tokio::sync::Mutex<()>,
    /// Connections replaced while callers still awaited replies on them (see [`Pipe::retire`]).
    retired: Mutex<Vec<Arc<Health>>>,
    /// Requests waiting for `connecting`. While there are any, a new request queues behind them
    /// (the lock is first-come first-served) instead of taking a connection that just came up,
    /// so requests are sent in the order they were made, across a (re)connection too.
    queued: AtomicUsize,
    /// The primary and the replicas, as the last connection found them (replication.rs).
    topology: Mutex<Arc<Topology>>,
}

impl Standalone {
    pub fn new(settings: Settings) -> Result<Self, Failure> {
        if settings.nodes.is_empty() {
            return Err(Failure::config("no server address"));
        }
        Ok(Self {
            settings: Mutex::new(settings),
            link: Mutex::new(Link::Down {
                failures: 0,
                retry_at: Instant::now(),
            }),
            connecting: tokio::sync::Mutex::new(()),
            queued: AtomicUsize::new(0),
            retired: Mutex::default(),
            topology: Mutex::default(),
        })
    }

    /// The primary and the replicas, as the last connection found them.
    pub fn topology(&self) -> Arc<Topology> {
        self.topology
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The connection of a cluster client to its node at `address` (`host:port`), made with the
    /// client's `settings`; with `readonly` (a replica serving reads) it sends READONLY when it
    /// connects. Nothing connects yet. `None` if `address` is not one.
    pub fn to_node(settings: &Settings, address: &str, readonly: bool) -> Option<Self> {
        let (host, port) = crate::protocol::slots::host_port(address)?;
        let mut settings = settings.clone();
        settings.nodes = vec![(host.to_owned(), port)];
        settings.readonly = readonly;
        Standalone::new(settings).ok()
    }

    fn current(&self) -> Result<(Pipe, Arc<Health>), (u32, Instant)> {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        let mut old = None;
        if let Link::Up(c, _) = &*link {
            // It ended (the server closed it...), or a caller timed out on it while it read
            // nothing at all (half-open).
            if !c.usable() {
                let ended = c.ended();
                old = self.take_down(&mut link);
                logger::event(logger::INFO, "connection", || {
                    let why = if ended { "ended" } else { "stopped answering" };
                    format!("a connection {why}: the next request reconnects")
                });
            }
        }
        let current = match &*link {
            Link::Up(c, h) => Ok((c.clone(), h.clone())),
            Link::Down { failures, retry_at } => Err((*failures, *retry_at)),
        };
        drop(link);
        self.retire(old);
        current
    }

    /// The live connection, if it is up and no request is waiting for one: a command handed to
    /// it now is sent after every command handed over before.
    pub fn live(&self) -> Option<Pipe> {
        if self.queued.load(Ordering::Acquire) != 0 {
            return None;
        }
        self.current().ok().map(|(c, _)| c)
    }

    /// Whether the connection is down after a failed attempt to connect (the node may be gone:
    /// a failover), rather than not made yet or being made.
    pub fn failing(&self) -> bool {
        self.queued.load(Ordering::Acquire) == 0
            && matches!(self.current(), Err((failures, _)) if failures > 0)
    }

    /// Fails every request awaiting a reply with `ClosingError` (the async client's close).
    pub fn close_requests(&self) {
        if let Ok((c, _)) = self.current() {
            c.close();
        }
        let retired: Vec<Pipe> = self
            .retired
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|h| h.pipe.clone())
            .collect();
        for pipe in retired {
            pipe.close();
        }
    }

    /// The live connection, connecting first if it is down and its backoff has passed.
    pub async fn connection(&self) -> Result<Pipe, Failure> {
        self.watched().await.map(|(c, _)| c)
    }

    async fn watched(&self) -> Result<(Pipe, Arc<Health>), Failure> {
        if self.queued.load(Ordering::Acquire) == 0 {
            if let Ok(c) = self.current() {
                return Ok(c);
            }
        }
        let queued = Queued::new(&self.queued);
        let _guard = self.connecting.lock().await;
        // No await from here until the caller hands its command to the connection: nothing
        // made later can be sent first.
        drop(queued);
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
            Ok((c, tasks)) => {
                let health = Arc::new(Health {
                    pipe: c.clone(),
                    _tasks: tasks,
                });
                *self.link.lock().unwrap_or_else(|p| p.into_inner()) =
                    Link::Up(c.clone(), health.clone());
                let to = self.address();
                match failures {
                    0 => {
                        logger::event(logger::DEBUG, "connection", || format!("connected to {to}"))
                    }
                    n => logger::event(logger::INFO, "connection", || {
                        format!("reconnected to {to} after {n} failed attempt(s)")
                    }),
                }
                Ok((c, health))
            }
            Err(e) => {
                let backoff = self.settings().backoff;
                let delay = backoff.delay(failures);
                let retry_at = Instant::now() + delay;
                *self.link.lock().unwrap_or_else(|p| p.into_inner()) = Link::Down {
                    failures: failures + 1,
                    retry_at,
                };
                let to = self.address();
                // The server's words (WRONGPASS ...) never hold the password.
                let auth = ["WRONGPASS", "NOAUTH", "NOPERM"]
                    .iter()
                    .any(|code| e.message.contains(code));
                let level = if auth { logger::ERROR } else { logger::WARN };
                logger::event(level, "connection", || {
                    let what = if auth {
                        "authentication failed on"
                    } else {
                        "could not connect to"
                    };
                    format!(
                        "{what} {to} (attempt {}): {}; next attempt in {} ms",
                        failures + 1,
                        e.message,
                        delay.as_millis()
                    )
                });
                Err(e)
            }
        }
    }

    /// The `host:port` this connects to first (for the log).
    fn address(&self) -> String {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        match settings.nodes.first() {
            Some((host, port)) => format!("{host}:{port}"),
            None => String::new(),
        }
    }

    /// What new connections are made with (the current password).
    pub fn settings(&self) -> Settings {
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
        let settings = crate::connections::credentials::with_password(&self.settings(), password);
        if immediate {
            if let (Ok((conn, _)), Some(auth)) = (
                self.current(),
                crate::connections::credentials::auth(&settings),
            ) {
                let v = conn.send(&auth).await.map_err(Failure::from)?;
                crate::protocol::errors::top_level(v)?;
            }
        }
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
        Ok(())
    }

    async fn connect_once(&self) -> Result<(Pipe, crate::connections::pipe::Tasks), Failure> {
        let settings = self.settings();
        let limit = settings.connection_timeout;
        let attempt = async {
            let ((conn, driver), topology) = if replication::probes(&settings) {
                replication::connect_primary(&settings).await?
            } else {
                let (host, port) = settings.nodes[0].clone();
                let c = crate::connections::dial::open(&settings, &host, port).await?;
                (c, replication::as_given(&settings))
            };
            *self.topology.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(topology);
            let setup = async {
                if let Some(name) = &settings.client_name {
                    conn.send(redis::cmd("CLIENT").arg("SETNAME").arg(name))
                        .await?;
                }
                if settings.readonly {
                    let reply = conn.send(&redis::cmd("READONLY")).await?;
                    reply.extract_error()?;
                }
                Ok::<_, redis::RedisError>(())
            };
            setup.await.map_err(connect_failure)?;
            Ok((conn, driver))
        };
        match timeout(limit, attempt).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Failure::new(
                Status::Connection,
                format!("could not connect within {} ms", limit.as_millis()),
            )),
        }
    }

    /// Marks the live connection as broken so that the next request reconnects.
    fn invalidate(&self) {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        let old = self.take_down(&mut link);
        drop(link);
        self.retire(old);
    }

    /// Takes the live connection down: the next request reconnects. Gives back the old one,
    /// to [`Standalone::retire`] once the lock is released (its callers' callbacks may run).
    fn take_down(&self, link: &mut Link) -> Option<(Pipe, Arc<Health>)> {
        let old = std::mem::replace(
            link,
            Link::Down {
                failures: 0,
                retry_at: Instant::now(),
            },
        );
        match old {
            Link::Up(pipe, health) => Some((pipe, health)),
            Link::Down { .. } => None,
        }
    }

    /// Retires a connection taken down: its callers still get their replies or their timeouts
    /// (see [`Pipe::retire`]). Called with no lock held: callbacks of its callers may run.
    fn retire(&self, old: Option<(Pipe, Arc<Health>)>) {
        let Some((pipe, health)) = old else { return };
        pipe.retire();
        let mut retired = self.retired.lock().unwrap_or_else(|p| p.into_inner());
        // An ended connection has no callers left: dropping its record ends nothing.
        retired.retain(|h| !h.pipe.ended());
        if !pipe.ended() {
            retired.push(health);
        }
    }

    /// Drops the live connection (the sync client's close; the async client drops the whole).
    pub fn close(&self) {
        self.invalidate();
        let retired = std::mem::take(&mut *self.retired.lock().unwrap_or_else(|p| p.into_inner()));
        drop(retired);
    }

    /// Marks the connection broken if it is still the live one (`health` is its record).
    fn invalidate_if(&self, health: &Arc<Health>) {
        let live = matches!(
            &*self.link.lock().unwrap_or_else(|p| p.into_inner()),
            Link::Up(_, h) if Arc::ptr_eq(h, health)
        );
        if live {
            self.invalidate();
        }
    }

    /// The live connection and the watch that notices if it stops answering.
    async fn watch(&self) -> Result<(Pipe, Watch<'_>), Failure> {
        let (conn, health) = self.watched().await?;
        Ok(self.watching(conn, health))
    }

    fn watching(&self, conn: Pipe, health: Arc<Health>) -> (Pipe, Watch<'_>) {
        let seen = health.pipe.replies();
        let watch = Watch {
            owner: self,
            health,
            seen,
            answered: false,
        };
        (conn, watch)
    }

    /// Sends one command: `Err` if there is no connection, else the crate's raw result (a
    /// breaking error has marked the connection broken).
    pub async fn send(&self, cmd: &Cmd) -> Result<redis::RedisResult<Value>, Failure> {
        let watched = self.watch().await?;
        Ok(self.send_on(watched, cmd, || ()).await)
    }

    /// Like [`Standalone::send`], but asks `may_send` once the connection is at hand, right
    /// before the command is handed to it (nothing can be sent in between): `Ok(None)` if it
    /// said no, and the command was not sent. `handed` runs once the command is handed over
    /// (a command handed over later is written after it).
    pub async fn send_if(
        &self,
        cmd: &Cmd,
        may_send: impl FnOnce() -> bool,
        handed: impl FnOnce(),
    ) -> Result<Option<redis::RedisResult<Value>>, Failure> {
        let (conn, health) = self.watched().await?;
        if !may_send() {
            return Ok(None);
        }
        let watched = self.watching(conn, health);
        Ok(Some(self.send_on(watched, cmd, handed).await))
    }

    async fn send_on(
        &self,
        (conn, watch): (Pipe, Watch<'_>),
        cmd: &Cmd,
        handed: impl FnOnce(),
    ) -> redis::RedisResult<Value> {
        let reply = conn.send(cmd);
        handed();
        let result = reply.await;
        watch.answered();
        if let Err(e) = &result {
            if breaks_connection(e) && !e.is_timeout() {
                self.invalidate();
            }
        }
        result
    }

    /// The live connection (connecting first if needed), to hand a command to with
    /// [`Standalone::send_ready`]: a fan-out gets every node's connection before it sends to any.
    /// Dropping it sends nothing and says nothing of the connection's health.
    pub async fn ready(&self) -> Result<Ready, Failure> {
        self.watched().await.map(Ready)
    }

    /// Sends one command on a connection [`Standalone::ready`] gave: handed to the connection
    /// at the future's first poll.
    pub async fn send_ready(&self, ready: Ready, cmd: &Cmd) -> redis::RedisResult<Value> {
        let (conn, health) = ready.0;
        self.send_on(self.watching(conn, health), cmd, || ()).await
    }

    /// Runs one command on the calling thread, over a sync client's live connection
    /// ([`Pipe::call`]), with `deadline` over the round trip; `None`, with nothing sent, when
    /// it has to take the runtime's way ([`Standalone::run`]): no connection up, one being made,
    /// or not a connection the caller can drive.
    pub fn call(
        &self,
        cmd: &Cmd,
        deadline: Option<std::time::Instant>,
    ) -> Option<Result<Value, Failure>> {
        if self.queued.load(Ordering::Acquire) != 0 {
            return None;
        }
        let (conn, watch) = match self.current() {
            Ok((conn, health)) => self.watching(conn, health),
            Err(_) => return None,
        };
        let Some(result) = conn.call(cmd, deadline) else {
            watch.answered(); // nothing was sent
            return None;
        };
        if matches!(&result, Err(e) if e.is_timeout()) {
            // Unanswered: the watch takes the connection down if it read nothing since.
            drop(watch);
            return Some(Err(Failure::timeout()));
        }
        watch.answered();
        Some(match result {
            Ok(v) => crate::protocol::errors::top_level(v),
            Err(e) => {
                if breaks_connection(&e) {
                    self.invalidate();
                }
                Err(Failure::from(e))
            }
        })
    }

    /// Runs one command.
    pub async fn run(&self, cmd: &Cmd) -> Result<Value, Failure> {
        match self.send(cmd).await? {
            Ok(v) => crate::protocol::errors::top_level(v),
            Err(e) => Err(Failure::from(e)),
        }
    }
}

impl Standalone {
    /// Runs a batch as one pipeline (MULTI/EXEC around it when atomic).
    pub async fn run_batch(
        &self,
        batch: crate::protocol::request::Batch,
    ) -> Result<Value, Failure> {
        let (conn, watch) = self.watch().await?;
        let result = conn.send_batch(&batch).result().await;
        watch.answered();
        match result {
            Ok(value) => Ok(value),
            Err(e) => {
                if breaks_connection(&e) && !e.is_timeout() {
                    self.invalidate();
                }
                Err(Failure::from(e))
            }
        }
    }
}
