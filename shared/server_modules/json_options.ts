/**
 * The option and reply types of the JSON module's API (`GlideJson`, `JsonBatch`).
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * What most JSON commands reply: one value for a legacy path (one not starting with `$`),
 * `null` when the key (or, for some commands, the value) is missing, or for a JSONPath path
 * (starting with `$`) one entry per matching value, `null` where a match has the wrong type.
 *
 * @example
 * ```ts
 * import type { ReturnTypeJson } from "@glide-deno/glide";
 * const legacy: ReturnTypeJson<number> = 3; // JSON.ARRLEN doc .a
 * const jsonPath: ReturnTypeJson<number> = [3, null]; // JSON.ARRLEN doc $..a
 * ```
 */
export type ReturnTypeJson<T> = T | null | (T | null)[];

/**
 * A reply that is one value (legacy path) or a list of them, one per match (JSONPath), as
 * JSON.RESP gives.
 *
 * @example
 * ```ts
 * import type { UniversalReturnTypeJson } from "@glide-deno/glide";
 * const one: UniversalReturnTypeJson<string> = "foo";
 * const many: UniversalReturnTypeJson<string> = ["foo", "bar"];
 * ```
 */
export type UniversalReturnTypeJson<T> = T | T[];

/**
 * How `GlideJson.get` (JSON.GET) picks and formats what it returns.
 *
 * @example
 * ```ts
 * import type { JsonGetOptions } from "@glide-deno/glide";
 * const pretty: JsonGetOptions = { path: ["$.a", "$.b"], indent: "  ", newline: "\n", space: " " };
 * ```
 */
export interface JsonGetOptions {
  /** One path, or several (the reply is then an object keyed by path). Default: the root. */
  path?: GlideString | GlideString[];
  /** INDENT: the string repeated once per nesting level. */
  indent?: GlideString;
  /** NEWLINE: the string written at the end of each line. */
  newline?: GlideString;
  /** SPACE: the string written between a key and its value. */
  space?: GlideString;
  /** NOESCAPE: accepted for compatibility with older modules; changes nothing. */
  noescape?: boolean;
}

/**
 * Which array `GlideJson.arrpop` (JSON.ARRPOP) pops from, and which element.
 *
 * @example
 * ```ts
 * import type { JsonArrPopOptions } from "@glide-deno/glide";
 * const first: JsonArrPopOptions = { path: "$.list", index: 0 };
 * ```
 */
export interface JsonArrPopOptions {
  /** The path of the array(s). */
  path: GlideString;
  /**
   * The element to pop (default: the last, -1); negative counts from the end, and an index
   * past either end pops the element at that end.
   */
  index?: number;
}
