//! Where an async cluster client's request goes, and the client's connections to its nodes.
//!
//! A command for one slot goes to that slot's node over a multiplexed connection of the
//! client's own (one per node, see [`Standalone`]), skipping the `redis` crate's cluster task.
//! Writes go to the slot's primary; with `readFrom: "preferReplica"`, reads go to its replicas
//! in turn (a connection that sent READONLY), or to the primary when it has none; with the
//! AZ-affinity modes, to the node the link's strategy would choose (az.rs). A single-node route
//! (a slot, a known node's address, any primary) takes the same connections, and so do keyless
//! fan-outs (every policy of fan_out.rs), multi-key commands split by slot (multi_slot.rs),
//! batches (node_batch.rs) and WATCH / UNWATCH. Commands about the connection, pipelines
//! holding fan-outs and routes the table does not know go through the client's cluster link.
//!
//! Deciding is all this module does; requests.rs hands the requests over in order.
//! A MOVED reply moves the slot in the link's table (link.rs, [`judge`]), so later
//! requests go to the new primary.

use crate::cluster::link::ClusterLink;
use crate::config::Settings;
use crate::connections::az::AzFactory;
use crate::connections::standalone::Standalone;
use crate::proto::ReadFrom;
use crate::protocol::connection_state::{about_the_connection, holds_connection_state};
use crate::protocol::errors::redirects;
use crate::protocol::errors::Failure;
use crate::protocol::fan_out::Gather;
use crate::protocol::multi_slot::Split;
use crate::protocol::node_batch::Group;
use crate::protocol::request::{Request, Route};
use crate::protocol::slots::{command_slot, slot_of, SlotTable};
use redis::{ServerErrorKind, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What became of a command sent to a node.
pub enum Sent {
    /// It ran (or failed after being sent): its reply or error.
    Done(Result<Value, Failure>),
    /// It did not run: the slot moved to this primary (`host:port`).
    Moved(String),
    /// It did not run: the link must run it.
    NotRun,
}

/// What a node's reply to a command means (see [`Sent`]). MOVED tells the
/// link's slot table the slot's new owner; ASK, TRYAGAIN and CLUSTERDOWN make the table stale.
pub fn judge(link: &ClusterLink, reply: Result<Value, Failure>) -> Sent {
    let (kind, detail) = match &reply {
        Ok(Value::ServerError(e)) => (e.kind(), e.details()),
        _ => (None, None),
    };
    if kind == Some(ServerErrorKind::Moved) {
        crate::boundary::telemetry::count(&crate::boundary::telemetry::MOVED);
        crate::connections::logger::event(crate::connections::logger::DEBUG, "cluster", || {
            format!("MOVED {}", detail.unwrap_or(""))
        });
        if let Some(owner) = link.moved(detail) {
            return Sent::Moved(owner);
        }
    }
    if redirects(kind) {
        link.refresh_slot_table();
        return Sent::NotRun;
    }
    Sent::Done(reply.and_then(crate::protocol::errors::top_level))
}

/// Why a request does not go to the client's node connections now.
#[derive(Debug, PartialEq, Eq)]
pub enum Miss {
    /// No slot table is known (one is being read): it must wait for one.
    NoTable,
    /// It goes through the link (see [`aim`]), or names a node the table does not know.
    Link,
}

/// The node or nodes a request goes to.
pub enum To {
    /// One node; `true` for a replica (its connection sent READONLY).
    One(Arc<Standalone>, bool),
    /// Every primary (or every node), by `host:port`: a fan-out, its replies gathered.
    All(Vec<(String, Arc<Standalone>)>, Gather),
    /// A batch: the commands of each group to that group's node (see node_batch.rs).
    Batch(Vec<Group>, Vec<Arc<Standalone>>),
    /// A multi-key command split by slot (multi_slot.rs), its parts sent as a batch is.
    Split(Box<(Split, Vec<Group>, Vec<Arc<Standalone>>)>),
}

/// The slot of a command that goes to one slot's node, `None` if it must go through the link
/// (a route, a fan-out, no key, keys in several slots, or transaction state).
pub(crate) fn single_slot(req: &Request) -> Option<u16> {
    if req.route != Route::Default || holds_connection_state(&req.name) {
        return None;
    }
    if crate::protocol::routing::routing(&req.name, &req.route).is_some() {
        return None;
    }
    command_slot(&req.cmd, &req.name)
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

/// Where `req` aims, if the node connections can take it: a command for one slot (by its keys, or by
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
    let read =
        settings.read_from != ReadFrom::Primary && crate::protocol::reads::is_read_only(&req.name);
    Some(match &req.route {
        // Keys of several slots: one WATCH per slot, each on its node's connection (as GLIDE
        // splits it), where that slot's transaction goes.
        Route::Default if watch && req.name == "WATCH" => match command_slot(&req.cmd, &req.name) {
            Some(slot) => Aim::Slot { slot, read: false },
            None => Aim::Split(crate::protocol::multi_slot::split(&req.cmd, &req.name)?),
        },
        Route::Default => match single_slot(req) {
            Some(slot) => Aim::Slot { slot, read },
            None => match crate::protocol::multi_slot::split(&req.cmd, &req.name) {
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
        let channel = *crate::protocol::slots::args(&req.cmd).get(1)?;
        let slot = slot_of(channel);
        return Some(Aim::Slot { slot, read: false });
    }
    let routed = crate::protocol::routing::routing(&req.name, &req.route).is_some();
    let keyed = command_slot(&req.cmd, &req.name).is_some()
        || crate::protocol::slots::is_multi_slot(&req.name);
    (!routed && !keyed).then_some(Aim::Random)
}

/// A keyless command sent to every primary (or node), by its route or GLIDE's default for it.
fn fan_out(req: &Request) -> Option<Aim> {
    let (replicas, gather) = crate::protocol::fan_out::of(&req.name, &req.route)?;
    Some(Aim::All { replicas, gather })
}

/// The node a read of `slot` goes to, `turn` being its shard's round-robin number: with the
/// AZ-affinity modes (`az`), as the link's strategy chooses (see az.rs); else its shard's
/// replicas in turn (with `all_nodes`, the primary and its replicas in turn); the primary when
/// the shard has no replica. The async and the sync cluster clients route their reads with it.
fn read_address<'a>(
    az: Option<&AzFactory>,
    all_nodes: bool,
    turn: usize,
    table: &'a SlotTable,
    slot: u16,
    primary: &'a str,
) -> &'a str {
    let replicas = table.replicas(slot);
    match az {
        Some(az) => az.choose(turn, primary, replicas),
        None if replicas.is_empty() => primary,
        None if all_nodes => match turn % (replicas.len() + 1) {
            0 => primary,
            i => &replicas[i - 1],
        },
        None => &replicas[turn % replicas.len()],
    }
}

/// A client's connections to the nodes of one kind, by `host:port`.
type Nodes = HashMap<String, Arc<Standalone>>;

/// The connections of one client to its nodes, and where its requests go.
pub struct OrderedCluster {
    nodes: Mutex<Nodes>,
    /// Connections to replicas (they sent READONLY).
    replicas: Mutex<Nodes>,
    /// How to connect (the client's settings, with its current password).
    settings: Mutex<Settings>,
    /// Round-robin turns through each shard's replicas (by the shard's index in the table).
    turns: Vec<AtomicUsize>,
    /// Round-robin turn through the primaries (`randomNode`).
    next_primary: AtomicUsize,
}

impl OrderedCluster {
    pub fn new(settings: &Settings) -> Self {
        OrderedCluster {
            nodes: Mutex::default(),
            replicas: Mutex::default(),
            settings: Mutex::new(settings.clone()),
            turns: (0..256).map(|_| AtomicUsize::new(0)).collect(),
            next_primary: AtomicUsize::new(0),
        }
    }

    fn nodes(&self) -> MutexGuard<'_, Nodes> {
        self.nodes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where `req` goes on the client's node connections, as the link's slot table says now.
    /// Never waits.
    pub fn target(&self, link: &ClusterLink, req: &Request) -> Result<To, Miss> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let aim = aim(req, &settings).ok_or(Miss::Link)?;
        let table = link.known_slot_table().ok_or(Miss::NoTable)?;
        let (address, replica) = match &aim {
            Aim::Split(split) => {
                let random = || None;
                let plan = crate::protocol::node_batch::plan(
                    &table,
                    &Route::Default,
                    &split.batch,
                    &random,
                )
                .ok_or(Miss::Link)?;
                let nodes = self.nodes_of(&settings, &plan.groups).ok_or(Miss::Link)?;
                let Aim::Split(split) = aim else {
                    return Err(Miss::Link);
                };
                return Ok(To::Split(Box::new((split, plan.groups, nodes))));
            }
            Aim::Slot { slot, read } => {
                let primary = table.primary(*slot).ok_or(Miss::Link)?;
                let address = if *read {
                    self.read_node(link, &settings, &table, *slot, primary)
                } else {
                    primary
                };
                (address, address != primary)
            }
            Aim::Random => (self.any_primary(&table).ok_or(Miss::Link)?, false),
            Aim::Address(address) => (address.as_str(), table.role(address).ok_or(Miss::Link)?),
            Aim::All { replicas, gather } => {
                let mut all = Vec::new();
                for (i, primary) in table.primaries().iter().enumerate() {
                    let node = Self::node_in(&mut self.nodes(), &settings, primary, false)
                        .ok_or(Miss::Link)?;
                    all.push((primary.clone(), node));
                    if *replicas {
                        let mut nodes = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
                        for r in table.shard_replicas(i) {
                            let node =
                                Self::node_in(&mut nodes, &settings, r, true).ok_or(Miss::Link)?;
                            all.push((r.clone(), node));
                        }
                    }
                }
                return Ok(To::All(all, *gather));
            }
        };
        let node = if replica {
            let mut nodes = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
            Self::node_in(&mut nodes, &settings, address, true)
        } else {
            Self::node_in(&mut self.nodes(), &settings, address, false)
        };
        node.map(|n| To::One(n, replica)).ok_or(Miss::Link)
    }

    /// Where a cluster batch (parsed) goes on the client's node connections (see
    /// [`crate::protocol::node_batch::plan`]); like [`OrderedCluster::target`], never waits.
    pub fn batch_target(
        &self,
        link: &ClusterLink,
        route: &Route,
        batch: &crate::protocol::request::Batch,
    ) -> Result<To, Miss> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let table = link.known_slot_table().ok_or(Miss::NoTable)?;
        let random = || self.any_primary(&table).map(str::to_owned);
        let plan =
            crate::protocol::node_batch::plan(&table, route, batch, &random).ok_or(Miss::Link)?;
        let nodes = self.nodes_of(&settings, &plan.groups).ok_or(Miss::Link)?;
        Ok(To::Batch(plan.groups, nodes))
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

    /// Fails every request awaiting a reply from a node with `ClosingError` (the client's
    /// close). No lock is held meanwhile: their callbacks may run.
    pub fn close_requests(&self) {
        let mut all: Vec<Arc<Standalone>> = self.nodes().values().cloned().collect();
        let replicas = self.replicas.lock().unwrap_or_else(|p| p.into_inner());
        all.extend(replicas.values().cloned());
        drop(replicas);
        for node in all {
            node.close_requests();
        }
    }

    /// Later connections use `settings` (a new password); the current ones are dropped (once
    /// no lock is held: their callers' callbacks may run).
    pub fn update(&self, settings: &Settings) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings.clone();
        let nodes = std::mem::take(&mut *self.nodes());
        let replicas =
            std::mem::take(&mut *self.replicas.lock().unwrap_or_else(|p| p.into_inner()));
        drop((nodes, replicas));
    }
}
