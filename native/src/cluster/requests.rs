//! The async cluster client's requests, in submit order by construction.
//!
//! A request is handed, on the submitting thread and in submit order, to the connection (or
//! connections) of the node its slot table names: one per node, answering in the order it is
//! given ([`crate::connections::pipe`]). What keeps a slot's requests in order when they cannot all go to one
//! connection (the slot moved, a command was redirected, a connection was replaced, no slot table
//! is known yet, the node's connection is still being made) is one rule ([`Order`]): a request
//! that may not go now *waits*, in submit order, and goes once every earlier request for its
//! slots has left its connection. A request leaves its connection when its reply is read or the
//! connection ends, not when its caller stops waiting: a request that timed out still holds its
//! place ([`Hold`], kept in the connection's queue).
//!
//! A command a node did not run (MOVED, ASK, TRYAGAIN, CLUSTERDOWN) waits again in its place:
//! after a first MOVED it goes to the slot's new primary, else through the crate's cluster
//! connection (the *link*: it follows ASK and waits out failovers), one request per slot at a
//! time. Requests the node connections cannot take (commands about the connection, pipelines
//! holding fan-outs, a password change) go through the link as well.
//!
//! Every decision is made under one lock (the gate), hand-overs included, so nothing submitted
//! later can be handed to a connection first. What a connection's callback or a dropped
//! [`Hold`] asks of the gate while the gate is held on that thread is done once it is left.

use crate::boundary::completions::Queue;
use crate::cluster::link::ClusterLink;
use crate::cluster::targets::{judge, Miss, OrderedCluster, Sent, To};
use crate::config::Settings;
use crate::connections::pipe::{Keep, Pipe};
use crate::connections::runtime::InFlight;
use crate::connections::standalone::Standalone;
use crate::protocol::errors::{Failure, Status};
use crate::protocol::multi_slot::Split;
use crate::protocol::node_batch::{Group, Judged};
use crate::protocol::order::{Footprint, Order, Touch, LANE, LINK};
use crate::protocol::reply::Reply;
use crate::protocol::request::{Request, Route};
use crate::protocol::slots::{args, command_slot, is_multi_slot, multi_slot_keys, slot_of};
use redis::{Cmd, RedisResult, Value};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use tokio::sync::watch;
use tokio::time::{timeout_at, Instant};

/// Why a request waits or goes (again).
enum Again {
    /// Its first time.
    No,
    /// A node answered MOVED: once more on the node connections, as the table says now.
    Moved,
    /// Through the link.
    Link,
    /// A pipeline's (or a split command's) parts a redirect hit, through the link; the others'
    /// results are these.
    Rerun(Vec<Option<Result<Reply, Failure>>>),
}

/// Who is told a request's outcome.
pub enum Done {
    /// The async client's completion queue, as request `id`.
    Queue(Arc<Queue>, u32),
    /// The sync client's caller, blocked until it comes.
    Caller(tokio::sync::oneshot::Sender<Result<Reply, Failure>>),
}

impl Done {
    fn tell(self, outcome: Result<Reply, Failure>) {
        match self {
            Done::Queue(queue, id) => queue.push(id, outcome),
            Done::Caller(tx) => {
                let _ = tx.send(outcome);
            }
        }
    }
}

/// A request not handed to a connection yet.
struct Waiting {
    seq: u64,
    req: Request,
    done: Done,
    touch: Touch,
    deadline: Option<Instant>,
    again: Again,
    /// A split command's parts (to merge what a rerun gives).
    split: Option<Box<Split>>,
    /// Counts an async client's request as in flight (runtime.rs).
    _in_flight: Option<InFlight>,
}

/// Where a request goes now.
enum Placement {
    /// To these nodes' connections (one per node of `To`).
    Nodes(To, Vec<Pipe>, Footprint),
    /// Through the link.
    Link(Footprint),
    /// Nowhere yet: this must happen first.
    Wait(Kick),
}

impl Placement {
    fn footprint(&self) -> Option<&Footprint> {
        match self {
            Placement::Nodes(_, _, f) | Placement::Link(f) => Some(f),
            Placement::Wait(_) => None,
        }
    }
}

/// What a waiting request needs before it can go.
enum Kick {
    /// A slot table.
    Table,
    /// These nodes' connections.
    Connect(Vec<Arc<Standalone>>),
}

#[derive(Default)]
struct Gate {
    order: Order,
    /// In submit order.
    waiting: VecDeque<Waiting>,
    next: u64,
    refreshing: bool,
    /// Nodes whose connection is being made for waiting requests.
    connecting: Vec<usize>,
    closed: bool,
}

/// A request's place among those in flight: it leaves when this is dropped (kept in the slots
/// of the connections its commands went to, or by its task on the link).
struct Hold {
    owner: Weak<ClusterRequests>,
    footprint: Option<Footprint>,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let (owner, footprint) = (self.owner.clone(), self.footprint.take());
        soon(move || {
            if let (Some(owner), Some(f)) = (owner.upgrade(), footprint) {
                owner.with_gate(|g| {
                    g.order.end(&f);
                    owner.pump(g);
                });
            }
        });
    }
}

thread_local! {
    /// Whether this thread holds a gate.
    static IN_GATE: Cell<bool> = const { Cell::new(false) };
    /// What this thread must do once it leaves the gate, in order.
    static LATER: RefCell<VecDeque<Box<dyn FnOnce()>>> = const { RefCell::new(VecDeque::new()) };
}

/// Runs `op` now, or once this thread has left the gate it holds.
fn soon(op: impl FnOnce() + 'static) {
    if IN_GATE.with(Cell::get) {
        LATER.with(|l| l.borrow_mut().push_back(Box::new(op)));
    } else {
        op();
    }
}

/// Marks the thread as holding a gate until dropped.
struct Inside;

impl Inside {
    fn enter() -> Self {
        IN_GATE.with(|g| g.set(true));
        Inside
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        IN_GATE.with(|g| g.set(false));
    }
}

/// The requests of one async cluster client.
pub struct ClusterRequests {
    pub link: Arc<ClusterLink>,
    pub nodes: OrderedCluster,
    gate: Mutex<Gate>,
    /// Where the tasks that make node connections (and time waiting requests out) run: the
    /// shared I/O runtime (async), or the caller's (sync: its connections live there). What
    /// uses the link runs on the shared runtime, where the link lives.
    tasks: tokio::runtime::Handle,
    settings: Settings,
    closed: watch::Receiver<bool>,
    me: Weak<ClusterRequests>,
}

impl ClusterRequests {
    /// The requests of a client whose tasks run on `tasks`, until `closed`.
    pub fn new(
        settings: &Settings,
        tasks: tokio::runtime::Handle,
        closed: watch::Receiver<bool>,
    ) -> Result<Arc<Self>, Failure> {
        let link = ClusterLink::start(settings)?;
        Ok(Arc::new_cyclic(|me| ClusterRequests {
            link,
            nodes: OrderedCluster::new(settings),
            gate: Mutex::default(),
            tasks,
            settings: settings.clone(),
            closed,
            me: me.clone(),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Gate> {
        self.gate.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` holding the gate, then what was asked of the gate meanwhile.
    fn with_gate<R>(&self, f: impl FnOnce(&mut Gate) -> R) -> R {
        let r = {
            let mut g = self.lock();
            let _inside = Inside::enter();
            f(&mut g)
        };
        while let Some(op) = LATER.with(|l| l.borrow_mut().pop_front()) {
            op();
        }
        r
    }

    /// Takes a request (not pub/sub), in submit order: it goes now, or waits its turn; `done`
    /// is told its outcome.
    pub fn submit(&self, req: Request, deadline: Option<Instant>, done: Done) {
        let w = Waiting {
            seq: 0,
            touch: touch_of(&req),
            req,
            _in_flight: matches!(done, Done::Queue(..)).then(InFlight::start),
            done,
            deadline,
            again: Again::No,
            split: None,
        };
        self.with_gate(|g| {
            if g.closed {
                return w.done.tell(Err(Failure::closing()));
            }
            let mut w = w;
            w.seq = g.next;
            g.next += 1;
            let placement = self.placement(&w);
            match placement.footprint() {
                Some(f) if g.order.may_go_now(f) => {
                    g.order.start(f);
                    self.go(placement, w);
                }
                _ => {
                    if let Placement::Wait(kick) = placement {
                        self.kick(g, kick);
                    }
                    self.wait(g, w);
                }
            }
        });
    }

    /// Puts `w` among the waiting requests, in its place, until its turn or its deadline.
    fn wait(&self, g: &mut Gate, w: Waiting) {
        g.order.wait(&w.touch);
        if let Some(at) = w.deadline {
            let (me, seq) = (self.me.clone(), w.seq);
            self.tasks.spawn(async move {
                tokio::time::sleep_until(at).await;
                if let Some(me) = me.upgrade() {
                    me.expire(seq);
                }
            });
        }
        let at = g.waiting.partition_point(|o| o.seq < w.seq);
        g.waiting.insert(at, w);
    }

    /// Fails request `seq` with `TimeoutError` if it still waits.
    fn expire(&self, seq: u64) {
        let expired = self.with_gate(|g| {
            let at = g.waiting.iter().position(|w| w.seq == seq)?;
            let w = g.waiting.remove(at)?;
            g.order.unwait(&w.touch);
            self.pump(g);
            Some(w)
        });
        if let Some(w) = expired {
            w.done.tell(Err(Failure::timeout()));
        }
    }

    /// Lets go, in order, every waiting request that may go now.
    fn pump(&self, g: &mut Gate) {
        if g.waiting.is_empty() {
            return;
        }
        g.order.begin_pass();
        let mut i = 0;
        while i < g.waiting.len() && g.order.open() {
            if g.order.held_back(&g.waiting[i].touch) {
                g.order.pass(&g.waiting[i].touch, None);
                i += 1;
                continue;
            }
            let placement = self.placement(&g.waiting[i]);
            if !g.order.pass(&g.waiting[i].touch, placement.footprint()) {
                if let Placement::Wait(kick) = placement {
                    self.kick(g, kick);
                }
                i += 1;
                continue;
            }
            let Some(w) = g.waiting.remove(i) else { break };
            g.order.unwait(&w.touch);
            if let Some(f) = placement.footprint() {
                g.order.start(f);
            }
            self.go(placement, w);
        }
    }

    /// Where `w` goes now.
    fn placement(&self, w: &Waiting) -> Placement {
        if matches!(w.again, Again::Link | Again::Rerun(_)) || w.req.password.is_some() {
            return Placement::Link(link_footprint(w));
        }
        let target = match &w.req.batch {
            Some(batch) => self.nodes.batch_target(&self.link, &w.req.route, batch),
            None => self.nodes.target(&self.link, &w.req),
        };
        let to = match target {
            Ok(to) => to,
            Err(Miss::NoTable) => return Placement::Wait(Kick::Table),
            Err(Miss::Link) => return Placement::Link(link_footprint(w)),
        };
        let mut pipes = Vec::with_capacity(1);
        let mut connect = Vec::new();
        for node in nodes_of(&to) {
            match node.live() {
                Some(pipe) => pipes.push(pipe),
                None if node.failing() => {
                    // It may have failed over: the link knows where the slot went.
                    self.link.refresh_slot_table();
                    return Placement::Link(link_footprint(w));
                }
                None => connect.push(node.clone()),
            }
        }
        if !connect.is_empty() {
            return Placement::Wait(Kick::Connect(connect));
        }
        let footprint = footprint_on(w, &to, &pipes);
        Placement::Nodes(to, pipes, footprint)
    }

    /// Starts what a waiting request needs (once at a time); the gate is pumped when it is done.
    fn kick(&self, g: &mut Gate, kick: Kick) {
        match kick {
            Kick::Table if !g.refreshing => {
                g.refreshing = true;
                let me = self.me.clone();
                let link = self.link.clone();
                crate::connections::runtime::get().spawn(async move {
                    let read = match link.connection().await {
                        Ok(mut c) => link.slot_table(&mut c).await.is_some(),
                        Err(_) => false,
                    };
                    if !read {
                        // Not too often while the cluster cannot say.
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    if let Some(me) = me.upgrade() {
                        me.with_gate(|g| {
                            g.refreshing = false;
                            me.pump(g);
                        });
                    }
                });
            }
            Kick::Table => {}
            Kick::Connect(nodes) => {
                for node in nodes {
                    let key = Arc::as_ptr(&node) as usize;
                    if g.connecting.contains(&key) {
                        continue;
                    }
                    g.connecting.push(key);
                    let me = self.me.clone();
                    self.tasks.spawn(async move {
                        let _ = node.ready().await;
                        if let Some(me) = me.upgrade() {
                            me.with_gate(|g| {
                                g.connecting.retain(|&k| k != key);
                                me.pump(g);
                            });
                        }
                    });
                }
            }
        }
    }

    /// Hands `w` over as `placement` says (its footprint already counted in flight).
    fn go(&self, placement: Placement, w: Waiting) {
        let hold = |footprint| Hold {
            owner: self.me.clone(),
            footprint: Some(footprint),
        };
        let (to, pipes, footprint) = match placement {
            Placement::Nodes(to, pipes, footprint) => (to, pipes, footprint),
            Placement::Link(footprint) => return self.on_link(w, hold(footprint)),
            Placement::Wait(_) => return w.done.tell(Err(internal("a waiting request sent"))),
        };
        let keep: Keep = Arc::new(hold(footprint));
        let me = self.me.clone();
        let deadline = w.deadline;
        match to {
            To::One(..) => pipes[0].submit_request(
                w,
                |w| &w.req.cmd,
                deadline,
                Some(keep),
                move |w, outcome| {
                    if let Some(me) = me.upgrade() {
                        me.on_reply(w, outcome);
                    }
                },
            ),
            To::All(all, gather) => {
                let joined = Joined::new(pipes.len());
                for (i, pipe) in pipes.iter().enumerate() {
                    let part = joined.clone();
                    let cmds = std::iter::once(&w.req.cmd);
                    let done = Box::new(move |r| part.part(i, r));
                    pipe.submit_raw(cmds, None, deadline, Some(keep.clone()), done);
                }
                let addresses: Vec<String> = all.into_iter().map(|(a, _)| a).collect();
                joined.then(Box::new(move |replies| {
                    if let Some(me) = me.upgrade() {
                        if timed_out(&replies) {
                            return me.finish(w, Err(Failure::timeout()));
                        }
                        let outcome = per_node(addresses, replies)
                            .and_then(|p| crate::protocol::fan_out::gathered(p, gather));
                        me.finish(w, outcome);
                    }
                }));
            }
            To::Batch(groups, _) => {
                let Some(batch) = &w.req.batch else {
                    return w.done.tell(Err(internal("not a batch")));
                };
                let joined = Joined::new(groups.len());
                hand_groups(&joined, &groups, &pipes, batch, deadline, &keep);
                joined.then(Box::new(move |replies| {
                    if let Some(me) = me.upgrade() {
                        me.on_batch(w, groups, replies);
                    }
                }));
            }
            To::Split(split) => {
                let (split, groups, _) = *split;
                let joined = Joined::new(groups.len());
                hand_groups(&joined, &groups, &pipes, &split.batch, deadline, &keep);
                joined.then(Box::new(move |replies| {
                    if let Some(me) = me.upgrade() {
                        me.on_split(w, Box::new(split), groups, replies);
                    }
                }));
            }
        }
    }

    /// A node's reply to a command: its caller's outcome, or the command waits to go again.
    fn on_reply(&self, w: Waiting, outcome: Result<Value, Failure>) {
        match judge(&self.link, outcome) {
            Sent::Done(result) => self.finish(w, result.map(Reply::Value)),
            Sent::Moved(_) if matches!(w.again, Again::No) => self.again(w, Again::Moved),
            _ => self.again(w, Again::Link),
        }
    }

    /// The nodes' replies to a batch's groups.
    fn on_batch(&self, w: Waiting, groups: Vec<Group>, replies: Vec<RedisResult<Value>>) {
        let Some(batch) = &w.req.batch else {
            return self.finish(w, Err(internal("not a batch")));
        };
        if timed_out(&replies) {
            return self.finish(w, Err(Failure::timeout()));
        }
        match crate::protocol::node_batch::judge(batch, &groups, replies) {
            Judged::Done(outcome) => self.finish(w, outcome),
            Judged::Moved(to) => {
                // A transaction whose slot moved: placed again whole on the new primary, once,
                // then through the link.
                self.link.moved(Some(&to));
                self.again_whole(w);
            }
            Judged::Again(None) => {
                self.link.refresh_slot_table();
                self.again_whole(w);
            }
            Judged::Again(Some(results)) => {
                self.learn_moves(&results);
                self.again(w, Again::Rerun(results));
            }
        }
    }

    /// The nodes' replies to a split command's parts.
    fn on_split(
        &self,
        mut w: Waiting,
        split: Box<Split>,
        groups: Vec<Group>,
        replies: Vec<RedisResult<Value>>,
    ) {
        if timed_out(&replies) {
            return self.finish(w, Err(Failure::timeout()));
        }
        match crate::protocol::node_batch::judge(&split.batch, &groups, replies) {
            Judged::Done(Ok(Reply::Batch(results))) => {
                let merged = split.merge(results);
                self.finish(w, merged)
            }
            Judged::Done(Ok(_)) => self.finish(w, Err(internal("a split command's parts"))),
            Judged::Done(Err(f)) => self.finish(w, Err(f)),
            Judged::Again(Some(results)) => {
                self.learn_moves(&results);
                w.split = Some(split);
                self.again(w, Again::Rerun(results));
            }
            Judged::Again(None) | Judged::Moved(_) => {
                self.link.refresh_slot_table();
                self.again(w, Again::Link);
            }
        }
    }

    /// A transaction that did not run: placed again whole, once, then through the link.
    fn again_whole(&self, w: Waiting) {
        let how = match w.again {
            Again::No => Again::Moved,
            _ => Again::Link,
        };
        self.again(w, how);
    }

    /// Moves in the slot table the slots that MOVED replies among `results` name, and reads
    /// the table again in the background (ASK, TRYAGAIN and CLUSTERDOWN name no new owner).
    fn learn_moves(&self, results: &[Option<Result<Reply, Failure>>]) {
        for to in crate::protocol::node_batch::moves(results) {
            self.link.moved(Some(&to));
        }
        self.link.refresh_slot_table();
    }

    /// Completes `w` with `outcome`.
    fn finish(&self, w: Waiting, outcome: Result<Reply, Failure>) {
        if let Err(f) = &outcome {
            self.link.saw_failure(f);
        }
        // No longer in flight when its outcome is queued (see `Queue::push`).
        let Waiting {
            done, _in_flight, ..
        } = w;
        drop(_in_flight);
        done.tell(outcome);
    }

    /// `w` did not run where it went: it waits, in its place, to go again as `how` says.
    fn again(&self, mut w: Waiting, how: Again) {
        crate::boundary::telemetry::count(&crate::boundary::telemetry::RETRIES);
        w.again = how;
        let me = self.me.clone();
        soon(move || {
            let Some(me) = me.upgrade() else { return };
            me.with_gate(|g| {
                if g.closed {
                    return w.done.tell(Err(Failure::closing()));
                }
                me.wait(g, w);
                me.pump(g);
            });
        });
    }

    /// Runs `w` through the link, holding its place until it ends.
    fn on_link(&self, w: Waiting, hold: Hold) {
        let Some(me) = self.me.upgrade() else { return };
        crate::connections::runtime::get().spawn(async move {
            let Waiting {
                req,
                again,
                split,
                done,
                deadline,
                _in_flight,
                ..
            } = w;
            let mut closed = me.closed.clone();
            let work = me.through_link(req, again, split);
            let timed = async {
                match deadline {
                    Some(d) => timeout_at(d, work)
                        .await
                        .unwrap_or_else(|_| Err(Failure::timeout())),
                    None => work.await,
                }
            };
            let outcome = tokio::select! {
                biased;
                _ = closed.wait_for(|c| *c) => Err(Failure::closing()),
                r = timed => r,
            };
            if let Err(f) = &outcome {
                me.link.saw_failure(f);
            }
            done.tell(outcome);
            drop(hold);
        });
    }

    async fn through_link(
        &self,
        mut req: Request,
        again: Again,
        split: Option<Box<Split>>,
    ) -> Result<Reply, Failure> {
        if let Again::Rerun(results) = again {
            let batch = match (&split, &req.batch) {
                (Some(s), _) => &s.batch,
                (None, Some(b)) => &**b,
                (None, None) => return Err(internal("nothing to run again")),
            };
            let results = crate::cluster::batch::rerun_by_key(&self.link, batch, results).await?;
            return match split {
                Some(s) => s.merge(results),
                None => Ok(Reply::Batch(results)),
            };
        }
        if let Some(update) = req.password.take() {
            let password = update.password.as_deref();
            self.link
                .update_password(password, update.immediate)
                .await?;
            self.nodes.update(&self.link.current_settings());
            return Ok(Reply::Value(Value::Okay));
        }
        if let Some(batch) = req.batch.take() {
            let mut c = self.link.connection().await?;
            return if batch.atomic {
                crate::cluster::batch::cluster_transaction(&mut c, &req.route, *batch)
                    .await
                    .map(Reply::Value)
            } else {
                crate::cluster::batch::cluster_pipeline(&self.link, &mut c, &req.route, *batch)
                    .await
            };
        }
        let c = self.link.connection().await?;
        let route = self.pinned(&req).unwrap_or(req.route);
        let reply = crate::cluster::client::run(c, req.cmd, &req.name, &route).await;
        // The link's connections do not track keys: a server-assisted cache must not keep
        // what they read.
        match self.settings.tracking {
            Some(_) => reply.map(Reply::untracked),
            None => reply,
        }
    }

    /// The node a command with no key that is routed by slot (WAIT, INFO, CONFIG GET... with a
    /// `primarySlotKey` route, say) runs on, by address, from the known slot table. The link's
    /// connection would send it to another node while the slot's own is down (the crate falls
    /// back to any connection, counting on a key's MOVED to bring it back): WAIT would then count
    /// another shard's replicas, and acknowledge a write the slot's primary never replicated.
    /// By address it fails with a `ConnectionError` instead, until the table names the new node.
    fn pinned(&self, req: &Request) -> Option<Route> {
        let (slot, replica) = match &req.route {
            Route::SlotKey { key, replica } => (slot_of(key), *replica),
            Route::SlotId { slot, replica } => (*slot, *replica),
            _ => return None,
        };
        if command_slot(&req.cmd, &req.name).is_some() || is_multi_slot(&req.name) {
            return None; // a key's slot: a wrong node answers MOVED
        }
        let table = self.link.known_slot_table()?;
        let address = match replica {
            true => table.replicas(slot).first()?.as_str(),
            false => table.primary(slot)?,
        };
        let (host, port) = crate::protocol::slots::host_port(address)?;
        Some(Route::Address {
            host: host.to_owned(),
            port,
        })
    }

    /// Fails every waiting request with `ClosingError`, and every request in flight (ABI.md).
    pub fn close(&self) {
        let waiting = self.with_gate(|g| {
            g.closed = true;
            std::mem::take(&mut g.waiting)
        });
        for w in waiting {
            w.done.tell(Err(Failure::closing()));
        }
        self.link.close();
        self.nodes.close_requests();
    }
}

fn internal(what: &str) -> Failure {
    Failure::new(Status::Request, format!("internal error: {what}"))
}

/// Hands each group of `batch` to its node's connection.
fn hand_groups(
    joined: &Arc<Joined>,
    groups: &[Group],
    pipes: &[Pipe],
    batch: &crate::protocol::request::Batch,
    deadline: Option<Instant>,
    keep: &Keep,
) {
    for (i, (group, pipe)) in groups.iter().zip(pipes).enumerate() {
        let part = joined.clone();
        let cmds = group.indices.iter().map(|&c| &batch.cmds[c]);
        let done = Box::new(move |r| part.part(i, r));
        pipe.submit_raw(cmds, Some(batch.atomic), deadline, Some(keep.clone()), done);
    }
}

/// The nodes `to` goes to, in its order (without collecting them: this runs per request).
fn nodes_of(to: &To) -> impl Iterator<Item = &Arc<Standalone>> {
    let none: &[Arc<Standalone>] = &[];
    let (one, all, many) = match to {
        To::One(node, _) => (Some(node), &[][..], none),
        To::All(all, _) => (None, &all[..], none),
        To::Batch(_, nodes) => (None, &[][..], &nodes[..]),
        To::Split(split) => (None, &[][..], &split.2[..]),
    };
    one.into_iter()
        .chain(all.iter().map(|(_, n)| n))
        .chain(many)
}

/// A fan-out's replies by node (`host:port`), as the fan-out policies take them.
fn per_node(
    addresses: Vec<String>,
    replies: Vec<RedisResult<Value>>,
) -> Result<Vec<(Value, Value)>, Failure> {
    let mut per_node = Vec::with_capacity(addresses.len());
    for (address, reply) in addresses.into_iter().zip(replies) {
        let value = match reply {
            Ok(v) => v,
            Err(e) => match redis::ServerError::try_from(e) {
                Ok(server) => Value::ServerError(server),
                Err(e) => return Err(Failure::from(e)),
            },
        };
        per_node.push((Value::BulkString(address.into_bytes()), value));
    }
    Ok(per_node)
}

/// The slots a request touches, known from the request alone: `All` for keyless ones.
fn touch_of(req: &Request) -> Touch {
    let mut slots = Vec::new();
    if req.password.is_none() {
        match (&req.batch, &req.route) {
            (Some(batch), _) => {
                for (cmd, name) in batch.cmds.iter().zip(&batch.names) {
                    slots_of(cmd, name, &mut slots);
                }
            }
            (None, Route::SlotKey { key, .. }) => slots.push(slot_of(key)),
            (None, Route::SlotId { slot, .. }) => slots.push(*slot),
            (None, Route::Default) => slots_of(&req.cmd, &req.name, &mut slots),
            _ => {}
        }
    }
    slots.sort_unstable();
    slots.dedup();
    if slots.is_empty() {
        Touch::All
    } else {
        Touch::Slots(slots)
    }
}

/// The slots of `cmd`'s keys, added to `out`.
fn slots_of(cmd: &Cmd, name: &str, out: &mut Vec<u16>) {
    if is_multi_slot(name) {
        let a = args(cmd);
        out.extend(multi_slot_keys(name, &a).into_iter().map(slot_of));
    } else if let Some(slot) = command_slot(cmd, name) {
        out.push(slot);
    }
}

/// Where a request going through the link stands: one at a time per slot (and keyless ones one
/// at a time); a password change alone.
fn link_footprint(w: &Waiting) -> Footprint {
    if w.req.password.is_some() {
        return Footprint::Alone;
    }
    match &w.touch {
        Touch::Slots(slots) => Footprint::Slots(slots.iter().map(|&s| (s, Some(LINK))).collect()),
        Touch::All => Footprint::one(LANE, Some(LINK)),
    }
}

/// Where a request going to `to` over `pipes` stands.
fn footprint_on(w: &Waiting, to: &To, pipes: &[Pipe]) -> Footprint {
    let Touch::Slots(slots) = &w.touch else {
        return Footprint::Keyless;
    };
    match to {
        To::One(_, replica) => {
            let conn = (!replica).then(|| pipes[0].id());
            Footprint::Slots(slots.iter().map(|&s| (s, conn)).collect())
        }
        To::All(..) => Footprint::Keyless,
        To::Batch(groups, _) => match &w.req.batch {
            Some(batch) => grouped(groups, pipes, batch),
            None => Footprint::Keyless,
        },
        To::Split(split) => grouped(&split.1, pipes, &split.0.batch),
    }
}

/// The slots of each group's commands, on its node's connection.
fn grouped(groups: &[Group], pipes: &[Pipe], batch: &crate::protocol::request::Batch) -> Footprint {
    let mut on = Vec::new();
    for (group, pipe) in groups.iter().zip(pipes) {
        let conn = (!group.replica).then(|| pipe.id());
        let mut slots = Vec::new();
        for &i in &group.indices {
            slots_of(&batch.cmds[i], &batch.names[i], &mut slots);
        }
        on.extend(slots.into_iter().map(|s| (s, conn)));
    }
    on.sort_unstable();
    on.dedup();
    if on.is_empty() {
        Footprint::Keyless
    } else {
        Footprint::Slots(on)
    }
}

/// Replies gathered from several connections; `then` gets them once all have come.
struct Joined {
    state: Mutex<JoinState>,
}

type Then = Box<dyn FnOnce(Vec<RedisResult<Value>>) + Send>;

struct JoinState {
    replies: Vec<Option<RedisResult<Value>>>,
    left: usize,
    then: Option<Then>,
}

impl Joined {
    fn new(parts: usize) -> Arc<Self> {
        Arc::new(Joined {
            state: Mutex::new(JoinState {
                replies: (0..parts).map(|_| None).collect(),
                left: parts,
                then: None,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, JoinState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn part(&self, i: usize, reply: RedisResult<Value>) {
        let mut s = self.lock();
        if let Some(r) = s.replies.get_mut(i) {
            *r = Some(reply);
            s.left = s.left.saturating_sub(1);
        }
        self.run_if_done(s);
    }

    /// What to do with the replies (set once every part is handed over: a part may end first).
    fn then(&self, then: Then) {
        let mut s = self.lock();
        s.then = Some(then);
        self.run_if_done(s);
    }

    fn run_if_done(&self, mut s: MutexGuard<'_, JoinState>) {
        if s.left > 0 {
            return;
        }
        let Some(then) = s.then.take() else { return };
        let replies = std::mem::take(&mut s.replies);
        drop(s);
        let missing = || Err(redis::RedisError::from((redis::ErrorKind::Io, "no reply")));
        then(
            replies
                .into_iter()
                .map(|r| r.unwrap_or_else(missing))
                .collect(),
        );
    }
}

/// Whether a part of a request met the request's deadline: the whole request timed out.
fn timed_out(replies: &[RedisResult<Value>]) -> bool {
    replies
        .iter()
        .any(|r| matches!(r, Err(e) if e.is_timeout()))
}
