/**
 * The JSON module's commands (valkey-json, RedisJSON): `GlideJson` on every client and
 * `JsonBatch` for batches.
 * @module
 */

import { runCommand } from "../api/runner.ts";
import type { CommandRunner } from "../api/runner.ts";
import { Batch, ClusterBatch } from "../batch.ts";
import type { Command } from "../command.ts";
import * as json from "../commands/json.ts";
import { ConfigurationError } from "../errors.ts";
import type { Reply } from "../mode.ts";
import type { ConditionalChange } from "../options/sorted_sets.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type {
  JsonArrPopOptions,
  JsonGetOptions,
  ReturnTypeJson,
  UniversalReturnTypeJson,
} from "./json_options.ts";

export type {
  JsonArrPopOptions,
  JsonGetOptions,
  ReturnTypeJson,
  UniversalReturnTypeJson,
} from "./json_options.ts";

/** The clients' modes: GlideJson's methods return a Promise (async) or the value (sync). */
type ClientMode = "async" | "sync";

/** Runs one JSON command on a client (async or sync, standalone or cluster). */
function onClient<M extends ClientMode, T>(
  client: CommandRunner<M>,
  build: () => Command<T>,
  options?: DecoderOption,
): Reply<M, T> {
  return runCommand(client, () => {
    if (client instanceof Batch || client instanceof ClusterBatch) {
      throw new ConfigurationError(
        "GlideJson runs commands on a client: use JsonBatch for a batch",
      );
    }
    return build();
  }, options);
}

/** Adds one JSON command to a batch and returns the batch, for chaining. */
function onBatch<B extends Batch | ClusterBatch>(batch: B, build: () => Command<unknown>): B {
  if (!(batch instanceof Batch) && !(batch instanceof ClusterBatch)) {
    throw new ConfigurationError("JsonBatch adds commands to a Batch or ClusterBatch");
  }
  return runCommand(batch as unknown as CommandRunner<B>, build) as unknown as B;
}

/**
 * The JSON module's commands, as static methods that take the client to run on as their first
 * argument, as in GLIDE. They work on every client: async and sync, `GlideClient` and
 * `GlideClusterClient` (with an async client they return a Promise, with a sync one the value
 * itself). The server needs the JSON module loaded (valkey-json, or RedisJSON).
 *
 * Paths come in two syntaxes. A JSONPath path starts with `$` and may match several values:
 * the reply then has one entry per match (an empty list when nothing matches). A legacy path
 * (`.a`, `a`, `.`) answers for one value: the first match, and an error when nothing matches.
 * Values are passed and returned as JSON text (`JSON.stringify` / `JSON.parse` them).
 *
 * @example
 * ```ts
 * import { GlideClient, GlideJson } from "@glide-deno/glide";
 * await using client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: [1, 2] }));
 * console.log(await GlideJson.get(client, "doc", { path: "$.b" })); // "[[1,2]]"
 * console.log(await GlideJson.arrappend(client, "doc", "$.b", ["3"])); // [3]
 * ```
 */
export class GlideJson {
  /**
   * Sets the JSON value at `path` in the document stored at `key` (JSON.SET). A new document
   * must be set at the root (`$` or `.`); elsewhere, only an existing value or a new member of
   * an existing object or array is set.
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - Where to set the value.
   * @param value - The value, as JSON text.
   * @param options - `conditionalChange`: set only if the value at `path` exists
   *   (`ONLY_IF_EXISTS`, XX) or does not (`ONLY_IF_DOES_NOT_EXIST`, NX); and `decoder` (see
   *   {@link DecoderOption}).
   * @returns `"OK"`, or `null` when `conditionalChange` kept the value from being set.
   *
   * @example
   * ```ts
   * console.log(await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1 }))); // "OK"
   * console.log(
   *   await GlideJson.set(client, "doc", "$.a", "2", {
   *     conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST,
   *   }),
   * ); // null: $.a exists
   * ```
   */
  static set<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    value: GlideString,
    options?: { conditionalChange?: ConditionalChange } & DecoderOption,
  ): Reply<M, "OK" | null> {
    return onClient(client, () => json.set(key, path, value, options), options);
  }

  /**
   * Returns JSON text of the values at one or several paths of the document stored at `key`
   * (JSON.GET).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - The path(s) (default: the root) and formatting (see
   *   {@link JsonGetOptions}), and `decoder` (see {@link DecoderOption}).
   * @returns `null` if `key` does not exist. With one path: for a JSONPath path, a JSON array
   *   of the matching values (`"[]"` when none match); for a legacy path, the value itself (an
   *   error when nothing matches). With several paths: a JSON object mapping each path to what
   *   it would return alone (as JSONPath if any of the paths is one).
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: [1, 2] }));
   * console.log(await GlideJson.get(client, "doc")); // '{"a":1,"b":[1,2]}'
   * console.log(await GlideJson.get(client, "doc", { path: "$..a" })); // "[1]"
   * console.log(await GlideJson.get(client, "doc", { path: ".b" })); // "[1,2]"
   * console.log(await GlideJson.get(client, "doc", { path: ["$.a", "$.b"] }));
   * // '{"$.a":[1],"$.b":[[1,2]]}'
   * console.log(await GlideJson.get(client, "doc", { path: "$.c" })); // "[]"
   * ```
   */
  static get<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: JsonGetOptions & DecoderOption,
  ): Reply<M, ReturnTypeJson<GlideString>> {
    return onClient(client, () => json.get(key, options), options);
  }

  /**
   * Returns JSON text of the values at `path` in several documents (JSON.MGET). On a cluster,
   * keys in different slots are asked of their nodes separately, so the command is atomic only
   * per slot, and the first node's error fails the whole call.
   *
   * @param client - The client to run the command on.
   * @param keys - The documents' keys.
   * @param path - The path, in each document.
   * @param options - `decoder` (see {@link DecoderOption}).
   * @returns One entry per key, in order: `null` for a missing key (and, for a legacy path, for
   *   a document where nothing matches); otherwise JSON text as {@link GlideJson.get} returns
   *   it for one path.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc1", "$", JSON.stringify({ a: 1, c: true }));
   * await GlideJson.set(client, "doc2", "$", JSON.stringify({ a: 2 }));
   * console.log(await GlideJson.mget(client, ["doc1", "doc2", "nope"], "$.c"));
   * // ["[true]", "[]", null]
   * ```
   */
  static mget<M extends ClientMode>(
    client: CommandRunner<M>,
    keys: GlideString[],
    path: GlideString,
    options?: DecoderOption,
  ): Reply<M, ReturnTypeJson<GlideString[]>> {
    return onClient(client, () => json.mget(keys, path), options);
  }

  /**
   * Inserts values into the array(s) at `path`, before position `index` (JSON.ARRINSERT).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param index - Where to insert: 0 for the front, the length for the end, negative to count
   *   from the end.
   * @param values - The values, as JSON text (a string value is quoted: `'"foo"'`).
   * @returns The arrays' new lengths: for a JSONPath path, one per match (`null` for a match
   *   that is not an array); for a legacy path, the first array's. An index out of range, a
   *   missing key, or (legacy path) no array at `path` is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 4] }));
   * console.log(await GlideJson.arrinsert(client, "doc", "$.a", 1, ["2", "3"])); // [4]
   * console.log(await GlideJson.get(client, "doc", { path: ".a" })); // "[1,2,3,4]"
   * ```
   */
  static arrinsert<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    index: number,
    values: GlideString[],
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.arrinsert(key, path, index, values));
  }

  /**
   * Removes and returns an element of the array(s) at a path (JSON.ARRPOP).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - The path (default: the root) and the element's index (default: the
   *   last), see {@link JsonArrPopOptions}; and `decoder` (see {@link DecoderOption}).
   * @returns The popped values as JSON text: for a JSONPath path, one per match (`null` for a
   *   match that is not an array, or is empty); for a legacy path, the first non-empty array's
   *   (`null` if it is empty). A missing key or (legacy path) no array at the path is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, "two", 3] }));
   * console.log(await GlideJson.arrpop(client, "doc", { path: "$.a", index: 1 })); // ['"two"']
   * console.log(await GlideJson.arrpop(client, "doc", { path: ".a" })); // "3"
   * ```
   */
  static arrpop<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: JsonArrPopOptions & DecoderOption,
  ): Reply<M, ReturnTypeJson<GlideString>> {
    return onClient(client, () => json.arrpop(key, options), options);
  }

  /**
   * Returns the length of the array(s) at a path (JSON.ARRLEN).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path of the array(s) (default: the root).
   * @returns For a JSONPath path, one length per match (`null` for a match that is not an
   *   array); for a legacy path, the first array's length (an error if it is not an array).
   *   `null` if `key` does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 2, 3], b: { a: 1 } }));
   * console.log(await GlideJson.arrlen(client, "doc", { path: "$..a" })); // [3, null]
   * console.log(await GlideJson.arrlen(client, "doc", { path: ".a" })); // 3
   * ```
   */
  static arrlen<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.arrlen(key, options));
  }

  /**
   * Trims the array(s) at `path` to the elements from `start` to `end`, both included
   * (JSON.ARRTRIM). A negative `start` counts as 0, an `end` past the array as its last
   * element; `start` past the array, or after `end`, empties it.
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param start - The first element kept.
   * @param end - The last element kept.
   * @returns The arrays' new lengths: for a JSONPath path, one per match (`null` for a match
   *   that is not an array); for a legacy path, the first array's (an error if it is not an
   *   array). A missing key is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [0, 1, 2, 3, 4] }));
   * console.log(await GlideJson.arrtrim(client, "doc", "$.a", 1, 3)); // [3]
   * console.log(await GlideJson.get(client, "doc", { path: ".a" })); // "[1,2,3]"
   * ```
   */
  static arrtrim<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    start: number,
    end: number,
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.arrtrim(key, path, start, end));
  }

  /**
   * Finds the first position of a scalar in the array(s) at `path` (JSON.ARRINDEX).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param scalar - What to look for: a number, boolean or `null`, or JSON text (a string is
   *   quoted: `'"foo"'`).
   * @param options - `start` and `end`: search only from `start` up to `end`, excluded (0 or
   *   absent: to the end; negative values count from the end).
   * @returns The positions, -1 where not found: for a JSONPath path, one per match (`null` for
   *   a match that is not an array); for a legacy path, in the first array (an error if it is
   *   not an array). A missing key is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: ["x", 1, true, null] }));
   * console.log(await GlideJson.arrindex(client, "doc", "$.a", '"x"')); // [0]
   * console.log(await GlideJson.arrindex(client, "doc", ".a", true)); // 2
   * console.log(await GlideJson.arrindex(client, "doc", "$.a", 1, { start: 2 })); // [-1]
   * ```
   */
  static arrindex<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    scalar: GlideString | number | boolean | null,
    options?: { start: number; end?: number },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.arrindex(key, path, scalar, options));
  }

  /**
   * Flips the boolean(s) at a path (JSON.TOGGLE).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path of the boolean(s) (default: the root).
   * @returns The new values: for a JSONPath path, one per match (`null` for a match that is not
   *   a boolean); for a legacy path, the value (an error if it is not a boolean). A missing key
   *   is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ on: true, n: 1 }));
   * console.log(await GlideJson.toggle(client, "doc", { path: "$.*" })); // [false, null]
   * console.log(await GlideJson.toggle(client, "doc", { path: ".on" })); // true
   * ```
   */
  static toggle<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<boolean>> {
    return onClient(client, () => json.toggle(key, options));
  }

  /**
   * Deletes the value(s) at a path, or the whole document (JSON.DEL).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: what to delete (default: the root, i.e. the key).
   * @returns How many values were deleted: 0 when nothing matches or the key does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: { a: 2 } }));
   * console.log(await GlideJson.del(client, "doc", { path: "$..a" })); // 2
   * console.log(await GlideJson.del(client, "doc")); // 1: the key is gone
   * ```
   */
  static del<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, number> {
    return onClient(client, () => json.del(key, options));
  }

  /**
   * The same as {@link GlideJson.del} (JSON.FORGET, JSON.DEL's other name).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: what to delete (default: the root, i.e. the key).
   * @returns How many values were deleted: 0 when nothing matches or the key does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: 2 }));
   * console.log(await GlideJson.forget(client, "doc", { path: ".a" })); // 1
   * console.log(await GlideJson.get(client, "doc")); // '{"b":2}'
   * ```
   */
  static forget<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, number> {
    return onClient(client, () => json.forget(key, options));
  }

  /**
   * Returns the type of the value(s) at a path (JSON.TYPE): `"null"`, `"boolean"`,
   * `"string"`, `"number"`, `"integer"`, `"object"` or `"array"`.
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns For a JSONPath path, one type per match (an empty list when nothing matches); for
   *   a legacy path, the first match's type (`null` when nothing matches). `null` if `key` does
   *   not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: [1.5], c: "x" }));
   * console.log(await GlideJson.type(client, "doc", { path: "$.*" })); // ["integer", "array", "string"]
   * console.log(await GlideJson.type(client, "doc")); // "object"
   * ```
   */
  static type<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<GlideString>> {
    return onClient(client, () => json.type(key, options));
  }

  /**
   * Empties the container(s) at a path, sets numbers to 0, booleans to `false` and strings to
   * `""` (JSON.CLEAR).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns How many values were cleared (values already empty, and `null`s, do not count). A
   *   missing key is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 2], b: { c: 3 }, n: 5 }));
   * console.log(await GlideJson.clear(client, "doc", { path: "$.*" })); // 3
   * console.log(await GlideJson.get(client, "doc")); // '{"a":[],"b":{},"n":0}'
   * ```
   */
  static clear<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.clear(key, options));
  }

  /**
   * Returns the value(s) at a path in RESP form (JSON.RESP): `null` for JSON null, integers as
   * numbers, other numbers, strings and booleans as strings, an array as `["[", ...elements]`
   * and an object as `["{", [key, value], ...]`.
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root); and `decoder` (see
   *   {@link DecoderOption}).
   * @returns For a JSONPath path, one RESP form per match (an empty list when nothing matches);
   *   for a legacy path, the first match's (an error when nothing matches). `null` if `key`
   *   does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 2], b: "x" }));
   * console.log(await GlideJson.resp(client, "doc")); // ["{", ["a", ["[", 1, 2]], ["b", "x"]]
   * console.log(await GlideJson.resp(client, "doc", { path: "$.b" })); // ["x"]
   * ```
   */
  static resp<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString } & DecoderOption,
  ): Reply<
    M,
    UniversalReturnTypeJson<(number | GlideString) | (number | GlideString | null) | null>
  > {
    return onClient(client, () => json.resp(key, options), options);
  }

  /**
   * Returns the length of the string(s) at a path (JSON.STRLEN).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns For a JSONPath path, one length per match (`null` for a match that is not a
   *   string); for a legacy path, the first string's length (an error if it is not a string).
   *   `null` if `key` does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: "foo", b: 1 }));
   * console.log(await GlideJson.strlen(client, "doc", { path: "$.*" })); // [3, null]
   * console.log(await GlideJson.strlen(client, "doc", { path: ".a" })); // 3
   * ```
   */
  static strlen<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.strlen(key, options));
  }

  /**
   * Appends to the string(s) at a path (JSON.STRAPPEND).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param value - What to append, as a JSON string (quoted: `'"foo"'`).
   * @param options - `path`: the path (default: the root).
   * @returns The strings' new lengths: for a JSONPath path, one per match (`null` for a match
   *   that is not a string); for a legacy path, the last string's (an error if none is a
   *   string). A missing key is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: "foo" }));
   * console.log(await GlideJson.strappend(client, "doc", '"bar"', { path: "$.a" })); // [6]
   * console.log(await GlideJson.get(client, "doc", { path: ".a" })); // '"foobar"'
   * ```
   */
  static strappend<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    value: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.strappend(key, value, options));
  }

  /**
   * Appends values to the array(s) at `path` (JSON.ARRAPPEND).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param values - The values, as JSON text (a string value is quoted: `'"foo"'`).
   * @returns The arrays' new lengths: for a JSONPath path, one per match (`null` for a match
   *   that is not an array); for a legacy path, the first array's (an error if it is not an
   *   array). A missing key is an error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1] }));
   * console.log(await GlideJson.arrappend(client, "doc", "$.a", ["2", '"three"'])); // [3]
   * console.log(await GlideJson.get(client, "doc", { path: ".a" })); // '[1,2,"three"]'
   * ```
   */
  static arrappend<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    values: GlideString[],
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.arrappend(key, path, values));
  }

  /**
   * Returns how many bytes the value(s) at a path use (JSON.DEBUG MEMORY).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the whole document).
   * @returns For a JSONPath path, one size per match (an empty list when nothing matches); for
   *   a legacy path, the first match's (an error when nothing matches). `null` if `key` does
   *   not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 2, 3] }));
   * console.log(await GlideJson.debugMemory(client, "doc")); // e.g. 88
   * console.log(await GlideJson.debugMemory(client, "doc", { path: "$.a" })); // e.g. [64]
   * ```
   */
  static debugMemory<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.debugMemory(key, options));
  }

  /**
   * Returns how many fields the value(s) at a path hold, counting nested ones; a scalar counts
   * as 1 (JSON.DEBUG FIELDS).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the whole document).
   * @returns For a JSONPath path, one count per match (an empty list when nothing matches); for
   *   a legacy path, the first match's (an error when nothing matches). `null` if `key` does
   *   not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: [1, 2, 3], b: { c: 1 } }));
   * console.log(await GlideJson.debugFields(client, "doc")); // 6
   * console.log(await GlideJson.debugFields(client, "doc", { path: "$.a" })); // [3]
   * ```
   */
  static debugFields<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.debugFields(key, options));
  }

  /**
   * Adds `num` to the number(s) at `path` (JSON.NUMINCRBY); a negative `num` subtracts.
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the number(s).
   * @param num - What to add.
   * @returns JSON text of the new values: for a JSONPath path, an array with one per match
   *   (`null` for a match that is not a number); for a legacy path, the last updated value (an
   *   error if none is a number). A missing key, or a result out of a double's range, is an
   *   error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: "x" }));
   * console.log(await GlideJson.numincrby(client, "doc", "$.*", 2)); // "[3,null]"
   * console.log(await GlideJson.numincrby(client, "doc", ".a", -0.5)); // "2.5"
   * ```
   */
  static numincrby<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    num: number,
  ): Reply<M, GlideString> {
    return onClient(client, () => json.numincrby(key, path, num));
  }

  /**
   * Multiplies the number(s) at `path` by `num` (JSON.NUMMULTBY).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param path - The path of the number(s).
   * @param num - What to multiply by.
   * @returns JSON text of the new values: for a JSONPath path, an array with one per match
   *   (`null` for a match that is not a number); for a legacy path, the last updated value (an
   *   error if none is a number). A missing key, or a result out of a double's range, is an
   *   error.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 3, b: { a: 4 } }));
   * console.log(await GlideJson.nummultby(client, "doc", "$..a", 2)); // "[6,8]"
   * console.log(await GlideJson.nummultby(client, "doc", ".a", 0.5)); // "3"
   * ```
   */
  static nummultby<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    path: GlideString,
    num: number,
  ): Reply<M, GlideString> {
    return onClient(client, () => json.nummultby(key, path, num));
  }

  /**
   * Returns how many members the object(s) at a path have (JSON.OBJLEN).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns For a JSONPath path, one count per match (`null` for a match that is not an
   *   object); for a legacy path, the first object's (an error if it is not an object).
   *   `null` if `key` does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: { c: 1, d: 2 } }));
   * console.log(await GlideJson.objlen(client, "doc")); // 2
   * console.log(await GlideJson.objlen(client, "doc", { path: "$.*" })); // [null, 2]
   * ```
   */
  static objlen<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString },
  ): Reply<M, ReturnTypeJson<number>> {
    return onClient(client, () => json.objlen(key, options));
  }

  /**
   * Returns the member names of the object(s) at a path (JSON.OBJKEYS).
   *
   * @param client - The client to run the command on.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root); and `decoder` (see
   *   {@link DecoderOption}).
   * @returns For a JSONPath path, one list of names per match (an empty list for a match that
   *   is not an object); for a legacy path, the first object's names (an error if it is not an
   *   object). `null` if `key` does not exist.
   *
   * @example
   * ```ts
   * await GlideJson.set(client, "doc", "$", JSON.stringify({ a: 1, b: { c: 1, d: 2 } }));
   * console.log(await GlideJson.objkeys(client, "doc")); // ["a", "b"]
   * console.log(await GlideJson.objkeys(client, "doc", { path: "$.*" })); // [[], ["c", "d"]]
   * ```
   */
  static objkeys<M extends ClientMode>(
    client: CommandRunner<M>,
    key: GlideString,
    options?: { path: GlideString } & DecoderOption,
  ): Reply<M, ReturnTypeJson<GlideString[]>> {
    return onClient(client, () => json.objkeys(key, options), options);
  }
}

/**
 * The JSON module's commands for batches: each static method adds its command to a `Batch`
 * (standalone) or `ClusterBatch` and returns that batch, for chaining; `exec` then gives each
 * command's reply as the same {@link GlideJson} method returns it. The server needs the JSON
 * module loaded (valkey-json, or RedisJSON).
 *
 * @example
 * ```ts
 * import { Batch, GlideClient, JsonBatch } from "@glide-deno/glide";
 * await using client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * const batch = new Batch(true);
 * JsonBatch.set(batch, "doc", "$", JSON.stringify({ a: [1] }));
 * JsonBatch.arrappend(batch, "doc", "$.a", ["2"]);
 * JsonBatch.get(batch, "doc", { path: ".a" });
 * console.log(await client.exec(batch, true)); // ["OK", [2], "[1,2]"]
 * ```
 */
export class JsonBatch {
  /**
   * Adds JSON.SET: see {@link GlideJson.set}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - Where to set the value.
   * @param value - The value, as JSON text.
   * @param options - `conditionalChange`: set only if the value at `path` exists (XX) or does
   *   not (NX).
   * @returns The batch. Its reply: `"OK"`, or `null` when `conditionalChange` kept the value
   *   from being set.
   *
   * @example
   * ```ts
   * JsonBatch.set(batch, "doc", "$", JSON.stringify({ a: 1 })); // reply: "OK"
   * ```
   */
  static set<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    value: GlideString,
    options?: { conditionalChange?: ConditionalChange },
  ): B {
    return onBatch(batch, () => json.set(key, path, value, options));
  }

  /**
   * Adds JSON.GET: see {@link GlideJson.get}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - The path(s) and formatting: see {@link JsonGetOptions}.
   * @returns The batch. Its reply: JSON text of the value(s), `null` if `key` does not exist.
   *
   * @example
   * ```ts
   * JsonBatch.get(batch, "doc", { path: "$.a" }); // reply: e.g. "[1]"
   * ```
   */
  static get<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: JsonGetOptions,
  ): B {
    return onBatch(batch, () => json.get(key, options));
  }

  /**
   * Adds JSON.MGET: see {@link GlideJson.mget}.
   *
   * @param batch - The batch to add the command to.
   * @param keys - The documents' keys.
   * @param path - The path, in each document.
   * @returns The batch. Its reply: one entry of JSON text per key, `null` for a missing key.
   *
   * @example
   * ```ts
   * JsonBatch.mget(batch, ["doc1", "doc2"], "$.a"); // reply: e.g. ["[1]", null]
   * ```
   */
  static mget<B extends Batch | ClusterBatch>(
    batch: B,
    keys: GlideString[],
    path: GlideString,
  ): B {
    return onBatch(batch, () => json.mget(keys, path));
  }

  /**
   * Adds JSON.ARRINSERT: see {@link GlideJson.arrinsert}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param index - Where to insert.
   * @param values - The values, as JSON text.
   * @returns The batch. Its reply: the arrays' new lengths.
   *
   * @example
   * ```ts
   * JsonBatch.arrinsert(batch, "doc", "$.a", 0, ['"first"']); // reply: e.g. [3]
   * ```
   */
  static arrinsert<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    index: number,
    values: GlideString[],
  ): B {
    return onBatch(batch, () => json.arrinsert(key, path, index, values));
  }

  /**
   * Adds JSON.ARRPOP: see {@link GlideJson.arrpop}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - The path and index: see {@link JsonArrPopOptions}.
   * @returns The batch. Its reply: the popped value(s) as JSON text.
   *
   * @example
   * ```ts
   * JsonBatch.arrpop(batch, "doc", { path: "$.a", index: 0 }); // reply: e.g. ["1"]
   * ```
   */
  static arrpop<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: JsonArrPopOptions,
  ): B {
    return onBatch(batch, () => json.arrpop(key, options));
  }

  /**
   * Adds JSON.ARRLEN: see {@link GlideJson.arrlen}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path of the array(s) (default: the root).
   * @returns The batch. Its reply: the arrays' lengths.
   *
   * @example
   * ```ts
   * JsonBatch.arrlen(batch, "doc", { path: "$.a" }); // reply: e.g. [2]
   * ```
   */
  static arrlen<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.arrlen(key, options));
  }

  /**
   * Adds JSON.ARRTRIM: see {@link GlideJson.arrtrim}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param start - The first element kept.
   * @param end - The last element kept.
   * @returns The batch. Its reply: the arrays' new lengths.
   *
   * @example
   * ```ts
   * JsonBatch.arrtrim(batch, "doc", "$.a", 0, 1); // reply: e.g. [2]
   * ```
   */
  static arrtrim<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    start: number,
    end: number,
  ): B {
    return onBatch(batch, () => json.arrtrim(key, path, start, end));
  }

  /**
   * Adds JSON.ARRINDEX: see {@link GlideJson.arrindex}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param scalar - What to look for: a number, boolean, `null`, or JSON text.
   * @param options - `start` and `end`: the range searched.
   * @returns The batch. Its reply: the positions found, -1 where not found.
   *
   * @example
   * ```ts
   * JsonBatch.arrindex(batch, "doc", "$.a", 2); // reply: e.g. [1]
   * ```
   */
  static arrindex<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    scalar: GlideString | number | boolean | null,
    options?: { start: number; end?: number },
  ): B {
    return onBatch(batch, () => json.arrindex(key, path, scalar, options));
  }

  /**
   * Adds JSON.TOGGLE: see {@link GlideJson.toggle}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path of the boolean(s) (default: the root).
   * @returns The batch. Its reply: the new values, as booleans.
   *
   * @example
   * ```ts
   * JsonBatch.toggle(batch, "doc", { path: "$.on" }); // reply: e.g. [false]
   * ```
   */
  static toggle<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.toggle(key, options));
  }

  /**
   * Adds JSON.DEL: see {@link GlideJson.del}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: what to delete (default: the whole document).
   * @returns The batch. Its reply: how many values were deleted.
   *
   * @example
   * ```ts
   * JsonBatch.del(batch, "doc", { path: "$.a" }); // reply: e.g. 1
   * ```
   */
  static del<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.del(key, options));
  }

  /**
   * Adds JSON.FORGET: see {@link GlideJson.forget}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: what to delete (default: the whole document).
   * @returns The batch. Its reply: how many values were deleted.
   *
   * @example
   * ```ts
   * JsonBatch.forget(batch, "doc"); // reply: e.g. 1
   * ```
   */
  static forget<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.forget(key, options));
  }

  /**
   * Adds JSON.TYPE: see {@link GlideJson.type}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the type name(s).
   *
   * @example
   * ```ts
   * JsonBatch.type(batch, "doc", { path: "$.a" }); // reply: e.g. ["array"]
   * ```
   */
  static type<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.type(key, options));
  }

  /**
   * Adds JSON.CLEAR: see {@link GlideJson.clear}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: how many values were cleared.
   *
   * @example
   * ```ts
   * JsonBatch.clear(batch, "doc", { path: "$.a" }); // reply: e.g. 1
   * ```
   */
  static clear<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.clear(key, options));
  }

  /**
   * Adds JSON.RESP: see {@link GlideJson.resp}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the value(s) in RESP form.
   *
   * @example
   * ```ts
   * JsonBatch.resp(batch, "doc", { path: ".a" }); // reply: e.g. ["[", 1, 2]
   * ```
   */
  static resp<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.resp(key, options));
  }

  /**
   * Adds JSON.STRLEN: see {@link GlideJson.strlen}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the strings' lengths.
   *
   * @example
   * ```ts
   * JsonBatch.strlen(batch, "doc", { path: "$.s" }); // reply: e.g. [3]
   * ```
   */
  static strlen<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.strlen(key, options));
  }

  /**
   * Adds JSON.STRAPPEND: see {@link GlideJson.strappend}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param value - What to append, as a JSON string (quoted).
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the strings' new lengths.
   *
   * @example
   * ```ts
   * JsonBatch.strappend(batch, "doc", '"!"', { path: "$.s" }); // reply: e.g. [4]
   * ```
   */
  static strappend<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    value: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.strappend(key, value, options));
  }

  /**
   * Adds JSON.ARRAPPEND: see {@link GlideJson.arrappend}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the array(s).
   * @param values - The values, as JSON text.
   * @returns The batch. Its reply: the arrays' new lengths.
   *
   * @example
   * ```ts
   * JsonBatch.arrappend(batch, "doc", "$.a", ["3"]); // reply: e.g. [3]
   * ```
   */
  static arrappend<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    values: GlideString[],
  ): B {
    return onBatch(batch, () => json.arrappend(key, path, values));
  }

  /**
   * Adds JSON.DEBUG MEMORY: see {@link GlideJson.debugMemory}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the whole document).
   * @returns The batch. Its reply: the size(s) in bytes.
   *
   * @example
   * ```ts
   * JsonBatch.debugMemory(batch, "doc"); // reply: e.g. 88
   * ```
   */
  static debugMemory<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.debugMemory(key, options));
  }

  /**
   * Adds JSON.DEBUG FIELDS: see {@link GlideJson.debugFields}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the whole document).
   * @returns The batch. Its reply: the field count(s).
   *
   * @example
   * ```ts
   * JsonBatch.debugFields(batch, "doc", { path: "$.a" }); // reply: e.g. [3]
   * ```
   */
  static debugFields<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.debugFields(key, options));
  }

  /**
   * Adds JSON.NUMINCRBY: see {@link GlideJson.numincrby}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the number(s).
   * @param num - What to add.
   * @returns The batch. Its reply: JSON text of the new value(s).
   *
   * @example
   * ```ts
   * JsonBatch.numincrby(batch, "doc", "$.n", 1); // reply: e.g. "[2]"
   * ```
   */
  static numincrby<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    num: number,
  ): B {
    return onBatch(batch, () => json.numincrby(key, path, num));
  }

  /**
   * Adds JSON.NUMMULTBY: see {@link GlideJson.nummultby}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param path - The path of the number(s).
   * @param num - What to multiply by.
   * @returns The batch. Its reply: JSON text of the new value(s).
   *
   * @example
   * ```ts
   * JsonBatch.nummultby(batch, "doc", ".n", 3); // reply: e.g. "6"
   * ```
   */
  static nummultby<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    path: GlideString,
    num: number,
  ): B {
    return onBatch(batch, () => json.nummultby(key, path, num));
  }

  /**
   * Adds JSON.OBJLEN: see {@link GlideJson.objlen}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the objects' member counts.
   *
   * @example
   * ```ts
   * JsonBatch.objlen(batch, "doc"); // reply: e.g. 2
   * ```
   */
  static objlen<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.objlen(key, options));
  }

  /**
   * Adds JSON.OBJKEYS: see {@link GlideJson.objkeys}.
   *
   * @param batch - The batch to add the command to.
   * @param key - The document's key.
   * @param options - `path`: the path (default: the root).
   * @returns The batch. Its reply: the objects' member names.
   *
   * @example
   * ```ts
   * JsonBatch.objkeys(batch, "doc"); // reply: e.g. ["a", "b"]
   * ```
   */
  static objkeys<B extends Batch | ClusterBatch>(
    batch: B,
    key: GlideString,
    options?: { path: GlideString },
  ): B {
    return onBatch(batch, () => json.objkeys(key, options));
  }
}
