/**
 * String commands: GET, SET (with GLIDE's SetOptions), GETEX, GETDEL, GETRANGE, SETRANGE, MGET,
 * MSET, MSETNX, INCR/INCRBY/INCRBYFLOAT/DECR/DECRBY, APPEND, STRLEN, LCS.
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toBoolean, toNumber, toObject } from "../shape.ts";
import type { GlideRecord, GlideReturnType, GlideString } from "../values.ts";
import {
  type GetExOptions,
  type LcsIdxOptions,
  type LcsIdxResult,
  type SetOptions,
  TimeUnit,
} from "../options/strings.ts";

const TIME_UNITS = new Set<string>(Object.values(TimeUnit));

/** GET key. @internal */
export function get(key: GlideString): Command<GlideString | null> {
  return command(["GET", key]);
}

/** SET key value [NX|XX|IFEQ v] [GET] [EX|PX|EXAT|PXAT n|KEEPTTL]. @internal */
export function set(
  key: GlideString,
  value: GlideString,
  options?: SetOptions,
): Command<"OK" | GlideString | null> {
  const args: GlideString[] = ["SET", key, value];
  if (options) {
    switch (options.conditionalSet) {
      case undefined:
        break;
      case "onlyIfExists":
        args.push("XX");
        break;
      case "onlyIfDoesNotExist":
        args.push("NX");
        break;
      case "onlyIfEqual":
        args.push("IFEQ", options.comparisonValue);
        break;
      default:
        throw new ConfigurationError(
          `unknown conditionalSet: ${
            String((options as { conditionalSet?: unknown }).conditionalSet)
          }`,
        );
    }
    if (options.returnOldValue) args.push("GET");
    const expiry = options.expiry;
    if (expiry === "keepExisting") {
      args.push("KEEPTTL");
    } else if (expiry !== undefined) {
      if (typeof expiry !== "object" || expiry === null || !TIME_UNITS.has(expiry.type)) {
        throw new ConfigurationError("expiry must be 'keepExisting' or { type: TimeUnit, count }");
      }
      args.push(expiry.type, int("expiry.count", expiry.count));
    }
  }
  return command(args);
}

/** MGET key [key ...]. @internal */
export function mget(keys: GlideString[]): Command<(GlideString | null)[]> {
  return command(["MGET", ...mayBeEmpty("keys", keys)]);
}

/**
 * `[name, k1, v1, k2, v2 ...]` from a record or a list of entries (none: the server reports
 * the missing arguments, as with GLIDE).
 */
function pairs(
  name: string,
  keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>,
): GlideString[] {
  const args: GlideString[] = [name];
  if (Array.isArray(keysAndValues)) {
    for (const { key, value } of keysAndValues) args.push(key, value);
  } else if (typeof keysAndValues === "object" && keysAndValues !== null) {
    for (const key of Object.keys(keysAndValues)) args.push(key, keysAndValues[key]);
  } else {
    throw new ConfigurationError(`${name.toLowerCase()} needs a record or a list of entries`);
  }
  return args;
}

/** MSET key value [key value ...], from a record or a list of entries. @internal */
export function mset(
  keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>,
): Command<"OK"> {
  return command(pairs("MSET", keysAndValues));
}

/** MSETNX key value [key value ...]: true when every key was set. @internal */
export function msetnx(
  keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>,
): Command<boolean> {
  return shaped(pairs("MSETNX", keysAndValues), toBoolean);
}

/** GETDEL key. @internal */
export function getdel(key: GlideString): Command<GlideString | null> {
  return command(["GETDEL", key]);
}

/** GETEX key [EX|PX|EXAT|PXAT n|PERSIST]. @internal */
export function getex(key: GlideString, options?: GetExOptions): Command<GlideString | null> {
  const args: GlideString[] = ["GETEX", key];
  const expiry = options?.expiry;
  if (expiry === "persist") {
    args.push("PERSIST");
  } else if (expiry !== undefined) {
    if (typeof expiry !== "object" || expiry === null || !TIME_UNITS.has(expiry.type)) {
      throw new ConfigurationError("expiry must be 'persist' or { type: TimeUnit, duration }");
    }
    args.push(expiry.type, int("expiry.duration", expiry.duration));
  }
  return command(args);
}

/** GETRANGE key start end. @internal */
export function getrange(
  key: GlideString,
  start: number,
  end: number,
): Command<GlideString | null> {
  return command(["GETRANGE", key, int("start", start), int("end", end)]);
}

/** SETRANGE key offset value. @internal */
export function setrange(key: GlideString, offset: number, value: GlideString): Command<number> {
  return command(["SETRANGE", key, int("offset", offset), value]);
}

/** INCR key. @internal */
export function incr(key: GlideString): Command<number> {
  return command(["INCR", key]);
}

/** INCRBY key amount. @internal */
export function incrBy(key: GlideString, amount: number): Command<number> {
  return command(["INCRBY", key, int("amount", amount)]);
}

/** INCRBYFLOAT key amount: the new value as a number. @internal */
export function incrByFloat(key: GlideString, amount: number): Command<number> {
  return shaped(["INCRBYFLOAT", key, finite("amount", amount)], toNumber);
}

/** DECRBY key amount. @internal */
export function decrBy(key: GlideString, amount: number): Command<number> {
  return command(["DECRBY", key, int("amount", amount)]);
}

/** DECR key. @internal */
export function decr(key: GlideString): Command<number> {
  return command(["DECR", key]);
}

/** APPEND key value. @internal */
export function append(key: GlideString, value: GlideString): Command<number> {
  return command(["APPEND", key, value]);
}

/** STRLEN key. @internal */
export function strlen(key: GlideString): Command<number> {
  return command(["STRLEN", key]);
}

/** LCS key1 key2: the longest common subsequence. @internal */
export function lcs(key1: GlideString, key2: GlideString): Command<GlideString> {
  return command(["LCS", key1, key2]);
}

/** LCS key1 key2 LEN. @internal */
export function lcsLen(key1: GlideString, key2: GlideString): Command<number> {
  return command(["LCS", key1, key2, "LEN"]);
}

/** One match of LCS IDX: `[[s1, e1], [s2, e2]]`, plus its length with WITHMATCHLEN. */
function lcsMatch(m: GlideReturnType): (number | [number, number])[] {
  return (m as GlideReturnType[]).map((part) => {
    if (!Array.isArray(part)) return toNumber(part);
    const [from, to] = part as GlideReturnType[];
    return [toNumber(from), toNumber(to)] as [number, number];
  });
}

/** LCS key1 key2 IDX [MINMATCHLEN n] [WITHMATCHLEN]: `{ matches, len }`. @internal */
export function lcsIdx(
  key1: GlideString,
  key2: GlideString,
  options?: LcsIdxOptions,
): Command<LcsIdxResult> {
  const args: GlideString[] = ["LCS", key1, key2, "IDX"];
  if (options?.minMatchLen !== undefined) {
    args.push("MINMATCHLEN", int("minMatchLen", options.minMatchLen));
  }
  if (options?.withMatchLen) args.push("WITHMATCHLEN");
  return shaped(args, (r) =>
    toObject<(number | [number, number])[][] | number>(
      r,
      (v, name) => name === "matches" ? (v as GlideReturnType[]).map(lcsMatch) : toNumber(v),
    ));
}
