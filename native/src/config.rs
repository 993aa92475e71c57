//! Decodes and validates the `ConnectionRequest` protobuf, and builds the `redis` crate's
//! connection settings from it.

pub use crate::connections::tls::Tls;
use crate::proto::{ConnectionRequest, ProtocolVersion, ReadFrom};
use crate::protocol::errors::Failure;
use prost::Message;
use redis::{ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisConnectionInfo};
use std::time::Duration;

pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_millis(250);
pub const DEFAULT_CONNECTION_TIMEOUT: Duration = Duration::from_millis(2000);
pub const DEFAULT_PERIODIC_CHECKS: Duration = Duration::from_secs(60);

/// Reconnect backoff (GLIDE's defaults: 5 growing steps of 100 ms x 2^n, 20% jitter).
#[derive(Clone, Debug)]
pub struct Backoff {
    pub retries: u32,
    pub factor_ms: u32,
    pub base: u32,
    pub jitter_percent: u32,
}

impl Backoff {
    /// The delay before reconnect attempt `attempt` (0-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let step = attempt.min(self.retries);
        let ms = (self.factor_ms as f64) * (self.base as f64).powi(step as i32);
        let ms = ms.min(60_000.0);
        let jitter = ms * (self.jitter_percent as f64 / 100.0) * pseudo_random();
        Duration::from_millis((ms + jitter) as u64)
    }
}

fn pseudo_random() -> f64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos % 1000) as f64 / 1000.0
}

/// Installs rustls's crypto provider once per process.
fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if one is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Everything a client needs, validated.
#[derive(Clone, Debug)]
pub struct Settings {
    pub nodes: Vec<(String, u16)>,
    pub cluster: bool,
    pub redis: RedisConnectionInfo,
    pub client_name: Option<String>,
    pub request_timeout: Duration,
    pub connection_timeout: Duration,
    pub backoff: Backoff,
    pub lazy: bool,
    pub read_from_replicas: bool,
    /// Which nodes serve reads (`read_from_replicas` is whether that may be a replica).
    pub read_from: ReadFrom,
    /// The client's availability zone (required by the AZ-affinity `read_from` modes).
    pub client_az: Option<String>,
    pub periodic_checks: Option<Duration>,
    /// Topology checks ask the seed addresses, not the nodes the client knows
    /// (`advancedConfiguration.refreshTopologyFromInitialNodes`).
    pub refresh_from_seeds: bool,
    pub tls: Option<Tls>,
    /// A connection of the cluster client's own to a replica: it sends READONLY when it
    /// connects, so that the replica serves reads of its primary's slots.
    pub readonly: bool,
    /// A MONITOR client's (see `proto/connection.proto`).
    pub monitor: bool,
    /// Server-assisted client-side caching: where the client's invalidations go (tracking.rs).
    pub tracking: Option<std::sync::Arc<crate::connections::tracking::Tracking>>,
    /// TCP_NODELAY on every connection (`advancedConfiguration.tcpNoDelay`, default true).
    pub tcp_nodelay: bool,
    /// A standalone client's `readOnly`: no primary needed, write commands refused.
    pub read_only: bool,
    /// How a standalone client finds its primary among its addresses (replication.rs).
    pub discovery: crate::proto::NodeDiscoveryMode,
    /// How often the subscriber compares desired and confirmed subscriptions (pubsub.rs).
    pub pubsub_reconciliation: Duration,
    /// The id of the client's `addressResolver` (0: none), and the resolver once the boundary
    /// found it (resolver.rs).
    pub resolver_id: u32,
    pub resolver: Option<std::sync::Arc<crate::connections::resolver::Resolver>>,
    /// An async client's isolate queue, when the isolate's event loop owns the client's plain
    /// TCP sockets (connections/js_io.rs).
    pub js_io: Option<std::sync::Arc<crate::boundary::completions::Queue>>,
}

/// The library name connections report (CLIENT SETINFO LIB-NAME): `glide-deno` unless the
/// configuration names another, in the characters the server accepts (printable ASCII without
/// spaces or parentheses, except one `name(tag)` pair as `libName` and `clientInfoTag` make).
fn lib_name(name: &str) -> Result<&str, Failure> {
    if name.is_empty() {
        return Ok("glide-deno");
    }
    let (base, tag) = match name.split_once('(') {
        Some((base, rest)) => (base, rest.strip_suffix(')')),
        None => (name, Some("")),
    };
    let plain = |s: &str| {
        s.bytes()
            .all(|b| (b'!'..=b'~').contains(&b) && b != b'(' && b != b')')
    };
    match tag {
        Some(tag) if !base.is_empty() && plain(base) && plain(tag) => Ok(name),
        _ => Err(Failure::config(format!(
            "libName and clientInfoTag must be printable ASCII without parentheses: {name}"
        ))),
    }
}

impl Settings {
    /// Decodes and validates config bytes.
    pub fn decode(bytes: &[u8]) -> Result<Settings, Failure> {
        let req = ConnectionRequest::decode(bytes)
            .map_err(|e| Failure::config(format!("invalid configuration bytes: {e}")))?;
        Settings::from_proto(req)
    }

    fn from_proto(req: ConnectionRequest) -> Result<Settings, Failure> {
        if req.addresses.is_empty() {
            return Err(Failure::config("no addresses given"));
        }
        let mut nodes = Vec::with_capacity(req.addresses.len());
        for a in &req.addresses {
            if a.host.is_empty() {
                return Err(Failure::config("an address has an empty host"));
            }
            let port = u16::try_from(a.port)
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| Failure::config(format!("invalid port {}", a.port)))?;
            nodes.push((a.host.clone(), port));
        }
        let tls = if req.use_tls {
            let t = req.tls.clone().unwrap_or_default();
            let client = match (t.client_certificate, t.client_key) {
                (Some(cert), Some(key)) => Some((cert, key)),
                (None, None) => None,
                _ => {
                    return Err(Failure::config(
                        "a TLS client certificate needs its key, and a key its certificate",
                    ))
                }
            };
            install_crypto_provider();
            Some(Tls {
                insecure: t.insecure,
                root_certs: t.root_certificates.join(&b'\n'),
                client,
                built: Default::default(),
            })
        } else {
            None
        };
        let protocol = match ProtocolVersion::try_from(req.protocol) {
            Ok(ProtocolVersion::Resp3) => redis::ProtocolVersion::RESP3,
            Ok(ProtocolVersion::Resp2) => redis::ProtocolVersion::RESP2,
            Err(_) => {
                return Err(Failure::config(format!(
                    "unknown protocol {}",
                    req.protocol
                )))
            }
        };
        let read_from = ReadFrom::try_from(req.read_from)
            .map_err(|_| Failure::config(format!("unknown readFrom {}", req.read_from)))?;
        let client_az = req.client_az.clone().filter(|az| !az.is_empty());
        if read_from_az(read_from) && client_az.is_none() {
            return Err(Failure::config(format!(
                "readFrom {} needs clientAz",
                read_from.as_str_name()
            )));
        }
        if req.read_only && read_from_az(read_from) {
            return Err(Failure::config(
                "readOnly is not compatible with the AZAffinity readFrom modes",
            ));
        }
        if req.read_only
            && req.node_discovery_mode == crate::proto::NodeDiscoveryMode::DiscoverAll as i32
        {
            return Err(Failure::config(
                "readOnly is not compatible with NodeDiscoveryMode.DiscoverAll",
            ));
        }
        if req.monitor && req.cluster_mode {
            return Err(Failure::config("a MONITOR client watches one server"));
        }
        if req.client_tracking && protocol != redis::ProtocolVersion::RESP3 {
            return Err(Failure::config(
                "clientSideCache with serverAssisted needs RESP3 (invalidations are pushes)",
            ));
        }
        let mut redis = RedisConnectionInfo::default()
            .set_protocol(protocol)
            .set_db(req.database_id as i64)
            .set_lib_name(lib_name(&req.lib_name)?, env!("CARGO_PKG_VERSION"));
        if let Some(c) = &req.credentials {
            redis = redis.set_password(&c.password);
            if let Some(u) = &c.username {
                redis = redis.set_username(u);
            }
        }
        let backoff = match &req.connection_backoff {
            Some(b) => Backoff {
                retries: b.number_of_retries.min(32),
                factor_ms: b.factor_ms,
                base: b.exponent_base.max(1),
                jitter_percent: b.jitter_percent.unwrap_or(20).min(100),
            },
            None => Backoff {
                retries: 5,
                factor_ms: 100,
                base: 2,
                jitter_percent: 20,
            },
        };
        let positive = |v: Option<u32>, d: Duration, what: &str| match v {
            None => Ok(d),
            Some(0) => Err(Failure::config(format!("{what} must be positive"))),
            Some(ms) => Ok(Duration::from_millis(ms as u64)),
        };
        Ok(Settings {
            nodes,
            cluster: req.cluster_mode,
            redis,
            client_name: req.client_name.filter(|n| !n.is_empty()),
            request_timeout: positive(
                req.request_timeout_ms,
                DEFAULT_REQUEST_TIMEOUT,
                "requestTimeout",
            )?,
            connection_timeout: positive(
                req.connection_timeout_ms,
                DEFAULT_CONNECTION_TIMEOUT,
                "connectionTimeout",
            )?,
            backoff,
            lazy: req.lazy_connect,
            read_from_replicas: read_from != ReadFrom::Primary,
            read_from,
            client_az,
            periodic_checks: match req.periodic_checks_interval_ms {
                None => Some(DEFAULT_PERIODIC_CHECKS),
                Some(0) => None,
                Some(ms) => Some(Duration::from_millis(ms as u64)),
            },
            refresh_from_seeds: req.cluster_mode && req.refresh_topology_from_initial_nodes,
            tls,
            readonly: false,
            monitor: req.monitor,
            tracking: req.client_tracking.then(Default::default),
            tcp_nodelay: req.tcp_nodelay.unwrap_or(true),
            read_only: req.read_only && !req.cluster_mode,
            pubsub_reconciliation: Duration::from_millis(
                req.pubsub_reconciliation_interval_ms
                    .filter(|&ms| ms > 0)
                    .unwrap_or(3000) as u64,
            ),
            discovery: crate::proto::NodeDiscoveryMode::try_from(req.node_discovery_mode)
                .map_err(|_| Failure::config("unknown nodeDiscoveryMode"))?,
            resolver_id: req.address_resolver,
            resolver: None,
            js_io: None,
        })
    }

    /// Connection info for one node.
    pub fn connection_info(&self, host: &str, port: u16) -> Result<ConnectionInfo, Failure> {
        let addr = match &self.tls {
            Some(tls) => ConnectionAddr::TcpTls {
                host: host.to_string(),
                port,
                insecure: tls.insecure,
                tls_params: None,
            },
            None => ConnectionAddr::Tcp(host.to_string(), port),
        };
        let info = addr.into_connection_info().map_err(Failure::from)?;
        Ok(info
            .set_redis_settings(self.redis.clone())
            .set_tcp_settings(self.tcp_settings()))
    }

    /// The TCP options of the `redis` crate's connections (the cluster link, pub/sub).
    pub fn tcp_settings(&self) -> redis::io::tcp::TcpSettings {
        redis::io::tcp::TcpSettings::default().set_nodelay(self.tcp_nodelay)
    }

    /// The address to dial for `host:port`: what the client's `addressResolver` says, if it has
    /// one. A TLS connection still checks the certificate against `host`.
    pub async fn resolve(&self, host: &str, port: u16) -> (String, u16) {
        match &self.resolver {
            Some(r) => r.resolve(host, port, self.connection_timeout).await,
            None => (host.to_owned(), port),
        }
    }
}

/// Whether `read_from` is one of the AZ-affinity modes.
fn read_from_az(read_from: ReadFrom) -> bool {
    matches!(
        read_from,
        ReadFrom::AzAffinity | ReadFrom::AzAffinityReplicasAndPrimary
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::NodeAddress;

    fn with(f: impl FnOnce(&mut ConnectionRequest)) -> Result<Settings, Failure> {
        let mut req = ConnectionRequest {
            addresses: vec![NodeAddress {
                host: "127.0.0.1".into(),
                port: 6379,
            }],
            ..Default::default()
        };
        f(&mut req);
        Settings::decode(&req.encode_to_vec())
    }

    #[test]
    fn defaults() {
        let s = with(|_| {}).unwrap();
        assert_eq!(s.request_timeout, DEFAULT_REQUEST_TIMEOUT);
        assert_eq!(s.connection_timeout, DEFAULT_CONNECTION_TIMEOUT);
        assert_eq!(s.nodes, vec![("127.0.0.1".to_string(), 6379)]);
        assert!(!s.cluster && !s.lazy);
        assert!(s.tcp_nodelay && s.tcp_settings().nodelay());
        let nagle = with(|r| r.tcp_nodelay = Some(false)).unwrap();
        assert!(!nagle.tcp_nodelay && !nagle.tcp_settings().nodelay());
        let info = nagle.connection_info("127.0.0.1", 6379).unwrap();
        assert!(!info.tcp_settings().nodelay());
        assert!(s
            .connection_info("127.0.0.1", 6379)
            .unwrap()
            .tcp_settings()
            .nodelay());
    }

    #[test]
    fn rejects_bad_configs() {
        assert!(with(|r| r.addresses.clear()).is_err());
        assert!(with(|r| r.addresses[0].port = 0).is_err());
        assert!(with(|r| r.addresses[0].port = 70000).is_err());
        assert!(with(|r| r.addresses[0].host.clear()).is_err());
        assert!(with(|r| r.protocol = 9).is_err());
        assert!(with(|r| r.request_timeout_ms = Some(0)).is_err());
        // Valkey 9 has databases in cluster mode: the server judges.
        assert!(with(|r| {
            r.cluster_mode = true;
            r.database_id = 2;
        })
        .is_ok());
        assert!(Settings::decode(&[0xff, 0xff, 0xff]).is_err());
        assert!(with(|r| r.read_from = 9).is_err());
        assert!(with(|r| r.read_from = ReadFrom::AzAffinity as i32).is_err());
        assert!(with(|r| {
            r.read_from = ReadFrom::AzAffinityReplicasAndPrimary as i32;
            r.client_az = Some(String::new());
        })
        .is_err());
        let az = with(|r| {
            r.read_from = ReadFrom::AzAffinity as i32;
            r.client_az = Some("az-a".into());
        })
        .unwrap();
        assert!(az.read_from_replicas && az.read_from == ReadFrom::AzAffinity);
        assert_eq!(az.client_az.as_deref(), Some("az-a"));
        let half_mtls = with(|r| {
            r.use_tls = true;
            r.tls = Some(crate::proto::TlsConfiguration {
                client_certificate: Some(b"cert".to_vec()),
                ..Default::default()
            });
        });
        assert_eq!(
            half_mtls.unwrap_err().status,
            crate::protocol::errors::Status::Configuration
        );
    }

    #[test]
    fn tls_settings() {
        let s = with(|r| r.use_tls = true).unwrap();
        let tls = s.tls.as_ref().unwrap();
        assert!(!tls.insecure && tls.root_certs.is_empty() && tls.client.is_none());
        let s = with(|r| {
            r.use_tls = true;
            r.tls = Some(crate::proto::TlsConfiguration {
                root_certificates: vec![b"A".to_vec(), b"B".to_vec()],
                insecure: true,
                ..Default::default()
            });
        })
        .unwrap();
        let tls = s.tls.as_ref().unwrap();
        assert_eq!(tls.root_certs, b"A\nB");
        assert!(tls.client.is_none());
        let info = s.connection_info("h", 1).unwrap();
        assert!(matches!(
            info.addr(),
            ConnectionAddr::TcpTls { insecure: true, .. }
        ));
        assert!(with(|_| {}).unwrap().tls.is_none());
    }

    #[test]
    fn library_names() {
        let name = |n: &str| {
            with(|r| r.lib_name = n.into()).map(|s| s.redis.lib_name().map(str::to_owned))
        };
        assert_eq!(name("").unwrap().as_deref(), Some("glide-deno"));
        assert_eq!(
            name("mine(app:1.0)").unwrap().as_deref(),
            Some("mine(app:1.0)")
        );
        for bad in ["a b", "x(y", "(t)", "a(b)c", "é", "a(b(c))"] {
            assert!(name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backoff_grows_then_stays() {
        let b = Backoff {
            retries: 3,
            factor_ms: 10,
            base: 2,
            jitter_percent: 0,
        };
        assert_eq!(b.delay(0), Duration::from_millis(10));
        assert_eq!(b.delay(2), Duration::from_millis(40));
        assert_eq!(b.delay(9), Duration::from_millis(80));
    }
}
