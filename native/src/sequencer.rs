//! Keeps a cluster client's requests in the order they were submitted.
//!
//! Most requests are *shared*: a command for one slot, sent straight to that slot's primary over
//! an ordered connection, concurrently with the others (their order on each connection is their
//! submit order). A request that goes any other way (through the `redis` crate's cluster
//! connection, which may reorder what it is given) is *exclusive*: it starts once every request
//! submitted before it has finished, and nothing submitted after it starts before it ends.
//!
//! A shared request whose command did not run where it was sent (MOVED, ASK, TRYAGAIN,
//! CLUSTERDOWN, or no connection to the node) runs again, exclusively, as a *retry* that keeps
//! its place: retries run one at a time in submit order, each once every request submitted
//! before it has finished, and no new request starts while one is waiting. So requests to one
//! key run in submit order through redirects and failovers too.
//!
//! Tickets are taken on the submitting thread, in submit order; the waits happen in the
//! requests' tasks.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::oneshot;

/// How a request runs alongside the others.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// With other shared requests.
    Shared,
    /// Alone.
    Exclusive,
}

struct Waiter {
    ticket: u64,
    kind: Kind,
    go: oneshot::Sender<()>,
}

#[derive(Default)]
struct State {
    next: u64,
    /// Tickets that have started and not finished.
    running: BTreeSet<u64>,
    /// The exclusive request running, if one is (a retry may run beside later shared ones).
    exclusive: Option<u64>,
    /// Tickets not started yet, in submit order.
    waiting: VecDeque<Waiter>,
    /// Shared requests that must run again exclusively, by ticket.
    retries: BTreeMap<u64, oneshot::Sender<()>>,
}

/// The order keeper of one client.
#[derive(Default)]
pub struct Sequencer {
    state: Mutex<State>,
}

/// A request's place in the order; dropping it (the request ended, or was abandoned) lets the
/// requests after it go.
pub struct Ticket {
    seq: Arc<Sequencer>,
    id: u64,
    /// Resolves when the request may start (`None`: it may start now).
    turn: Option<oneshot::Receiver<()>>,
}

impl Sequencer {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next request's ticket. Call in submit order.
    pub fn enter(self: &Arc<Self>, kind: Kind) -> Ticket {
        let mut s = self.lock();
        let id = s.next;
        s.next += 1;
        let now = s.waiting.is_empty() && s.retries.is_empty() && s.may_start(kind);
        let turn = if now {
            s.start(id, kind);
            None
        } else {
            let (go, turn) = oneshot::channel();
            s.waiting.push_back(Waiter {
                ticket: id,
                kind,
                go,
            });
            Some(turn)
        };
        Ticket {
            seq: self.clone(),
            id,
            turn,
        }
    }

    /// Requests started and not finished, and requests waiting (for tests).
    #[cfg(test)]
    fn counts(&self) -> (usize, usize) {
        let s = self.lock();
        (s.running.len(), s.waiting.len() + s.retries.len())
    }
}

impl State {
    fn may_start(&self, kind: Kind) -> bool {
        match kind {
            Kind::Shared => self.exclusive.is_none(),
            Kind::Exclusive => self.running.is_empty(),
        }
    }

    fn start(&mut self, ticket: u64, kind: Kind) {
        self.running.insert(ticket);
        if kind == Kind::Exclusive {
            self.exclusive = Some(ticket);
        }
    }

    /// Starts whatever may start now, in order.
    fn pump(&mut self) {
        loop {
            if let Some((&retry, _)) = self.retries.first_key_value() {
                let earlier_running = self.running.first().is_some_and(|&t| t < retry);
                if self.exclusive.is_some() || earlier_running {
                    return;
                }
                let go = self.retries.remove(&retry).expect("a retry");
                self.start(retry, Kind::Exclusive);
                if go.send(()).is_err() {
                    // Abandoned between its request and now: its ticket's drop cleans up.
                }
                return;
            }
            let Some(front) = self.waiting.front() else {
                return;
            };
            if !self.may_start(front.kind) {
                return;
            }
            let w = self.waiting.pop_front().expect("a waiter");
            self.start(w.ticket, w.kind);
            let _ = w.go.send(());
            if w.kind == Kind::Exclusive {
                return;
            }
        }
    }

    /// Forgets `ticket` wherever it is.
    fn remove(&mut self, ticket: u64) {
        self.running.remove(&ticket);
        if self.exclusive == Some(ticket) {
            self.exclusive = None;
        }
        self.retries.remove(&ticket);
        if let Some(i) = self.waiting.iter().position(|w| w.ticket == ticket) {
            self.waiting.remove(i);
        }
    }
}

impl Ticket {
    /// Waits until the request may start.
    pub async fn turn(&mut self) {
        if let Some(turn) = &mut self.turn {
            // Err: the sender is gone, which happens only when the ticket was removed.
            let _ = turn.await;
            self.turn = None;
        }
    }

    /// The request (shared, started) must run again exclusively: waits for its turn to.
    pub async fn retry(&mut self) {
        let turn = {
            let mut s = self.seq.lock();
            s.running.remove(&self.id);
            let (go, turn) = oneshot::channel();
            s.retries.insert(self.id, go);
            s.pump();
            turn
        };
        let _ = turn.await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut s = self.seq.lock();
        s.remove(self.id);
        s.pump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn ready(t: &mut Ticket) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        matches!(pin!(t.turn()).as_mut().poll(&mut cx), Poll::Ready(()))
    }

    #[test]
    fn shared_requests_run_together_and_an_exclusive_one_alone() {
        let seq = Arc::new(Sequencer::default());
        let mut a = seq.enter(Kind::Shared);
        let mut b = seq.enter(Kind::Shared);
        let mut x = seq.enter(Kind::Exclusive);
        let mut c = seq.enter(Kind::Shared);
        assert!(ready(&mut a) && ready(&mut b));
        assert_eq!(seq.counts(), (2, 2));
        drop(a);
        assert_eq!(seq.counts(), (1, 2), "x waits for b");
        drop(b);
        assert!(ready(&mut x));
        assert_eq!(seq.counts(), (1, 1), "c waits for x");
        drop(x);
        assert!(ready(&mut c));
        assert_eq!(seq.counts(), (1, 0));
    }

    #[test]
    fn a_retry_waits_for_earlier_requests_and_holds_back_later_ones() {
        let seq = Arc::new(Sequencer::default());
        let a = seq.enter(Kind::Shared);
        let mut b = seq.enter(Kind::Shared);
        let c = seq.enter(Kind::Shared);
        let mut cx = Context::from_waker(Waker::noop());
        let mut retry = Box::pin(b.retry());
        assert!(
            retry.as_mut().poll(&mut cx).is_pending(),
            "a is still running"
        );
        let mut d = seq.enter(Kind::Shared);
        assert!(!ready(&mut d), "nothing new starts while a retry waits");
        drop(a);
        assert!(
            retry.as_mut().poll(&mut cx).is_ready(),
            "c, later, may still run"
        );
        drop(retry);
        assert!(!ready(&mut d), "d waits for the retry");
        drop(b);
        drop(c);
        assert!(ready(&mut d));
    }

    #[test]
    fn an_abandoned_waiter_lets_the_next_go() {
        let seq = Arc::new(Sequencer::default());
        let x = seq.enter(Kind::Exclusive);
        let y = seq.enter(Kind::Exclusive);
        let mut z = seq.enter(Kind::Shared);
        drop(y);
        drop(x);
        assert!(ready(&mut z));
        assert_eq!(seq.counts(), (1, 0));
    }
}
