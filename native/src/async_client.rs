//! The async client: requests are parsed on the caller's thread. A standalone client's command
//! (or batch), and a cluster client's command for one node that may start at once, is handed
//! to its connection right there, in submit order, and the connection's reader pushes the
//! outcome to the completion queue ([`crate::pipe`]). Everything else (a connection still
//! coming up, a cluster request that waits for its turn or goes through the link, batches of a
//! cluster client, password changes, pub/sub, and a command a node did not run: MOVED, ASK...)
//! runs as a task on the shared tokio runtime, its outcome pushed to the completion queue.

use crate::cluster;
use crate::cluster_link::ClusterLink;
use crate::completions::Queue;
use crate::config::Settings;
use crate::errors::{Failure, Status};
use crate::node_batch::Judged;
use crate::ordered_cluster::{judge, OrderedCluster, Sent, To};
use crate::readers::Readers;
use crate::reply::Reply;
use crate::request::{Reader, Request};
use crate::runtime;
use crate::sequencer::{Kind, Ticket};
use crate::standalone::Standalone;
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};
use tokio::time::{timeout_at, Instant};

enum Conn {
    Standalone(Box<Standalone>),
    Cluster(Arc<ClusterLink>, Box<OrderedCluster>),
}

/// How a cluster request runs: its place in the client's order, and the node or nodes it goes
/// to on the fast path (`None`: on the link).
struct Place {
    ticket: Ticket,
    to: Option<To>,
}

/// One async client.
pub struct AsyncClient {
    conn: Conn,
    subscriber: crate::pubsub::Subscriber,
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
    _alive: crate::telemetry::Counted,
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
        settings: Settings,
        queue: Arc<Queue>,
        create_id: u32,
    ) -> Result<Arc<AsyncClient>, Failure> {
        if let Some(t) = &settings.tracking {
            t.attach(queue.clone());
        }
        let conn = if settings.cluster {
            Conn::Cluster(
                ClusterLink::start(&settings)?,
                Box::new(OrderedCluster::new(&settings)),
            )
        } else {
            Conn::Standalone(Box::new(Standalone::new(settings.clone())?))
        };
        let (requests, jobs) = mpsc::unbounded_channel();
        runtime::get().spawn(tokio::task::unconstrained(dispatch(jobs)));
        let client = Arc::new(AsyncClient {
            readers: Readers::new(&settings),
            _alive: crate::telemetry::Counted::new(&crate::telemetry::CLIENTS),
            requests,
            jobs: Arc::default(),
            handle: Arc::default(),
            subscriber: crate::pubsub::Subscriber::new(&settings, queue.clone()),
            conn,
            settings,
            closed: watch::channel(false).0,
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
            Conn::Cluster(link, _) => {
                let mut c = link.connection().await?;
                // Read now, so that the first commands can take the fast path.
                link.slot_table(&mut c).await;
                Ok(())
            }
        }
    }

    /// A cluster request's place in the order (taken on the submitting thread, in order), and
    /// whether it takes the fast path. Pub/sub requests go to the subscriber's own connection
    /// and take no place.
    fn place(&self, req: &Request) -> Option<Place> {
        let Conn::Cluster(link, ordered) = &self.conn else {
            return None;
        };
        if req.subscriptions || crate::pubsub::op(&req.name).is_some() {
            return None;
        }
        let target = match (&req.batch, &req.password) {
            (None, None) => ordered.target(link, req),
            (Some(batch), None) => ordered.batch_target(link, &req.route, batch),
            _ => None,
        };
        let (to, kind) = match target {
            Some(t) => (Some(t.to), t.kind),
            None => (None, Kind::Exclusive),
        };
        Some(Place {
            ticket: ordered.sequencer.enter(kind),
            to,
        })
    }

    /// Runs a request in its place: on the fast path, or (also when the fast path could not
    /// run it) on the link. `job` counts the request as a job until a node's connection has
    /// its command (or until it ends, when it goes another way).
    async fn execute_in_place(
        &self,
        req: Request,
        place: Option<Place>,
        job: JobCount,
    ) -> Result<Reply, Failure> {
        let Some(mut place) = place else {
            return self.execute(req).await;
        };
        let mut job = Some(job);
        place.ticket.turn().await;
        if place.to.is_none() && keeps_connection_state(&req) {
            place.to = self.placed_on_nodes(&req).await;
        }
        if let (Some(To::All(nodes, gather)), Conn::Cluster(link, ordered)) =
            (&place.to, &self.conn)
        {
            let sent = ordered
                .send_all(link, nodes, *gather, &place.ticket, &req.cmd)
                .await;
            match sent {
                Some(outcome) => return outcome,
                None => place.ticket.retry().await,
            }
        }
        if let (Some(To::Batch(groups, nodes)), Conn::Cluster(link, ordered), Some(batch)) =
            (&place.to, &self.conn, &req.batch)
        {
            let handed = || drop(job.take());
            let (ticket, parts) = (&place.ticket, (groups.as_slice(), nodes.as_slice()));
            match ordered.send_batch(link, parts, ticket, batch, handed).await {
                Some(Judged::Done(outcome)) => return outcome,
                Some(Judged::Again(results)) => {
                    place.ticket.retry().await;
                    return self.batch_again(req, &place.ticket, results).await;
                }
                None if batch.atomic => {
                    place.ticket.retry().await;
                    return self.batch_again(req, &place.ticket, None).await;
                }
                None => place.ticket.retry().await,
            }
        }
        if let (Some(To::Split(split)), Conn::Cluster(link, ordered)) = (&place.to, &self.conn) {
            let (split, groups, nodes) = &**split;
            let handed = || drop(job.take());
            let (ticket, parts) = (&place.ticket, (groups.as_slice(), nodes.as_slice()));
            let results = match ordered
                .send_batch(link, parts, ticket, &split.batch, handed)
                .await
            {
                Some(Judged::Done(Ok(Reply::Batch(results)))) => results,
                Some(Judged::Done(Err(f))) => return Err(f),
                Some(Judged::Again(Some(results))) => {
                    // The parts a redirect hit run again on the link, in their place.
                    place.ticket.retry().await;
                    crate::batch::rerun_by_key(link, &split.batch, results).await?
                }
                _ => {
                    place.ticket.retry().await;
                    return self.execute(req).await;
                }
            };
            return split.merge(results);
        }
        if let (Some(To::One(node)), Conn::Cluster(link, ordered)) = (&place.to, &self.conn) {
            let handed = || drop(job.take());
            match ordered
                .send(link, node, &place.ticket, &req.cmd, handed)
                .await
            {
                Sent::Done(result) => return result.map(Reply::Value),
                sent => return self.run_again(req, &mut place.ticket, sent).await,
            }
        }
        let outcome = self.execute(req).await;
        drop(place);
        outcome
    }

    /// Runs a cluster command again in its place once the node it was sent to did not run it:
    /// after MOVED, once on the slot's new primary; otherwise (or when that fails too) on the
    /// link, which follows ASK and waits out TRYAGAIN and failovers.
    async fn run_again(
        &self,
        req: Request,
        ticket: &mut Ticket,
        sent: Sent,
    ) -> Result<Reply, Failure> {
        ticket.retry().await;
        let Conn::Cluster(link, ordered) = &self.conn else {
            return self.execute_command(req).await;
        };
        if let Sent::Moved(owner) = sent {
            if let Some(node) = ordered.node(&owner) {
                if let Sent::Done(result) = ordered.send(link, &node, ticket, &req.cmd, || ()).await
                {
                    return result.map(Reply::Value);
                }
            }
        }
        self.execute_command(req).await
    }

    /// Where a request that keeps state on its node's connection (WATCH, UNWATCH, a
    /// transaction) goes on the client's node connections, once the slot table is read (it
    /// was not known when the request was submitted): WATCH and the transaction after it must
    /// meet on one connection, and the link's are others.
    async fn placed_on_nodes(&self, req: &Request) -> Option<To> {
        let Conn::Cluster(link, ordered) = &self.conn else {
            return None;
        };
        let mut c = link.connection().await.ok()?;
        link.slot_table(&mut c).await?;
        let target = match &req.batch {
            Some(batch) => ordered.batch_target(link, &req.route, batch),
            None => ordered.target(link, req),
        };
        target.map(|t| t.to)
    }

    /// Runs a cluster batch again, in its place, once its nodes did not run all of it: a
    /// transaction whole (on its node's connection as the slot table read again says, else on
    /// the link), and of a pipeline the commands a redirect hit, on the link (`results` holds
    /// the others').
    async fn batch_again(
        &self,
        mut req: Request,
        ticket: &Ticket,
        results: Option<Vec<Option<Result<Reply, Failure>>>>,
    ) -> Result<Reply, Failure> {
        let Conn::Cluster(link, ordered) = &self.conn else {
            return Err(Failure::new(
                Status::Request,
                "internal error: not a cluster batch",
            ));
        };
        if results.is_none() {
            if let (Some(To::Batch(groups, nodes)), Some(batch)) =
                (self.placed_on_nodes(&req).await, &req.batch)
            {
                let parts = (groups.as_slice(), nodes.as_slice());
                if let Some(Judged::Done(outcome)) =
                    ordered.send_batch(link, parts, ticket, batch, || ()).await
                {
                    return outcome;
                }
            }
        }
        let Some(batch) = req.batch.take() else {
            return Err(Failure::new(Status::Request, "internal error: not a batch"));
        };
        let Some(results) = results else {
            let mut c = link.connection().await?;
            return crate::batch::cluster_transaction(&mut c, &req.route, *batch)
                .await
                .map(Reply::Value);
        };
        let results = crate::batch::rerun_by_key(link, &batch, results).await?;
        Ok(Reply::Batch(results))
    }

    async fn execute(&self, mut req: Request) -> Result<Reply, Failure> {
        if let Some(mut batch) = req.batch.take() {
            batch.parse()?;
            return self.execute_batch(&req.route, *batch).await;
        }
        if req.subscriptions {
            return Ok(self.subscriber.state());
        }
        if let Some(update) = req.password.take() {
            let password = update.password.as_deref();
            match &self.conn {
                Conn::Standalone(s) => {
                    s.update_password(password, update.immediate).await?;
                    if let Some(r) = &self.readers {
                        r.update(&s.settings());
                    }
                }
                Conn::Cluster(link, ordered) => {
                    link.update_password(password, update.immediate).await?;
                    ordered.update(&link.current_settings());
                }
            }
            return Ok(Reply::Value(redis::Value::Okay));
        }
        self.execute_command(req).await
    }

    /// Runs a command (no batch, no password change).
    async fn execute_command(&self, req: Request) -> Result<Reply, Failure> {
        if let (Conn::Standalone(s), "MONITOR") = (&self.conn, req.name.as_str()) {
            let pipe = s.connection().await?;
            let lines = (self.queue.clone(), self.handle.clone());
            return crate::monitor::start(&pipe, &req.cmd, lines)
                .await
                .map(Reply::Value);
        }
        if let Some(op) = crate::pubsub::op(&req.name) {
            return self.subscriber.apply(op, &req.cmd).await;
        }
        match &self.conn {
            Conn::Standalone(s) => s.run(&req.cmd).await.map(Reply::Value),
            Conn::Cluster(link, _) => {
                let reply =
                    cluster::run(link.connection().await?, req.cmd, &req.name, &req.route).await;
                // The link's connections do not track keys: a server-assisted cache must not
                // keep what they read.
                match self.settings.tracking {
                    Some(_) => reply.map(Reply::untracked),
                    None => reply,
                }
            }
        }
    }

    async fn execute_batch(
        &self,
        route: &crate::request::Route,
        batch: crate::request::Batch,
    ) -> Result<Reply, Failure> {
        match &self.conn {
            Conn::Standalone(s) => s.run_batch(batch).await.map(Reply::Value),
            Conn::Cluster(link, _) => {
                let mut c = link.connection().await?;
                if batch.atomic {
                    crate::batch::cluster_transaction(&mut c, route, batch)
                        .await
                        .map(Reply::Value)
                } else {
                    crate::batch::cluster_pipeline(link, &mut c, route, batch).await
                }
            }
        }
    }

    /// Parses the request records in `buf` and starts each one.
    pub fn submit(self: &Arc<Self>, buf: &[u8]) {
        runtime::keep_hot();
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
        if req.batch.is_some() || !crate::reads::is_read_only(&req.name) {
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
            || crate::pubsub::op(&req.name).is_some()
            || self.settings.monitor;
        if special || self.jobs.load(Ordering::Acquire) != 0 {
            return Some(req);
        }
        let Some(pipe) = reader.unwrap_or(s).live() else {
            return Some(req);
        };
        let deadline = self.deadline(&req);
        let (id, queue, in_flight) = (req.id, self.queue.clone(), runtime::InFlight::start());
        let Some(mut batch) = req.batch else {
            pipe.submit(
                &req.cmd,
                deadline,
                Box::new(move |outcome| {
                    drop(in_flight);
                    let outcome = outcome.and_then(crate::errors::top_level);
                    queue.push(id, outcome.map(Reply::Value));
                }),
            );
            return None;
        };
        if let Err(f) = batch.parse() {
            self.queue.push(id, Err(f));
            return None;
        }
        pipe.submit_batch_to(
            &batch.cmds,
            batch.atomic,
            deadline,
            Box::new(move |outcome| {
                drop(in_flight);
                queue.push(id, outcome.map(Reply::Value));
            }),
        );
        None
    }

    /// Hands a cluster command for one node to that node's live connection now, on the
    /// submitting thread, when it may start at once: nothing submitted before it waits, and
    /// every job has handed its command over. It is written after every command submitted
    /// before it to that node. The node's reader completes it, or, when the node did not run
    /// it (MOVED, ASK ...), starts it again in its place ([`AsyncClient::run_again`]). Gives
    /// the request back when it must run as a job.
    fn submit_to_node(
        self: &Arc<Self>,
        req: Request,
        place: Option<Place>,
    ) -> Option<(Request, Option<Place>)> {
        let direct = match &place {
            Some(Place {
                ticket,
                to: Some(To::One(node)),
            }) if ticket.passed() && self.jobs.load(Ordering::Acquire) == 0 => node.live(),
            _ => None,
        };
        let Some(pipe) = direct else {
            return Some((req, place));
        };
        let Some(Place { mut ticket, .. }) = place else {
            return Some((req, None));
        };
        let deadline = self.deadline(&req);
        let in_flight = runtime::InFlight::start();
        let client = self.clone();
        pipe.submit_request(req, command, deadline, move |req, outcome| {
            let Conn::Cluster(link, _) = &client.conn else {
                return;
            };
            match judge(link, outcome) {
                Sent::Done(result) => {
                    if let Err(f) = &result {
                        link.saw_failure(f);
                    }
                    drop(ticket);
                    client.queue.push(req.id, result.map(Reply::Value));
                    drop(in_flight);
                }
                sent => {
                    let (id, again) = (req.id, client.clone());
                    let work = Box::pin(async move {
                        let outcome = again.run_again(req, &mut ticket, sent).await;
                        drop(ticket);
                        outcome
                    });
                    client.start_job(id, deadline, in_flight, work);
                }
            }
        });
        None
    }

    fn spawn(self: &Arc<Self>, req: Request) {
        let id = req.id;
        if *self.closed.borrow() {
            return self.queue.push(id, Err(Failure::closing()));
        }
        if req.name == "MONITOR" && !self.settings.monitor {
            return self.queue.push(id, Err(crate::monitor::refused()));
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
        if let Err(f) = crate::replication::allowed(&self.settings, &req) {
            return self.queue.push(id, Err(f));
        }
        let reader = match &self.conn {
            Conn::Standalone(s) => self.reader(&req, s),
            Conn::Cluster(..) => None,
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
        let place = self.place(&req);
        let Some((req, place)) = self.submit_to_node(req, place) else {
            return;
        };
        let job = JobCount::start(&self.jobs);
        let deadline = self.deadline(&req);
        let client = self.clone();
        // Boxed once here: the request's future is large, and moving it through the task's
        // setup would copy it several times.
        let work = Box::pin(async move { client.execute_in_place(req, place, job).await });
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
                if let (Err(f), Conn::Cluster(link, _)) = (&outcome, &client.conn) {
                    link.saw_failure(f);
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
            Conn::Cluster(link, ordered) => {
                link.close();
                ordered.close_requests();
            }
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
/// too, after it (see [`AsyncClient::submit_now`] and [`AsyncClient::submit_to_node`]).
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

/// Whether a cluster request leaves state on its node's connection that a later one relies on:
/// WATCH and UNWATCH, and transactions (which EXEC on the connection WATCH was sent on).
fn keeps_connection_state(req: &Request) -> bool {
    match &req.batch {
        Some(batch) => batch.atomic,
        None => matches!(req.name.as_str(), "WATCH" | "UNWATCH"),
    }
}

/// The command a request sends.
fn command(req: &Request) -> &redis::Cmd {
    &req.cmd
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
