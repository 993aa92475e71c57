//! Isolates (threads) against a real standalone server: each thread's clients complete into its
//! own queue, a client cannot be used from another thread, and a thread's clients are closed
//! (their connections released) when it ends. Runs only with `GLIDE_TEST_STANDALONE`.

mod common;

use common::*;
use glide_deno::boundary::ffi;
use std::time::{Duration, Instant};

fn connected(test: &str) -> Option<u32> {
    let (host, port) = server()?;
    let name = format!("glide-deno-isolates-{}-{test}", std::process::id());
    let (h, create) = async_create(&config(&host, port, |c| c.client_name = Some(name)));
    assert_ne!(h, 0, "create failed: {:?}", last_error());
    assert_eq!(completion(create, Duration::from_secs(5)), Some(Ok(V::Nil)));
    Some(h)
}

/// How many connections of this process's clients named for `test` the server has.
fn our_connections(observer: u32, test: &str) -> usize {
    let list = match ok(call(observer, 0, &[b"CLIENT", b"LIST"])) {
        V::Bulk(b) => String::from_utf8(b).unwrap(),
        V::Verbatim(_, t) => t,
        other => panic!("CLIENT LIST: {other:?}"),
    };
    let name = format!("name=glide-deno-isolates-{}-{test} ", std::process::id());
    list.lines().filter(|l| l.contains(&name)).count()
}

#[test]
fn a_client_is_only_its_threads() {
    let Some(h) = connected("owner") else { return };
    assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
    let from_elsewhere = std::thread::spawn(move || {
        // Another thread (isolate) names the handle: its request is refused with ClosingError
        // on its own queue, and it cannot close the client.
        call(h, 0, &[b"PING"])
    })
    .join()
    .unwrap();
    assert_eq!(from_elsewhere.unwrap_err().0, CLOSING);
    std::thread::spawn(move || ffi::glide_close(h))
        .join()
        .unwrap();
    assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
    ffi::glide_close(h);
}

#[test]
fn a_threads_clients_close_when_it_ends() {
    let Some(observer) = connected("ends") else {
        return;
    };
    let before = our_connections(observer, "ends");
    let worker = std::thread::spawn(move || {
        let (h, blocked) = (connected("ends").unwrap(), connected("ends").unwrap());
        assert_eq!(ok(call(h, 0, &[b"PING"])), V::Simple("PONG".into()));
        // A request in flight when the thread ends: one that will never be answered.
        let mut buf = Vec::new();
        record(
            &mut buf,
            id(),
            NO_TIMEOUT,
            &[b"BLPOP", b"glide-deno-isolates:none", b"0"],
        );
        submit(blocked, &buf);
        std::thread::sleep(Duration::from_millis(50));
        // Ends without closing either client.
    });
    worker.join().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while our_connections(observer, "ends") > before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        our_connections(observer, "ends"),
        before,
        "the ended thread's connection stays open"
    );
    ffi::glide_close(observer);
}
