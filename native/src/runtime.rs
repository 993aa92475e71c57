//! The process-wide tokio runtime of the async clients: one worker thread, whatever the number
//! of clients or requests in flight.

use std::sync::OnceLock;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The runtime, started on first use.
pub fn get() -> &'static Runtime {
    RUNTIME.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("glide-deno-io")
            .enable_all()
            .build()
            .expect("cannot start the tokio runtime")
    })
}
