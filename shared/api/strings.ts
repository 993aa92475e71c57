/**
 * String commands (GET, SET, GETEX, MGET, INCR, SETRANGE, LCS ...) of every client.
 * @module
 */

import * as strings from "../commands/strings.ts";
import type { GetExOptions, LcsIdxOptions, LcsIdxResult, SetOptions } from "../options/strings.ts";
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
   * Gets the value of `key` and deletes the key (GETDEL).
   *
   * @param key - The key.
   * @param options - `decoder` for the returned value.
   * @returns The value, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.getdel("k")); // "v"
   * console.log(await client.getdel("k")); // null
   * ```
   */
  getdel(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => strings.getdel(key), options);
  }

  /**
   * Gets the value of `key` and sets or removes its expiry (GETEX).
   *
   * @param key - The key.
   * @param options - {@link GetExOptions} (`expiry`: a {@link TimeUnit} and `duration`, or
   *   `"persist"`), and `decoder` for the returned value.
   * @returns The value, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.set("k", "v");
   * await client.getex("k", { expiry: { type: TimeUnit.Seconds, duration: 30 } }); // "v"
   * await client.getex("k", { expiry: "persist" }); // "v", and no expiry any more
   * ```
   */
  getex(
    key: GlideString,
    options?: GetExOptions & DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(() => strings.getex(key, options), options);
  }

  /**
   * Gets the part of the string at `key` between two byte offsets, both inclusive (GETRANGE).
   * Negative offsets count from the end.
   *
   * @param key - The key.
   * @param start - The first byte's offset.
   * @param end - The last byte's offset.
   * @param options - `decoder` for the returned value.
   * @returns The substring; `""` when the key does not exist or the range is empty.
   * @example
   * ```ts
   * await client.set("k", "This is a string");
   * console.log(await client.getrange("k", 0, 3)); // "This"
   * console.log(await client.getrange("k", -3, -1)); // "ing"
   * ```
   */
  getrange(
    key: GlideString,
    start: number,
    end: number,
    options?: DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(() => strings.getrange(key, start, end), options);
  }

  /**
   * Overwrites the string at `key` from byte `offset` on with `value`, padding with zero bytes
   * when the string is shorter than `offset` (SETRANGE).
   *
   * @param key - The key (created if missing).
   * @param offset - A non-negative byte offset.
   * @param value - What to write.
   * @returns The length of the string afterwards.
   * @example
   * ```ts
   * await client.set("k", "Hello World");
   * console.log(await client.setrange("k", 6, "GLIDE")); // 11
   * ```
   */
  setrange(key: GlideString, offset: number, value: GlideString): Reply<M, number> {
    return this.run(() => strings.setrange(key, offset, value));
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
   * Sets several keys at once, only if none of them exists (MSETNX).
   *
   * @param keysAndValues - A record, or a list of `{ key, value }` entries (binary keys).
   * @returns `true` when all keys were set, `false` when none was (one already existed).
   * @example
   * ```ts
   * console.log(await client.msetnx({ a: "1", b: "2" })); // true
   * console.log(await client.msetnx({ b: "3", c: "4" })); // false
   * ```
   */
  msetnx(keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>): Reply<M, boolean> {
    return this.run(() => strings.msetnx(keysAndValues));
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
   * Increments the number at `key` by the floating-point `amount` (INCRBYFLOAT).
   *
   * @param key - The key (created as 0 if missing).
   * @param amount - A finite number, may be negative.
   * @returns The new value.
   * @example
   * ```ts
   * await client.set("f", "10.5");
   * console.log(await client.incrByFloat("f", 0.1)); // 10.6
   * ```
   */
  incrByFloat(key: GlideString, amount: number): Reply<M, number> {
    return this.run(() => strings.incrByFloat(key, amount));
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
   * Decrements the integer at `key` by `amount` (DECRBY).
   *
   * @param key - The key (created as 0 if missing).
   * @param amount - A safe integer, may be negative.
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.decrBy("counter", 5)); // -5
   * ```
   */
  decrBy(key: GlideString, amount: number): Reply<M, number> {
    return this.run(() => strings.decrBy(key, amount));
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

  /**
   * The longest common subsequence of the strings at `key1` and `key2` (LCS). On the cluster
   * both keys must be in one hash slot.
   *
   * @param key1 - The key of the first string.
   * @param key2 - The key of the second string.
   * @param options - `decoder` for the returned value.
   * @returns The subsequence; `""` when there is none or the keys do not exist.
   * @example
   * ```ts
   * await client.mset({ "{t}1": "abcd", "{t}2": "axcd" });
   * console.log(await client.lcs("{t}1", "{t}2")); // "acd"
   * ```
   */
  lcs(key1: GlideString, key2: GlideString, options?: DecoderOption): Reply<M, GlideString> {
    return this.run(() => strings.lcs(key1, key2), options);
  }

  /**
   * The length of the longest common subsequence of the strings at `key1` and `key2`
   * (LCS ... LEN). On the cluster both keys must be in one hash slot.
   *
   * @param key1 - The key of the first string.
   * @param key2 - The key of the second string.
   * @param options - Accepted for GLIDE compatibility; the reply is a number.
   * @returns The length; 0 when there is no common subsequence.
   * @example
   * ```ts
   * await client.mset({ "{t}1": "abcd", "{t}2": "axcd" });
   * console.log(await client.lcsLen("{t}1", "{t}2")); // 3
   * ```
   */
  lcsLen(key1: GlideString, key2: GlideString, options?: DecoderOption): Reply<M, number> {
    return this.run(() => strings.lcsLen(key1, key2), options);
  }

  /**
   * Where the longest common subsequence of the strings at `key1` and `key2` lies in each
   * string (LCS ... IDX). On the cluster both keys must be in one hash slot.
   *
   * @param key1 - The key of the first string.
   * @param key2 - The key of the second string.
   * @param options - {@link LcsIdxOptions}: `minMatchLen` drops shorter matches,
   *   `withMatchLen` adds each match's length.
   * @returns {@link LcsIdxResult}: `matches`, each `[[start1, end1], [start2, end2]]` (plus
   *   the length with `withMatchLen`), in the server's order (from the end of the strings); and
   *   `len`, the length of the whole subsequence.
   * @example
   * ```ts
   * await client.mset({ "{t}1": "ohmytext", "{t}2": "mynewtext" });
   * console.log(await client.lcsIdx("{t}1", "{t}2", { withMatchLen: true }));
   * // { matches: [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], len: 6 }
   * ```
   */
  lcsIdx(
    key1: GlideString,
    key2: GlideString,
    options?: LcsIdxOptions,
  ): Reply<M, LcsIdxResult> {
    return this.run(() => strings.lcsIdx(key1, key2, options));
  }
}
