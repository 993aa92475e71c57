/**
 * Public option and reply types of the string commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * Expiry units for SET.
 *
 * @example
 * ```ts
 * import { TimeUnit } from "@glide-deno/glide";
 * // await client.set("k", "v", { expiry: { type: TimeUnit.Seconds, count: 10 } });
 * const u = TimeUnit.Milliseconds;
 * ```
 */
export enum TimeUnit {
  /** EX: seconds from now. */
  Seconds = "EX",
  /** PX: milliseconds from now. */
  Milliseconds = "PX",
  /** EXAT: a Unix time in seconds. */
  UnixSeconds = "EXAT",
  /** PXAT: a Unix time in milliseconds. */
  UnixMilliseconds = "PXAT",
}

/**
 * Options of `set`: a condition, an expiry, and whether to return the old value.
 *
 * @example
 * ```ts
 * import { type SetOptions, TimeUnit } from "@glide-deno/glide";
 * const o: SetOptions = {
 *   conditionalSet: "onlyIfDoesNotExist",
 *   expiry: { type: TimeUnit.Seconds, count: 60 },
 * };
 * ```
 */
export type SetOptions =
  & (
    | {
      /** NX / XX: set only if the key does not exist / exists. */
      conditionalSet?: "onlyIfExists" | "onlyIfDoesNotExist";
    }
    | {
      /** IFEQ (Valkey 8.1+): set only if the current value equals `comparisonValue`. */
      conditionalSet: "onlyIfEqual";
      /** The value the key must hold. */
      comparisonValue: GlideString;
    }
  )
  & {
    /** GET: return the old value (or null) instead of "OK". */
    returnOldValue?: boolean;
    /** KEEPTTL, or an expiry in the given unit. */
    expiry?: "keepExisting" | { type: TimeUnit; count: number };
  };

/**
 * Options of `getex`: a new expiry for the key, or `"persist"` to remove the one it has.
 *
 * @example
 * ```ts
 * import { type GetExOptions, TimeUnit } from "@glide-deno/glide";
 * const inAMinute: GetExOptions = { expiry: { type: TimeUnit.Seconds, duration: 60 } };
 * const forever: GetExOptions = { expiry: "persist" };
 * ```
 */
export interface GetExOptions {
  /** PERSIST, or EX/PX/EXAT/PXAT with `duration` in the unit's terms. */
  expiry: "persist" | { type: TimeUnit; duration: number };
}

/**
 * Options of `lcsIdx`: keep only matches of at least `minMatchLen` characters, and report each
 * match's length.
 *
 * @example
 * ```ts
 * import type { LcsIdxOptions } from "@glide-deno/glide";
 * const o: LcsIdxOptions = { withMatchLen: true, minMatchLen: 2 };
 * ```
 */
export interface LcsIdxOptions {
  /** WITHMATCHLEN: add the match length as the third item of each match. */
  withMatchLen?: boolean;
  /** MINMATCHLEN n: leave out matches shorter than `n`. */
  minMatchLen?: number;
}

/**
 * The reply of `lcsIdx`: `"matches"` holds one entry per matching substring,
 * `[[start1, end1], [start2, end2]]` (inclusive positions in the first and second string),
 * with the match length appended when `withMatchLen` is set; `"len"` is the length of the
 * whole longest common subsequence.
 *
 * @example
 * ```ts
 * import type { LcsIdxResult } from "@glide-deno/glide";
 * const r: LcsIdxResult = { matches: [[[4, 7], [5, 8], 4]], len: 4 };
 * ```
 */
export type LcsIdxResult = Record<string, (number | [number, number])[][] | number>;
