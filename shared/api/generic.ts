/**
 * Generic key commands (DEL, EXISTS, EXPIRE, TTL, RENAME, COPY, DUMP, SORT, OBJECT ...) of
 * every client.
 * @module
 */

import * as generic from "../commands/generic.ts";
import type {
  ExpireOptions,
  MigrateOptions,
  RestoreOptions,
  SortOptions,
} from "../options/generic.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The generic key commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { GenericKeyCommands } from "@glide-deno/glide";
 * type Methods = GenericKeyCommands<"async">;
 * ```
 */
export abstract class GenericKeyCommands<M extends Mode> extends CommandRunner<M> {
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

  /**
   * Deletes keys without blocking (UNLINK): the memory is reclaimed in the background.
   *
   * @param keys - The keys to delete.
   * @returns How many keys were removed.
   * @example
   * ```ts
   * console.log(await client.unlink(["a", "b", "missing"])); // 2
   * ```
   */
  unlink(keys: GlideString[]): Reply<M, number> {
    return this.run(() => generic.unlink(keys));
  }

  /**
   * Sets a timeout on `key`, in milliseconds (PEXPIRE), optionally only under a condition.
   *
   * @param key - The key.
   * @param milliseconds - Milliseconds from now; zero or negative deletes the key.
   * @param options - `expireOption`: NX / XX / GT / LT.
   * @returns `true` if the timeout was set, `false` if the key is missing or the condition failed.
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.pexpire("k", 1500)); // true
   * ```
   */
  pexpire(
    key: GlideString,
    milliseconds: number,
    options?: { expireOption?: ExpireOptions },
  ): Reply<M, boolean> {
    return this.run(() => generic.pexpire(key, milliseconds, options?.expireOption));
  }

  /**
   * Makes `key` expire at a Unix time in seconds (EXPIREAT), optionally only under a condition.
   *
   * @param key - The key.
   * @param unixSeconds - The Unix time; one in the past deletes the key.
   * @param options - `expireOption`: NX / XX / GT / LT.
   * @returns `true` if the timeout was set, `false` if the key is missing or the condition failed.
   * @example
   * ```ts
   * const inAnHour = Math.floor(Date.now() / 1000) + 3600;
   * console.log(await client.expireAt("k", inAnHour)); // true
   * ```
   */
  expireAt(
    key: GlideString,
    unixSeconds: number,
    options?: { expireOption?: ExpireOptions },
  ): Reply<M, boolean> {
    return this.run(() => generic.expireAt(key, unixSeconds, options?.expireOption));
  }

  /**
   * Makes `key` expire at a Unix time in milliseconds (PEXPIREAT), optionally only under a
   * condition.
   *
   * @param key - The key.
   * @param unixMilliseconds - The Unix time in ms; one in the past deletes the key.
   * @param options - `expireOption`: NX / XX / GT / LT.
   * @returns `true` if the timeout was set, `false` if the key is missing or the condition failed.
   * @example
   * ```ts
   * console.log(await client.pexpireAt("k", Date.now() + 60_000)); // true
   * ```
   */
  pexpireAt(
    key: GlideString,
    unixMilliseconds: number,
    options?: { expireOption?: ExpireOptions },
  ): Reply<M, boolean> {
    return this.run(() => generic.pexpireAt(key, unixMilliseconds, options?.expireOption));
  }

  /**
   * The Unix time, in seconds, at which `key` expires (EXPIRETIME; Valkey 7.0+).
   *
   * @param key - The key.
   * @returns The Unix time; -1 if the key has no expiry; -2 if it does not exist.
   * @example
   * ```ts
   * await client.expireAt("k", 2_000_000_000);
   * console.log(await client.expiretime("k")); // 2000000000
   * ```
   */
  expiretime(key: GlideString): Reply<M, number> {
    return this.run(() => generic.expiretime(key));
  }

  /**
   * The Unix time, in milliseconds, at which `key` expires (PEXPIRETIME; Valkey 7.0+).
   *
   * @param key - The key.
   * @returns The Unix time in ms; -1 if the key has no expiry; -2 if it does not exist.
   * @example
   * ```ts
   * await client.pexpireAt("k", 2_000_000_000_123);
   * console.log(await client.pexpiretime("k")); // 2000000000123
   * ```
   */
  pexpiretime(key: GlideString): Reply<M, number> {
    return this.run(() => generic.pexpiretime(key));
  }

  /**
   * The remaining time to live of `key` in milliseconds (PTTL).
   *
   * @param key - The key.
   * @returns Milliseconds left; -1 if the key has no expiry; -2 if it does not exist.
   * @example
   * ```ts
   * await client.pexpire("k", 5000);
   * console.log(await client.pttl("k")); // 4999
   * ```
   */
  pttl(key: GlideString): Reply<M, number> {
    return this.run(() => generic.pttl(key));
  }

  /**
   * Removes the expiry of `key` (PERSIST).
   *
   * @param key - The key.
   * @returns `true` if an expiry was removed; `false` if the key is missing or had none.
   * @example
   * ```ts
   * await client.expire("k", 10);
   * console.log(await client.persist("k")); // true
   * ```
   */
  persist(key: GlideString): Reply<M, boolean> {
    return this.run(() => generic.persist(key));
  }

  /**
   * The type of the value at `key` (TYPE).
   *
   * @param key - The key.
   * @returns "string", "list", "set", "zset", "hash", "stream", or "none" when missing.
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.type("k")); // "string"
   * ```
   */
  type(key: GlideString): Reply<M, string> {
    return this.run(() => generic.type(key));
  }

  /**
   * Renames `key` to `newKey`, overwriting `newKey` if it exists (RENAME). On a cluster both
   * keys must be in one slot.
   *
   * @param key - The key to rename; an error if it does not exist.
   * @param newKey - The new name.
   * @returns "OK".
   * @example
   * ```ts
   * await client.set("{u}old", "v");
   * console.log(await client.rename("{u}old", "{u}new")); // "OK"
   * ```
   */
  rename(key: GlideString, newKey: GlideString): Reply<M, "OK"> {
    return this.run(() => generic.rename(key, newKey));
  }

  /**
   * Renames `key` to `newKey` only if `newKey` does not exist (RENAMENX). On a cluster both keys
   * must be in one slot.
   *
   * @param key - The key to rename; an error if it does not exist.
   * @param newKey - The new name.
   * @returns `true` if renamed, `false` if `newKey` already exists.
   * @example
   * ```ts
   * console.log(await client.renamenx("{u}old", "{u}new")); // true
   * ```
   */
  renamenx(key: GlideString, newKey: GlideString): Reply<M, boolean> {
    return this.run(() => generic.renamenx(key, newKey));
  }

  /**
   * Copies the value at `source` to `destination` (COPY; Valkey 6.2+). On a cluster both keys
   * must be in one slot, and `destinationDB` needs Valkey 9.0+.
   *
   * @param source - The key to copy.
   * @param destination - The key to create.
   * @param options - `destinationDB`: another database to copy into; `replace`: overwrite an
   *   existing `destination`.
   * @returns `true` if copied; `false` if `source` is missing or `destination` exists.
   * @example
   * ```ts
   * await client.set("{u}a", "v");
   * console.log(await client.copy("{u}a", "{u}b")); // true
   * console.log(await client.copy("{u}a", "{u}b")); // false
   * console.log(await client.copy("{u}a", "{u}b", { replace: true })); // true
   * ```
   */
  copy(
    source: GlideString,
    destination: GlideString,
    options?: { destinationDB?: number; replace?: boolean },
  ): Reply<M, boolean> {
    return this.run(() => generic.copy(source, destination, options));
  }

  /**
   * Moves `key` to another database of this server (MOVE; on a cluster, Valkey 9.0+).
   *
   * @param key - The key to move.
   * @param dbIndex - The destination database.
   * @returns `true` if moved; `false` if `key` is missing or exists in the destination.
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.move("k", 1)); // true
   * ```
   */
  move(key: GlideString, dbIndex: number): Reply<M, boolean> {
    return this.run(() => generic.move(key, dbIndex));
  }

  /**
   * Serializes the value at `key` in the server's format (DUMP), for {@link restore}.
   *
   * @param key - The key.
   * @returns The serialized value (always bytes), or `null` when the key does not exist.
   * @example
   * ```ts
   * const data = await client.dump("k");
   * if (data) await client.restore("k2", 0, data);
   * ```
   */
  dump(key: GlideString): Reply<M, Uint8Array | null> {
    return this.run(() => generic.dump(key));
  }

  /**
   * Creates `key` from a value serialized by {@link dump} (RESTORE).
   *
   * @param key - The key to create; an error if it exists, unless `replace`.
   * @param ttl - Its time to live in ms (0: no expiry), or a Unix time in ms with `absttl`.
   * @param value - The serialized value.
   * @param options - {@link RestoreOptions}: `replace`, `absttl`, and `idletime` or `frequency`.
   * @returns "OK".
   * @example
   * ```ts
   * const data = await client.dump("k");
   * console.log(await client.restore("k", 0, data!, { replace: true })); // "OK"
   * ```
   */
  restore(
    key: GlideString,
    ttl: number,
    value: Uint8Array,
    options?: RestoreOptions,
  ): Reply<M, "OK"> {
    return this.run(() => generic.restore(key, ttl, value, options));
  }

  /**
   * Moves `key` to another server (MIGRATE): it is restored there and, unless `copy`, deleted
   * here.
   *
   * @param host - The destination's host.
   * @param port - The destination's port.
   * @param key - The key to migrate.
   * @param destinationDB - The database on the destination.
   * @param timeout - The longest idle time of the transfer, in ms.
   * @param options - {@link MigrateOptions}: `copy`, `replace`, `password`, `username`.
   * @returns "OK", or "NOKEY" when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.migrate("127.0.0.1", 6380, "k", 0, 5000)); // "OK"
   * ```
   */
  migrate(
    host: string,
    port: number,
    key: GlideString,
    destinationDB: number,
    timeout: number,
    options?: MigrateOptions,
  ): Reply<M, string> {
    return this.run(() => generic.migrate(host, port, key, destinationDB, timeout, options));
  }

  /**
   * Updates the last-access time of keys (TOUCH).
   *
   * @param keys - The keys.
   * @returns How many of them exist.
   * @example
   * ```ts
   * console.log(await client.touch(["a", "missing"])); // 1
   * ```
   */
  touch(keys: GlideString[]): Reply<M, number> {
    return this.run(() => generic.touch(keys));
  }

  /**
   * Sorts the elements of the list, set or sorted set at `key` (SORT) and returns them.
   *
   * @param key - The key.
   * @param options - {@link SortOptions} and `decoder` for the elements.
   * @returns The sorted elements (or the `getPatterns` values, `null` for missing ones).
   * @example
   * ```ts
   * await client.customCommand(["RPUSH", "l", "3", "1", "2"]);
   * console.log(await client.sort("l")); // ["1", "2", "3"]
   * console.log(await client.sort("l", { orderBy: SortOrder.DESC, limit: { offset: 0, count: 2 } }));
   * // ["3", "2"]
   * ```
   */
  sort(
    key: GlideString,
    options?: SortOptions & DecoderOption,
  ): Reply<M, (GlideString | null)[]> {
    return this.run(() => generic.sort(key, options), options);
  }

  /**
   * Like {@link sort}, as a read-only command that replicas also serve (SORT_RO; Valkey 7.0+).
   *
   * @param key - The key.
   * @param options - {@link SortOptions} and `decoder` for the elements.
   * @returns The sorted elements (or the `getPatterns` values, `null` for missing ones).
   * @example
   * ```ts
   * console.log(await client.sortReadOnly("l", { isAlpha: true })); // ["1", "2", "3"]
   * ```
   */
  sortReadOnly(
    key: GlideString,
    options?: SortOptions & DecoderOption,
  ): Reply<M, (GlideString | null)[]> {
    return this.run(() => generic.sortReadOnly(key, options), options);
  }

  /**
   * Sorts the elements at `key` and stores them as a list at `destination` (SORT ... STORE).
   * On a cluster both keys must be in one slot.
   *
   * @param key - The key to sort.
   * @param destination - Where to store the result (replaced).
   * @param options - {@link SortOptions}.
   * @returns The number of elements stored.
   * @example
   * ```ts
   * console.log(await client.sortStore("{l}src", "{l}dst", { orderBy: SortOrder.DESC })); // 3
   * ```
   */
  sortStore(key: GlideString, destination: GlideString, options?: SortOptions): Reply<M, number> {
    return this.run(() => generic.sortStore(key, destination, options));
  }

  /**
   * The internal encoding of the value at `key` (OBJECT ENCODING).
   *
   * @param key - The key.
   * @returns "raw", "embstr", "int", "listpack", "quicklist", "hashtable", "intset",
   *   "skiplist" ..., or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.set("k", "12");
   * console.log(await client.objectEncoding("k")); // "int"
   * ```
   */
  objectEncoding(key: GlideString): Reply<M, string | null> {
    return this.run(() => generic.objectEncoding(key));
  }

  /**
   * The logarithmic access-frequency counter of `key` (OBJECT FREQ); the server's
   * `maxmemory-policy` must be an LFU one.
   *
   * @param key - The key.
   * @returns The counter, or `null` when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.objectFreq("k")); // 5
   * ```
   */
  objectFreq(key: GlideString): Reply<M, number | null> {
    return this.run(() => generic.objectFreq(key));
  }

  /**
   * Seconds since `key` was last accessed (OBJECT IDLETIME); not available under an LFU
   * `maxmemory-policy`.
   *
   * @param key - The key.
   * @returns The idle time, or `null` when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.objectIdletime("k")); // 12
   * ```
   */
  objectIdletime(key: GlideString): Reply<M, number | null> {
    return this.run(() => generic.objectIdletime(key));
  }

  /**
   * The reference count of the value at `key` (OBJECT REFCOUNT).
   *
   * @param key - The key.
   * @returns The count, or `null` when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.objectRefcount("k")); // 1
   * ```
   */
  objectRefcount(key: GlideString): Reply<M, number | null> {
    return this.run(() => generic.objectRefcount(key));
  }

  /**
   * Waits until the writes sent before it on this connection reach `numreplicas` replicas, or
   * `timeout` ms pass (WAIT).
   *
   * @param numreplicas - The number of replicas to wait for.
   * @param timeout - The most milliseconds to wait; 0 waits forever.
   * @returns How many replicas acknowledged the writes (0 without replicas).
   * @example
   * ```ts
   * await client.set("k", "v");
   * console.log(await client.wait(1, 1000)); // 1
   * ```
   */
  wait(numreplicas: number, timeout: number): Reply<M, number> {
    return this.run(() => generic.wait(numreplicas, timeout));
  }
}
