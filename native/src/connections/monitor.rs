//! MONITOR, for a client made for it (`GlideMonitorClient`): its connection sends MONITOR, and
//! every line the server streams from then on goes to the client's isolate as a message record
//! of kind `monitor` (one value: the line); the connection's end comes as one of kind
//! `monitor-ended` (its reason). The lines are parsed in TypeScript (shared/monitor.ts).
//! Any other client refuses MONITOR: it would turn a connection that other requests share into
//! a stream.

use crate::boundary::completions::Queue;
use crate::connections::pipe::Pipe;
use crate::protocol::errors::{Failure, Status};
use redis::{Cmd, PushInfo, PushKind, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;

/// The error a client not made for MONITOR gives it.
pub fn refused() -> Failure {
    Failure::new(
        Status::Request,
        "MONITOR turns its connection into a stream: use GlideMonitorClient",
    )
}

/// Sends MONITOR on `pipe`; resolves with its reply, and streams every later line to the
/// client's isolate (`queue`, the client's `handle`).
pub async fn start(
    pipe: &Pipe,
    cmd: &Cmd,
    (queue, handle): (Arc<Queue>, Arc<AtomicU32>),
) -> Result<Value, Failure> {
    let (first, reply) = oneshot::channel();
    let mut first = Some(first);
    pipe.stream(
        cmd,
        Box::new(move |outcome| {
            if let Some(first) = first.take() {
                let _ = first.send(outcome);
                return;
            }
            let push = match outcome {
                Ok(line) => PushInfo {
                    kind: PushKind::Other("monitor".into()),
                    data: vec![line],
                },
                Err(f) => PushInfo {
                    kind: PushKind::Other("monitor-ended".into()),
                    data: vec![Value::BulkString(f.message.into_bytes())],
                },
            };
            queue.push_message(handle.load(Ordering::Acquire), &push);
        }),
    );
    let outcome = reply.await.map_err(|_| Failure::closing())?;
    outcome.and_then(crate::protocol::errors::top_level)
}
