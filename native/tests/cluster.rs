//! Drives the C ABI against a real cluster on loopback (3 primaries with a replica each). Runs
//! only with `GLIDE_TEST_CLUSTER=127.0.0.1:PORT[,...]` (the first node seeds); otherwise every
//! test returns.

mod common;

use common::*;
use glide_deno::boundary::ffi;
use std::time::Duration;

fn seed() -> Option<(String, u16)> {
    let v = std::env::var("GLIDE_TEST_CLUSTER").ok()?;
    let first = v.split(',').next()?;
    let (host, port) = first.rsplit_once(':')?;
    assert!(host == "127.0.0.1" || host == "localhost", "loopback only");
    Some((host.to_string(), port.parse().ok()?))
}

fn cluster_config(f: impl FnOnce(&mut glide_deno::proto::ConnectionRequest)) -> Option<Vec<u8>> {
    let (host, port) = seed()?;
    Some(config(&host, port, |r| {
        r.cluster_mode = true;
        f(r)
    }))
}

fn key(k: &str) -> Vec<u8> {
    format!("glide-deno-cluster:{}:{k}", std::process::id()).into_bytes()
}

/// Route bytes of ABI.md.
fn route_key(tag: u8, key: &[u8]) -> Vec<u8> {
    let mut r = vec![tag];
    r.extend_from_slice(&(key.len() as u32).to_le_bytes());
    r.extend_from_slice(key);
    r
}

fn route_address(host: &str, port: u16) -> Vec<u8> {
    let mut r = route_key(8, host.as_bytes());
    r.extend_from_slice(&(port as u32).to_le_bytes());
    r
}

fn routed(h: u32, route: &[u8], args: &[&[u8]]) -> Outcome {
    let i = id();
    let mut buf = Vec::new();
    record_routed(&mut buf, i, 0, route, args);
    submit(h, &buf);
    completion(i, Duration::from_secs(10)).expect("no completion")
}

fn text(v: V) -> String {
    match v {
        V::Bulk(b) => String::from_utf8(b).unwrap(),
        V::Verbatim(_, t) => t,
        V::Simple(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn async_cluster_routes_and_replies() {
    let Some(cfg) = cluster_config(|r| r.client_name = Some("glide-deno-cluster".into())) else {
        return;
    };
    let (h, create) = async_create(&cfg);
    assert_ne!(h, 0, "{:?}", last_error());
    assert_eq!(
        completion(create, Duration::from_secs(10)),
        Some(Ok(V::Nil))
    );
    // Keys spread over the slots; MGET is split per slot and recombined in order.
    let keys: Vec<Vec<u8>> = (0..20).map(|i| key(&format!("k{i}"))).collect();
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            ok(call(h, 0, &[b"SET", k, i.to_string().as_bytes()])),
            V::Okay
        );
    }
    let mut mget: Vec<&[u8]> = vec![b"MGET"];
    mget.extend(keys.iter().map(|k| k.as_slice()));
    assert_eq!(
        ok(call(h, 0, &mget)),
        V::Array(
            (0..20)
                .map(|i: usize| V::Bulk(i.to_string().into_bytes()))
                .collect()
        )
    );
    assert_eq!(
        err(call(h, 0, &[b"LPUSH", &keys[0], b"x"])),
        (
            REQUEST_ERROR,
            "WRONGTYPE Operation against a key holding the wrong kind of value".into()
        )
    );
    // Aggregated by a response policy: one value.
    assert!(matches!(ok(call(h, 0, &[b"DBSIZE"])), V::Int(n) if n >= 20));
    assert_eq!(ok(routed(h, &[1], &[b"PING"])), V::Simple("PONG".into()));
    // Not aggregated: one reply per node ("host:port" -> reply).
    match ok(routed(h, &[1], &[b"ECHO", b"x"])) {
        V::PerNode(nodes) => {
            assert_eq!(nodes.len(), 6);
            for (addr, v) in nodes {
                assert!(addr.starts_with("127.0.0.1:"), "{addr}");
                assert_eq!(v, V::Bulk(b"x".to_vec()));
            }
        }
        other => panic!("{other:?}"),
    }
    match ok(call(h, 0, &[b"INFO", b"server"])) {
        V::PerNode(nodes) => assert_eq!(nodes.len(), 3),
        other => panic!("{other:?}"),
    }
    match ok(routed(h, &[2], &[b"ECHO", b"y"])) {
        V::PerNode(nodes) => assert_eq!(nodes.len(), 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ok(routed(h, &[3], &[b"ECHO", b"z"])),
        V::Bulk(b"z".to_vec())
    );
    match ok(routed(h, &[1], &[b"CLIENT", b"GETNAME"])) {
        V::PerNode(nodes) => {
            assert_eq!(nodes.len(), 6);
            for (_, v) in nodes {
                assert_eq!(v, V::Bulk(b"glide-deno-cluster".to_vec()));
            }
        }
        other => panic!("{other:?}"),
    }
    // Single-node routes.
    let primary = text(ok(routed(
        h,
        &route_key(4, &keys[0]),
        &[b"INFO", b"replication"],
    )));
    assert!(primary.contains("role:master"), "{primary}");
    let replica = text(ok(routed(
        h,
        &route_key(5, &keys[0]),
        &[b"INFO", b"replication"],
    )));
    assert!(replica.contains("role:slave"), "{replica}");
    let mut slot_route = vec![6u8];
    slot_route.extend_from_slice(&0u32.to_le_bytes());
    let slot0 = text(ok(routed(h, &slot_route, &[b"CLUSTER", b"MYID"])));
    slot_route[0] = 7;
    let slot0_replica = text(ok(routed(h, &slot_route, &[b"CLUSTER", b"MYID"])));
    assert_ne!(slot0, slot0_replica);
    let (host, port) = seed().unwrap();
    let info = text(ok(routed(
        h,
        &route_address(&host, port),
        &[b"INFO", b"server"],
    )));
    assert!(info.contains(&format!("tcp_port:{port}")), "{info}");
    let mut del: Vec<&[u8]> = vec![b"DEL"];
    del.extend(keys.iter().map(|k| k.as_slice()));
    assert_eq!(ok(call(h, 0, &del)), V::Int(20));
    ffi::glide_close(h);
}

#[test]
fn sync_cluster_routes_and_replies() {
    let Some(cfg) = cluster_config(|r| r.client_name = Some("glide-deno-sync-cluster".into()))
    else {
        return;
    };
    let h = sync_create(&cfg);
    assert_ne!(h, 0, "{:?}", last_error());
    let k = key("sync");
    assert_eq!(ok(sync_call(h, 4096, 0, &[b"SET", &k, b"v"])), V::Okay);
    assert_eq!(
        ok(sync_call(h, 4096, 0, &[b"GET", &k])),
        V::Bulk(b"v".to_vec())
    );
    assert!(matches!(
        ok(sync_call(h, 4096, 0, &[b"DBSIZE"])),
        V::Int(n) if n >= 1
    ));
    match ok(sync_call(h, 1 << 16, 0, &[b"INFO", b"server"])) {
        V::PerNode(nodes) => assert_eq!(nodes.len(), 3),
        other => panic!("{other:?}"),
    }
    match ok(sync_call(h, 4096, 0, &[b"CLIENT", b"GETNAME"])) {
        V::Bulk(name) => assert_eq!(name, b"glide-deno-sync-cluster"),
        other => panic!("{other:?}"),
    }
    sync_call(h, 4096, 0, &[b"DEL", &k]).unwrap();
    ffi::glide_close(h);
}
