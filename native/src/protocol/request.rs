//! Parses the request records that the TypeScript side writes (`native/ABI.md`).

use crate::protocol::errors::Failure;
use redis::Cmd;
use std::time::Duration;

/// Where a cluster command goes (route byte of the record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// By the command's keys (or the command's default).
    Default,
    AllNodes,
    AllPrimaries,
    Random,
    SlotKey {
        key: Vec<u8>,
        replica: bool,
    },
    SlotId {
        slot: u16,
        replica: bool,
    },
    Address {
        host: String,
        port: u16,
    },
}

/// A request's timeout as the record gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// The client's request timeout.
    Default,
    /// No timeout at all.
    Never,
    /// This many milliseconds.
    Millis(u32),
}

impl Timeout {
    /// The effective duration, given the client's default.
    pub fn resolve(self, default: Option<Duration>) -> Option<Duration> {
        match self {
            Timeout::Default => default,
            Timeout::Never => None,
            Timeout::Millis(ms) => Some(Duration::from_millis(ms as u64)),
        }
    }
}

/// One parsed request.
pub struct Request {
    pub id: u32,
    pub timeout: Timeout,
    pub route: Route,
    pub cmd: Cmd,
    /// The command's name in upper case, with its subcommand for container commands
    /// ("CONFIG SET"), used for cluster routing facts.
    pub name: Name,
    /// Set for a batch (kinds 1 and 2); `cmd` is then empty.
    pub batch: Option<Box<Batch>>,
    /// Kind 3: asks for the client's pub/sub state; `cmd` is then empty.
    pub subscriptions: bool,
    /// Kind 4: changes the client's password; `cmd` is then empty.
    pub password: Option<PasswordUpdate>,
}

/// A password change (`updateConnectionPassword`).
pub struct PasswordUpdate {
    /// The new password; `None` removes it.
    pub password: Option<String>,
    /// Re-authenticate the live connections now.
    pub immediate: bool,
}

/// The commands of a batch request, in order.
pub struct Batch {
    /// MULTI/EXEC (kind 1) rather than a plain pipeline (kind 2).
    pub atomic: bool,
    /// Cluster pipelines: retry commands that failed with a retryable server error (TRYAGAIN).
    pub retry_server_error: bool,
    /// Cluster pipelines: retry commands whose node connection failed.
    pub retry_connection_error: bool,
    /// How many commands `raw` holds.
    pub count: usize,
    /// The commands as the record holds them, until [`Batch::parse`].
    pub raw: Vec<u8>,
    pub cmds: Vec<Cmd>,
    pub names: Vec<Name>,
}

impl Batch {
    /// Turns `raw` into `cmds` and `names`.
    pub fn parse(&mut self) -> Result<(), Failure> {
        if self.raw.is_empty() && self.cmds.len() == self.count {
            return Ok(()); // parsed already
        }
        let raw = std::mem::take(&mut self.raw);
        let mut table = Table::new(&raw, self.count)?;
        // Each command takes at least 4 bytes of the table: do not trust `count` beyond it.
        let cap = self.count.min(raw.len() / 4);
        self.cmds = Vec::with_capacity(cap);
        self.names = Vec::with_capacity(cap);
        for _ in 0..self.count {
            let argc = table.argc()?;
            let room = (
                argc.min(raw.len() / 4),
                table.next_bytes(argc).min(raw.len()),
            );
            let (cmd, name) = build_command(argc, room, || table.arg())?;
            self.cmds.push(cmd);
            self.names.push(name);
        }
        table.finished()
    }

    /// Checks that `raw` holds `count` commands, each with its name, and nothing after them:
    /// what [`Batch::write_resp`] writes as it is, with no parsing into commands.
    pub fn check_framing(&self) -> Result<(), Failure> {
        if self.raw.is_empty() {
            return match self.cmds.len() == self.count {
                true => Ok(()),
                false => Err(malformed("the batch's commands are missing")),
            };
        }
        let mut table = Table::new(&self.raw, self.count)?;
        for _ in 0..self.count {
            for _ in 0..table.argc()? {
                table.arg()?;
            }
        }
        table.finished()
    }

    /// Appends the batch's commands to `out` as the server reads them (RESP arrays of bulk
    /// strings): straight from the record's bytes when the batch was not parsed (after
    /// [`Batch::check_framing`]), from its parsed commands otherwise.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
        if self.raw.is_empty() {
            for cmd in &self.cmds {
                cmd.write_packed_command(out);
            }
            return;
        }
        let Ok(mut table) = Table::new(&self.raw, self.count) else {
            return;
        };
        // RESP spends at most 13 bytes on a command and 15 on an argument besides its bytes;
        // the record 4 on each (the table's entries).
        out.reserve(self.raw.len() + table.entries() * 11);
        let mut numbers = itoa::Buffer::new();
        for _ in 0..self.count {
            let Ok(argc) = table.argc() else { return };
            out.push(b'*');
            out.extend_from_slice(numbers.format(argc).as_bytes());
            out.extend_from_slice(b"\r\n");
            for _ in 0..argc {
                let Ok(arg) = table.arg() else { return };
                out.push(b'$');
                out.extend_from_slice(numbers.format(arg.len()).as_bytes());
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(arg);
                out.extend_from_slice(b"\r\n");
            }
        }
    }
}

/// A batch's commands as the record holds them: the number of arguments in all, a table of
/// each command's argument count followed by its arguments' lengths, then the arguments'
/// bytes back to back (`native/ABI.md`).
struct Table<'a> {
    lens: Reader<'a>,
    data: Reader<'a>,
}

impl<'a> Table<'a> {
    fn new(raw: &'a [u8], count: usize) -> Result<Self, Failure> {
        let mut r = Reader::new(raw);
        let args = r.u32()? as usize;
        let entries = count
            .checked_add(args)
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| malformed("length"))?;
        let lens = r.take(entries)?;
        Ok(Table {
            lens: Reader::new(lens),
            data: Reader::new(&raw[r.pos..]),
        })
    }

    /// How many entries the table has (commands and arguments).
    fn entries(&self) -> usize {
        self.lens.buf.len() / 4
    }

    /// The next command's argument count (at least its name).
    fn argc(&mut self) -> Result<usize, Failure> {
        match self.lens.u32()? {
            0 => Err(Failure::config("a command needs at least its name")),
            n => Ok(n as usize),
        }
    }

    /// The next argument's bytes.
    fn arg(&mut self) -> Result<&'a [u8], Failure> {
        let len = self.lens.u32()? as usize;
        self.data.take(len)
    }

    /// How many bytes the next `argc` arguments take, as far as the table says (a size hint).
    fn next_bytes(&self, argc: usize) -> usize {
        let lens = &self.lens.buf[self.lens.pos..];
        lens.chunks_exact(4)
            .take(argc)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .fold(0usize, usize::saturating_add)
    }

    /// Whether the table and the bytes were used up exactly.
    fn finished(&self) -> Result<(), Failure> {
        match self.lens.is_empty() && self.data.is_empty() {
            true => Ok(()),
            false => Err(malformed("bytes left after the batch's commands")),
        }
    }
}

/// A command's name, kept inline so that parsing a request allocates nothing for it. Longer
/// names are cut at the capacity: no routing fact is about a name that long.
#[derive(Clone, Copy)]
pub struct Name {
    len: u8,
    buf: [u8; Name::CAPACITY],
}

impl Name {
    const CAPACITY: usize = 40;

    fn new() -> Self {
        Name {
            len: 0,
            buf: [0; Name::CAPACITY],
        }
    }

    fn push_upper(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let at = self.len as usize;
            if at == Name::CAPACITY {
                return;
            }
            self.buf[at] = b.to_ascii_uppercase();
            self.len += 1;
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }

    /// The name `text` (for tests).
    #[cfg(test)]
    pub fn of(text: &str) -> Name {
        let mut n = Name::new();
        n.push_upper(text.as_bytes());
        n
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A cursor over a request buffer.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn malformed(what: &str) -> Failure {
    Failure::config(format!("malformed request: {what}"))
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn u8(&mut self) -> Result<u8, Failure> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| malformed("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, Failure> {
        let end = self.pos + 4;
        let b = self
            .buf
            .get(self.pos..end)
            .ok_or_else(|| malformed("truncated"))?;
        self.pos = end;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn bytes(&mut self) -> Result<&'a [u8], Failure> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Result<&'a [u8], Failure> {
        let end = self
            .pos
            .checked_add(len)
            .ok_or_else(|| malformed("length"))?;
        let b = self
            .buf
            .get(self.pos..end)
            .ok_or_else(|| malformed("argument runs past the buffer"))?;
        self.pos = end;
        Ok(b)
    }

    fn route(&mut self) -> Result<Route, Failure> {
        Ok(match self.u8()? {
            0 => Route::Default,
            1 => Route::AllNodes,
            2 => Route::AllPrimaries,
            3 => Route::Random,
            t @ (4 | 5) => Route::SlotKey {
                key: self.bytes()?.to_vec(),
                replica: t == 5,
            },
            t @ (6 | 7) => {
                let slot = self.u32()?;
                if slot > 16383 {
                    return Err(Failure::config(format!("slot {slot} is out of range")));
                }
                Route::SlotId {
                    slot: slot as u16,
                    replica: t == 7,
                }
            }
            8 => {
                let host = String::from_utf8_lossy(self.bytes()?).into_owned();
                let port = self.u32()?;
                let port = u16::try_from(port)
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| Failure::config(format!("invalid port {port}")))?;
                Route::Address { host, port }
            }
            other => return Err(malformed(&format!("unknown route {other}"))),
        })
    }

    /// Reads the request id first, so that a malformed rest can still be answered.
    pub fn id(&mut self) -> Result<u32, Failure> {
        self.u32()
    }

    /// Reads the rest of a request after its id.
    pub fn rest(&mut self, id: u32) -> Result<Request, Failure> {
        let timeout = match self.u32()? {
            0 => Timeout::Default,
            u32::MAX => Timeout::Never,
            ms => Timeout::Millis(ms),
        };
        let kind = self.u8()?;
        let route = self.route()?;
        match kind {
            0 => {
                let (cmd, name) = self.command()?;
                let timeout = match timeout {
                    Timeout::Default => blocking_timeout(&name, &cmd).unwrap_or(Timeout::Default),
                    explicit => explicit,
                };
                Ok(Request {
                    id,
                    timeout,
                    route,
                    cmd,
                    name,
                    batch: None,
                    subscriptions: false,
                    password: None,
                })
            }
            1 | 2 => {
                let flags = self.u8()?;
                let count = self.u32()? as usize;
                if count == 0 {
                    return Err(Failure::config("a batch needs at least one command"));
                }
                // The commands are copied as they are and parsed by whoever runs the batch
                // (the I/O thread, for the async client), not on the caller's thread.
                let raw = self.bytes()?.to_vec();
                Ok(Request {
                    id,
                    timeout,
                    route,
                    cmd: Cmd::new(),
                    name: Name::new(),
                    batch: Some(Box::new(Batch {
                        atomic: kind == 1,
                        retry_server_error: flags & 1 != 0,
                        retry_connection_error: flags & 2 != 0,
                        count,
                        raw,
                        cmds: Vec::new(),
                        names: Vec::new(),
                    })),
                    subscriptions: false,
                    password: None,
                })
            }
            3 => Ok(Request {
                id,
                timeout,
                route,
                cmd: Cmd::new(),
                name: Name::new(),
                batch: None,
                subscriptions: true,
                password: None,
            }),
            4 => {
                let immediate = self.u8()? != 0;
                let password = match self.u32()? {
                    0 => None,
                    1 => Some(
                        String::from_utf8(self.bytes()?.to_vec())
                            .map_err(|_| Failure::config("the password must be UTF-8"))?,
                    ),
                    _ => return Err(malformed("a password update has at most one argument")),
                };
                Ok(Request {
                    id,
                    timeout,
                    route,
                    cmd: Cmd::new(),
                    name: Name::new(),
                    batch: None,
                    subscriptions: false,
                    password: Some(PasswordUpdate {
                        password,
                        immediate,
                    }),
                })
            }
            other => Err(malformed(&format!("unknown request kind {other}"))),
        }
    }

    /// Reads one command: its argument count and arguments.
    fn command(&mut self) -> Result<(Cmd, Name), Failure> {
        let argc = self.u32()? as usize;
        if argc == 0 {
            return Err(Failure::config("a command needs at least its name"));
        }
        // Size the command once: a first pass over the argument lengths.
        let mut data = 0usize;
        let mut at = self.pos;
        for _ in 0..argc {
            let Some(len) = self.buf.get(at..at + 4) else {
                break;
            };
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            data = data.saturating_add(len);
            at = at.saturating_add(4 + len);
        }
        // Do not trust the sizes beyond the buffer.
        let room = (argc.min(self.buf.len() / 4), data.min(self.buf.len()));
        build_command(argc, room, || self.bytes())
    }

    /// Skips to the end (after an error the rest of the buffer cannot be trusted).
    pub fn abandon(&mut self) {
        self.pos = self.buf.len();
    }
}

/// Builds a command from its `argc` arguments (`argc` > 0), which `next` gives in order; `room`
/// (arguments, bytes) sizes it.
fn build_command<'a>(
    argc: usize,
    room: (usize, usize),
    mut next: impl FnMut() -> Result<&'a [u8], Failure>,
) -> Result<(Cmd, Name), Failure> {
    let mut cmd = Cmd::with_capacity(room.0, room.1);
    let mut name = Name::new();
    for i in 0..argc {
        let arg = next()?;
        if i == 0 {
            name.push_upper(arg);
        } else if i == 1 && is_container(&name) {
            name.push_upper(b" ");
            name.push_upper(arg);
        }
        cmd.arg(arg);
    }
    Ok((cmd, name))
}

/// How long past its own timeout a blocking command may take before the core gives up on it.
const BLOCKING_EXTENSION_MS: u64 = 500;

/// The timeout of a blocking command sent without an explicit one (as GLIDE does): its own
/// blocking time plus [`BLOCKING_EXTENSION_MS`], or none when it blocks forever (0). The
/// client's request timeout would otherwise cut it short, and its late reply would still hold
/// up the requests behind it on the connection. `None`: not a blocking command (or its timeout
/// is unreadable, which the server reports).
fn blocking_timeout(name: &str, cmd: &Cmd) -> Option<Timeout> {
    let arg = |i: usize| match cmd.args_iter().nth(i) {
        Some(redis::Arg::Simple(b)) => std::str::from_utf8(b).ok(),
        _ => None,
    };
    let argc = cmd.args_iter().len();
    let (value, in_seconds) = match name {
        "BLPOP" | "BRPOP" | "BZPOPMAX" | "BZPOPMIN" => (arg(argc.checked_sub(1)?)?, true),
        "BLMPOP" | "BZMPOP" => (arg(1)?, true),
        "BLMOVE" => (arg(5)?, true),
        "BRPOPLPUSH" => (arg(3)?, true),
        "WAIT" => (arg(2)?, false),
        "WAITAOF" => (arg(3)?, false),
        "XREAD" | "XREADGROUP" => {
            let at =
                (1..argc).find(|&i| arg(i).is_some_and(|a| a.eq_ignore_ascii_case("BLOCK")))?;
            (arg(at + 1)?, false)
        }
        _ => return None,
    };
    let value: f64 = value.trim().parse().ok()?;
    if value.is_nan() || value < 0.0 || !value.is_finite() {
        return None;
    }
    if value == 0.0 {
        return Some(Timeout::Never);
    }
    let ms = if in_seconds { value * 1000.0 } else { value }.ceil() as u64;
    let ms = ms
        .saturating_add(BLOCKING_EXTENSION_MS)
        .min(u32::MAX as u64 - 1);
    Some(Timeout::Millis(ms as u32))
}

/// Commands whose first argument is a subcommand that decides routing.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "ACL"
            | "CLIENT"
            | "CLUSTER"
            | "COMMAND"
            | "CONFIG"
            | "FUNCTION"
            | "LATENCY"
            | "MEMORY"
            | "MODULE"
            | "OBJECT"
            | "PUBSUB"
            | "SCRIPT"
            | "SLOWLOG"
            | "XGROUP"
            | "XINFO"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u32, timeout: u32, route: &[u8], args: &[&[u8]]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&id.to_le_bytes());
        b.extend_from_slice(&timeout.to_le_bytes());
        b.push(0);
        b.extend_from_slice(route);
        b.extend_from_slice(&(args.len() as u32).to_le_bytes());
        for a in args {
            b.extend_from_slice(&(a.len() as u32).to_le_bytes());
            b.extend_from_slice(a);
        }
        b
    }

    #[test]
    fn parses_back_to_back_records() {
        let mut buf = record(1, 0, &[0], &[b"GET", b"k"]);
        buf.extend(record(2, u32::MAX, &[2], &[b"config", b"set", b"a", b"b"]));
        let mut r = Reader::new(&buf);
        let id = r.id().unwrap();
        let a = r.rest(id).unwrap();
        assert_eq!(
            (a.id, a.timeout, a.route, a.name.as_str()),
            (1, Timeout::Default, Route::Default, "GET")
        );
        let id = r.id().unwrap();
        let b = r.rest(id).unwrap();
        assert_eq!(
            (b.id, b.timeout, b.route),
            (2, Timeout::Never, Route::AllPrimaries)
        );
        assert_eq!(b.name, "CONFIG SET");
        assert!(r.is_empty());
    }

    #[test]
    fn long_and_odd_names_are_cut_not_a_panic() {
        let long = vec![b'x'; 100];
        let buf = record(1, 0, &[0], &[&long, b"a"]);
        let name = Reader::new(&buf).rest_after_id().name;
        assert_eq!(name.len(), 40);
        assert_eq!(name, "X".repeat(40).as_str());
        let buf = record(1, 0, &[0], &[b"client", &[0xff, 0xfe]]);
        assert_eq!(Reader::new(&buf).rest_after_id().name, "");
        let buf = record(1, 0, &[0], &[b"Client", b"setName", b"n"]);
        assert_eq!(Reader::new(&buf).rest_after_id().name, "CLIENT SETNAME");
    }

    #[test]
    fn blocking_commands_get_their_own_timeout() {
        let parse = |timeout: u32, args: &[&[u8]]| {
            let buf = record(1, timeout, &[0], args);
            Reader::new(&buf).rest_after_id().timeout
        };
        assert_eq!(
            parse(0, &[b"BLPOP", b"a", b"b", b"1.5"]),
            Timeout::Millis(2000)
        );
        assert_eq!(parse(0, &[b"brpop", b"a", b"0"]), Timeout::Never);
        assert_eq!(
            parse(0, &[b"BLMPOP", b"2", b"2", b"a", b"b", b"LEFT"]),
            Timeout::Millis(2500)
        );
        assert_eq!(
            parse(0, &[b"BLMOVE", b"a", b"b", b"LEFT", b"RIGHT", b"0.01"]),
            Timeout::Millis(510)
        );
        assert_eq!(
            parse(0, &[b"BRPOPLPUSH", b"a", b"b", b"3"]),
            Timeout::Millis(3500)
        );
        assert_eq!(parse(0, &[b"WAIT", b"1", b"100"]), Timeout::Millis(600));
        assert_eq!(parse(0, &[b"WAITAOF", b"1", b"0", b"0"]), Timeout::Never);
        assert_eq!(
            parse(
                0,
                &[b"XREAD", b"COUNT", b"1", b"block", b"20", b"STREAMS", b"s", b"$"]
            ),
            Timeout::Millis(520)
        );
        assert_eq!(
            parse(0, &[b"XREAD", b"STREAMS", b"s", b"0"]),
            Timeout::Default
        );
        // An explicit timeout wins; unreadable timeouts are left to the server.
        assert_eq!(parse(40, &[b"BLPOP", b"a", b"0"]), Timeout::Millis(40));
        assert_eq!(parse(0, &[b"BLPOP", b"a", b"-1"]), Timeout::Default);
        assert_eq!(parse(0, &[b"BLPOP", b"a", b"x"]), Timeout::Default);
        assert_eq!(parse(0, &[b"BLPOP"]), Timeout::Default);
        assert_eq!(parse(0, &[b"GET", b"a"]), Timeout::Default);
    }

    fn batch_of(commands: &[&[&[u8]]]) -> Batch {
        let args: usize = commands.iter().map(|c| c.len()).sum();
        let mut raw = (args as u32).to_le_bytes().to_vec();
        for args in commands {
            raw.extend_from_slice(&(args.len() as u32).to_le_bytes());
            for a in *args {
                raw.extend_from_slice(&(a.len() as u32).to_le_bytes());
            }
        }
        for a in commands.iter().flat_map(|c| c.iter()) {
            raw.extend_from_slice(a);
        }
        Batch {
            atomic: false,
            retry_server_error: false,
            retry_connection_error: false,
            count: commands.len(),
            raw,
            cmds: Vec::new(),
            names: Vec::new(),
        }
    }

    #[test]
    fn a_batch_is_written_from_its_record_as_its_parsed_commands_are() {
        let long = vec![b'v'; 1000];
        let commands: &[&[&[u8]]] = &[&[b"SET", b"k", &long], &[b"PING"], &[b"GET", b""]];
        let mut batch = batch_of(commands);
        batch.check_framing().unwrap();
        let mut direct = Vec::new();
        batch.write_resp(&mut direct);
        batch.parse().unwrap();
        let mut parsed = Vec::new();
        batch.write_resp(&mut parsed);
        let mut expected = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1000\r\n".to_vec();
        expected.extend_from_slice(&long);
        expected.extend_from_slice(b"\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
        assert_eq!(direct, expected);
        assert_eq!(parsed, expected);
        batch.check_framing().unwrap();
    }

    #[test]
    fn a_batch_with_bad_framing_is_refused_before_anything_is_written() {
        let good = batch_of(&[&[b"SET", b"k", b"v"], &[b"PING"]]);
        for cut in 0..good.raw.len() {
            let mut bad = batch_of(&[&[b"SET", b"k", b"v"], &[b"PING"]]);
            bad.raw.truncate(cut);
            assert!(bad.check_framing().is_err(), "cut at {cut}");
        }
        let mut extra = batch_of(&[&[b"PING"]]);
        extra.raw.push(0);
        assert!(extra.check_framing().is_err());
        let mut fewer = batch_of(&[&[b"PING"]]);
        fewer.count = 2;
        assert!(fewer.check_framing().is_err());
        let no_name = batch_of(&[&[]]);
        assert!(no_name.check_framing().is_err());
    }

    #[test]
    fn routes() {
        let mut key_route = vec![5, 1, 0, 0, 0, b'k'];
        let buf = record(3, 10, &key_route, &[b"PING"]);
        let req = Reader::new(&buf).rest_after_id();
        assert_eq!(
            req.route,
            Route::SlotKey {
                key: b"k".to_vec(),
                replica: true
            }
        );
        assert_eq!(req.timeout, Timeout::Millis(10));
        key_route = vec![8, 1, 0, 0, 0, b'h', 0x1a, 0x1b, 0, 0];
        let buf = record(3, 0, &key_route, &[b"PING"]);
        assert_eq!(
            Reader::new(&buf).rest_after_id().route,
            Route::Address {
                host: "h".into(),
                port: 0x1b1a
            }
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let good = record(1, 0, &[0], &[b"GET", b"key"]);
        for cut in 0..good.len() {
            let mut r = Reader::new(&good[..cut]);
            let res = r.id().and_then(|id| r.rest(id));
            assert!(res.is_err(), "cut at {cut}");
        }
        let mut bad_len = record(1, 0, &[0], &[b"GET"]);
        let n = bad_len.len();
        bad_len[n - 7..n - 3].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut r = Reader::new(&bad_len);
        assert!(r.id().and_then(|id| r.rest(id)).is_err());
        let no_args = record(1, 0, &[0], &[]);
        let mut r = Reader::new(&no_args);
        assert!(r.id().and_then(|id| r.rest(id)).is_err());
        let bad_slot = record(1, 0, &[6, 0xff, 0xff, 0, 0], &[b"PING"]);
        let mut r = Reader::new(&bad_slot);
        assert!(r.id().and_then(|id| r.rest(id)).is_err());
    }

    impl<'a> Reader<'a> {
        fn rest_after_id(mut self) -> Request {
            let id = self.id().unwrap();
            self.rest(id).unwrap()
        }
    }
}
