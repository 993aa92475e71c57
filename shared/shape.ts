/**
 * Reply shapers shared by many commands: they turn what RESP2 and RESP3 send for the same
 * command into the one shape GLIDE's TypeScript client returns. Use these before writing a new
 * one in a family file.
 * @module
 */

import { RequestError } from "./errors.ts";
import type { GlideRecord, GlideReturnType, GlideString } from "./values.ts";

/** 1 / true → true; 0 / false / null → false. @internal */
export const toBoolean = (r: GlideReturnType): boolean => r === 1 || r === true;

/** An array of 0/1 (or booleans) → boolean[]. @internal */
export function toBooleans(r: GlideReturnType): boolean[] {
  return (r as GlideReturnType[]).map(toBoolean);
}

/**
 * A number sent as a RESP3 double or integer, or as a RESP2 bulk string ("3.5", "inf",
 * "-inf", "nan") → number. @internal
 */
export function toNumber(r: GlideReturnType): number {
  if (typeof r === "number") return r;
  if (typeof r === "bigint") return Number(r);
  const text = typeof r === "string" ? r : new TextDecoder().decode(r as Uint8Array);
  switch (text.toLowerCase()) {
    case "inf":
    case "+inf":
      return Infinity;
    case "-inf":
      return -Infinity;
    case "nan":
      return NaN;
  }
  const n = Number(text);
  if (Number.isNaN(n)) throw new RequestError(`expected a number in the reply, got ${text}`);
  return n;
}

/** Like {@link toNumber}, keeping `null` as `null`. @internal */
export function toNullableNumber(r: GlideReturnType): number | null {
  return r === null ? null : toNumber(r);
}

/** An array of numbers or nulls (e.g. ZMSCORE) → (number | null)[]. @internal */
export function toNullableNumbers(r: GlideReturnType): (number | null)[] {
  return (r as GlideReturnType[]).map(toNullableNumber);
}

/**
 * A map reply: a RESP3 map (decoded as `{key, value}[]`) or a RESP2 flat array
 * `[k1, v1, k2, v2, ...]` → `{key, value}[]`; `null` → `[]`. `value` shapes each value.
 * @internal
 */
export function toRecord<T = GlideReturnType>(
  r: GlideReturnType,
  value: (v: GlideReturnType) => T = (v) => v as T,
): GlideRecord<T> {
  if (r === null) return [];
  const list = r as GlideReturnType[];
  const out: GlideRecord<T> = [];
  if (list.length > 0 && isEntry(list[0])) {
    for (const e of list as unknown as { key: GlideString; value: GlideReturnType }[]) {
      out.push({ key: e.key, value: value(e.value) });
    }
    return out;
  }
  for (let i = 0; i + 1 < list.length; i += 2) {
    out.push({ key: list[i] as GlideString, value: value(list[i + 1]) });
  }
  return out;
}

/**
 * A map reply as a plain object keyed by (string) field names, for replies whose keys are
 * fixed names (XINFO, FUNCTION STATS, MEMORY STATS ...). `value` shapes each value. @internal
 */
export function toObject<T = GlideReturnType>(
  r: GlideReturnType,
  value: (v: GlideReturnType, key: string) => T = (v) => v as T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const { key, value: v } of toRecord(r)) {
    const name = typeof key === "string" ? key : new TextDecoder().decode(key);
    out[name] = value(v, name);
  }
  return out;
}

/** A RESP3 set or a RESP2 array → Set. @internal */
export function toSet<T = GlideString>(r: GlideReturnType): Set<T> {
  if (r instanceof Set) return r as Set<T>;
  return new Set((r ?? []) as T[]);
}

/** A RESP3 set or array, or a RESP2 array → array. @internal */
export function toArray<T = GlideReturnType>(r: GlideReturnType): T[] {
  if (r === null) return [];
  if (r instanceof Set) return [...r] as T[];
  return r as T[];
}

/** Whether a decoded value is a RESP3 map entry. @internal */
export function isEntry(v: unknown): v is { key: GlideReturnType; value: GlideReturnType } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) &&
    !(v instanceof Set) && "key" in v && "value" in v;
}
