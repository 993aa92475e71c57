/**
 * What `node.ts` adds for code ported from GLIDE Node (`@valkey/valkey-glide`): bytes replies as
 * `Buffer`s, GLIDE's deprecated aliases and exported constants, and the record helpers GLIDE
 * exports. The Deno entry points (`mod.ts`, `async.ts`, `sync.ts`) do not load it.
 * @module
 */

import { Buffer } from "node:buffer";
import { TimeoutError } from "./errors.ts";
import type { GlideRecord, GlideString } from "./values.ts";
import { type LevelOptions, Logger } from "./logger.ts";

/**
 * A reply with every `Uint8Array` in it turned into a `Buffer` over the same memory (no copy),
 * as GLIDE Node returns bytes. @internal
 */
export function toBuffers(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof Uint8Array) {
    return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = toBuffers(v[i]);
    return v;
  }
  if (v instanceof Set) return new Set([...v].map(toBuffers));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [toBuffers(k), toBuffers(x)]));
  if (v instanceof Error) return v;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = toBuffers(o[k]);
  return o;
}

/**
 * GLIDE Node's default request timeout, in ms.
 *
 * @example
 * ```ts
 * import { DEFAULT_REQUEST_TIMEOUT_IN_MILLISECONDS } from "@glide-deno/glide/node";
 * console.log(DEFAULT_REQUEST_TIMEOUT_IN_MILLISECONDS); // 250
 * ```
 */
export const DEFAULT_REQUEST_TIMEOUT_IN_MILLISECONDS = 250;

/**
 * GLIDE Node's default connection timeout, in ms.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONNECTION_TIMEOUT_IN_MILLISECONDS } from "@glide-deno/glide/node";
 * console.log(DEFAULT_CONNECTION_TIMEOUT_IN_MILLISECONDS); // 2000
 * ```
 */
export const DEFAULT_CONNECTION_TIMEOUT_IN_MILLISECONDS = 2000;

/**
 * GLIDE Node's default limit of requests in flight per client.
 *
 * @example
 * ```ts
 * import { DEFAULT_INFLIGHT_REQUESTS_LIMIT } from "@glide-deno/glide/node";
 * console.log(DEFAULT_INFLIGHT_REQUESTS_LIMIT); // 1000
 * ```
 */
export const DEFAULT_INFLIGHT_REQUESTS_LIMIT = 1000;

/**
 * GLIDE Node's threshold (arguments) above which its requests cross its FFI by pointer; kept
 * for code that reads it (glide-deno has no such limit).
 *
 * @example
 * ```ts
 * import { MAX_REQUEST_ARGS_LEN } from "@glide-deno/glide/node";
 * console.log(MAX_REQUEST_ARGS_LEN); // 4096
 * ```
 */
export const MAX_REQUEST_ARGS_LEN = 4096;

/**
 * GLIDE Node's shared `TimeoutError` instance ("Operation timed out").
 *
 * @example
 * ```ts
 * import { TIMEOUT_ERROR, TimeoutError } from "@glide-deno/glide/node";
 * console.log(TIMEOUT_ERROR instanceof TimeoutError); // true
 * ```
 */
export const TIMEOUT_ERROR: TimeoutError = new TimeoutError("Operation timed out");

/**
 * `{ key, value }` pairs from a record, or the pairs as they are (GLIDE's `convertGlideRecord`).
 *
 * @param keysAndValues - A record or a `GlideRecord`.
 * @returns The pairs.
 * @example
 * ```ts
 * import { convertGlideRecord } from "@glide-deno/glide/node";
 * console.log(convertGlideRecord({ a: "1" })); // [{ key: "a", value: "1" }]
 * ```
 */
export function convertGlideRecord(
  keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>,
): GlideRecord<GlideString> {
  if (Array.isArray(keysAndValues)) return keysAndValues;
  return Object.entries(keysAndValues).map(([key, value]) => ({ key, value }));
}

/**
 * Whether `obj` is a non-empty `GlideRecord` (an array of `{ key, value }`), as GLIDE checks.
 *
 * @param obj - Anything.
 * @returns Whether it is one.
 * @example
 * ```ts
 * import { isGlideRecord } from "@glide-deno/glide/node";
 * console.log(isGlideRecord([{ key: "a", value: 1 }])); // true
 * ```
 */
export function isGlideRecord(obj: unknown): boolean {
  return Array.isArray(obj) && obj.length > 0 && typeof obj[0] === "object" && obj[0] !== null &&
    "key" in obj[0] && "value" in obj[0];
}

/**
 * A `GlideRecord` as a plain record, recursively (GLIDE's `convertGlideRecordToRecord`; for
 * records whose keys are strings).
 *
 * @param data - The pairs.
 * @returns The record.
 * @example
 * ```ts
 * import { convertGlideRecordToRecord } from "@glide-deno/glide/node";
 * console.log(convertGlideRecordToRecord([{ key: "a", value: "1" }])); // { a: "1" }
 * ```
 */
export function convertGlideRecordToRecord<T>(data: GlideRecord<T>): Record<string, T> {
  const out: Record<string, unknown> = {};
  for (const pair of data) {
    let value: unknown = pair.value;
    if (isGlideRecord(value)) {
      value = convertGlideRecordToRecord(value as GlideRecord<unknown>);
    } else if (Array.isArray(value) && value.length > 0 && isGlideRecord(value[0])) {
      value = value.map((v) => convertGlideRecordToRecord(v as GlideRecord<unknown>));
    }
    out[String(pair.key)] = value;
  }
  return out as Record<string, T>;
}

/**
 * A record as `{ key, value }` pairs (GLIDE's `convertRecordToGlideRecord`).
 *
 * @param data - The record.
 * @returns The pairs.
 * @example
 * ```ts
 * import { convertRecordToGlideRecord } from "@glide-deno/glide/node";
 * console.log(convertRecordToGlideRecord({ a: 1 })); // [{ key: "a", value: 1 }]
 * ```
 */
export function convertRecordToGlideRecord<T>(data: Record<string, T>): GlideRecord<T> {
  return Object.entries(data).map(([key, value]) => ({ key, value }));
}

/**
 * A record or `GlideRecord` as a `GlideRecord` (GLIDE's `convertKeysAndEntries`).
 *
 * @param record - Either form.
 * @returns The pairs.
 * @example
 * ```ts
 * import { convertKeysAndEntries } from "@glide-deno/glide/node";
 * console.log(convertKeysAndEntries({ a: "1" })); // [{ key: "a", value: "1" }]
 * ```
 */
export function convertKeysAndEntries<T>(
  record: Record<string, T> | GlideRecord<T>,
): GlideRecord<T> {
  return Array.isArray(record) ? record : convertRecordToGlideRecord(record);
}

/**
 * `{ element, score }` pairs from a record of scores, or the pairs as they are (GLIDE's
 * `convertElementsAndScores`).
 *
 * @param membersAndScores - A record of member to score, or the pairs.
 * @returns The pairs.
 * @example
 * ```ts
 * import { convertElementsAndScores } from "@glide-deno/glide/node";
 * console.log(convertElementsAndScores({ a: 1 })); // [{ element: "a", score: 1 }]
 * ```
 */
export function convertElementsAndScores(
  membersAndScores: Record<string, number> | { element: GlideString; score: number }[],
): { element: GlideString; score: number }[] {
  if (Array.isArray(membersAndScores)) return membersAndScores;
  return Object.entries(membersAndScores).map(([element, score]) => ({ element, score }));
}

/**
 * `{ field, value }` pairs from a record, or the pairs as they are (GLIDE's
 * `convertFieldsAndValuesToHashDataType`).
 *
 * @param fieldsAndValues - A record of field to value, or the pairs.
 * @returns The pairs.
 * @example
 * ```ts
 * import { convertFieldsAndValuesToHashDataType } from "@glide-deno/glide/node";
 * console.log(convertFieldsAndValuesToHashDataType({ f: "v" })); // [{ field: "f", value: "v" }]
 * ```
 */
export function convertFieldsAndValuesToHashDataType(
  fieldsAndValues: Record<string, GlideString> | { field: GlideString; value: GlideString }[],
): { field: GlideString; value: GlideString }[] {
  if (Array.isArray(fieldsAndValues)) return fieldsAndValues;
  return Object.entries(fieldsAndValues).map(([field, value]) => ({ field, value }));
}

/**
 * INFO text as a record of `field: value` (GLIDE's `parseInfoResponse`; section headers and
 * the value's own colons are dropped as GLIDE drops them).
 *
 * @param response - The text INFO returned.
 * @returns Field to value.
 * @example
 * ```ts
 * import { parseInfoResponse } from "@glide-deno/glide/node";
 * console.log(parseInfoResponse("# Server\r\nredis_version:7.0.15\r\n").redis_version); // "7.0.15"
 * ```
 */
export function parseInfoResponse(response: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of response.split("\n")) {
    if (line.startsWith("#")) continue;
    const [key, value] = line.trim().split(":");
    out[key] = value;
  }
  return out;
}

/**
 * GLIDE Node's `Level` (its native binding's log levels), for ported code that passes them to
 * {@link log}.
 *
 * @example
 * ```ts
 * import { Level, log } from "@glide-deno/glide/node";
 * log(Level.Warn, "my-app", "disk almost full");
 * ```
 */
export enum Level {
  /** Errors only. */
  Error = 0,
  /** Warnings and errors. */
  Warn = 1,
  /** Informational lines too. */
  Info = 2,
  /** Debug lines too. */
  Debug = 3,
  /** Everything. */
  Trace = 4,
  /** Nothing. */
  Off = 5,
}

const LEVEL_NAMES: LevelOptions[] = ["error", "warn", "info", "debug", "trace", "off"];

/**
 * GLIDE Node's `log`: one line through the process's logger at `logLevel` (as `Logger.log`).
 *
 * @param logLevel - The line's level.
 * @param logIdentifier - What the line is about.
 * @param message - The line.
 * @example
 * ```ts
 * import { Level, log } from "@glide-deno/glide/node";
 * log(Level.Info, "my-app", "started");
 * ```
 */
export function log(logLevel: Level, logIdentifier: string, message: string): void {
  const level = LEVEL_NAMES[logLevel];
  if (level === undefined || level === "off") return;
  Logger.log(level, logIdentifier, message);
}
