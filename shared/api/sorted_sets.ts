/**
 * Sorted-set commands (ZADD, ZRANGE, ZPOPMIN, ZUNION ...) of every client.
 * @module
 */

import * as z from "../commands/sorted_sets.ts";
import type {
  AggregationType,
  Boundary,
  ElementAndScore,
  KeyWeight,
  RangeByIndex,
  RangeByLex,
  RangeByScore,
  Score,
  ScoreFilter,
  SortedSetDataType,
  ZAddOptions,
  ZScanOptions,
} from "../options/sorted_sets.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The sorted-set commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { SortedSetCommands } from "@glide-deno/glide";
 * type Methods = SortedSetCommands<"async">;
 * ```
 */
export abstract class SortedSetCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Adds members with scores to the sorted set at `key`, or updates their scores (ZADD).
   *
   * @param key - The key of the sorted set (created if missing).
   * @param membersAndScores - A list of `{ element, score }`, or a record of member → score.
   * @param options - {@link ZAddOptions}: NX/XX, GT/LT, and CH (`changed`).
   * @returns The number of members added; with `changed`, the number added or updated.
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 10, bob: 8.5 }); // 2
   * await client.zadd("scores", [{ element: "bob", score: 9 }], { changed: true }); // 1
   * ```
   */
  zadd(
    key: GlideString,
    membersAndScores: ElementAndScore[] | Record<string, Score>,
    options?: ZAddOptions,
  ): Reply<M, number> {
    return this.run(() => z.zadd(key, membersAndScores, options));
  }

  /**
   * Increments the score of `member` by `increment`, adding it if missing (ZADD ... INCR).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @param increment - How much to add to its score.
   * @param options - {@link ZAddOptions}.
   * @returns The new score, or `null` when a condition in `options` stopped the update.
   * @example
   * ```ts
   * await client.zaddIncr("scores", "alice", 5); // 5
   * await client.zaddIncr("scores", "alice", 1, { updateOptions: UpdateByScore.LESS_THAN }); // null
   * ```
   */
  zaddIncr(
    key: GlideString,
    member: GlideString,
    increment: number,
    options?: ZAddOptions,
  ): Reply<M, number | null> {
    return this.run(() => z.zaddIncr(key, member, increment, options));
  }

  /**
   * Increments the score of `member` by `increment`, adding it if missing (ZINCRBY).
   *
   * @param key - The key of the sorted set.
   * @param increment - How much to add (may be negative).
   * @param member - The member.
   * @returns The new score.
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 10 });
   * console.log(await client.zincrby("scores", 2.5, "alice")); // 12.5
   * ```
   */
  zincrby(key: GlideString, increment: number, member: GlideString): Reply<M, number> {
    return this.run(() => z.zincrby(key, increment, member));
  }

  /**
   * Removes members from the sorted set at `key` (ZREM).
   *
   * @param key - The key of the sorted set.
   * @param members - The members to remove.
   * @returns How many were removed (missing members are not counted).
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 1, bob: 2 });
   * console.log(await client.zrem("scores", ["alice", "carol"])); // 1
   * ```
   */
  zrem(key: GlideString, members: GlideString[]): Reply<M, number> {
    return this.run(() => z.zrem(key, members));
  }

  /**
   * The number of members in the sorted set at `key` (ZCARD); 0 if missing.
   *
   * @param key - The key of the sorted set.
   * @returns The cardinality.
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 1, bob: 2 });
   * console.log(await client.zcard("scores")); // 2
   * ```
   */
  zcard(key: GlideString): Reply<M, number> {
    return this.run(() => z.zcard(key));
  }

  /**
   * Counts the members whose scores lie between two boundaries (ZCOUNT).
   *
   * @param key - The key of the sorted set.
   * @param minScore - The lower {@link Boundary}.
   * @param maxScore - The upper {@link Boundary}.
   * @returns The number of members in the range; 0 if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2, c: 3 });
   * await client.zcount("scores", { value: 1, isInclusive: false }, InfBoundary.PositiveInfinity); // 2
   * ```
   */
  zcount(
    key: GlideString,
    minScore: Boundary<number>,
    maxScore: Boundary<number>,
  ): Reply<M, number> {
    return this.run(() => z.zcount(key, minScore, maxScore));
  }

  /**
   * Counts the members between two lexicographical boundaries (ZLEXCOUNT); meant for sets
   * whose members all have the same score.
   *
   * @param key - The key of the sorted set.
   * @param minLex - The lower {@link Boundary}.
   * @param maxLex - The upper {@link Boundary}.
   * @returns The number of members in the range; 0 if the key is missing.
   * @example
   * ```ts
   * await client.zadd("names", { a: 0, b: 0, c: 0 });
   * await client.zlexcount("names", { value: "b" }, InfBoundary.PositiveInfinity); // 2
   * ```
   */
  zlexcount(
    key: GlideString,
    minLex: Boundary<GlideString>,
    maxLex: Boundary<GlideString>,
  ): Reply<M, number> {
    return this.run(() => z.zlexcount(key, minLex, maxLex));
  }

  /**
   * The score of `member` (ZSCORE).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @returns Its score, or `null` when the member or key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 10.5 });
   * console.log(await client.zscore("scores", "alice")); // 10.5
   * ```
   */
  zscore(key: GlideString, member: GlideString): Reply<M, number | null> {
    return this.run(() => z.zscore(key, member));
  }

  /**
   * The scores of several members (ZMSCORE).
   *
   * @param key - The key of the sorted set.
   * @param members - The members.
   * @returns One score (or `null` for a missing member) per member, in order.
   * @example
   * ```ts
   * await client.zadd("scores", { alice: 1, bob: 2 });
   * console.log(await client.zmscore("scores", ["alice", "carol"])); // [1, null]
   * ```
   */
  zmscore(key: GlideString, members: GlideString[]): Reply<M, (number | null)[]> {
    return this.run(() => z.zmscore(key, members));
  }

  /**
   * The rank of `member`, scores ordered from low to high, starting at 0 (ZRANK).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @returns Its rank, or `null` when the member or key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zrank("scores", "b")); // 1
   * ```
   */
  zrank(key: GlideString, member: GlideString): Reply<M, number | null> {
    return this.run(() => z.zrank(key, member));
  }

  /**
   * The rank of `member` (low to high) with its score (ZRANK ... WITHSCORE, Valkey/Redis
   * 7.2+).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @returns `[rank, score]`, or `null` when the member or key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zrankWithScore("scores", "b")); // [1, 2]
   * ```
   */
  zrankWithScore(key: GlideString, member: GlideString): Reply<M, [number, number] | null> {
    return this.run(() => z.zrankWithScore(key, member));
  }

  /**
   * The rank of `member`, scores ordered from high to low, starting at 0 (ZREVRANK).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @returns Its rank, or `null` when the member or key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zrevrank("scores", "b")); // 0
   * ```
   */
  zrevrank(key: GlideString, member: GlideString): Reply<M, number | null> {
    return this.run(() => z.zrevrank(key, member));
  }

  /**
   * The rank of `member` (high to low) with its score (ZREVRANK ... WITHSCORE, Valkey/Redis
   * 7.2+).
   *
   * @param key - The key of the sorted set.
   * @param member - The member.
   * @returns `[rank, score]`, or `null` when the member or key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zrevrankWithScore("scores", "a")); // [1, 1]
   * ```
   */
  zrevrankWithScore(key: GlideString, member: GlideString): Reply<M, [number, number] | null> {
    return this.run(() => z.zrevrankWithScore(key, member));
  }

  /**
   * Members in a range of ranks, scores or lexicographical order (ZRANGE).
   *
   * @param key - The key of the sorted set.
   * @param rangeQuery - A {@link RangeByIndex}, {@link RangeByScore} or {@link RangeByLex}.
   * @param options - `reverse` (REV: high to low; `start` is then the higher end) and `decoder`.
   * @returns The members in order; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2, c: 3 });
   * await client.zrange("scores", { start: 0, end: -1 }); // ["a", "b", "c"]
   * await client.zrange("scores", {
   *   type: "byScore",
   *   start: InfBoundary.PositiveInfinity,
   *   end: { value: 2 },
   * }, { reverse: true }); // ["c", "b"]
   * ```
   */
  zrange(
    key: GlideString,
    rangeQuery: RangeByScore | RangeByLex | RangeByIndex,
    options?: { reverse?: boolean } & DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => z.zrange(key, rangeQuery, options?.reverse), options);
  }

  /**
   * Members with their scores in a range of ranks or scores (ZRANGE ... WITHSCORES).
   *
   * @param key - The key of the sorted set.
   * @param rangeQuery - A {@link RangeByIndex} or {@link RangeByScore}.
   * @param options - `reverse` (REV) and `decoder` for the members.
   * @returns A {@link SortedSetDataType} in the server's order; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * await client.zrangeWithScores("scores", { start: 0, end: -1 });
   * // [{ element: "a", score: 1 }, { element: "b", score: 2 }]
   * ```
   */
  zrangeWithScores(
    key: GlideString,
    rangeQuery: RangeByScore | RangeByIndex,
    options?: { reverse?: boolean } & DecoderOption,
  ): Reply<M, SortedSetDataType> {
    return this.run(() => z.zrangeWithScores(key, rangeQuery, options?.reverse), options);
  }

  /**
   * Stores a range of `source` in `destination`, overwriting it (ZRANGESTORE).
   *
   * @param destination - The key to store into.
   * @param source - The key of the sorted set to read.
   * @param rangeQuery - A {@link RangeByIndex}, {@link RangeByScore} or {@link RangeByLex}.
   * @param reverse - REV: read from high to low (`start` is then the higher end).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.zadd("{z}src", { a: 1, b: 2, c: 3 });
   * await client.zrangeStore("{z}dst", "{z}src", { start: 0, end: 1 }); // 2
   * ```
   */
  zrangeStore(
    destination: GlideString,
    source: GlideString,
    rangeQuery: RangeByScore | RangeByLex | RangeByIndex,
    reverse?: boolean,
  ): Reply<M, number> {
    return this.run(() => z.zrangeStore(destination, source, rangeQuery, reverse));
  }

  /**
   * Removes the members with ranks from `start` to `end` (ZREMRANGEBYRANK).
   *
   * @param key - The key of the sorted set.
   * @param start - The first rank (negative counts from the end).
   * @param end - The last rank, inclusive.
   * @returns The number of members removed.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2, c: 3 });
   * console.log(await client.zremRangeByRank("scores", 0, 1)); // 2
   * ```
   */
  zremRangeByRank(key: GlideString, start: number, end: number): Reply<M, number> {
    return this.run(() => z.zremRangeByRank(key, start, end));
  }

  /**
   * Removes the members whose scores lie between two boundaries (ZREMRANGEBYSCORE).
   *
   * @param key - The key of the sorted set.
   * @param minScore - The lower {@link Boundary}.
   * @param maxScore - The upper {@link Boundary}.
   * @returns The number of members removed.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2, c: 3 });
   * await client.zremRangeByScore("scores", InfBoundary.NegativeInfinity, { value: 2 }); // 2
   * ```
   */
  zremRangeByScore(
    key: GlideString,
    minScore: Boundary<number>,
    maxScore: Boundary<number>,
  ): Reply<M, number> {
    return this.run(() => z.zremRangeByScore(key, minScore, maxScore));
  }

  /**
   * Removes the members between two lexicographical boundaries (ZREMRANGEBYLEX).
   *
   * @param key - The key of the sorted set.
   * @param minLex - The lower {@link Boundary}.
   * @param maxLex - The upper {@link Boundary}.
   * @returns The number of members removed.
   * @example
   * ```ts
   * await client.zadd("names", { a: 0, b: 0, c: 0 });
   * await client.zremRangeByLex("names", { value: "a", isInclusive: false }, InfBoundary.PositiveInfinity); // 2
   * ```
   */
  zremRangeByLex(
    key: GlideString,
    minLex: Boundary<GlideString>,
    maxLex: Boundary<GlideString>,
  ): Reply<M, number> {
    return this.run(() => z.zremRangeByLex(key, minLex, maxLex));
  }

  /**
   * Removes and returns the members with the lowest scores (ZPOPMIN).
   *
   * @param key - The key of the sorted set.
   * @param options - `count` (default 1) and `decoder` for the members.
   * @returns The popped members with scores, lowest first; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zpopmin("scores")); // [{ element: "a", score: 1 }]
   * ```
   */
  zpopmin(
    key: GlideString,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, SortedSetDataType> {
    return this.run(() => z.zpopmin(key, options?.count), options);
  }

  /**
   * Removes and returns the members with the highest scores (ZPOPMAX).
   *
   * @param key - The key of the sorted set.
   * @param options - `count` (default 1) and `decoder` for the members.
   * @returns The popped members with scores, highest first; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zpopmax("scores", { count: 2 }));
   * // [{ element: "b", score: 2 }, { element: "a", score: 1 }]
   * ```
   */
  zpopmax(
    key: GlideString,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, SortedSetDataType> {
    return this.run(() => z.zpopmax(key, options?.count), options);
  }

  /**
   * Pops the lowest-scored member of the first non-empty sorted set, blocking until one
   * exists or `timeout` passes (BZPOPMIN).
   *
   * @param keys - The keys to check, in order.
   * @param timeout - Seconds to wait (may be fractional); 0 waits forever.
   * @param options - `decoder` for the key and member.
   * @returns `[key, member, score]`, or `null` on timeout.
   * @example
   * ```ts
   * await client.zadd("{q}a", { job: 1 });
   * console.log(await client.bzpopmin(["{q}a", "{q}b"], 0.5)); // ["{q}a", "job", 1]
   * ```
   */
  bzpopmin(
    keys: GlideString[],
    timeout: number,
    options?: DecoderOption,
  ): Reply<M, [GlideString, GlideString, number] | null> {
    return this.run(() => z.bzpopmin(keys, timeout), options);
  }

  /**
   * Pops the highest-scored member of the first non-empty sorted set, blocking until one
   * exists or `timeout` passes (BZPOPMAX).
   *
   * @param keys - The keys to check, in order.
   * @param timeout - Seconds to wait (may be fractional); 0 waits forever.
   * @param options - `decoder` for the key and member.
   * @returns `[key, member, score]`, or `null` on timeout.
   * @example
   * ```ts
   * await client.zadd("{q}a", { low: 1, high: 9 });
   * console.log(await client.bzpopmax(["{q}a"], 0.5)); // ["{q}a", "high", 9]
   * ```
   */
  bzpopmax(
    keys: GlideString[],
    timeout: number,
    options?: DecoderOption,
  ): Reply<M, [GlideString, GlideString, number] | null> {
    return this.run(() => z.bzpopmax(keys, timeout), options);
  }

  /**
   * Pops members from the first non-empty sorted set of `keys` (ZMPOP, Valkey/Redis 7.0+).
   *
   * @param keys - The keys to check, in order.
   * @param modifier - {@link ScoreFilter}: pop the lowest (MIN) or highest (MAX) scores.
   * @param options - `count` (default 1) and `decoder`.
   * @returns `[key, members with scores]`, or `null` when every set is empty.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2, c: 3 });
   * await client.zmpop(["{z}1", "{z}2"], ScoreFilter.MAX, { count: 2 });
   * // ["{z}1", [{ element: "c", score: 3 }, { element: "b", score: 2 }]]
   * ```
   */
  zmpop(
    keys: GlideString[],
    modifier: ScoreFilter,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, [GlideString, SortedSetDataType] | null> {
    return this.run(() => z.zmpop(keys, modifier, options?.count), options);
  }

  /**
   * Like {@link zmpop}, blocking until a member can be popped or `timeout` passes (BZMPOP,
   * Valkey/Redis 7.0+).
   *
   * @param keys - The keys to check, in order.
   * @param modifier - {@link ScoreFilter}: pop the lowest (MIN) or highest (MAX) scores.
   * @param timeout - Seconds to wait (may be fractional); 0 waits forever.
   * @param options - `count` (default 1) and `decoder`.
   * @returns `[key, members with scores]`, or `null` on timeout.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1 });
   * await client.bzmpop(["{z}1"], ScoreFilter.MIN, 0.5); // ["{z}1", [{ element: "a", score: 1 }]]
   * ```
   */
  bzmpop(
    keys: GlideString[],
    modifier: ScoreFilter,
    timeout: number,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, [GlideString, SortedSetDataType] | null> {
    return this.run(() => z.bzmpop(keys, modifier, timeout, options?.count), options);
  }

  /**
   * The members of the first sorted set that are in none of the others (ZDIFF).
   *
   * @param keys - The keys of the sorted sets; missing keys are empty sets.
   * @param options - `decoder` for the members.
   * @returns The members, ordered by score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 2 });
   * console.log(await client.zdiff(["{z}1", "{z}2"])); // ["a"]
   * ```
   */
  zdiff(keys: GlideString[], options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => z.zdiff(keys), options);
  }

  /**
   * Like {@link zdiff}, with the scores (ZDIFF ... WITHSCORES).
   *
   * @param keys - The keys of the sorted sets.
   * @param options - `decoder` for the members.
   * @returns A {@link SortedSetDataType}, ordered by score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 2 });
   * console.log(await client.zdiffWithScores(["{z}1", "{z}2"])); // [{ element: "a", score: 1 }]
   * ```
   */
  zdiffWithScores(keys: GlideString[], options?: DecoderOption): Reply<M, SortedSetDataType> {
    return this.run(() => z.zdiffWithScores(keys), options);
  }

  /**
   * Stores the difference of the sorted sets in `destination`, overwriting it (ZDIFFSTORE).
   *
   * @param destination - The key to store into.
   * @param keys - The keys of the sorted sets.
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * console.log(await client.zdiffstore("{z}out", ["{z}1", "{z}2"])); // 2
   * ```
   */
  zdiffstore(destination: GlideString, keys: GlideString[]): Reply<M, number> {
    return this.run(() => z.zdiffstore(destination, keys));
  }

  /**
   * The members in every one of the sorted sets (ZINTER).
   *
   * @param keys - The keys of the sorted sets.
   * @param options - `decoder` for the members.
   * @returns The members, ordered by their combined score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 3 });
   * console.log(await client.zinter(["{z}1", "{z}2"])); // ["b"]
   * ```
   */
  zinter(keys: GlideString[], options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => z.zinter(keys), options);
  }

  /**
   * Like {@link zinter}, with the combined scores; keys may carry weights (ZINTER ...
   * WITHSCORES).
   *
   * @param keys - Keys, or {@link KeyWeight} pairs `[key, weight]`.
   * @param options - `aggregationType` ({@link AggregationType}, default SUM) and `decoder`.
   * @returns A {@link SortedSetDataType}, ordered by score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 3 });
   * await client.zinterWithScores([["{z}1", 2], ["{z}2", 1]]); // [{ element: "b", score: 7 }]
   * ```
   */
  zinterWithScores(
    keys: GlideString[] | KeyWeight[],
    options?: { aggregationType?: AggregationType } & DecoderOption,
  ): Reply<M, SortedSetDataType> {
    return this.run(() => z.zinterWithScores(keys, options?.aggregationType), options);
  }

  /**
   * Stores the intersection of the sorted sets in `destination`, overwriting it
   * (ZINTERSTORE).
   *
   * @param destination - The key to store into.
   * @param keys - Keys, or {@link KeyWeight} pairs `[key, weight]`.
   * @param options - `aggregationType` ({@link AggregationType}, default SUM).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 3 });
   * await client.zinterstore("{z}out", ["{z}1", "{z}2"], { aggregationType: "MAX" }); // 1
   * ```
   */
  zinterstore(
    destination: GlideString,
    keys: GlideString[] | KeyWeight[],
    options?: { aggregationType?: AggregationType },
  ): Reply<M, number> {
    return this.run(() => z.zinterstore(destination, keys, options?.aggregationType));
  }

  /**
   * The members in any of the sorted sets (ZUNION).
   *
   * @param keys - The keys of the sorted sets.
   * @param options - `decoder` for the members.
   * @returns The members, ordered by their combined score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1 });
   * await client.zadd("{z}2", { b: 2 });
   * console.log(await client.zunion(["{z}1", "{z}2"])); // ["a", "b"]
   * ```
   */
  zunion(keys: GlideString[], options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => z.zunion(keys), options);
  }

  /**
   * Like {@link zunion}, with the combined scores; keys may carry weights (ZUNION ...
   * WITHSCORES).
   *
   * @param keys - Keys, or {@link KeyWeight} pairs `[key, weight]`.
   * @param options - `aggregationType` ({@link AggregationType}, default SUM) and `decoder`.
   * @returns A {@link SortedSetDataType}, ordered by score.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2 });
   * await client.zadd("{z}2", { b: 3 });
   * await client.zunionWithScores(["{z}1", "{z}2"], { aggregationType: "MIN" });
   * // [{ element: "a", score: 1 }, { element: "b", score: 2 }]
   * ```
   */
  zunionWithScores(
    keys: GlideString[] | KeyWeight[],
    options?: { aggregationType?: AggregationType } & DecoderOption,
  ): Reply<M, SortedSetDataType> {
    return this.run(() => z.zunionWithScores(keys, options?.aggregationType), options);
  }

  /**
   * Stores the union of the sorted sets in `destination`, overwriting it (ZUNIONSTORE).
   *
   * @param destination - The key to store into.
   * @param keys - Keys, or {@link KeyWeight} pairs `[key, weight]`.
   * @param options - `aggregationType` ({@link AggregationType}, default SUM).
   * @returns The number of members stored.
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1 });
   * await client.zadd("{z}2", { b: 2 });
   * console.log(await client.zunionstore("{z}out", ["{z}1", "{z}2"])); // 2
   * ```
   */
  zunionstore(
    destination: GlideString,
    keys: GlideString[] | KeyWeight[],
    options?: { aggregationType?: AggregationType },
  ): Reply<M, number> {
    return this.run(() => z.zunionstore(destination, keys, options?.aggregationType));
  }

  /**
   * The size of the intersection of the sorted sets (ZINTERCARD, Valkey/Redis 7.0+).
   *
   * @param keys - The keys of the sorted sets.
   * @param options - `limit`: stop counting there (0 or absent: no limit).
   * @returns The number of members in every set (at most `limit`).
   * @example
   * ```ts
   * await client.zadd("{z}1", { a: 1, b: 2, c: 3 });
   * await client.zadd("{z}2", { a: 1, b: 2, c: 3 });
   * console.log(await client.zintercard(["{z}1", "{z}2"], { limit: 2 })); // 2
   * ```
   */
  zintercard(keys: GlideString[], options?: { limit?: number }): Reply<M, number> {
    return this.run(() => z.zintercard(keys, options?.limit));
  }

  /**
   * A random member of the sorted set at `key` (ZRANDMEMBER).
   *
   * @param key - The key of the sorted set.
   * @param options - `decoder` for the member.
   * @returns A member, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1 });
   * console.log(await client.zrandmember("scores")); // "a"
   * ```
   */
  zrandmember(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => z.zrandmember(key), options);
  }

  /**
   * Random members of the sorted set at `key` (ZRANDMEMBER key count).
   *
   * @param key - The key of the sorted set.
   * @param count - Positive: up to `count` distinct members; negative: exactly `-count`
   *   members, possibly repeated.
   * @param options - `decoder` for the members.
   * @returns The members; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1, b: 2 });
   * console.log(await client.zrandmemberWithCount("scores", -3)); // e.g. ["a", "a", "b"]
   * ```
   */
  zrandmemberWithCount(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => z.zrandmemberWithCount(key, count), options);
  }

  /**
   * Random members with their scores (ZRANDMEMBER key count WITHSCORES).
   *
   * @param key - The key of the sorted set.
   * @param count - As in {@link zrandmemberWithCount}.
   * @param options - `decoder` for the members.
   * @returns `[member, score]` pairs; `[]` if the key is missing.
   * @example
   * ```ts
   * await client.zadd("scores", { a: 1 });
   * console.log(await client.zrandmemberWithCountWithScores("scores", 1)); // [["a", 1]]
   * ```
   */
  zrandmemberWithCountWithScores(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, KeyWeight[]> {
    return this.run(() => z.zrandmemberWithCountWithScores(key, count), options);
  }

  /**
   * Iterates over the sorted set at `key` a batch at a time (ZSCAN).
   *
   * @param key - The key of the sorted set.
   * @param cursor - "0" to start, then the cursor the previous call returned.
   * @param options - {@link ZScanOptions} (`match`, `count`, `noScores` on Valkey 8+) and
   *   `decoder`.
   * @returns `[nextCursor, items]`: items alternate member and score (as a string), or are
   *   members only with `noScores`; the cursor is "0" when the scan is complete.
   * @example
   * ```ts
   * let cursor = "0";
   * do {
   *   const [next, items] = await client.zscan("scores", cursor, { count: 100 });
   *   console.log(items); // ["a", "1", "b", "2", ...]
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  zscan(
    key: GlideString,
    cursor: string,
    options?: ZScanOptions & DecoderOption,
  ): Reply<M, [string, GlideString[]]> {
    return this.run(() => z.zscan(key, cursor, options), options);
  }
}
