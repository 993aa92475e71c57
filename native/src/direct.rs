//! The sync cluster client's fast path. A command for one slot's primary goes over a connection
//! of the client's own to that primary, whose socket task lives on the client's
//! [`CallingThread`] runtime: written and answered on the calling thread, as a standalone sync
//! request is, with no hand-off to the I/O thread and back.
//!
//! With `readFrom` other than primary, a read goes the same way to the node the async client
//! would read from (reads.rs): a replica over a connection of the client's own that sent
//! READONLY, or the primary.
//!
//! Everything else runs on the client's cluster link: commands with a route or a fan-out,
//! keyless commands, WATCH and its kin (their state belongs to the link's connections), and
//! any command the fast path cannot finish for sure (no slot table yet, the node cannot be
//! reached, or a MOVED / ASK / TRYAGAIN / CLUSTERDOWN reply, none of which ran the command).
//!
//! Each node's connection is a standalone one (standalone.rs) that the calling thread waits
//! on, as the standalone sync client does: the timeout is a deadline for the whole round trip,
//! replies are matched to requests by the connection's queue (an unsolicited one reaches no
//! caller), and a connection that stops answering is replaced.
//!
//! A timeout or an I/O error after the command was sent is that command's error (it may have
//! run, so it is not sent again); an I/O error also drops the slot table.

use crate::calling_thread::CallingThread;
use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::errors::{breaks_connection, redirects, server_kind, Failure};
use crate::proto::ReadFrom;
use crate::reads::read_address;
use crate::request::{Request, Route};
use crate::slots::{command_slot, SlotTable};
use crate::standalone::Standalone;
use redis::{ServerErrorKind, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// What the fast path did with a command.
pub enum Outcome {
    /// The command ran (or failed after being sent): its reply or error.
    Done(Result<Value, Failure>),
    /// The command did not run: the cluster link must run it.
    Fallback,
}

/// What became of one send.
enum Sent {
    /// The command ran (or failed after being sent).
    Done(Result<Value, Failure>),
    /// MOVED: the slot's owner is at this `host:port`.
    Moved(String),
    /// Not sent, or refused without running (ASK, TRYAGAIN, CLUSTERDOWN).
    Refused,
}

/// Where a MOVED reply's detail (`<slot> <host>:<port>`) points, learnt by the link's table.
fn moved_to(link: &ClusterLink, detail: Option<&str>) -> Sent {
    match link.moved(detail) {
        Some(address) => Sent::Moved(address.to_owned()),
        None => Sent::Refused,
    }
}

/// The client's connections to the nodes, by `host:port`.
pub struct DirectNodes {
    conns: HashMap<String, Arc<Standalone>>,
    /// Connections to replicas (they sent READONLY), for reads when `readFrom` allows them.
    replicas: HashMap<String, Arc<Standalone>>,
    /// Each shard's round-robin turn through its replicas (by its index in the slot table).
    turns: HashMap<u16, usize>,
    /// How to connect (the client's settings, with its current password).
    settings: Settings,
}

impl DirectNodes {
    pub fn new(settings: &Settings) -> Self {
        DirectNodes {
            conns: HashMap::new(),
            replicas: HashMap::new(),
            turns: HashMap::new(),
            settings: settings.clone(),
        }
    }

    /// Runs `req` on its slot's node if the fast path applies (the primary, or for a read with
    /// `readFrom` other than primary, the node the read goes to); `limit` bounds the round trip.
    pub fn run(
        &mut self,
        local: &CallingThread,
        link: &ClusterLink,
        req: &Request,
        limit: Option<Duration>,
    ) -> Outcome {
        let Some(slot) = single_slot(req) else {
            return Outcome::Fallback;
        };
        let Some(table) = slot_table(link) else {
            return Outcome::Fallback;
        };
        let Some(primary) = table.primary(slot) else {
            return Outcome::Fallback;
        };
        let read =
            self.settings.read_from != ReadFrom::Primary && crate::reads::is_read_only(&req.name);
        let address = if read {
            let turn = self
                .turns
                .entry(table.owner(slot).unwrap_or(0))
                .or_default();
            *turn = turn.wrapping_add(1);
            let all = self.settings.read_from == ReadFrom::AllNodes;
            read_address(link.az(), all, *turn, &table, slot, primary)
        } else {
            primary
        };
        match self.send(local, link, (address, address != primary), req, limit) {
            Sent::Done(result) => Outcome::Done(result),
            Sent::Refused => Outcome::Fallback,
            Sent::Moved(owner) => {
                // The slot has a new owner (the table knows it now): the command (which did
                // not run) goes there, once.
                match self.send(local, link, (&owner, false), req, limit) {
                    Sent::Done(result) => Outcome::Done(result),
                    Sent::Refused | Sent::Moved(_) => Outcome::Fallback,
                }
            }
        }
    }

    /// Sends `req` to the node at `address` (a replica when `replica`).
    fn send(
        &mut self,
        local: &CallingThread,
        link: &ClusterLink,
        (address, replica): (&str, bool),
        req: &Request,
        limit: Option<Duration>,
    ) -> Sent {
        let Some(conn) = self.connection(address, replica) else {
            return Sent::Refused;
        };
        let conn = conn.clone();
        let result = local.block_on(async move {
            let work = conn.send(&req.cmd);
            match limit {
                Some(d) => tokio::time::timeout(d, work).await.ok(),
                None => Some(work.await),
            }
        });
        let result = match result {
            None => return Sent::Done(Err(Failure::timeout())),
            Some(Err(_)) => {
                self.nodes(replica).remove(address);
                return Sent::Refused;
            }
            Some(Ok(r)) => r,
        };
        match result {
            Ok(Value::ServerError(e)) => match e.kind() {
                Some(ServerErrorKind::Moved) => moved_to(link, e.details()),
                kind if redirects(kind) => Sent::Refused,
                _ => Sent::Done(crate::errors::top_level(Value::ServerError(e))),
            },
            Ok(v) => Sent::Done(crate::errors::top_level(v)),
            Err(e) => match server_kind(&e) {
                Some(ServerErrorKind::Moved) => moved_to(link, e.detail()),
                kind if redirects(kind) => Sent::Refused,
                _ => {
                    if breaks_connection(&e) {
                        self.nodes(replica).remove(address);
                        link.forget_slot_table();
                    }
                    Sent::Done(Err(crate::errors::sync_failure(e)))
                }
            },
        }
    }

    /// Drops every connection (the client closes).
    pub fn clear(&mut self) {
        self.conns.clear();
        self.replicas.clear();
    }

    /// Later connections use `settings` (a new password); the current ones are dropped.
    pub fn update(&mut self, settings: &Settings) {
        self.settings = settings.clone();
        self.clear();
    }

    fn nodes(&mut self, replica: bool) -> &mut HashMap<String, Arc<Standalone>> {
        if replica {
            &mut self.replicas
        } else {
            &mut self.conns
        }
    }

    /// The connection to `address` (a replica's, which sends READONLY first, when `replica`),
    /// set up now if there is none (it connects on first use); `None` if the address is not one.
    fn connection(&mut self, address: &str, replica: bool) -> Option<&Arc<Standalone>> {
        if !self.nodes(replica).contains_key(address) {
            let c = Standalone::to_node(&self.settings, address, replica)?;
            self.nodes(replica).insert(address.to_owned(), Arc::new(c));
        }
        self.nodes(replica).get(address)
    }
}

/// The slot of a command that goes to one slot's node, `None` if it must go through the link
/// (a route, a fan-out, no key, keys in several slots, or transaction state).
pub(crate) fn single_slot(req: &Request) -> Option<u16> {
    if req.route != Route::Default || holds_connection_state(&req.name) {
        return None;
    }
    if crate::cluster::routing(&req.name, &req.route).is_some() {
        return None;
    }
    command_slot(&req.cmd, &req.name)
}

/// Commands whose connection state the link's transactions rely on: never sent on the client's
/// own connections.
pub(crate) fn holds_connection_state(name: &str) -> bool {
    matches!(
        name,
        "WATCH" | "UNWATCH" | "MULTI" | "EXEC" | "DISCARD" | "ASKING" | "READONLY" | "READWRITE"
    )
}

/// Commands about the connection they are sent on (CLIENT ID, CLIENT TRACKING ...): a node's
/// other commands of this kind go through the link's connection to it (a fan-out), so these go
/// there too, and `clientId({ route })` names the connection `clientId({ route: "allNodes" })`
/// does.
pub(crate) fn about_the_connection(name: &str) -> bool {
    name == "CLIENT"
        || name.starts_with("CLIENT ")
        || matches!(name, "HELLO" | "AUTH" | "SELECT" | "RESET" | "QUIT")
}

/// The link's slot table, read through the link when it has none.
fn slot_table(link: &ClusterLink) -> Option<Arc<SlotTable>> {
    if let Some(t) = link.known_slot_table() {
        return Some(t);
    }
    let limit = link.current_settings().connection_timeout;
    crate::runtime::get().block_on(async {
        let ask = async {
            let mut c = link.connection().await.ok()?;
            link.slot_table(&mut c).await
        };
        tokio::time::timeout(limit, ask).await.ok().flatten()
    })
}
