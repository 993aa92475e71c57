//! Connections to one server: the ordered pipe, dialing (TCP, TLS), the standalone connection and its replicas, pub/sub, MONITOR, the runtimes.

pub mod az;
pub mod calling_thread;
pub mod credentials;
pub mod dial;
pub mod guarded;
pub mod js_io;
pub mod logger;
pub mod monitor;
pub mod pipe;
pub mod pubsub;
pub mod readers;
pub mod replication;
pub mod resolver;
pub mod runtime;
pub mod shared_tcp;
pub mod standalone;
pub mod tls;
pub mod tracking;
