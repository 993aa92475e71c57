/**
 * Public option and reply types of the hashes commands.
 * @module
 */

import type { GlideString } from "../values.ts";
import type { TimeUnit } from "./strings.ts";

/**
 * The fields and values of a hash, as a list of entries (fields may be binary, so no JS object
 * is used). `hgetall` returns it; `hset` and `hsetex` accept it.
 *
 * @example
 * ```ts
 * import type { HashDataType } from "@glide-deno/glide";
 * const h: HashDataType = [{ field: "name", value: "ada" }, { field: "lang", value: "en" }];
 * // await client.hset("user:1", h);
 * ```
 */
export type HashDataType = {
  /** The field name. */
  field: GlideString;
  /** The field's value. */
  value: GlideString;
}[];

/**
 * Conditions of `hsetex` on the fields being set (FNX / FXX).
 *
 * @example
 * ```ts
 * import { HashFieldConditionalChange } from "@glide-deno/glide";
 * // await client.hsetex("h", { f: "v" }, { fieldConditionalChange: HashFieldConditionalChange.ONLY_IF_NONE_EXIST });
 * const c = HashFieldConditionalChange.ONLY_IF_ALL_EXIST;
 * ```
 */
export enum HashFieldConditionalChange {
  /** FXX: set the fields only if every one of them already exists. */
  ONLY_IF_ALL_EXIST = "FXX",
  /** FNX: set the fields only if none of them exists yet. */
  ONLY_IF_NONE_EXIST = "FNX",
}

/**
 * Conditions of `hexpire`, `hpexpire`, `hexpireat` and `hpexpireat` (NX / XX / GT / LT),
 * checked per field.
 *
 * @example
 * ```ts
 * import { HashExpirationCondition } from "@glide-deno/glide";
 * // await client.hexpire("h", 60, ["f"], { condition: HashExpirationCondition.ONLY_IF_NO_EXPIRY });
 * const c = HashExpirationCondition.ONLY_IF_GREATER_THAN_CURRENT;
 * ```
 */
export enum HashExpirationCondition {
  /** NX: only when the field has no expiry. */
  ONLY_IF_NO_EXPIRY = "NX",
  /** XX: only when the field already has an expiry. */
  ONLY_IF_HAS_EXPIRY = "XX",
  /** GT: only when the new expiry is later than the current one. */
  ONLY_IF_GREATER_THAN_CURRENT = "GT",
  /** LT: only when the new expiry is earlier than the current one. */
  ONLY_IF_LESS_THAN_CURRENT = "LT",
}

/**
 * Options of the hash-field expiry setters (`hexpire`, `hpexpire`, `hexpireat`,
 * `hpexpireat`).
 *
 * @example
 * ```ts
 * import { type HExpireOptions, HashExpirationCondition } from "@glide-deno/glide";
 * const o: HExpireOptions = { condition: HashExpirationCondition.ONLY_IF_HAS_EXPIRY };
 * ```
 */
export interface HExpireOptions {
  /** When to set the expiry; always when absent. */
  condition?: HashExpirationCondition;
}

/**
 * The expiry `hsetex` gives the fields it sets: a time in a {@link TimeUnit}, or KEEPTTL to
 * keep each field's current expiry.
 *
 * @example
 * ```ts
 * import { type HSetExExpiry, TimeUnit } from "@glide-deno/glide";
 * const inAMinute: HSetExExpiry = { type: TimeUnit.Seconds, count: 60 };
 * const keep: HSetExExpiry = "KEEPTTL";
 * ```
 */
export type HSetExExpiry = {
  /** EX / PX / EXAT / PXAT. */
  type: TimeUnit;
  /** The time, a safe integer in that unit. */
  count: number;
} | "KEEPTTL";

/**
 * The expiry `hgetex` gives the fields it reads: a time in a {@link TimeUnit}, or PERSIST to
 * remove their expiry.
 *
 * @example
 * ```ts
 * import { type HGetExExpiry, TimeUnit } from "@glide-deno/glide";
 * const in5s: HGetExExpiry = { type: TimeUnit.Milliseconds, count: 5000 };
 * const persist: HGetExExpiry = "PERSIST";
 * ```
 */
export type HGetExExpiry = {
  /** EX / PX / EXAT / PXAT. */
  type: TimeUnit;
  /** The time, a safe integer in that unit. */
  count: number;
} | "PERSIST";

/**
 * Options of `hsetex`: a condition on the fields and their expiry.
 *
 * @example
 * ```ts
 * import { HashFieldConditionalChange, type HSetExOptions, TimeUnit } from "@glide-deno/glide";
 * const o: HSetExOptions = {
 *   fieldConditionalChange: HashFieldConditionalChange.ONLY_IF_NONE_EXIST,
 *   expiry: { type: TimeUnit.Seconds, count: 60 },
 * };
 * ```
 */
export interface HSetExOptions {
  /** FNX / FXX; the fields are set unconditionally when absent. */
  fieldConditionalChange?: HashFieldConditionalChange;
  /** The fields' expiry; when absent the fields are set without one. */
  expiry?: HSetExExpiry;
}

/**
 * Options of `hgetex`: an expiry to give the fields read.
 *
 * @example
 * ```ts
 * import type { HGetExOptions } from "@glide-deno/glide";
 * const o: HGetExOptions = { expiry: "PERSIST" };
 * ```
 */
export interface HGetExOptions {
  /** The new expiry, or PERSIST; the fields' expiry is unchanged when absent. */
  expiry?: HGetExExpiry;
}

/**
 * Options of `hscan`: a MATCH pattern, a COUNT hint, and NOVALUES (Valkey 8.0+, Redis 7.4+) to
 * return field names only.
 *
 * @example
 * ```ts
 * import type { HScanOptions } from "@glide-deno/glide";
 * const o: HScanOptions = { match: "user:*", count: 100 };
 * ```
 */
export interface HScanOptions {
  /** Only return fields matching this glob-style pattern. */
  match?: GlideString;
  /** How much work to do per call (a hint; the server's default is 10). */
  readonly count?: number;
  /** Return field names only, without their values. */
  readonly noValues?: boolean;
}
