//! Batches: MULTI/EXEC transactions and plain pipelines, each written to the socket at once.
//!
//! A standalone batch is one pipeline on the client's connection. A cluster transaction goes
//! to one node (its route, or its first key's slot). A cluster pipeline is split: commands are
//! grouped per primary (see `slots`), each group sent as one pipeline, the groups in parallel;
//! commands that span slots or go to several nodes run on their own; replies are put back in
//! the caller's order. Commands that come back with MOVED or ASK (or, when asked, TRYAGAIN or a
//! broken connection) are retried alone, routed by the `redis` crate, which follows the
//! redirect and refreshes its slot map.

use crate::cluster::link::ClusterLink;
use crate::connections::guarded::ClusterConnection;
use crate::protocol::errors::{breaks_connection, Failure, Status};
use crate::protocol::node_batch::{finished, into_reply, to_retry};
use crate::protocol::reply::Reply;
use crate::protocol::request::{Batch, Route};
use crate::protocol::routing as glide_routing;
use crate::protocol::slots;
use futures_util::future::join_all;
use redis::cluster_routing::{Route as SlotRoute, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use redis::{Cmd, Pipeline, Value};
use std::collections::HashMap;

/// The batch's commands as one pipeline (MULTI/EXEC around them when atomic).
fn pipeline(batch: &mut Batch) -> Pipeline {
    let mut p = redis::pipe();
    if batch.atomic {
        p.atomic();
    }
    for cmd in std::mem::take(&mut batch.cmds) {
        p.add_command(cmd);
    }
    p
}

/// Where in the pipeline's replies the caller's results are: a transaction's are in the EXEC
/// reply, after MULTI and one QUEUED per command.
fn reply_window(batch_len: usize, atomic: bool) -> (usize, usize) {
    if atomic {
        (batch_len + 1, 1)
    } else {
        (0, batch_len)
    }
}

/// The result of a batch from the pipeline's replies: the EXEC reply (an array, or nil when a
/// WATCHed key changed) for a transaction, the replies for a pipeline.
fn result(mut values: Vec<Value>, atomic: bool) -> Value {
    if atomic {
        values.pop().unwrap_or(Value::Nil)
    } else {
        Value::Array(values)
    }
}

/// The single node a cluster batch's explicit route names; an error for multi-node routes.
fn single_node(route: &Route) -> Result<Option<SingleNodeRoutingInfo>, Failure> {
    match route {
        Route::Default => Ok(None),
        Route::AllNodes | Route::AllPrimaries => Err(Failure::config(
            "a batch is sent to one node: use a single-node route (or none)",
        )),
        other => match glide_routing::routing("", other) {
            Some((RoutingInfo::SingleNode(r), _)) => Ok(Some(r)),
            _ => Ok(None),
        },
    }
}

use crate::protocol::slots::args;

/// Runs a cluster transaction on one node: the route's, else the first key's slot owner.
pub async fn cluster_transaction(
    conn: &mut ClusterConnection,
    route: &Route,
    mut batch: Batch,
) -> Result<Value, Failure> {
    let mut slot = None;
    for (cmd, name) in batch.cmds.iter().zip(&batch.names) {
        let a = args(cmd);
        let keys = if slots::is_multi_slot(name) {
            slots::multi_slot_keys(name, &a)
        } else {
            slots::first_key(name, &a).into_iter().collect()
        };
        for k in keys {
            let s = slots::slot_of(k);
            if *slot.get_or_insert(s) != s {
                return Err(Failure::new(
                    Status::Request,
                    "CROSSSLOT Keys in request don't hash to the same slot (a transaction runs \
                     on one node: give its keys a common {hash tag})",
                ));
            }
        }
    }
    let target = match single_node(route)? {
        Some(r) => r,
        None => batch
            .cmds
            .iter()
            .zip(&batch.names)
            .find_map(|(cmd, name)| {
                slots::first_key(name, &args(cmd))
                    .map(|key| SlotRoute::new(slots::slot_of(key), SlotAddr::Master))
            })
            .map(SingleNodeRoutingInfo::SpecificNode)
            .unwrap_or(SingleNodeRoutingInfo::Random),
    };
    let n = batch.cmds.len();
    let (offset, count) = reply_window(n, true);
    let p = pipeline(&mut batch);
    let values = conn.route_pipeline(p, offset, count, target).await?;
    Ok(result(values, true))
}

/// How one command of a cluster pipeline is sent.
enum Plan {
    /// In one pipeline with the other commands of `group` (a primary, or a slot when the slot
    /// table is unknown); `slot` is this command's.
    Group { group: u32, slot: u16 },
    /// Alone, with this routing and way of combining its nodes' replies.
    Alone(Option<RoutingInfo>, glide_routing::Combine),
}

/// How to send one command of a cluster pipeline.
fn plan(cmd: &Cmd, name: &str, table: Option<&slots::SlotTable>) -> Plan {
    if let Some((routing, how)) = glide_routing::routing(name, &Route::Default) {
        return Plan::Alone(Some(routing), how);
    }
    match slots::command_slot(cmd, name) {
        Some(slot) => {
            let group = match table.and_then(|t| t.owner(slot)) {
                Some(node) => node as u32,
                None => slots::SLOTS as u32 + slot as u32,
            };
            Plan::Group { group, slot }
        }
        None => Plan::Alone(None, glide_routing::Combine::One),
    }
}

/// Sends the commands `range` (all groupable) as one pipeline per group, groups in parallel.
async fn run_groups(
    conn: &ClusterConnection,
    cmds: &[Cmd],
    plans: &[Plan],
    range: std::ops::Range<usize>,
    results: &mut [Option<Result<Reply, Failure>>],
) {
    let mut groups: HashMap<u32, (u16, Vec<usize>)> = HashMap::new();
    for i in range {
        if let Plan::Group { group, slot } = plans[i] {
            groups.entry(group).or_insert((slot, Vec::new())).1.push(i);
        }
    }
    let runs = groups.into_values().map(|(slot, indices)| {
        let mut p = redis::pipe();
        for &i in &indices {
            p.add_command(cmds[i].clone());
        }
        let mut c = conn.clone();
        let target = SingleNodeRoutingInfo::SpecificNode(SlotRoute::new(slot, SlotAddr::Master));
        async move {
            let outcome = c.route_pipeline(p, 0, indices.len(), target).await;
            (indices, outcome)
        }
    });
    for (indices, outcome) in join_all(runs).await {
        match outcome {
            Ok(values) if values.len() == indices.len() => {
                for (i, v) in indices.into_iter().zip(values) {
                    results[i] = Some(Ok(Reply::Value(v)));
                }
            }
            Ok(_) => {
                for i in indices {
                    results[i] = Some(Err(Failure::new(
                        Status::Request,
                        "the node sent a different number of replies than commands",
                    )));
                }
            }
            Err(e) => {
                let f = Failure::from(e);
                for i in indices {
                    results[i] = Some(Err(f.clone()));
                }
            }
        }
    }
}

/// Runs a cluster pipeline: grouped per primary, groups in parallel, results in order.
pub async fn cluster_pipeline(
    link: &ClusterLink,
    conn: &mut ClusterConnection,
    route: &Route,
    mut batch: Batch,
) -> Result<Reply, Failure> {
    let n = batch.cmds.len();
    if let Some(target) = single_node(route)? {
        let p = pipeline(&mut batch);
        let values = conn.route_pipeline(p, 0, n, target).await?;
        return Ok(Reply::Value(Value::Array(values)));
    }
    let table = link.slot_table(conn).await;
    let plans: Vec<Plan> = batch
        .cmds
        .iter()
        .zip(&batch.names)
        .map(|(cmd, name)| plan(cmd, name, table.as_deref()))
        .collect();
    let cmds = std::mem::take(&mut batch.cmds);
    let mut results: Vec<Option<Result<Reply, Failure>>> = (0..n).map(|_| None).collect();
    // Phases keep the caller's order where it can matter: a run of groupable commands is sent
    // as one pipeline per node (all nodes at once); a command that must run alone (fan-out,
    // multi-slot, keyless) waits for the phase before it, and what follows waits for it.
    let mut start = 0;
    while start < n {
        let alone = matches!(plans[start], Plan::Alone(..));
        let end = (start..n)
            .find(|&i| matches!(plans[i], Plan::Alone(..)) != alone)
            .unwrap_or(n);
        if alone {
            // One after the other: each may go to other nodes than the one before it (CONFIG
            // SET on every node, then CONFIG GET on any), and must see what it did.
            for i in start..end {
                let Plan::Alone(routing, per_node) = &plans[i] else {
                    unreachable!()
                };
                let (cmd, routing, per_node) = (cmds[i].clone(), routing.clone(), *per_node);
                results[i] = Some(run_alone(conn, cmd, routing, per_node).await);
            }
        } else {
            run_groups(conn, &cmds, &plans, start..end, &mut results).await;
        }
        start = end;
    }

    let routing = |i: usize| match &plans[i] {
        Plan::Alone(r, h) => (r.clone(), *h),
        Plan::Group { .. } => (None, glide_routing::Combine::One),
    };
    retry_redirected(link, conn, &cmds, &routing, &mut results, &batch).await;
    Ok(into_reply(results))
}

/// Runs again on the link, routed by their keys, the commands of `batch` that a redirect hit
/// on the client's node connections (`results` holds the others'): each command's result.
pub async fn rerun_by_key(
    link: &ClusterLink,
    batch: &Batch,
    mut results: Vec<Option<Result<Reply, Failure>>>,
) -> Result<Vec<Result<Reply, Failure>>, Failure> {
    let c = link.connection().await?;
    let by_key = |_| (None, glide_routing::Combine::One);
    retry_redirected(link, &c, &batch.cmds, &by_key, &mut results, batch).await;
    Ok(finished(results))
}

/// Runs again, one by one on the link, the commands of a pipeline that a redirect (or, when
/// the batch asked, a retryable failure) hit; a few rounds, as a command run again can meet the
/// next step of a migration (ASK, then MOVED). `routing` says how command `i` is routed.
pub async fn retry_redirected(
    link: &ClusterLink,
    conn: &ClusterConnection,
    cmds: &[Cmd],
    routing: &(dyn Fn(usize) -> (Option<RoutingInfo>, glide_routing::Combine) + Sync),
    results: &mut [Option<Result<Reply, Failure>>],
    batch: &Batch,
) {
    for round in 0..REDIRECT_ROUNDS {
        let (retry, moved) = to_retry(results, batch);
        if moved {
            link.refresh_slot_table();
        }
        if retry.is_empty() {
            break;
        }
        if round > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10 << round)).await;
        }
        let runs = retry.iter().map(|&i| {
            let (routing, how) = routing(i);
            let cmd = cmds[i].clone();
            let mut c = conn.clone();
            async move { (i, run_alone(&mut c, cmd, routing, how).await) }
        });
        for (i, outcome) in join_all(runs).await {
            results[i] = Some(outcome);
        }
    }
}

/// How many times commands of a pipeline are retried after redirects.
const REDIRECT_ROUNDS: u32 = 4;

async fn run_alone(
    c: &mut ClusterConnection,
    cmd: Cmd,
    routing: Option<RoutingInfo>,
    how: glide_routing::Combine,
) -> Result<Reply, Failure> {
    use redis::aio::ConnectionLike;
    let outcome = match routing {
        Some(r) => c.route_command(cmd, r).await,
        None => c.req_packed_command(&cmd).await,
    };
    match outcome {
        Ok(v) => match glide_routing::combine(v, how) {
            Err(f) if f.status == Status::Request => Ok(Reply::Value(error_value(&f.message))),
            other => other,
        },
        Err(e) if e.code().is_some() && !breaks_connection(&e) => {
            Ok(Reply::Value(server_error_value(&e)))
        }
        Err(e) => Err(Failure::from(e)),
    }
}

/// An error value (as a pipeline holds it) with the server's text `text` ("CODE detail").
fn error_value(text: &str) -> Value {
    let line = format!("-{}\r\n", text.replace(['\r', '\n'], " "));
    redis::parse_redis_value(line.as_bytes()).unwrap_or_else(|_| Value::SimpleString(text.into()))
}

/// A server error returned as a failure, turned back into the error value a pipeline holds.
pub fn server_error_value(e: &redis::RedisError) -> Value {
    let text = match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("-{code} {detail}\r\n"),
        (Some(code), None) => format!("-{code}\r\n"),
        _ => format!("-ERR {e}\r\n"),
    };
    redis::parse_redis_value(text.as_bytes())
        .unwrap_or_else(|_| Value::SimpleString(text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_round_trip() {
        let v = server_error_value(&redis::RedisError::from((
            redis::ErrorKind::Server(redis::ServerErrorKind::ResponseError),
            "WRONGTYPE",
            "Operation against a key".to_string(),
        )));
        assert!(matches!(v, Value::ServerError(_)));
    }

    #[test]
    fn reply_windows() {
        assert_eq!(reply_window(3, false), (0, 3));
        assert_eq!(reply_window(3, true), (4, 1));
    }
}
