//! The request-record parser (native/ABI.md): commands, batches (and their commands), the
//! pub/sub state query and password changes. Any bytes give requests or `Failure`s, never a
//! panic, and parsing always moves forward. What the core does next with a parsed request
//! without a server is run too: its cluster routing, the hash slots of a batch's keys, and the
//! RESP encoding of the command or pipeline.
#![no_main]

use glide_deno::request::{Reader, Request};
use glide_deno::{batch, cluster, slots};
use libfuzzer_sys::fuzz_target;
use redis::Cmd;

use glide_deno::slots::args;

/// The slot facts a cluster pipeline or transaction is grouped by (batch.rs).
fn keys(cmd: &Cmd, name: &str) {
    let a = args(cmd);
    let keys = if slots::is_multi_slot(name) {
        slots::multi_slot_keys(name, &a)
    } else {
        slots::first_key(name, &a).into_iter().collect()
    };
    for k in keys {
        assert!((slots::slot_of(k) as usize) < slots::SLOTS);
    }
    let _ = cluster::routing(name, &glide_deno::request::Route::Default);
}

fn follow(mut req: Request) {
    let _ = req.timeout.resolve(Some(std::time::Duration::from_millis(250)));
    let _ = cluster::routing(&req.name, &req.route);
    let Some(b) = req.batch.as_mut() else {
        if !req.subscriptions && req.password.is_none() {
            keys(&req.cmd, &req.name);
            let _ = req.cmd.get_packed_command();
        }
        return;
    };
    if b.parse().is_ok() {
        assert_eq!(b.cmds.len(), b.count);
        assert_eq!(b.names.len(), b.count);
        for (cmd, name) in b.cmds.iter().zip(&b.names) {
            keys(cmd, name);
        }
        let (offset, count) = batch::reply_window(b.count, b.atomic);
        assert!(offset + count <= b.count + if b.atomic { 2 } else { 0 });
        let _ = batch::pipeline(b).get_packed_pipeline();
    }
}

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(data);
    while !reader.is_empty() {
        let Ok(id) = reader.id() else { break };
        match reader.rest(id) {
            Ok(req) => {
                assert_eq!(req.id, id);
                follow(req);
            }
            Err(_) => reader.abandon(),
        }
    }
});
