/**
 * Set commands (SADD, SMEMBERS, SINTER, SSCAN ...) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { ListCommands } from "./lists.ts";

/**
 * The set commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { SetCommands } from "@glide-deno/glide";
 * type Methods = SetCommands<"async">;
 * ```
 */
export abstract class SetCommands<M extends Mode> extends ListCommands<M> {
}
