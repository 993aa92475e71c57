/**
 * Set commands (SADD, SMEMBERS, SINTER, SSCAN ...) of every client.
 * @module
 */

import * as sets from "../commands/sets.ts";
import type { BaseScanOptions } from "../options/sets.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The set commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { SetCommands } from "@glide-deno/glide";
 * type Methods = SetCommands<"async">;
 * ```
 */
export abstract class SetCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Adds members to the set at `key`, creating it if missing (SADD).
   *
   * @param key - The key of the set.
   * @param members - The members to add (at least one).
   * @returns How many members were added (members already there do not count).
   * @example
   * ```ts
   * console.log(await client.sadd("set", ["a", "b", "a"])); // 2
   * ```
   */
  sadd(key: GlideString, members: GlideString[]): Reply<M, number> {
    return this.run(() => sets.sadd(key, members));
  }

  /**
   * Removes members from the set at `key` (SREM).
   *
   * @param key - The key of the set.
   * @param members - The members to remove (at least one).
   * @returns How many members were removed (members not there do not count).
   * @example
   * ```ts
   * await client.sadd("set", ["a", "b"]);
   * console.log(await client.srem("set", ["a", "z"])); // 1
   * ```
   */
  srem(key: GlideString, members: GlideString[]): Reply<M, number> {
    return this.run(() => sets.srem(key, members));
  }

  /**
   * Gets all members of the set at `key` (SMEMBERS).
   *
   * @param key - The key of the set.
   * @param options - `decoder` for the members.
   * @returns The members; an empty `Set` when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a", "b"]);
   * console.log(await client.smembers("set")); // Set { "a", "b" }
   * ```
   */
  smembers(key: GlideString, options?: DecoderOption): Reply<M, Set<GlideString>> {
    return this.run(() => sets.smembers(key), options);
  }

  /**
   * Gets the number of members of the set at `key` (SCARD).
   *
   * @param key - The key of the set.
   * @returns The number of members; 0 when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a", "b"]);
   * console.log(await client.scard("set")); // 2
   * ```
   */
  scard(key: GlideString): Reply<M, number> {
    return this.run(() => sets.scard(key));
  }

  /**
   * Tells whether `member` is in the set at `key` (SISMEMBER).
   *
   * @param key - The key of the set.
   * @param member - The member to look for.
   * @returns `true` when it is; `false` when it is not or the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a"]);
   * console.log(await client.sismember("set", "a")); // true
   * ```
   */
  sismember(key: GlideString, member: GlideString): Reply<M, boolean> {
    return this.run(() => sets.sismember(key, member));
  }

  /**
   * Tells, for each of `members`, whether it is in the set at `key` (SMISMEMBER).
   *
   * @param key - The key of the set.
   * @param members - The members to look for (at least one).
   * @returns One boolean per member, in order.
   * @example
   * ```ts
   * await client.sadd("set", ["a", "b"]);
   * console.log(await client.smismember("set", ["b", "z"])); // [true, false]
   * ```
   */
  smismember(key: GlideString, members: GlideString[]): Reply<M, boolean[]> {
    return this.run(() => sets.smismember(key, members));
  }

  /**
   * Removes and returns a random member of the set at `key` (SPOP).
   *
   * @param key - The key of the set.
   * @param options - `decoder` for the member.
   * @returns The member, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a"]);
   * console.log(await client.spop("set")); // "a"
   * ```
   */
  spop(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => sets.spop(key), options);
  }

  /**
   * Removes and returns up to `count` random members of the set at `key` (SPOP with a count).
   *
   * @param key - The key of the set.
   * @param count - How many members to pop (a non-negative integer).
   * @param options - `decoder` for the members.
   * @returns The popped members; an empty `Set` when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a", "b", "c"]);
   * console.log((await client.spopCount("set", 2)).size); // 2
   * ```
   */
  spopCount(key: GlideString, count: number, options?: DecoderOption): Reply<M, Set<GlideString>> {
    return this.run(() => sets.spopCount(key, count), options);
  }

  /**
   * Gets a random member of the set at `key`, without removing it (SRANDMEMBER).
   *
   * @param key - The key of the set.
   * @param options - `decoder` for the member.
   * @returns The member, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a"]);
   * console.log(await client.srandmember("set")); // "a"
   * ```
   */
  srandmember(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => sets.srandmember(key), options);
  }

  /**
   * Gets random members of the set at `key`, without removing them (SRANDMEMBER with a count):
   * up to `count` distinct members when `count` is positive, exactly `-count` members that may
   * repeat when it is negative.
   *
   * @param key - The key of the set.
   * @param count - How many members, and whether they may repeat (negative).
   * @param options - `decoder` for the members.
   * @returns The members; `[]` when the key does not exist.
   * @example
   * ```ts
   * await client.sadd("set", ["a"]);
   * console.log(await client.srandmemberCount("set", -3)); // ["a", "a", "a"]
   * ```
   */
  srandmemberCount(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => sets.srandmemberCount(key, count), options);
  }

  /**
   * Moves `member` from the set at `source` to the set at `destination` (SMOVE).
   *
   * @param source - The key of the set to take the member from.
   * @param destination - The key of the set to put it in (one hash slot with `source` in
   *   cluster mode).
   * @param member - The member to move.
   * @returns `true` when it was moved; `false` when it was not in `source`.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x"]);
   * console.log(await client.smove("{s}:a", "{s}:b", "x")); // true
   * ```
   */
  smove(source: GlideString, destination: GlideString, member: GlideString): Reply<M, boolean> {
    return this.run(() => sets.smove(source, destination, member));
  }

  /**
   * Gets the intersection of the sets at `keys` (SINTER).
   *
   * @param keys - The keys of the sets (one hash slot in cluster mode); a missing key is an
   *   empty set.
   * @param options - `decoder` for the members.
   * @returns The members in every set.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x", "y"]);
   * await client.sadd("{s}:b", ["y", "z"]);
   * console.log(await client.sinter(["{s}:a", "{s}:b"])); // Set { "y" }
   * ```
   */
  sinter(keys: GlideString[], options?: DecoderOption): Reply<M, Set<GlideString>> {
    return this.run(() => sets.sinter(keys), options);
  }

  /**
   * Counts the members of the intersection of the sets at `keys` (SINTERCARD).
   *
   * @param keys - The keys of the sets (one hash slot in cluster mode).
   * @param options - `limit`: stop counting at this number (0: no limit).
   * @returns The number of members in every set, at most `limit`.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x", "y"]);
   * await client.sadd("{s}:b", ["x", "y"]);
   * console.log(await client.sintercard(["{s}:a", "{s}:b"], { limit: 1 })); // 1
   * ```
   */
  sintercard(keys: GlideString[], options?: { limit?: number }): Reply<M, number> {
    return this.run(() => sets.sintercard(keys, options?.limit));
  }

  /**
   * Stores the intersection of the sets at `keys` in `destination`, replacing it (SINTERSTORE).
   *
   * @param destination - The key to store the result in.
   * @param keys - The keys of the sets (one hash slot with `destination` in cluster mode).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x", "y"]);
   * await client.sadd("{s}:b", ["y"]);
   * console.log(await client.sinterstore("{s}:c", ["{s}:a", "{s}:b"])); // 1
   * ```
   */
  sinterstore(destination: GlideString, keys: GlideString[]): Reply<M, number> {
    return this.run(() => sets.sinterstore(destination, keys));
  }

  /**
   * Gets the members of the first set that are in none of the others (SDIFF).
   *
   * @param keys - The keys of the sets (one hash slot in cluster mode).
   * @param options - `decoder` for the members.
   * @returns The difference.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x", "y"]);
   * await client.sadd("{s}:b", ["y"]);
   * console.log(await client.sdiff(["{s}:a", "{s}:b"])); // Set { "x" }
   * ```
   */
  sdiff(keys: GlideString[], options?: DecoderOption): Reply<M, Set<GlideString>> {
    return this.run(() => sets.sdiff(keys), options);
  }

  /**
   * Stores the difference of the sets at `keys` (see {@link sdiff}) in `destination`,
   * replacing it (SDIFFSTORE).
   *
   * @param destination - The key to store the result in.
   * @param keys - The keys of the sets (one hash slot with `destination` in cluster mode).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x", "y"]);
   * console.log(await client.sdiffstore("{s}:c", ["{s}:a", "{s}:b"])); // 2
   * ```
   */
  sdiffstore(destination: GlideString, keys: GlideString[]): Reply<M, number> {
    return this.run(() => sets.sdiffstore(destination, keys));
  }

  /**
   * Gets the union of the sets at `keys` (SUNION).
   *
   * @param keys - The keys of the sets (one hash slot in cluster mode).
   * @param options - `decoder` for the members.
   * @returns The members of any of the sets.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x"]);
   * await client.sadd("{s}:b", ["y"]);
   * console.log(await client.sunion(["{s}:a", "{s}:b"])); // Set { "x", "y" }
   * ```
   */
  sunion(keys: GlideString[], options?: DecoderOption): Reply<M, Set<GlideString>> {
    return this.run(() => sets.sunion(keys), options);
  }

  /**
   * Stores the union of the sets at `keys` in `destination`, replacing it (SUNIONSTORE).
   *
   * @param destination - The key to store the result in.
   * @param keys - The keys of the sets (one hash slot with `destination` in cluster mode).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.sadd("{s}:a", ["x"]);
   * await client.sadd("{s}:b", ["y"]);
   * console.log(await client.sunionstore("{s}:c", ["{s}:a", "{s}:b"])); // 2
   * ```
   */
  sunionstore(destination: GlideString, keys: GlideString[]): Reply<M, number> {
    return this.run(() => sets.sunionstore(destination, keys));
  }

  /**
   * Iterates over the members of the set at `key` (SSCAN). Start with cursor `"0"` and call
   * again with the returned cursor until it is `"0"` again.
   *
   * @param key - The key of the set.
   * @param cursor - `"0"` to start, then the cursor the previous call returned.
   * @param options - {@link BaseScanOptions} (`match`, `count`) and `decoder` for the members.
   * @returns `[nextCursor, members]`; the cursor is always a string.
   * @example
   * ```ts
   * let cursor = "0";
   * do {
   *   const [next, members] = await client.sscan("set", cursor, { match: "a*" });
   *   console.log(members);
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  sscan(
    key: GlideString,
    cursor: GlideString,
    options?: BaseScanOptions & DecoderOption,
  ): Reply<M, [string, GlideString[]]> {
    return this.run(() => sets.sscan(key, cursor, options), options);
  }
}
