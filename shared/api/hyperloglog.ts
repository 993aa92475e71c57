/**
 * HyperLogLog commands (PFADD, PFCOUNT, PFMERGE) of every client.
 * @module
 */

import * as hyperloglog from "../commands/hyperloglog.ts";
import type { GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The HyperLogLog commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { HyperLogLogCommands } from "@glide-deno/glide";
 * type Methods = HyperLogLogCommands<"async">;
 * ```
 */
export abstract class HyperLogLogCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Adds elements to the HyperLogLog at `key` (PFADD), creating it if missing.
   *
   * @param key - The key.
   * @param elements - The elements; may be empty (then it only creates the key).
   * @returns `true` when the estimated cardinality changed or the key was created, else
   *   `false`.
   * @example
   * ```ts
   * console.log(await client.pfadd("visitors", ["ada", "bob"])); // true
   * console.log(await client.pfadd("visitors", ["ada"])); // false
   * ```
   */
  pfadd(key: GlideString, elements: GlideString[]): Reply<M, boolean> {
    return this.run(() => hyperloglog.pfadd(key, elements));
  }

  /**
   * The estimated number of distinct elements in the HyperLogLogs at `keys`, taken together
   * (PFCOUNT). On the cluster all keys must be in one hash slot.
   *
   * @param keys - The keys (at least one); missing keys count as empty.
   * @returns The estimate; 0 when all keys are missing.
   * @example
   * ```ts
   * await client.pfadd("{v}mon", ["ada", "bob"]);
   * await client.pfadd("{v}tue", ["bob", "cy"]);
   * console.log(await client.pfcount(["{v}mon", "{v}tue"])); // 3
   * ```
   */
  pfcount(keys: GlideString[]): Reply<M, number> {
    return this.run(() => hyperloglog.pfcount(keys));
  }

  /**
   * Merges the HyperLogLogs at `sourceKeys` into the one at `destination` (PFMERGE), which
   * keeps its own elements too. On the cluster all keys must be in one hash slot.
   *
   * @param destination - The key of the result (created if missing).
   * @param sourceKeys - The keys to merge in; may be empty.
   * @returns "OK".
   * @example
   * ```ts
   * await client.pfadd("{v}mon", ["ada", "bob"]);
   * await client.pfadd("{v}tue", ["bob", "cy"]);
   * await client.pfmerge("{v}week", ["{v}mon", "{v}tue"]);
   * console.log(await client.pfcount(["{v}week"])); // 3
   * ```
   */
  pfmerge(destination: GlideString, sourceKeys: GlideString[]): Reply<M, "OK"> {
    return this.run(() => hyperloglog.pfmerge(destination, sourceKeys));
  }
}
