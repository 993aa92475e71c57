//! A standalone deployment with replicas: which of the client's addresses is the primary (GLIDE's
//! `nodeDiscoveryMode`), and which node each read goes to (`readFrom`, `readOnly`).
//!
//! The primary connection ([`crate::connections::standalone::Standalone`]) finds its node each time it
//! connects (so a replica promoted by a failover is found on the next connection), and records
//! what it learnt in [`Topology`]: the primary's address and the replicas'. Reads then go to the
//! replicas' connections (readers.rs); writes stay on the primary's.

use crate::config::Settings;
use crate::connections::pipe::{Pipe, Tasks};
use crate::proto::NodeDiscoveryMode;
use crate::protocol::errors::{Failure, Status};

/// What the primary connection learnt of the deployment when it last connected.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct Topology {
    /// `host:port` of the node the primary connection is to.
    pub primary: String,
    /// `host:port` of the nodes that serve reads besides it.
    pub replicas: Vec<String>,
}

/// The facts of one node's `INFO REPLICATION`.
#[derive(Default, Debug, PartialEq, Eq)]
struct Role {
    primary: bool,
    /// A primary's replicas (`slaveN:ip=...,port=...`).
    replicas: Vec<String>,
    /// A replica's primary (`master_host`, `master_port`).
    primary_of: Option<String>,
}

fn parse_role(info: &str) -> Role {
    let mut role = Role::default();
    let (mut host, mut port) = (None, None);
    for line in info.lines() {
        let line = line.trim();
        if line == "role:master" {
            role.primary = true;
        } else if let Some(v) = line.strip_prefix("master_host:") {
            host = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("master_port:") {
            port = Some(v.to_owned());
        } else if line.starts_with("slave") && line.contains(":ip=") {
            let field = |name: &str| {
                line.split([':', ','])
                    .find_map(|kv| kv.strip_prefix(name).map(str::to_owned))
            };
            if let (Some(ip), Some(p)) = (field("ip="), field("port=")) {
                role.replicas.push(format!("{ip}:{p}"));
            }
        }
    }
    if let (Some(h), Some(p)) = (host, port) {
        role.primary_of = Some(format!("{h}:{p}"));
    }
    role
}

fn address((host, port): &(String, u16)) -> String {
    format!("{host}:{port}")
}

/// Whether the primary connection must ask its addresses for their role.
pub fn probes(settings: &Settings) -> bool {
    !settings.cluster
        && !settings.read_only
        && !settings.monitor
        && (settings.nodes.len() > 1 || settings.discovery == NodeDiscoveryMode::DiscoverAll)
        && settings.discovery != NodeDiscoveryMode::Static
}

/// The topology `settings` gives without asking the nodes (`Static`, `readOnly`, one address):
/// the first address is the primary, the others serve reads.
pub fn as_given(settings: &Settings) -> Topology {
    let mut all = settings.nodes.iter().map(address);
    Topology {
        primary: all.next().unwrap_or_default(),
        replicas: all.collect(),
    }
}

/// Connects to the primary among `settings.nodes`: asks each address for its role (`INFO
/// REPLICATION`), and keeps the connection to the one that is the primary; with
/// `DiscoverAll`, the replicas the primary lists (and the primary a replica names, asked in
/// turn) join the topology. A `ConnectionError` when no node is the primary.
pub async fn connect_primary(settings: &Settings) -> Result<((Pipe, Tasks), Topology), Failure> {
    let discover = settings.discovery == NodeDiscoveryMode::DiscoverAll;
    let mut candidates: Vec<String> = settings.nodes.iter().map(address).collect();
    let mut seen_replicas: Vec<String> = Vec::new();
    let mut last_error = None;
    let mut i = 0;
    while i < candidates.len() {
        let candidate = candidates[i].clone();
        i += 1;
        let Some((host, port)) = crate::protocol::slots::host_port(&candidate) else {
            continue;
        };
        let (pipe, tasks) = match crate::connections::dial::open(settings, host, port).await {
            Ok(c) => c,
            Err(e) => {
                last_error = Some(e);
                continue;
            }
        };
        let info = pipe
            .send(redis::cmd("INFO").arg("REPLICATION"))
            .await
            .ok()
            .and_then(|v| redis::from_redis_value::<String>(v).ok())
            .unwrap_or_default();
        let role = parse_role(&info);
        if role.primary {
            let mut replicas: Vec<String> = settings
                .nodes
                .iter()
                .map(address)
                .filter(|a| *a != candidate)
                .collect();
            if discover {
                for r in role.replicas.into_iter().chain(seen_replicas) {
                    if r != candidate && !replicas.contains(&r) {
                        replicas.push(r);
                    }
                }
            }
            let topology = Topology {
                primary: candidate,
                replicas,
            };
            return Ok(((pipe, tasks), topology));
        }
        pipe.close();
        seen_replicas.push(candidate);
        if let (true, Some(p)) = (discover, role.primary_of) {
            if !candidates.contains(&p) {
                candidates.push(p);
            }
        }
    }
    Err(last_error.unwrap_or_else(|| {
        Failure::new(
            Status::Connection,
            "no primary among the addresses (every node answered INFO REPLICATION as a replica)",
        )
    }))
}

/// Refuses a write command (or a parsed batch holding one) of a `readOnly` client before it is
/// sent.
pub fn allowed(
    settings: &Settings,
    req: &crate::protocol::request::Request,
) -> Result<(), Failure> {
    if !settings.read_only {
        return Ok(());
    }
    let names: Vec<&str> = match &req.batch {
        Some(b) => b.names.iter().map(|n| n.as_str()).collect(),
        None => vec![req.name.as_str()],
    };
    let write = names
        .into_iter()
        .find(|n| !n.is_empty() && !crate::protocol::reads::allowed_in_read_only_mode(n));
    match write {
        None => Ok(()),
        Some(name) => Err(Failure::new(
            Status::Request,
            format!("{name} is a write command: the client is read-only (readOnly: true)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_primary_lists_its_replicas_and_a_replica_names_its_primary() {
        let primary = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n\
            slave0:ip=127.0.0.1,port=7001,state=online,offset=1,lag=0\r\n\
            slave1:ip=10.0.0.2,port=7002,state=online,offset=1,lag=1\r\n";
        let role = parse_role(primary);
        assert!(role.primary);
        assert_eq!(role.replicas, ["127.0.0.1:7001", "10.0.0.2:7002"]);
        let replica =
            "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:7000\r\n";
        let role = parse_role(replica);
        assert!(!role.primary);
        assert_eq!(role.primary_of.as_deref(), Some("127.0.0.1:7000"));
    }
}
