/**
 * Hash commands (HSET, HGET, HGETALL ... and hash-field expiry) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { GenericKeyCommands } from "./generic.ts";

/**
 * The hash commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { HashCommands } from "@glide-deno/glide";
 * type Methods = HashCommands<"async">;
 * ```
 */
export abstract class HashCommands<M extends Mode> extends GenericKeyCommands<M> {
}
