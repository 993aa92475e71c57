//! The async client: requests are parsed on the caller's thread. A standalone client's command
//! (or batch) is handed to its connection right there, in submit order, and the connection's
//! reader pushes the outcome to the completion queue ([`crate::connections::pipe`]). A cluster client's
//! requests go the same way to its nodes' connections, in order by construction
//! ([`crate::cluster::requests`]). Everything else (a standalone connection still coming up, a
//! password change, pub/sub) runs as a task on the shared tokio runtime, its outcome pushed to
//! the completion queue.

use crate::boundary::completions::Queue;
use crate::cluster::requests::{ClusterRequests, Done};
use crate::config::Settings;
use crate::connections::readers::Readers;
use crate::connections::runtime;
use crate::connections::standalone::Standalone;
use crate::protocol::errors::{Failure, Status};
use crate::protocol::reply::Reply;
use crate::protocol::request::{Reader, Request};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};
use tokio::time::{timeout_at, Instant};

enum Conn {
    Standalone(Box<Standalone>),
    Cluster(Arc<ClusterRequests>),
}

/// One async client.
pub struct AsyncClient {
    conn: Conn,
    subscriber: crate::connections::pubsub::Subscriber,
    settings: Settings,
    closed: watch::Sender<bool>,
    /// The completion queue of the isolate that made the client.
    queue: Arc<Queue>,
    /// Hands requests to the client's dispatcher, in submit order (see [`dispatch`]).
    requests: mpsc::UnboundedSender<Job>,
    /// Requests of a standalone client running as jobs (see [`AsyncClient::submit_now`]).
    jobs: Arc<AtomicUsize>,
    /// The client's handle (its message records name it).
    handle: Arc<AtomicU32>,
    /// A standalone client's replicas' connections, when reads go to them (replication.rs).
    readers: Option<Readers>,
    /// Counts the client as alive (`getStatistics`) until it is dropped.
    _alive: crate::boundary::telemetry::Counted,
}

/// A request's whole life on the I/O thread: run it, then queue its outcome.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs a client's requests, each started (polled a first time, which hands its command to its
/// connection) in the order they were submitted. One task per request would leave the order of
/// those first polls to the scheduler, which does not keep it when thousands are in flight.
/// Unconstrained: tokio's cooperative budget would make a first poll give up early and start
/// over after later ones.
async fn dispatch(mut requests: mpsc::UnboundedReceiver<Job>) {
    let mut running = FuturesUnordered::new();
    loop {
        tokio::select! {
            biased;
            job = requests.recv() => match job {
                Some(job) => running.push(job),
                None => break,
            },
            Some(()) = running.next(), if !running.is_empty() => {}
        }
    }
    while running.next().await.is_some() {}
}

impl AsyncClient {
    /// Creates the client and starts connecting; the outcome completes `create_id`.
    pub fn start(
        mut settings: Settings,
        queue: Arc<Queue>,
        create_id: u32,
    ) -> Result<Arc<AsyncClient>, Failure> {
        if queue.js_io() && settings.tls.is_none() {
            settings.js_io = Some(queue.clone());
        }
        if let Some(t) = &settings.tracking {
            t.attach(queue.clone());
        }
        let closed = watch::channel(false).0;
        let conn = if settings.cluster {
            Conn::Cluster(ClusterRequests::new(
                &settings,
                runtime::get().handle().clone(),
                closed.subscribe(),
            )?)
        } else {
            Conn::Standalone(Box::new(Standalone::new(settings.clone())?))
        };
        let (requests, jobs) = mpsc::unbounded_channel();
        runtime::get().spawn(tokio::task::unconstrained(dispatch(jobs)));
        let client = Arc::new(AsyncClient {
            readers: Readers::new(&settings),
            _alive: crate::boundary::telemetry::Counted::new(&crate::boundary::telemetry::CLIENTS),
            requests,
            jobs: Arc::default(),
            handle: Arc::default(),
            subscriber: crate::connections::pubsub::Subscriber::new(&settings, queue.clone()),
            conn,
            settings,
            closed,
            queue,
        });
        if client.settings.lazy {
            client
                .queue
                .push(create_id, Ok(Reply::Value(redis::Value::Nil)));
        } else {
            let c = client.clone();
            runtime::get().spawn(async move {
                let mut closed = c.closed.subscribe();
                let outcome = tokio::select! {
                    biased;
                    _ = closed.wait_for(|c| *c) => Err(Failure::closing()),
                    r = c.connect() => r.map(|_| Reply::Value(redis::Value::Nil)),
                };
                c.queue.push(create_id, outcome);
            });
        }
        Ok(client)
    }

    async fn connect(&self) -> Result<(), Failure> {
        match &self.conn {
            Conn::Standalone(s) => s.connection().await.map(|_| ()),
            Conn::Cluster(r) => {
                let mut c = r.link.connection().await?;
                // Read now, so that the first commands go straight to their nodes.
                r.link.slot_table(&mut c).await;
                Ok(())
            }
        }
    }

    /// Runs a request as a job: pub/sub of either client, anything of a standalone one.
    async fn execute(&self, mut req: Request) -> Result<Reply, Failure> {
        if req.subscriptions {
            return Ok(self.subscriber.state());
        }
        if let Some(op) = crate::connections::pubsub::op(&req.name) {
            return self.subscriber.apply(op, &req.cmd).await;
        }
        let Conn::Standalone(s) = &self.conn else {
            return Err(Failure::new(
                Status::Request,
                "internal error: a cluster request outside its order",
            ));
        };
        if let Some(batch) = req.batch.take() {
            batch.check_framing()?;
            return s.run_batch(*batch).await.map(Reply::Value);
        }
        if let Some(update) = req.password.take() {
            s.update_password(update.password.as_deref(), update.immediate)
                .await?;
            if let Some(r) = &self.readers {
                r.update(&s.settings());
            }
            return Ok(Reply::Value(redis::Value::Okay));
        }
        if req.name == "MONITOR" {
            let pipe = s.connection().await?;
            let lines = (self.queue.clone(), self.handle.clone());
            return crate::connections::monitor::start(&pipe, &req.cmd, lines)
                .await
                .map(Reply::Value);
        }
        s.run(&req.cmd).await.map(Reply::Value)
    }

    /// Parses the request records in `buf` and starts each one.
    pub fn submit(self: &Arc<Self>, buf: &[u8]) {
        // Replies the isolate reads itself (js_io.rs) need no I/O thread kept awake.
        if self.settings.js_io.is_none() {
            runtime::keep_hot();
        }
        let mut reader = Reader::new(buf);
        while !reader.is_empty() {
            let Ok(id) = reader.id() else { return };
            match reader.rest(id) {
                Ok(req) => self.spawn(req),
                Err(f) => {
                    self.queue.push(id, Err(f));
                    reader.abandon();
                }
            }
        }
    }

    /// When `req` must answer by (its timeout, or the client's), counted from now.
    fn deadline(&self, req: &Request) -> Option<Instant> {
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        limit.map(|d| Instant::now() + d)
    }

    /// The replica connection a standalone client's read goes to (`readFrom`), or `None` for
    /// the primary's connection `s`.
    fn reader(&self, req: &Request, s: &Standalone) -> Option<Arc<Standalone>> {
        let readers = self.readers.as_ref()?;
        if req.batch.is_some() || !crate::protocol::reads::is_read_only(&req.name) {
            return None;
        }
        readers.pick(&s.topology())
    }

    /// Hands a standalone request's command (or batch) to the live connection (or `reader`'s, a
    /// replica's, for a read) now, on the
    /// submitting thread; its reply is completed by the connection's reader. So commands are
    /// written in the order they were submitted, with no task and no hop to the I/O thread
    /// first. Not while any request runs as a job (connecting, a password change...): a job
    /// hands its command over later, on the I/O thread, and must not be overtaken. Gives the
    /// request back when it must run as a job.
    fn submit_now(&self, req: Request, reader: Option<&Standalone>) -> Option<Request> {
        let Conn::Standalone(s) = &self.conn else {
            return Some(req);
        };
        let special = req.password.is_some()
            || req.subscriptions
            || crate::connections::pubsub::op(&req.name).is_some()
            || self.settings.monitor;
        if special || self.jobs.load(Ordering::Acquire) != 0 {
            return Some(req);
        }
        let Some(pipe) = reader.unwrap_or(s).live() else {
            return Some(req);
        };
        let deadline = self.deadline(&req);
        let (id, queue, in_flight) = (req.id, self.queue.clone(), runtime::InFlight::start());
        let Some(batch) = req.batch else {
            pipe.submit(
                &req.cmd,
                deadline,
                Box::new(move |outcome| {
                    drop(in_flight);
                    let outcome = outcome.and_then(crate::protocol::errors::top_level);
                    queue.push(id, outcome.map(Reply::Value));
                }),
            );
            return None;
        };
        // Written as the record holds it: a standalone batch's commands decide nothing here.
        if let Err(f) = batch.check_framing() {
            self.queue.push(id, Err(f));
            return None;
        }
        pipe.submit_batch_to(
            &batch,
            deadline,
            Box::new(move |outcome| {
                drop(in_flight);
                queue.push(id, outcome.map(Reply::Value));
            }),
        );
        None
    }

    fn spawn(self: &Arc<Self>, req: Request) {
        let id = req.id;
        if *self.closed.borrow() {
            return self.queue.push(id, Err(Failure::closing()));
        }
        if req.name == "MONITOR" && !self.settings.monitor {
            return self
                .queue
                .push(id, Err(crate::connections::monitor::refused()));
        }
        let mut req = req;
        // Parsed now when its commands decide something: a read-only client refuses writes,
        // and a cluster batch's commands decide its place. (Parsing is done once.)
        let parse_now = self.settings.read_only || self.settings.cluster;
        if let Some(batch) = req.batch.as_mut().filter(|_| parse_now) {
            if let Err(f) = batch.parse() {
                return self.queue.push(id, Err(f));
            }
        }
        if let Err(f) = crate::connections::replication::allowed(&self.settings, &req) {
            return self.queue.push(id, Err(f));
        }
        let reader = match &self.conn {
            Conn::Standalone(s) => self.reader(&req, s),
            Conn::Cluster(r)
                if !req.subscriptions && crate::connections::pubsub::op(&req.name).is_none() =>
            {
                let deadline = self.deadline(&req);
                let done = Done::Queue(self.queue.clone(), req.id);
                return r.submit(req, deadline, done);
            }
            Conn::Cluster(_) => None,
        };
        let Some(req) = self.submit_now(req, reader.as_deref()) else {
            return;
        };
        if let Some(node) = reader {
            // A read for a replica whose connection is not up yet: it connects in the job.
            let job = JobCount::start(&self.jobs);
            let deadline = self.deadline(&req);
            let work = Box::pin(async move {
                let outcome = node.run(&req.cmd).await.map(Reply::Value);
                drop(job);
                outcome
            });
            return self.start_job(id, deadline, runtime::InFlight::start(), work);
        }
        let job = JobCount::start(&self.jobs);
        let deadline = self.deadline(&req);
        let client = self.clone();
        // Boxed once here: the request's future is large, and moving it through the task's
        // setup would copy it several times.
        let work = Box::pin(async move {
            let outcome = client.execute(req).await;
            drop(job);
            outcome
        });
        self.start_job(id, deadline, runtime::InFlight::start(), work);
    }

    /// Runs `work` for request `id` as a job: started by the dispatcher in the order jobs are
    /// started here, failed with `TimeoutError` at `deadline` and with `ClosingError` when the
    /// client closes, its outcome pushed to the completion queue.
    fn start_job(
        self: &Arc<Self>,
        id: u32,
        deadline: Option<Instant>,
        in_flight: runtime::InFlight,
        work: Pin<Box<dyn Future<Output = Result<Reply, Failure>> + Send>>,
    ) {
        let client = self.clone();
        let queue = self.queue.clone();
        let mut closed = self.closed.subscribe();
        let job = Box::pin(async move {
            let _in_flight = in_flight;
            let _on_panic = CompleteOnPanic(id, queue.clone());
            let timed = async {
                let outcome = match deadline {
                    Some(d) => timeout_at(d, work)
                        .await
                        .unwrap_or_else(|_| Err(Failure::timeout())),
                    None => work.await,
                };
                if let (Err(f), Conn::Cluster(r)) = (&outcome, &client.conn) {
                    r.link.saw_failure(f);
                }
                outcome
            };
            let outcome = tokio::select! {
                biased;
                _ = closed.wait_for(|c| *c) => Err(Failure::closing()),
                r = timed => r,
            };
            queue.push(id, outcome);
        });
        if self.requests.send(job).is_err() {
            // The dispatcher is gone (it panicked): nothing can run this request.
            self.queue.push(
                id,
                Err(Failure::new(
                    Status::Request,
                    "internal error: the client cannot run requests",
                )),
            );
        }
    }

    /// Stops every request in flight: each completes with `ClosingError` (ABI.md).
    pub fn close(&self) {
        self.closed.send_replace(true);
        self.subscriber.close();
        match &self.conn {
            Conn::Cluster(r) => r.close(),
            Conn::Standalone(s) => {
                s.close_requests();
                if let Some(r) = &self.readers {
                    r.close_requests();
                }
            }
        }
    }

    /// Tells the client its handle (for its pub/sub message records).
    pub fn set_handle(&self, handle: u32) {
        self.handle.store(handle, Ordering::Release);
        self.subscriber.set_handle(handle);
        if let Some(t) = &self.settings.tracking {
            t.set_handle(handle);
        }
    }
}

/// Counts a request as a job until dropped: while any is counted, later requests run as jobs
/// too, after it (see [`AsyncClient::submit_now`]).
struct JobCount(Arc<AtomicUsize>);

impl JobCount {
    fn start(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        JobCount(count.clone())
    }
}

impl Drop for JobCount {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Completes a request whose task panics (tokio would swallow the panic, and JS would wait for
/// that completion forever). Costs nothing unless the thread is unwinding.
struct CompleteOnPanic(u32, Arc<Queue>);

impl Drop for CompleteOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.1.push(
                self.0,
                Err(Failure::new(
                    Status::Request,
                    "internal error: the request's task panicked",
                )),
            );
        }
    }
}
