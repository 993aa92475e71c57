//! The async cluster client's ordered fast path.
//!
//! A command for one slot goes straight to that slot's node over a multiplexed connection of
//! the client's own (one per node, see [`Standalone`]): requests sent on one connection are
//! answered in the order they were sent, whatever the depth, and skip the `redis` crate's
//! cluster task. Writes go to the slot's primary; with `readFrom: "preferReplica"`, reads go to
//! its replicas in turn (a connection that sent READONLY), or to the primary when it has none;
//! with the AZ-affinity modes, to the node the link's strategy would choose (az.rs). A
//! single-node route (a slot, a known node's address, any primary) takes the same connections,
//! and so does a keyless fan-out to every primary or node (PING, INFO, DBSIZE, FLUSHALL, CONFIG
//! SET ...: on each connection in its place, so it sees what was sent before it) whose replies
//! are a per-node map, all-OK, a sum or a minimum. Everything else (fan-outs whose replies the
//! crate combines otherwise, keyless one-node commands without a route, multi-slot commands,
//! WATCH and its kin, batches) runs on the client's cluster link, and a [`Sequencer`] keeps both
//! paths in submit order. A command the fast path could not run runs again in its place in the
//! order: after MOVED, straight on the slot's new primary; after ASK, TRYAGAIN, CLUSTERDOWN or with no
//! connection to the node, on the link (which follows ASK and waits out a failover).
//!
//! A command for one node whose ticket may start at once (nothing before it waits) is handed to
//! the node's connection on the submitting thread itself (async_client.rs): its place on that
//! connection is its submit order, with no task and no wait. A MOVED reply moves the slot in
//! the link's table (cluster_link.rs), so later requests go to the new primary, as fences.
//!
//! When the slot table changes, a slot whose primary changed is served by another connection
//! than before, where a new request could overtake one still queued on the old connection: so
//! a request for such a slot is a fence (it starts once every request placed with the older
//! table has finished). Requests for every other slot keep going on their connections as
//! before: a request that blocks (`BLPOP k 0`) holds only its own node's connection.

use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::direct::{about_the_connection, holds_connection_state, single_slot};
use crate::errors::redirects;
use crate::errors::Failure;
use crate::fan_out::{gathered, Gather};
use crate::multi_slot::Split;
use crate::node_batch::{Group, Judged};
use crate::proto::ReadFrom;
use crate::reads::read_address;
use crate::request::{Request, Route};
use crate::sequencer::{Kind, Sequencer, Ticket};
use crate::slots::{command_slot, slot_of, SlotTable, SLOTS};
use crate::standalone::Standalone;
use redis::{Cmd, ServerErrorKind, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What became of a command sent on the fast path.
pub enum Sent {
    /// It ran (or failed after being sent): its reply or error.
    Done(Result<Value, Failure>),
    /// It did not run: the slot moved to this primary (`host:port`).
    Moved(String),
    /// It did not run: the link must run it.
    NotRun,
}

/// What a node's reply to a command sent on the fast path means (see [`Sent`]). MOVED tells the
/// link's slot table the slot's new owner; ASK, TRYAGAIN and CLUSTERDOWN make the table stale.
pub fn judge(link: &ClusterLink, reply: Result<Value, Failure>) -> Sent {
    let (kind, detail) = match &reply {
        Ok(Value::ServerError(e)) => (e.kind(), e.details()),
        _ => (None, None),
    };
    if kind == Some(ServerErrorKind::Moved) {
        if let Some(owner) = link.moved(detail) {
            return Sent::Moved(owner);
        }
    }
    if redirects(kind) {
        link.forget_slot_table();
        return Sent::NotRun;
    }
    Sent::Done(reply.and_then(crate::errors::top_level))
}

/// Where a request goes on the fast path, and how it runs beside the others.
pub struct Target {
    pub to: To,
    pub kind: Kind,
}

/// The node or nodes a request goes to.
pub enum To {
    One(Arc<Standalone>),
    /// Every primary (or every node), by `host:port`: a fan-out, its replies gathered.
    All(Vec<(String, Arc<Standalone>)>, Gather),
    /// A batch: the commands of each group to that group's node (see node_batch.rs).
    Batch(Vec<Group>, Vec<Arc<Standalone>>),
    /// A multi-key command split by slot (multi_slot.rs), its parts sent as a batch is.
    Split(Box<(Split, Vec<Group>, Vec<Arc<Standalone>>)>),
}

/// Which table requests were placed with, and the slots that changed primary since.
#[derive(Default)]
struct Placing {
    /// The slot table the fast path last chose a node with.
    used: Option<Arc<SlotTable>>,
    /// Slots whose primary changed, and the first ticket placed with the table that changed
    /// them: until every request before it has finished, a request for one of them is a fence.
    moved: Option<(u64, Vec<bool>)>,
}

/// The node a request names, before the slot table says which connection that is.
enum Aim {
    /// A slot's primary, or with `read`, the node a read of the slot goes to.
    Slot { slot: u16, read: bool },
    /// Any primary (`route: "randomNode"`).
    Random,
    /// The node at this `host:port` (`routeByAddress`), if the table knows it.
    Address(String),
    /// Every primary, or with `replicas` every node, of a keyless command.
    All { replicas: bool, gather: Gather },
    /// The slots of a multi-key command's keys.
    Split(Split),
}

/// Where `req` aims, if the fast path can take it: a command for one slot (by its keys, or by
/// a `slotKey` / `slotId` route), or a single-node route. Fan-outs, keyless commands without
/// a route (the link knows where each goes: SPUBLISH's channel, for one), the transaction
/// commands and the commands about the connection go through the link.
fn aim(req: &Request, settings: &Settings) -> Option<Aim> {
    // WATCH and UNWATCH go to the node connections, where transactions go too.
    let watch = matches!(req.name.as_str(), "WATCH" | "UNWATCH");
    if (holds_connection_state(&req.name) && !watch) || about_the_connection(&req.name) {
        return None;
    }
    // A read a replica may serve (a replica route sends any command to one).
    let read = settings.read_from != ReadFrom::Primary && crate::reads::is_read_only(&req.name);
    Some(match &req.route {
        Route::Default if watch && req.name == "WATCH" => Aim::Slot {
            slot: command_slot(&req.cmd, &req.name)?,
            read: false,
        },
        Route::Default => match single_slot(req) {
            Some(slot) => Aim::Slot { slot, read },
            None => match crate::multi_slot::split(&req.cmd, &req.name) {
                Some(split) => Aim::Split(split),
                None => fan_out(req).or_else(|| keyless(req))?,
            },
        },
        Route::SlotKey { key, replica } => Aim::Slot {
            slot: slot_of(key),
            read: read || *replica,
        },
        Route::SlotId { slot, replica } => Aim::Slot {
            slot: *slot,
            read: read || *replica,
        },
        Route::Random => Aim::Random,
        Route::Address { host, port } => Aim::Address(format!("{host}:{port}")),
        Route::AllNodes | Route::AllPrimaries => fan_out(req)?,
    })
}

/// A command with no key and no fan-out: to any primary (as the link sends it), but PUBLISH and
/// SPUBLISH to their channel's slot (as the link does: the subscribers a PUBLISH counts are the
/// node's).
fn keyless(req: &Request) -> Option<Aim> {
    if matches!(req.name.as_str(), "PUBLISH" | "SPUBLISH") {
        let channel = *crate::slots::args(&req.cmd).get(1)?;
        let slot = slot_of(channel);
        return Some(Aim::Slot { slot, read: false });
    }
    let routed = crate::cluster::routing(&req.name, &req.route).is_some();
    let keyed =
        command_slot(&req.cmd, &req.name).is_some() || crate::slots::is_multi_slot(&req.name);
    (!routed && !keyed).then_some(Aim::Random)
}

/// A keyless command sent to every primary (or node), by its route or GLIDE's default for it.
fn fan_out(req: &Request) -> Option<Aim> {
    let (replicas, gather) = crate::fan_out::of(&req.name, &req.route)?;
    Some(Aim::All { replicas, gather })
}

/// The live connection of every node of `nodes` (connecting first if needed), once the request
/// holding `ticket` may send: `None` if a node cannot be reached (the slot table is then
/// forgotten: the node may have failed over) or an earlier request must run again first.
async fn ready_all<'a>(
    link: &ClusterLink,
    nodes: impl Iterator<Item = &'a Arc<Standalone>>,
    ticket: &Ticket,
) -> Option<Vec<crate::standalone::Ready>> {
    let mut ready = Vec::new();
    for node in nodes {
        match node.ready().await {
            Ok(r) => ready.push(r),
            Err(_) => {
                link.forget_slot_table();
                return None;
            }
        }
    }
    ticket.may_send().then_some(ready)
}

/// A client's connections to the nodes of one kind, by `host:port`.
type Nodes = HashMap<String, Arc<Standalone>>;

/// The fast path of one client: its sequencer and its connections to the nodes.
pub struct OrderedCluster {
    /// Keeps the client's requests in submit order.
    pub sequencer: Arc<Sequencer>,
    nodes: Mutex<Nodes>,
    /// Connections to replicas (they sent READONLY).
    replicas: Mutex<Nodes>,
    /// How to connect (the client's settings, with its current password).
    settings: Mutex<Settings>,
    /// Whether a slot table fetch is under way.
    refreshing: Arc<AtomicBool>,
    placing: Mutex<Placing>,
    /// Round-robin turns through each shard's replicas (by the shard's index in the table).
    turns: Vec<AtomicUsize>,
    /// Round-robin turn through the primaries (`randomNode`).
    next_primary: AtomicUsize,
}

impl OrderedCluster {
    pub fn new(settings: &Settings) -> Self {
        OrderedCluster {
            sequencer: Arc::default(),
            nodes: Mutex::default(),
            replicas: Mutex::default(),
            settings: Mutex::new(settings.clone()),
            refreshing: Arc::default(),
            placing: Mutex::default(),
            turns: (0..256).map(|_| AtomicUsize::new(0)).collect(),
            next_primary: AtomicUsize::new(0),
        }
    }

    fn nodes(&self) -> MutexGuard<'_, Nodes> {
        self.nodes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where `req` goes on the fast path, if it may. Never waits: with no slot table (none read
    /// yet, or the last one found stale), it starts reading one and says no, so the request
    /// runs on the link, which knows the new topology.
    pub fn target(&self, link: &Arc<ClusterLink>, req: &Request) -> Option<Target> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let aim = aim(req, &settings)?;
        let Some(known) = link.known_slot_table() else {
            drop(settings);
            self.refresh(link);
            return None;
        };
        let slot = match aim {
            Aim::Slot { slot, .. } => slot,
            _ => u16::MAX,
        };
        if let Aim::Split(split) = aim {
            let random = || None;
            let plan = crate::node_batch::plan(&known, &Route::Default, &split.batch, &random)?;
            let (_, fence) = self.place(known, u16::MAX);
            let nodes = self.nodes_of(&settings, &plan.groups)?;
            let kind = if fence { Kind::Fence } else { Kind::Shared };
            let to = To::Split(Box::new((split, plan.groups, nodes)));
            return Some(Target { to, kind });
        }
        let (table, fence) = self.place(known, slot);
        let kind = if fence { Kind::Fence } else { Kind::Shared };
        let (address, replica) = match &aim {
            Aim::Slot { slot, read } => {
                let primary = table.primary(*slot)?;
                let address = if *read {
                    self.read_node(link, &settings, &table, *slot, primary)
                } else {
                    primary
                };
                (address, address != primary)
            }
            Aim::Random => (self.any_primary(&table)?, false),
            Aim::Address(address) => (address.as_str(), table.role(address)?),
            Aim::Split(_) => return None,
            Aim::All { replicas, gather } => {
                let mut all = Vec::new();
                for (i, primary) in table.primaries().iter().enumerate() {
                    let node = Self::node_in(&mut self.nodes(), &settings, primary, false)?;
                    all.push((primary.clone(), node));
                    if *replicas {
                        let mut nodes = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
                        for r in table.shard_replicas(i) {
                            all.push((r.clone(), Self::node_in(&mut nodes, &settings, r, true)?));
                        }
                    }
                }
                let to = To::All(all, *gather);
                return Some(Target { to, kind });
            }
        };
        let node = if replica {
            let mut nodes = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
            Self::node_in(&mut nodes, &settings, address, true)?
        } else {
            Self::node_in(&mut self.nodes(), &settings, address, false)?
        };
        Some(Target {
            to: To::One(node),
            kind,
        })
    }

    /// Where a cluster batch (parsed) goes on the client's node connections, if it may
    /// (see [`crate::node_batch::plan`]); like [`OrderedCluster::target`], never waits.
    pub fn batch_target(
        &self,
        link: &Arc<ClusterLink>,
        route: &Route,
        batch: &crate::request::Batch,
    ) -> Option<Target> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let Some(known) = link.known_slot_table() else {
            drop(settings);
            self.refresh(link);
            return None;
        };
        let random = || self.any_primary(&known).map(str::to_owned);
        let plan = crate::node_batch::plan(&known, route, batch, &random)?;
        let (_, fence) = self.place(known, plan.slot);
        let nodes = self.nodes_of(&settings, &plan.groups)?;
        let kind = if fence { Kind::Fence } else { Kind::Shared };
        Some(Target {
            to: To::Batch(plan.groups, nodes),
            kind,
        })
    }

    /// The connection of each group's node (made on first use).
    fn nodes_of(&self, settings: &Settings, groups: &[Group]) -> Option<Vec<Arc<Standalone>>> {
        let mut nodes = Vec::with_capacity(groups.len());
        for g in groups {
            let node = if g.replica {
                let mut replicas = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
                Self::node_in(&mut replicas, settings, &g.address, true)?
            } else {
                Self::node_in(&mut self.nodes(), settings, &g.address, false)?
            };
            nodes.push(node);
        }
        Some(nodes)
    }

    /// Sends each group of `batch` to its node (each in its place on its connection), and
    /// judges the replies; `None` if it was sent nowhere (a node cannot be reached, or an
    /// earlier request must run again first): then the link runs it. `handed` runs once every
    /// group is handed to its connection.
    pub async fn send_batch(
        &self,
        link: &Arc<ClusterLink>,
        (groups, nodes): (&[Group], &[Arc<Standalone>]),
        ticket: &Ticket,
        batch: &crate::request::Batch,
        handed: impl FnOnce(),
    ) -> Option<Judged> {
        let ready = ready_all(link, nodes.iter(), ticket).await?;
        let sends: Vec<_> = groups
            .iter()
            .zip(nodes)
            .zip(ready)
            .map(|((g, node), r)| {
                let cmds = g.indices.iter().map(|&i| &batch.cmds[i]);
                node.send_batch_ready(r, cmds, batch.atomic)
            })
            .collect();
        handed();
        let replies = futures_util::future::join_all(sends).await;
        let judged = crate::node_batch::judge(batch, groups, replies);
        if let Judged::Again(_) = &judged {
            link.forget_slot_table();
        }
        Some(judged)
    }

    /// Sends a fan-out's `cmd` to every node of `nodes` (each in its place on its connection)
    /// and gathers the replies; `None` if it was sent nowhere (a node cannot be reached, or an
    /// earlier request must run again first): then the link runs it.
    pub async fn send_all(
        &self,
        link: &Arc<ClusterLink>,
        nodes: &[(String, Arc<Standalone>)],
        gather: Gather,
        ticket: &Ticket,
        cmd: &Cmd,
    ) -> Option<Result<crate::reply::Reply, Failure>> {
        let ready = ready_all(link, nodes.iter().map(|(_, node)| node), ticket).await?;
        // Polled together: every node's command is handed to its connection at the first poll,
        // before anything else of this client can be.
        let sends = nodes
            .iter()
            .zip(ready)
            .map(|((_, node), r)| node.send_ready(r, cmd));
        let replies = futures_util::future::join_all(sends).await;
        let mut per_node = Vec::with_capacity(nodes.len());
        for ((address, _), reply) in nodes.iter().zip(replies) {
            let value = match reply {
                Ok(v) => v,
                Err(e) => match redis::ServerError::try_from(e) {
                    Ok(server) => Value::ServerError(server),
                    Err(e) => return Some(Err(Failure::from(e))),
                },
            };
            per_node.push((Value::BulkString(address.clone().into_bytes()), value));
        }
        Some(gathered(per_node, gather))
    }

    /// A primary of `table`, each in turn (`randomNode`, keyless commands).
    fn any_primary<'a>(&self, table: &'a SlotTable) -> Option<&'a str> {
        let primaries = table.primaries();
        let turn = self.next_primary.fetch_add(1, Ordering::Relaxed);
        primaries
            .get(turn % primaries.len().max(1))
            .map(String::as_str)
    }

    /// The node a read of `slot` goes to (see [`read_address`]), the shard's turn counted here.
    fn read_node<'a>(
        &self,
        link: &ClusterLink,
        settings: &Settings,
        table: &'a SlotTable,
        slot: u16,
        primary: &'a str,
    ) -> &'a str {
        let shard = table.owner(slot).unwrap_or(0) as usize;
        let turn = self.turns[shard % self.turns.len()].fetch_add(1, Ordering::Relaxed);
        let all = settings.read_from == ReadFrom::AllNodes;
        read_address(link.az(), all, turn, table, slot, primary)
    }

    /// Places a request for `slot` with `table`: whether the request must be a fence (its slot
    /// moved; `u16::MAX`, a request for no one slot or for every node: any slot moved).
    fn place(&self, table: Arc<SlotTable>, slot: u16) -> (Arc<SlotTable>, bool) {
        let mut p = self.placing.lock().unwrap_or_else(|p| p.into_inner());
        if !p.used.as_ref().is_some_and(|t| Arc::ptr_eq(t, &table)) {
            if let Some(old) = p.used.take() {
                let changed: Vec<bool> = (0..SLOTS as u16)
                    .map(|s| old.primary(s) != table.primary(s))
                    .collect();
                // Only a table that moved a slot makes fences (a table read again after a
                // redirect is usually the same).
                if changed.contains(&true) {
                    let since = self.sequencer.next_ticket();
                    let (first, moved) = p.moved.get_or_insert_with(|| (since, vec![false; SLOTS]));
                    *first = since;
                    for (m, c) in moved.iter_mut().zip(changed) {
                        *m |= c;
                    }
                }
            }
            p.used = Some(table.clone());
        }
        if let Some((first, _)) = &p.moved {
            if self.sequencer.finished_before(*first) {
                p.moved = None;
            }
        }
        let fence = p
            .moved
            .as_ref()
            .is_some_and(|(_, m)| m.get(slot as usize).is_none_or(|&moved| moved));
        (table, fence)
    }

    /// The connection to the primary at `address` (made on first use).
    pub fn node(&self, address: &str) -> Option<Arc<Standalone>> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        Self::node_in(&mut self.nodes(), &settings, address, false)
    }

    /// The connection to `address` in `nodes`, made on first use (sending READONLY first
    /// when `readonly`).
    fn node_in(
        nodes: &mut Nodes,
        settings: &Settings,
        address: &str,
        readonly: bool,
    ) -> Option<Arc<Standalone>> {
        if let Some(node) = nodes.get(address) {
            return Some(node.clone());
        }
        let node = Arc::new(Standalone::to_node(settings, address, readonly)?);
        nodes.insert(address.to_owned(), node.clone());
        Some(node)
    }

    /// Reads the slot table in the background (once at a time).
    fn refresh(&self, link: &Arc<ClusterLink>) {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let link = link.clone();
        let refreshing = self.refreshing.clone();
        crate::runtime::get().spawn(async move {
            if let Ok(mut c) = link.connection().await {
                link.slot_table(&mut c).await;
            }
            refreshing.store(false, Ordering::Release);
        });
    }

    /// Sends `cmd` on `node`, unless an earlier request of the client must run (again) first
    /// (see [`Ticket::may_send`]): then it did not run, and runs again in its place. A command
    /// that did not run for any other reason makes the slot table stale. `handed` runs once
    /// the command is handed to the node's connection.
    pub async fn send(
        &self,
        link: &Arc<ClusterLink>,
        node: &Standalone,
        ticket: &Ticket,
        cmd: &Cmd,
        handed: impl FnOnce(),
    ) -> Sent {
        let result = match node.send_if(cmd, || ticket.may_send(), handed).await {
            Ok(Some(result)) => result,
            Ok(None) => return Sent::NotRun,
            Err(_) => {
                // No connection to the node: it may have failed over.
                link.forget_slot_table();
                return Sent::NotRun;
            }
        };
        judge(
            link,
            result.or_else(|e| match redis::ServerError::try_from(e) {
                Ok(server) => Ok(Value::ServerError(server)),
                Err(e) => Err(Failure::from(e)),
            }),
        )
    }

    /// Fails every request awaiting a reply from a node with `ClosingError` (the client's
    /// close).
    pub fn close_requests(&self) {
        let replicas = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
        for node in self.nodes().values().chain(replicas.values()) {
            node.close_requests();
        }
    }

    /// Later connections use `settings` (a new password); the current ones are dropped.
    pub fn update(&self, settings: &Settings) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings.clone();
        self.nodes().clear();
        self.replicas
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CLUSTER SLOTS table: slots 0-8000 on port `a`, the rest on 7001.
    fn table(a: i64) -> Arc<SlotTable> {
        let node = |port: i64| {
            Value::Array(vec![
                Value::BulkString(b"127.0.0.1".to_vec()),
                Value::Int(port),
            ])
        };
        let range = |from: i64, to: i64, port: i64| {
            Value::Array(vec![Value::Int(from), Value::Int(to), node(port)])
        };
        let reply = Value::Array(vec![range(0, 8000, a), range(8001, 16383, 7001)]);
        Arc::new(SlotTable::from_reply(&reply).expect("a table"))
    }

    #[test]
    fn only_slots_that_moved_are_fenced_and_only_until_earlier_requests_end() {
        use prost::Message;
        let req = crate::proto::ConnectionRequest {
            addresses: vec![crate::proto::NodeAddress {
                host: "127.0.0.1".into(),
                port: 7000,
            }],
            cluster_mode: true,
            ..Default::default()
        };
        let settings = Settings::decode(&req.encode_to_vec()).expect("settings");
        let oc = OrderedCluster::new(&settings);
        assert!(
            !oc.place(table(7000), 1).1,
            "the first table fences nothing"
        );
        let earlier = oc.sequencer.enter(Kind::Shared);
        assert!(
            !oc.place(table(7000), 1).1,
            "the same slots read again: no fence"
        );
        let moved = table(7002);
        assert!(oc.place(moved.clone(), 1).1, "slot 1 moved to 7002");
        assert!(!oc.place(moved.clone(), 9000).1, "slot 9000 did not move");
        assert!(
            oc.place(moved.clone(), u16::MAX).1,
            "a fan-out while a slot moved"
        );
        drop(earlier);
        assert!(
            !oc.place(moved, 1).1,
            "everything placed before the move has ended"
        );
    }
}
