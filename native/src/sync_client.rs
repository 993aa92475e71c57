//! The sync client: each request blocks the calling thread until its outcome.
//!
//! Standalone requests run on the client's own standalone connection (the async client's kind,
//! see standalone.rs): when it is up and idle, the caller writes the command and reads its reply
//! itself, with no runtime (`Pipe::call`, pipe/caller.rs); else the connection's tasks, which live
//! on the client's [`CallingThread`] runtime, do it while the caller drives that runtime. Either
//! way the command is written and its reply read on the calling thread, no hand-off to another
//! thread.
//! Its timeout is a deadline over connect + write + read, however slowly the server drips its
//! reply; the handshake as a whole fits in `connectionTimeout`; replies are matched to requests
//! by the connection's own queue, so a late or unsolicited reply reaches no caller; and a
//! connection that stops answering is replaced. (The crate's sync connection applies its
//! timeout to each `read()`, so a server that trickles bytes could hold a call forever, and it
//! reads whatever bytes come next as the reply.)
//!
//! Cluster requests go the async cluster client's way (cluster/requests.rs), to the client's
//! own connections to the nodes, whose tasks live on the same [`CallingThread`] runtime: the
//! command is written by the caller and its reply read while it waits, and so are the node
//! connections made and the slot table read when a request needs them. What goes through the
//! crate's cluster connection (the link: its topology checks, ASK, failovers) runs there too, as
//! a task the caller drives while it waits. The crate's sync cluster connection is not used: it
//! retries a command after its socket's read timeout (a stalled node could run it several times,
//! and the call outlast its timeout), turns the errors inside a transaction into a failure of
//! the whole, and sends pipelines one node after another.

use crate::cluster::requests::{ClusterRequests, Done};
use crate::config::Settings;
use crate::connections::calling_thread::CallingThread;
use crate::connections::readers::Readers;
use crate::connections::standalone::Standalone;
use crate::protocol::errors::{Failure, Status};
use crate::protocol::reply::{encode_completion, Reply};
use crate::protocol::request::{Reader, Request};
use redis::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

enum Link {
    Standalone(Box<Standalone>),
    Cluster(Arc<ClusterRequests>, tokio::sync::watch::Sender<bool>),
}

/// One sync client.
pub struct SyncClient {
    link: Link,
    subscriber: Arc<crate::connections::pubsub::Subscriber>,
    settings: Settings,
    /// Drives the client's own connections, on the calling thread.
    local: CallingThread,
    /// A completion record too large for the caller's buffer, kept for `take`.
    kept: Vec<u8>,
    closed: bool,
    /// A standalone client's replicas' connections, when reads go to them (replication.rs).
    readers: Option<Readers>,
    /// Counts the client as alive (`getStatistics`) until it is dropped.
    _alive: crate::boundary::telemetry::Counted,
}

impl SyncClient {
    /// Creates the client and, unless lazy, connects now.
    /// Its pub/sub messages go to `queue`, its isolate's completion queue.
    pub fn connect(
        settings: Settings,
        queue: Arc<crate::boundary::completions::Queue>,
    ) -> Result<SyncClient, Failure> {
        if let Some(t) = &settings.tracking {
            t.attach(queue.clone());
        }
        let local = CallingThread::new(settings.resolver.clone())?;
        let link = if settings.cluster {
            let (closed, on_close) = tokio::sync::watch::channel(false);
            let requests = ClusterRequests::new(&settings, local.handle(), on_close)?;
            Link::Cluster(requests, closed)
        } else {
            Link::Standalone(Box::new(Standalone::new(settings.clone())?))
        };
        let mut client = SyncClient {
            readers: Readers::new(&settings),
            _alive: crate::boundary::telemetry::Counted::new(&crate::boundary::telemetry::CLIENTS),
            subscriber: Arc::new(crate::connections::pubsub::Subscriber::new(
                &settings, queue,
            )),
            link,
            settings,
            local,
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
            // Made once, its slot table read (the link reconnects its nodes itself).
            Link::Cluster(r, _) => self.local.block_on_shared(async {
                let mut c = r.link.connection().await?;
                r.link.slot_table(&mut c).await;
                Ok(())
            }),
        }
    }

    fn execute(&mut self, mut req: Request) -> Result<Reply, Failure> {
        if req.name == "MONITOR" {
            return Err(crate::connections::monitor::refused());
        }
        if req.subscriptions {
            return Ok(self.subscriber.state());
        }
        if let Some(batch) = req.batch.as_mut() {
            // Parsed when its commands decide something (as in the async client): a read-only
            // client refuses writes, a cluster batch's commands decide its place.
            if self.settings.read_only || matches!(self.link, Link::Cluster(..)) {
                batch.parse()?;
            } else {
                batch.check_framing()?;
            }
        }
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        if let Some(op) = crate::connections::pubsub::op(&req.name) {
            let work = self.subscriber.apply(op, &req.cmd);
            return self.local.block_on_shared(deadline(limit, work));
        }
        if let Some(update) = &req.password {
            let (password, immediate) = (update.password.clone(), update.immediate);
            return self.update_password(req, password.as_deref(), immediate);
        }
        crate::connections::replication::allowed(&self.settings, &req)?;
        let s = match &self.link {
            Link::Cluster(r, _) => return self.in_cluster(r, req),
            Link::Standalone(s) => s,
        };
        if let Some(batch) = req.batch.take() {
            let limit = limit.map(|d| d.max(Duration::from_millis(1)));
            let work = s.run_batch(*batch);
            return self.local.block_on(deadline(limit, work)).map(Reply::Value);
        }
        let reader = match &self.readers {
            Some(r) if crate::protocol::reads::is_read_only(&req.name) => r.pick(&s.topology()),
            _ => None,
        };
        let node = reader.as_deref().unwrap_or(s);
        // The round trip on this thread when the connection is up and idle; else the runtime's.
        let at = limit.map(|d| std::time::Instant::now() + d);
        if let Some(outcome) = node.call(&req.cmd, at) {
            return outcome.map(Reply::Value);
        }
        self.local
            .block_on(deadline(limit, node.run(&req.cmd)))
            .map(Reply::Value)
    }

    /// Runs a cluster request as the async client does, the caller driving it to its end.
    fn in_cluster(&self, r: &ClusterRequests, req: Request) -> Result<Reply, Failure> {
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        let round_trip = limit.map(|d| d.max(Duration::from_millis(1)));
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        let deadline = round_trip.map(|d| Instant::now() + d);
        if !cfg!(unix) {
            return self.local.block_on(async {
                // Handed over inside the runtime, after it read what its connections hold.
                r.submit(req, deadline, Done::Caller(tx));
                rx.await.unwrap_or_else(|_| {
                    Err(Failure::new(Status::Request, "internal error: no outcome"))
                })
            });
        }
        let mut outcome = None;
        // Routed on this thread, and its node's connection written and read by the caller
        // itself while it can (an idle connection's unasked bytes are read first); the rest of
        // the way (a redirect, a connection to make, the timeout) on the client's runtime.
        let done = crate::connections::pipe::drive(
            || r.submit(req, deadline, Done::Caller(tx)),
            deadline.map(Instant::into_std),
            || {
                outcome = rx.try_recv().ok();
                outcome.is_some()
            },
        );
        match (done, outcome) {
            (true, Some(outcome)) => outcome,
            _ => self.local.block_on(async {
                rx.await.unwrap_or_else(|_| {
                    Err(Failure::new(Status::Request, "internal error: no outcome"))
                })
            }),
        }
    }

    /// Changes the password reconnections use; with `immediate`, authenticates with it now.
    fn update_password(
        &mut self,
        req: Request,
        password: Option<&str>,
        immediate: bool,
    ) -> Result<Reply, Failure> {
        let settings = crate::connections::credentials::with_password(&self.settings, password);
        match &self.link {
            Link::Standalone(s) => {
                self.local
                    .block_on(s.update_password(password, immediate))?;
                if let Some(r) = &self.readers {
                    r.update(&settings);
                }
            }
            Link::Cluster(r, _) => {
                self.in_cluster(r, req)?;
            }
        }
        self.settings = settings;
        if immediate {
            self.ensure_connected()?;
        }
        Ok(Reply::Value(Value::Okay))
    }

    /// Runs one request record and returns its completion record's size; the record is in
    /// `out` if it fit, else kept for `take`.
    pub fn command(&mut self, req_buf: &[u8], out: &mut [u8]) -> u32 {
        let mut reader = Reader::new(req_buf);
        let id = reader.id().unwrap_or(0);
        let outcome = if self.closed {
            Err(Failure::closing())
        } else {
            reader.rest(id).and_then(|req| self.execute(req))
        };
        self.kept.clear();
        crate::boundary::telemetry::outcome(&outcome);
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
            Link::Cluster(r, closed) => {
                closed.send_replace(true);
                r.close();
            }
        }
    }
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
