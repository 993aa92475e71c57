//! The address resolvers JS registered (`addressResolver`, see
//! [`crate::connections::resolver`]), by id, each with the isolate that owns it.

use crate::boundary::handles::Table;
use crate::boundary::isolates;
use crate::connections::resolver::{Callback, Resolver};
use std::sync::{Arc, LazyLock};

struct Entry {
    queue: u32,
    owner: u64,
    resolver: Arc<Resolver>,
}

static RESOLVERS: LazyLock<Table<Entry>> = LazyLock::new(Table::default);

/// Registers a resolver for the calling isolate: answered by `callback` on the calling thread
/// (a sync client's), or through queue `queue`'s records when it is `None`. 0 if `queue` is
/// not the isolate's.
pub fn register(queue: u32, callback: Option<Callback>) -> u32 {
    let Some(q) = isolates::queue(queue) else {
        return 0;
    };
    let resolver = Arc::new(match callback {
        Some(f) => Resolver::calling(f),
        None => Resolver::queued(q),
    });
    let id = RESOLVERS.insert(Entry {
        queue,
        owner: isolates::thread_token(),
        resolver: resolver.clone(),
    });
    resolver.set_id(id);
    id
}

/// Resolver `id`, if the calling isolate registered it.
pub fn get(id: u32) -> Option<Arc<Resolver>> {
    RESOLVERS
        .get(id)
        .filter(|e| e.owner == isolates::thread_token())
        .map(|e| e.resolver.clone())
}

/// Frees resolver `id` (the calling isolate's): it never calls JS again.
pub fn free(id: u32) {
    if get(id).is_some() {
        if let Some(e) = RESOLVERS.remove(id) {
            e.resolver.free();
        }
    }
}

/// Frees every resolver of queue `queue` (its isolate is gone).
pub fn free_of(queue: u32) {
    for e in RESOLVERS.remove_where(|e| e.queue == queue) {
        e.resolver.free();
    }
}
