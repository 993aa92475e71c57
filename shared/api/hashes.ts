/**
 * Hash commands (HSET, HGET, HGETALL ... and hash-field expiry) of every client.
 * @module
 */

import * as hashes from "../commands/hashes.ts";
import type {
  HashDataType,
  HExpireOptions,
  HGetExOptions,
  HScanOptions,
  HSetExOptions,
} from "../options/hashes.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The hash commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { HashCommands } from "@glide-deno/glide";
 * type Methods = HashCommands<"async">;
 * ```
 */
export abstract class HashCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Sets fields of the hash at `key` (HSET), creating the hash if needed.
   *
   * @param key - The key of the hash.
   * @param fieldsAndValues - A record, or a {@link HashDataType} list (binary fields).
   * @returns The number of fields added (fields that already existed and were updated are not
   * counted).
   * @example
   * ```ts
   * console.log(await client.hset("user:1", { name: "ada", lang: "en" })); // 2
   * console.log(await client.hset("user:1", [{ field: "name", value: "grace" }])); // 0
   * ```
   */
  hset(
    key: GlideString,
    fieldsAndValues: HashDataType | Record<string, GlideString>,
  ): Reply<M, number> {
    return this.run(() => hashes.hset(key, fieldsAndValues));
  }

  /**
   * Gets the value of `field` in the hash at `key` (HGET).
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @param options - `decoder` for the value.
   * @returns The value, or `null` when the field or the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { name: "ada" });
   * console.log(await client.hget("h", "name")); // "ada"
   * ```
   */
  hget(
    key: GlideString,
    field: GlideString,
    options?: DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(() => hashes.hget(key, field), options);
  }

  /**
   * Gets every field and value of the hash at `key` (HGETALL).
   *
   * @param key - The key of the hash.
   * @param options - `decoder` for the fields and values.
   * @returns The fields and values as `{ field, value }` entries; `[]` when the key does not
   * exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hgetall("h")); // [{ field: "a", value: "1" }, { field: "b", value: "2" }]
   * ```
   */
  hgetall(key: GlideString, options?: DecoderOption): Reply<M, HashDataType> {
    return this.run(() => hashes.hgetall(key), options);
  }

  /**
   * Gets the values of several fields of the hash at `key` (HMGET).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @param options - `decoder` for the values.
   * @returns One value (or `null` for a missing field) per field, in order.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hmget("h", ["a", "b", "c"])); // ["1", "2", null]
   * ```
   */
  hmget(
    key: GlideString,
    fields: GlideString[],
    options?: DecoderOption,
  ): Reply<M, (GlideString | null)[]> {
    return this.run(() => hashes.hmget(key, fields), options);
  }

  /**
   * Removes fields from the hash at `key` (HDEL).
   *
   * @param key - The key of the hash.
   * @param fields - The fields to remove (at least one).
   * @returns The number of fields removed; missing fields are not counted.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hdel("h", ["a", "missing"])); // 1
   * ```
   */
  hdel(key: GlideString, fields: GlideString[]): Reply<M, number> {
    return this.run(() => hashes.hdel(key, fields));
  }

  /**
   * Tells whether `field` exists in the hash at `key` (HEXISTS).
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @returns `true` when the field exists; `false` when it or the key does not.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hexists("h", "a")); // true
   * ```
   */
  hexists(key: GlideString, field: GlideString): Reply<M, boolean> {
    return this.run(() => hashes.hexists(key, field));
  }

  /**
   * Adds an integer to the value of `field` in the hash at `key` (HINCRBY); a missing field or
   * key counts as 0.
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @param amount - A safe integer, may be negative.
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.hincrBy("h", "visits", 5)); // 5
   * ```
   */
  hincrBy(key: GlideString, field: GlideString, amount: number): Reply<M, number> {
    return this.run(() => hashes.hincrBy(key, field, amount));
  }

  /**
   * Adds a float to the value of `field` in the hash at `key` (HINCRBYFLOAT); a missing field
   * or key counts as 0.
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @param amount - A finite number, may be negative.
   * @returns The new value.
   * @example
   * ```ts
   * console.log(await client.hincrByFloat("h", "score", 2.5)); // 2.5
   * ```
   */
  hincrByFloat(key: GlideString, field: GlideString, amount: number): Reply<M, number> {
    return this.run(() => hashes.hincrByFloat(key, field, amount));
  }

  /**
   * Gets the field names of the hash at `key` (HKEYS).
   *
   * @param key - The key of the hash.
   * @param options - `decoder` for the fields.
   * @returns The fields; `[]` when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hkeys("h")); // ["a", "b"]
   * ```
   */
  hkeys(key: GlideString, options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => hashes.hkeys(key), options);
  }

  /**
   * Gets the values of the hash at `key` (HVALS).
   *
   * @param key - The key of the hash.
   * @param options - `decoder` for the values.
   * @returns The values; `[]` when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hvals("h")); // ["1", "2"]
   * ```
   */
  hvals(key: GlideString, options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => hashes.hvals(key), options);
  }

  /**
   * Counts the fields of the hash at `key` (HLEN).
   *
   * @param key - The key of the hash.
   * @returns The number of fields; 0 when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hlen("h")); // 2
   * ```
   */
  hlen(key: GlideString): Reply<M, number> {
    return this.run(() => hashes.hlen(key));
  }

  /**
   * Sets `field` in the hash at `key` only if it does not exist yet (HSETNX).
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @param value - The value.
   * @returns `true` when the field was set; `false` when it already existed.
   * @example
   * ```ts
   * console.log(await client.hsetnx("h", "a", "1")); // true
   * console.log(await client.hsetnx("h", "a", "2")); // false
   * ```
   */
  hsetnx(key: GlideString, field: GlideString, value: GlideString): Reply<M, boolean> {
    return this.run(() => hashes.hsetnx(key, field, value));
  }

  /**
   * Gets the length in bytes of the value of `field` in the hash at `key` (HSTRLEN).
   *
   * @param key - The key of the hash.
   * @param field - The field.
   * @returns The length; 0 when the field or the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { name: "ada" });
   * console.log(await client.hstrlen("h", "name")); // 3
   * ```
   */
  hstrlen(key: GlideString, field: GlideString): Reply<M, number> {
    return this.run(() => hashes.hstrlen(key, field));
  }

  /**
   * Gets one random field name of the hash at `key` (HRANDFIELD).
   *
   * @param key - The key of the hash.
   * @param options - `decoder` for the field.
   * @returns A field, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hrandfield("h")); // "a"
   * ```
   */
  hrandfield(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => hashes.hrandfield(key), options);
  }

  /**
   * Gets up to `count` random field names of the hash at `key` (HRANDFIELD key count).
   *
   * @param key - The key of the hash.
   * @param count - A positive count returns distinct fields (at most the hash's size); a
   * negative one returns exactly `-count` fields, possibly repeated.
   * @param options - `decoder` for the fields.
   * @returns The fields; `[]` when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * console.log(await client.hrandfieldCount("h", 5)); // ["b", "a"]
   * ```
   */
  hrandfieldCount(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => hashes.hrandfieldCount(key, count), options);
  }

  /**
   * Gets up to `count` random fields of the hash at `key` with their values
   * (HRANDFIELD key count WITHVALUES).
   *
   * @param key - The key of the hash.
   * @param count - A positive count returns distinct fields (at most the hash's size); a
   * negative one returns exactly `-count` fields, possibly repeated.
   * @param options - `decoder` for the fields and values.
   * @returns `[field, value]` pairs; `[]` when the key does not exist.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hrandfieldWithValues("h", 1)); // [["a", "1"]]
   * ```
   */
  hrandfieldWithValues(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, [GlideString, GlideString][]> {
    return this.run(() => hashes.hrandfieldWithValues(key, count), options);
  }

  /**
   * Iterates over the fields of the hash at `key` (HSCAN). Start with cursor `"0"` and call
   * again with the returned cursor until it is `"0"`.
   *
   * @param key - The key of the hash.
   * @param cursor - `"0"` to start, then the cursor the previous call returned.
   * @param options - {@link HScanOptions} (`match`, `count`, `noValues`) and `decoder`.
   * @returns `[nextCursor, items]`: `items` is a flat `[field, value, field, value, ...]` list, or
   * field names only with `noValues`.
   * @example
   * ```ts
   * let cursor = "0";
   * do {
   *   const [next, items] = await client.hscan("h", cursor, { match: "a*", count: 100 });
   *   console.log(items); // ["a1", "v1", "a2", "v2"]
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  hscan(
    key: GlideString,
    cursor: string,
    options?: HScanOptions & DecoderOption,
  ): Reply<M, [string, GlideString[]]> {
    return this.run(() => hashes.hscan(key, cursor, options), options);
  }

  /**
   * Sets fields of the hash at `key` with an expiry, optionally only if none or all of them
   * exist (HSETEX; Valkey 9.0+, Redis 8.0+).
   *
   * @param key - The key of the hash.
   * @param fieldsAndValues - A record, or a {@link HashDataType} list (binary fields).
   * @param options - {@link HSetExOptions}: `fieldConditionalChange` (FNX / FXX) and `expiry`
   * (a time, or `"KEEPTTL"`).
   * @returns 1 when the fields were set; 0 when the condition was not met.
   * @example
   * ```ts
   * await client.hsetex("h", { a: "1", b: "2" }, {
   *   fieldConditionalChange: HashFieldConditionalChange.ONLY_IF_NONE_EXIST,
   *   expiry: { type: TimeUnit.Seconds, count: 60 },
   * }); // 1
   * ```
   */
  hsetex(
    key: GlideString,
    fieldsAndValues: HashDataType | Record<string, GlideString>,
    options?: HSetExOptions,
  ): Reply<M, number> {
    return this.run(() => hashes.hsetex(key, fieldsAndValues, options));
  }

  /**
   * Gets fields of the hash at `key` and optionally sets or removes their expiry (HGETEX;
   * Valkey 9.0+, Redis 8.0+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @param options - {@link HGetExOptions}: `expiry` (a time, or `"PERSIST"`), and `decoder`.
   * @returns One value (or `null` for a missing field) per field, in order.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hgetex("h", ["a", "b"], { expiry: { type: TimeUnit.Seconds, count: 30 } })); // ["1", null]
   * ```
   */
  hgetex(
    key: GlideString,
    fields: GlideString[],
    options?: HGetExOptions & DecoderOption,
  ): Reply<M, (GlideString | null)[]> {
    return this.run(() => hashes.hgetex(key, fields, options), options);
  }

  /**
   * Sets a time to live in seconds on fields of the hash at `key` (HEXPIRE; Valkey 9.0+,
   * Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param seconds - The time to live (0 deletes the fields).
   * @param fields - The fields (at least one).
   * @param options - {@link HExpireOptions}: a `condition` (NX / XX / GT / LT).
   * @returns Per field: 1 set, 0 condition not met, -2 no such field (or key), 2 deleted.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hexpire("h", 60, ["a", "b"])); // [1, -2]
   * ```
   */
  hexpire(
    key: GlideString,
    seconds: number,
    fields: GlideString[],
    options?: HExpireOptions,
  ): Reply<M, number[]> {
    return this.run(() => hashes.hexpire(key, seconds, fields, options));
  }

  /**
   * Sets a time to live in milliseconds on fields of the hash at `key` (HPEXPIRE; Valkey 9.0+,
   * Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param milliseconds - The time to live (0 deletes the fields).
   * @param fields - The fields (at least one).
   * @param options - {@link HExpireOptions}: a `condition` (NX / XX / GT / LT).
   * @returns Per field: 1 set, 0 condition not met, -2 no such field (or key), 2 deleted.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hpexpire("h", 60_000, ["a"])); // [1]
   * ```
   */
  hpexpire(
    key: GlideString,
    milliseconds: number,
    fields: GlideString[],
    options?: HExpireOptions,
  ): Reply<M, number[]> {
    return this.run(() => hashes.hpexpire(key, milliseconds, fields, options));
  }

  /**
   * Sets an expiry time as a Unix time in seconds on fields of the hash at `key` (HEXPIREAT;
   * Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param unixTimestampSeconds - When the fields expire (a past time deletes them).
   * @param fields - The fields (at least one).
   * @param options - {@link HExpireOptions}: a `condition` (NX / XX / GT / LT).
   * @returns Per field: 1 set, 0 condition not met, -2 no such field (or key), 2 deleted.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hexpireat("h", Math.floor(Date.now() / 1000) + 3600, ["a"])); // [1]
   * ```
   */
  hexpireat(
    key: GlideString,
    unixTimestampSeconds: number,
    fields: GlideString[],
    options?: HExpireOptions,
  ): Reply<M, number[]> {
    return this.run(() => hashes.hexpireat(key, unixTimestampSeconds, fields, options));
  }

  /**
   * Sets an expiry time as a Unix time in milliseconds on fields of the hash at `key`
   * (HPEXPIREAT; Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param unixTimestampMilliseconds - When the fields expire (a past time deletes them).
   * @param fields - The fields (at least one).
   * @param options - {@link HExpireOptions}: a `condition` (NX / XX / GT / LT).
   * @returns Per field: 1 set, 0 condition not met, -2 no such field (or key), 2 deleted.
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * console.log(await client.hpexpireat("h", Date.now() + 3_600_000, ["a"])); // [1]
   * ```
   */
  hpexpireat(
    key: GlideString,
    unixTimestampMilliseconds: number,
    fields: GlideString[],
    options?: HExpireOptions,
  ): Reply<M, number[]> {
    return this.run(() => hashes.hpexpireat(key, unixTimestampMilliseconds, fields, options));
  }

  /**
   * Gets the remaining time to live in seconds of fields of the hash at `key` (HTTL;
   * Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @returns Per field: the seconds left, -1 without expiry, -2 no such field (or key).
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * await client.hexpire("h", 60, ["a"]);
   * console.log(await client.httl("h", ["a", "b", "c"])); // [60, -1, -2]
   * ```
   */
  httl(key: GlideString, fields: GlideString[]): Reply<M, number[]> {
    return this.run(() => hashes.httl(key, fields));
  }

  /**
   * Gets the remaining time to live in milliseconds of fields of the hash at `key` (HPTTL;
   * Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @returns Per field: the milliseconds left, -1 without expiry, -2 no such field (or key).
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * await client.hpexpire("h", 5000, ["a"]);
   * console.log(await client.hpttl("h", ["a"])); // [4999]
   * ```
   */
  hpttl(key: GlideString, fields: GlideString[]): Reply<M, number[]> {
    return this.run(() => hashes.hpttl(key, fields));
  }

  /**
   * Gets the expiry time, as a Unix time in seconds, of fields of the hash at `key`
   * (HEXPIRETIME; Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @returns Per field: the Unix time in seconds, -1 without expiry, -2 no such field (or key).
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * await client.hexpireat("h", 2_000_000_000, ["a"]);
   * console.log(await client.hexpiretime("h", ["a"])); // [2000000000]
   * ```
   */
  hexpiretime(key: GlideString, fields: GlideString[]): Reply<M, number[]> {
    return this.run(() => hashes.hexpiretime(key, fields));
  }

  /**
   * Gets the expiry time, as a Unix time in milliseconds, of fields of the hash at `key`
   * (HPEXPIRETIME; Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @returns Per field: the Unix time in milliseconds, -1 without expiry, -2 no such field (or
   * key).
   * @example
   * ```ts
   * await client.hset("h", { a: "1" });
   * await client.hpexpireat("h", 2_000_000_000_000, ["a"]);
   * console.log(await client.hpexpiretime("h", ["a"])); // [2000000000000]
   * ```
   */
  hpexpiretime(key: GlideString, fields: GlideString[]): Reply<M, number[]> {
    return this.run(() => hashes.hpexpiretime(key, fields));
  }

  /**
   * Removes the expiry of fields of the hash at `key` (HPERSIST; Valkey 9.0+, Redis 7.4+).
   *
   * @param key - The key of the hash.
   * @param fields - The fields (at least one).
   * @returns Per field: 1 expiry removed, -1 had no expiry, -2 no such field (or key).
   * @example
   * ```ts
   * await client.hset("h", { a: "1", b: "2" });
   * await client.hexpire("h", 60, ["a"]);
   * console.log(await client.hpersist("h", ["a", "b"])); // [1, -1]
   * ```
   */
  hpersist(key: GlideString, fields: GlideString[]): Reply<M, number[]> {
    return this.run(() => hashes.hpersist(key, fields));
  }
}
