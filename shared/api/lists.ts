/**
 * List commands (LPUSH, LPOP, LRANGE, BLPOP, LMPOP ...) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { HashCommands } from "./hashes.ts";

/**
 * The list commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { ListCommands } from "@glide-deno/glide";
 * type Methods = ListCommands<"async">;
 * ```
 */
export abstract class ListCommands<M extends Mode> extends HashCommands<M> {
}
