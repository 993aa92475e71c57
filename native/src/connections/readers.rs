//! The connections a standalone client's reads go to besides the primary's (`readFrom` other
//! than `primary`, or `readOnly`): the replicas replication.rs found, in turn, or by zone.

use crate::config::Settings;
use crate::connections::az::AzFactory;
use crate::connections::replication::Topology;
use crate::connections::standalone::Standalone;
use crate::proto::{NodeDiscoveryMode, ReadFrom};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The connections reads go to besides the primary's, by address (made on first use).
pub struct Readers {
    /// Fixed for the client's life (read without the settings' lock on every read).
    read_from: ReadFrom,
    settings: Mutex<Settings>,
    nodes: Mutex<Vec<(String, Arc<Standalone>)>>,
    turn: AtomicUsize,
    /// The AZ-affinity modes: the nodes' zones, and the topology they were asked for.
    az: Option<(AzFactory, Mutex<Option<Arc<Topology>>>)>,
}

impl Readers {
    /// Readers for a standalone client whose `readFrom` sends reads to replicas; `None` for
    /// the others (cluster clients route reads themselves).
    pub fn new(settings: &Settings) -> Option<Readers> {
        if settings.cluster || settings.monitor || settings.read_from == ReadFrom::Primary {
            return None;
        }
        let mut settings = settings.clone();
        settings.discovery = NodeDiscoveryMode::Static;
        Some(Readers {
            read_from: settings.read_from,
            az: crate::connections::az::factory(&settings).map(|f| (f, Mutex::default())),
            settings: Mutex::new(settings),
            nodes: Mutex::default(),
            turn: AtomicUsize::new(0),
        })
    }

    /// The connection a read goes to, as `topology` stands: the replicas in turn (with
    /// `allNodes`, the primary among them; with the AZ-affinity modes, as the zones the nodes
    /// report say, see az.rs); `None` for the primary's own connection.
    pub fn pick(&self, topology: &Arc<Topology>) -> Option<Arc<Standalone>> {
        let replicas = &topology.replicas;
        if replicas.is_empty() {
            return None;
        }
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        let address: &str = match (&self.az, self.read_from) {
            (Some((az, asked)), _) => {
                let mut asked = asked.lock().unwrap_or_else(|p| p.into_inner());
                if !asked.as_ref().is_some_and(|t| Arc::ptr_eq(t, topology)) {
                    let all = std::iter::once(&topology.primary).chain(replicas);
                    az.learn(all.map(String::as_str));
                    *asked = Some(topology.clone());
                }
                let address = az.choose(turn, &topology.primary, replicas);
                if address == topology.primary {
                    return None;
                }
                address
            }
            (None, ReadFrom::AllNodes) => match turn % (replicas.len() + 1) {
                0 => return None,
                i => &replicas[i - 1],
            },
            (None, _) => &replicas[turn % replicas.len()],
        };
        let mut nodes = self.nodes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, node)) = nodes.iter().find(|(a, _)| a == address) {
            return Some(node.clone());
        }
        let settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let node = Arc::new(Standalone::to_node(&settings, address, false)?);
        nodes.push((address.to_owned(), node.clone()));
        Some(node)
    }

    /// Fails every request awaiting a reply from a reader with `ClosingError`.
    pub fn close_requests(&self) {
        for (_, node) in self.nodes.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            node.close_requests();
        }
    }

    /// Drops every reader's connection (the sync client's close).
    pub fn close(&self) {
        for (_, node) in self.nodes.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            node.close();
        }
    }

    /// Later connections use `settings` (a new password); the current ones are dropped.
    pub fn update(&self, settings: &Settings) {
        let mut mine = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        *mine = Settings {
            discovery: NodeDiscoveryMode::Static,
            ..settings.clone()
        };
        if let Some((az, _)) = &self.az {
            az.update_settings(settings);
        }
        self.nodes.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
