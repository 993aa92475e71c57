/**
 * Public option and reply types of the list commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * The end of a list to pop from or push to (LMOVE, BLMOVE, LMPOP, BLMPOP).
 *
 * @example
 * ```ts
 * import { ListDirection } from "@glide-deno/glide";
 * // await client.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT);
 * const from = ListDirection.LEFT;
 * ```
 */
export enum ListDirection {
  /** LEFT: the head of the list. */
  LEFT = "LEFT",
  /** RIGHT: the tail of the list. */
  RIGHT = "RIGHT",
}

/**
 * Where `linsert` puts the new element relative to the pivot.
 *
 * @example
 * ```ts
 * import { InsertPosition } from "@glide-deno/glide";
 * // await client.linsert("list", InsertPosition.Before, "pivot", "new");
 * const p = InsertPosition.After;
 * ```
 */
export enum InsertPosition {
  /** BEFORE the pivot. */
  Before = "before",
  /** AFTER the pivot. */
  After = "after",
}

/**
 * Options of `lpos`: which match to start from, how many matches to return, and how many
 * elements to compare at most.
 *
 * @example
 * ```ts
 * import type { LPosOptions } from "@glide-deno/glide";
 * const secondFromTheEnd: LPosOptions = { rank: -2 };
 * const allWithinTen: LPosOptions = { count: 0, maxLength: 10 };
 * ```
 */
export interface LPosOptions {
  /** RANK r: start from the r-th match (negative: count matches from the tail). Not 0. */
  rank?: number;
  /** COUNT n: return the positions of up to `n` matches as an array (0: all of them). */
  count?: number;
  /** MAXLEN n: compare at most `n` elements (0: no limit). */
  maxLength?: number;
}

/**
 * The reply of `lmpop` and `blmpop`: the key the elements were popped from, and the elements.
 *
 * @example
 * ```ts
 * import type { ListPopResult } from "@glide-deno/glide";
 * const r: ListPopResult = { key: "queue", elements: ["job1", "job2"] };
 * ```
 */
export interface ListPopResult {
  /** The key of the list the elements were popped from. */
  key: GlideString;
  /** The popped elements, in the order they were popped. */
  elements: GlideString[];
}
