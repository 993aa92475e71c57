//! The sync client: each request runs on the calling thread over the client's own socket. After
//! a timeout or an I/O error the connection is dropped, so a late reply can never be read as the
//! next request's, and the next request reconnects.

use crate::cluster;
use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::errors::{breaks_connection, Failure, Status};
use crate::reply::{encode_completion, Reply};
use crate::request::{Batch, Reader, Request};
use crate::runtime;
use crate::standalone::connect_failure;
use redis::{Cmd, ConnectionLike, Value};
use std::sync::Arc;
use std::time::Duration;

enum Link {
    Standalone {
        client: redis::Client,
        conn: Option<redis::Connection>,
    },
    Cluster {
        client: redis::cluster::ClusterClient,
        conn: Option<Box<redis::cluster::ClusterConnection>>,
        /// The async connection batches run on (made on the first batch): the crate's sync
        /// cluster connection turns the errors inside a transaction into a failure of the
        /// whole, and sends pipelines one node after another.
        batches: Option<Arc<ClusterLink>>,
    },
}

/// One sync client.
pub struct SyncClient {
    link: Link,
    subscriber: Arc<crate::pubsub::Subscriber>,
    settings: Settings,
    /// A completion record too large for the caller's buffer, kept for `take`.
    kept: Vec<u8>,
    closed: bool,
}

impl SyncClient {
    /// Creates the client and, unless lazy, connects now.
    pub fn connect(settings: Settings) -> Result<SyncClient, Failure> {
        let link = if settings.cluster {
            Link::Cluster {
                client: cluster::client(&settings)?,
                conn: None,
                batches: None,
            }
        } else {
            let (host, port) = settings.nodes[0].clone();
            Link::Standalone {
                client: settings.client(&host, port)?,
                conn: None,
            }
        };
        let mut client = SyncClient {
            subscriber: Arc::new(crate::pubsub::Subscriber::new(&settings)),
            link,
            settings,
            kept: Vec::new(),
            closed: false,
        };
        if !client.settings.lazy {
            client.ensure_connected()?;
        }
        Ok(client)
    }

    fn ensure_connected(&mut self) -> Result<(), Failure> {
        let limit = self.settings.connection_timeout;
        match &mut self.link {
            Link::Standalone { client, conn } if conn.is_none() => {
                let mut c = client
                    .get_connection_with_timeout(limit)
                    .map_err(connect_failure)?;
                if let Some(name) = &self.settings.client_name {
                    c.req_command(redis::cmd("CLIENT").arg("SETNAME").arg(name))
                        .map_err(connect_failure)?;
                }
                *conn = Some(c);
            }
            Link::Cluster { client, conn, .. } if conn.is_none() => {
                let mut c = client.get_connection().map_err(connect_failure)?;
                if let Some(name) = &self.settings.client_name {
                    let (cmd, routing) = cluster::set_name(name);
                    c.route_command(&cmd, routing).map_err(connect_failure)?;
                }
                *conn = Some(Box::new(c));
            }
            _ => {}
        }
        Ok(())
    }

    fn execute(&mut self, req: &mut Request) -> Result<Reply, Failure> {
        if let Some(update) = req.password.take() {
            return self.update_password(update.password.as_deref(), update.immediate);
        }
        if req.subscriptions {
            return Ok(self.subscriber.state());
        }
        self.ensure_connected()?;
        if let Some(mut batch) = req.batch.take() {
            batch.parse()?;
            return self.execute_batch(req, *batch);
        }
        if let Some(op) = crate::pubsub::op(&req.name) {
            let subscriber = self.subscriber.clone();
            let limit = req.timeout.resolve(Some(self.settings.request_timeout));
            let cmd = req.cmd.clone();
            return runtime::get().block_on(async move {
                let work = subscriber.apply(op, &cmd);
                match limit {
                    Some(d) => tokio::time::timeout(d, work)
                        .await
                        .unwrap_or_else(|_| Err(Failure::timeout())),
                    None => work.await,
                }
            });
        }
        if matches!(self.link, Link::Cluster { .. }) {
            // The crate's sync cluster connection retries a command after its socket's read
            // timeout, so a stalled node could run it several times and the call would outlast
            // its timeout; the async connection (the one batches and WATCH use) is bounded.
            return self.watch_for_batches(req);
        }
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        // The socket's own timeouts bound the round trip (None = block until the reply).
        let limit = limit.map(|d| d.max(Duration::from_millis(1)));
        let result = match &mut self.link {
            Link::Standalone { conn: Some(c), .. } => run(c, &req.cmd, limit),
            Link::Cluster { conn: Some(c), .. } => {
                let set = c
                    .set_read_timeout(limit)
                    .and_then(|_| c.set_write_timeout(limit));
                match set {
                    Err(e) => Err(e),
                    Ok(()) => match cluster::routing(&req.name, &req.route) {
                        Some((routing, how)) => {
                            let v = c.route_command(&req.cmd, routing);
                            return finish(self, v.map(Reply::Value)).and_then(|r| match r {
                                Reply::Value(v) => cluster::combine(v, how),
                                other => Ok(other),
                            });
                        }
                        None => c.req_command(&req.cmd),
                    },
                }
            }
            _ => unreachable!("connected above"),
        };
        finish(self, result.map(Reply::Value))
    }

    /// Changes the password reconnections use; with `immediate`, authenticates with it now.
    fn update_password(
        &mut self,
        password: Option<&str>,
        immediate: bool,
    ) -> Result<Reply, Failure> {
        let settings = crate::credentials::with_password(&self.settings, password);
        match &mut self.link {
            Link::Standalone { client, conn } => {
                let (host, port) = settings.nodes[0].clone();
                let fresh = settings.client(&host, port)?;
                if let (true, Some(c), Some(auth)) = (
                    immediate,
                    conn.as_mut(),
                    crate::credentials::auth(&settings),
                ) {
                    let v = c.req_command(&auth).map_err(Failure::from)?;
                    crate::errors::top_level(v)?;
                }
                *client = fresh;
            }
            Link::Cluster {
                client,
                conn,
                batches,
            } => {
                *client = cluster::client(&settings)?;
                *conn = None; // the crate would reconnect nodes with the old password
                if let Some(link) = batches.clone() {
                    let p = password.map(str::to_owned);
                    runtime::get()
                        .block_on(async move { link.update_password(p.as_deref(), false).await })?;
                }
            }
        }
        self.settings = settings;
        if immediate {
            self.ensure_connected()?;
        }
        Ok(Reply::Value(Value::Okay))
    }

    /// The async cluster connection batches run on, made on first use.
    fn batch_link(&mut self) -> Result<Arc<ClusterLink>, Failure> {
        let Link::Cluster { batches, .. } = &mut self.link else {
            return Err(Failure::config("not a cluster client"));
        };
        Ok(match batches {
            Some(link) => link.clone(),
            None => batches
                .insert(Arc::new(ClusterLink::new(&self.settings)?))
                .clone(),
        })
    }

    /// A sync cluster client's command, run on its async cluster connection (the one its
    /// transactions use, so WATCH state is shared) within the request's timeout.
    fn watch_for_batches(&mut self, req: &Request) -> Result<Reply, Failure> {
        let link = self.batch_link()?;
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        let (cmd, routing) = (req.cmd.clone(), cluster::routing(&req.name, &req.route));
        let work = async move {
            use redis::aio::ConnectionLike;
            let mut c = link.connection().await?;
            match routing {
                Some((r, how)) => cluster::combine(c.route_command(cmd, r).await?, how),
                None => {
                    crate::errors::top_level(c.req_packed_command(&cmd).await?).map(Reply::Value)
                }
            }
        };
        runtime::get().block_on(async move {
            match limit {
                Some(d) => tokio::time::timeout(d, work)
                    .await
                    .unwrap_or_else(|_| Err(Failure::timeout())),
                None => work.await,
            }
        })
    }

    fn execute_batch(&mut self, req: &Request, mut batch: Batch) -> Result<Reply, Failure> {
        let limit = req.timeout.resolve(Some(self.settings.request_timeout));
        let limit = limit.map(|d| d.max(Duration::from_millis(1)));
        let n = batch.cmds.len();
        let atomic = batch.atomic;
        let (offset, count) = crate::batch::reply_window(n, atomic);
        let result = match &mut self.link {
            Link::Standalone { conn: Some(c), .. } => {
                let packed = crate::batch::pipeline(&mut batch).get_packed_pipeline();
                c.set_read_timeout(limit)
                    .and_then(|_| c.set_write_timeout(limit))
                    .and_then(|_| c.req_packed_commands(&packed, offset, count))
                    .map(|values| Reply::Value(crate::batch::result(values, atomic)))
            }
            Link::Cluster { .. } => {
                let link = self.batch_link()?;
                let route = req.route.clone();
                let work = async move {
                    let mut c = link.connection().await?;
                    if batch.atomic {
                        crate::batch::cluster_transaction(&mut c, &route, batch)
                            .await
                            .map(Reply::Value)
                    } else {
                        crate::batch::cluster_pipeline(&link, &mut c, &route, batch).await
                    }
                };
                return runtime::get().block_on(async move {
                    match limit {
                        Some(d) => tokio::time::timeout(d, work)
                            .await
                            .unwrap_or_else(|_| Err(Failure::timeout())),
                        None => work.await,
                    }
                });
            }
            _ => unreachable!("connected above"),
        };
        finish(self, result)
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
    }

    pub fn close(&mut self) {
        self.closed = true;
        self.subscriber.close();
        self.kept = Vec::new();
        match &mut self.link {
            Link::Standalone { conn, .. } => *conn = None,
            Link::Cluster { conn, batches, .. } => {
                *conn = None;
                *batches = None;
            }
        }
    }
}

fn run(c: &mut redis::Connection, cmd: &Cmd, limit: Option<Duration>) -> redis::RedisResult<Value> {
    c.set_read_timeout(limit)?;
    c.set_write_timeout(limit)?;
    c.req_command(cmd)
}

/// Drops the connection after an error that leaves it in an unknown state.
fn finish(client: &mut SyncClient, result: redis::RedisResult<Reply>) -> Result<Reply, Failure> {
    let result = result.map_err(|e| {
        if breaks_connection(&e) {
            match &mut client.link {
                Link::Standalone { conn, .. } => *conn = None,
                Link::Cluster { conn, .. } => *conn = None,
            }
        }
        let f = Failure::from(e);
        if f.status == Status::Request && f.message.contains("timed out") {
            return Failure::timeout();
        }
        f
    })?;
    match result {
        Reply::Value(v) => crate::errors::top_level(v).map(Reply::Value),
        per_node => Ok(per_node),
    }
}
