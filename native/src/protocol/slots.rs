//! Hash slots, for splitting a cluster pipeline by node: the slot of a key, where a command's
//! first key is, and the slot-to-primary table read from CLUSTER SLOTS.
//!
//! These facts only decide how a pipeline is grouped. A command grouped wrongly gets MOVED from
//! the node it reached and is then retried alone, routed by the `redis` crate, so a gap here
//! costs a round trip, never a wrong answer.

use redis::Value;

/// Number of hash slots in a cluster.
pub const SLOTS: usize = 16384;

/// The hash slot of `key` (CRC16 of its hash tag, or of the whole key).
pub fn slot_of(key: &[u8]) -> u16 {
    let tagged = key
        .iter()
        .position(|&b| b == b'{')
        .and_then(|open| {
            let rest = &key[open + 1..];
            rest.iter()
                .position(|&b| b == b'}')
                .filter(|&close| close > 0)
                .map(|close| &rest[..close])
        })
        .unwrap_or(key);
    crc16::State::<crc16::XMODEM>::calculate(tagged) % SLOTS as u16
}

/// Commands the cluster client splits by slot when their keys span several (GLIDE's list,
/// with WATCH and the JSON module's JSON.MGET and JSON.MSET).
pub fn is_multi_slot(name: &str) -> bool {
    matches!(
        name,
        "MGET"
            | "MSET"
            | "DEL"
            | "EXISTS"
            | "UNLINK"
            | "TOUCH"
            | "WATCH"
            | "JSON.MGET"
            | "JSON.MSET"
    )
}

/// How a multi-slot command's arguments after its name are laid out: each key starts a group
/// of `step` arguments, and `trailing` arguments after the groups belong to every part (the
/// path of JSON.MGET key [key ...] path).
pub fn multi_slot_layout(name: &str) -> (usize, usize) {
    match name {
        "MSET" => (2, 0),
        "JSON.MSET" => (3, 0),
        "JSON.MGET" => (1, 1),
        _ => (1, 0),
    }
}

/// The keys of a multi-slot command (MSET: every other argument; JSON.MGET: all but the path).
pub fn multi_slot_keys<'a>(name: &str, args: &'a [&'a [u8]]) -> Vec<&'a [u8]> {
    let (step, trailing) = multi_slot_layout(name);
    let rest = args.get(1..).unwrap_or(&[]);
    let groups = &rest[..rest.len().saturating_sub(trailing)];
    groups.iter().step_by(step).copied().collect()
}

/// The first key of a command, for the commands whose key is not simply their first argument;
/// `None` for commands without keys.
pub fn first_key<'a>(name: &str, args: &'a [&'a [u8]]) -> Option<&'a [u8]> {
    let arg = |i: usize| args.get(i).copied();
    let numkeys_at = |i: usize| {
        let n: usize = std::str::from_utf8(arg(i)?).ok()?.parse().ok()?;
        if n == 0 {
            None
        } else {
            arg(i + 1)
        }
    };
    match name {
        "PING" | "ECHO" | "INFO" | "TIME" | "DBSIZE" | "LASTSAVE" | "RANDOMKEY" | "SCAN"
        | "PUBLISH" | "SPUBLISH" | "SELECT" | "FLUSHALL" | "FLUSHDB" | "SAVE" | "BGSAVE"
        | "LOLWUT" | "WAIT" | "WAITAOF" | "MULTI" | "EXEC" | "DISCARD" | "UNWATCH" => None,
        "EVAL" | "EVALSHA" | "EVAL_RO" | "EVALSHA_RO" | "FCALL" | "FCALL_RO" => numkeys_at(2),
        "ZUNION" | "ZINTER" | "ZDIFF" | "ZINTERCARD" | "SINTERCARD" | "LMPOP" | "ZMPOP" => {
            numkeys_at(1)
        }
        "BLMPOP" | "BZMPOP" => numkeys_at(2),
        "XREAD" | "XREADGROUP" => {
            let at = args
                .iter()
                .position(|a| a.eq_ignore_ascii_case(b"STREAMS"))?;
            arg(at + 1)
        }
        _ if name.contains(' ') => {
            // Container commands: OBJECT ENCODING key, XINFO STREAM key, XGROUP CREATE key ...
            if name.starts_with("OBJECT ")
                || name.starts_with("XINFO ")
                || name.starts_with("XGROUP ")
                || name == "MEMORY USAGE"
            {
                arg(2)
            } else {
                None
            }
        }
        // JSON.DEBUG MEMORY key [path]; JSON.DEBUG HELP has none.
        "JSON.DEBUG" => {
            let sub = arg(1)?;
            (!sub.eq_ignore_ascii_case(b"HELP"))
                .then_some(arg(2))
                .flatten()
        }
        // The Search module's index commands go by the index name, as GLIDE sends them.
        "FT._LIST" | "FT._ALIASLIST" => None,
        "OBJECT" | "XINFO" | "XGROUP" | "MEMORY" | "CONFIG" | "CLIENT" | "CLUSTER" | "COMMAND"
        | "FUNCTION" | "SCRIPT" | "ACL" | "SLOWLOG" | "LATENCY" | "PUBSUB" => None,
        _ => arg(1),
    }
}

/// A command's arguments (the name first) as byte slices.
pub fn args(cmd: &redis::Cmd) -> Vec<&[u8]> {
    cmd.args_iter()
        .filter_map(|a| match a {
            redis::Arg::Simple(b) => Some(b),
            _ => None,
        })
        .collect()
}

/// The one slot a command's keys are in: `None` when it has no key, or (a multi-slot command)
/// keys in several slots. Commands routed otherwise (fan-out, explicit routes) are the
/// caller's to set aside first.
pub fn command_slot(cmd: &redis::Cmd, name: &str) -> Option<u16> {
    let a = args(cmd);
    if is_multi_slot(name) {
        let keys = multi_slot_keys(name, &a);
        let first = slot_of(keys.first()?);
        return keys.iter().all(|k| slot_of(k) == first).then_some(first);
    }
    first_key(name, &a).map(slot_of)
}

/// Which primary (and which replicas) serve each slot, as of one CLUSTER SLOTS reply.
pub struct SlotTable {
    /// For each slot, an index into the table's node list; `u16::MAX` when unassigned.
    owner: Vec<u16>,
    /// Each primary's `host:port`, by the index `owner` holds.
    nodes: Vec<String>,
    /// Each primary's replicas (`host:port`), by the same index.
    replicas: Vec<Vec<String>>,
}

/// The host and port of a node's `host:port` (as the slot table and the clients name nodes; the
/// last colon splits, so an IPv6 host keeps its own).
pub fn host_port(address: &str) -> Option<(&str, u16)> {
    let (host, port) = address.rsplit_once(':')?;
    Some((host, port.parse().ok()?))
}

/// `host:port` of a node entry of CLUSTER SLOTS (`[host, port, id, ...]`).
fn address(node: &Value) -> Option<String> {
    let Value::Array(parts) = node else {
        return None;
    };
    let part = |v: &Value| match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    };
    Some(format!(
        "{}:{}",
        part(parts.first()?)?,
        part(parts.get(1)?)?
    ))
}

impl SlotTable {
    /// Reads a CLUSTER SLOTS reply; `None` if it has no usable range.
    pub fn from_reply(reply: &Value) -> Option<SlotTable> {
        let Value::Array(ranges) = reply else {
            return None;
        };
        let mut owner = vec![u16::MAX; SLOTS];
        let mut nodes: Vec<String> = Vec::new();
        let mut replicas: Vec<Vec<String>> = Vec::new();
        for range in ranges {
            let Value::Array(parts) = range else { continue };
            let (Some(Value::Int(start)), Some(Value::Int(end)), Some(primary)) =
                (parts.first(), parts.get(1), parts.get(2).and_then(address))
            else {
                continue;
            };
            let index = match nodes.iter().position(|n| *n == primary) {
                Some(i) => i,
                None => {
                    nodes.push(primary);
                    replicas.push(parts.iter().skip(3).filter_map(address).collect());
                    nodes.len() - 1
                }
            };
            let (start, end) = (*start as usize, *end as usize);
            if start <= end && end < SLOTS {
                owner[start..=end].fill(index as u16);
            }
        }
        (!nodes.is_empty()).then_some(SlotTable {
            owner,
            nodes,
            replicas,
        })
    }

    /// The node serving `slot` (an index into the table's nodes), if assigned.
    pub fn owner(&self, slot: u16) -> Option<u16> {
        self.owner
            .get(slot as usize)
            .copied()
            .filter(|&o| o != u16::MAX)
    }

    /// The `host:port` of the primary serving `slot`, if the table has one.
    pub fn primary(&self, slot: u16) -> Option<&str> {
        let i = self.owner(slot)?;
        self.nodes.get(i as usize).map(String::as_str)
    }

    /// Every primary's `host:port`.
    pub fn primaries(&self) -> &[String] {
        &self.nodes
    }

    /// Whether `address` (`host:port`) is one of the table's primaries (`Some(false)`) or
    /// replicas (`Some(true)`).
    pub fn role(&self, address: &str) -> Option<bool> {
        if self.nodes.iter().any(|n| n == address) {
            Some(false)
        } else if self.replicas.iter().flatten().any(|n| n == address) {
            Some(true)
        } else {
            None
        }
    }

    /// The replicas (`host:port`) of the `i`th primary of [`SlotTable::primaries`].
    pub fn shard_replicas(&self, i: usize) -> &[String] {
        self.replicas.get(i).map_or(&[], Vec::as_slice)
    }

    /// The replicas (`host:port`) of the primary serving `slot`.
    pub fn replicas(&self, slot: u16) -> &[String] {
        self.owner(slot)
            .and_then(|i| self.replicas.get(i as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// This table after a MOVED reply said `slot` is served by the primary at `address`.
    /// A replica of the slot's old primary that answers for it was promoted (a failover): it
    /// takes over all of its shard's slots. Otherwise only `slot` moves (a resharding moves one
    /// slot at a time), to a primary the table knows or to a new one.
    pub fn with_move(&self, slot: u16, address: &str) -> SlotTable {
        let mut next = SlotTable {
            owner: self.owner.clone(),
            nodes: self.nodes.clone(),
            replicas: self.replicas.clone(),
        };
        let Some(cell) = next.owner.get_mut(slot as usize) else {
            return next;
        };
        if let Some(i) = self.nodes.iter().position(|n| n == address) {
            *cell = i as u16;
            return next;
        }
        if let Some(old) = self.owner(slot).map(usize::from) {
            if self.replicas[old].iter().any(|r| r == address) {
                next.replicas[old].retain(|r| r != address);
                next.nodes[old] = address.to_owned();
                return next;
            }
        }
        next.nodes.push(address.to_owned());
        next.replicas.push(Vec::new());
        next.owner[slot as usize] = (next.nodes.len() - 1) as u16;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_match_the_cluster_spec() {
        assert_eq!(slot_of(b"foo"), 12182);
        assert_eq!(slot_of(b"{user1000}.following"), slot_of(b"user1000"));
        assert_eq!(slot_of(b"foo{}{bar}"), slot_of(b"foo{}{bar}"));
        assert_eq!(slot_of(b"{}x"), slot_of(b"{}x"));
        assert_eq!(slot_of(b"123456789"), 12739);
    }

    #[test]
    fn first_keys() {
        let a: Vec<&[u8]> = vec![b"EVAL", b"return 1", b"1", b"k"];
        assert_eq!(first_key("EVAL", &a), Some(&b"k"[..]));
        let a: Vec<&[u8]> = vec![b"XREAD", b"COUNT", b"1", b"STREAMS", b"s", b"0"];
        assert_eq!(first_key("XREAD", &a), Some(&b"s"[..]));
        let a: Vec<&[u8]> = vec![b"OBJECT", b"ENCODING", b"k"];
        assert_eq!(first_key("OBJECT ENCODING", &a), Some(&b"k"[..]));
        let a: Vec<&[u8]> = vec![b"SET", b"k", b"v"];
        assert_eq!(first_key("SET", &a), Some(&b"k"[..]));
        let a: Vec<&[u8]> = vec![b"PING"];
        assert_eq!(first_key("PING", &a), None);
    }

    #[test]
    fn table_from_cluster_slots() {
        let node = |port: i64| {
            Value::Array(vec![
                Value::BulkString(b"127.0.0.1".to_vec()),
                Value::Int(port),
                Value::BulkString(b"id".to_vec()),
            ])
        };
        let reply = Value::Array(vec![
            Value::Array(vec![
                Value::Int(0),
                Value::Int(8000),
                node(7000),
                node(7003),
            ]),
            Value::Array(vec![Value::Int(8001), Value::Int(16383), node(7001)]),
        ]);
        let t = SlotTable::from_reply(&reply).unwrap();
        assert_eq!(t.owner(0), Some(0));
        assert_eq!(t.owner(8000), Some(0));
        assert_eq!(t.owner(8001), Some(1));
        assert_eq!(t.owner(16383), Some(1));
        assert_eq!(t.primary(0), Some("127.0.0.1:7000"));
        assert_eq!(t.replicas(0), ["127.0.0.1:7003"]);
        assert!(t.replicas(9000).is_empty());
        assert_eq!(t.primaries(), ["127.0.0.1:7000", "127.0.0.1:7001"]);
        assert_eq!(t.role("127.0.0.1:7001"), Some(false));
        assert_eq!(t.role("127.0.0.1:7003"), Some(true));
        assert_eq!(t.role("127.0.0.1:7009"), None);

        // A resharding moves one slot to a primary the table knows.
        let m = t.with_move(5, "127.0.0.1:7001");
        assert_eq!(m.primary(5), Some("127.0.0.1:7001"));
        assert_eq!(m.primary(4), Some("127.0.0.1:7000"));
        // A promoted replica takes its whole shard.
        let f = t.with_move(5, "127.0.0.1:7003");
        assert_eq!(f.primary(0), Some("127.0.0.1:7003"));
        assert_eq!(f.primary(8000), Some("127.0.0.1:7003"));
        assert_eq!(f.primary(8001), Some("127.0.0.1:7001"));
        assert_eq!(f.role("127.0.0.1:7003"), Some(false));
        // A primary the table has not seen serves just that slot.
        let n = t.with_move(9000, "127.0.0.1:7009");
        assert_eq!(n.primary(9000), Some("127.0.0.1:7009"));
        assert_eq!(n.primary(9001), Some("127.0.0.1:7001"));
        assert!(n.replicas(9000).is_empty());
    }
}
