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
//! A *fence* is a shared request that starts once every request submitted before it has
//! finished (its slot moved to another primary: it must not overtake what went to the old one);
//! the requests after it start right after it, beside it.
//!
//! Tickets are taken on the submitting thread, in submit order; the waits happen in the
//! requests' tasks. A request that had to wait passes its turn only after every earlier request
//! that had to wait has passed its own: being allowed to start is not enough, since the tasks
//! run in the order the scheduler polls them, which is not submit order (a task that waited is
//! polled when it is woken, after tasks that were queued before it but not yet polled). Passing
//! the turn is what hands the command to its connection, so that happens in submit order too.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Poll, Waker};
use tokio::sync::oneshot;

/// How a request runs alongside the others.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// With other shared requests.
    Shared,
    /// Alone.
    Exclusive,
    /// A shared request that starts once every earlier request has finished (its slot moved to
    /// another primary's connection, where it must not overtake what went to the old one);
    /// later shared requests start right after it, beside it.
    Fence,
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
    /// Tickets that had to wait and have not passed their turn yet: the first passes next.
    unpassed: BTreeSet<u64>,
    /// Tickets allowed to start that wait for an earlier one to pass its turn first.
    handoffs: BTreeMap<u64, Waker>,
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
    turn: Turn,
}

/// Where a ticket stands before its request runs.
enum Turn {
    /// It has passed its turn (or never had to wait).
    Passed,
    /// It waits to be allowed to start; then it passes its turn after the tickets before it.
    Waiting(oneshot::Receiver<()>),
    /// It may start once the tickets before it have passed their turn.
    Started,
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
        let turn = if now && s.unpassed.is_empty() {
            s.start(id, kind);
            Turn::Passed
        } else if now {
            s.start(id, kind);
            s.unpassed.insert(id);
            Turn::Started
        } else {
            let (go, turn) = oneshot::channel();
            s.waiting.push_back(Waiter {
                ticket: id,
                kind,
                go,
            });
            s.unpassed.insert(id);
            Turn::Waiting(turn)
        };
        Ticket {
            seq: self.clone(),
            id,
            turn,
        }
    }

    /// The ticket the next request will get.
    pub fn next_ticket(&self) -> u64 {
        self.lock().next
    }

    /// Whether every request with a ticket before `ticket` has finished (or was abandoned).
    pub fn finished_before(&self, ticket: u64) -> bool {
        let s = self.lock();
        s.running.first().is_none_or(|&t| t >= ticket)
            && s.waiting.front().is_none_or(|w| w.ticket >= ticket)
            && s.retries
                .first_key_value()
                .is_none_or(|(&t, _)| t >= ticket)
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
            Kind::Exclusive | Kind::Fence => self.running.is_empty(),
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

    /// Lets the first ticket that has not passed its turn pass it, if it is waiting to.
    fn hand_off(&mut self) {
        if let Some(first) = self.unpassed.first() {
            if let Some(waker) = self.handoffs.remove(first) {
                waker.wake();
            }
        }
    }

    /// Forgets `ticket` wherever it is.
    fn remove(&mut self, ticket: u64) {
        if self.unpassed.remove(&ticket) {
            self.handoffs.remove(&ticket);
            self.hand_off();
        }
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
    /// Waits until the request may start and every request before it that had to wait has
    /// passed its turn. Between this and the request's next await, nothing submitted later can
    /// pass its own.
    pub async fn turn(&mut self) {
        if let Turn::Waiting(go) = &mut self.turn {
            // Err: the sender is gone, which happens only when the ticket was removed.
            let _ = go.await;
            self.turn = Turn::Started;
        }
        if let Turn::Passed = self.turn {
            return;
        }
        let id = self.id;
        poll_fn(|cx| {
            let mut s = self.seq.lock();
            if s.unpassed.first().is_some_and(|&first| first != id) {
                s.handoffs.insert(id, cx.waker().clone());
                return Poll::Pending;
            }
            s.unpassed.remove(&id);
            s.hand_off();
            Poll::Ready(())
        })
        .await;
        self.turn = Turn::Passed;
    }

    /// Whether the request may start now, with no wait (nothing before it waits).
    pub fn passed(&self) -> bool {
        matches!(self.turn, Turn::Passed)
    }

    /// Whether the request (shared, started) may still hand its command to its connection: not
    /// while an earlier request waits to run again or is running again, since that one must
    /// run first. Checked with the connection at hand, right before sending.
    pub fn may_send(&self) -> bool {
        let s = self.seq.lock();
        let earlier_retry = s
            .retries
            .first_key_value()
            .is_some_and(|(&t, _)| t < self.id);
        let earlier_exclusive = s.exclusive.is_some_and(|t| t < self.id);
        !earlier_retry && !earlier_exclusive
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
    fn a_fence_waits_for_earlier_requests_and_later_ones_run_beside_it() {
        let seq = Arc::new(Sequencer::default());
        let a = seq.enter(Kind::Shared);
        let mut f = seq.enter(Kind::Fence);
        let mut b = seq.enter(Kind::Shared);
        assert!(!seq.finished_before(1));
        assert!(!ready(&mut f) && !ready(&mut b), "f waits for a, b for f");
        drop(a);
        assert!(seq.finished_before(1));
        assert!(!ready(&mut b), "b passes its turn after f");
        assert!(ready(&mut f) && ready(&mut b), "b runs beside f");
        let mut c = seq.enter(Kind::Shared);
        assert!(ready(&mut c));
        assert_eq!(seq.counts(), (3, 0));
        assert_eq!(seq.next_ticket(), 4);
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
    fn a_started_request_does_not_send_past_an_earlier_retry() {
        let seq = Arc::new(Sequencer::default());
        let mut a = seq.enter(Kind::Shared);
        let b = seq.enter(Kind::Shared);
        let c = seq.enter(Kind::Shared);
        assert!(a.may_send() && b.may_send() && c.may_send());
        let mut cx = Context::from_waker(Waker::noop());
        let mut retry = Box::pin(a.retry());
        assert!(
            retry.as_mut().poll(&mut cx).is_ready(),
            "nothing runs before a"
        );
        drop(retry);
        assert!(a.may_send(), "the retry itself sends");
        assert!(!b.may_send() && !c.may_send(), "a runs again first");
        drop(a);
        assert!(b.may_send() && c.may_send());
        drop((b, c));
        assert_eq!(seq.counts(), (0, 0));
    }

    #[test]
    fn requests_that_waited_pass_their_turn_in_submit_order() {
        let seq = Arc::new(Sequencer::default());
        let x = seq.enter(Kind::Exclusive);
        let mut a = seq.enter(Kind::Shared);
        let mut b = seq.enter(Kind::Shared);
        assert!(!ready(&mut a), "a waits for x");
        drop(x);
        // A request submitted now may start at once, but only after a and b pass their turn.
        let mut c = seq.enter(Kind::Shared);
        assert!(!ready(&mut c) && !ready(&mut b), "c and b are after a");
        assert!(ready(&mut a));
        assert!(!ready(&mut c), "c is after b");
        assert!(ready(&mut b) && ready(&mut c));
        let mut d = seq.enter(Kind::Shared);
        assert!(ready(&mut d), "nothing waits any more");
        drop((a, b, c, d));
        assert_eq!(seq.counts(), (0, 0));
    }

    #[test]
    fn an_abandoned_waiter_does_not_hold_back_the_next_turn() {
        let seq = Arc::new(Sequencer::default());
        let x = seq.enter(Kind::Exclusive);
        let a = seq.enter(Kind::Shared);
        let mut b = seq.enter(Kind::Shared);
        drop(x);
        assert!(!ready(&mut b), "b is after a");
        drop(a);
        assert!(ready(&mut b));
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
