//! Process-wide counts for `getStatistics()` (GLIDE's `total_connections`, `total_clients` and
//! pub/sub reconciliation counts): the connections the clients' own pipes hold open, the
//! clients alive, and what the subscribers' reconciliation found, in every isolate of the
//! process.

use std::sync::atomic::{AtomicI64, Ordering};

/// Connections of the clients' own pipes (pipe.rs) that have not ended.
pub static CONNECTIONS: AtomicI64 = AtomicI64::new(0);
/// Clients (async and sync) made and not yet dropped.
pub static CLIENTS: AtomicI64 = AtomicI64::new(0);

/// Reconciliation rounds that found a client's subscriptions out of sync (pubsub.rs).
pub static SUBSCRIPTIONS_OUT_OF_SYNC: AtomicI64 = AtomicI64::new(0);
/// When a reconciliation round last found a client's subscriptions in sync (ms since the epoch).
pub static SUBSCRIPTIONS_SYNCED_AT: AtomicI64 = AtomicI64::new(0);

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

/// Statistic `kind` (0: connections, 1: clients, 2: out-of-sync subscription rounds, 3: last
/// in-sync round); -1 for an unknown kind.
pub fn get(kind: u32) -> i64 {
    match kind {
        0 => CONNECTIONS.load(Ordering::Relaxed),
        1 => CLIENTS.load(Ordering::Relaxed),
        2 => SUBSCRIPTIONS_OUT_OF_SYNC.load(Ordering::Relaxed),
        3 => SUBSCRIPTIONS_SYNCED_AT.load(Ordering::Relaxed),
        _ => -1,
    }
}
