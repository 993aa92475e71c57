//! Process-wide counts for `getStatistics()` (GLIDE's `total_connections`, `total_clients` and
//! pub/sub reconciliation counts) and for OpenTelemetry's metrics (timeouts, retries, MOVED
//! replies): the connections the clients' own pipes hold open, the clients alive, what the
//! subscribers' reconciliation found, and what happened to requests, in every isolate of the
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

/// Requests that failed with a timeout (GLIDE's `glide.timeout_errors`).
pub static TIMEOUTS: AtomicI64 = AtomicI64::new(0);
/// Requests sent again after a redirect or a failure (GLIDE's `glide.retry_attempts`).
pub static RETRIES: AtomicI64 = AtomicI64::new(0);
/// MOVED replies (GLIDE's `glide.moved_errors`).
pub static MOVED: AtomicI64 = AtomicI64::new(0);

/// Counts one more in `counter`.
pub fn count(counter: &AtomicI64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Counts a request's outcome (a timeout) as it is handed back to JS.
pub fn outcome<T>(outcome: &Result<T, crate::protocol::errors::Failure>) {
    if let Err(f) = outcome {
        if f.status == crate::protocol::errors::Status::Timeout {
            count(&TIMEOUTS);
        }
    }
}

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
/// in-sync round, 4: timeouts, 5: retries, 6: MOVED replies); -1 for an unknown kind.
pub fn get(kind: u32) -> i64 {
    match kind {
        0 => CONNECTIONS.load(Ordering::Relaxed),
        1 => CLIENTS.load(Ordering::Relaxed),
        2 => SUBSCRIPTIONS_OUT_OF_SYNC.load(Ordering::Relaxed),
        3 => SUBSCRIPTIONS_SYNCED_AT.load(Ordering::Relaxed),
        4 => TIMEOUTS.load(Ordering::Relaxed),
        5 => RETRIES.load(Ordering::Relaxed),
        6 => MOVED.load(Ordering::Relaxed),
        _ => -1,
    }
}

/// The queue whose isolate exports the process's metrics (0: none yet).
static METRICS_OWNER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Whether queue `queue` (the caller's) exports the process-wide metrics: the first isolate to
/// ask does, until its queue closes (`open` says whether a queue still is); then the next to
/// ask takes over. So each count is exported once, whatever the number of isolates.
pub fn claim_metrics(queue: u32, open: impl Fn(u32) -> bool) -> bool {
    let owner = METRICS_OWNER.load(Ordering::Acquire);
    if owner == queue {
        return true;
    }
    !(owner != 0 && open(owner))
        && METRICS_OWNER
            .compare_exchange(owner, queue, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_isolate_holds_the_metrics_until_its_queue_closes() {
        assert!(claim_metrics(7, |_| true));
        assert!(claim_metrics(7, |_| true));
        assert!(!claim_metrics(8, |q| q == 7));
        // Queue 7 closed: the next to ask takes over, and keeps it.
        assert!(claim_metrics(8, |q| q != 7));
        assert!(!claim_metrics(7, |q| q == 8));
    }
}
