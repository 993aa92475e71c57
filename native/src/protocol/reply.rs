//! Encodes replies and errors into the completion record format of `native/ABI.md`.

use crate::protocol::errors::{Failure, Status};
use redis::Value;

/// Value tags of the wire format.
pub mod tag {
    pub const NIL: u8 = 0;
    pub const INT: u8 = 1;
    pub const DOUBLE: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const BULK: u8 = 4;
    pub const SIMPLE: u8 = 5;
    pub const VERBATIM: u8 = 6;
    pub const BIG_NUMBER: u8 = 7;
    pub const ARRAY: u8 = 8;
    pub const MAP: u8 = 9;
    pub const SET: u8 = 10;
    pub const PUSH: u8 = 11;
    pub const ERROR: u8 = 12;
    pub const OKAY: u8 = 13;
    pub const NODE_REPLIES: u8 = 14;
    /// Before a value read over a connection that does not track keys for a server-assisted
    /// client-side cache (the cluster link): JS does not cache it.
    pub const UNTRACKED: u8 = 15;
}

/// How a successful reply is to be encoded.
pub enum Reply {
    /// A reply as the server sent it.
    Value(Value),
    /// A map of node address to reply, from a command sent to several cluster nodes.
    PerNode(Value),
    /// A cluster pipeline's results, in the caller's order; a failure is encoded as an error
    /// value in its place.
    Batch(Vec<Result<Reply, Failure>>),
    /// A reply read where no invalidation would follow (see [`tag::UNTRACKED`]).
    Untracked(Value),
}

impl Reply {
    /// This reply, marked as read over a connection without key tracking.
    pub fn untracked(self) -> Reply {
        match self {
            Reply::Value(v) => Reply::Untracked(v),
            other => other,
        }
    }
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u32(out, b.len());
    out.extend_from_slice(b);
}

/// Appends one value.
pub fn encode_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Nil => out.push(tag::NIL),
        Value::Int(i) => {
            out.push(tag::INT);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Value::Double(d) => {
            out.push(tag::DOUBLE);
            out.extend_from_slice(&d.to_le_bytes());
        }
        Value::Boolean(b) => {
            out.push(tag::BOOL);
            out.push(*b as u8);
        }
        Value::BulkString(b) => {
            out.push(tag::BULK);
            put_bytes(out, b);
        }
        Value::SimpleString(s) => {
            out.push(tag::SIMPLE);
            put_bytes(out, s.as_bytes());
        }
        Value::Okay => out.push(tag::OKAY),
        Value::VerbatimString { format, text } => {
            out.push(tag::VERBATIM);
            put_bytes(out, format.to_string().as_bytes());
            put_bytes(out, text.as_bytes());
        }
        Value::BigNumber(digits) => {
            out.push(tag::BIG_NUMBER);
            put_bytes(out, digits);
        }
        Value::Array(items) => encode_list(out, tag::ARRAY, items),
        Value::Set(items) => encode_list(out, tag::SET, items),
        Value::Map(pairs) => {
            out.push(tag::MAP);
            put_u32(out, pairs.len());
            for (k, v) in pairs {
                encode_value(out, k);
                encode_value(out, v);
            }
        }
        Value::Attribute { data, .. } => encode_value(out, data),
        Value::Push { kind, data } => {
            out.push(tag::PUSH);
            put_bytes(out, kind.to_string().as_bytes());
            put_u32(out, data.len());
            for v in data {
                encode_value(out, v);
            }
        }
        Value::ServerError(err) => {
            out.push(tag::ERROR);
            put_bytes(
                out,
                crate::protocol::errors::server_error_text(err).as_bytes(),
            );
        }
        // `Value` is non-exhaustive: a future variant is passed on as its debug text.
        other => {
            out.push(tag::SIMPLE);
            put_bytes(out, format!("{other:?}").as_bytes());
        }
    }
}

fn encode_list(out: &mut Vec<u8>, t: u8, items: &[Value]) {
    out.push(t);
    put_u32(out, items.len());
    for v in items {
        encode_value(out, v);
    }
}

/// Appends the per-node map of a multi-node command (tag 14).
fn encode_per_node(out: &mut Vec<u8>, value: &Value) {
    let Value::Map(pairs) = value else {
        return encode_value(out, value);
    };
    out.push(tag::NODE_REPLIES);
    put_u32(out, pairs.len());
    for (address, reply) in pairs {
        match address {
            Value::BulkString(b) => put_bytes(out, b),
            Value::SimpleString(s) => put_bytes(out, s.as_bytes()),
            other => put_bytes(out, format!("{other:?}").as_bytes()),
        }
        encode_value(out, reply);
    }
}

fn encode_reply(out: &mut Vec<u8>, reply: &Reply) {
    match reply {
        Reply::Value(v) => encode_value(out, v),
        Reply::PerNode(v) => encode_per_node(out, v),
        Reply::Untracked(v) => {
            out.push(tag::UNTRACKED);
            encode_value(out, v);
        }
        Reply::Batch(items) => {
            out.push(tag::ARRAY);
            put_u32(out, items.len());
            for item in items {
                match item {
                    Ok(r) => encode_reply(out, r),
                    Err(f) => {
                        out.push(tag::ERROR);
                        put_bytes(out, f.message.as_bytes());
                    }
                }
            }
        }
    }
}

/// Appends a pub/sub message record: body length, request id 0, status 0, the client's handle,
/// and the push (tag 11: kind, then its values).
pub fn encode_push_record(out: &mut Vec<u8>, handle: u32, push: &redis::PushInfo) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(Status::Ok as u8);
    out.extend_from_slice(&handle.to_le_bytes());
    out.push(tag::PUSH);
    put_bytes(out, push.kind.to_string().as_bytes());
    put_u32(out, push.data.len());
    for v in &push.data {
        encode_value(out, v);
    }
    let body = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&body.to_le_bytes());
}

/// Appends one whole completion record: body length, request id, status, value or error.
pub fn encode_completion(out: &mut Vec<u8>, id: u32, outcome: &Result<Reply, Failure>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&id.to_le_bytes());
    match outcome {
        Ok(reply) => {
            out.push(Status::Ok as u8);
            encode_reply(out, reply);
        }
        Err(f) => {
            out.push(f.status as u8);
            put_bytes(out, f.message.as_bytes());
        }
    }
    let body = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&body.to_le_bytes());
}

/// Takes the bytes of a successful reply that is one bulk string of at least `min` bytes (a GET
/// of a big value), leaving an empty one: the completion queue keeps them as they are and copies
/// them straight into JS's buffer after the record's head ([`encode_bulk_completion_head`]),
/// instead of copying them into its own buffer first.
pub fn take_big_bulk(outcome: &mut Result<Reply, Failure>, min: usize) -> Option<Vec<u8>> {
    match outcome {
        Ok(Reply::Value(Value::BulkString(b))) if b.len() >= min => Some(std::mem::take(b)),
        _ => None,
    }
}

/// Appends what [`encode_completion`] writes for a successful reply that is a bulk string of
/// `len` bytes, except the bytes themselves, which are to follow it.
pub fn encode_bulk_completion_head(out: &mut Vec<u8>, id: u32, len: usize) {
    // id, status, tag, length, then the bytes.
    put_u32(out, 4 + 1 + 1 + 4 + len);
    out.extend_from_slice(&id.to_le_bytes());
    out.push(Status::Ok as u8);
    out.push(tag::BULK);
    put_u32(out, len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_bulk_completion_is_its_head_then_its_bytes() {
        let bytes: Vec<u8> = (0..70_000u32).map(|i| i as u8).collect();
        let mut whole = Vec::new();
        encode_completion(
            &mut whole,
            7,
            &Ok(Reply::Value(Value::BulkString(bytes.clone()))),
        );
        let mut outcome = Ok(Reply::Value(Value::BulkString(bytes.clone())));
        assert_eq!(take_big_bulk(&mut outcome, 100_000), None);
        let taken = take_big_bulk(&mut outcome, 65_536).expect("big enough");
        assert_eq!(taken, bytes);
        let mut split = Vec::new();
        encode_bulk_completion_head(&mut split, 7, taken.len());
        split.extend_from_slice(&taken);
        assert_eq!(split, whole);
        let mut small = Ok(Reply::Untracked(Value::BulkString(bytes)));
        assert_eq!(take_big_bulk(&mut small, 1), None, "only a plain reply");
    }

    fn encoded(v: Value) -> Vec<u8> {
        let mut out = Vec::new();
        encode_value(&mut out, &v);
        out
    }

    #[test]
    fn scalars() {
        assert_eq!(encoded(Value::Nil), vec![tag::NIL]);
        assert_eq!(encoded(Value::Okay), vec![tag::OKAY]);
        let mut int = vec![tag::INT];
        int.extend_from_slice(&(-5i64).to_le_bytes());
        assert_eq!(encoded(Value::Int(-5)), int);
        let mut dbl = vec![tag::DOUBLE];
        dbl.extend_from_slice(&f64::INFINITY.to_le_bytes());
        assert_eq!(encoded(Value::Double(f64::INFINITY)), dbl);
        assert_eq!(encoded(Value::Boolean(true)), vec![tag::BOOL, 1]);
        assert_eq!(
            encoded(Value::BulkString(vec![0, 255])),
            vec![tag::BULK, 2, 0, 0, 0, 0, 255]
        );
        assert_eq!(
            encoded(Value::SimpleString("OK!".into())),
            vec![tag::SIMPLE, 3, 0, 0, 0, b'O', b'K', b'!']
        );
        assert_eq!(
            encoded(Value::BigNumber(b"12".to_vec())),
            vec![tag::BIG_NUMBER, 2, 0, 0, 0, b'1', b'2']
        );
    }

    #[test]
    fn aggregates() {
        let v = Value::Array(vec![Value::Int(1), Value::Set(vec![Value::Nil])]);
        let mut want = vec![tag::ARRAY, 2, 0, 0, 0, tag::INT];
        want.extend_from_slice(&1i64.to_le_bytes());
        want.extend_from_slice(&[tag::SET, 1, 0, 0, 0, tag::NIL]);
        assert_eq!(encoded(v), want);
        let m = Value::Map(vec![(Value::Boolean(false), Value::Nil)]);
        assert_eq!(
            encoded(m),
            vec![tag::MAP, 1, 0, 0, 0, tag::BOOL, 0, tag::NIL]
        );
        let attr = Value::Attribute {
            data: Box::new(Value::Nil),
            attributes: vec![],
        };
        assert_eq!(encoded(attr), vec![tag::NIL]);
    }

    #[test]
    fn completion_records() {
        let mut out = Vec::new();
        encode_completion(&mut out, 7, &Ok(Reply::Value(Value::Nil)));
        assert_eq!(out, vec![6, 0, 0, 0, 7, 0, 0, 0, 0, tag::NIL]);
        out.clear();
        encode_completion(&mut out, 1, &Err(Failure::new(Status::Timeout, "t")));
        assert_eq!(out, vec![10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 0, 0, 0, b't']);
    }

    #[test]
    fn per_node_replies() {
        let v = Value::Map(vec![(Value::BulkString(b"h:1".to_vec()), Value::Okay)]);
        let mut out = Vec::new();
        encode_per_node(&mut out, &v);
        assert_eq!(
            out,
            vec![
                tag::NODE_REPLIES,
                1,
                0,
                0,
                0,
                3,
                0,
                0,
                0,
                b'h',
                b':',
                b'1',
                tag::OKAY
            ]
        );
    }
}
