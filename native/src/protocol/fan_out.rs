//! Keyless commands sent to every primary (or every node) on the client's node connections, and
//! how their replies become one result: GLIDE's response policy of each command (routing.rs),
//! applied here as the `redis` crate applies it on its cluster connection. Pure: gathers replies,
//! sends nothing.

use crate::protocol::errors::{top_level, Failure, Status};
use crate::protocol::reply::Reply;
use crate::protocol::request::Route;
use redis::cluster_routing::ResponsePolicy;
use redis::cluster_routing::{AggregateOp, LogicalAggregateOp, MultipleNodeRoutingInfo};
use redis::Value;

/// How a fan-out's replies become its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gather {
    /// A map of node address to reply.
    PerNode,
    /// Every node must succeed: the first node's reply.
    AllOk,
    /// The sum of the nodes' integer replies (DBSIZE ...).
    Sum,
    /// The least of the nodes' integer replies (WAIT).
    Min,
    /// Element-wise AND of the nodes' arrays of 0/1 (SCRIPT EXISTS).
    And,
    /// The nodes' arrays, concatenated (KEYS, PUBSUB CHANNELS ...).
    Arrays,
    /// The nodes' name/count pairs, counts of one name summed (PUBSUB NUMSUB).
    Counts,
    /// The first node's success; an error only when every node failed (SCRIPT KILL).
    OneOk,
    /// The first reply that is not nil; nil when every node's is (RANDOMKEY).
    FirstNonNil,
}

/// Whether a command with `route` fans out, to every node (`true`) or every primary, and how
/// its replies are gathered.
pub fn of(name: &str, route: &Route) -> Option<(bool, Gather)> {
    let replicas = match route {
        Route::AllNodes => true,
        Route::AllPrimaries => false,
        Route::Default => match crate::protocol::routing::default_fan_out(name)? {
            MultipleNodeRoutingInfo::AllNodes => true,
            MultipleNodeRoutingInfo::AllMasters => false,
            _ => return None,
        },
        _ => return None,
    };
    let gather = match crate::protocol::routing::response_policy(name) {
        None => Gather::PerNode,
        Some(ResponsePolicy::AllSucceeded) => Gather::AllOk,
        Some(ResponsePolicy::Aggregate(AggregateOp::Sum)) => Gather::Sum,
        Some(ResponsePolicy::Aggregate(AggregateOp::Min)) => Gather::Min,
        Some(ResponsePolicy::AggregateLogical(LogicalAggregateOp::And)) => Gather::And,
        Some(ResponsePolicy::CombineArrays) => Gather::Arrays,
        Some(ResponsePolicy::CombineMaps) => Gather::Counts,
        Some(ResponsePolicy::OneSucceeded) => Gather::OneOk,
        Some(ResponsePolicy::FirstSucceededNonEmptyOrAllEmpty) => Gather::FirstNonNil,
        Some(_) => return None,
    };
    Some((replicas, gather))
}

fn unexpected(what: &str) -> Failure {
    Failure::new(Status::Request, format!("a node's reply was not {what}"))
}

/// The nodes' replies, each checked for an error reply (the first fails the whole).
fn values(per_node: Vec<(Value, Value)>) -> Result<Vec<Value>, Failure> {
    per_node.into_iter().map(|(_, v)| top_level(v)).collect()
}

/// A fan-out's result from its nodes' replies (address, reply), as the link's would be.
pub fn gathered(per_node: Vec<(Value, Value)>, gather: Gather) -> Result<Reply, Failure> {
    use crate::protocol::routing::{combine, Combine};
    let total = |per_node, pick: fn(i64, i64) -> i64| {
        let mut acc: Option<i64> = None;
        for v in values(per_node)? {
            let Value::Int(n) = v else {
                return Err(unexpected("an integer"));
            };
            acc = Some(acc.map_or(n, |a| pick(a, n)));
        }
        Ok(Reply::Value(Value::Int(acc.unwrap_or(0))))
    };
    match gather {
        Gather::PerNode => combine(Value::Map(per_node), Combine::PerNode),
        Gather::AllOk => combine(Value::Map(per_node), Combine::AllOk),
        Gather::Sum => total(per_node, i64::wrapping_add),
        Gather::Min => total(per_node, i64::min),
        Gather::And => {
            let mut acc: Option<Vec<bool>> = None;
            for v in values(per_node)? {
                let Value::Array(items) = v else {
                    return Err(unexpected("an array"));
                };
                let acc = acc.get_or_insert_with(|| vec![true; items.len()]);
                if acc.len() != items.len() {
                    return Err(unexpected("as long as the others"));
                }
                for (a, item) in acc.iter_mut().zip(items) {
                    let Value::Int(n) = item else {
                        return Err(unexpected("an array of integers"));
                    };
                    *a &= n > 0;
                }
            }
            let ints = acc
                .unwrap_or_default()
                .into_iter()
                .map(|b| Value::Int(b as i64));
            Ok(Reply::Value(Value::Array(ints.collect())))
        }
        Gather::Arrays => {
            let mut all = Vec::new();
            for v in values(per_node)? {
                match v {
                    Value::Array(items) | Value::Set(items) => all.extend(items),
                    _ => return Err(unexpected("an array")),
                }
            }
            Ok(Reply::Value(Value::Array(all)))
        }
        Gather::Counts => {
            let mut counts: Vec<(Value, i64)> = Vec::new();
            for v in values(per_node)? {
                let pairs: Vec<(Value, Value)> = match v {
                    Value::Map(pairs) => pairs,
                    Value::Array(flat) if flat.len() % 2 == 0 => {
                        let mut it = flat.into_iter();
                        std::iter::from_fn(|| Some((it.next()?, it.next()?))).collect()
                    }
                    _ => return Err(unexpected("name/count pairs")),
                };
                for (name, count) in pairs {
                    let Value::Int(n) = count else {
                        return Err(unexpected("a count"));
                    };
                    match counts.iter_mut().find(|(k, _)| *k == name) {
                        Some((_, c)) => *c += n,
                        None => counts.push((name, n)),
                    }
                }
            }
            let map = counts.into_iter().map(|(k, n)| (k, Value::Int(n)));
            Ok(Reply::Value(Value::Map(map.collect())))
        }
        Gather::OneOk => {
            let mut last = Err(unexpected("there: no node answered"));
            for (_, v) in per_node {
                match top_level(v) {
                    Ok(v) => return Ok(Reply::Value(v)),
                    Err(f) => last = Err(f),
                }
            }
            last
        }
        Gather::FirstNonNil => {
            let (mut nils, count, mut last) = (0, per_node.len(), None);
            for (_, v) in per_node {
                match top_level(v) {
                    Ok(Value::Nil) => nils += 1,
                    Ok(v) => return Ok(Reply::Value(v)),
                    Err(f) => last = Some(f),
                }
            }
            match last {
                Some(f) if nils < count => Err(f),
                _ => Ok(Reply::Value(Value::Nil)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_node(values: Vec<Value>) -> Vec<(Value, Value)> {
        let addr = |i: usize| Value::BulkString(format!("127.0.0.1:700{i}").into_bytes());
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (addr(i), v))
            .collect()
    }

    fn value(r: Result<Reply, Failure>) -> Value {
        match r {
            Ok(Reply::Value(v)) => v,
            Ok(Reply::PerNode(v)) => v,
            other => panic!("{:?}", other.err().map(|f| f.message)),
        }
    }

    fn err() -> Value {
        redis::parse_redis_value(b"-ERR boom\r\n").expect("an error reply")
    }

    fn bulk(t: &str) -> Value {
        Value::BulkString(t.as_bytes().to_vec())
    }

    #[test]
    fn a_fan_out_gathers_as_the_link_does() {
        let ints = || per_node(vec![Value::Int(3), Value::Int(1), Value::Int(5)]);
        assert_eq!(value(gathered(ints(), Gather::Sum)), Value::Int(9));
        assert_eq!(value(gathered(ints(), Gather::Min)), Value::Int(1));
        let oks = per_node(vec![Value::Okay, Value::Okay]);
        assert_eq!(value(gathered(oks.clone(), Gather::AllOk)), Value::Okay);
        assert_eq!(
            value(gathered(oks.clone(), Gather::PerNode)),
            Value::Map(oks)
        );
        assert!(matches!(err(), Value::ServerError(_)));
        let failed = per_node(vec![Value::Okay, err()]);
        assert!(gathered(failed.clone(), Gather::AllOk).is_err());
        assert!(gathered(failed, Gather::Sum).is_err());
        let nil = per_node(vec![Value::Int(1), Value::Nil]);
        assert!(gathered(nil, Gather::Sum).is_err());
    }

    #[test]
    fn arrays_counts_and_logical_and() {
        let arrays = per_node(vec![
            Value::Array(vec![bulk("a")]),
            Value::Array(vec![]),
            Value::Array(vec![bulk("b"), bulk("c")]),
        ]);
        let all = Value::Array(vec![bulk("a"), bulk("b"), bulk("c")]);
        assert_eq!(value(gathered(arrays, Gather::Arrays)), all);
        let counts = per_node(vec![
            Value::Array(vec![bulk("ch"), Value::Int(1), bulk("x"), Value::Int(0)]),
            Value::Array(vec![bulk("ch"), Value::Int(2), bulk("x"), Value::Int(0)]),
        ]);
        let want = Value::Map(vec![
            (bulk("ch"), Value::Int(3)),
            (bulk("x"), Value::Int(0)),
        ]);
        assert_eq!(value(gathered(counts, Gather::Counts)), want);
        let exists = per_node(vec![
            Value::Array(vec![Value::Int(1), Value::Int(1)]),
            Value::Array(vec![Value::Int(1), Value::Int(0)]),
        ]);
        let and = Value::Array(vec![Value::Int(1), Value::Int(0)]);
        assert_eq!(value(gathered(exists, Gather::And)), and);
    }

    #[test]
    fn one_success_or_the_first_non_nil() {
        let one = per_node(vec![err(), Value::Okay, err()]);
        assert_eq!(value(gathered(one, Gather::OneOk)), Value::Okay);
        assert!(gathered(per_node(vec![err(), err()]), Gather::OneOk).is_err());
        let first = per_node(vec![Value::Nil, bulk("k"), err()]);
        assert_eq!(value(gathered(first, Gather::FirstNonNil)), bulk("k"));
        let nils = per_node(vec![Value::Nil, Value::Nil]);
        assert_eq!(value(gathered(nils, Gather::FirstNonNil)), Value::Nil);
        assert!(gathered(per_node(vec![Value::Nil, err()]), Gather::FirstNonNil).is_err());
    }

    #[test]
    fn routes_and_defaults() {
        assert_eq!(of("KEYS", &Route::Default), Some((false, Gather::Arrays)));
        assert_eq!(
            of("SCRIPT KILL", &Route::Default),
            Some((true, Gather::OneOk))
        );
        assert_eq!(of("ECHO", &Route::AllNodes), Some((true, Gather::PerNode)));
        assert_eq!(of("GET", &Route::Default), None);
        assert_eq!(of("DBSIZE", &Route::Random), None);
    }
}
