//! Process-wide counts for `getStatistics()` (GLIDE's `total_connections` and `total_clients`):
//! the connections the clients' own pipes hold open, and the clients alive, in every isolate of
//! the process.

use std::sync::atomic::{AtomicI64, Ordering};

/// Connections of the clients' own pipes (pipe.rs) that have not ended.
pub static CONNECTIONS: AtomicI64 = AtomicI64::new(0);
/// Clients (async and sync) made and not yet dropped.
pub static CLIENTS: AtomicI64 = AtomicI64::new(0);

/// Counts one in `counter` until dropped.
pub struct Counted(&'static AtomicI64);

impl Counted {
    pub fn new(counter: &'static AtomicI64) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Counted(counter)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Statistic `kind` (0: connections, 1: clients); -1 for an unknown kind.
pub fn get(kind: u32) -> i64 {
    match kind {
        0 => CONNECTIONS.load(Ordering::Relaxed),
        1 => CLIENTS.load(Ordering::Relaxed),
        _ => -1,
    }
}
