/**
 * Sorted-set commands: ZADD, ZRANGE (by index, score, lex), ZPOPMIN/ZPOPMAX and their blocking
 * forms, ZMPOP, ZINTER/ZUNION/ZDIFF (and STORE forms), ZRANK, ZSCAN ...
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { isEntry, toArray, toNullableNumber, toNullableNumbers, toNumber } from "../shape.ts";
import type { GlideReturnType, GlideString } from "../values.ts";
import {
  type AggregationType,
  type Boundary,
  ConditionalChange,
  type ElementAndScore,
  InfBoundary,
  type KeyWeight,
  type RangeByIndex,
  type RangeByLex,
  type RangeByScore,
  type Score,
  ScoreFilter,
  type SortedSetDataType,
  UpdateByScore,
  type ZAddOptions,
  type ZScanOptions,
} from "../options/sorted_sets.ts";

const CONDITIONS = new Set<string>(Object.values(ConditionalChange));
const UPDATES = new Set<string>(Object.values(UpdateByScore));
const FILTERS = new Set<string>(Object.values(ScoreFilter));
const AGGREGATES = new Set<string>(["SUM", "MIN", "MAX"]);

// ---------------------------------------------------------------- argument helpers

/** A score for ZADD: a number (±Infinity allowed) or "+inf" / "-inf". */
function scoreArg(name: string, s: Score): string {
  if (s === "+inf" || s === Infinity) return "+inf";
  if (s === "-inf" || s === -Infinity) return "-inf";
  return finite(name, s as number);
}

/** A score boundary: "+inf" / "-inf", "n" (inclusive) or "(n" (exclusive). */
function scoreBoundary(name: string, b: Boundary<number>): string {
  if (b === InfBoundary.PositiveInfinity) return "+inf";
  if (b === InfBoundary.NegativeInfinity) return "-inf";
  if (typeof b !== "object" || b === null) {
    throw new ConfigurationError(`${name} must be an InfBoundary or { value, isInclusive }`);
  }
  const v = scoreArg(`${name}.value`, b.value);
  return b.isInclusive === false ? `(${v}` : v;
}

/** Prefixes a member with "[" or "(" (bytes stay bytes). */
function prefixed(prefix: string, v: GlideString): GlideString {
  if (typeof v === "string") return prefix + v;
  if (!(v instanceof Uint8Array)) {
    throw new ConfigurationError("a lex boundary value must be a string or Uint8Array");
  }
  const out = new Uint8Array(v.length + 1);
  out[0] = prefix.charCodeAt(0);
  out.set(v, 1);
  return out;
}

/** A lex boundary: "+" / "-", "[m" (inclusive) or "(m" (exclusive). */
function lexBoundary(name: string, b: Boundary<GlideString>): GlideString {
  if (b === InfBoundary.PositiveInfinity) return "+";
  if (b === InfBoundary.NegativeInfinity) return "-";
  if (typeof b !== "object" || b === null || b instanceof Uint8Array) {
    throw new ConfigurationError(`${name} must be an InfBoundary or { value, isInclusive }`);
  }
  return prefixed(b.isInclusive === false ? "(" : "[", b.value);
}

/** The range part of ZRANGE / ZRANGESTORE: start stop [BYSCORE|BYLEX] [REV] [LIMIT o c]. */
function rangeArgs(
  range: RangeByScore | RangeByLex | RangeByIndex,
  reverse: boolean | undefined,
): GlideString[] {
  if (typeof range !== "object" || range === null) {
    throw new ConfigurationError("rangeQuery must be a RangeByIndex, RangeByScore or RangeByLex");
  }
  const args: GlideString[] = [];
  const type = (range as { type?: unknown }).type;
  if (type === "byScore") {
    const r = range as RangeByScore;
    args.push(scoreBoundary("start", r.start), scoreBoundary("end", r.end), "BYSCORE");
  } else if (type === "byLex") {
    const r = range as RangeByLex;
    args.push(lexBoundary("start", r.start), lexBoundary("end", r.end), "BYLEX");
  } else if (type === undefined) {
    const r = range as RangeByIndex;
    args.push(int("start", r.start), int("end", r.end));
  } else {
    throw new ConfigurationError(`unknown range type: ${String(type)}`);
  }
  if (reverse) args.push("REV");
  const limit = (range as RangeByScore).limit;
  if (type !== undefined && limit !== undefined) {
    if (typeof limit !== "object" || limit === null) {
      throw new ConfigurationError("limit must be { offset, count }");
    }
    args.push("LIMIT", int("limit.offset", limit.offset), int("limit.count", limit.count));
  }
  return args;
}

/** NX|XX, GT|LT, CH of ZADD. */
function zaddOptionArgs(options: ZAddOptions | undefined): string[] {
  const args: string[] = [];
  if (!options) return args;
  const { conditionalChange, updateOptions } = options;
  if (conditionalChange !== undefined) {
    if (!CONDITIONS.has(conditionalChange)) {
      throw new ConfigurationError(`unknown conditionalChange: ${String(conditionalChange)}`);
    }
    args.push(conditionalChange);
  }
  if (updateOptions !== undefined) {
    if (!UPDATES.has(updateOptions)) {
      throw new ConfigurationError(`unknown updateOptions: ${String(updateOptions)}`);
    }
    args.push(updateOptions);
  }
  if (options.changed) args.push("CH");
  return args;
}

/** numkeys key... [WEIGHTS w...] [AGGREGATE x] of ZINTER / ZUNION and their STORE forms. */
function weightedArgs(
  keys: GlideString[] | KeyWeight[],
  aggregationType: AggregationType | undefined,
): GlideString[] {
  mayBeEmpty<GlideString | KeyWeight>("keys", keys);
  const names: GlideString[] = [];
  const weights: string[] = [];
  for (const k of keys) {
    if (Array.isArray(k)) {
      names.push(k[0]);
      weights.push(finite("weight", k[1]));
    } else {
      names.push(k);
    }
  }
  if (weights.length !== 0 && weights.length !== names.length) {
    throw new ConfigurationError("keys must be all plain keys or all [key, weight] pairs");
  }
  const args: GlideString[] = [String(names.length), ...names];
  if (weights.length) args.push("WEIGHTS", ...weights);
  if (aggregationType !== undefined) {
    if (!AGGREGATES.has(aggregationType)) {
      throw new ConfigurationError(`unknown aggregationType: ${String(aggregationType)}`);
    }
    args.push("AGGREGATE", aggregationType);
  }
  return args;
}

function filterArg(modifier: ScoreFilter): string {
  if (!FILTERS.has(modifier)) {
    throw new ConfigurationError(`unknown ScoreFilter: ${String(modifier)}`);
  }
  return modifier;
}

// ---------------------------------------------------------------- reply shapers

/**
 * Members with scores, as RESP3 `[[m, s], ...]` pairs, RESP3 map entries, or a flat
 * `[m, s, m, s ...]` (RESP2, and RESP3 ZPOPMIN without COUNT) → {@link SortedSetDataType}.
 */
function toScored(r: GlideReturnType): SortedSetDataType {
  const list = toArray(r);
  const out: SortedSetDataType = [];
  if (list.length === 0) return out;
  if (Array.isArray(list[0])) {
    for (const p of list as GlideReturnType[][]) {
      out.push({ element: p[0] as GlideString, score: toNumber(p[1]) });
    }
  } else if (isEntry(list[0])) {
    for (const e of list as unknown as { key: GlideString; value: GlideReturnType }[]) {
      out.push({ element: e.key, score: toNumber(e.value) });
    }
  } else {
    for (let i = 0; i + 1 < list.length; i += 2) {
      out.push({ element: list[i] as GlideString, score: toNumber(list[i + 1]) });
    }
  }
  return out;
}

/** `[key, members-with-scores]` or null (ZMPOP / BZMPOP). */
function toKeyAndScored(r: GlideReturnType): [GlideString, SortedSetDataType] | null {
  if (r === null) return null;
  const list = toArray(r);
  if (list.length === 1 && isEntry(list[0])) {
    // A RESP3 map with one entry: { key: members }.
    const e = list[0] as { key: GlideString; value: GlideReturnType };
    return [e.key, toScored(e.value)];
  }
  return [list[0] as GlideString, toScored(list[1])];
}

/** `[key, member, score]` or null (BZPOPMIN / BZPOPMAX). */
function toKeyMemberScore(r: GlideReturnType): [GlideString, GlideString, number] | null {
  if (r === null) return null;
  const list = toArray(r);
  return [list[0] as GlideString, list[1] as GlideString, toNumber(list[2])];
}

/** `[rank, score]` or null (ZRANK/ZREVRANK WITHSCORE). */
function toRankAndScore(r: GlideReturnType): [number, number] | null {
  if (r === null) return null;
  const list = toArray(r);
  return [toNumber(list[0]), toNumber(list[1])];
}

// ---------------------------------------------------------------- builders

/** ZADD key [NX|XX] [GT|LT] [CH] score member [score member ...]. @internal */
export function zadd(
  key: GlideString,
  membersAndScores: ElementAndScore[] | Record<string, Score>,
  options?: ZAddOptions,
): Command<number> {
  const args: GlideString[] = ["ZADD", key, ...zaddOptionArgs(options)];
  if (Array.isArray(membersAndScores)) {
    for (const e of membersAndScores) {
      if (typeof e !== "object" || e === null) {
        throw new ConfigurationError("membersAndScores entries must be { element, score }");
      }
      args.push(scoreArg("score", e.score), e.element);
    }
  } else if (typeof membersAndScores === "object" && membersAndScores !== null) {
    for (const member of Object.keys(membersAndScores)) {
      args.push(scoreArg("score", membersAndScores[member]), member);
    }
  }
  // None at all is sent as it is (GLIDE does): the server refuses it.
  return command(args);
}

/** ZADD key [NX|XX] [GT|LT] [CH] INCR increment member. @internal */
export function zaddIncr(
  key: GlideString,
  member: GlideString,
  increment: number,
  options?: ZAddOptions,
): Command<number | null> {
  return shaped(
    ["ZADD", key, ...zaddOptionArgs(options), "INCR", finite("increment", increment), member],
    toNullableNumber,
  );
}

/** ZINCRBY key increment member. @internal */
export function zincrby(key: GlideString, increment: number, member: GlideString): Command<number> {
  return shaped(["ZINCRBY", key, finite("increment", increment), member], toNumber);
}

/** ZREM key member [member ...]. @internal */
export function zrem(key: GlideString, members: GlideString[]): Command<number> {
  return command(["ZREM", key, ...mayBeEmpty("members", members)]);
}

/** ZCARD key. @internal */
export function zcard(key: GlideString): Command<number> {
  return command(["ZCARD", key]);
}

/** ZCOUNT key min max. @internal */
export function zcount(
  key: GlideString,
  minScore: Boundary<number>,
  maxScore: Boundary<number>,
): Command<number> {
  return command([
    "ZCOUNT",
    key,
    scoreBoundary("minScore", minScore),
    scoreBoundary("maxScore", maxScore),
  ]);
}

/** ZLEXCOUNT key min max. @internal */
export function zlexcount(
  key: GlideString,
  minLex: Boundary<GlideString>,
  maxLex: Boundary<GlideString>,
): Command<number> {
  return command(["ZLEXCOUNT", key, lexBoundary("minLex", minLex), lexBoundary("maxLex", maxLex)]);
}

/** ZSCORE key member. @internal */
export function zscore(key: GlideString, member: GlideString): Command<number | null> {
  return shaped(["ZSCORE", key, member], toNullableNumber);
}

/** ZMSCORE key member [member ...]. @internal */
export function zmscore(key: GlideString, members: GlideString[]): Command<(number | null)[]> {
  return shaped(["ZMSCORE", key, ...mayBeEmpty("members", members)], toNullableNumbers);
}

/** ZRANK key member. @internal */
export function zrank(key: GlideString, member: GlideString): Command<number | null> {
  return command(["ZRANK", key, member]);
}

/** ZRANK key member WITHSCORE. @internal */
export function zrankWithScore(
  key: GlideString,
  member: GlideString,
): Command<[number, number] | null> {
  return shaped(["ZRANK", key, member, "WITHSCORE"], toRankAndScore);
}

/** ZREVRANK key member. @internal */
export function zrevrank(key: GlideString, member: GlideString): Command<number | null> {
  return command(["ZREVRANK", key, member]);
}

/** ZREVRANK key member WITHSCORE. @internal */
export function zrevrankWithScore(
  key: GlideString,
  member: GlideString,
): Command<[number, number] | null> {
  return shaped(["ZREVRANK", key, member, "WITHSCORE"], toRankAndScore);
}

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]. @internal */
export function zrange(
  key: GlideString,
  rangeQuery: RangeByScore | RangeByLex | RangeByIndex,
  reverse?: boolean,
): Command<GlideString[]> {
  return shaped(["ZRANGE", key, ...rangeArgs(rangeQuery, reverse)], (r) => toArray(r));
}

/** ZRANGE ... WITHSCORES. @internal */
export function zrangeWithScores(
  key: GlideString,
  rangeQuery: RangeByScore | RangeByIndex,
  reverse?: boolean,
): Command<SortedSetDataType> {
  if ((rangeQuery as { type?: unknown })?.type === "byLex") {
    throw new ConfigurationError("zrangeWithScores does not take a RangeByLex");
  }
  return shaped(["ZRANGE", key, ...rangeArgs(rangeQuery, reverse), "WITHSCORES"], toScored);
}

/** ZRANGESTORE dst src start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]. @internal */
export function zrangeStore(
  destination: GlideString,
  source: GlideString,
  rangeQuery: RangeByScore | RangeByLex | RangeByIndex,
  reverse?: boolean,
): Command<number> {
  return command(["ZRANGESTORE", destination, source, ...rangeArgs(rangeQuery, reverse)]);
}

/** ZREMRANGEBYRANK key start stop. @internal */
export function zremRangeByRank(key: GlideString, start: number, end: number): Command<number> {
  return command(["ZREMRANGEBYRANK", key, int("start", start), int("end", end)]);
}

/** ZREMRANGEBYSCORE key min max. @internal */
export function zremRangeByScore(
  key: GlideString,
  minScore: Boundary<number>,
  maxScore: Boundary<number>,
): Command<number> {
  return command([
    "ZREMRANGEBYSCORE",
    key,
    scoreBoundary("minScore", minScore),
    scoreBoundary("maxScore", maxScore),
  ]);
}

/** ZREMRANGEBYLEX key min max. @internal */
export function zremRangeByLex(
  key: GlideString,
  minLex: Boundary<GlideString>,
  maxLex: Boundary<GlideString>,
): Command<number> {
  return command([
    "ZREMRANGEBYLEX",
    key,
    lexBoundary("minLex", minLex),
    lexBoundary("maxLex", maxLex),
  ]);
}

/** ZPOPMIN key [count]. @internal */
export function zpopmin(key: GlideString, count?: number): Command<SortedSetDataType> {
  const args: GlideString[] = ["ZPOPMIN", key];
  if (count !== undefined) args.push(int("count", count));
  return shaped(args, toScored);
}

/** ZPOPMAX key [count]. @internal */
export function zpopmax(key: GlideString, count?: number): Command<SortedSetDataType> {
  const args: GlideString[] = ["ZPOPMAX", key];
  if (count !== undefined) args.push(int("count", count));
  return shaped(args, toScored);
}

/** BZPOPMIN key [key ...] timeout. @internal */
export function bzpopmin(
  keys: GlideString[],
  timeout: number,
): Command<[GlideString, GlideString, number] | null> {
  return shaped(
    ["BZPOPMIN", ...mayBeEmpty("keys", keys), finite("timeout", timeout)],
    toKeyMemberScore,
  );
}

/** BZPOPMAX key [key ...] timeout. @internal */
export function bzpopmax(
  keys: GlideString[],
  timeout: number,
): Command<[GlideString, GlideString, number] | null> {
  return shaped(
    ["BZPOPMAX", ...mayBeEmpty("keys", keys), finite("timeout", timeout)],
    toKeyMemberScore,
  );
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. @internal */
export function zmpop(
  keys: GlideString[],
  modifier: ScoreFilter,
  count?: number,
): Command<[GlideString, SortedSetDataType] | null> {
  const args: GlideString[] = [
    "ZMPOP",
    String(mayBeEmpty("keys", keys).length),
    ...keys,
    filterArg(modifier),
  ];
  if (count !== undefined) args.push("COUNT", int("count", count));
  return shaped(args, toKeyAndScored);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. @internal */
export function bzmpop(
  keys: GlideString[],
  modifier: ScoreFilter,
  timeout: number,
  count?: number,
): Command<[GlideString, SortedSetDataType] | null> {
  const args: GlideString[] = [
    "BZMPOP",
    finite("timeout", timeout),
    String(mayBeEmpty("keys", keys).length),
    ...keys,
    filterArg(modifier),
  ];
  if (count !== undefined) args.push("COUNT", int("count", count));
  return shaped(args, toKeyAndScored);
}

/** ZDIFF numkeys key [key ...]. @internal */
export function zdiff(keys: GlideString[]): Command<GlideString[]> {
  return shaped(
    ["ZDIFF", String(mayBeEmpty("keys", keys).length), ...keys],
    (r) => toArray(r),
  );
}

/** ZDIFF numkeys key [key ...] WITHSCORES. @internal */
export function zdiffWithScores(keys: GlideString[]): Command<SortedSetDataType> {
  return shaped(
    ["ZDIFF", String(mayBeEmpty("keys", keys).length), ...keys, "WITHSCORES"],
    toScored,
  );
}

/** ZDIFFSTORE destination numkeys key [key ...]. @internal */
export function zdiffstore(destination: GlideString, keys: GlideString[]): Command<number> {
  return command(["ZDIFFSTORE", destination, String(mayBeEmpty("keys", keys).length), ...keys]);
}

/** ZINTER numkeys key [key ...]. @internal */
export function zinter(keys: GlideString[]): Command<GlideString[]> {
  return shaped(["ZINTER", ...weightedArgs(keys, undefined)], (r) => toArray(r));
}

/** ZINTER numkeys key... [WEIGHTS ...] [AGGREGATE ...] WITHSCORES. @internal */
export function zinterWithScores(
  keys: GlideString[] | KeyWeight[],
  aggregationType?: AggregationType,
): Command<SortedSetDataType> {
  return shaped(["ZINTER", ...weightedArgs(keys, aggregationType), "WITHSCORES"], toScored);
}

/** ZINTERSTORE destination numkeys key... [WEIGHTS ...] [AGGREGATE ...]. @internal */
export function zinterstore(
  destination: GlideString,
  keys: GlideString[] | KeyWeight[],
  aggregationType?: AggregationType,
): Command<number> {
  return command(["ZINTERSTORE", destination, ...weightedArgs(keys, aggregationType)]);
}

/** ZUNION numkeys key [key ...]. @internal */
export function zunion(keys: GlideString[]): Command<GlideString[]> {
  return shaped(["ZUNION", ...weightedArgs(keys, undefined)], (r) => toArray(r));
}

/** ZUNION numkeys key... [WEIGHTS ...] [AGGREGATE ...] WITHSCORES. @internal */
export function zunionWithScores(
  keys: GlideString[] | KeyWeight[],
  aggregationType?: AggregationType,
): Command<SortedSetDataType> {
  return shaped(["ZUNION", ...weightedArgs(keys, aggregationType), "WITHSCORES"], toScored);
}

/** ZUNIONSTORE destination numkeys key... [WEIGHTS ...] [AGGREGATE ...]. @internal */
export function zunionstore(
  destination: GlideString,
  keys: GlideString[] | KeyWeight[],
  aggregationType?: AggregationType,
): Command<number> {
  return command(["ZUNIONSTORE", destination, ...weightedArgs(keys, aggregationType)]);
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit]. @internal */
export function zintercard(keys: GlideString[], limit?: number): Command<number> {
  const args: GlideString[] = ["ZINTERCARD", String(mayBeEmpty("keys", keys).length), ...keys];
  if (limit !== undefined) args.push("LIMIT", int("limit", limit));
  return command(args);
}

/** ZRANDMEMBER key. @internal */
export function zrandmember(key: GlideString): Command<GlideString | null> {
  return command(["ZRANDMEMBER", key]);
}

/** ZRANDMEMBER key count. @internal */
export function zrandmemberWithCount(key: GlideString, count: number): Command<GlideString[]> {
  return shaped(["ZRANDMEMBER", key, int("count", count)], (r) => toArray(r));
}

/** ZRANDMEMBER key count WITHSCORES. @internal */
export function zrandmemberWithCountWithScores(
  key: GlideString,
  count: number,
): Command<KeyWeight[]> {
  return shaped(
    ["ZRANDMEMBER", key, int("count", count), "WITHSCORES"],
    (r) => toScored(r).map(({ element, score }): KeyWeight => [element, score]),
  );
}

/** ZSCAN key cursor [MATCH pattern] [COUNT count] [NOSCORES]. @internal */
export function zscan(
  key: GlideString,
  cursor: GlideString,
  options?: ZScanOptions,
): Command<[string, GlideString[]]> {
  const args: GlideString[] = ["ZSCAN", key, cursor];
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.noScores) args.push("NOSCORES");
  return shaped(args, (r) => {
    const [next, items] = toArray(r);
    const c = typeof next === "string" ? next : new TextDecoder().decode(next as Uint8Array);
    return [c, toArray<GlideString>(items)];
  });
}
