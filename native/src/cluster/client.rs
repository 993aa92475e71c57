//! The `redis` crate's cluster clients: building them from a client's settings, and running a
//! command on their connection as GLIDE routes it (routing.rs says how).

use crate::config::Settings;
use crate::connections::az::AzFactory;
use crate::connections::guarded::{ClusterConnection, Registration};
use crate::protocol::errors::Failure;
use crate::protocol::reply::Reply;
use crate::protocol::request::Route;
use crate::protocol::routing::{combine, routing};
use redis::cluster::ClusterClientBuilder;
use std::sync::Arc;
use std::time::Duration;

/// A cluster client of the crate whose node connections are dialed with the client's settings
/// and checked (`connections/guarded.rs`).
#[derive(Clone)]
pub struct ClusterClient {
    client: redis::cluster::ClusterClient,
    registration: Arc<Registration>,
}

impl ClusterClient {
    /// A new connection to the cluster.
    pub async fn connect(&self) -> redis::RedisResult<ClusterConnection> {
        ClusterConnection::connect(&self.client, self.registration.clone()).await
    }
}

/// Builds the cluster client of a client's cluster link (`link.rs`). With
/// `az` (the AZ-affinity modes), reads are routed by that factory's strategies, so clients
/// built again (a new password) keep the zones it learnt.
pub fn client(settings: &Settings, az: Option<&AzFactory>) -> Result<ClusterClient, Failure> {
    let registration = Arc::new(Registration::new(settings));
    let mut builder = builder(settings, &registration)?;
    if let Some(az) = az {
        // AZAffinity / AZAffinityReplicasAndPrimary: the client's zone first (see az.rs).
        builder = builder.read_routing_strategy(az.clone());
    } else if settings.read_from_replicas {
        builder = builder.read_routing_strategy(redis::cluster_read_routing::RandomReplicaStrategy);
    }
    finish(builder, registration)
}

fn finish(
    builder: ClusterClientBuilder,
    registration: Arc<Registration>,
) -> Result<ClusterClient, Failure> {
    Ok(ClusterClient {
        client: builder.build().map_err(Failure::from)?,
        registration,
    })
}

/// Builds a cluster client whose connections send RESP3 pushes to `sender` (pub/sub; it
/// sends no reads, so it has no read routing).
pub fn client_with_push(
    settings: &Settings,
    sender: tokio::sync::mpsc::UnboundedSender<redis::PushInfo>,
) -> Result<ClusterClient, Failure> {
    let registration = Arc::new(Registration::new(settings));
    let builder = builder(settings, &registration)?.push_sender(sender);
    finish(builder, registration)
}

/// The crate's builder for `settings`. The crate dials nodes through `NodeConnection`, which
/// finds the settings (the real credentials among them) by the registration's key, given here
/// as the password.
fn builder(
    settings: &Settings,
    registration: &Registration,
) -> Result<ClusterClientBuilder, Failure> {
    let keyed = redis::RedisConnectionInfo::default()
        .set_password(registration.password())
        .set_protocol(settings.redis.protocol())
        .set_db(settings.redis.db());
    let mut seeds = Vec::with_capacity(settings.nodes.len());
    for (host, port) in &settings.nodes {
        let seed = settings.connection_info(host, *port)?;
        seeds.push(seed.set_redis_settings(keyed.clone()));
    }
    let mut builder = ClusterClientBuilder::new(seeds)
        .use_protocol(settings.redis.protocol())
        .connection_timeout(settings.connection_timeout)
        // Requests have their own timeouts in the core; this bounds one node round trip only.
        .response_timeout(Duration::from_secs(24 * 3600));
    // GLIDE's `connectionBackoff` (factor x base^n ms, growing for `numberOfRetries` steps)
    // paces the crate's retries after connection errors, CLUSTERDOWN and TRYAGAIN, instead of
    // its own defaults (which wait at least 1.28 s): a retry waits a random time between the
    // first step and the step reached so far.
    // Waits are at most 60 s, so the factor and base the crate multiplies are capped to keep
    // its arithmetic (base^16 x factor) within u64.
    let b = &settings.backoff;
    let first = u64::from(b.factor_ms).clamp(1, 60_000);
    let base = u64::from(b.base).clamp(1, 8);
    let last = first.saturating_mul(u64::from(b.base.max(1)).saturating_pow(b.retries));
    builder = builder
        .retry_wait_formula(first, base)
        .min_retry_wait(first)
        .max_retry_wait(last.clamp(first + 1, 60_001));
    if let Some(tls) = &settings.tls {
        // The crate's node addresses then say TLS; NodeConnection dials with the settings'.
        builder = builder.tls(if tls.insecure {
            redis::TlsMode::Insecure
        } else {
            redis::TlsMode::Secure
        });
    }
    Ok(builder)
}

/// Runs one command on a client's cluster connection: routed as GLIDE routes it, and its
/// replies combined (async and sync clients alike).
pub async fn run(
    mut c: ClusterConnection,
    cmd: redis::Cmd,
    name: &str,
    route: &Route,
) -> Result<Reply, Failure> {
    use redis::aio::ConnectionLike;
    match routing(name, route) {
        Some((r, how)) => combine(c.route_command(cmd, r).await?, how),
        None => {
            crate::protocol::errors::top_level(c.req_packed_command(&cmd).await?).map(Reply::Value)
        }
    }
}
