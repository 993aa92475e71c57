//! The sync cluster client's fast path. A command for one slot's primary goes over a connection
//! of the client's own to that primary, whose socket task lives on the client's
//! [`CallingThread`] runtime: written and answered on the calling thread, as a standalone sync
//! request is, with no hand-off to the I/O thread and back.
//!
//! Everything else runs on the client's cluster link: commands with a route or a fan-out,
//! keyless commands, reads when `readFrom` allows replicas, WATCH and its kin (their state
//! belongs to the link's connections), and any command the fast path cannot finish for sure
//! (no slot table yet, the primary cannot be reached, or a MOVED / ASK / TRYAGAIN / CLUSTERDOWN
//! reply, none of which ran the command).
//!
//! Each primary's connection is a standalone one (standalone.rs) that the calling thread waits
//! on, as the standalone sync client does: the timeout is a deadline for the whole round trip,
//! replies are matched to requests by the connection's queue (an unsolicited one reaches no
//! caller), and a connection that stops answering is replaced.
//!
//! A timeout or an I/O error after the command was sent is that command's error (it may have
//! run, so it is not sent again); an I/O error also drops the slot table.

use crate::calling_thread::CallingThread;
use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::errors::{breaks_connection, Failure};
use crate::proto::ReadFrom;
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

/// Where a MOVED reply's detail (`<slot> <host>:<port>`) points.
fn moved_to(detail: Option<&str>) -> Sent {
    match detail.and_then(|d| d.split_ascii_whitespace().nth(1)) {
        Some(address) => Sent::Moved(address.to_owned()),
        None => Sent::Refused,
    }
}

/// The client's connections to the primaries, by `host:port`.
pub struct DirectNodes {
    conns: HashMap<String, Arc<Standalone>>,
    /// How to connect (the client's settings, with its current password).
    settings: Settings,
}

impl DirectNodes {
    pub fn new(settings: &Settings) -> Self {
        DirectNodes {
            conns: HashMap::new(),
            settings: settings.clone(),
        }
    }

    /// Runs `req` on its slot's primary if the fast path applies; `limit` bounds the round trip.
    pub fn run(
        &mut self,
        local: &CallingThread,
        link: &ClusterLink,
        req: &Request,
        limit: Option<Duration>,
    ) -> Outcome {
        let Some(slot) = eligible(req, &self.settings) else {
            return Outcome::Fallback;
        };
        let Some(table) = slot_table(link) else {
            return Outcome::Fallback;
        };
        let Some(address) = table.primary(slot) else {
            return Outcome::Fallback;
        };
        match self.send(local, link, address, req, limit) {
            Sent::Done(result) => Outcome::Done(result),
            Sent::Refused => Outcome::Fallback,
            Sent::Moved(owner) => {
                // The slot has a new owner: the command (which did not run) goes there, once.
                link.forget_slot_table();
                match self.send(local, link, &owner, req, limit) {
                    Sent::Done(result) => Outcome::Done(result),
                    Sent::Refused | Sent::Moved(_) => Outcome::Fallback,
                }
            }
        }
    }

    /// Sends `req` to the primary at `address`.
    fn send(
        &mut self,
        local: &CallingThread,
        link: &ClusterLink,
        address: &str,
        req: &Request,
        limit: Option<Duration>,
    ) -> Sent {
        let Some(conn) = self.connection(address) else {
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
                self.conns.remove(address);
                return Sent::Refused;
            }
            Some(Ok(r)) => r,
        };
        match result {
            Ok(Value::ServerError(e)) => match e.kind() {
                Some(ServerErrorKind::Moved) => moved_to(e.details()),
                kind if redirects(kind) => Sent::Refused,
                _ => Sent::Done(crate::errors::top_level(Value::ServerError(e))),
            },
            Ok(v) => Sent::Done(crate::errors::top_level(v)),
            Err(e) => match server_kind(&e) {
                Some(ServerErrorKind::Moved) => moved_to(e.detail()),
                kind if redirects(kind) => Sent::Refused,
                _ => {
                    if breaks_connection(&e) {
                        self.conns.remove(address);
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
    }

    /// Later connections use `settings` (a new password); the current ones are dropped.
    pub fn update(&mut self, settings: &Settings) {
        self.settings = settings.clone();
        self.conns.clear();
    }

    /// The connection to `address`, set up now if there is none (it connects on first use);
    /// `None` if the address is not one.
    fn connection(&mut self, address: &str) -> Option<&Arc<Standalone>> {
        if !self.conns.contains_key(address) {
            let (host, port) = address.rsplit_once(':')?;
            let mut settings = self.settings.clone();
            settings.nodes = vec![(host.to_owned(), port.parse().ok()?)];
            let c = Standalone::new(settings).ok()?;
            self.conns.insert(address.to_owned(), Arc::new(c));
        }
        self.conns.get(address)
    }
}

/// The slot of a command the sync fast path may send (to the slot's primary: the sync client
/// sends replica reads through the link), `None` if it must go through the link.
fn eligible(req: &Request, settings: &Settings) -> Option<u16> {
    if settings.read_from != ReadFrom::Primary {
        return None;
    }
    single_slot(req)
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

/// The server error kind of an error reply, if it is one.
pub(crate) fn server_kind(e: &redis::RedisError) -> Option<ServerErrorKind> {
    match e.kind() {
        redis::ErrorKind::Server(kind) => Some(kind),
        _ => None,
    }
}

/// Replies that mean the command did not run there, and the link should route it.
pub(crate) fn redirects(kind: Option<ServerErrorKind>) -> bool {
    matches!(
        kind,
        Some(
            ServerErrorKind::Moved
                | ServerErrorKind::Ask
                | ServerErrorKind::TryAgain
                | ServerErrorKind::ClusterDown
        )
    )
}
