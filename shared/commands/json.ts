/**
 * The JSON module's commands (valkey-json, RedisJSON): JSON.SET, JSON.GET, JSON.MGET, the
 * JSON.ARR* family, JSON.TOGGLE, JSON.DEL / FORGET, JSON.TYPE, JSON.CLEAR, JSON.RESP,
 * JSON.STRLEN / STRAPPEND, JSON.DEBUG MEMORY / FIELDS, JSON.NUMINCRBY / NUMMULTBY and
 * JSON.OBJLEN / OBJKEYS. Replies come back as the module sends them (valkey-json sends the same
 * in RESP2 and RESP3), except JSON.TOGGLE's, which become booleans as GLIDE returns them.
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError, RequestError } from "../errors.ts";
import { ConditionalChange } from "../options/sorted_sets.ts";
import type {
  JsonArrPopOptions,
  JsonGetOptions,
  ReturnTypeJson,
  UniversalReturnTypeJson,
} from "../server_modules/json_options.ts";
import type { GlideReturnType, GlideString } from "../values.ts";

/** A JSON scalar JSON.ARRINDEX looks for. */
type JsonScalar = GlideString | number | boolean | null;

/** One value in JSON.RESP's reply, as GLIDE types it (nested arrays for containers). */
type JsonRespValue = number | GlideString | null;

const CHANGES = new Set<string>(Object.values(ConditionalChange));

/** `[key]` or `[key, path]`: the optional path most JSON commands take after the key. */
function keyAndPath(key: GlideString, options: { path?: GlideString } | undefined): GlideString[] {
  return options?.path === undefined ? [key] : [key, options.path];
}

/** JSON.SET key path value [NX|XX]: "OK", or null when NX / XX kept it from setting. @internal */
export function set(
  key: GlideString,
  path: GlideString,
  value: GlideString,
  options?: { conditionalChange?: ConditionalChange },
): Command<"OK" | null> {
  const args: GlideString[] = ["JSON.SET", key, path, value];
  const change = options?.conditionalChange;
  if (change !== undefined) {
    if (!CHANGES.has(change)) {
      throw new ConfigurationError(`unknown conditionalChange: ${String(change)}`);
    }
    args.push(change);
  }
  return command(args);
}

/** JSON.GET key [path ...] [INDENT s] [NEWLINE s] [SPACE s] [NOESCAPE]. @internal */
export function get(
  key: GlideString,
  options?: JsonGetOptions,
): Command<ReturnTypeJson<GlideString>> {
  const args: GlideString[] = ["JSON.GET", key];
  const path = options?.path;
  if (Array.isArray(path)) args.push(...path);
  else if (path !== undefined) args.push(path);
  if (options?.indent !== undefined) args.push("INDENT", options.indent);
  if (options?.newline !== undefined) args.push("NEWLINE", options.newline);
  if (options?.space !== undefined) args.push("SPACE", options.space);
  if (options?.noescape) args.push("NOESCAPE");
  return command(args);
}

/** JSON.MGET key [key ...] path: one reply per key, null for a missing key. @internal */
export function mget(
  keys: GlideString[],
  path: GlideString,
): Command<ReturnTypeJson<GlideString[]>> {
  return command(["JSON.MGET", ...mayBeEmpty("keys", keys), path]);
}

/** JSON.ARRINSERT key path index value [value ...]: the arrays' new lengths. @internal */
export function arrinsert(
  key: GlideString,
  path: GlideString,
  index: number,
  values: GlideString[],
): Command<ReturnTypeJson<number>> {
  return command([
    "JSON.ARRINSERT",
    key,
    path,
    int("index", index),
    ...mayBeEmpty("values", values),
  ]);
}

/**
 * JSON.ARRPOP key [path [index]]: the popped values as JSON text. An index of 0 is sent as
 * it is (it pops the first element, not the last). @internal
 */
export function arrpop(
  key: GlideString,
  options?: JsonArrPopOptions,
): Command<ReturnTypeJson<GlideString>> {
  const args: GlideString[] = ["JSON.ARRPOP", key];
  if (options?.path !== undefined) {
    args.push(options.path);
    if (options.index !== undefined) args.push(int("index", options.index));
  } else if (options?.index !== undefined) {
    throw new ConfigurationError("index needs path");
  }
  return command(args);
}

/** JSON.ARRLEN key [path]. @internal */
export function arrlen(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.ARRLEN", ...keyAndPath(key, options)]);
}

/** JSON.ARRTRIM key path start end: the arrays' new lengths. @internal */
export function arrtrim(
  key: GlideString,
  path: GlideString,
  start: number,
  end: number,
): Command<ReturnTypeJson<number>> {
  return command(["JSON.ARRTRIM", key, path, int("start", start), int("end", end)]);
}

/** A scalar as JSON text: numbers and booleans rendered, null as `null`, strings as given. */
function scalarArg(scalar: JsonScalar): GlideString {
  if (scalar === null) return "null";
  if (typeof scalar === "boolean") return scalar ? "true" : "false";
  if (typeof scalar === "number") return finite("scalar", scalar);
  if (typeof scalar === "string" || scalar instanceof Uint8Array) return scalar;
  throw new ConfigurationError(`scalar must be a string, number, boolean or null`);
}

/** JSON.ARRINDEX key path scalar [start [end]]: the first index of `scalar`, or -1. @internal */
export function arrindex(
  key: GlideString,
  path: GlideString,
  scalar: JsonScalar,
  options?: { start?: number; end?: number },
): Command<ReturnTypeJson<number>> {
  const args: GlideString[] = ["JSON.ARRINDEX", key, path, scalarArg(scalar)];
  if (options?.start !== undefined) {
    args.push(int("start", options.start));
    if (options.end !== undefined) args.push(int("end", options.end));
  } else if (options?.end !== undefined) {
    throw new ConfigurationError("end needs start");
  }
  return command(args);
}

/** "true" / "false" (text or bytes), 1 / 0, or a boolean → boolean. */
function toJsonBoolean(r: GlideReturnType): boolean {
  if (typeof r === "boolean") return r;
  if (r === 1 || r === 0) return r === 1;
  const text = typeof r === "string"
    ? r
    : r instanceof Uint8Array
    ? new TextDecoder().decode(r)
    : undefined;
  if (text === "true" || text === "false") return text === "true";
  throw new RequestError(`expected a boolean in the reply, got ${String(r)}`);
}

/**
 * JSON.TOGGLE's reply as booleans, in either protocol: a JSONPath path's array of 1 / 0 (null
 * for a value that is not a boolean), or a legacy path's "true" / "false".
 */
function toToggled(r: GlideReturnType): ReturnTypeJson<boolean> {
  if (r === null) return null;
  if (Array.isArray(r)) {
    return (r as GlideReturnType[]).map((v) => (v === null ? null : toJsonBoolean(v)));
  }
  return toJsonBoolean(r);
}

/** JSON.TOGGLE key [path]: the new values, as booleans. @internal */
export function toggle(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<boolean>> {
  return shaped(["JSON.TOGGLE", ...keyAndPath(key, options)], toToggled);
}

/** JSON.DEL key [path]: how many values were deleted. @internal */
export function del(key: GlideString, options?: { path?: GlideString }): Command<number> {
  return command(["JSON.DEL", ...keyAndPath(key, options)]);
}

/** JSON.FORGET key [path]: JSON.DEL's other name. @internal */
export function forget(key: GlideString, options?: { path?: GlideString }): Command<number> {
  return command(["JSON.FORGET", ...keyAndPath(key, options)]);
}

/** JSON.TYPE key [path]: the values' type names. @internal */
export function type(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<GlideString>> {
  return command(["JSON.TYPE", ...keyAndPath(key, options)]);
}

/** JSON.CLEAR key [path]: how many values were cleared. @internal */
export function clear(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.CLEAR", ...keyAndPath(key, options)]);
}

/** JSON.RESP key [path]: the values in RESP form (nested arrays). @internal */
export function resp(
  key: GlideString,
  options?: { path?: GlideString },
): Command<UniversalReturnTypeJson<JsonRespValue>> {
  return command(["JSON.RESP", ...keyAndPath(key, options)]);
}

/** JSON.STRLEN key [path]. @internal */
export function strlen(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.STRLEN", ...keyAndPath(key, options)]);
}

/** JSON.STRAPPEND key [path] value: the strings' new lengths. @internal */
export function strappend(
  key: GlideString,
  value: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.STRAPPEND", ...keyAndPath(key, options), value]);
}

/** JSON.ARRAPPEND key path value [value ...]: the arrays' new lengths. @internal */
export function arrappend(
  key: GlideString,
  path: GlideString,
  values: GlideString[],
): Command<ReturnTypeJson<number>> {
  return command(["JSON.ARRAPPEND", key, path, ...mayBeEmpty("values", values)]);
}

/** JSON.DEBUG MEMORY key [path]: bytes used. @internal */
export function debugMemory(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.DEBUG", "MEMORY", ...keyAndPath(key, options)]);
}

/** JSON.DEBUG FIELDS key [path]: how many fields. @internal */
export function debugFields(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.DEBUG", "FIELDS", ...keyAndPath(key, options)]);
}

/** JSON.NUMINCRBY key path number: the new values, as JSON text. @internal */
export function numincrby(key: GlideString, path: GlideString, num: number): Command<GlideString> {
  return command(["JSON.NUMINCRBY", key, path, finite("num", num)]);
}

/** JSON.NUMMULTBY key path number: the new values, as JSON text. @internal */
export function nummultby(key: GlideString, path: GlideString, num: number): Command<GlideString> {
  return command(["JSON.NUMMULTBY", key, path, finite("num", num)]);
}

/** JSON.OBJLEN key [path]. @internal */
export function objlen(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<number>> {
  return command(["JSON.OBJLEN", ...keyAndPath(key, options)]);
}

/** JSON.OBJKEYS key [path]: the objects' key names. @internal */
export function objkeys(
  key: GlideString,
  options?: { path?: GlideString },
): Command<ReturnTypeJson<GlideString[]>> {
  return command(["JSON.OBJKEYS", ...keyAndPath(key, options)]);
}
