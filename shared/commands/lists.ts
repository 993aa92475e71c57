/**
 * List commands: LPUSH/RPUSH(X), LPOP/RPOP (with a count), LRANGE, LINDEX, LSET, LLEN, LREM,
 * LTRIM, LINSERT, LPOS, LMOVE/BLMOVE, BLPOP/BRPOP, LMPOP/BLMPOP.
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toArray, toRecord } from "../shape.ts";
import type { GlideReturnType, GlideString } from "../values.ts";
import {
  InsertPosition,
  ListDirection,
  type ListPopResult,
  type LPosOptions,
} from "../options/lists.ts";

const DIRECTIONS = new Set<string>(Object.values(ListDirection));
const POSITIONS = new Set<string>(Object.values(InsertPosition));

/** Validates a {@link ListDirection}. */
function direction(name: string, d: ListDirection): ListDirection {
  if (!DIRECTIONS.has(d)) {
    throw new ConfigurationError(`${name} must be a ListDirection, got ${String(d)}`);
  }
  return d;
}

/** LPUSH key element [element ...]. @internal */
export function lpush(key: GlideString, elements: GlideString[]): Command<number> {
  return command(["LPUSH", key, ...mayBeEmpty("elements", elements)]);
}

/** LPUSHX key element [element ...]. @internal */
export function lpushx(key: GlideString, elements: GlideString[]): Command<number> {
  return command(["LPUSHX", key, ...mayBeEmpty("elements", elements)]);
}

/** RPUSH key element [element ...]. @internal */
export function rpush(key: GlideString, elements: GlideString[]): Command<number> {
  return command(["RPUSH", key, ...mayBeEmpty("elements", elements)]);
}

/** RPUSHX key element [element ...]. @internal */
export function rpushx(key: GlideString, elements: GlideString[]): Command<number> {
  return command(["RPUSHX", key, ...mayBeEmpty("elements", elements)]);
}

/** LPOP key. @internal */
export function lpop(key: GlideString): Command<GlideString | null> {
  return command(["LPOP", key]);
}

/** LPOP key count: up to `count` elements, or null when the key does not exist. @internal */
export function lpopCount(key: GlideString, count: number): Command<GlideString[] | null> {
  return shaped(["LPOP", key, int("count", count)], nullableArray);
}

/** RPOP key. @internal */
export function rpop(key: GlideString): Command<GlideString | null> {
  return command(["RPOP", key]);
}

/** RPOP key count: up to `count` elements, or null when the key does not exist. @internal */
export function rpopCount(key: GlideString, count: number): Command<GlideString[] | null> {
  return shaped(["RPOP", key, int("count", count)], nullableArray);
}

/** An array reply that may be null. */
function nullableArray(r: GlideReturnType): GlideString[] | null {
  return r === null ? null : toArray<GlideString>(r);
}

/** LRANGE key start end. @internal */
export function lrange(key: GlideString, start: number, end: number): Command<GlideString[]> {
  return shaped(["LRANGE", key, int("start", start), int("end", end)], toArray<GlideString>);
}

/** LINDEX key index. @internal */
export function lindex(key: GlideString, index: number): Command<GlideString | null> {
  return command(["LINDEX", key, int("index", index)]);
}

/** LSET key index element. @internal */
export function lset(key: GlideString, index: number, element: GlideString): Command<"OK"> {
  return command(["LSET", key, int("index", index), element]);
}

/** LLEN key. @internal */
export function llen(key: GlideString): Command<number> {
  return command(["LLEN", key]);
}

/** LREM key count element. @internal */
export function lrem(key: GlideString, count: number, element: GlideString): Command<number> {
  return command(["LREM", key, int("count", count), element]);
}

/** LTRIM key start end. @internal */
export function ltrim(key: GlideString, start: number, end: number): Command<"OK"> {
  return command(["LTRIM", key, int("start", start), int("end", end)]);
}

/** LINSERT key BEFORE|AFTER pivot element. @internal */
export function linsert(
  key: GlideString,
  position: InsertPosition,
  pivot: GlideString,
  element: GlideString,
): Command<number> {
  if (!POSITIONS.has(position)) {
    throw new ConfigurationError(`position must be an InsertPosition, got ${String(position)}`);
  }
  return command(["LINSERT", key, position.toUpperCase(), pivot, element]);
}

/** LPOS key element [RANK r] [COUNT n] [MAXLEN m]. @internal */
export function lpos(
  key: GlideString,
  element: GlideString,
  options?: LPosOptions,
): Command<number | number[] | null> {
  const args: GlideString[] = ["LPOS", key, element];
  if (options?.rank !== undefined) args.push("RANK", int("rank", options.rank));
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.maxLength !== undefined) args.push("MAXLEN", int("maxLength", options.maxLength));
  return shaped(args, (r) => Array.isArray(r) ? (r as number[]) : (r as number | null));
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. @internal */
export function lmove(
  source: GlideString,
  destination: GlideString,
  whereFrom: ListDirection,
  whereTo: ListDirection,
): Command<GlideString | null> {
  return command([
    "LMOVE",
    source,
    destination,
    direction("whereFrom", whereFrom),
    direction("whereTo", whereTo),
  ]);
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout (seconds). @internal */
export function blmove(
  source: GlideString,
  destination: GlideString,
  whereFrom: ListDirection,
  whereTo: ListDirection,
  timeout: number,
): Command<GlideString | null> {
  return command([
    "BLMOVE",
    source,
    destination,
    direction("whereFrom", whereFrom),
    direction("whereTo", whereTo),
    finite("timeout", timeout),
  ]);
}

/** `[key, element]` of BLPOP/BRPOP, or null on timeout. */
function keyAndElement(r: GlideReturnType): [GlideString, GlideString] | null {
  if (r === null) return null;
  const [k, e] = toArray<GlideString>(r);
  return [k, e];
}

/** BLPOP key [key ...] timeout (seconds). @internal */
export function blpop(
  keys: GlideString[],
  timeout: number,
): Command<[GlideString, GlideString] | null> {
  return shaped(["BLPOP", ...mayBeEmpty("keys", keys), finite("timeout", timeout)], keyAndElement);
}

/** BRPOP key [key ...] timeout (seconds). @internal */
export function brpop(
  keys: GlideString[],
  timeout: number,
): Command<[GlideString, GlideString] | null> {
  return shaped(["BRPOP", ...mayBeEmpty("keys", keys), finite("timeout", timeout)], keyAndElement);
}

/**
 * `{ key, elements }` from LMPOP/BLMPOP's `[key, [elements]]` (or a one-entry map), or null.
 */
function popResult(r: GlideReturnType): ListPopResult | null {
  const first = toRecord(r)[0];
  return first === undefined
    ? null
    : { key: first.key, elements: toArray<GlideString>(first.value) };
}

/** `numkeys key [key ...] LEFT|RIGHT [COUNT n]` of LMPOP/BLMPOP. */
function mpopArgs(keys: GlideString[], dir: ListDirection, count?: number): GlideString[] {
  const args: GlideString[] = [String(mayBeEmpty("keys", keys).length), ...keys];
  args.push(direction("direction", dir));
  if (count !== undefined) args.push("COUNT", int("count", count));
  return args;
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT n]. @internal */
export function lmpop(
  keys: GlideString[],
  dir: ListDirection,
  count?: number,
): Command<ListPopResult | null> {
  return shaped(["LMPOP", ...mpopArgs(keys, dir, count)], popResult);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT n]. @internal */
export function blmpop(
  keys: GlideString[],
  dir: ListDirection,
  timeout: number,
  count?: number,
): Command<ListPopResult | null> {
  const t = finite("timeout", timeout);
  return shaped(["BLMPOP", t, ...mpopArgs(keys, dir, count)], popResult);
}
