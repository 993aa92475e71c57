//! Keeps this library mapped until the process ends.
//!
//! Deno unloads an FFI library (dlclose) when its isolate shuts down, which can happen while
//! the core's threads (the I/O thread, the wake-up listener) are still running code in it — for instance when a
//! script ends with an uncaught error while requests are in flight. Unmapped code would then
//! crash the process on its way out. Opening the library once more with `RTLD_NODELETE` makes
//! that dlclose harmless: the threads finish, or the process exits, with their code in place.

use std::sync::Once;

/// Pins the library (once; cheap afterwards).
pub fn pin() {
    static PINNED: Once = Once::new();
    PINNED.call_once(|| {
        #[cfg(unix)]
        // SAFETY: dladdr reads the address of a function of this library and fills `info`;
        // dlopen gets the path dladdr returned, which lives as long as the library is mapped
        // (here: for good).
        unsafe {
            let mut info: libc::Dl_info = std::mem::zeroed();
            let here = pin as *const ();
            if libc::dladdr(here as *const libc::c_void, &mut info) != 0
                && !info.dli_fname.is_null()
            {
                libc::dlopen(info.dli_fname, libc::RTLD_NOW | libc::RTLD_NODELETE);
            }
        }
    });
}
