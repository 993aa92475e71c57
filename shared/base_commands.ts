/**
 * The command methods both clients share (standalone and cluster, async and sync): every
 * command family of `api/`, chained into one class.
 * @module
 */

import type { Mode } from "./mode.ts";
import { PubSubCommands } from "./api/pubsub.ts";

/**
 * Every command common to all clients. `M` decides whether methods return Promises
 * (`GlideClient` from `async.ts`) or values (`GlideClient` from `sync.ts`). The families are
 * chained: strings → bitmaps → HyperLogLog → generic keys → hashes → lists → sets → sorted sets
 * → streams → geo → scripting → pub/sub.
 *
 * @example
 * ```ts
 * import type { BaseCommands } from "@glide-deno/glide";
 * async function touch(c: BaseCommands<"async">) {
 *   await c.set("last-seen", String(Date.now()));
 * }
 * ```
 */
export abstract class BaseCommands<M extends Mode> extends PubSubCommands<M> {
}
