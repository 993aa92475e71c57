/**
 * String commands (GET, SET, MGET, INCR ...) of every client.
 * @module
 */

import * as strings from "../commands/strings.ts";
import type { SetOptions } from "../options/strings.ts";
import type { DecoderOption, GlideRecord, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The string commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { StringCommands } from "@glide-deno/glide";
 * type Methods = StringCommands<"async">;
 * ```
 */
export abstract class StringCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Gets the value of `key` (GET).
   *
   * @param key - The key.
   * @param options - `decoder` for the returned value.
   * @returns The value, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.set("greeting", "hello");
   * console.log(await client.get("greeting")); // "hello"
   * ```
   */
  get(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => strings.get(key), options);
  }

  /**
   * Sets `key` to `value` (SET), with an optional condition, expiry and old-value return.
   *
   * @param key - The key.
   * @param value - The value (string or bytes).
   * @param options - {@link SetOptions} and `decoder` for the old value.
   * @returns "OK"; `null` if a condition was not met; the old value with `returnOldValue`.
   * @example
   * ```ts
   * await client.set("k", "v", { expiry: { type: TimeUnit.Seconds, count: 60 } });
   * await client.set("k", "w", { conditionalSet: "onlyIfDoesNotExist" }); // null
   * ```
   */
  set(
    key: GlideString,
    value: GlideString,
    options?: SetOptions & DecoderOption,
  ): Reply<M, "OK" | GlideString | null> {
    return this.run(() => strings.set(key, value, options), options);
  }

  /**
   * Gets the values of several keys (MGET).
   *
   * @param keys - The keys.
   * @param options - `decoder` for the values.
   * @returns One value (or `null`) per key, in order.
   * @example
   * ```ts
   * await client.mset({ a: "1", b: "2" });
   * console.log(await client.mget(["a", "b", "c"])); // ["1", "2", null]
   * ```
   */
  mget(keys: GlideString[], options?: DecoderOption): Reply<M, (GlideString | null)[]> {
    return this.run(() => strings.mget(keys), options);
  }

  /**
   * Sets several keys at once (MSET).
   *
   * @param keysAndValues - A record, or a list of `{ key, value }` entries (binary keys).
   * @returns "OK".
   * @example
   * ```ts
   * await client.mset({ a: "1", b: "2" });
   * await client.mset([{ key: new Uint8Array([1]), value: "x" }]);
   * ```
   */
  mset(keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>): Reply<M, "OK"> {
    return this.run(() => strings.mset(keysAndValues));
  }

  /**
   * Increments the integer at `key` by one (INCR).
   *
   * @param key - The key (created as 0 if missing).
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.incr("counter")); // 1
   * ```
   */
  incr(key: GlideString): Reply<M, number> {
    return this.run(() => strings.incr(key));
  }

  /**
   * Increments the integer at `key` by `amount` (INCRBY).
   *
   * @param key - The key.
   * @param amount - A safe integer, may be negative.
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.incrBy("counter", 10)); // 10
   * ```
   */
  incrBy(key: GlideString, amount: number): Reply<M, number> {
    return this.run(() => strings.incrBy(key, amount));
  }

  /**
   * Decrements the integer at `key` by one (DECR).
   *
   * @param key - The key.
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.decr("counter")); // -1
   * ```
   */
  decr(key: GlideString): Reply<M, number> {
    return this.run(() => strings.decr(key));
  }

  /**
   * Appends `value` to the string at `key` (APPEND).
   *
   * @param key - The key (created if missing).
   * @param value - What to append.
   * @returns The new length in bytes.
   * @example
   * ```ts
   * await client.set("s", "ab");
   * console.log(await client.append("s", "cd")); // 4
   * ```
   */
  append(key: GlideString, value: GlideString): Reply<M, number> {
    return this.run(() => strings.append(key, value));
  }

  /**
   * The length in bytes of the string at `key` (STRLEN); 0 if missing.
   *
   * @param key - The key.
   * @returns The length.
   * @example
   * ```ts
   * await client.set("s", "héllo");
   * console.log(await client.strlen("s")); // 6
   * ```
   */
  strlen(key: GlideString): Reply<M, number> {
    return this.run(() => strings.strlen(key));
  }
}
