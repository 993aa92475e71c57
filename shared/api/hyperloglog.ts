/**
 * HyperLogLog commands (PFADD, PFCOUNT, PFMERGE) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { BitmapCommands } from "./bitmaps.ts";

/**
 * The HyperLogLog commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { HyperLogLogCommands } from "@glide-deno/glide";
 * type Methods = HyperLogLogCommands<"async">;
 * ```
 */
export abstract class HyperLogLogCommands<M extends Mode> extends BitmapCommands<M> {
}
