//! The standalone subscriber's connection: the `redis` crate's multiplexed connection (RESP3,
//! its pushes to the subscriber) over a checked stream (`guarded.rs`), so that a length RESP
//! does not allow ends it, as on every other connection of the client.
//!
//! When it ends, the next use makes a new one (each attempt within the connection timeout),
//! which subscribes again to what the client wants. The end of a connection reaches the
//! subscriber as a `Disconnection` push, only for the connection in use: a late one from a
//! connection already replaced is dropped.

use super::{Sets, EXACT, PATTERN};
use crate::config::Settings;
use redis::aio::{AsyncPushSender, MultiplexedConnection, SendError};
use redis::{PushInfo, PushKind, RedisResult};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::mpsc::UnboundedSender;

/// A standalone client's subscriber connection (cloned handles share it).
#[derive(Clone)]
pub struct StandaloneSubscriber {
    shared: Arc<Shared>,
}

struct Shared {
    settings: Settings,
    pushes: UnboundedSender<PushInfo>,
    /// The client's desired subscriptions, subscribed again on each new connection.
    desired: Arc<Mutex<Sets>>,
    /// The connection in use and its number, if it has not ended.
    current: Mutex<Option<(u64, MultiplexedConnection)>>,
    made: AtomicU64,
    /// Serialises making connections.
    dialing: tokio::sync::Mutex<()>,
}

impl Shared {
    /// Drops connection `number` if it is the one in use; whether it was.
    fn forget(&self, number: u64) -> bool {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let in_use = matches!(current.as_ref(), Some((n, _)) if *n == number);
        if in_use {
            *current = None;
        }
        in_use
    }
}

/// Where one connection's pushes go: the subscriber's channel. Its end also clears the
/// subscriber's connection if it is still the one in use. (Weak: the connection's driver owns
/// this, and must not keep the connection alive.)
struct Pushes {
    number: u64,
    shared: Weak<Shared>,
}

impl AsyncPushSender for Pushes {
    fn send(&self, info: PushInfo) -> Result<(), SendError> {
        let Some(shared) = self.shared.upgrade() else {
            return Err(SendError);
        };
        if info.kind == PushKind::Disconnection && !shared.forget(self.number) {
            return Ok(());
        }
        shared.pushes.send(info).map_err(|_| SendError)
    }
}

impl StandaloneSubscriber {
    /// The subscriber connection of a client with `settings`; pushes go to `pushes`. Nothing
    /// connects until [`StandaloneSubscriber::connection`].
    pub fn new(
        settings: &Settings,
        pushes: UnboundedSender<PushInfo>,
        desired: Arc<Mutex<Sets>>,
    ) -> Self {
        StandaloneSubscriber {
            shared: Arc::new(Shared {
                settings: settings.clone(),
                pushes,
                desired,
                current: Mutex::new(None),
                made: AtomicU64::new(0),
                dialing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// How long to wait between attempts to connect again.
    pub fn backoff(&self) -> crate::config::Backoff {
        self.shared.settings.backoff.clone()
    }

    fn current(&self) -> Option<MultiplexedConnection> {
        let current = self
            .shared
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        current.as_ref().map(|(_, c)| c.clone())
    }

    /// The connection in use, made (and subscribed to what the client wants) if there is none.
    pub async fn connection(&self) -> RedisResult<MultiplexedConnection> {
        if let Some(c) = self.current() {
            return Ok(c);
        }
        let _dialing = self.shared.dialing.lock().await;
        if let Some(c) = self.current() {
            return Ok(c);
        }
        let s = &self.shared;
        let number = s.made.fetch_add(1, Ordering::Relaxed) + 1;
        let pushes = Pushes {
            number,
            shared: Arc::downgrade(s),
        };
        let config = redis::AsyncConnectionConfig::new()
            .set_push_sender(pushes)
            .set_response_timeout(None);
        let (host, port) = s.settings.nodes[0].clone();
        let mut c = crate::connections::guarded::connect(&s.settings, &host, port, config).await?;
        *s.current.lock().unwrap_or_else(|p| p.into_inner()) = Some((number, c.clone()));
        let desired = s.desired.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let again = async {
            if !desired.0[EXACT].is_empty() {
                c.subscribe(desired.0[EXACT].iter().collect::<Vec<_>>())
                    .await?;
            }
            if !desired.0[PATTERN].is_empty() {
                c.psubscribe(desired.0[PATTERN].iter().collect::<Vec<_>>())
                    .await?;
            }
            Ok::<_, redis::RedisError>(())
        };
        // Within the connection timeout too: a server that takes the connection but never
        // confirms must not hold the subscriber (and its next attempts) forever.
        match tokio::time::timeout(s.settings.connection_timeout, again).await {
            Ok(result) => result?,
            Err(_) => {
                s.forget(number);
                return Err(redis::RedisError::from(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "pub/sub: the server did not confirm the subscriptions in time",
                )));
            }
        }
        Ok(c)
    }

    /// Subscribes (or unsubscribes) `channels`, exact or by pattern (`mode`).
    pub async fn apply(
        &self,
        mode: usize,
        subscribe: bool,
        channels: Vec<Vec<u8>>,
    ) -> RedisResult<()> {
        let mut c = self.connection().await?;
        match (mode, subscribe) {
            (EXACT, true) => c.subscribe(channels).await,
            (EXACT, false) => c.unsubscribe(channels).await,
            (_, true) => c.psubscribe(channels).await,
            (_, false) => c.punsubscribe(channels).await,
        }
    }
}
