//! The order of an async cluster client's requests, by construction: what may be handed to a
//! connection now, and what must wait. Pure bookkeeping: no sockets, threads or clocks.
//!
//! A connection answers what it is given in the order it was given, so requests for one slot
//! keep their submit order as long as each is handed, in submit order, to the connection the
//! earlier ones still in flight went to. The one rule kept here says so: a request for a slot
//! goes now if no earlier request for that slot waits, and every earlier request for it still
//! in flight is on the same connection; else it waits (parked, by the caller) until those have
//! left their connection (answered, or the connection ended), not merely until their callers
//! stopped waiting. The slot's primary changing (a new slot table, a MOVED reply), a command
//! redirected and sent again, a connection replaced: each is this one case.
//!
//! The crate's cluster connection (the *link*) may reorder what it is given, so on it a slot
//! holds one request at a time. Reads served by replicas are ordered with nothing (a replica
//! lags its primary anyway). A keyless request (a fan-out, `DBSIZE`) goes after every earlier
//! waiting request and before any later one. A request that must run *alone* (a password
//! change) starts once nothing is in flight, and nothing starts until it ends.

/// The slots of the cluster, and one more: [`LANE`].
const SLOTS: usize = crate::protocol::slots::SLOTS + 1;

/// Not a slot: the lane of keyless requests on the link (one at a time, as for a slot).
pub const LANE: u16 = crate::protocol::slots::SLOTS as u16;

/// The number the link's connection goes by (a node connection's is its pipe's, never 0).
pub const LINK: u64 = 0;

/// Where a request goes, as far as order is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Footprint {
    /// Commands for these slots, each on the connection numbered so, or on no connection that
    /// orders it (`None`: a replica's).
    Slots(Vec<(u16, Option<u64>)>),
    /// Keyless: after every earlier waiting request.
    Keyless,
    /// After everything earlier has finished; nothing later starts before it ends.
    Alone,
}

impl Footprint {
    /// One slot, on one connection.
    pub fn one(slot: u16, conn: Option<u64>) -> Self {
        Footprint::Slots(vec![(slot, conn)])
    }

    #[cfg(test)]
    fn slots(&self) -> &[(u16, Option<u64>)] {
        match self {
            Footprint::Slots(s) => s,
            _ => &[],
        }
    }
}

/// The slots a waiting request will touch, whatever connections it goes to then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touch {
    Slots(Vec<u16>),
    /// Every slot (keyless, alone, or not known yet).
    All,
}

impl Touch {
    pub fn of(footprint: &Footprint) -> Touch {
        match footprint {
            Footprint::Slots(s) => Touch::Slots(s.iter().map(|&(slot, _)| slot).collect()),
            _ => Touch::All,
        }
    }
}

/// What waits ahead of a request deciding whether it may go.
trait Ahead {
    fn blocks_slot(&self, slot: u16) -> bool;
    fn any(&self) -> bool;
}

/// A client's requests in flight and waiting.
pub struct Order {
    /// Per slot: its requests in flight on an ordering connection, and which connection.
    in_flight: Vec<u32>,
    conn: Vec<u64>,
    /// Per slot: waiting requests that touch it (those touching all are in `waiting_all`).
    waiting: Vec<u32>,
    waiting_all: u32,
    waiting_total: u32,
    /// Requests in flight in all (whatever their footprint).
    total: u64,
    /// Requests running alone.
    alone: u32,
    /// Reused by [`Order::pass`]: the slots earlier waiting requests touch.
    blocked: Vec<bool>,
    blocked_all: bool,
    blocked_any: bool,
}

impl Default for Order {
    fn default() -> Self {
        Order {
            in_flight: vec![0; SLOTS],
            conn: vec![LINK; SLOTS],
            waiting: vec![0; SLOTS],
            waiting_all: 0,
            waiting_total: 0,
            total: 0,
            alone: 0,
            blocked: vec![false; SLOTS],
            blocked_all: false,
            blocked_any: false,
        }
    }
}

/// Everything waiting now (for a request just submitted: all of it is earlier).
struct AllWaiting<'a>(&'a Order);

impl Ahead for AllWaiting<'_> {
    fn blocks_slot(&self, slot: u16) -> bool {
        self.0.waiting_all > 0 || self.0.waiting[slot as usize] > 0
    }
    fn any(&self) -> bool {
        self.0.waiting_total > 0
    }
}

/// The waiting requests before the one [`Order::pass`] considers.
struct Earlier<'a>(&'a Order);

impl Ahead for Earlier<'_> {
    fn blocks_slot(&self, slot: u16) -> bool {
        self.0.blocked_all || self.0.blocked[slot as usize]
    }
    fn any(&self) -> bool {
        self.0.blocked_any
    }
}

impl Order {
    fn may_go(&self, footprint: &Footprint, ahead: &dyn Ahead) -> bool {
        if self.alone > 0 {
            return false;
        }
        match footprint {
            Footprint::Alone => self.total == 0 && !ahead.any(),
            Footprint::Keyless => !ahead.any(),
            Footprint::Slots(slots) => slots.iter().all(|&(slot, conn)| {
                let s = slot as usize;
                if ahead.blocks_slot(slot) {
                    return false;
                }
                match conn {
                    None => true,
                    Some(LINK) => self.in_flight[s] == 0,
                    Some(c) => self.in_flight[s] == 0 || self.conn[s] == c,
                }
            }),
        }
    }

    /// Whether a request just submitted may go now (then [`Order::start`] it), or must wait
    /// (then [`Order::wait`] it).
    pub fn may_go_now(&self, footprint: &Footprint) -> bool {
        self.may_go(footprint, &AllWaiting(self))
    }

    /// A request goes: it is in flight until [`Order::end`].
    pub fn start(&mut self, footprint: &Footprint) {
        self.total += 1;
        match footprint {
            Footprint::Alone => self.alone += 1,
            Footprint::Keyless => {}
            Footprint::Slots(slots) => {
                for &(slot, conn) in slots {
                    let Some(c) = conn else { continue };
                    let s = slot as usize;
                    self.in_flight[s] += 1;
                    self.conn[s] = c;
                }
            }
        }
    }

    /// A request in flight has left its connections (answered, or the connection ended).
    pub fn end(&mut self, footprint: &Footprint) {
        self.total = self.total.saturating_sub(1);
        match footprint {
            Footprint::Alone => self.alone = self.alone.saturating_sub(1),
            Footprint::Keyless => {}
            Footprint::Slots(slots) => {
                for &(slot, conn) in slots {
                    if conn.is_some() {
                        let s = slot as usize;
                        self.in_flight[s] = self.in_flight[s].saturating_sub(1);
                    }
                }
            }
        }
    }

    /// A request waits: later ones touching its slots wait behind it.
    pub fn wait(&mut self, touch: &Touch) {
        self.waiting_total += 1;
        match touch {
            Touch::All => self.waiting_all += 1,
            Touch::Slots(slots) => {
                for &s in slots {
                    self.waiting[s as usize] += 1;
                }
            }
        }
    }

    /// A waiting request stops waiting (it goes, or it is given up).
    pub fn unwait(&mut self, touch: &Touch) {
        self.waiting_total = self.waiting_total.saturating_sub(1);
        match touch {
            Touch::All => self.waiting_all = self.waiting_all.saturating_sub(1),
            Touch::Slots(slots) => {
                for &s in slots {
                    let w = &mut self.waiting[s as usize];
                    *w = w.saturating_sub(1);
                }
            }
        }
    }

    /// Whether any request waits.
    pub fn any_waiting(&self) -> bool {
        self.waiting_total > 0
    }

    /// Whether nothing runs alone (when something does, nothing else can go).
    pub fn open(&self) -> bool {
        self.alone == 0
    }

    /// Starts a pass over the waiting requests, in submit order: see [`Order::pass`].
    pub fn begin_pass(&mut self) {
        self.blocked.iter_mut().for_each(|b| *b = false);
        self.blocked_all = false;
        self.blocked_any = false;
    }

    /// During a pass, whether an earlier waiting request that stays touches what `touch` does
    /// (then the request stays too: see [`Order::pass`]).
    pub fn held_back(&self, touch: &Touch) -> bool {
        match touch {
            Touch::All => self.blocked_any,
            Touch::Slots(slots) => {
                self.blocked_all || slots.iter().any(|&s| self.blocked[s as usize])
            }
        }
    }

    /// During a pass, whether the next waiting request (`touch`, going as `footprint`) may go
    /// now. If it may not, the requests after it that touch its slots wait behind it.
    pub fn pass(&mut self, touch: &Touch, footprint: Option<&Footprint>) -> bool {
        if let Some(f) = footprint {
            if self.may_go(f, &Earlier(self)) {
                return true;
            }
        }
        self.blocked_any = true;
        match touch {
            Touch::All => self.blocked_all = true,
            Touch::Slots(slots) => {
                for &s in slots {
                    self.blocked[s as usize] = true;
                }
            }
        }
        false
    }

    /// Requests in flight on ordering connections for `slot` (for tests).
    #[cfg(test)]
    fn in_flight(&self, slot: u16) -> u32 {
        self.in_flight[slot as usize]
    }

    /// Whether the slots of `footprint` are all free of requests in flight (for tests).
    #[cfg(test)]
    fn idle(&self, footprint: &Footprint) -> bool {
        footprint
            .slots()
            .iter()
            .all(|&(s, _)| self.in_flight(s) == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_a_slot_go_together_on_one_connection_only() {
        let mut o = Order::default();
        let on_a = Footprint::one(7, Some(1));
        let on_b = Footprint::one(7, Some(2));
        assert!(o.may_go_now(&on_a));
        o.start(&on_a);
        assert!(o.may_go_now(&on_a), "behind it on its connection");
        assert!(
            !o.may_go_now(&on_b),
            "another connection could answer first"
        );
        assert!(o.may_go_now(&Footprint::one(8, Some(2))), "another slot");
        assert!(o.may_go_now(&Footprint::one(7, None)), "a replica's read");
        o.end(&on_a);
        assert!(o.may_go_now(&on_b) && o.idle(&on_b));
    }

    #[test]
    fn the_link_takes_one_request_per_slot() {
        let mut o = Order::default();
        let link = Footprint::one(7, Some(LINK));
        assert!(o.may_go_now(&link));
        o.start(&link);
        assert!(!o.may_go_now(&link));
        assert!(!o.may_go_now(&Footprint::one(7, Some(1))));
        o.end(&link);
        assert!(o.may_go_now(&link));
    }

    #[test]
    fn a_waiting_request_holds_back_later_ones_of_its_slots_only() {
        let mut o = Order::default();
        let waiting = Touch::Slots(vec![7]);
        o.wait(&waiting);
        assert!(!o.may_go_now(&Footprint::one(7, Some(1))));
        assert!(o.may_go_now(&Footprint::one(8, Some(1))));
        assert!(!o.may_go_now(&Footprint::Keyless), "keyless waits for all");
        o.unwait(&waiting);
        assert!(o.may_go_now(&Footprint::one(7, Some(1))) && !o.any_waiting());
    }

    #[test]
    fn a_pass_lets_go_in_order_what_nothing_earlier_holds_back() {
        let mut o = Order::default();
        o.start(&Footprint::one(7, Some(1)));
        o.begin_pass();
        let first = Footprint::one(7, Some(2));
        assert!(
            !o.pass(&Touch::of(&first), Some(&first)),
            "slot 7 is in flight on 1"
        );
        let second = Footprint::one(7, Some(1));
        assert!(
            !o.pass(&Touch::of(&second), Some(&second)),
            "behind the first"
        );
        let other = Footprint::one(9, Some(2));
        assert!(o.pass(&Touch::of(&other), Some(&other)));
        assert!(!o.pass(&Touch::All, None), "cannot go yet (no slot table)");
        assert!(
            !o.pass(&Touch::of(&other), Some(&other)),
            "behind one touching all"
        );
    }

    #[test]
    fn alone_waits_for_everything_and_holds_everything() {
        let mut o = Order::default();
        let read = Footprint::one(3, None);
        o.start(&read);
        assert!(!o.may_go_now(&Footprint::Alone));
        o.end(&read);
        assert!(o.may_go_now(&Footprint::Alone));
        o.start(&Footprint::Alone);
        assert!(!o.open() && !o.may_go_now(&read) && !o.may_go_now(&Footprint::Keyless));
        o.end(&Footprint::Alone);
        assert!(o.open() && o.may_go_now(&read));
    }
}
