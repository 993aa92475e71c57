/**
 * Set commands: SADD, SREM, SMEMBERS, SCARD, SISMEMBER, SMISMEMBER, SPOP, SRANDMEMBER, SMOVE,
 * SINTER/SINTERCARD/SINTERSTORE, SUNION/SUNIONSTORE, SDIFF/SDIFFSTORE, SSCAN. RESP3 sends sets
 * where RESP2 sends arrays; both become GLIDE's `Set` (or array) here.
 * @module
 */

import { type Command, command, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toArray, toBoolean, toBooleans, toSet } from "../shape.ts";
import type { GlideReturnType, GlideString } from "../values.ts";
import type { BaseScanOptions } from "../options/sets.ts";

/** SADD key member [member ...]. @internal */
export function sadd(key: GlideString, members: GlideString[]): Command<number> {
  return command(["SADD", key, ...mayBeEmpty("members", members)]);
}

/** SREM key member [member ...]. @internal */
export function srem(key: GlideString, members: GlideString[]): Command<number> {
  return command(["SREM", key, ...mayBeEmpty("members", members)]);
}

/** SMEMBERS key. @internal */
export function smembers(key: GlideString): Command<Set<GlideString>> {
  return shaped(["SMEMBERS", key], toSet<GlideString>);
}

/** SCARD key. @internal */
export function scard(key: GlideString): Command<number> {
  return command(["SCARD", key]);
}

/** SISMEMBER key member. @internal */
export function sismember(key: GlideString, member: GlideString): Command<boolean> {
  return shaped(["SISMEMBER", key, member], toBoolean);
}

/** SMISMEMBER key member [member ...]. @internal */
export function smismember(key: GlideString, members: GlideString[]): Command<boolean[]> {
  return shaped(["SMISMEMBER", key, ...mayBeEmpty("members", members)], toBooleans);
}

/** SPOP key. @internal */
export function spop(key: GlideString): Command<GlideString | null> {
  return command(["SPOP", key]);
}

/** SPOP key count. @internal */
export function spopCount(key: GlideString, count: number): Command<Set<GlideString>> {
  return shaped(["SPOP", key, int("count", count)], toSet<GlideString>);
}

/** SRANDMEMBER key. @internal */
export function srandmember(key: GlideString): Command<GlideString | null> {
  return command(["SRANDMEMBER", key]);
}

/** SRANDMEMBER key count (negative: members may repeat). @internal */
export function srandmemberCount(key: GlideString, count: number): Command<GlideString[]> {
  return shaped(["SRANDMEMBER", key, int("count", count)], toArray<GlideString>);
}

/** SMOVE source destination member. @internal */
export function smove(
  source: GlideString,
  destination: GlideString,
  member: GlideString,
): Command<boolean> {
  return shaped(["SMOVE", source, destination, member], toBoolean);
}

/** SINTER key [key ...]. @internal */
export function sinter(keys: GlideString[]): Command<Set<GlideString>> {
  return shaped(["SINTER", ...mayBeEmpty("keys", keys)], toSet<GlideString>);
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit]. @internal */
export function sintercard(keys: GlideString[], limit?: number): Command<number> {
  const args: GlideString[] = ["SINTERCARD", String(mayBeEmpty("keys", keys).length), ...keys];
  if (limit !== undefined) args.push("LIMIT", int("limit", limit));
  return command(args);
}

/** SINTERSTORE destination key [key ...]. @internal */
export function sinterstore(destination: GlideString, keys: GlideString[]): Command<number> {
  return command(["SINTERSTORE", destination, ...mayBeEmpty("keys", keys)]);
}

/** SUNION key [key ...]. @internal */
export function sunion(keys: GlideString[]): Command<Set<GlideString>> {
  return shaped(["SUNION", ...mayBeEmpty("keys", keys)], toSet<GlideString>);
}

/** SUNIONSTORE destination key [key ...]. @internal */
export function sunionstore(destination: GlideString, keys: GlideString[]): Command<number> {
  return command(["SUNIONSTORE", destination, ...mayBeEmpty("keys", keys)]);
}

/** SDIFF key [key ...]. @internal */
export function sdiff(keys: GlideString[]): Command<Set<GlideString>> {
  return shaped(["SDIFF", ...mayBeEmpty("keys", keys)], toSet<GlideString>);
}

/** SDIFFSTORE destination key [key ...]. @internal */
export function sdiffstore(destination: GlideString, keys: GlideString[]): Command<number> {
  return command(["SDIFFSTORE", destination, ...mayBeEmpty("keys", keys)]);
}

/** A cursor as text, whatever the decoder. */
function cursorText(c: GlideReturnType): string {
  return typeof c === "string" ? c : new TextDecoder().decode(c as Uint8Array);
}

/** SSCAN key cursor [MATCH pattern] [COUNT count]: `[nextCursor, members]`. @internal */
export function sscan(
  key: GlideString,
  cursor: GlideString,
  options?: BaseScanOptions,
): Command<[string, GlideString[]]> {
  if (typeof cursor !== "string" && !(cursor instanceof Uint8Array)) {
    throw new ConfigurationError(`cursor must be a string, got ${String(cursor)}`);
  }
  const args: GlideString[] = ["SSCAN", key, cursor];
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  return shaped(args, (r) => {
    const [next, members] = r as GlideReturnType[];
    return [cursorText(next), toArray<GlideString>(members)];
  });
}
