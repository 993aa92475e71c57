/**
 * Sorted-set commands (ZADD, ZRANGE, ZPOPMIN, ZUNION ...) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { SetCommands } from "./sets.ts";

/**
 * The sorted-set commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { SortedSetCommands } from "@glide-deno/glide";
 * type Methods = SortedSetCommands<"async">;
 * ```
 */
export abstract class SortedSetCommands<M extends Mode> extends SetCommands<M> {
}
