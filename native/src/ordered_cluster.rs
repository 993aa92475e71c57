//! The async cluster client's ordered fast path.
//!
//! A command for one slot goes straight to that slot's primary over a multiplexed connection of
//! the client's own (one per primary, see [`Standalone`]): requests sent on one connection are
//! answered in the order they were sent, whatever the depth, and skip the `redis` crate's
//! cluster task. Everything else (routes, fan-out, keyless commands, replica reads, WATCH and its
//! kin, batches) runs on the client's cluster link, and a [`Sequencer`] keeps both paths in
//! submit order. A command the fast path could not run runs again in its place in the order:
//! after MOVED, straight on the slot's new primary; after ASK, TRYAGAIN, CLUSTERDOWN or with no
//! connection to the node, on the link (which follows ASK and waits out a failover).

use crate::cluster_link::ClusterLink;
use crate::config::Settings;
use crate::direct::{eligible, redirects, server_kind};
use crate::errors::Failure;
use crate::request::Request;
use crate::sequencer::{Sequencer, Ticket};
use crate::slots::SlotTable;
use crate::standalone::Standalone;
use redis::{Cmd, ServerErrorKind, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// The fast path of one client: its sequencer and its connections to the primaries.
pub struct OrderedCluster {
    /// Keeps the client's requests in submit order.
    pub sequencer: Arc<Sequencer>,
    nodes: Mutex<HashMap<String, Arc<Standalone>>>,
    /// How to connect (the client's settings, with its current password).
    settings: Mutex<Settings>,
    /// Whether a slot table fetch is under way.
    refreshing: Arc<AtomicBool>,
    /// The slot table the fast path last chose a primary with.
    table: Mutex<Option<Arc<SlotTable>>>,
}

impl OrderedCluster {
    pub fn new(settings: &Settings) -> Self {
        OrderedCluster {
            sequencer: Arc::default(),
            nodes: Mutex::default(),
            settings: Mutex::new(settings.clone()),
            refreshing: Arc::default(),
            table: Mutex::default(),
        }
    }

    fn nodes(&self) -> MutexGuard<'_, HashMap<String, Arc<Standalone>>> {
        self.nodes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The primary connection `req` may go to on the fast path, if it may. Never waits: with no
    /// slot table yet, it starts reading one and says no.
    ///
    /// The first request after the table changed says no too, so it runs alone on the link:
    /// requests sent with the old table (perhaps to a slot's old primary) all end before anything
    /// goes out with the new one, which may send the same slot to another connection.
    pub fn target(&self, link: &Arc<ClusterLink>, req: &Request) -> Option<Arc<Standalone>> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let slot = eligible(req, &settings)?;
        let Some(table) = link.known_slot_table() else {
            drop(settings);
            self.refresh(link);
            return None;
        };
        {
            let mut used = self.table.lock().unwrap_or_else(|p| p.into_inner());
            if !used.as_ref().is_some_and(|t| Arc::ptr_eq(t, &table)) {
                *used = Some(table);
                return None;
            }
        }
        let address = table.primary(slot)?;
        Self::node_in(&mut self.nodes(), &settings, address)
    }

    /// The connection to the primary at `address` (made on first use).
    pub fn node(&self, address: &str) -> Option<Arc<Standalone>> {
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        Self::node_in(&mut self.nodes(), &settings, address)
    }

    fn node_in(
        nodes: &mut HashMap<String, Arc<Standalone>>,
        settings: &Settings,
        address: &str,
    ) -> Option<Arc<Standalone>> {
        if let Some(node) = nodes.get(address) {
            return Some(node.clone());
        }
        let (host, port) = address.rsplit_once(':')?;
        let mut node_settings = settings.clone();
        node_settings.nodes = vec![(host.to_owned(), port.parse().ok()?)];
        let node = Arc::new(Standalone::new(node_settings).ok()?);
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
    /// that did not run for any other reason makes the slot table stale.
    pub async fn send(
        &self,
        link: &Arc<ClusterLink>,
        node: &Standalone,
        ticket: &Ticket,
        cmd: &Cmd,
    ) -> Sent {
        let result = match node.send_if(cmd, || ticket.may_send()).await {
            Ok(Some(result)) => result,
            Ok(None) => return Sent::NotRun,
            Err(_) => {
                // No connection to the node: it may have failed over.
                link.forget_slot_table();
                return Sent::NotRun;
            }
        };
        let (kind, detail) = match &result {
            Ok(Value::ServerError(e)) => (e.kind(), e.details()),
            Ok(_) => (None, None),
            Err(e) => (server_kind(e), e.detail()),
        };
        if kind == Some(ServerErrorKind::Moved) {
            link.forget_slot_table();
            // `<slot> <host>:<port>`
            if let Some(owner) = detail.and_then(|d| d.split_ascii_whitespace().nth(1)) {
                return Sent::Moved(owner.to_owned());
            }
        }
        if redirects(kind) {
            link.forget_slot_table();
            return Sent::NotRun;
        }
        Sent::Done(match result {
            Ok(v) => crate::errors::top_level(v),
            Err(e) => Err(Failure::from(e)),
        })
    }

    /// Later connections use `settings` (a new password); the current ones are dropped.
    pub fn update(&self, settings: &Settings) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings.clone();
        self.nodes().clear();
    }
}
