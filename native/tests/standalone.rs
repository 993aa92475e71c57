//! Drives the C ABI against a real standalone server on loopback. Runs only with
//! `GLIDE_TEST_STANDALONE=127.0.0.1:PORT`; otherwise every test returns at once.

mod common;

use common::*;
use glide_deno::boundary::ffi;
use std::time::{Duration, Instant};

fn key(test: &str, k: &str) -> Vec<u8> {
    format!("glide-deno-test:{}:{test}:{k}", std::process::id()).into_bytes()
}

/// An async client connected to the server under test.
fn connected(f: impl FnOnce(&mut glide_deno::proto::ConnectionRequest)) -> Option<u32> {
    let (host, port) = server()?;
    let (h, create) = async_create(&config(&host, port, f));
    assert_ne!(h, 0, "create failed: {:?}", last_error());
    assert_eq!(completion(create, Duration::from_secs(5)), Some(Ok(V::Nil)));
    Some(h)
}

#[test]
fn async_values_round_trip() {
    let Some(h) = connected(|_| {}) else { return };
    let k = key("values", "s");
    let all = all_bytes();
    assert_eq!(ok(call(h, 0, &[b"SET", &k, &all])), V::Okay);
    assert_eq!(ok(call(h, 0, &[b"GET", &k])), V::Bulk(all));
    assert_eq!(ok(call(h, 0, &[b"SET", &k, b""])), V::Okay);
    assert_eq!(ok(call(h, 0, &[b"GET", &k])), V::Bulk(vec![]));
    assert_eq!(ok(call(h, 0, &[b"GET", &key("values", "missing")])), V::Nil);
    assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
    let n = key("values", "n");
    assert_eq!(ok(call(h, 0, &[b"INCRBY", &n, b"-5"])), V::Int(-5));
    // RESP3 types.
    let z = key("values", "z");
    call(h, 0, &[b"ZADD", &z, b"1.5", b"m"]).unwrap();
    assert_eq!(ok(call(h, 0, &[b"ZSCORE", &z, b"m"])), V::Double(1.5));
    let hk = key("values", "h");
    call(h, 0, &[b"HSET", &hk, b"f", b"v"]).unwrap();
    assert_eq!(
        ok(call(h, 0, &[b"HGETALL", &hk])),
        V::Map(vec![(V::Bulk(b"f".to_vec()), V::Bulk(b"v".to_vec()))])
    );
    let sk = key("values", "set");
    call(h, 0, &[b"SADD", &sk, b"a"]).unwrap();
    assert_eq!(
        ok(call(h, 0, &[b"SMEMBERS", &sk])),
        V::Set(vec![V::Bulk(b"a".to_vec())])
    );
    assert_eq!(
        ok(call(
            h,
            0,
            &[b"EVAL", b"redis.setresp(3); return true", b"0"]
        )),
        V::Bool(true)
    );
    // An error inside an array is a value; at top level it is the request's error.
    assert_eq!(
        ok(call(
            h,
            0,
            &[b"EVAL", b"return {1, redis.error_reply('MY oops')}", b"0"]
        )),
        V::Array(vec![V::Int(1), V::Error("MY oops".into())])
    );
    assert_eq!(
        err(call(h, 0, &[b"INCR", &k])),
        (
            REQUEST_ERROR,
            "ERR value is not an integer or out of range".into()
        )
    );
    assert_eq!(
        err(call(h, 0, &[b"LPUSH", &k, b"x"])),
        (
            REQUEST_ERROR,
            "WRONGTYPE Operation against a key holding the wrong kind of value".into()
        )
    );
    let (status, msg) = err(call(h, 0, &[b"NOSUCHCOMMAND", b"a"]));
    assert_eq!(status, REQUEST_ERROR);
    assert!(msg.starts_with("ERR unknown command"), "{msg}");
    ffi::glide_close(h);
}

#[test]
fn async_transaction_errors() {
    let Some(h) = connected(|_| {}) else { return };
    // MULTI/EXEC through one request each is not ordered on a multiplexed connection, so only
    // the EXECABORT mapping is checked here, through a script error reply.
    let (status, msg) = err(call(
        h,
        0,
        &[b"EVAL", b"return redis.error_reply('EXECABORT x')", b"0"],
    ));
    assert_eq!((status, msg.as_str()), (EXEC_ABORT, "EXECABORT x"));
    ffi::glide_close(h);
}

#[test]
fn async_many_requests_in_one_submit() {
    let Some(h) = connected(|_| {}) else { return };
    let k = key("batch", "counter");
    let mut buf = Vec::new();
    let ids: Vec<u32> = (0..1000).map(|_| id()).collect();
    for &i in &ids {
        record(&mut buf, i, 0, &[b"INCR", &k]);
    }
    submit(h, &buf);
    buf.fill(0xAA); // the core copied what it needs
    let mut seen: Vec<i64> = ids
        .iter()
        .map(|&i| match completion(i, Duration::from_secs(10)) {
            Some(Ok(V::Int(n))) => n,
            other => panic!("{other:?}"),
        })
        .collect();
    seen.sort();
    assert_eq!(seen, (1..=1000).collect::<Vec<i64>>());
    ffi::glide_close(h);
}

#[test]
fn async_big_values() {
    let Some(h) = connected(|_| {}) else { return };
    let k = key("big", "v");
    let big: Vec<u8> = (0..(16 << 20) + 3).map(|i: usize| (i * 7) as u8).collect();
    assert_eq!(ok(call(h, 5000, &[b"SET", &k, &big])), V::Okay);
    assert_eq!(ok(call(h, 5000, &[b"GET", &k])), V::Bulk(big));
    call(h, 5000, &[b"DEL", &k]).unwrap();
    ffi::glide_close(h);
}

#[test]
fn async_request_timeout_then_success() {
    let Some(h) = connected(|r| r.request_timeout_ms = Some(100)) else {
        return;
    };
    let l = key("timeout", "list");
    // An explicit timeout: the reply (at 0.4 s) comes too late.
    let start = Instant::now();
    assert_eq!(err(call(h, 100, &[b"BLPOP", &l, b"0.4"])).0, TIMEOUT);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(90) && took < Duration::from_millis(400),
        "{took:?}"
    );
    // The late reply is not handed to the next request.
    assert_eq!(
        ok(call(h, NO_TIMEOUT, &[b"ECHO", b"next"])),
        V::Bulk(b"next".to_vec())
    );
    // A blocking command without an explicit timeout gets its own blocking time plus 0.5 s,
    // not the client's 100 ms.
    assert_eq!(ok(call(h, 0, &[b"BLPOP", &l, b"0.3"])), V::Nil);
    assert_eq!(
        ok(call(h, NO_TIMEOUT, &[b"PING"])),
        V::Simple("PONG".into())
    );
    ffi::glide_close(h);
}

#[test]
fn async_client_name_database_and_resp2() {
    let Some(h) = connected(|r| {
        r.client_name = Some("glide-deno-test".into());
        r.database_id = 3;
        r.protocol = glide_deno::proto::ProtocolVersion::Resp2 as i32;
    }) else {
        return;
    };
    assert_eq!(
        ok(call(h, 0, &[b"CLIENT", b"GETNAME"])),
        V::Bulk(b"glide-deno-test".to_vec())
    );
    let info = match ok(call(h, 0, &[b"CLIENT", b"INFO"])) {
        V::Bulk(b) => String::from_utf8(b).unwrap(),
        other => panic!("{other:?}"),
    };
    assert!(info.contains(" db=3 "), "{info}");
    assert!(info.contains(" resp=2"), "{info}");
    let hk = key("resp2", "h");
    call(h, 0, &[b"HSET", &hk, b"f", b"v"]).unwrap();
    assert_eq!(
        ok(call(h, 0, &[b"HGETALL", &hk])),
        V::Array(vec![V::Bulk(b"f".to_vec()), V::Bulk(b"v".to_vec())])
    );
    ffi::glide_close(h);
}

#[test]
fn async_client_name_survives_reconnect() {
    let Some(h) = connected(|r| r.client_name = Some("glide-deno-reconnect".into())) else {
        return;
    };
    let id = match ok(call(h, 0, &[b"CLIENT", b"ID"])) {
        V::Int(i) => i,
        other => panic!("{other:?}"),
    };
    // Drop the connection from the server side; the client reconnects.
    let other = connected(|_| {}).unwrap();
    assert_eq!(
        ok(call(
            other,
            0,
            &[b"CLIENT", b"KILL", b"ID", id.to_string().as_bytes()]
        )),
        V::Int(1)
    );
    ffi::glide_close(other);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match call(h, 0, &[b"CLIENT", b"GETNAME"]) {
            Ok(v) => {
                assert_eq!(v, V::Bulk(b"glide-deno-reconnect".to_vec()));
                break;
            }
            Err((status, m)) => {
                assert!(status == CONNECTION || status == TIMEOUT, "{status} {m}");
                assert!(Instant::now() < deadline, "did not reconnect");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    ffi::glide_close(h);
}

#[test]
fn async_lazy_connect() {
    let Some((host, port)) = server() else { return };
    let (h, create) = async_create(&config(&host, port, |r| r.lazy_connect = true));
    assert_ne!(h, 0);
    assert_eq!(completion(create, Duration::ZERO), Some(Ok(V::Nil)));
    assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
    ffi::glide_close(h);
}

#[test]
fn async_connection_refused() {
    if server().is_none() {
        return;
    }
    let port = dead_port();
    let start = Instant::now();
    let (h, create) = async_create(&config("127.0.0.1", port, |r| {
        r.connection_timeout_ms = Some(500)
    }));
    assert_ne!(h, 0);
    let (status, _) = err(completion(create, Duration::from_secs(5)).expect("no completion"));
    assert_eq!(status, CONNECTION);
    assert!(start.elapsed() < Duration::from_millis(1500));
    // Requests fail promptly too.
    let start = Instant::now();
    assert_eq!(err(call(h, 0, &[b"PING"])).0, CONNECTION);
    assert!(start.elapsed() < Duration::from_millis(1500));
    ffi::glide_close(h);
}

#[test]
fn bad_configs_fail_at_create() {
    if server().is_none() {
        return;
    }
    for cfg in [
        config("127.0.0.1", 6379, |r| r.addresses.clear()),
        config("127.0.0.1", 0, |_| {}),
        config("127.0.0.1", 6379, |r| r.addresses[0].port = 70000),
        vec![0xff, 0xff, 0xff],
    ] {
        let (h, _) = async_create(&cfg);
        assert_eq!(h, 0);
        assert_eq!(last_error().0, CONFIGURATION);
        assert_eq!(sync_create(&cfg), 0);
        assert_eq!(last_error().0, CONFIGURATION);
    }
}

#[test]
fn async_close() {
    let Some(h) = connected(|_| {}) else { return };
    let l = key("close", "list");
    let blocked = id();
    let mut buf = Vec::new();
    record(&mut buf, blocked, NO_TIMEOUT, &[b"BLPOP", &l, b"0"]);
    submit(h, &buf);
    std::thread::sleep(Duration::from_millis(50));
    ffi::glide_close(h);
    ffi::glide_close(h); // idempotent
                         // ABI.md: in-flight requests complete with ClosingError.
    let closed = completion(blocked, Duration::from_secs(2));
    assert_eq!(closed.map(|o| err(o).0), Some(CLOSING));
    // Requests after close (the handle is gone) complete with ClosingError at once.
    let late = id();
    buf.clear();
    record(&mut buf, late, 0, &[b"PING"]);
    submit(h, &buf);
    assert_eq!(
        completion(late, Duration::from_secs(1)).map(|o| err(o).0),
        Some(CLOSING)
    );
}

#[test]
fn malformed_submit_does_not_panic() {
    let Some(h) = connected(|_| {}) else { return };
    let i = id();
    let mut buf = Vec::new();
    record(&mut buf, i, 0, &[b"GET", b"k"]);
    let cut = buf.len() - 1;
    submit(h, &buf[..cut]);
    let o = completion(i, Duration::from_secs(1)).expect("a malformed request completes");
    assert!(o.is_err());
    assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
    ffi::glide_close(h);
}

fn sync_connected(f: impl FnOnce(&mut glide_deno::proto::ConnectionRequest)) -> Option<u32> {
    let (host, port) = server()?;
    let h = sync_create(&config(&host, port, f));
    assert_ne!(h, 0, "sync create failed: {:?}", last_error());
    Some(h)
}

#[test]
fn sync_round_trips() {
    let Some(h) = sync_connected(|r| r.client_name = Some("glide-deno-sync".into())) else {
        return;
    };
    let k = key("sync", "s");
    let all = all_bytes();
    assert_eq!(ok(sync_call(h, 4096, 0, &[b"SET", &k, &all])), V::Okay);
    assert_eq!(
        ok(sync_call(h, 4096, 0, &[b"GET", &k])),
        V::Bulk(all.clone())
    );
    // A record larger than the caller's buffer is kept for glide_sync_take.
    assert_eq!(ok(sync_call(h, 16, 0, &[b"GET", &k])), V::Bulk(all));
    assert_eq!(
        err(sync_call(h, 4096, 0, &[b"LPUSH", &k, b"x"])),
        (
            REQUEST_ERROR,
            "WRONGTYPE Operation against a key holding the wrong kind of value".into()
        )
    );
    assert_eq!(
        ok(sync_call(h, 4096, 0, &[b"CLIENT", b"GETNAME"])),
        V::Bulk(b"glide-deno-sync".to_vec())
    );
    let big: Vec<u8> = (0..(16 << 20) + 1).map(|i: usize| (i * 13) as u8).collect();
    assert_eq!(ok(sync_call(h, 4096, 5000, &[b"SET", &k, &big])), V::Okay);
    assert_eq!(ok(sync_call(h, 4096, 5000, &[b"GET", &k])), V::Bulk(big));
    sync_call(h, 4096, 5000, &[b"DEL", &k]).unwrap();
    ffi::glide_close(h);
    assert_eq!(err(sync_call(h, 4096, 0, &[b"PING"])).0, CLOSING);
    ffi::glide_close(h);
}

#[test]
fn sync_timeout_drops_the_late_reply() {
    let Some(h) = sync_connected(|r| r.request_timeout_ms = Some(100)) else {
        return;
    };
    let l = key("sync-timeout", "list");
    let start = Instant::now();
    // BLPOP 0.3 s replies after the 100 ms timeout: that late reply must not be read as the
    // next request's.
    assert_eq!(
        err(sync_call(h, 4096, 100, &[b"BLPOP", &l, b"0.3"])).0,
        TIMEOUT
    );
    assert!(start.elapsed() < Duration::from_millis(1000));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        ok(sync_call(h, 4096, 0, &[b"ECHO", b"mine"])),
        V::Bulk(b"mine".to_vec())
    );
    ffi::glide_close(h);
}

#[test]
fn sync_connection_refused() {
    if server().is_none() {
        return;
    }
    let port = dead_port();
    let start = Instant::now();
    let h = sync_create(&config("127.0.0.1", port, |r| {
        r.connection_timeout_ms = Some(500)
    }));
    assert_eq!(h, 0);
    assert_eq!(last_error().0, CONNECTION);
    assert!(start.elapsed() < Duration::from_millis(1500));
    // Lazy: the create succeeds, the first command fails with ConnectionError.
    let h = sync_create(&config("127.0.0.1", port, |r| r.lazy_connect = true));
    assert_ne!(h, 0);
    assert_eq!(err(sync_call(h, 4096, 0, &[b"PING"])).0, CONNECTION);
    ffi::glide_close(h);
}

/// A server of our own (for outage tests): `GLIDE_TEST_REDIS_SERVER` names the binary.
struct OwnServer {
    bin: String,
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnServer {
    fn start() -> Option<OwnServer> {
        server()?;
        let bin = std::env::var("GLIDE_TEST_REDIS_SERVER").ok()?;
        let mut s = OwnServer {
            bin,
            port: dead_port(),
            child: None,
        };
        s.up();
        Some(s)
    }

    fn up(&mut self) {
        let child = std::process::Command::new(&self.bin)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("cannot start the server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.down();
    }
}

/// Calls until a request succeeds; every failure before must be a prompt Connection or
/// Timeout error.
fn until_ok(mut f: impl FnMut() -> Outcome, within: Duration) -> V {
    let deadline = Instant::now() + within;
    loop {
        let start = Instant::now();
        match f() {
            Ok(v) => return v,
            Err((status, m)) => {
                assert!(status == CONNECTION || status == TIMEOUT, "{status} {m}");
                assert!(
                    start.elapsed() < Duration::from_millis(2500),
                    "slow failure"
                );
                assert!(Instant::now() < deadline, "no recovery: {status} {m}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

#[test]
fn async_outage_and_recovery() {
    let Some(mut srv) = OwnServer::start() else {
        return;
    };
    let (h, create) = async_create(&config("127.0.0.1", srv.port, |_| {}));
    assert_eq!(completion(create, Duration::from_secs(5)), Some(Ok(V::Nil)));
    assert_eq!(ok(call(h, 0, &[b"SET", b"k", b"v"])), V::Okay);
    srv.down();
    for _ in 0..5 {
        let start = Instant::now();
        let (status, m) = err(call(h, 0, &[b"GET", b"k"]));
        assert!(status == CONNECTION || status == TIMEOUT, "{status} {m}");
        assert!(start.elapsed() < Duration::from_millis(2500));
    }
    srv.up();
    assert_eq!(
        until_ok(|| call(h, 0, &[b"PING"]), Duration::from_secs(10)),
        V::Simple("PONG".into())
    );
    ffi::glide_close(h);
}

#[test]
fn sync_outage_and_recovery() {
    let Some(mut srv) = OwnServer::start() else {
        return;
    };
    let h = sync_create(&config("127.0.0.1", srv.port, |_| {}));
    assert_ne!(h, 0);
    assert_eq!(
        ok(sync_call(h, 4096, 0, &[b"PING"])),
        V::Simple("PONG".into())
    );
    srv.down();
    for _ in 0..3 {
        let (status, m) = err(sync_call(h, 4096, 0, &[b"PING"]));
        assert!(status == CONNECTION || status == TIMEOUT, "{status} {m}");
    }
    srv.up();
    assert_eq!(
        until_ok(
            || sync_call(h, 4096, 0, &[b"PING"]),
            Duration::from_secs(10)
        ),
        V::Simple("PONG".into())
    );
    ffi::glide_close(h);
}

#[test]
fn async_default_timeout_applies_to_other_commands() {
    // A script that keeps the server busy for 300 ms: on a server of our own, so that it
    // delays no other test.
    let Some(srv) = OwnServer::start() else {
        return;
    };
    let (h, create) = async_create(&config("127.0.0.1", srv.port, |r| {
        r.request_timeout_ms = Some(100)
    }));
    assert_eq!(completion(create, Duration::from_secs(5)), Some(Ok(V::Nil)));
    // Valkey 9 freezes TIME inside a script (it has os.clock instead); Redis 7 has no os.
    let busy = b"local ok, clock = pcall(function() return os.clock end) \
        local function now() if ok and clock then return clock() * 1e6 end \
        local t = redis.call('TIME') return t[1] * 1e6 + t[2] end \
        local s = now() while now() - s < 300000 do end return 1";
    let start = Instant::now();
    assert_eq!(err(call(h, 0, &[b"EVAL", busy, b"0"])).0, TIMEOUT);
    assert!(start.elapsed() < Duration::from_millis(300));
    assert_eq!(
        ok(call(h, NO_TIMEOUT, &[b"PING"])),
        V::Simple("PONG".into())
    );
    ffi::glide_close(h);
}
