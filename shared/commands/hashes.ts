/**
 * Hash commands: HSET, HGET, HGETALL, HMGET, HDEL, HEXISTS, HINCRBY(FLOAT), HKEYS, HVALS, HLEN,
 * HSETNX, HSTRLEN, HRANDFIELD, HSCAN, and the hash-field expiry commands (HEXPIRE family,
 * HTTL family, HPERSIST, HGETEX, HSETEX).
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toArray, toBoolean, toNumber, toRecord } from "../shape.ts";
import type { GlideReturnType, GlideString } from "../values.ts";
import { TimeUnit } from "../options/strings.ts";
import {
  type HashDataType,
  HashExpirationCondition,
  HashFieldConditionalChange,
  type HExpireOptions,
  type HGetExOptions,
  type HScanOptions,
  type HSetExOptions,
} from "../options/hashes.ts";

const TIME_UNITS = new Set<string>(Object.values(TimeUnit));
const EXPIRATION_CONDITIONS = new Set<string>(Object.values(HashExpirationCondition));
const FIELD_CONDITIONS = new Set<string>(Object.values(HashFieldConditionalChange));

/** Flattens a record or a {@link HashDataType} into `field value ...`; throws when empty. */
function fieldValueArgs(
  fieldsAndValues: HashDataType | Record<string, GlideString>,
): GlideString[] {
  const out: GlideString[] = [];
  if (Array.isArray(fieldsAndValues)) {
    for (const entry of fieldsAndValues) {
      if (typeof entry !== "object" || entry === null || !("field" in entry)) {
        throw new ConfigurationError("fieldsAndValues entries must be { field, value }");
      }
      out.push(entry.field, entry.value);
    }
  } else if (typeof fieldsAndValues === "object" && fieldsAndValues !== null) {
    for (const field of Object.keys(fieldsAndValues)) out.push(field, fieldsAndValues[field]);
  }
  // None at all is sent as it is (GLIDE does): the server refuses it.
  return out;
}

/** `FIELDS numfields field ...`, for the hash-field expiry commands. */
function fieldsArgs(fields: GlideString[]): GlideString[] {
  mayBeEmpty("fields", fields);
  return ["FIELDS", String(fields.length), ...fields];
}

/** An expiry `{ type, count }` or the one keyword allowed (`KEEPTTL` / `PERSIST`). */
function expiryArgs(
  expiry: { type: TimeUnit; count: number } | string | undefined,
  keyword: "KEEPTTL" | "PERSIST",
): GlideString[] {
  if (expiry === undefined) return [];
  if (expiry === keyword) return [keyword];
  if (typeof expiry !== "object" || expiry === null || !TIME_UNITS.has(expiry.type)) {
    throw new ConfigurationError(`expiry must be '${keyword}' or { type: TimeUnit, count }`);
  }
  return [expiry.type, int("expiry.count", expiry.count)];
}

/** A reply of integers, one per field. */
const toNumbers = (r: GlideReturnType): number[] => toArray<GlideReturnType>(r).map(toNumber);

/** A HRANDFIELD ... WITHVALUES reply: RESP3 pairs or a RESP2 flat list → pairs. */
function toPairs(r: GlideReturnType): [GlideString, GlideString][] {
  const list = toArray<GlideReturnType>(r);
  if (list.length > 0 && Array.isArray(list[0])) {
    return list.map((p) => {
      const [f, v] = p as GlideString[];
      return [f, v];
    });
  }
  const out: [GlideString, GlideString][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    out.push([list[i] as GlideString, list[i + 1] as GlideString]);
  }
  return out;
}

/** A cursor sent as text or bytes → string. */
const cursorText = (c: GlideReturnType): string =>
  c instanceof Uint8Array ? new TextDecoder().decode(c) : String(c);

/** HSET key field value [field value ...]. @internal */
export function hset(
  key: GlideString,
  fieldsAndValues: HashDataType | Record<string, GlideString>,
): Command<number> {
  return command(["HSET", key, ...fieldValueArgs(fieldsAndValues)]);
}

/** HGET key field. @internal */
export function hget(key: GlideString, field: GlideString): Command<GlideString | null> {
  return command(["HGET", key, field]);
}

/** HGETALL key. @internal */
export function hgetall(key: GlideString): Command<HashDataType> {
  return shaped(
    ["HGETALL", key],
    (r) => toRecord(r).map(({ key: field, value }) => ({ field, value: value as GlideString })),
  );
}

/** HMGET key field [field ...]. @internal */
export function hmget(key: GlideString, fields: GlideString[]): Command<(GlideString | null)[]> {
  return command(["HMGET", key, ...mayBeEmpty("fields", fields)]);
}

/** HDEL key field [field ...]. @internal */
export function hdel(key: GlideString, fields: GlideString[]): Command<number> {
  return command(["HDEL", key, ...mayBeEmpty("fields", fields)]);
}

/** HEXISTS key field. @internal */
export function hexists(key: GlideString, field: GlideString): Command<boolean> {
  return shaped(["HEXISTS", key, field], toBoolean);
}

/** HINCRBY key field amount. @internal */
export function hincrBy(key: GlideString, field: GlideString, amount: number): Command<number> {
  return command(["HINCRBY", key, field, int("amount", amount)]);
}

/** HINCRBYFLOAT key field amount. @internal */
export function hincrByFloat(
  key: GlideString,
  field: GlideString,
  amount: number,
): Command<number> {
  return shaped(["HINCRBYFLOAT", key, field, finite("amount", amount)], toNumber);
}

/** HKEYS key. @internal */
export function hkeys(key: GlideString): Command<GlideString[]> {
  return shaped(["HKEYS", key], (r) => toArray<GlideString>(r));
}

/** HVALS key. @internal */
export function hvals(key: GlideString): Command<GlideString[]> {
  return shaped(["HVALS", key], (r) => toArray<GlideString>(r));
}

/** HLEN key. @internal */
export function hlen(key: GlideString): Command<number> {
  return command(["HLEN", key]);
}

/** HSETNX key field value. @internal */
export function hsetnx(key: GlideString, field: GlideString, value: GlideString): Command<boolean> {
  return shaped(["HSETNX", key, field, value], toBoolean);
}

/** HSTRLEN key field. @internal */
export function hstrlen(key: GlideString, field: GlideString): Command<number> {
  return command(["HSTRLEN", key, field]);
}

/** HRANDFIELD key. @internal */
export function hrandfield(key: GlideString): Command<GlideString | null> {
  return command(["HRANDFIELD", key]);
}

/** HRANDFIELD key count. @internal */
export function hrandfieldCount(key: GlideString, count: number): Command<GlideString[]> {
  return shaped(["HRANDFIELD", key, int("count", count)], (r) => toArray<GlideString>(r));
}

/** HRANDFIELD key count WITHVALUES. @internal */
export function hrandfieldWithValues(
  key: GlideString,
  count: number,
): Command<[GlideString, GlideString][]> {
  return shaped(["HRANDFIELD", key, int("count", count), "WITHVALUES"], toPairs);
}

/** HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. @internal */
export function hscan(
  key: GlideString,
  cursor: string,
  options?: HScanOptions,
): Command<[string, GlideString[]]> {
  if (typeof cursor !== "string") {
    throw new ConfigurationError(`cursor must be a string, got ${String(cursor)}`);
  }
  const args: GlideString[] = ["HSCAN", key, cursor];
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.noValues) args.push("NOVALUES");
  return shaped(args, (r) => {
    const [next, items] = r as GlideReturnType[];
    return [cursorText(next), toArray<GlideString>(items)];
  });
}

/** HEXPIRE / HPEXPIRE / HEXPIREAT / HPEXPIREAT key time [NX|XX|GT|LT] FIELDS n field .... */
function expireFields(
  name: string,
  key: GlideString,
  time: number,
  timeName: string,
  fields: GlideString[],
  options?: HExpireOptions,
): Command<number[]> {
  const args: GlideString[] = [name, key, int(timeName, time)];
  const condition = options?.condition;
  if (condition !== undefined) {
    if (!EXPIRATION_CONDITIONS.has(condition)) {
      throw new ConfigurationError(`unknown condition: ${String(condition)}`);
    }
    args.push(condition);
  }
  return shaped([...args, ...fieldsArgs(fields)], toNumbers);
}

/** HEXPIRE key seconds [NX|XX|GT|LT] FIELDS n field .... @internal */
export function hexpire(
  key: GlideString,
  seconds: number,
  fields: GlideString[],
  options?: HExpireOptions,
): Command<number[]> {
  return expireFields("HEXPIRE", key, seconds, "seconds", fields, options);
}

/** HPEXPIRE key milliseconds [NX|XX|GT|LT] FIELDS n field .... @internal */
export function hpexpire(
  key: GlideString,
  milliseconds: number,
  fields: GlideString[],
  options?: HExpireOptions,
): Command<number[]> {
  return expireFields("HPEXPIRE", key, milliseconds, "milliseconds", fields, options);
}

/** HEXPIREAT key unix-seconds [NX|XX|GT|LT] FIELDS n field .... @internal */
export function hexpireat(
  key: GlideString,
  unixTimestampSeconds: number,
  fields: GlideString[],
  options?: HExpireOptions,
): Command<number[]> {
  return expireFields(
    "HEXPIREAT",
    key,
    unixTimestampSeconds,
    "unixTimestampSeconds",
    fields,
    options,
  );
}

/** HPEXPIREAT key unix-milliseconds [NX|XX|GT|LT] FIELDS n field .... @internal */
export function hpexpireat(
  key: GlideString,
  unixTimestampMilliseconds: number,
  fields: GlideString[],
  options?: HExpireOptions,
): Command<number[]> {
  return expireFields(
    "HPEXPIREAT",
    key,
    unixTimestampMilliseconds,
    "unixTimestampMilliseconds",
    fields,
    options,
  );
}

/** HTTL key FIELDS n field .... @internal */
export function httl(key: GlideString, fields: GlideString[]): Command<number[]> {
  return shaped(["HTTL", key, ...fieldsArgs(fields)], toNumbers);
}

/** HPTTL key FIELDS n field .... @internal */
export function hpttl(key: GlideString, fields: GlideString[]): Command<number[]> {
  return shaped(["HPTTL", key, ...fieldsArgs(fields)], toNumbers);
}

/** HEXPIRETIME key FIELDS n field .... @internal */
export function hexpiretime(key: GlideString, fields: GlideString[]): Command<number[]> {
  return shaped(["HEXPIRETIME", key, ...fieldsArgs(fields)], toNumbers);
}

/** HPEXPIRETIME key FIELDS n field .... @internal */
export function hpexpiretime(key: GlideString, fields: GlideString[]): Command<number[]> {
  return shaped(["HPEXPIRETIME", key, ...fieldsArgs(fields)], toNumbers);
}

/** HPERSIST key FIELDS n field .... @internal */
export function hpersist(key: GlideString, fields: GlideString[]): Command<number[]> {
  return shaped(["HPERSIST", key, ...fieldsArgs(fields)], toNumbers);
}

/** HGETEX key [EX|PX|EXAT|PXAT n|PERSIST] FIELDS n field .... @internal */
export function hgetex(
  key: GlideString,
  fields: GlideString[],
  options?: HGetExOptions,
): Command<(GlideString | null)[]> {
  return shaped(
    ["HGETEX", key, ...expiryArgs(options?.expiry, "PERSIST"), ...fieldsArgs(fields)],
    (r) => toArray<GlideString | null>(r),
  );
}

/** HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT n|KEEPTTL] FIELDS n field value .... @internal */
export function hsetex(
  key: GlideString,
  fieldsAndValues: HashDataType | Record<string, GlideString>,
  options?: HSetExOptions,
): Command<number> {
  const args: GlideString[] = ["HSETEX", key];
  const condition = options?.fieldConditionalChange;
  if (condition !== undefined) {
    if (!FIELD_CONDITIONS.has(condition)) {
      throw new ConfigurationError(`unknown fieldConditionalChange: ${String(condition)}`);
    }
    args.push(condition);
  }
  args.push(...expiryArgs(options?.expiry, "KEEPTTL"));
  const pairs = fieldValueArgs(fieldsAndValues);
  args.push("FIELDS", String(pairs.length / 2), ...pairs);
  return command(args);
}
