//! The request-record parser (native/ABI.md): commands, batches (and their commands), the
//! pub/sub state query and password changes. Any bytes give requests or `Failure`s, never a
//! panic, and parsing always moves forward.
#![no_main]

use glide_deno::request::Reader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(data);
    while !reader.is_empty() {
        let Ok(id) = reader.id() else { break };
        match reader.rest(id) {
            Ok(mut req) => {
                if let Some(batch) = req.batch.as_mut() {
                    let _ = batch.parse();
                }
            }
            Err(_) => reader.abandon(),
        }
    }
});
