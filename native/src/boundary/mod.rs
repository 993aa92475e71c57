//! The C ABI and what crosses it: the exported functions, client handles, isolates' completion queues and how they wake JS.

pub mod completions;
pub mod ffi;
pub mod handles;
pub mod isolates;
pub mod on_js;
pub mod pin;
pub mod resolvers;
pub mod telemetry;
pub mod wakeup;
pub mod wakeup_listener;
