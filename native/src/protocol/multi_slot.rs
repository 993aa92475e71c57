//! Multi-key commands whose keys are in several slots (MGET, MSET, DEL, EXISTS, UNLINK, TOUCH),
//! split as GLIDE splits them: one command per slot, sent as a pipeline of the client's node
//! connections (node_batch.rs), their replies merged back into the one reply the caller asked
//! for. Pure: builds commands and merges replies, sends nothing.

use crate::protocol::errors::{Failure, Status};
use crate::protocol::reply::Reply;
use crate::protocol::request::{Batch, Name};
use crate::protocol::slots::{args, is_multi_slot, multi_slot_layout, slot_of};
use redis::{Cmd, Value};

/// How the per-slot replies become the command's reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Merge {
    /// MGET: each key's value, in the caller's key order.
    Values,
    /// DEL, EXISTS, UNLINK, TOUCH: the sum of the counts.
    Sum,
    /// MSET, WATCH: OK once every slot's part is.
    AllOk,
}

/// A multi-key command split by slot.
pub struct Split {
    /// One command per slot (a plain pipeline).
    pub batch: Batch,
    /// For each command of `batch`, the positions of its keys in the caller's command.
    positions: Vec<Vec<usize>>,
    merge: Merge,
    keys: usize,
}

/// `cmd` split by slot, if it is a multi-key command whose keys are in more than one slot.
pub fn split(cmd: &Cmd, name: &Name) -> Option<Split> {
    if !is_multi_slot(name) {
        return None;
    }
    let a = args(cmd);
    let merge = match name.as_str() {
        "MGET" | "JSON.MGET" => Merge::Values,
        "MSET" | "JSON.MSET" | "WATCH" => Merge::AllOk,
        _ => Merge::Sum,
    };
    let (step, trailing) = multi_slot_layout(name.as_str());
    let all = a.get(1..)?;
    if all.len() <= trailing || (all.len() - trailing) % step != 0 {
        return None; // the server's error, from the link
    }
    let (rest, tail) = all.split_at(all.len() - trailing);
    let mut slots: Vec<u16> = Vec::new();
    let mut cmds: Vec<Cmd> = Vec::new();
    let mut positions: Vec<Vec<usize>> = Vec::new();
    for (i, item) in rest.chunks(step).enumerate() {
        let slot = slot_of(item[0]);
        let at = match slots.iter().position(|&s| s == slot) {
            Some(at) => at,
            None => {
                slots.push(slot);
                cmds.push(redis::cmd(name.as_str()));
                positions.push(Vec::new());
                slots.len() - 1
            }
        };
        for part in item {
            cmds[at].arg(*part);
        }
        positions[at].push(i);
    }
    if slots.len() < 2 {
        return None;
    }
    for c in &mut cmds {
        for part in tail {
            c.arg(*part);
        }
    }
    let keys = rest.len() / step;
    let names = vec![*name; cmds.len()];
    let batch = Batch {
        atomic: false,
        // As for the command itself: TRYAGAIN (keys of a slot split by a migration) waits and
        // tries again; a broken connection is the caller's to judge (a DEL may have run).
        retry_server_error: true,
        retry_connection_error: false,
        count: cmds.len(),
        raw: Vec::new(),
        cmds,
        names,
    };
    Some(Split {
        batch,
        positions,
        merge,
        keys,
    })
}

impl Split {
    /// The command's reply from the reply of each slot's part (in `batch` order).
    pub fn merge(&self, parts: Vec<Result<Reply, Failure>>) -> Result<Reply, Failure> {
        let mut values = vec![
            Value::Nil;
            if self.merge == Merge::Values {
                self.keys
            } else {
                0
            }
        ];
        let mut sum = 0i64;
        for (part, at) in parts.into_iter().zip(&self.positions) {
            let value = match part? {
                Reply::Value(v) => crate::protocol::errors::top_level(v)?,
                _ => return Err(odd()),
            };
            match (self.merge, value) {
                (Merge::Values, Value::Array(got)) if got.len() == at.len() => {
                    for (&i, v) in at.iter().zip(got) {
                        values[i] = v;
                    }
                }
                (Merge::Sum, Value::Int(n)) => sum = sum.wrapping_add(n),
                (Merge::AllOk, Value::Okay | Value::SimpleString(_)) => {}
                _ => return Err(odd()),
            }
        }
        Ok(Reply::Value(match self.merge {
            Merge::Values => Value::Array(values),
            Merge::Sum => Value::Int(sum),
            Merge::AllOk => Value::Okay,
        }))
    }
}

fn odd() -> Failure {
    Failure::new(
        Status::Request,
        "a node's reply to a part of a multi-key command was not of its kind",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> (Cmd, Name) {
        let mut c = redis::cmd(parts[0]);
        for p in &parts[1..] {
            c.arg(*p);
        }
        (c, Name::of(parts[0]))
    }

    fn ok(v: Value) -> Result<Reply, Failure> {
        Ok(Reply::Value(v))
    }

    #[test]
    fn mget_splits_by_slot_and_puts_values_back_in_key_order() {
        let (c, n) = cmd(&["MGET", "a", "b", "{a}x", "c"]);
        let s = split(&c, &n).expect("a split");
        assert_eq!(s.batch.cmds.len(), 3, "slots of a, b and c");
        assert_eq!(args(&s.batch.cmds[0]), [&b"MGET"[..], b"a", b"{a}x"]);
        let bulk = |t: &str| Value::BulkString(t.as_bytes().to_vec());
        let parts = vec![
            ok(Value::Array(vec![bulk("A"), bulk("X")])),
            ok(Value::Array(vec![Value::Nil])),
            ok(Value::Array(vec![bulk("C")])),
        ];
        let got = s.merge(parts).expect("merged");
        let want = Value::Array(vec![bulk("A"), Value::Nil, bulk("X"), bulk("C")]);
        assert!(matches!(got, Reply::Value(v) if v == want));
    }

    #[test]
    fn counts_are_summed_and_mset_is_ok_once_every_part_is() {
        let (c, n) = cmd(&["DEL", "a", "b"]);
        let s = split(&c, &n).expect("a split");
        let got = s
            .merge(vec![ok(Value::Int(1)), ok(Value::Int(0))])
            .expect("merged");
        assert!(matches!(got, Reply::Value(Value::Int(1))));
        let (c, n) = cmd(&["MSET", "a", "1", "b", "2"]);
        let s = split(&c, &n).expect("a split");
        assert_eq!(args(&s.batch.cmds[1]), [&b"MSET"[..], b"b", b"2"]);
        let err = redis::parse_redis_value(b"-ERR boom\r\n").expect("an error");
        assert!(s.merge(vec![ok(Value::Okay), ok(err)]).is_err());
    }

    #[test]
    fn json_mget_sends_its_path_with_every_part_and_json_mset_splits_triples() {
        let (c, n) = cmd(&["JSON.MGET", "a", "b", "{a}x", "$.f"]);
        let s = split(&c, &n).expect("a split");
        assert_eq!(s.batch.cmds.len(), 2);
        assert_eq!(
            args(&s.batch.cmds[0]),
            [&b"JSON.MGET"[..], b"a", b"{a}x", b"$.f"]
        );
        assert_eq!(args(&s.batch.cmds[1]), [&b"JSON.MGET"[..], b"b", b"$.f"]);
        let bulk = |t: &str| Value::BulkString(t.as_bytes().to_vec());
        let parts = vec![
            ok(Value::Array(vec![bulk("[1]"), Value::Nil])),
            ok(Value::Array(vec![bulk("[2]")])),
        ];
        let want = Value::Array(vec![bulk("[1]"), bulk("[2]"), Value::Nil]);
        assert!(matches!(s.merge(parts).expect("merged"), Reply::Value(v) if v == want));
        let (c, n) = cmd(&["JSON.MSET", "a", "$", "1", "b", "$", "2"]);
        let s = split(&c, &n).expect("a split");
        assert_eq!(
            args(&s.batch.cmds[1]),
            [&b"JSON.MSET"[..], b"b", b"$", b"2"]
        );
        let (c, n) = cmd(&["JSON.MGET", "a", "b"]);
        assert!(split(&c, &n).is_none(), "one key and its path: one slot");
    }

    #[test]
    fn one_slot_or_other_commands_are_not_split() {
        for parts in [
            &["MGET", "{a}1", "{a}2"][..],
            &["GET", "a"],
            &["MSET", "a"],
            &["DEL"],
        ] {
            let (c, n) = cmd(parts);
            assert!(split(&c, &n).is_none(), "{parts:?}");
        }
    }
}
