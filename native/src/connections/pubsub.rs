//! Pub/sub: a client's subscriptions, on a connection of their own (made on the first
//! subscription), for the async and the sync clients alike.
//!
//! The connection is the `redis` crate's multiplexed connection (standalone, `standalone.rs`) or
//! cluster connection, both in RESP3 with a push channel, both over checked streams
//! (`guarded.rs`), both subscribing again after a reconnect (standalone: to what the client
//! wants; cluster: after a topology change too, to what the crate's tracker holds). The
//! client keeps the desired state (what the user asked for) and the actual state (what the
//! server confirmed, from the confirmations in the push stream). Messages go to JS through the
//! completion queue, as records with request id 0 and the client's handle.

use crate::boundary::completions::Queue;
use crate::config::Settings;
use crate::connections::guarded::ClusterConnection;
use crate::protocol::errors::{Failure, Status};
use crate::protocol::reply::Reply;
use redis::{Cmd, PushInfo, PushKind, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

mod standalone;
use standalone::StandaloneSubscriber;

/// Subscription modes, as GLIDE numbers them.
const EXACT: usize = 0;
const PATTERN: usize = 1;
const SHARDED: usize = 2;

/// Channels (or patterns) per mode.
#[derive(Default, Clone)]
struct Sets([BTreeSet<Vec<u8>>; 3]);

impl Sets {
    fn to_value(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|set| Value::Array(set.iter().cloned().map(Value::BulkString).collect()))
                .collect(),
        )
    }
}

/// A subscription command, by what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    mode: usize,
    subscribe: bool,
}

/// The subscription operation a command is, if it is one.
pub fn op(name: &str) -> Option<Op> {
    let (mode, subscribe) = match name {
        "SUBSCRIBE" => (EXACT, true),
        "PSUBSCRIBE" => (PATTERN, true),
        "SSUBSCRIBE" => (SHARDED, true),
        "UNSUBSCRIBE" => (EXACT, false),
        "PUNSUBSCRIBE" => (PATTERN, false),
        "SUNSUBSCRIBE" => (SHARDED, false),
        _ => return None,
    };
    Some(Op { mode, subscribe })
}

#[derive(Clone)]
enum Conn {
    Standalone(StandaloneSubscriber),
    Cluster(ClusterConnection),
}

/// One client's subscriptions.
pub struct Subscriber {
    settings: Settings,
    /// The client's handle, for the message records (set once the handle is known).
    handle: Arc<AtomicU32>,
    /// The completion queue of the client's isolate, where its messages go.
    queue: Arc<Queue>,
    desired: Arc<Mutex<Sets>>,
    actual: Arc<Mutex<Sets>>,
    conn: Mutex<Option<Conn>>,
    /// Serialises making the connection.
    connecting: tokio::sync::Mutex<()>,
    /// Set when the client closes: the delivery task lets go of the connection.
    closed: tokio::sync::watch::Sender<bool>,
}

impl Subscriber {
    pub fn new(settings: &Settings, queue: Arc<Queue>) -> Self {
        Subscriber {
            settings: settings.clone(),
            handle: Arc::new(AtomicU32::new(0)),
            queue,
            desired: Arc::new(Mutex::new(Sets::default())),
            actual: Arc::new(Mutex::new(Sets::default())),
            conn: Mutex::new(None),
            connecting: tokio::sync::Mutex::new(()),
            closed: tokio::sync::watch::channel(false).0,
        }
    }

    pub fn set_handle(&self, handle: u32) {
        self.handle.store(handle, Ordering::Release);
    }

    fn current(&self) -> Option<Conn> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    async fn connection(&self) -> Result<Conn, Failure> {
        if let Some(c) = self.current() {
            return Ok(c);
        }
        let _guard = self.connecting.lock().await;
        if let Some(c) = self.current() {
            return Ok(c);
        }
        if self.settings.redis.protocol() != redis::ProtocolVersion::RESP3 {
            return Err(Failure::config(
                "pub/sub needs RESP3 (protocol: ProtocolVersion.RESP3)",
            ));
        }
        let (tx, rx) = mpsc::unbounded_channel::<PushInfo>();
        let conn = if self.settings.cluster {
            let client = crate::cluster::client::client_with_push(&self.settings, tx)?;
            let attempt = client.connect();
            match tokio::time::timeout(self.settings.connection_timeout, attempt).await {
                Ok(Ok(c)) => Conn::Cluster(c),
                Ok(Err(e)) => return Err(crate::protocol::errors::connect_failure(e)),
                Err(_) => {
                    return Err(Failure::new(
                        Status::Connection,
                        "pub/sub: connect timed out",
                    ))
                }
            }
        } else {
            let sub = StandaloneSubscriber::new(&self.settings, tx, self.desired.clone());
            match tokio::time::timeout(self.settings.connection_timeout, sub.connection()).await {
                Ok(Ok(_)) => Conn::Standalone(sub),
                Ok(Err(e)) => return Err(crate::protocol::errors::connect_failure(e)),
                Err(_) => {
                    return Err(Failure::new(
                        Status::Connection,
                        "pub/sub: connect timed out",
                    ))
                }
            }
        };
        if *self.closed.borrow() {
            return Err(Failure::closing());
        }
        crate::connections::runtime::get().spawn(deliver(
            rx,
            (self.queue.clone(), self.handle.clone()),
            State {
                desired: self.desired.clone(),
                actual: self.actual.clone(),
            },
            conn.clone(),
            self.closed.subscribe(),
        ));
        crate::connections::runtime::get().spawn(reconcile(
            conn.clone(),
            State {
                desired: self.desired.clone(),
                actual: self.actual.clone(),
            },
            self.settings.pubsub_reconciliation,
            self.closed.subscribe(),
        ));
        *self.conn.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn.clone());
        Ok(conn)
    }

    /// Runs a (un)subscribe command: updates the desired state, then sends it and waits for
    /// the server's confirmations.
    pub async fn apply(&self, op: Op, cmd: &Cmd) -> Result<Reply, Failure> {
        let channels: Vec<Vec<u8>> = cmd
            .args_iter()
            .skip(1)
            .filter_map(|a| match a {
                redis::Arg::Simple(b) => Some(b.to_vec()),
                _ => None,
            })
            .collect();
        if op.subscribe && channels.is_empty() {
            return Err(Failure::config("subscribe needs at least one channel"));
        }
        if op.mode == SHARDED && !self.settings.cluster {
            return Err(Failure::config("sharded pub/sub needs the cluster client"));
        }
        let mut channels = channels;
        {
            let mut d = self.desired.lock().unwrap_or_else(|p| p.into_inner());
            let set = &mut d.0[op.mode];
            if op.subscribe {
                set.extend(channels.iter().cloned());
            } else if channels.is_empty() {
                if self.settings.cluster {
                    // Cluster subscriptions are spread over the nodes by channel slot (see
                    // below): name each one, so that each goes where it was made.
                    channels = set.iter().cloned().collect();
                }
                set.clear();
            } else {
                for c in &channels {
                    set.remove(c);
                }
            }
        }
        if self.settings.cluster && channels.is_empty() {
            return Ok(Reply::Value(Value::Okay));
        }
        if !op.subscribe && self.current().is_none() {
            return Ok(Reply::Value(Value::Okay)); // nothing to unsubscribe from
        }
        let conn = self.connection().await?;
        let confirmed = channels.clone();
        send_op(conn, op, channels).await.map_err(Failure::from)?;
        // Confirmed: the actual state says so now, not only once the delivery task has read
        // the confirmations (it applies them too; both are idempotent).
        let mut a = self.actual.lock().unwrap_or_else(|p| p.into_inner());
        let set = &mut a.0[op.mode];
        if op.subscribe {
            set.extend(confirmed);
        } else if confirmed.is_empty() {
            set.clear();
        } else {
            for c in &confirmed {
                set.remove(c);
            }
        }
        Ok(Reply::Value(Value::Okay))
    }

    /// `[desired, actual]`, each `[exact, pattern, sharded]` lists of channels.
    pub fn state(&self) -> Reply {
        let (desired, actual) = (copy(&self.desired), copy(&self.actual));
        Reply::Value(Value::Array(vec![desired.to_value(), actual.to_value()]))
    }

    /// Drops the connection: the server ends the subscriptions, the delivery task ends.
    pub fn close(&self) {
        self.closed.send_replace(true);
        self.conn.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// A copy of a set, taken under its lock.
fn copy(sets: &Mutex<Sets>) -> Sets {
    sets.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Sends one (un)subscription on the subscriber's connection.
async fn send_op(conn: Conn, op: Op, channels: Vec<Vec<u8>>) -> redis::RedisResult<()> {
    match conn {
        Conn::Standalone(c) => c.apply(op.mode, op.subscribe, channels).await,
        Conn::Cluster(c) => cluster_apply(c, op, channels).await,
    }
}

/// GLIDE's reconciliation: every `every`, compares what the client asked for with what the
/// server confirmed, and subscribes to what is missing (or unsubscribes from what is no longer
/// wanted). In sync, it records the time (`subscription_last_sync_timestamp`); out of sync, it
/// counts it (`subscription_out_of_sync_count`). Ends when the client closes.
async fn reconcile(
    conn: Conn,
    state: State,
    every: std::time::Duration,
    mut closed: tokio::sync::watch::Receiver<bool>,
) {
    use crate::boundary::telemetry::{SUBSCRIPTIONS_OUT_OF_SYNC, SUBSCRIPTIONS_SYNCED_AT};
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = closed.wait_for(|c| *c) => return,
        }
        let (desired, actual) = (copy(&state.desired), copy(&state.actual));
        let mut in_sync = true;
        for mode in [EXACT, PATTERN, SHARDED] {
            let (want, have) = (&desired.0[mode], &actual.0[mode]);
            let missing: Vec<Vec<u8>> = want.difference(have).cloned().collect();
            let extra: Vec<Vec<u8>> = have.difference(want).cloned().collect();
            for (channels, subscribe) in [(missing, true), (extra, false)] {
                if channels.is_empty() {
                    continue;
                }
                in_sync = false;
                // A failure is tried again at the next round.
                let _ = send_op(conn.clone(), Op { mode, subscribe }, channels).await;
            }
        }
        if in_sync {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            SUBSCRIPTIONS_SYNCED_AT.store(now, std::sync::atomic::Ordering::Relaxed);
        } else {
            SUBSCRIPTIONS_OUT_OF_SYNC.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Runs a cluster (un)subscription as one command per slot: each goes to its slot's node (the
/// `redis` crate routes by the first channel), so an unsubscription reaches the node its
/// subscription went to, and sharded ones never cross slots.
async fn cluster_apply(
    c: ClusterConnection,
    op: Op,
    channels: Vec<Vec<u8>>,
) -> redis::RedisResult<()> {
    let mut by_slot: std::collections::BTreeMap<u16, Vec<Vec<u8>>> = Default::default();
    for ch in channels {
        by_slot
            .entry(crate::protocol::slots::slot_of(&ch))
            .or_default()
            .push(ch);
    }
    let runs = by_slot.into_values().map(|group| {
        let mut c = c.clone();
        async move {
            match (op.mode, op.subscribe) {
                (EXACT, true) => c.subscribe(group).await,
                (EXACT, false) => c.unsubscribe(group).await,
                (PATTERN, true) => c.psubscribe(group).await,
                (PATTERN, false) => c.punsubscribe(group).await,
                (_, true) => c.ssubscribe(group).await,
                (_, false) => c.sunsubscribe(group).await,
            }
        }
    });
    futures_util::future::join_all(runs)
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()
        .map(|_| ())
}

/// A subscriber's desired and actual sets, shared with its delivery task.
struct State {
    desired: Arc<Mutex<Sets>>,
    actual: Arc<Mutex<Sets>>,
}

/// Subscribes again to `channel` (mode `mode`) while it is desired but not confirmed: the
/// server dropped it (a sharded channel's slot moved in a failover or resharding). The command
/// goes by the channel's slot, so a stale slot map gets MOVED and the crate refreshes it.
fn resubscribe(
    conn: Conn,
    state: Arc<State>,
    mode: usize,
    channel: Vec<u8>,
    closed: tokio::sync::watch::Receiver<bool>,
) {
    crate::connections::runtime::get().spawn(async move {
        for _ in 0..150 {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let lock = |m: &Mutex<Sets>| {
                m.lock().unwrap_or_else(|p| p.into_inner()).0[mode].contains(&channel)
            };
            if *closed.borrow() || !lock(&state.desired) || lock(&state.actual) {
                return;
            }
            let op = Op {
                mode,
                subscribe: true,
            };
            let outcome = match conn.clone() {
                Conn::Cluster(c) => cluster_apply(c, op, vec![channel.clone()]).await,
                Conn::Standalone(c) => c.apply(mode, true, vec![channel.clone()]).await,
            };
            if outcome.is_ok() {
                return;
            }
        }
    });
}

/// Moves pushes from the connection to JS, and keeps the actual state from the confirmations.
/// Ends when the connection (the push channel's sender) is dropped, or the client closes.
async fn deliver(
    mut rx: mpsc::UnboundedReceiver<PushInfo>,
    (queue, handle): (Arc<Queue>, Arc<AtomicU32>),
    state: State,
    conn: Conn,
    mut closed: tokio::sync::watch::Receiver<bool>,
) {
    let state = Arc::new(state);
    let actual = state.actual.clone();
    let standalone = match &conn {
        Conn::Standalone(c) => Some(c.clone()),
        Conn::Cluster(_) => None,
    };
    loop {
        let push = tokio::select! {
            _ = closed.wait_for(|c| *c) => break,
            push = rx.recv() => match push {
                Some(p) => p,
                None => break,
            },
        };
        let change = |mode: usize, add: bool| {
            let mut a = actual.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(Value::BulkString(ch)) = push.data.first() {
                if add {
                    a.0[mode].insert(ch.clone());
                } else {
                    a.0[mode].remove(ch);
                    drop(a);
                    let desired = state.desired.lock().unwrap_or_else(|p| p.into_inner());
                    if desired.0[mode].contains(ch) {
                        drop(desired);
                        resubscribe(
                            conn.clone(),
                            state.clone(),
                            mode,
                            ch.clone(),
                            closed.clone(),
                        );
                    }
                }
            }
        };
        match push.kind {
            PushKind::Message | PushKind::PMessage | PushKind::SMessage => {
                queue.push_message(handle.load(Ordering::Acquire), &push);
            }
            PushKind::Subscribe => change(EXACT, true),
            PushKind::PSubscribe => change(PATTERN, true),
            PushKind::SSubscribe => change(SHARDED, true),
            PushKind::Unsubscribe => change(EXACT, false),
            PushKind::PUnsubscribe => change(PATTERN, false),
            PushKind::SUnsubscribe => change(SHARDED, false),
            PushKind::Disconnection => {
                // The server no longer holds this connection's subscriptions. A standalone
                // subscriber makes a new connection (subscribed again) on its next use: make
                // it now, so that a client that only listens gets its messages back.
                if let Some(c) = standalone.as_ref() {
                    let mut a = actual.lock().unwrap_or_else(|p| p.into_inner());
                    a.0[EXACT].clear();
                    a.0[PATTERN].clear();
                    drop(a);
                    let c = c.clone();
                    let mut closed = closed.clone();
                    let backoff = c.backoff();
                    crate::connections::runtime::get().spawn(async move {
                        for attempt in 0..100 {
                            tokio::select! {
                                _ = closed.wait_for(|c| *c) => return,
                                r = c.connection() => if r.is_ok() { return },
                            }
                            tokio::time::sleep(backoff.delay(attempt)).await;
                        }
                    });
                }
            }
            _ => {}
        }
    }
}
