/**
 * Public option and reply types of the sorted_sets commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * A condition on whether members may be added or updated (ZADD, GEOADD).
 *
 * @example
 * ```ts
 * import { ConditionalChange } from "@glide-deno/glide";
 * // await client.zadd("z", { a: 1 }, { conditionalChange: ConditionalChange.ONLY_IF_EXISTS });
 * const c = ConditionalChange.ONLY_IF_DOES_NOT_EXIST;
 * ```
 */
export enum ConditionalChange {
  /** XX: only update members that exist; add none. */
  ONLY_IF_EXISTS = "XX",
  /** NX: only add new members; update none. */
  ONLY_IF_DOES_NOT_EXIST = "NX",
}

/**
 * When ZADD may change the score of an existing member.
 *
 * @example
 * ```ts
 * import { UpdateByScore } from "@glide-deno/glide";
 * // await client.zadd("z", { a: 5 }, { updateOptions: UpdateByScore.GREATER_THAN });
 * const u = UpdateByScore.LESS_THAN;
 * ```
 */
export enum UpdateByScore {
  /** LT: only when the new score is lower than the current one. */
  LESS_THAN = "LT",
  /** GT: only when the new score is higher than the current one. */
  GREATER_THAN = "GT",
}

/**
 * Options of `zadd` and `zaddIncr`.
 *
 * @example
 * ```ts
 * import { ConditionalChange, type ZAddOptions } from "@glide-deno/glide";
 * const o: ZAddOptions = { conditionalChange: ConditionalChange.ONLY_IF_EXISTS, changed: true };
 * ```
 */
export interface ZAddOptions {
  /** NX / XX: only add new members / only update existing ones. */
  conditionalChange?: ConditionalChange;
  /** GT / LT: only update a score when the new one is greater / less. */
  updateOptions?: UpdateByScore;
  /** CH: count the members changed (added or updated) instead of only the added ones. */
  changed?: boolean;
}

/**
 * A score given to ZADD: a number, or positive / negative infinity.
 *
 * @example
 * ```ts
 * import type { Score } from "@glide-deno/glide";
 * const scores: Score[] = [1.5, "+inf", "-inf"];
 * ```
 */
export type Score = number | "+inf" | "-inf";

/**
 * One member and its score, as given to ZADD.
 *
 * @example
 * ```ts
 * import type { ElementAndScore } from "@glide-deno/glide";
 * const e: ElementAndScore = { element: "alice", score: 10 };
 * ```
 */
export type ElementAndScore = {
  /** The member. */
  element: GlideString;
  /** Its score. */
  score: Score;
};

/**
 * Members with their scores, in the order the server returned them (ZRANGE WITHSCORES,
 * ZPOPMIN, ZUNION WITHSCORES ...).
 *
 * @example
 * ```ts
 * import type { SortedSetDataType } from "@glide-deno/glide";
 * const d: SortedSetDataType = [{ element: "a", score: 1 }, { element: "b", score: 2 }];
 * ```
 */
export type SortedSetDataType = {
  /** The member. */
  element: GlideString;
  /** Its score. */
  score: number;
}[];

/**
 * A key with a weight (a score multiplier) for ZINTER/ZUNION and their STORE forms; also the
 * `[member, score]` pairs of `zrandmemberWithCountWithScores`.
 *
 * @example
 * ```ts
 * import type { KeyWeight } from "@glide-deno/glide";
 * const w: KeyWeight[] = [["z1", 2], ["z2", 0.5]];
 * ```
 */
export type KeyWeight = [GlideString, number];

/**
 * How ZINTER/ZUNION combine the scores of a member found in several sets (default SUM).
 *
 * @example
 * ```ts
 * import type { AggregationType } from "@glide-deno/glide";
 * const a: AggregationType = "MAX";
 * ```
 */
export type AggregationType = "SUM" | "MIN" | "MAX";

/**
 * An open end of a range: positive or negative infinity.
 *
 * @example
 * ```ts
 * import { InfBoundary } from "@glide-deno/glide";
 * // await client.zcount("z", InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity);
 * const b = InfBoundary.PositiveInfinity;
 * ```
 */
export enum InfBoundary {
  /** Positive infinity ("+inf" for scores, "+" for lex ranges). */
  PositiveInfinity = "+",
  /** Negative infinity ("-inf" for scores, "-" for lex ranges). */
  NegativeInfinity = "-",
}

/**
 * One end of a score or lex range: infinity, or a value (inclusive unless
 * `isInclusive: false`).
 *
 * @example
 * ```ts
 * import { type Boundary, InfBoundary } from "@glide-deno/glide";
 * const min: Boundary<number> = { value: 1, isInclusive: false };
 * const max: Boundary<number> = InfBoundary.PositiveInfinity;
 * ```
 */
export type Boundary<T> =
  | InfBoundary
  | {
    /** The value at this end. */
    value: T;
    /** Whether the value itself is in the range (default true). */
    isInclusive?: boolean;
  };

/**
 * A range of ranks (zero-based; negative counts from the end).
 *
 * @example
 * ```ts
 * import type { RangeByIndex } from "@glide-deno/glide";
 * const all: RangeByIndex = { start: 0, end: -1 };
 * ```
 */
export interface RangeByIndex {
  /** The first rank. */
  start: number;
  /** The last rank (inclusive). */
  end: number;
}

/**
 * The LIMIT of a score or lex range: skip `offset` matches, return at most `count` (negative:
 * all the rest).
 *
 * @example
 * ```ts
 * import type { RangeLimit } from "@glide-deno/glide";
 * const page: RangeLimit = { offset: 10, count: 10 };
 * ```
 */
export interface RangeLimit {
  /** How many matches to skip. */
  offset: number;
  /** How many to return; negative for all the rest. */
  count: number;
}

/**
 * A range of scores (BYSCORE). With `reverse`, `start` is the higher end.
 *
 * @example
 * ```ts
 * import { InfBoundary, type RangeByScore } from "@glide-deno/glide";
 * const r: RangeByScore = {
 *   type: "byScore",
 *   start: { value: 1 },
 *   end: InfBoundary.PositiveInfinity,
 *   limit: { offset: 0, count: 5 },
 * };
 * ```
 */
export interface RangeByScore {
  /** Selects BYSCORE. */
  type: "byScore";
  /** The first end. */
  start: Boundary<number>;
  /** The other end. */
  end: Boundary<number>;
  /** LIMIT offset count. */
  limit?: RangeLimit;
}

/**
 * A range of members in lexicographical order (BYLEX), for sets whose scores are all equal.
 * With `reverse`, `start` is the higher end.
 *
 * @example
 * ```ts
 * import { InfBoundary, type RangeByLex } from "@glide-deno/glide";
 * const r: RangeByLex = { type: "byLex", start: { value: "a" }, end: InfBoundary.PositiveInfinity };
 * ```
 */
export interface RangeByLex {
  /** Selects BYLEX. */
  type: "byLex";
  /** The first end. */
  start: Boundary<GlideString>;
  /** The other end. */
  end: Boundary<GlideString>;
  /** LIMIT offset count. */
  limit?: RangeLimit;
}

/**
 * Which end ZMPOP/BZMPOP pop from.
 *
 * @example
 * ```ts
 * import { ScoreFilter } from "@glide-deno/glide";
 * // await client.zmpop(["z1", "z2"], ScoreFilter.MAX, { count: 2 });
 * const f = ScoreFilter.MIN;
 * ```
 */
export enum ScoreFilter {
  /** The highest scores. */
  MAX = "MAX",
  /** The lowest scores. */
  MIN = "MIN",
}

/**
 * Options of `zscan`.
 *
 * @example
 * ```ts
 * import type { ZScanOptions } from "@glide-deno/glide";
 * const o: ZScanOptions = { match: "user:*", count: 100 };
 * ```
 */
export interface ZScanOptions {
  /** MATCH: only members matching this glob pattern. */
  match?: GlideString;
  /** COUNT: a hint of how much work to do per call. */
  readonly count?: number;
  /** NOSCORES (Valkey 8.0+): return the members without their scores. */
  readonly noScores?: boolean;
}
