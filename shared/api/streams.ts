/**
 * Stream commands (XADD, XREAD, XREADGROUP, XCLAIM, XINFO ...) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { SortedSetCommands } from "./sorted_sets.ts";

/**
 * The stream commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { StreamCommands } from "@glide-deno/glide";
 * type Methods = StreamCommands<"async">;
 * ```
 */
export abstract class StreamCommands<M extends Mode> extends SortedSetCommands<M> {
}
