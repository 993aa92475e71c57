//! GLIDE's routing facts for cluster commands: which commands go to several nodes by default,
//! and how their replies are combined. Pure: decides, sends nothing.

use crate::protocol::errors::Failure;
use crate::protocol::reply::Reply;
use crate::protocol::request::Route;
use redis::cluster_routing::{
    AggregateOp, LogicalAggregateOp, MultipleNodeRoutingInfo, ResponsePolicy, RoutingInfo,
    SingleNodeRoutingInfo, SlotAddr,
};

/// How a command's replies from several nodes are combined, as GLIDE does.
pub(crate) fn response_policy(name: &str) -> Option<ResponsePolicy> {
    Some(match name {
        "SCRIPT EXISTS" => ResponsePolicy::AggregateLogical(LogicalAggregateOp::And),
        "DBSIZE" | "DEL" | "EXISTS" | "SLOWLOG LEN" | "TOUCH" | "UNLINK" | "LATENCY RESET"
        | "PUBSUB NUMPAT" => ResponsePolicy::Aggregate(AggregateOp::Sum),
        "WAIT" => ResponsePolicy::Aggregate(AggregateOp::Min),
        "ACL SETUSER" | "ACL DELUSER" | "ACL SAVE" | "CLIENT SETNAME" | "CLIENT SETINFO"
        | "CONFIG SET" | "CONFIG RESETSTAT" | "CONFIG REWRITE" | "FLUSHALL" | "FLUSHDB"
        | "FUNCTION DELETE" | "FUNCTION FLUSH" | "FUNCTION LOAD" | "FUNCTION RESTORE"
        | "MEMORY PURGE" | "MSET" | "PING" | "SCRIPT FLUSH" | "SCRIPT LOAD" | "SLOWLOG RESET"
        | "UNWATCH" | "WATCH" | "SELECT" => ResponsePolicy::AllSucceeded,
        "KEYS"
        | "MGET"
        | "SLOWLOG GET"
        | "PUBSUB CHANNELS"
        | "PUBSUB SHARDCHANNELS"
        | "FT._LIST"
        | "FT._ALIASLIST" => ResponsePolicy::CombineArrays,
        "PUBSUB NUMSUB" | "PUBSUB SHARDNUMSUB" => ResponsePolicy::CombineMaps,
        "FUNCTION KILL" | "SCRIPT KILL" => ResponsePolicy::OneSucceeded,
        "RANDOMKEY" => ResponsePolicy::FirstSucceededNonEmptyOrAllEmpty,
        _ => return None,
    })
}

/// Commands that go to several nodes when no route is given (GLIDE's defaults).
pub(crate) fn default_fan_out(name: &str) -> Option<MultipleNodeRoutingInfo> {
    match name {
        "ACL SETUSER"
        | "ACL DELUSER"
        | "ACL SAVE"
        | "CLIENT SETNAME"
        | "CLIENT SETINFO"
        | "SLOWLOG GET"
        | "SLOWLOG LEN"
        | "SLOWLOG RESET"
        | "CONFIG SET"
        | "CONFIG RESETSTAT"
        | "CONFIG REWRITE"
        | "SCRIPT FLUSH"
        | "SCRIPT LOAD"
        | "LATENCY RESET"
        | "LATENCY GRAPH"
        | "LATENCY HISTOGRAM"
        | "LATENCY HISTORY"
        | "LATENCY DOCTOR"
        | "LATENCY LATEST"
        | "PUBSUB NUMPAT"
        | "PUBSUB CHANNELS"
        | "PUBSUB NUMSUB"
        | "PUBSUB SHARDCHANNELS"
        | "PUBSUB SHARDNUMSUB"
        | "SCRIPT KILL"
        | "FUNCTION KILL"
        | "FUNCTION STATS" => Some(MultipleNodeRoutingInfo::AllNodes),
        "DBSIZE"
        | "FLUSHALL"
        | "FLUSHDB"
        | "FUNCTION DELETE"
        | "FUNCTION FLUSH"
        | "FUNCTION LOAD"
        | "FUNCTION RESTORE"
        | "INFO"
        | "KEYS"
        | "MEMORY DOCTOR"
        | "MEMORY MALLOC-STATS"
        | "MEMORY PURGE"
        | "MEMORY STATS"
        | "PING"
        | "SCRIPT EXISTS"
        | "UNWATCH"
        | "WAIT"
        | "RANDOMKEY"
        | "WAITAOF"
        | "FT._LIST"
        | "FT._ALIASLIST" => Some(MultipleNodeRoutingInfo::AllMasters),
        _ => None,
    }
}

/// How the replies of a command sent to several nodes become its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// One reply (one node, or the crate combined them with the command's policy).
    One,
    /// A map of node address to reply (no way to combine them); a node's error fails it.
    PerNode,
    /// Every node must succeed: the first node's reply (usually OK), or the first error. The
    /// crate's own "all succeeded" policy can let a node's error reply pass as a success.
    AllOk,
}

/// Where to send a command, and how its replies are combined. `None` lets the `redis` crate
/// route by the command's keys.
pub fn routing(name: &str, route: &Route) -> Option<(RoutingInfo, Combine)> {
    let fan_out = |nodes: MultipleNodeRoutingInfo| match response_policy(name) {
        Some(ResponsePolicy::AllSucceeded) => {
            (RoutingInfo::MultiNode((nodes, None)), Combine::AllOk)
        }
        None => (RoutingInfo::MultiNode((nodes, None)), Combine::PerNode),
        policy => (RoutingInfo::MultiNode((nodes, policy)), Combine::One),
    };
    let single = |r: SingleNodeRoutingInfo| (RoutingInfo::SingleNode(r), Combine::One);
    let addr = |replica: bool| {
        if replica {
            SlotAddr::ReplicaRequired
        } else {
            SlotAddr::Master
        }
    };
    Some(match route {
        Route::Default => fan_out(default_fan_out(name)?),
        Route::AllNodes => fan_out(MultipleNodeRoutingInfo::AllNodes),
        Route::AllPrimaries => fan_out(MultipleNodeRoutingInfo::AllMasters),
        Route::Random => single(SingleNodeRoutingInfo::Random),
        Route::SlotKey { key, replica } => single(SingleNodeRoutingInfo::SpecificNode(
            redis::cluster_routing::Route::with_key(key, addr(*replica)),
        )),
        Route::SlotId { slot, replica } => single(SingleNodeRoutingInfo::SpecificNode(
            redis::cluster_routing::Route::new(*slot, addr(*replica)),
        )),
        Route::Address { host, port } => single(SingleNodeRoutingInfo::ByAddress {
            host: host.clone(),
            port: *port,
        }),
    })
}

/// A multi-node reply as the command's result (see [`Combine`]).
pub fn combine(value: redis::Value, how: Combine) -> Result<Reply, Failure> {
    use redis::Value;
    let node_error = |v: &Value| match v {
        Value::Map(pairs) => pairs.iter().find_map(|(_, r)| match r {
            Value::ServerError(e) => Some(crate::protocol::errors::server_error_text(e)),
            _ => None,
        }),
        _ => None,
    };
    match how {
        Combine::One => crate::protocol::errors::top_level(value).map(Reply::Value),
        Combine::PerNode => match node_error(&value) {
            Some(text) => Err(Failure::new(crate::protocol::errors::Status::Request, text)),
            None => Ok(Reply::PerNode(value)),
        },
        Combine::AllOk => match node_error(&value) {
            Some(text) => Err(Failure::new(crate::protocol::errors::Status::Request, text)),
            None => match value {
                Value::Map(mut pairs) if !pairs.is_empty() => {
                    Ok(Reply::Value(pairs.swap_remove(0).1))
                }
                Value::Map(_) => Ok(Reply::Value(Value::Okay)),
                other => crate::protocol::errors::top_level(other).map(Reply::Value),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fan_out_and_policies() {
        let (_, how) = routing("INFO", &Route::Default).unwrap();
        assert_eq!(how, Combine::PerNode);
        let (_, how) = routing("DBSIZE", &Route::Default).unwrap();
        assert_eq!(how, Combine::One);
        let (_, how) = routing("FLUSHALL", &Route::Default).unwrap();
        assert_eq!(how, Combine::AllOk);
        assert!(routing("GET", &Route::Default).is_none());
        let (_, how) = routing("ECHO", &Route::AllNodes).unwrap();
        assert_eq!(how, Combine::PerNode);
        let (_, how) = routing("ECHO", &Route::Random).unwrap();
        assert_eq!(how, Combine::One);
    }
}
