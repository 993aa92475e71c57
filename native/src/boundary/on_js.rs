//! Whether the calling thread is an isolate's, inside an FFI call after which JS drains its
//! queue and writes its sockets' bytes (`glide_submit`, `glide_io_feed`): records queued then
//! need no wake-up, and bytes handed over need no record (connections/js_io.rs).

use std::cell::Cell;

thread_local! {
    static ON_JS: Cell<bool> = const { Cell::new(false) };
}

/// Marks the calling thread as in such a call until dropped.
pub struct OnJs(bool);

impl OnJs {
    pub fn enter() -> OnJs {
        OnJs(ON_JS.with(|c| c.replace(true)))
    }
}

impl Drop for OnJs {
    fn drop(&mut self) {
        ON_JS.with(|c| c.set(self.0));
    }
}

/// Whether the calling thread is in such a call.
pub fn on_js() -> bool {
    ON_JS.with(|c| c.get())
}
