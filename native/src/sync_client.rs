//! The sync client: each request blocks the calling thread until its outcome.
//!
//! Standalone requests run on the client's own standalone connection (the async client's kind,
//! see standalone.rs), whose socket task lives on the client's [`CallingThread`] runtime: the
//! command is written and its reply read on the calling thread, no hand-off to another thread.
//! Its timeout is a deadline over connect + write + read, however slowly the server drips its
//! reply; the handshake as a whole fits in `connectionTimeout`; replies are matched to requests
//! by the connection's own queue, so a late or unsolicited reply reaches no caller; and a
//! connection that stops answering is replaced. (The crate's sync connection applies its
//! timeout to each `read()`, so a server that trickles bytes could hold a call forever, and it
//! reads whatever bytes come next as the reply.)
//!
//! Cluster requests for one slot's primary go the same way over the client's own connection to
//! that primary (direct.rs). The rest runs on the client's async cluster link (the async
//! client's, with its topology checks and AZ routing) and the caller waits for them, within
//! their timeout. The crate's sync cluster connection is not used: it retries a command after
//! its socket's read timeout (a stalled node could run it several times, and the call outlast
//! its timeout), turns the errors inside a transaction into a failure of the whole, and sends
//! pipelines one node after another.

use crate::calling_thread::CallingThread;
use crate::cluster;
use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::direct::{DirectNodes, Outcome};
use crate::errors::Failure;
use crate::readers::Readers;
use crate::reply::{encode_completion, Reply};
use crate::request::{Batch, Reader, Request};
use crate::runtime;
use crate::standalone::Standalone;
use redis::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

enum Link {
    Standalone(Box<Standalone>),
    Cluster {
        link: Arc<ClusterLink>,
        /// The fast path: single-slot commands straight to their primary (see direct.rs).
        direct: Box<DirectNodes>,
    },
}

/// One sync client.
pub struct SyncClient {
    link: Link,
    subscriber: Arc<crate::pubsub::Subscriber>,
    settings: Settings,
    /// Drives the client's own connections, on the calling thread.
    local: CallingThread,
    /// A completion record too large for the caller's buffer, kept for `take`.
    kept: Vec<u8>,
    closed: bool,
    /// A standalone client's replicas' connections, when reads go to them (replication.rs).
    readers: Option<Readers>,
    /// Counts the client as alive (`getStatistics`) until it is dropped.
    _alive: crate::telemetry::Counted,
}

impl SyncClient {
    /// Creates the client and, unless lazy, connects now.
    /// Its pub/sub messages go to `queue`, its isolate's completion queue.
    pub fn connect(
        settings: Settings,
        queue: Arc<crate::completions::Queue>,
    ) -> Result<SyncClient, Failure> {
        if let Some(t) = &settings.tracking {
            t.attach(queue.clone());
        }
        let link = if settings.cluster {
            Link::Cluster {
                link: ClusterLink::start(&settings)?,
                direct: Box::new(DirectNodes::new(&settings)),
            }
        } else {
            Link::Standalone(Box::new(Standalone::new(settings.clone())?))
        };
        let mut client = SyncClient {
            readers: Readers::new(&settings),
            _alive: crate::telemetry::Counted::new(&crate::telemetry::CLIENTS),
            subscriber: Arc::new(crate::pubsub::Subscriber::new(&settings, queue)),
            link,
            settings,
            local: CallingThread::new()?,
            kept: Vec::new(),
            closed: false,
        };
        if !client.settings.lazy {
            client.ensure_connected()?;
        }
        Ok(client)
    }

    fn ensure_connected(&mut self) -> Result<(), Failure> {
        match &self.link {
            // Bounded by connectionTimeout as a whole (see Standalone::connect_once).
            Link::Standalone(s) => self.local.block_on(s.connection()).map(|_| ()),
            // Made once; the link reconnects its nodes itself.
            Link::Cluster { link, .. } => runtime::get().block_on(link.connection()).map(|_| ()),
        }
    }

    fn execute(&mut self, req: &mut Request) -> Result<Reply, Failure> {
        if req.name == "MONITOR" {
            return Err(crate::monitor::refused());
        }
        if let Some(update) = req.password.take() {
            return self.update_password(update.password.as_deref(), update.immediate);
        }
        if req.subscriptions {
            return Ok(self.subscriber.state());
        }
        if let Link::Cluster { .. } = &self.link {
            self.ensure_connected()?;
        }
        if let Some(batch) = req.batch.as_mut() {
            batch.parse()?;
        }
        crate::replication::allowed(&self.settings, req)?;
        if let Some(batch) = req.batch.take() {
            return self.execute_batch(req, *batch);
        }
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        if let Some(op) = crate::pubsub::op(&req.name) {
            return within(limit, self.subscriber.apply(op, &req.cmd));
        }
        match &mut self.link {
            Link::Cluster { link, direct } => {
                let round_trip = limit.map(|d| d.max(Duration::from_millis(1)));
                if let Outcome::Done(result) = direct.run(&self.local, link, req, round_trip) {
                    return result.map(Reply::Value);
                }
                let link = link.clone();
                let cmd = req.cmd.clone();
                let (name, route) = (&req.name, &req.route);
                let reply = within(limit, async move {
                    cluster::run(link.connection().await?, cmd, name, route).await
                });
                // The link's connections do not track keys (see tag::UNTRACKED).
                match self.settings.tracking {
                    Some(_) => reply.map(Reply::untracked),
                    None => reply,
                }
            }
            Link::Standalone(s) => {
                let reader = match &self.readers {
                    Some(r) if crate::reads::is_read_only(&req.name) => r.pick(&s.topology()),
                    _ => None,
                };
                let work = reader.as_deref().unwrap_or(s).run(&req.cmd);
                self.local.block_on(deadline(limit, work)).map(Reply::Value)
            }
        }
    }

    /// Changes the password reconnections use; with `immediate`, authenticates with it now.
    fn update_password(
        &mut self,
        password: Option<&str>,
        immediate: bool,
    ) -> Result<Reply, Failure> {
        let settings = crate::credentials::with_password(&self.settings, password);
        match &mut self.link {
            Link::Standalone(s) => {
                self.local
                    .block_on(s.update_password(password, immediate))?;
                if let Some(r) = &self.readers {
                    r.update(&settings);
                }
            }
            Link::Cluster { link, direct } => {
                runtime::get().block_on(link.update_password(password, immediate))?;
                direct.update(&settings);
            }
        }
        self.settings = settings;
        if immediate {
            self.ensure_connected()?;
        }
        Ok(Reply::Value(Value::Okay))
    }

    fn execute_batch(&mut self, req: &Request, batch: Batch) -> Result<Reply, Failure> {
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        let limit = limit.map(|d| d.max(Duration::from_millis(1)));
        match &mut self.link {
            Link::Standalone(s) => {
                let work = s.run_batch(batch);
                self.local.block_on(deadline(limit, work)).map(Reply::Value)
            }
            Link::Cluster { link, .. } => {
                let link = link.clone();
                let route = &req.route;
                within(limit, async move {
                    let mut c = link.connection().await?;
                    if batch.atomic {
                        crate::batch::cluster_transaction(&mut c, route, batch)
                            .await
                            .map(Reply::Value)
                    } else {
                        crate::batch::cluster_pipeline(&link, &mut c, route, batch).await
                    }
                })
            }
        }
    }

    /// Runs one request record and returns its completion record's size; the record is in
    /// `out` if it fit, else kept for `take`.
    pub fn command(&mut self, req_buf: &[u8], out: &mut [u8]) -> u32 {
        let mut reader = Reader::new(req_buf);
        let id = reader.id().unwrap_or(0);
        let outcome = if self.closed {
            Err(Failure::closing())
        } else {
            reader.rest(id).and_then(|mut req| self.execute(&mut req))
        };
        if let (Err(f), Link::Cluster { link, .. }) = (&outcome, &self.link) {
            link.saw_failure(f);
        }
        self.kept.clear();
        encode_completion(&mut self.kept, id, &outcome);
        let n = self.kept.len();
        if n <= out.len() {
            out[..n].copy_from_slice(&self.kept);
            self.kept.clear();
            if self.kept.capacity() > 1 << 20 {
                self.kept = Vec::new();
            }
        }
        n as u32
    }

    /// Lets the client's connections read what arrived since the last call (invalidations of a
    /// server-assisted cache), without waiting: they go to the isolate's queue.
    pub fn poll(&self) {
        if !self.closed {
            self.local.block_on(async {});
        }
    }

    /// Copies the kept record into `out`; returns its size (0 if none or it does not fit).
    pub fn take(&mut self, out: &mut [u8]) -> u32 {
        let n = self.kept.len();
        if n == 0 || n > out.len() {
            return 0;
        }
        out[..n].copy_from_slice(&self.kept);
        self.kept = Vec::new();
        n as u32
    }

    /// Tells the client its handle (for its pub/sub message records).
    pub fn set_handle(&self, handle: u32) {
        self.subscriber.set_handle(handle);
        if let Some(t) = &self.settings.tracking {
            t.set_handle(handle);
        }
    }

    pub fn close(&mut self) {
        self.closed = true;
        self.subscriber.close();
        self.kept = Vec::new();
        match &mut self.link {
            Link::Standalone(s) => {
                s.close();
                if let Some(r) = &self.readers {
                    r.close();
                }
            }
            Link::Cluster { link, direct } => {
                link.close();
                direct.clear();
            }
        }
    }
}

/// Blocks until `work`, which runs on the I/O thread's runtime (the cluster link, pub/sub), is
/// done, or for at most `limit`.
fn within<T>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    runtime::get().block_on(deadline(limit, work))
}

/// `work`, or a timeout once `limit` has passed.
pub(crate) async fn deadline<T>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    match limit {
        Some(d) => tokio::time::timeout(d, work)
            .await
            .unwrap_or_else(|_| Err(Failure::timeout())),
        None => work.await,
    }
}
