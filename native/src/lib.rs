//! glide-deno's native core: a Valkey/Redis client on the `redis` crate, exposed to Deno through
//! the C ABI described in `native/ABI.md`.

pub mod async_client;
pub mod az;
pub mod batch;
pub mod calling_thread;
pub mod cluster;
pub mod cluster_link;
pub mod cluster_order;
pub mod cluster_requests;
pub mod completions;
pub mod compression;
pub mod config;
pub mod connection_state;
pub mod credentials;
pub mod dial;
pub mod errors;
pub mod fan_out;
pub mod ffi;
pub mod handles;
pub mod isolates;
pub mod monitor;
pub mod multi_slot;
pub mod node_batch;
pub mod ordered_cluster;
pub mod pin;
pub mod pipe;
pub mod pubsub;
pub mod readers;
pub mod reads;
pub mod replication;
pub mod reply;
pub mod request;
pub mod resp_guard;
pub mod runtime;
pub mod slots;
pub mod standalone;
pub mod sync_client;
pub mod tcp_out;
pub mod telemetry;
pub mod tls;
pub mod tracking;
pub mod wakeup;
pub mod wakeup_listener;

/// The generated protobuf types of `proto/connection.proto`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/glide_deno.connection.rs"));
}
