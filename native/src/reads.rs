//! Reads in a cluster: which commands only read (with `readFrom` other than `primary`, the
//! cluster clients may send them to a replica), and which node a read goes to. The list is the
//! servers' own: the commands (and container subcommands) with a key that Redis 7.0 and Valkey
//! 8/9 flag `readonly` in `COMMAND INFO`, plus the read-only script calls.

use crate::az::AzFactory;
use crate::slots::SlotTable;

/// Sorted, for a binary search.
const READ_ONLY: &[&str] = &[
    "BITCOUNT",
    "BITFIELD_RO",
    "BITPOS",
    "DUMP",
    "EVALSHA_RO",
    "EVAL_RO",
    "EXISTS",
    "EXPIRETIME",
    "FCALL_RO",
    "GEODIST",
    "GEOHASH",
    "GEOPOS",
    "GEORADIUSBYMEMBER_RO",
    "GEORADIUS_RO",
    "GEOSEARCH",
    "GET",
    "GETBIT",
    "GETRANGE",
    "HEXISTS",
    "HEXPIRETIME",
    "HGET",
    "HGETALL",
    "HKEYS",
    "HLEN",
    "HMGET",
    "HPEXPIRETIME",
    "HPTTL",
    "HRANDFIELD",
    "HSCAN",
    "HSTRLEN",
    "HTTL",
    "HVALS",
    "LCS",
    "LINDEX",
    "LLEN",
    "LPOS",
    "LRANGE",
    "MEMORY USAGE",
    "MGET",
    "OBJECT ENCODING",
    "OBJECT FREQ",
    "OBJECT IDLETIME",
    "OBJECT REFCOUNT",
    "PEXPIRETIME",
    "PFCOUNT",
    "PTTL",
    "SCARD",
    "SDIFF",
    "SINTER",
    "SINTERCARD",
    "SISMEMBER",
    "SMEMBERS",
    "SMISMEMBER",
    "SORT_RO",
    "SRANDMEMBER",
    "SSCAN",
    "STRLEN",
    "SUBSTR",
    "SUNION",
    "TOUCH",
    "TTL",
    "TYPE",
    "XINFO CONSUMERS",
    "XINFO GROUPS",
    "XINFO STREAM",
    "XLEN",
    "XPENDING",
    "XRANGE",
    "XREAD",
    "XREVRANGE",
    "ZCARD",
    "ZCOUNT",
    "ZDIFF",
    "ZINTER",
    "ZINTERCARD",
    "ZLEXCOUNT",
    "ZMSCORE",
    "ZRANDMEMBER",
    "ZRANGE",
    "ZRANGEBYLEX",
    "ZRANGEBYSCORE",
    "ZRANK",
    "ZREVRANGE",
    "ZREVRANGEBYLEX",
    "ZREVRANGEBYSCORE",
    "ZREVRANK",
    "ZSCAN",
    "ZSCORE",
    "ZUNION",
];

/// Whether the command named `name` (upper case; a container's subcommand after a space) only
/// reads, so that a replica may serve it.
pub fn is_read_only(name: &str) -> bool {
    READ_ONLY.binary_search(&name).is_ok()
}

/// The node a read of `slot` goes to, `turn` being its shard's round-robin number: with the
/// AZ-affinity modes (`az`), as the link's strategy chooses (see az.rs); else its shard's
/// replicas in turn; the primary when the shard has no replica. The async and the sync cluster
/// clients route their reads with it.
pub(crate) fn read_address<'a>(
    az: Option<&AzFactory>,
    turn: usize,
    table: &'a SlotTable,
    slot: u16,
    primary: &'a str,
) -> &'a str {
    let replicas = table.replicas(slot);
    match az {
        Some(az) => az.choose(turn, primary, replicas),
        None if replicas.is_empty() => primary,
        None => &replicas[turn % replicas.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_knows_reads_from_writes() {
        assert!(READ_ONLY.windows(2).all(|w| w[0] < w[1]));
        assert!(is_read_only("GET") && is_read_only("OBJECT ENCODING") && is_read_only("ZSCORE"));
        assert!(!is_read_only("SET") && !is_read_only("GETEX") && !is_read_only("ZRANGESTORE"));
        assert!(!is_read_only("INCR") && !is_read_only("get"));
    }
}
