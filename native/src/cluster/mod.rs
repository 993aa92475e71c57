//! Cluster clients: the crate's cluster connection (the link), where requests go, and handing them over in order.

pub mod batch;
pub mod client;
pub mod link;
pub mod requests;
pub mod targets;
