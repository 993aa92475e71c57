/**
 * Stream commands (XADD, XREAD, XREADGROUP, XCLAIM, XINFO ...) of every client.
 * @module
 */

import * as streams from "../commands/streams.ts";
import type { Boundary } from "../options/sorted_sets.ts";
import type {
  ReturnTypeXinfoStream,
  StreamAddOptions,
  StreamClaimOptions,
  StreamEntryDataType,
  StreamGroupOptions,
  StreamPendingOptions,
  StreamReadGroupOptions,
  StreamReadOptions,
  StreamTrimOptions,
} from "../options/streams.ts";
import type { DecoderOption, GlideRecord, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The stream commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { StreamCommands } from "@glide-deno/glide";
 * type Methods = StreamCommands<"async">;
 * ```
 */
export abstract class StreamCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Appends an entry to the stream at `key` (XADD), creating the stream unless
   * `makeStream: false`, and optionally trimming it.
   *
   * @param key - The key of the stream.
   * @param values - The entry's `[field, value]` pairs (at least one).
   * @param options - {@link StreamAddOptions} (ID, NOMKSTREAM, trim) and `decoder` for the ID.
   * @returns The new entry's ID, or `null` when `makeStream` is `false` and the stream is missing.
   * @example
   * ```ts
   * const id = await client.xadd("events", [["type", "login"], ["user", "ada"]]);
   * await client.xadd("events", [["type", "logout"]], { id: "9999999999999-0" });
   * ```
   */
  xadd(
    key: GlideString,
    values: [GlideString, GlideString][],
    options?: StreamAddOptions & DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(() => streams.xadd(key, values, options), options);
  }

  /**
   * Removes entries from the stream at `key` (XDEL).
   *
   * @param key - The key of the stream.
   * @param ids - The entry IDs (at least one).
   * @returns How many entries were removed (missing IDs are not counted).
   * @example
   * ```ts
   * await client.xadd("s", [["f", "v"]], { id: "1-0" });
   * console.log(await client.xdel("s", ["1-0", "2-0"])); // 1
   * ```
   */
  xdel(key: GlideString, ids: string[]): Reply<M, number> {
    return this.run(() => streams.xdel(key, ids));
  }

  /**
   * Returns the number of entries in the stream at `key` (XLEN).
   *
   * @param key - The key of the stream.
   * @returns The number of entries; `0` when the key does not exist.
   * @example
   * ```ts
   * await client.xadd("s", [["f", "v"]]);
   * console.log(await client.xlen("s")); // 1
   * ```
   */
  xlen(key: GlideString): Reply<M, number> {
    return this.run(() => streams.xlen(key));
  }

  /**
   * Trims the stream at `key` by length or by lowest entry ID (XTRIM).
   *
   * @param key - The key of the stream.
   * @param options - {@link StreamTrimOptions}: method, threshold, exactness and limit.
   * @returns How many entries were deleted.
   * @example
   * ```ts
   * console.log(await client.xtrim("s", { method: "maxlen", threshold: 100, exact: true }));
   * ```
   */
  xtrim(key: GlideString, options: StreamTrimOptions): Reply<M, number> {
    return this.run(() => streams.xtrim(key, options));
  }

  /**
   * Returns the entries of the stream at `key` whose IDs are within a range, oldest first
   * (XRANGE).
   *
   * @param key - The key of the stream.
   * @param start - The lowest ID: `InfBoundary.NegativeInfinity`, or `{ value, isInclusive }`.
   * @param end - The highest ID: `InfBoundary.PositiveInfinity`, or `{ value, isInclusive }`.
   * @param options - `count`: at most this many entries; `decoder` for fields and values.
   * @returns Entry ID → `[field, value]` pairs (`{}` for a missing key); `null` for `count: 0`.
   * @example
   * ```ts
   * await client.xadd("s", [["f", "v"]], { id: "1-0" });
   * console.log(await client.xrange("s", InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity));
   * // { "1-0": [["f", "v"]] }
   * ```
   */
  xrange(
    key: GlideString,
    start: Boundary<string>,
    end: Boundary<string>,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, StreamEntryDataType | null> {
    return this.run(() => streams.xrange(key, start, end, options?.count), options);
  }

  /**
   * Like {@link xrange}, newest first (XREVRANGE): note that `end` comes before `start`.
   *
   * @param key - The key of the stream.
   * @param end - The highest ID: `InfBoundary.PositiveInfinity`, or `{ value, isInclusive }`.
   * @param start - The lowest ID: `InfBoundary.NegativeInfinity`, or `{ value, isInclusive }`.
   * @param options - `count`: at most this many entries; `decoder` for fields and values.
   * @returns Entry ID → `[field, value]` pairs, newest first; `null` for `count: 0`.
   * @example
   * ```ts
   * const last = await client.xrevrange("s", InfBoundary.PositiveInfinity, InfBoundary.NegativeInfinity, { count: 1 });
   * ```
   */
  xrevrange(
    key: GlideString,
    end: Boundary<string>,
    start: Boundary<string>,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, StreamEntryDataType | null> {
    return this.run(() => streams.xrevrange(key, end, start, options?.count), options);
  }

  /**
   * Reads entries newer than the given IDs from one or more streams (XREAD), optionally
   * blocking until some arrive. The request timeout of a blocking read is extended by the
   * block time automatically.
   *
   * @param keys_and_ids - Stream key → the last ID already seen (`"$"` for only new entries),
   *   as a record or a list of `{ key, value }` entries. On the cluster all keys share a slot.
   * @param options - {@link StreamReadOptions} (`block`, `count`) and `decoder`.
   * @returns One `{ key, value }` per stream with entries (ID → pairs), or `null` when there
   *   were none (or the block timed out).
   * @example
   * ```ts
   * const r = await client.xread({ events: "0-0" }, { count: 10 });
   * // [{ key: "events", value: { "1-0": [["type", "login"]] } }]
   * ```
   */
  xread(
    keys_and_ids: Record<string, string> | GlideRecord<string>,
    options?: StreamReadOptions & DecoderOption,
  ): Reply<M, GlideRecord<StreamEntryDataType> | null> {
    return this.run(() => streams.xread(keys_and_ids, options), options);
  }

  /**
   * Reads entries from streams as `consumer` of the consumer group `group` (XREADGROUP).
   *
   * @param group - The consumer group.
   * @param consumer - The consumer (created on first use).
   * @param keys_and_ids - Stream key → ID: `">"` for never-delivered entries, or an ID to
   *   re-read this consumer's pending entries after it.
   * @param options - {@link StreamReadGroupOptions} (`block`, `count`, `noAck`) and `decoder`.
   * @returns One `{ key, value }` per stream: ID → pairs, or `null` for a pending entry deleted
   *   since; `null` when nothing was read.
   * @example
   * ```ts
   * await client.xgroupCreate("events", "workers", "0", { mkStream: true });
   * const r = await client.xreadgroup("workers", "w1", { events: ">" }, { count: 1 });
   * ```
   */
  xreadgroup(
    group: GlideString,
    consumer: GlideString,
    keys_and_ids: Record<string, string> | GlideRecord<string>,
    options?: StreamReadGroupOptions & DecoderOption,
  ): Reply<M, GlideRecord<Record<string, [GlideString, GlideString][] | null>> | null> {
    return this.run(
      () => streams.xreadgroup(group, consumer, keys_and_ids, options),
      options,
    );
  }

  /**
   * Creates the consumer group `groupName` on the stream at `key` (XGROUP CREATE).
   *
   * @param key - The key of the stream.
   * @param groupName - The new group.
   * @param id - The last delivered ID of the group: `"$"` for the stream's end, `"0"` for its
   *   start.
   * @param options - {@link StreamGroupOptions}: `mkStream`, `entriesRead`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.xgroupCreate("events", "workers", "$", { mkStream: true });
   * ```
   */
  xgroupCreate(
    key: GlideString,
    groupName: GlideString,
    id: string,
    options?: StreamGroupOptions,
  ): Reply<M, "OK"> {
    return this.run(() => streams.xgroupCreate(key, groupName, id, options));
  }

  /**
   * Destroys the consumer group `groupName` (XGROUP DESTROY).
   *
   * @param key - The key of the stream.
   * @param groupName - The group.
   * @returns `true` if the group existed and was destroyed.
   * @example
   * ```ts
   * console.log(await client.xgroupDestroy("events", "workers")); // true
   * ```
   */
  xgroupDestroy(key: GlideString, groupName: GlideString): Reply<M, boolean> {
    return this.run(() => streams.xgroupDestroy(key, groupName));
  }

  /**
   * Creates the consumer `consumerName` in the group `groupName` (XGROUP CREATECONSUMER).
   *
   * @param key - The key of the stream.
   * @param groupName - The group.
   * @param consumerName - The new consumer.
   * @returns `true` if created; `false` if it already existed.
   * @example
   * ```ts
   * console.log(await client.xgroupCreateConsumer("events", "workers", "w1")); // true
   * ```
   */
  xgroupCreateConsumer(
    key: GlideString,
    groupName: GlideString,
    consumerName: GlideString,
  ): Reply<M, boolean> {
    return this.run(() => streams.xgroupCreateConsumer(key, groupName, consumerName));
  }

  /**
   * Deletes the consumer `consumerName` from the group `groupName` (XGROUP DELCONSUMER).
   *
   * @param key - The key of the stream.
   * @param groupName - The group.
   * @param consumerName - The consumer.
   * @returns How many pending entries the consumer had.
   * @example
   * ```ts
   * console.log(await client.xgroupDelConsumer("events", "workers", "w1")); // 0
   * ```
   */
  xgroupDelConsumer(
    key: GlideString,
    groupName: GlideString,
    consumerName: GlideString,
  ): Reply<M, number> {
    return this.run(() => streams.xgroupDelConsumer(key, groupName, consumerName));
  }

  /**
   * Sets the last delivered ID of the group `groupName` (XGROUP SETID).
   *
   * @param key - The key of the stream.
   * @param groupName - The group.
   * @param id - The new last delivered ID (`"$"` for the stream's last entry).
   * @param options - `entriesRead` (Valkey 7.0+): the group's entries-read counter.
   * @returns "OK".
   * @example
   * ```ts
   * await client.xgroupSetId("events", "workers", "0", { entriesRead: 0 });
   * ```
   */
  xgroupSetId(
    key: GlideString,
    groupName: GlideString,
    id: string,
    options?: { entriesRead?: number },
  ): Reply<M, "OK"> {
    return this.run(() => streams.xgroupSetId(key, groupName, id, options?.entriesRead));
  }

  /**
   * Acknowledges entries: removes them from the group's pending entries list (XACK).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param ids - The entry IDs (at least one).
   * @returns How many entries were acknowledged.
   * @example
   * ```ts
   * console.log(await client.xack("events", "workers", ["1-0"])); // 1
   * ```
   */
  xack(key: GlideString, group: GlideString, ids: string[]): Reply<M, number> {
    return this.run(() => streams.xack(key, group, ids));
  }

  /**
   * Summarizes the pending entries of the group `group` (XPENDING).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @returns `[count, lowest ID, highest ID, [[consumer, count], ...]]`; the IDs are `null`
   *   and the list empty when nothing is pending.
   * @example
   * ```ts
   * console.log(await client.xpending("events", "workers"));
   * // [2, "1-0", "2-0", [["w1", 2]]]
   * ```
   */
  xpending(
    key: GlideString,
    group: GlideString,
  ): Reply<M, [number, GlideString | null, GlideString | null, [GlideString, number][]]> {
    return this.run(() => streams.xpending(key, group));
  }

  /**
   * Lists pending entries of the group `group` in an ID range (the extended form of
   * XPENDING).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param options - {@link StreamPendingOptions}: `start`, `end`, `count`, and the filters
   *   `consumer` and `minIdleTime`.
   * @returns `[id, consumer, idle milliseconds, delivery count]` per entry.
   * @example
   * ```ts
   * const p = await client.xpendingWithOptions("events", "workers", {
   *   start: InfBoundary.NegativeInfinity,
   *   end: InfBoundary.PositiveInfinity,
   *   count: 10,
   * });
   * ```
   */
  xpendingWithOptions(
    key: GlideString,
    group: GlideString,
    options: StreamPendingOptions,
  ): Reply<M, [GlideString, GlideString, number, number][]> {
    return this.run(() => streams.xpendingWithOptions(key, group, options));
  }

  /**
   * Transfers pending entries idle for at least `minIdleTime` to `consumer` (XCLAIM).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param consumer - The new owner.
   * @param minIdleTime - Only claim entries idle at least this many milliseconds.
   * @param ids - The entry IDs (at least one).
   * @param options - {@link StreamClaimOptions} and `decoder`.
   * @returns The claimed entries: ID → `[field, value]` pairs.
   * @example
   * ```ts
   * const claimed = await client.xclaim("events", "workers", "w2", 60_000, ["1-0"]);
   * ```
   */
  xclaim(
    key: GlideString,
    group: GlideString,
    consumer: GlideString,
    minIdleTime: number,
    ids: string[],
    options?: StreamClaimOptions & DecoderOption,
  ): Reply<M, StreamEntryDataType> {
    return this.run(
      () => streams.xclaim(key, group, consumer, minIdleTime, ids, options),
      options,
    );
  }

  /**
   * Like {@link xclaim}, returning only the claimed IDs (XCLAIM ... JUSTID); the delivery
   * counters are not incremented.
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param consumer - The new owner.
   * @param minIdleTime - Only claim entries idle at least this many milliseconds.
   * @param ids - The entry IDs (at least one).
   * @param options - {@link StreamClaimOptions}.
   * @returns The claimed IDs.
   * @example
   * ```ts
   * console.log(await client.xclaimJustId("events", "workers", "w2", 0, ["1-0"])); // ["1-0"]
   * ```
   */
  xclaimJustId(
    key: GlideString,
    group: GlideString,
    consumer: GlideString,
    minIdleTime: number,
    ids: string[],
    options?: StreamClaimOptions,
  ): Reply<M, string[]> {
    return this.run(() => streams.xclaimJustId(key, group, consumer, minIdleTime, ids, options));
  }

  /**
   * Claims pending entries idle for at least `minIdleTime`, scanning from `start`
   * (XAUTOCLAIM).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param consumer - The new owner.
   * @param minIdleTime - Only claim entries idle at least this many milliseconds.
   * @param start - The ID to scan from (`"0-0"` first, then the returned cursor).
   * @param options - `count`: at most this many entries (default 100); `decoder`.
   * @returns `[next start ID ("0-0" when done), claimed entries, IDs of deleted entries removed
   *   from the pending list (Valkey 7.0+)]`.
   * @example
   * ```ts
   * const [next, claimed, deleted] = await client.xautoclaim("events", "workers", "w2", 60_000, "0-0");
   * ```
   */
  xautoclaim(
    key: GlideString,
    group: GlideString,
    consumer: GlideString,
    minIdleTime: number,
    start: string,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, [GlideString, StreamEntryDataType, GlideString[]?]> {
    return this.run(
      () => streams.xautoclaim(key, group, consumer, minIdleTime, start, options?.count),
      options,
    );
  }

  /**
   * Like {@link xautoclaim}, returning only the claimed IDs (XAUTOCLAIM ... JUSTID).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param consumer - The new owner.
   * @param minIdleTime - Only claim entries idle at least this many milliseconds.
   * @param start - The ID to scan from.
   * @param options - `count`: at most this many entries (default 100).
   * @returns `[next start ID, claimed IDs, deleted IDs (Valkey 7.0+)]`.
   * @example
   * ```ts
   * const [next, ids] = await client.xautoclaimJustId("events", "workers", "w2", 0, "0-0");
   * ```
   */
  xautoclaimJustId(
    key: GlideString,
    group: GlideString,
    consumer: GlideString,
    minIdleTime: number,
    start: string,
    options?: { count?: number },
  ): Reply<M, [string, string[], string[]?]> {
    return this.run(() =>
      streams.xautoclaimJustId(key, group, consumer, minIdleTime, start, options?.count)
    );
  }

  /**
   * Describes the stream at `key` (XINFO STREAM), or with `fullOptions` its entries, groups,
   * consumers and pending entries too (XINFO STREAM FULL).
   *
   * @param key - The key of the stream.
   * @param options - `fullOptions`: `true` for the full form (10 pending entries per list), a
   *   number for that many (`0`: all); `decoder` for the values.
   * @returns The server's fields by name: "length", "last-generated-id", "first-entry"
   *   (`[id, [field, value, ...]]`) ...; in the full form "entries" and "groups" (records).
   * @example
   * ```ts
   * const info = await client.xinfoStream("events");
   * console.log(info.length, info["last-generated-id"]);
   * const full = await client.xinfoStream("events", { fullOptions: 5 });
   * ```
   */
  xinfoStream(
    key: GlideString,
    options?: { fullOptions?: boolean | number } & DecoderOption,
  ): Reply<M, ReturnTypeXinfoStream> {
    return this.run(() => streams.xinfoStream(key, options?.fullOptions), options);
  }

  /**
   * Describes the consumer groups of the stream at `key` (XINFO GROUPS).
   *
   * @param key - The key of the stream.
   * @param options - `decoder` for the values.
   * @returns One record per group: "name", "consumers", "pending", "last-delivered-id",
   *   "entries-read", "lag".
   * @example
   * ```ts
   * const [group] = await client.xinfoGroups("events");
   * console.log(group.name, group.pending);
   * ```
   */
  xinfoGroups(
    key: GlideString,
    options?: DecoderOption,
  ): Reply<M, Record<string, GlideString | number | null>[]> {
    return this.run(() => streams.xinfoGroups(key), options);
  }

  /**
   * Describes the consumers of the group `group` (XINFO CONSUMERS).
   *
   * @param key - The key of the stream.
   * @param group - The group.
   * @param options - `decoder` for the values.
   * @returns One record per consumer: "name", "pending", "idle", and "inactive" (Valkey 7.2+).
   * @example
   * ```ts
   * const consumers = await client.xinfoConsumers("events", "workers");
   * ```
   */
  xinfoConsumers(
    key: GlideString,
    group: GlideString,
    options?: DecoderOption,
  ): Reply<M, Record<string, GlideString | number>[]> {
    return this.run(() => streams.xinfoConsumers(key, group), options);
  }
}
