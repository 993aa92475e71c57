//! A cluster batch on the client's own connections to the nodes (cluster/targets.rs), in its
//! place among the client's other requests: each node's share of a pipeline, or a whole
//! transaction, is handed to that node's connection at once, so a batch waits for nothing but
//! the nodes it names (a `BLPOP k 0` pending on another shard holds nothing here).
//!
//! This module decides where a batch's commands go ([`plan`], from the slot table alone) and
//! what their replies mean ([`judge`]); it sends nothing itself. A batch it cannot place (a
//! fan-out or keyless command in a pipeline, keys of a transaction in several slots, a
//! multi-node route) runs on the client's cluster link as before. Commands a node did not run
//! (MOVED, ASK, and when the batch asks, TRYAGAIN or a broken connection) run again on the
//! link, in their place.

use crate::protocol::errors::{Failure, Status};
use crate::protocol::reply::Reply;
use crate::protocol::request::{Batch, Route};
use crate::protocol::slots::SlotTable;
use crate::protocol::slots::{
    args, command_slot, first_key, is_multi_slot, multi_slot_keys, slot_of,
};
use redis::{RedisResult, Value};

/// The commands of a batch that go to one node.
#[derive(Debug, PartialEq, Eq)]
pub struct Group {
    /// The node's `host:port`.
    pub address: String,
    /// Whether the node is a replica (its connection sent READONLY).
    pub replica: bool,
    /// The commands' indices in the batch, in batch order.
    pub indices: Vec<usize>,
}

/// Where a batch's commands go.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub groups: Vec<Group>,
    /// The one slot the batch's keys are in, or `u16::MAX` (several, or none).
    pub slot: u16,
}

/// Commands that hold transaction state or are about the connection they are sent on: a
/// pipeline holding one goes through the link.
fn stays_on_link(name: &str) -> bool {
    crate::protocol::connection_state::holds_connection_state(name)
        || crate::protocol::connection_state::about_the_connection(name)
}

/// The node an explicit single-node route names: `(address, replica)`; `None` for routes the
/// link must take (a replica of a slot, every node).
fn routed(
    table: &SlotTable,
    route: &Route,
    random: &dyn Fn() -> Option<String>,
) -> Option<(String, bool)> {
    let primary = |slot: u16| table.primary(slot).map(|p| (p.to_owned(), false));
    match route {
        Route::SlotKey {
            key,
            replica: false,
        } => primary(slot_of(key)),
        Route::SlotId {
            slot,
            replica: false,
        } => primary(*slot),
        Route::Address { host, port } => {
            let address = format!("{host}:{port}");
            let replica = table.role(&address)?;
            Some((address, replica))
        }
        Route::Random => random().map(|a| (a, false)),
        _ => None,
    }
}

/// The slot an explicit route names, for fencing; `u16::MAX` when none.
fn route_slot(route: &Route) -> u16 {
    match route {
        Route::SlotKey { key, .. } => slot_of(key),
        Route::SlotId { slot, .. } => *slot,
        _ => u16::MAX,
    }
}

/// Where the commands of `batch` (parsed) go, if the client's node connections can take it.
/// `random` picks a primary for a keyless transaction or a `randomNode` route.
pub fn plan(
    table: &SlotTable,
    route: &Route,
    batch: &Batch,
    random: &dyn Fn() -> Option<String>,
) -> Option<Plan> {
    if batch.cmds.is_empty() {
        return None;
    }
    let all = || (0..batch.cmds.len()).collect::<Vec<_>>();
    if *route != Route::Default {
        let (address, replica) = routed(table, route, random)?;
        let groups = vec![Group {
            address,
            replica,
            indices: all(),
        }];
        let slot = route_slot(route);
        return Some(Plan { groups, slot });
    }
    if batch.atomic {
        // One node: the slot of every key (a transaction's keys share one), else any primary.
        let mut slot = None;
        for (cmd, name) in batch.cmds.iter().zip(&batch.names) {
            let a = args(cmd);
            let keys = if is_multi_slot(name) {
                multi_slot_keys(name, &a)
            } else {
                first_key(name, &a).into_iter().collect()
            };
            for k in keys {
                let s = slot_of(k);
                if *slot.get_or_insert(s) != s {
                    return None;
                }
            }
        }
        let address = match slot {
            Some(s) => table.primary(s)?.to_owned(),
            None => random()?,
        };
        let groups = vec![Group {
            address,
            replica: false,
            indices: all(),
        }];
        let slot = slot.unwrap_or(u16::MAX);
        return Some(Plan { groups, slot });
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut one_slot = None;
    for (i, (cmd, name)) in batch.cmds.iter().zip(&batch.names).enumerate() {
        let name = name.as_str();
        // WATCH goes to its slot's node connection, where that slot's transaction goes (a WATCH
        // of several slots is split into such a pipeline).
        let on_link = stays_on_link(name) && name != "WATCH";
        if on_link || crate::protocol::routing::routing(name, &Route::Default).is_some() {
            return None;
        }
        let slot = command_slot(cmd, name)?;
        if *one_slot.get_or_insert(slot) != slot {
            one_slot = Some(u16::MAX);
        }
        let address = table.primary(slot)?;
        match groups.iter_mut().find(|g| g.address == address) {
            Some(g) => g.indices.push(i),
            None => groups.push(Group {
                address: address.to_owned(),
                replica: false,
                indices: vec![i],
            }),
        }
    }
    let slot = one_slot.unwrap_or(u16::MAX);
    Some(Plan { groups, slot })
}

/// What became of a batch sent on the node connections.
pub enum Judged {
    /// Its result.
    Done(Result<Reply, Failure>),
    /// Some of it did not run where it was sent: a pipeline's results so far (the commands to
    /// run again among them), or `None` for a transaction, to run again whole.
    Again(Option<Vec<Option<Result<Reply, Failure>>>>),
    /// A transaction that did not run: its slot moved, as this MOVED reply's `<slot>
    /// <host>:<port>` says; to run again whole on the slot's new primary.
    Moved(String),
}

/// The `<slot> <host>:<port>` of each MOVED reply among a pipeline's results: where those
/// slots are now.
pub fn moves(results: &[Option<Result<Reply, Failure>>]) -> Vec<String> {
    results
        .iter()
        .filter_map(|r| match r {
            Some(Ok(Reply::Value(Value::ServerError(e)))) if e.code() == "MOVED" => {
                e.details().map(str::to_owned)
            }
            Some(Err(f)) => f.message.strip_prefix("MOVED ").map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// What the nodes' replies to a batch's groups mean (`replies[i]` is `groups[i]`'s).
pub fn judge(batch: &Batch, groups: &[Group], replies: Vec<RedisResult<Value>>) -> Judged {
    if batch.atomic {
        let reply = replies.into_iter().next().unwrap_or(Ok(Value::Nil));
        return match reply {
            Err(e) => {
                let kind = crate::protocol::errors::server_kind(&e);
                match (kind, e.detail()) {
                    (Some(redis::ServerErrorKind::Moved), Some(to)) => Judged::Moved(to.to_owned()),
                    _ if crate::protocol::errors::redirects(kind) => Judged::Again(None),
                    _ => Judged::Done(Err(Failure::from(e))),
                }
            }
            Ok(v) => Judged::Done(Ok(Reply::Value(v))),
        };
    }
    let mut results: Vec<Option<Result<Reply, Failure>>> =
        (0..batch.cmds.len()).map(|_| None).collect();
    for (group, reply) in groups.iter().zip(replies) {
        match reply {
            Ok(Value::Array(values)) if values.len() == group.indices.len() => {
                for (&i, v) in group.indices.iter().zip(values) {
                    results[i] = Some(Ok(Reply::Value(v)));
                }
            }
            Ok(_) => {
                let f = Failure::new(
                    crate::protocol::errors::Status::Request,
                    "the node sent a different number of replies than commands",
                );
                for &i in &group.indices {
                    results[i] = Some(Err(f.clone()));
                }
            }
            Err(e) => {
                let f = Failure::from(e);
                for &i in &group.indices {
                    results[i] = Some(Err(f.clone()));
                }
            }
        }
    }
    if to_retry(&results, batch).0.is_empty() {
        Judged::Done(Ok(into_reply(results)))
    } else {
        Judged::Again(Some(results))
    }
}

/// A pipeline's result from its commands' results.
pub fn into_reply(results: Vec<Option<Result<Reply, Failure>>>) -> Reply {
    Reply::Batch(finished(results))
}

/// Each command's result (a command with none failed: it got no reply).
pub fn finished(results: Vec<Option<Result<Reply, Failure>>>) -> Vec<Result<Reply, Failure>> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Failure::new(Status::Request, "no reply"))))
        .collect()
}

/// The commands to retry (redirected, or failed in a way the batch asked to retry), and
/// whether a redirect says the slot table is stale.
pub fn to_retry(results: &[Option<Result<Reply, Failure>>], batch: &Batch) -> (Vec<usize>, bool) {
    let mut moved = false;
    let mut classify = |code: &str, connection: bool| match code {
        "MOVED" | "ASK" => {
            moved = true;
            true
        }
        "TRYAGAIN" | "CLUSTERDOWN" => batch.retry_server_error,
        _ => batch.retry_connection_error && connection,
    };
    let retry = (0..results.len())
        .filter(|&i| match &results[i] {
            Some(Ok(Reply::Value(Value::ServerError(e)))) => classify(e.code(), false),
            // A node's whole pipeline can fail with a redirect (the crate reports the first
            // error of a pipeline it could not route): retry its commands alone, too.
            Some(Err(f)) => classify(
                f.message.split(' ').next().unwrap_or(""),
                f.status == Status::Connection,
            ),
            _ => false,
        })
        .collect();
    (retry, moved)
}

/// Sends one command of a pipeline on its own; a server error is its result, not a failure.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::request::Name;

    fn table() -> SlotTable {
        let node = |port: i64| {
            Value::Array(vec![
                Value::BulkString(b"127.0.0.1".to_vec()),
                Value::Int(port),
            ])
        };
        let range = |from: i64, to: i64, port: i64| {
            Value::Array(vec![
                Value::Int(from),
                Value::Int(to),
                node(port),
                node(port + 3),
            ])
        };
        let reply = Value::Array(vec![range(0, 8000, 7000), range(8001, 16383, 7001)]);
        SlotTable::from_reply(&reply).expect("a table")
    }

    fn batch(atomic: bool, cmds: &[&[&str]]) -> Batch {
        let names = cmds.iter().map(|c| Name::of(c[0])).collect();
        let cmds: Vec<redis::Cmd> = cmds
            .iter()
            .map(|c| {
                let mut cmd = redis::cmd(c[0]);
                for a in &c[1..] {
                    cmd.arg(*a);
                }
                cmd
            })
            .collect();
        Batch {
            atomic,
            retry_server_error: false,
            retry_connection_error: false,
            count: cmds.len(),
            raw: Vec::new(),
            cmds,
            names,
        }
    }

    fn none() -> Option<String> {
        None
    }

    #[test]
    fn a_pipeline_is_grouped_per_primary_in_batch_order() {
        // "a" is in slot 15495 (7001), "b" in 3300 (7000), "{a}x" in a's slot.
        let b = batch(
            false,
            &[
                &["SET", "a", "1"],
                &["GET", "b"],
                &["GET", "{a}x"],
                &["MGET", "b", "{b}y"],
            ],
        );
        let p = plan(&table(), &Route::Default, &b, &none).expect("a plan");
        assert_eq!(p.slot, u16::MAX);
        let got: Vec<(&str, &[usize])> = p
            .groups
            .iter()
            .map(|g| (g.address.as_str(), g.indices.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("127.0.0.1:7001", &[0, 2][..]),
                ("127.0.0.1:7000", &[1, 3][..])
            ]
        );
    }

    #[test]
    fn pipelines_with_fan_outs_keyless_or_cross_slot_commands_go_through_the_link() {
        let cases: [&[&[&str]]; 5] = [
            &[&["SET", "a", "1"], &["DBSIZE"]],
            &[&["PING"]],
            &[&["MGET", "a", "b"]],
            &[&["UNWATCH"]],
            &[&["CLIENT", "ID"]],
        ];
        for cmds in cases {
            assert!(plan(&table(), &Route::Default, &batch(false, cmds), &none).is_none());
        }
        // WATCH goes to its slot's node connection, where the slot's transaction goes.
        let watch = batch(false, &[&["WATCH", "a"]]);
        assert!(plan(&table(), &Route::Default, &watch, &none).is_some());
    }

    #[test]
    fn a_transaction_goes_to_its_slot_or_any_primary() {
        let t = table();
        let b = batch(true, &[&["SET", "{a}1", "1"], &["INCR", "{a}2"]]);
        let p = plan(&t, &Route::Default, &b, &none).expect("a plan");
        assert_eq!(
            (p.groups[0].address.as_str(), p.slot),
            ("127.0.0.1:7001", slot_of(b"a"))
        );
        let cross = batch(true, &[&["SET", "a", "1"], &["SET", "b", "1"]]);
        assert!(
            plan(&t, &Route::Default, &cross, &none).is_none(),
            "CROSSSLOT from the link"
        );
        let keyless = batch(true, &[&["PING"]]);
        let any = || Some("127.0.0.1:7000".to_owned());
        let p = plan(&t, &Route::Default, &keyless, &any).expect("a plan");
        assert_eq!(
            (p.groups[0].address.as_str(), p.slot),
            ("127.0.0.1:7000", u16::MAX)
        );
    }

    #[test]
    fn routes_name_one_node() {
        let t = table();
        let b = batch(false, &[&["PING"], &["DBSIZE"]]);
        let by_address = Route::Address {
            host: "127.0.0.1".into(),
            port: 7004,
        };
        let p = plan(&t, &by_address, &b, &none).expect("a plan");
        assert_eq!(
            p.groups,
            [Group {
                address: "127.0.0.1:7004".into(),
                replica: true,
                indices: vec![0, 1]
            }]
        );
        assert!(plan(&t, &Route::AllPrimaries, &b, &none).is_none());
        let replica = Route::SlotId {
            slot: 1,
            replica: true,
        };
        assert!(plan(&t, &replica, &b, &none).is_none());
    }

    #[test]
    fn moved_replies_say_where_their_slots_went() {
        let moved = redis::parse_redis_value(b"-MOVED 3999 127.0.0.1:7002\r\n").unwrap();
        let ask = redis::parse_redis_value(b"-ASK 4000 127.0.0.1:7003\r\n").unwrap();
        let results = vec![
            Some(Ok(Reply::Value(Value::Okay))),
            Some(Ok(Reply::Value(moved))),
            Some(Ok(Reply::Value(ask))),
            Some(Err(Failure::new(
                Status::Request,
                "MOVED 12 127.0.0.1:7001",
            ))),
            None,
        ];
        assert_eq!(
            moves(&results),
            ["3999 127.0.0.1:7002", "12 127.0.0.1:7001"]
        );
        // A transaction refused with MOVED runs again whole where the reply says.
        let b = batch(true, &[&["INCR", "k"]]);
        let refused = Err(redis::RedisError::from((
            redis::ErrorKind::Server(redis::ServerErrorKind::Moved),
            "moved",
            "3999 127.0.0.1:7002".to_owned(),
        )));
        match judge(&b, &[], vec![refused]) {
            Judged::Moved(to) => assert_eq!(to, "3999 127.0.0.1:7002"),
            _ => panic!("expected Moved"),
        }
    }
}
