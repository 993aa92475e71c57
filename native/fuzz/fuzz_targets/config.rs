//! The configuration decoder (protobuf `ConnectionRequest` -> settings): any bytes give a
//! setting or a `Failure`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = glide_deno::config::Settings::decode(data);
});
