/**
 * Public option and reply types of the stream commands.
 * @module
 */

import type { GlideString } from "../values.ts";
import type { Boundary } from "./sorted_sets.ts";

/**
 * How a stream is trimmed (XTRIM, and XADD with `trim`): by length (MAXLEN) or by lowest kept
 * entry ID (MINID), exactly (`=`) or approximately (`~`, faster), optionally deleting at most
 * `limit` entries (approximate trimming only).
 *
 * @example
 * ```ts
 * import type { StreamTrimOptions } from "@glide-deno/glide";
 * const byLength: StreamTrimOptions = { method: "maxlen", threshold: 1000, exact: false, limit: 100 };
 * const byId: StreamTrimOptions = { method: "minid", threshold: "1700000000000-0", exact: true };
 * ```
 */
export type StreamTrimOptions =
  & (
    | {
      /** MINID: evict entries whose ID is lower than `threshold`. */
      method: "minid";
      /** The lowest entry ID to keep. */
      threshold: GlideString;
    }
    | {
      /** MAXLEN: keep at most `threshold` entries. */
      method: "maxlen";
      /** The maximal length of the stream. */
      threshold: number;
    }
  )
  & {
    /** `true`: trim exactly (`=`); `false`: trim approximately (`~`). */
    exact: boolean;
    /** LIMIT: the most entries one trim deletes (approximate trimming only). */
    limit?: number;
  };

/**
 * Options of `xadd`: an explicit entry ID, whether a missing stream is created, and trimming.
 *
 * @example
 * ```ts
 * import type { StreamAddOptions } from "@glide-deno/glide";
 * const o: StreamAddOptions = {
 *   id: "1-0",
 *   makeStream: false,
 *   trim: { method: "maxlen", threshold: 10, exact: true },
 * };
 * ```
 */
export interface StreamAddOptions {
  /** The new entry's ID; `*` (a generated ID) when absent. */
  id?: string;
  /** `false`: do not create the stream when it is missing (NOMKSTREAM). */
  makeStream?: boolean;
  /** Trim the stream while adding. */
  trim?: StreamTrimOptions;
}

/**
 * Options of `xread`: how long to block for new entries, and how many entries per stream.
 *
 * @example
 * ```ts
 * import type { StreamReadOptions } from "@glide-deno/glide";
 * const o: StreamReadOptions = { block: 1000, count: 10 };
 * ```
 */
export interface StreamReadOptions {
  /** BLOCK: wait up to this many milliseconds for entries; `0` waits forever. */
  block?: number;
  /** COUNT: at most this many entries per stream. */
  count?: number;
}

/**
 * Options of `xreadgroup`: those of {@link StreamReadOptions}, plus NOACK.
 *
 * @example
 * ```ts
 * import type { StreamReadGroupOptions } from "@glide-deno/glide";
 * const o: StreamReadGroupOptions = { count: 10, noAck: true };
 * ```
 */
export type StreamReadGroupOptions = StreamReadOptions & {
  /** NOACK: do not add the read entries to the group's pending entries list. */
  noAck?: boolean;
};

/**
 * Options of `xpendingWithOptions` (the extended form of XPENDING): an ID range, a count, and
 * filters by idle time and consumer.
 *
 * @example
 * ```ts
 * import { InfBoundary, type StreamPendingOptions } from "@glide-deno/glide";
 * const o: StreamPendingOptions = {
 *   start: InfBoundary.NegativeInfinity,
 *   end: { value: "5-0", isInclusive: false },
 *   count: 10,
 *   consumer: "alice",
 *   minIdleTime: 1000,
 * };
 * ```
 */
export interface StreamPendingOptions {
  /** IDLE: only entries idle for at least this many milliseconds. */
  minIdleTime?: number;
  /** The lowest entry ID. */
  start: Boundary<string>;
  /** The highest entry ID. */
  end: Boundary<string>;
  /** The most entries returned. */
  count: number;
  /** Only entries owned by this consumer. */
  consumer?: GlideString;
}

/**
 * Options of `xclaim` and `xclaimJustId`.
 *
 * @example
 * ```ts
 * import type { StreamClaimOptions } from "@glide-deno/glide";
 * const o: StreamClaimOptions = { idle: 500, retryCount: 3, isForce: true };
 * ```
 */
export interface StreamClaimOptions {
  /** IDLE: set the claimed entries' idle time, in milliseconds (default 0). */
  idle?: number;
  /** TIME: set the idle time as a Unix time in milliseconds. */
  idleUnixTime?: number;
  /** RETRYCOUNT: set the delivery counter. */
  retryCount?: number;
  /** FORCE: create pending entries for IDs not yet pending (they must exist in the stream). */
  isForce?: boolean;
}

/**
 * Options of `xgroupCreate`.
 *
 * @example
 * ```ts
 * import type { StreamGroupOptions } from "@glide-deno/glide";
 * const o: StreamGroupOptions = { mkStream: true, entriesRead: "0" };
 * ```
 */
export interface StreamGroupOptions {
  /** MKSTREAM: create an empty stream when the key is missing. */
  mkStream?: boolean;
  /** ENTRIESREAD (Valkey 7.0+): the group's entries-read counter. */
  entriesRead?: string;
}

/**
 * Stream entries as GLIDE returns them: entry ID → the entry's `[field, value]` pairs, in
 * stream order.
 *
 * @example
 * ```ts
 * import type { StreamEntryDataType } from "@glide-deno/glide";
 * const e: StreamEntryDataType = { "1-0": [["temp", "21"], ["unit", "C"]] };
 * ```
 */
export type StreamEntryDataType = Record<string, [GlideString, GlideString][]>;

/**
 * A value in the reply of `xinfoStream`: a string, a number, `null` (no first entry, unknown
 * entries-read), one entry (`[id, [field, value, field, value, ...]]`), or a list of entries or
 * of pending-entry tuples.
 *
 * @example
 * ```ts
 * import type { StreamEntries } from "@glide-deno/glide";
 * const first: StreamEntries = ["1-0", ["temp", "21"]];
 * const entries: StreamEntries = [["1-0", ["temp", "21"]], ["2-0", ["temp", "22"]]];
 * ```
 */
export type StreamEntries =
  | GlideString
  | number
  | null
  | (GlideString | number | GlideString[])[]
  | (GlideString | number | GlideString[])[][];

/**
 * The reply of `xinfoStream`, keyed by the server's field names ("length", "last-generated-id",
 * "first-entry" ...). The full form has "entries" and "groups" (a list of records whose
 * "consumers" are records too).
 *
 * @example
 * ```ts
 * import type { ReturnTypeXinfoStream } from "@glide-deno/glide";
 * const info: ReturnTypeXinfoStream = { length: 1, "first-entry": ["1-0", ["f", "v"]] };
 * ```
 */
export type ReturnTypeXinfoStream = Record<
  string,
  StreamEntries | Record<string, StreamEntries | Record<string, StreamEntries>[]>[]
>;
