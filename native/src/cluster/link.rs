//! The cluster connection of one client (async and sync clients alike): created on first use,
//! and replaced by a fresh one when a topology check finds that the cluster's slot map changed
//! (the `redis` crate refreshes its map only on redirects and errors, and has no hook to ask it
//! to).
//!
//! Topology checks run every `periodicChecks` interval. With `refreshTopologyFromInitialNodes`
//! they ask the seed addresses (resolved again each time) instead of a node the client knows,
//! and a request failing with a connection error or a timeout triggers one at once; a
//! replacement connection is always built from the seeds.

use crate::cluster::client::ClusterClient;
use crate::config::Settings;
use crate::connections::az::AzFactory;
use crate::connections::guarded;
use crate::connections::guarded::ClusterConnection;
use crate::protocol::errors::connect_failure;
use crate::protocol::errors::{Failure, Status};
use crate::protocol::slots::SlotTable;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use redis::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};
use tokio::time::timeout;

/// A client's cluster connection.
pub struct ClusterLink {
    /// The client connections are made with (replaced when the password changes).
    client: Mutex<ClusterClient>,
    settings: Mutex<Settings>,
    current: Mutex<Option<ClusterConnection>>,
    /// The slot map (see [`slot_map`]) the current connection was made with.
    known_map: Mutex<String>,
    /// Serialises connection attempts.
    connecting: tokio::sync::Mutex<()>,
    /// Which nodes serve each slot; read when first needed, moved slot by slot by MOVED
    /// replies, and read again in the background when a redirect, a failing node or a
    /// topology check shows it is stale ([`ClusterLink::refresh_slot_table`]).
    slot_table: Mutex<Option<Arc<SlotTable>>>,
    /// The nodes' zones, for the AZ-affinity read modes.
    az: Option<AzFactory>,
    /// Wakes the topology checker before its interval is up.
    nudge: Arc<Notify>,
    /// Stops the topology checker (also stopped when the link is dropped).
    stop: watch::Sender<bool>,
    closed: AtomicBool,
    /// Set while the slot table is read again in the background (one read at a time).
    refreshing: AtomicBool,
    /// The link itself, for the background reads.
    me: Weak<Self>,
}

impl ClusterLink {
    /// The link of a client with `settings`, with its topology checker started when the
    /// settings ask for checks. Nothing connects yet.
    pub fn start(settings: &Settings) -> Result<Arc<Self>, Failure> {
        let az = crate::connections::az::factory(settings);
        let client = crate::cluster::client::client(settings, az.as_ref())?;
        let link = Arc::new_cyclic(|me| Self {
            client: Mutex::new(client),
            settings: Mutex::new(settings.clone()),
            current: Mutex::new(None),
            known_map: Mutex::new(String::new()),
            connecting: tokio::sync::Mutex::new(()),
            slot_table: Mutex::new(None),
            az,
            nudge: Arc::new(Notify::new()),
            stop: watch::channel(false).0,
            closed: AtomicBool::new(false),
            refreshing: AtomicBool::new(false),
            me: me.clone(),
        });
        if settings.periodic_checks.is_some() || settings.refresh_from_seeds {
            let checker = check_topology(
                Arc::downgrade(&link),
                settings.periodic_checks,
                link.nudge.clone(),
                link.stop.subscribe(),
            );
            crate::connections::runtime::get().spawn(checker);
        }
        Ok(link)
    }

    /// Stops the topology checks and drops the connection; later requests get `ClosingError`.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.stop.send_replace(true);
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Tells the link a request failed: a connection error or a timeout (the crate retries
    /// a node that went away until the request's time is up) makes a client that refreshes
    /// its topology from the seeds check it now.
    pub fn saw_failure(&self, failure: &Failure) {
        if matches!(failure.status, Status::Connection | Status::Timeout)
            && self.settings().refresh_from_seeds
        {
            self.nudge.notify_one();
        }
    }

    fn current(&self) -> Option<ClusterConnection> {
        self.current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn replace(&self, conn: ClusterConnection) {
        if !self.closed.load(Ordering::Acquire) {
            *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn);
        }
    }

    /// The connection, made first if there is none yet.
    pub async fn connection(&self) -> Result<ClusterConnection, Failure> {
        if let Some(c) = self.current() {
            return Ok(c);
        }
        let _guard = self.connecting.lock().await;
        if let Some(c) = self.current() {
            return Ok(c);
        }
        if self.closed.load(Ordering::Acquire) {
            return Err(Failure::closing());
        }
        let mut c = match self.connect().await {
            Ok(c) => c,
            Err(e) => {
                crate::connections::logger::event(
                    crate::connections::logger::WARN,
                    "cluster",
                    || format!("could not connect to the cluster: {}", e.message),
                );
                return Err(e);
            }
        };
        crate::connections::logger::event(crate::connections::logger::INFO, "cluster", || {
            "connected to the cluster".to_owned()
        });
        let settings = self.settings();
        if settings.periodic_checks.is_some() || settings.refresh_from_seeds {
            if let Some(map) = fetch_map(&mut c).await {
                *self.known_map.lock().unwrap_or_else(|p| p.into_inner()) = map;
            }
        }
        self.replace(c.clone());
        Ok(c)
    }

    fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Changes the password: later connections use it, and the current connection is replaced
    /// (the crate would reconnect its nodes with the old one). With `immediate`, the new
    /// connection is made now, so that a wrong password is this call's error.
    pub async fn update_password(
        &self,
        password: Option<&str>,
        immediate: bool,
    ) -> Result<(), Failure> {
        let settings = crate::connections::credentials::with_password(&self.settings(), password);
        let client = crate::cluster::client::client(&settings, self.az.as_ref())?;
        if let Some(az) = &self.az {
            az.update_settings(&settings);
        }
        let _guard = self.connecting.lock().await;
        *self.client.lock().unwrap_or_else(|p| p.into_inner()) = client;
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
        if immediate {
            let fresh = self.connect().await?;
            self.replace(fresh);
        } else {
            *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        Ok(())
    }

    /// The slot table, read with CLUSTER SLOTS if there is none; `None` if that fails.
    pub async fn slot_table(&self, conn: &mut ClusterConnection) -> Option<Arc<SlotTable>> {
        if let Some(t) = self
            .slot_table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Some(t);
        }
        self.read_slot_table(conn).await
    }

    /// Reads the slot table with CLUSTER SLOTS and keeps it; `None` if that fails.
    async fn read_slot_table(&self, conn: &mut ClusterConnection) -> Option<Arc<SlotTable>> {
        let reply = conn
            .route_command(
                redis::cmd("CLUSTER").arg("SLOTS").clone(),
                // A primary: it learns of a slot given to it, or taken from it, first; a
                // replica only by gossip, some time later.
                RoutingInfo::SingleNode(SingleNodeRoutingInfo::RandomPrimary),
            )
            .await
            .ok()?;
        let table = Arc::new(SlotTable::from_reply(&reply)?);
        crate::connections::logger::event(crate::connections::logger::DEBUG, "cluster", || {
            format!("slot table read: {} primaries", table.primaries().len())
        });
        *self.slot_table.lock().unwrap_or_else(|p| p.into_inner()) = Some(table.clone());
        Some(table)
    }

    /// The slot table if there is one, without asking the cluster.
    pub fn known_slot_table(&self) -> Option<Arc<SlotTable>> {
        self.slot_table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What the client knows of its nodes' zones (the AZ-affinity read modes).
    pub fn az(&self) -> Option<&AzFactory> {
        self.az.as_ref()
    }

    /// The settings the link connects with now (the password may have changed).
    pub fn current_settings(&self) -> Settings {
        self.settings()
    }

    /// Applies a MOVED reply (`<slot> <host>:<port>`) to the slot table, if there is one (see
    /// [`SlotTable::with_move`]); the owner it names, if the reply names one.
    pub fn moved(&self, detail: Option<&str>) -> Option<String> {
        let mut parts = detail?.split_ascii_whitespace();
        let slot = parts.next()?.parse::<u16>().ok();
        let owner = parts.next()?.to_owned();
        let mut table = self.slot_table.lock().unwrap_or_else(|p| p.into_inner());
        match (table.as_ref(), slot) {
            (Some(t), Some(slot)) => *table = Some(Arc::new(t.with_move(slot, &owner))),
            _ => *table = None,
        }
        Some(owner)
    }

    /// Reads the slot table again in the background (a command was redirected, a node is
    /// failing, the topology changed), unless a read is under way. The table known now serves
    /// meanwhile: requests for the other shards never wait for the read, which goes through
    /// the crate's cluster connection and can take as long as that connection's recovery
    /// from a failed node. A request the stale table sends to the wrong node is redirected in
    /// its place (MOVED moves its slot in the table at once).
    pub fn refresh_slot_table(&self) {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let Some(me) = self.me.upgrade() else {
            return;
        };
        crate::connections::runtime::get().spawn(async move {
            let limit = me.settings().connection_timeout;
            let read = async {
                let mut c = me.connection().await.ok()?;
                me.read_slot_table(&mut c).await
            };
            // The table read is kept (a failed read leaves the known one; the next
            // redirect or failing node asks again).
            let _ = timeout(limit, read).await;
            me.refreshing.store(false, Ordering::Release);
        });
    }

    async fn connect(&self) -> Result<ClusterConnection, Failure> {
        let settings = self.settings();
        let limit = settings.connection_timeout;
        let client = self
            .client
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let started = Instant::now();
        // Each node connection is named as it is made (connections/guarded.rs).
        let attempt = client.connect();
        match timeout(limit, attempt).await {
            Ok(Ok(c)) => {
                if let Some(az) = &self.az {
                    // The zones were asked for while the crate connected; waiting for them
                    // (within what is left of the connection timeout) makes the first reads
                    // go to the client's zone. Nodes that do not answer in time count as out
                    // of the zone until they do.
                    az.first_round(limit.saturating_sub(started.elapsed()))
                        .await;
                }
                Ok(c)
            }
            Ok(Err(e)) => Err(connect_failure(e)),
            Err(_) => Err(Failure::new(
                Status::Connection,
                format!(
                    "could not reach the cluster within {} ms",
                    limit.as_millis()
                ),
            )),
        }
    }

    /// One topology check: compares the cluster's slot map with the one the connection was made
    /// with and, when it changed, replaces the connection (requests in flight finish on the old
    /// one).
    async fn check_once(&self) {
        let Some(mut conn) = self.current() else {
            return;
        };
        let settings = self.settings();
        let seen = if settings.refresh_from_seeds {
            map_from_seeds(&settings).await
        } else {
            fetch_map(&mut conn).await
        };
        let Some(seen) = seen else {
            return;
        };
        let known = self
            .known_map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if seen != known {
            let _guard = self.connecting.lock().await;
            if self.closed.load(Ordering::Acquire) {
                return;
            }
            if let Ok(fresh) = self.connect().await {
                *self.known_map.lock().unwrap_or_else(|p| p.into_inner()) = seen;
                self.replace(fresh);
                self.refresh_slot_table();
            }
        }
    }
}

/// The topology checker of a link: checks every `every` (if any) and whenever nudged, until the
/// link is closed or dropped.
async fn check_topology(
    link: Weak<ClusterLink>,
    every: Option<Duration>,
    nudge: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    /// Nudged checks are this far apart at least (a cluster that is down fails every request).
    const SPACING: Duration = Duration::from_secs(1);
    let mut last = tokio::time::Instant::now();
    loop {
        let tick = async {
            match every {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        let nudged = tokio::select! {
            // Also when the link is dropped (the sender with it).
            _ = stop.wait_for(|s| *s) => return,
            _ = tick => false,
            _ = nudge.notified() => true,
        };
        if nudged {
            tokio::time::sleep_until(last + SPACING).await;
        }
        let Some(link) = link.upgrade() else {
            return;
        };
        link.check_once().await;
        drop(link);
        last = tokio::time::Instant::now();
    }
}

/// The slot map as the first seed that answers sees it, over a connection of its own.
async fn map_from_seeds(settings: &Settings) -> Option<String> {
    for (host, port) in &settings.nodes {
        let ask = async {
            let mut conn = guarded::connect(settings, host, *port, Default::default())
                .await
                .ok()?;
            let reply = redis::cmd("CLUSTER")
                .arg("SLOTS")
                .query_async::<Value>(&mut conn)
                .await
                .ok()?;
            Some(slot_map(&reply))
        };
        if let Ok(Some(map)) = timeout(settings.connection_timeout, ask).await {
            return Some(map);
        }
    }
    None
}

/// The cluster's slot map as one node sees it.
async fn fetch_map(conn: &mut ClusterConnection) -> Option<String> {
    let reply = conn
        .route_command(
            redis::cmd("CLUSTER").arg("SLOTS").clone(),
            RoutingInfo::SingleNode(SingleNodeRoutingInfo::Random),
        )
        .await
        .ok()?;
    Some(slot_map(&reply))
}

/// A canonical text of a CLUSTER SLOTS reply: each range with its nodes' addresses, sorted.
fn slot_map(reply: &Value) -> String {
    let Value::Array(ranges) = reply else {
        return String::new();
    };
    let mut lines: Vec<String> = ranges
        .iter()
        .filter_map(|range| {
            let Value::Array(parts) = range else {
                return None;
            };
            let text: Vec<String> = parts.iter().map(node_text).collect();
            Some(text.join(" "))
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

fn node_text(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        // A node: host, port, id (extra metadata is ignored).
        Value::Array(parts) => parts
            .iter()
            .take(3)
            .map(node_text)
            .collect::<Vec<_>>()
            .join(":"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(port: i64) -> Value {
        Value::Array(vec![
            Value::BulkString(b"127.0.0.1".to_vec()),
            Value::Int(port),
            Value::BulkString(b"id".to_vec()),
        ])
    }

    #[test]
    fn slot_maps_compare_by_content_not_order() {
        let a = Value::Array(vec![
            Value::Array(vec![Value::Int(0), Value::Int(10), node(1)]),
            Value::Array(vec![Value::Int(11), Value::Int(20), node(2)]),
        ]);
        let b = Value::Array(vec![
            Value::Array(vec![Value::Int(11), Value::Int(20), node(2)]),
            Value::Array(vec![Value::Int(0), Value::Int(10), node(1)]),
        ]);
        let moved = Value::Array(vec![
            Value::Array(vec![Value::Int(0), Value::Int(10), node(2)]),
            Value::Array(vec![Value::Int(11), Value::Int(20), node(2)]),
        ]);
        assert_eq!(slot_map(&a), slot_map(&b));
        assert_ne!(slot_map(&a), slot_map(&moved));
    }
}
