/**
 * The command methods both clients share (standalone and cluster, async and sync), each written
 * once: a builder from `commands/` plus the client's runner.
 * @module
 */

import * as generic from "./commands/generic.ts";
import * as strings from "./commands/strings.ts";
import type { Connection, Mode, Reply, Steps } from "./mode.ts";
import type { Command } from "./command.ts";
import type { DecoderOption, GlideRecord, GlideString } from "./values.ts";

/**
 * Key and value commands common to every client. `M` decides whether methods return Promises
 * (`GlideClient` from `async.ts`) or values (`GlideClient` from `sync.ts`).
 *
 * @example
 * ```ts
 * import type { BaseCommands } from "@glide-deno/glide";
 * async function touch(c: BaseCommands<"async">) {
 *   await c.set("last-seen", String(Date.now()));
 * }
 * ```
 */
export abstract class BaseCommands<M extends Mode> {
  readonly #conn: Connection<M>;

  /** @ignore */
  protected constructor(conn: Connection<M>) {
    this.#conn = conn;
  }

  /** Sends one command through this client. @ignore */
  protected run<T>(build: () => Command<T>, options?: DecoderOption): Reply<M, T> {
    return this.#conn.send(build, options?.decoder);
  }

  /**
   * Runs a method made of several commands, written once as a generator that yields each
   * command and receives its reply (or has its error thrown in). @ignore
   */
  protected runSteps<T>(steps: Steps<T>, options?: DecoderOption): Reply<M, T> {
    const conn = this.#conn;
    const decoder = options?.decoder;
    const advance = (r: IteratorResult<Command<unknown>, T>): unknown => {
      if (r.done) return r.value;
      let reply: unknown;
      try {
        reply = conn.send(() => r.value, decoder);
      } catch (e) {
        return advance(steps.throw(e));
      }
      return reply instanceof Promise
        ? reply.then((v) => advance(steps.next(v)), (e) => advance(steps.throw(e)))
        : advance(steps.next(reply));
    };
    if (conn.mode === "sync") return advance(steps.next()) as Reply<M, T>;
    // Async: every outcome, a synchronous throw included, is a Promise.
    return new Promise((resolve) => resolve(advance(steps.next()))) as Reply<M, T>;
  }

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
   * @param options - {@link strings.SetOptions} and `decoder` for the old value.
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
    options?: strings.SetOptions & DecoderOption,
  ): Reply<M, "OK" | GlideString | null> {
    return this.run(() => strings.set(key, value, options), options);
  }

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
    options?: { expireOption?: generic.ExpireOptions },
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
