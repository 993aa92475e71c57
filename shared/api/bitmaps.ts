/**
 * Bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { StringCommands } from "./strings.ts";

/**
 * The bitmap commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { BitmapCommands } from "@glide-deno/glide";
 * type Methods = BitmapCommands<"async">;
 * ```
 */
export abstract class BitmapCommands<M extends Mode> extends StringCommands<M> {
}
