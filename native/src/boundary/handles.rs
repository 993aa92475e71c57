//! Handle tables: clients are named across the boundary by non-zero `u32` handles.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A table of live objects by handle.
pub struct Table<T> {
    inner: Mutex<(u32, HashMap<u32, Arc<T>>)>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            inner: Mutex::new((0, HashMap::new())),
        }
    }
}

impl<T> Table<T> {
    /// Stores `value` and returns its new handle.
    pub fn insert(&self, value: T) -> u32 {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            g.0 = g.0.wrapping_add(1);
            let h = g.0;
            if h != 0 && !g.1.contains_key(&h) {
                g.1.insert(h, Arc::new(value));
                return h;
            }
        }
    }

    pub fn get(&self, handle: u32) -> Option<Arc<T>> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1.get(&handle).cloned()
    }

    pub fn remove(&self, handle: u32) -> Option<Arc<T>> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.1.remove(&handle)
    }

    /// Removes and returns every value for which `pick` is true.
    pub fn remove_where(&self, pick: impl Fn(&T) -> bool) -> Vec<Arc<T>> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let handles: Vec<u32> =
            g.1.iter()
                .filter(|(_, v)| pick(v))
                .map(|(h, _)| *h)
                .collect();
        handles.iter().filter_map(|h| g.1.remove(h)).collect()
    }
}
