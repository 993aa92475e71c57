//! Holds a server's reply stream to the lengths RESP allows, before the `redis` crate parses it.
//!
//! The crate's parser reads any negative length (`$-5`, `*-3`) as nil, so a broken or hostile
//! server could pass a made-up nil off as a reply. RESP allows `-1` only (RESP2's null bulk
//! string and null array). [`LengthCheck`] follows the frame boundaries of the byte stream (a
//! header line, then a bulk payload skipped by its length) without building any value. A
//! connection's reader (`pipe.rs`) feeds it every byte it reads: a frame with another negative
//! length ends the connection with a protocol error, after the replies before it were delivered.
//!
//! The check is driven by calls ([`LengthCheck::feed`]): no socket, thread or clock in it.

/// Where the stream is, between two calls of [`LengthCheck::feed`].
#[derive(Clone, Copy, Debug, PartialEq)]
enum At {
    /// A frame's type byte.
    Start,
    /// A header line of a frame that has a length (`kind` is its type byte).
    Length {
        kind: u8,
        negative: bool,
        value: u64,
    },
    /// Any other line (simple string, error, number...), up to its `\n`.
    Line,
    /// A bulk payload and its CRLF: this many bytes to go.
    Payload(u64),
}

/// Follows a reply stream's frame boundaries and refuses lengths below -1.
#[derive(Debug)]
pub struct LengthCheck {
    at: At,
}

/// A frame whose length RESP does not allow.
#[derive(Debug, PartialEq)]
pub struct Violation {
    /// How many bytes of the chunk precede that frame (they may be passed on).
    pub valid: usize,
    pub message: String,
}

/// Types whose header is a length followed by that many payload bytes.
fn has_payload(kind: u8) -> bool {
    matches!(kind, b'$' | b'=' | b'!')
}

/// Types whose header is a count of the elements that follow.
fn has_count(kind: u8) -> bool {
    matches!(kind, b'*' | b'%' | b'~' | b'>' | b'|')
}

impl Default for LengthCheck {
    fn default() -> Self {
        LengthCheck { at: At::Start }
    }
}

impl LengthCheck {
    /// Checks `chunk`, the next bytes of the stream.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Violation> {
        let mut i = 0;
        // Where the frame being read began in this chunk (0 if in an earlier one).
        let mut frame = 0;
        while i < chunk.len() {
            match &mut self.at {
                At::Start => {
                    frame = i;
                    let kind = chunk[i];
                    self.at = if has_payload(kind) || has_count(kind) {
                        At::Length {
                            kind,
                            negative: false,
                            value: 0,
                        }
                    } else {
                        At::Line
                    };
                    i += 1;
                }
                At::Line => match chunk[i..].iter().position(|&b| b == b'\n') {
                    Some(n) => {
                        i += n + 1;
                        self.at = At::Start;
                    }
                    None => i = chunk.len(),
                },
                At::Payload(left) => {
                    let n = (*left).min((chunk.len() - i) as u64);
                    *left -= n;
                    i += n as usize;
                    if *left == 0 {
                        self.at = At::Start;
                    }
                }
                At::Length {
                    kind,
                    negative,
                    value,
                } => {
                    let b = chunk[i];
                    i += 1;
                    match b {
                        b'-' if !*negative && *value == 0 => *negative = true,
                        b'0'..=b'9' => {
                            *value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                        }
                        b'\n' => {
                            let (kind, negative, value) = (*kind, *negative, *value);
                            self.at = At::Start;
                            if negative && value != 1 {
                                return Err(Violation {
                                    valid: frame,
                                    message: format!(
                                        "protocol error: the server sent the length -{value} \
                                         (in a '{}' header)",
                                        kind as char
                                    ),
                                });
                            }
                            if has_payload(kind) && !negative {
                                self.at = At::Payload(value.saturating_add(2));
                            }
                        }
                        // '\r', or what the crate's parser will refuse itself ('?', garbage).
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(chunks: &[&[u8]]) -> Result<(), Violation> {
        let mut c = LengthCheck::default();
        chunks.iter().try_for_each(|chunk| c.feed(chunk))
    }

    #[test]
    fn valid_replies_pass_in_any_split() {
        let stream: &[u8] = b"+OK\r\n$-1\r\n*-1\r\n$5\r\n$-5\r\n\r\n*2\r\n:1\r\n$3\r\n*-9\r\n\
            %1\r\n+k\r\n=9\r\ntxt:$-3\r\n\r\n_\r\n-ERR $-5\r\n>2\r\n+a\r\n+b\r\n,1.5\r\n";
        assert_eq!(check(&[stream]), Ok(()));
        for cut in 0..stream.len() {
            let (a, b) = stream.split_at(cut);
            assert_eq!(check(&[a, b]), Ok(()), "split at {cut}");
        }
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(check(&bytes), Ok(()));
    }

    #[test]
    fn other_negative_lengths_are_refused_after_the_replies_before_them() {
        for bad in ["$-5\r\n", "*-3\r\n", "%-2\r\n", "$-10\r\n", "$-0\r\n"] {
            let stream = format!("+OK\r\n$1\r\nx\r\n{bad}");
            let v = check(&[stream.as_bytes()]).expect_err(bad);
            assert_eq!(v.valid, 12, "{bad}");
            assert!(v.message.starts_with("protocol error"), "{}", v.message);
        }
        // A bad header split over two chunks: nothing of the second chunk is valid.
        let v = check(&[b"+OK\r\n$-", b"5\r\n"]).expect_err("split");
        assert_eq!(v.valid, 0);
    }

    #[test]
    fn huge_payloads_are_skipped_without_reading_them() {
        let mut c = LengthCheck::default();
        assert_eq!(c.feed(b"$99999999999\r\nabc"), Ok(()));
        assert_eq!(c.at, At::Payload(99_999_999_999 + 2 - 3));
    }
}
