//! The protocol layer, free of threads, sockets and clocks: requests and replies, errors, slots and routing facts, what a cluster batch's or fan-out's replies mean, the order rule of cluster requests. Driven by calls.

pub mod compression;
pub mod connection_state;
pub mod errors;
pub mod fan_out;
pub mod multi_slot;
pub mod node_batch;
pub mod order;
pub mod reads;
pub mod reply;
pub mod request;
pub mod resp_guard;
pub mod routing;
pub mod slots;
