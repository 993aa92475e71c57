/**
 * Generic key commands: DEL, UNLINK, EXISTS, the EXPIRE family, TTL/PTTL, PERSIST, TYPE,
 * RENAME, COPY, MOVE, DUMP/RESTORE, MIGRATE, TOUCH, SORT, OBJECT, WAIT, RANDOMKEY, SCAN.
 * @module
 */

import { type Command, command, int, mayBeEmpty, shaped } from "../command.ts";
import { toArray, toBoolean, toNullableNumber } from "../shape.ts";
import { ConfigurationError } from "../errors.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";
import {
  ExpireOptions,
  type MigrateOptions,
  type RestoreOptions,
  type ScanOptions,
  type SortOptions,
  SortOrder,
} from "../options/generic.ts";
import { ObjectType } from "./cluster_scan.ts";

const EXPIRE_OPTIONS = new Set<string>(Object.values(ExpireOptions));
const SORT_ORDERS = new Set<string>(Object.values(SortOrder));
const OBJECT_TYPES = new Set<string>(Object.values(ObjectType));

/** A command whose reply is always decoded with `decoder`. */
function decoded<T>(args: GlideString[], decoder: Decoder): Command<T> {
  return { args, decoder };
}

/** Appends an EXPIRE-family condition after validating it. */
function pushExpireOption(args: GlideString[], option: ExpireOptions | undefined): void {
  if (option === undefined) return;
  if (!EXPIRE_OPTIONS.has(option)) {
    throw new ConfigurationError(`unknown expire option: ${String(option)}`);
  }
  args.push(option);
}

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT key n [NX|XX|GT|LT]. */
function expireLike(
  name: string,
  key: GlideString,
  argName: string,
  n: number,
  option: ExpireOptions | undefined,
): Command<boolean> {
  const args: GlideString[] = [name, key, int(argName, n)];
  pushExpireOption(args, option);
  return shaped(args, toBoolean);
}

/** DEL key [key ...]. @internal */
export function del(keys: GlideString[]): Command<number> {
  return command(["DEL", ...mayBeEmpty("keys", keys)]);
}

/** UNLINK key [key ...]. @internal */
export function unlink(keys: GlideString[]): Command<number> {
  return command(["UNLINK", ...mayBeEmpty("keys", keys)]);
}

/** EXISTS key [key ...]. @internal */
export function exists(keys: GlideString[]): Command<number> {
  return command(["EXISTS", ...mayBeEmpty("keys", keys)]);
}

/** TOUCH key [key ...]. @internal */
export function touch(keys: GlideString[]): Command<number> {
  return command(["TOUCH", ...mayBeEmpty("keys", keys)]);
}

/** EXPIRE key seconds [NX|XX|GT|LT]. @internal */
export function expire(
  key: GlideString,
  seconds: number,
  option?: ExpireOptions,
): Command<boolean> {
  return expireLike("EXPIRE", key, "seconds", seconds, option);
}

/** PEXPIRE key milliseconds [NX|XX|GT|LT]. @internal */
export function pexpire(
  key: GlideString,
  milliseconds: number,
  option?: ExpireOptions,
): Command<boolean> {
  return expireLike("PEXPIRE", key, "milliseconds", milliseconds, option);
}

/** EXPIREAT key unix-seconds [NX|XX|GT|LT]. @internal */
export function expireAt(
  key: GlideString,
  unixSeconds: number,
  option?: ExpireOptions,
): Command<boolean> {
  return expireLike("EXPIREAT", key, "unixSeconds", unixSeconds, option);
}

/** PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]. @internal */
export function pexpireAt(
  key: GlideString,
  unixMilliseconds: number,
  option?: ExpireOptions,
): Command<boolean> {
  return expireLike("PEXPIREAT", key, "unixMilliseconds", unixMilliseconds, option);
}

/** TTL key. @internal */
export function ttl(key: GlideString): Command<number> {
  return command(["TTL", key]);
}

/** PTTL key. @internal */
export function pttl(key: GlideString): Command<number> {
  return command(["PTTL", key]);
}

/** EXPIRETIME key. @internal */
export function expiretime(key: GlideString): Command<number> {
  return command(["EXPIRETIME", key]);
}

/** PEXPIRETIME key. @internal */
export function pexpiretime(key: GlideString): Command<number> {
  return command(["PEXPIRETIME", key]);
}

/** PERSIST key. @internal */
export function persist(key: GlideString): Command<boolean> {
  return shaped(["PERSIST", key], toBoolean);
}

/** TYPE key (always text). @internal */
export function type(key: GlideString): Command<string> {
  return decoded(["TYPE", key], Decoder.String);
}

/** RENAME key newkey. @internal */
export function rename(key: GlideString, newKey: GlideString): Command<"OK"> {
  return decoded(["RENAME", key, newKey], Decoder.String);
}

/** RENAMENX key newkey. @internal */
export function renamenx(key: GlideString, newKey: GlideString): Command<boolean> {
  return shaped(["RENAMENX", key, newKey], toBoolean);
}

/** COPY source destination [DB db] [REPLACE]. @internal */
export function copy(
  source: GlideString,
  destination: GlideString,
  options?: { destinationDB?: number; replace?: boolean },
): Command<boolean> {
  const args: GlideString[] = ["COPY", source, destination];
  if (options?.destinationDB !== undefined) {
    args.push("DB", int("destinationDB", options.destinationDB));
  }
  if (options?.replace) args.push("REPLACE");
  return shaped(args, toBoolean);
}

/** MOVE key db. @internal */
export function move(key: GlideString, dbIndex: number): Command<boolean> {
  return shaped(["MOVE", key, int("dbIndex", dbIndex)], toBoolean);
}

/** DUMP key (always bytes). @internal */
export function dump(key: GlideString): Command<Uint8Array | null> {
  return decoded(["DUMP", key], Decoder.Bytes);
}

/** RESTORE key ttl serialized [REPLACE] [ABSTTL] [IDLETIME s | FREQ f]. @internal */
export function restore(
  key: GlideString,
  ttl: number,
  value: Uint8Array,
  options?: RestoreOptions,
): Command<"OK"> {
  if (!(value instanceof Uint8Array)) {
    throw new ConfigurationError("value must be a Uint8Array (from dump)");
  }
  const args: GlideString[] = ["RESTORE", key, int("ttl", ttl), value];
  if (options) {
    if (options.idletime !== undefined && options.frequency !== undefined) {
      throw new ConfigurationError("idletime and frequency cannot be set together");
    }
    if (options.replace) args.push("REPLACE");
    if (options.absttl) args.push("ABSTTL");
    if (options.idletime !== undefined) args.push("IDLETIME", int("idletime", options.idletime));
    if (options.frequency !== undefined) args.push("FREQ", int("frequency", options.frequency));
  }
  return decoded(args, Decoder.String);
}

/**
 * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k ...].
 * @internal
 */
export function migrate(
  host: string,
  port: number,
  key: GlideString | GlideString[],
  destinationDB: number,
  timeout: number,
  options?: MigrateOptions,
): Command<string> {
  if (typeof host !== "string" || host === "") {
    throw new ConfigurationError("host must be a non-empty string");
  }
  const many = Array.isArray(key);
  if (many) mayBeEmpty("key", key);
  const args: GlideString[] = [
    "MIGRATE",
    host,
    int("port", port),
    many ? "" : key,
    int("destinationDB", destinationDB),
    int("timeout", timeout),
  ];
  if (options) {
    if (options.copy) args.push("COPY");
    if (options.replace) args.push("REPLACE");
    if (options.username !== undefined) {
      if (options.password === undefined) {
        throw new ConfigurationError("MigrateOptions: username needs password");
      }
      args.push("AUTH2", options.username, options.password);
    } else if (options.password !== undefined) {
      args.push("AUTH", options.password);
    }
  }
  if (many) args.push("KEYS", ...key);
  return decoded(args, Decoder.String);
}

/** The options of SORT / SORT_RO as arguments. */
function sortArgs(name: string, key: GlideString, options: SortOptions | undefined): GlideString[] {
  const args: GlideString[] = [name, key];
  if (!options) return args;
  if (options.byPattern !== undefined) args.push("BY", options.byPattern);
  if (options.limit !== undefined) {
    const { offset, count } = options.limit;
    args.push("LIMIT", int("limit.offset", offset), int("limit.count", count));
  }
  if (options.getPatterns !== undefined) {
    if (!Array.isArray(options.getPatterns)) {
      throw new ConfigurationError("getPatterns must be an array");
    }
    for (const p of options.getPatterns) args.push("GET", p);
  }
  if (options.orderBy !== undefined) {
    if (!SORT_ORDERS.has(options.orderBy)) {
      throw new ConfigurationError(`unknown orderBy: ${String(options.orderBy)}`);
    }
    args.push(options.orderBy);
  }
  if (options.isAlpha) args.push("ALPHA");
  return args;
}

/** SORT key [BY p] [LIMIT o c] [GET p ...] [ASC|DESC] [ALPHA]. @internal */
export function sort(key: GlideString, options?: SortOptions): Command<(GlideString | null)[]> {
  return shaped(sortArgs("SORT", key, options), (r) => toArray<GlideString | null>(r));
}

/** SORT_RO key [BY p] [LIMIT o c] [GET p ...] [ASC|DESC] [ALPHA]. @internal */
export function sortReadOnly(
  key: GlideString,
  options?: SortOptions,
): Command<(GlideString | null)[]> {
  return shaped(sortArgs("SORT_RO", key, options), (r) => toArray<GlideString | null>(r));
}

/** SORT key ... STORE destination. @internal */
export function sortStore(
  key: GlideString,
  destination: GlideString,
  options?: SortOptions,
): Command<number> {
  return command([...sortArgs("SORT", key, options), "STORE", destination]);
}

/** OBJECT ENCODING key (always text). @internal */
export function objectEncoding(key: GlideString): Command<string | null> {
  return decoded(["OBJECT", "ENCODING", key], Decoder.String);
}

/** OBJECT FREQ key. @internal */
export function objectFreq(key: GlideString): Command<number | null> {
  return shaped(["OBJECT", "FREQ", key], toNullableNumber);
}

/** OBJECT IDLETIME key. @internal */
export function objectIdletime(key: GlideString): Command<number | null> {
  return shaped(["OBJECT", "IDLETIME", key], toNullableNumber);
}

/** OBJECT REFCOUNT key. @internal */
export function objectRefcount(key: GlideString): Command<number | null> {
  return shaped(["OBJECT", "REFCOUNT", key], toNullableNumber);
}

/** WAIT numreplicas timeout. @internal */
export function wait(numreplicas: number, timeout: number): Command<number> {
  return command(["WAIT", int("numreplicas", numreplicas), int("timeout", timeout)]);
}

/** RANDOMKEY. @internal */
export function randomKey(): Command<GlideString | null> {
  return command(["RANDOMKEY"]);
}

/** SCAN cursor [MATCH p] [COUNT n] [TYPE t]: `[next cursor, keys]`. @internal */
export function scan(
  cursor: GlideString | number,
  options?: ScanOptions,
): Command<[GlideString, GlideString[]]> {
  let at: GlideString;
  if (typeof cursor === "number") {
    if (cursor < 0) throw new ConfigurationError(`cursor must not be negative, got ${cursor}`);
    at = int("cursor", cursor);
  } else if (typeof cursor === "string" || cursor instanceof Uint8Array) {
    at = cursor;
  } else {
    throw new ConfigurationError("cursor must be a string, a Uint8Array or a number");
  }
  const args: GlideString[] = ["SCAN", at];
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.type !== undefined) {
    if (!OBJECT_TYPES.has(options.type)) {
      throw new ConfigurationError(`unknown type: ${String(options.type)}`);
    }
    args.push("TYPE", options.type);
  }
  return shaped(args, (r) => {
    const [next, keys] = r as [GlideString, GlideReturnType];
    return [next, toArray<GlideString>(keys)];
  });
}
