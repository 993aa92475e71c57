/**
 * Generic key commands (DEL, EXISTS, EXPIRE, TTL ...) of every client.
 * @module
 */

import * as generic from "../commands/generic.ts";
import type { ExpireOptions } from "../options/generic.ts";
import type { GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { HyperLogLogCommands } from "./hyperloglog.ts";

/**
 * The generic key commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { GenericKeyCommands } from "@glide-deno/glide";
 * type Methods = GenericKeyCommands<"async">;
 * ```
 */
export abstract class GenericKeyCommands<M extends Mode> extends HyperLogLogCommands<M> {
  /**
   * Deletes keys (DEL).
   *
   * @param keys - The keys to delete.
   * @returns How many keys were removed.
   * @example
   * ```ts
   * console.log(await client.del(["a", "b"])); // 2
   * ```
   */
  del(keys: GlideString[]): Reply<M, number> {
    return this.run(() => generic.del(keys));
  }

  /**
   * Counts how many of `keys` exist (EXISTS); a key named twice counts twice.
   *
   * @param keys - The keys.
   * @returns The number of existing keys.
   * @example
   * ```ts
   * console.log(await client.exists(["a", "missing"])); // 1
   * ```
   */
  exists(keys: GlideString[]): Reply<M, number> {
    return this.run(() => generic.exists(keys));
  }

  /**
   * Sets a timeout on `key`, in seconds (EXPIRE), optionally only under a condition.
   *
   * @param key - The key.
   * @param seconds - Seconds from now; zero or negative deletes the key.
   * @param options - `expireOption`: NX / XX / GT / LT.
   * @returns `true` if the timeout was set, `false` if the key is missing or the condition failed.
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.expire("k", 10)); // true
   * ```
   */
  expire(
    key: GlideString,
    seconds: number,
    options?: { expireOption?: ExpireOptions },
  ): Reply<M, boolean> {
    return this.run(() => generic.expire(key, seconds, options?.expireOption));
  }

  /**
   * The remaining time to live of `key` in seconds (TTL).
   *
   * @param key - The key.
   * @returns Seconds left; -1 if the key has no expiry; -2 if it does not exist.
   * @example
   * ```ts
   * console.log(await client.ttl("k")); // 10
   * ```
   */
  ttl(key: GlideString): Reply<M, number> {
    return this.run(() => generic.ttl(key));
  }
}
