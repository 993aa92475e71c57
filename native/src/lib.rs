//! glide-deno's native core: a Valkey/Redis client on the `redis` crate, exposed to Deno through
//! the C ABI described in `native/ABI.md`.

pub mod async_client;
pub mod boundary;
pub mod cluster;
pub mod config;
pub mod connections;
pub mod protocol;
pub mod sync_client;

/// The generated protobuf types of `proto/connection.proto`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/glide_deno.connection.rs"));
}
