//! Availability-zone affinity for cluster reads (`readFrom: "AZAffinity"` and
//! `"AZAffinityReplicasAndPrimary"`), as a read routing strategy of the `redis` crate.
//!
//! A node's zone is its `availability-zone` setting (Valkey 8.0+), which it reports in its
//! `HELLO` reply. Each client learns the zones of its nodes in the background: whenever one of
//! its connections sees a new topology, a task on the core's runtime opens a short-lived
//! connection to every node, asks `HELLO` (or, when that is refused, `CONFIG GET
//! availability-zone`), and records the zone in a map shared by all of the client's
//! connections. Nodes without the setting (Redis, older Valkey) have no zone. Until the first
//! answers arrive, and for nodes that do not answer, reads are routed as if no node were in the
//! client's zone: the answers are asked for while the crate is still connecting to the nodes, so
//! they usually come first, but only a caller that awaits [`AzFactory::first_round`] before
//! using a new connection is sure of it.
//!
//! Routing, for a read in a shard that has replicas (the crate sends reads of shards without
//! replicas to the primary without asking, and writes always go to primaries):
//! - `AZAffinity`: a replica in the client's zone, else any replica (round robin per shard).
//! - `AZAffinityReplicasAndPrimary`: a replica in the client's zone, else the primary when it is
//!   in the client's zone, else any replica. Reads that must go to a replica never take the
//!   primary.

use crate::config::Settings;
use crate::connections::guarded;
use crate::proto::ReadFrom;
use redis::cluster::NodeAddress;
use redis::cluster_read_routing::{
    ClusterTopology, ReadCandidates, ReadRoutingStrategy, ReadRoutingStrategyFactory, Replicas,
};
use redis::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;
use tokio::sync::watch;

/// Which nodes besides the client's zone's replicas may serve reads first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affinity {
    /// Replicas in the zone, then any replica.
    Replicas,
    /// Replicas in the zone, then the primary if it is in the zone, then any replica.
    ReplicasAndPrimary,
}

/// The strategy factory for a client whose settings ask for AZ affinity, `None` otherwise.
pub fn factory(settings: &Settings) -> Option<AzFactory> {
    let affinity = match settings.read_from {
        ReadFrom::AzAffinity => Affinity::Replicas,
        ReadFrom::AzAffinityReplicasAndPrimary => Affinity::ReplicasAndPrimary,
        ReadFrom::Primary | ReadFrom::PreferReplica | ReadFrom::AllNodes => return None,
    };
    let zone = settings.client_az.clone()?;
    Some(AzFactory::new(settings.clone(), zone, affinity))
}

/// What one client knows of its nodes' zones, shared by all of its connections.
struct Shared {
    /// The client's zone.
    zone: String,
    affinity: Affinity,
    /// How to reach the nodes (TLS, credentials, timeouts); the password can change.
    settings: RwLock<Settings>,
    /// The zone of each node that reported one.
    zones: RwLock<HashMap<NodeAddress, String>>,
    probe: Mutex<Probe>,
    /// Becomes true when the first round of answers is in.
    first_round: watch::Sender<bool>,
}

/// The background task's state: the nodes to ask next, and whether it is running.
#[derive(Default)]
struct Probe {
    running: bool,
    next: Option<Vec<NodeAddress>>,
}

/// Creates the per-connection strategies of one client; they share the zone map. Clones share
/// it too.
#[derive(Clone)]
pub struct AzFactory {
    shared: Arc<Shared>,
}

impl AzFactory {
    /// A factory routing to `zone` with `affinity`; `settings` reach the nodes.
    pub fn new(settings: Settings, zone: String, affinity: Affinity) -> Self {
        Self {
            shared: Arc::new(Shared {
                zone,
                affinity,
                settings: RwLock::new(settings),
                zones: RwLock::new(HashMap::new()),
                probe: Mutex::new(Probe::default()),
                first_round: watch::Sender::new(false),
            }),
        }
    }

    /// Waits, up to `limit`, until the zones of the first topology a connection of this client
    /// saw are known (whether or not every node answered); true if they are. A caller that
    /// awaits this after connecting, before handing the connection out, makes the first reads
    /// already go to the client's zone.
    pub async fn first_round(&self, limit: Duration) -> bool {
        let mut rx = self.shared.first_round.subscribe();
        let done = tokio::time::timeout(limit, rx.wait_for(|done| *done)).await;
        matches!(done, Ok(Ok(_)))
    }

    /// Later probes reach the nodes with `settings` (the client's password changed).
    pub fn update_settings(&self, settings: &Settings) {
        *self
            .shared
            .settings
            .write()
            .unwrap_or_else(PoisonError::into_inner) = settings.clone();
    }

    /// Asks the nodes at `addresses` (`host:port`) for their zones, in the background: a
    /// standalone client's primary and replicas (replication.rs).
    pub fn learn<'a>(&self, addresses: impl Iterator<Item = &'a str>) {
        let nodes = addresses
            .filter_map(|a| {
                let (host, port) = crate::protocol::slots::host_port(a)?;
                Some(NodeAddress::new(host, port))
            })
            .collect();
        self.shared.probe(nodes);
    }

    /// The zones known so far, by node (for tests and diagnostics).
    pub fn zones(&self) -> HashMap<NodeAddress, String> {
        self.shared
            .zones
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl ReadRoutingStrategyFactory for AzFactory {
    fn create_strategy(&self) -> Box<dyn ReadRoutingStrategy> {
        Box::new(AzStrategy {
            shared: self.shared.clone(),
            counters: RwLock::new(None),
        })
    }
}

/// The strategy of one connection: the shared zones, and a round-robin counter per shard.
struct AzStrategy {
    shared: Arc<Shared>,
    counters: RwLock<Option<Counters>>,
}

/// The round-robin counters of a topology's shards, keyed by primary.
struct Counters {
    topology: ClusterTopology,
    by_primary: HashMap<NodeAddress, AtomicUsize>,
}

impl AzStrategy {
    /// The next round-robin number of the shard that serves `slot`.
    fn next(&self, slot: u16) -> usize {
        let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
        counters
            .as_ref()
            .and_then(|c| {
                let shard = c.topology.shard_for_slot(slot)?;
                c.by_primary.get(shard.primary())
            })
            .map(|n| n.fetch_add(1, Ordering::Relaxed))
            .unwrap_or(0)
    }
}

impl ReadRoutingStrategy for AzStrategy {
    fn on_topology_changed(&self, topology: ClusterTopology) {
        let mut nodes = Vec::new();
        let mut by_primary = HashMap::new();
        for shard in topology.shards() {
            by_primary.insert(shard.primary().clone(), AtomicUsize::new(0));
            nodes.push(shard.primary().clone());
            nodes.extend(shard.replicas().iter().cloned());
        }
        *self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(Counters {
            topology,
            by_primary,
        });
        self.shared.probe(nodes);
    }

    fn route_read<'a>(&self, candidates: &ReadCandidates<'a>) -> &'a NodeAddress {
        let n = self.next(candidates.slot());
        match candidates {
            ReadCandidates::AnyNode(c) => self.choose(n, Some(c.primary()), c.replicas()),
            ReadCandidates::ReplicasOnly(c) => self.choose(n, None, c.replicas()),
        }
    }
}

impl AzStrategy {
    /// The node for a read, `n` being the shard's round-robin number; `primary` is `None` when
    /// the read must go to a replica.
    fn choose<'a>(
        &self,
        n: usize,
        primary: Option<&'a NodeAddress>,
        replicas: &Replicas<'a>,
    ) -> &'a NodeAddress {
        let zones = self
            .shared
            .zones
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let list: Vec<&NodeAddress> = replicas.iter().collect();
        let in_zone = |a: &NodeAddress| zones.get(a).is_some_and(|z| *z == self.shared.zone);
        choose(self.shared.affinity, n, primary, &list, in_zone).unwrap_or_else(|| replicas.first())
    }
}

/// The node for a read with `affinity`: the `n`th (round robin) replica in the client's zone;
/// with `ReplicasAndPrimary`, else the primary if it is in the zone; else the `n`th replica.
/// `None` when there is no replica and the primary may not (or need not) be chosen.
fn choose<'a, T: ?Sized>(
    affinity: Affinity,
    n: usize,
    primary: Option<&'a T>,
    replicas: &[&'a T],
    in_zone: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    if let Some(r) = nth_where(replicas, n, &in_zone) {
        return Some(r);
    }
    if affinity == Affinity::ReplicasAndPrimary {
        if let Some(p) = primary.filter(|p| in_zone(p)) {
            return Some(p);
        }
    }
    nth_where(replicas, n, |_| true)
}

/// The `n`th (modulo their number) of the replicas that satisfy `pred`, if any does.
fn nth_where<'a, T: ?Sized>(
    replicas: &[&'a T],
    n: usize,
    pred: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    let count = replicas.iter().filter(|a| pred(a)).count();
    if count == 0 {
        return None;
    }
    replicas.iter().copied().filter(|a| pred(a)).nth(n % count)
}

impl AzFactory {
    /// The node (`host:port`) for a read of a shard with `primary` and `replicas`, `n` being
    /// the shard's round-robin number, as the crate's connections choose it: the async cluster
    /// client's own connections route with it.
    pub fn choose<'a>(&self, n: usize, primary: &'a str, replicas: &'a [String]) -> &'a str {
        let zones = self
            .shared
            .zones
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let in_zone = |a: &str| {
            let Some((host, port)) = crate::protocol::slots::host_port(a) else {
                return false;
            };
            zones
                .get(&NodeAddress::new(host, port))
                .is_some_and(|z| *z == self.shared.zone)
        };
        let replicas: Vec<&str> = replicas.iter().map(String::as_str).collect();
        choose(self.shared.affinity, n, Some(primary), &replicas, in_zone).unwrap_or(primary)
    }
}

impl Shared {
    /// Asks `nodes` for their zones in the background. Called on the connection's hot path, so
    /// it only queues the request: one task per client runs at a time, and asks for the latest
    /// topology's nodes when it is done with the previous ones.
    fn probe(self: &Arc<Self>, nodes: Vec<NodeAddress>) {
        let mut probe = self.probe.lock().unwrap_or_else(PoisonError::into_inner);
        probe.next = Some(nodes);
        if !probe.running {
            probe.running = true;
            let shared = self.clone();
            crate::connections::runtime::get().spawn(async move { shared.run().await });
        }
    }

    async fn run(self: Arc<Self>) {
        loop {
            let nodes = {
                let mut probe = self.probe.lock().unwrap_or_else(PoisonError::into_inner);
                match probe.next.take() {
                    Some(nodes) => nodes,
                    None => {
                        probe.running = false;
                        return;
                    }
                }
            };
            let settings = &self
                .settings
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let limit = settings.connection_timeout;
            let answers = futures_util::future::join_all(nodes.iter().map(|node| async move {
                tokio::time::timeout(limit, zone_of(settings, node))
                    .await
                    .ok()
                    .flatten()
            }))
            .await;
            {
                let mut zones = self.zones.write().unwrap_or_else(PoisonError::into_inner);
                // Nodes that left the topology are forgotten; nodes that did not answer keep
                // what they said last.
                zones.retain(|node, _| nodes.contains(node));
                for (node, answer) in nodes.into_iter().zip(answers) {
                    match answer {
                        Some(Some(zone)) => {
                            zones.insert(node, zone);
                        }
                        Some(None) => {
                            zones.remove(&node);
                        }
                        None => {}
                    }
                }
            }
            self.first_round.send_replace(true);
        }
    }
}

/// The zone of one node: `Some(None)` when it has none, `None` when it could not be asked.
async fn zone_of(settings: &Settings, node: &NodeAddress) -> Option<Option<String>> {
    let mut conn = guarded::connect(settings, node.host(), node.port(), Default::default())
        .await
        .ok()?;
    // HELLO needs no admin rights; Valkey 8.0+ includes `availability_zone` when it is set.
    if let Ok(reply) = redis::cmd("HELLO").query_async::<Value>(&mut conn).await {
        return Some(field(&reply, "availability_zone"));
    }
    let reply = redis::cmd("CONFIG")
        .arg("GET")
        .arg("availability-zone")
        .query_async::<Value>(&mut conn)
        .await
        .ok()?;
    Some(field(&reply, "availability-zone"))
}

/// The non-empty string value of `name` in a map reply (RESP3 map, or RESP2 flat pairs).
fn field(reply: &Value, name: &str) -> Option<String> {
    let text = |v: &Value| match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) | Value::VerbatimString { text: s, .. } => Some(s.clone()),
        _ => None,
    };
    let value = match reply {
        Value::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| text(k).as_deref() == Some(name))
            .map(|(_, v)| v),
        Value::Array(items) => items
            .chunks(2)
            .find(|kv| kv.len() == 2 && text(&kv[0]).as_deref() == Some(name))
            .map(|kv| &kv[1]),
        _ => None,
    }?;
    text(value).filter(|z| !z.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis::cluster_read_routing::Shard;

    fn addr(port: u16) -> NodeAddress {
        NodeAddress::new("127.0.0.1", port)
    }

    /// A strategy over one shard (primary 1, replicas 2..=4) with the given zones.
    fn strategy(affinity: Affinity, zones: &[(u16, &str)]) -> AzStrategy {
        let settings = Settings::decode(&prost::Message::encode_to_vec(
            &crate::proto::ConnectionRequest {
                addresses: vec![crate::proto::NodeAddress {
                    host: "127.0.0.1".into(),
                    port: 1,
                }],
                ..Default::default()
            },
        ))
        .unwrap();
        let factory = AzFactory::new(settings, "az-a".into(), affinity);
        {
            let mut map = factory.shared.zones.write().unwrap();
            for (port, zone) in zones {
                map.insert(addr(*port), zone.to_string());
            }
        }
        let s = AzStrategy {
            shared: factory.shared.clone(),
            counters: RwLock::new(None),
        };
        let topology =
            ClusterTopology::from_shards(vec![Shard::new(vec![(0, 16383)], addr(1), vec![])]);
        let by_primary = HashMap::from([(addr(1), AtomicUsize::new(0))]);
        *s.counters.write().unwrap() = Some(Counters {
            topology,
            by_primary,
        });
        s
    }

    fn reads(s: &AzStrategy, any_node: bool, times: usize) -> Vec<u16> {
        let primary = addr(1);
        let replicas = vec![addr(2), addr(3), addr(4)];
        let replicas = Replicas::new(&replicas).unwrap();
        (0..times)
            .map(|_| {
                let n = s.next(0);
                s.choose(n, any_node.then_some(&primary), &replicas).port()
            })
            .collect()
    }

    #[test]
    fn replicas_in_zone_first() {
        let s = strategy(Affinity::Replicas, &[(1, "az-a"), (3, "az-a"), (4, "az-b")]);
        assert_eq!(reads(&s, true, 4), vec![3, 3, 3, 3]);
        let s = strategy(Affinity::Replicas, &[(2, "az-a"), (4, "az-a")]);
        assert_eq!(reads(&s, false, 4), vec![2, 4, 2, 4]);
    }

    #[test]
    fn no_replica_in_zone() {
        let s = strategy(Affinity::Replicas, &[(1, "az-a"), (2, "az-b")]);
        assert_eq!(reads(&s, true, 4), vec![2, 3, 4, 2]);
        let s = strategy(Affinity::ReplicasAndPrimary, &[(1, "az-a"), (2, "az-b")]);
        assert_eq!(reads(&s, true, 3), vec![1, 1, 1]);
        assert_eq!(reads(&s, false, 3), vec![2, 3, 4]);
        let s = strategy(Affinity::ReplicasAndPrimary, &[(1, "az-b")]);
        assert_eq!(reads(&s, true, 3), vec![2, 3, 4]);
        let s = strategy(Affinity::ReplicasAndPrimary, &[(1, "az-a"), (4, "az-a")]);
        assert_eq!(reads(&s, true, 2), vec![4, 4]);
    }

    #[test]
    fn fields() {
        let resp3 = Value::Map(vec![
            (
                Value::BulkString(b"server".to_vec()),
                Value::BulkString(b"valkey".to_vec()),
            ),
            (
                Value::BulkString(b"availability_zone".to_vec()),
                Value::BulkString(b"az-a".to_vec()),
            ),
        ]);
        assert_eq!(field(&resp3, "availability_zone").as_deref(), Some("az-a"));
        let resp2 = Value::Array(vec![
            Value::BulkString(b"availability-zone".to_vec()),
            Value::BulkString(b"".to_vec()),
        ]);
        assert_eq!(field(&resp2, "availability-zone"), None);
        assert_eq!(field(&Value::Array(vec![]), "availability-zone"), None);
    }
}
