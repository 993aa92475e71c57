//! The async client: requests are parsed on the caller's thread, run as tasks on the shared
//! tokio runtime, and their outcomes pushed to the completion queue.

use crate::cluster;
use crate::cluster_link::ClusterLink;
use crate::completions::{self, Queue};
use crate::config::Settings;
use crate::errors::{Failure, Status};
use crate::reply::Reply;
use crate::request::{Reader, Request};
use crate::runtime;
use crate::standalone::Standalone;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::time::timeout;

enum Conn {
    Standalone(Box<Standalone>),
    Cluster(Arc<ClusterLink>),
}

/// One async client.
pub struct AsyncClient {
    conn: Conn,
    subscriber: crate::pubsub::Subscriber,
    settings: Settings,
    closed: watch::Sender<bool>,
    /// The completion queue of the isolate that made the client.
    queue: Arc<Queue>,
}

impl AsyncClient {
    /// Creates the client and starts connecting; the outcome completes `create_id`.
    pub fn start(
        settings: Settings,
        queue: Arc<Queue>,
        create_id: u32,
    ) -> Result<Arc<AsyncClient>, Failure> {
        let conn = if settings.cluster {
            Conn::Cluster(ClusterLink::start(&settings)?)
        } else {
            Conn::Standalone(Box::new(Standalone::new(settings.clone())?))
        };
        let client = Arc::new(AsyncClient {
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
            Conn::Cluster(link) => link.connection().await.map(|_| ()),
        }
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
                Conn::Standalone(s) => s.update_password(password, update.immediate).await?,
                Conn::Cluster(link) => link.update_password(password, update.immediate).await?,
            }
            return Ok(Reply::Value(redis::Value::Okay));
        }
        if let Some(op) = crate::pubsub::op(&req.name) {
            return self.subscriber.apply(op, &req.cmd).await;
        }
        match &self.conn {
            Conn::Standalone(s) => s.run(&req.cmd).await.map(Reply::Value),
            Conn::Cluster(link) => cluster::run(link, req.cmd, &req.name, &req.route).await,
        }
    }

    async fn execute_batch(
        &self,
        route: &crate::request::Route,
        batch: crate::request::Batch,
    ) -> Result<Reply, Failure> {
        match &self.conn {
            Conn::Standalone(s) => s.run_batch(batch).await.map(Reply::Value),
            Conn::Cluster(link) => {
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

    fn spawn(self: &Arc<Self>, req: Request) {
        let id = req.id;
        if *self.closed.borrow() {
            return self.queue.push(id, Err(Failure::closing()));
        }
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        let client = self.clone();
        let queue = self.queue.clone();
        let mut closed = self.closed.subscribe();
        let in_flight = completions::InFlight::start();
        // Boxed once here: the request's future is large, and moving it through the task's
        // setup would copy it several times.
        let work = Box::pin(async move {
            let work = client.execute(req);
            let outcome = match limit {
                Some(d) => timeout(d, work)
                    .await
                    .unwrap_or_else(|_| Err(Failure::timeout())),
                None => work.await,
            };
            if let (Err(f), Conn::Cluster(link)) = (&outcome, &client.conn) {
                link.saw_failure(f);
            }
            outcome
        });
        runtime::get().spawn(async move {
            let _in_flight = in_flight;
            let _on_panic = CompleteOnPanic(id, queue.clone());
            let outcome = tokio::select! {
                biased;
                _ = closed.wait_for(|c| *c) => Err(Failure::closing()),
                r = work => r,
            };
            queue.push(id, outcome);
        });
    }

    /// Stops every request in flight: each completes with `ClosingError` (ABI.md).
    pub fn close(&self) {
        self.closed.send_replace(true);
        self.subscriber.close();
        if let Conn::Cluster(link) = &self.conn {
            link.close();
        }
    }

    /// Tells the client its handle (for its pub/sub message records).
    pub fn set_handle(&self, handle: u32) {
        self.subscriber.set_handle(handle);
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
