/**
 * Public option and reply types of the generic key commands.
 * @module
 */

import type { GlideString } from "../values.ts";
import type { ObjectType } from "../commands/cluster_scan.ts";

/**
 * Conditions for EXPIRE and its relatives.
 *
 * @example
 * ```ts
 * import { ExpireOptions } from "@glide-deno/glide";
 * // await client.expire("key", 10, { expireOption: ExpireOptions.HasNoExpiry });
 * const o = ExpireOptions.HasNoExpiry;
 * ```
 */
export enum ExpireOptions {
  /** NX: set only when the key has no expiry. */
  HasNoExpiry = "NX",
  /** XX: set only when the key already has an expiry. */
  HasExistingExpiry = "XX",
  /** GT: set only when the new expiry is later than the current one. */
  NewExpiryGreaterThanCurrent = "GT",
  /** LT: set only when the new expiry is earlier than the current one. */
  NewExpiryLessThanCurrent = "LT",
}

/**
 * Options of `restore`: replace an existing key, read `ttl` as an absolute Unix time, and set
 * the restored key's idle time or LFU frequency (not both).
 *
 * @example
 * ```ts
 * import type { RestoreOptions } from "@glide-deno/glide";
 * // await client.restore("k", 0, serialized, { replace: true, idletime: 10 });
 * const o: RestoreOptions = { replace: true, absttl: false, frequency: 5 };
 * ```
 */
export interface RestoreOptions {
  /** REPLACE: overwrite `key` if it exists. */
  replace?: boolean;
  /** ABSTTL: `ttl` is a Unix time in milliseconds rather than a duration. */
  absttl?: boolean;
  /** IDLETIME: the object's idle time, in seconds. */
  idletime?: number;
  /** FREQ: the object's LFU frequency counter (0..255). */
  frequency?: number;
}

/**
 * Ascending or descending order (SORT's ASC / DESC).
 *
 * @example
 * ```ts
 * import { SortOrder } from "@glide-deno/glide";
 * // await client.sort("list", { orderBy: SortOrder.DESC });
 * const o = SortOrder.DESC;
 * ```
 */
export enum SortOrder {
  /** Smallest first. */
  ASC = "ASC",
  /** Largest first. */
  DESC = "DESC",
}

/**
 * A window of results: skip `offset` elements, then return at most `count` (a negative count
 * returns everything after the offset).
 *
 * @example
 * ```ts
 * import type { Limit } from "@glide-deno/glide";
 * const firstTen: Limit = { offset: 0, count: 10 };
 * ```
 */
export interface Limit {
  /** Elements to skip, zero based. */
  offset: number;
  /** The most elements to return; negative for all of them. */
  count: number;
}

/**
 * Options of `sort`, `sortReadOnly` and `sortStore`. On a cluster, `byPattern` and
 * `getPatterns` must name keys in the sorted key's slot, and need Valkey 8.0 or later.
 *
 * @example
 * ```ts
 * import { type SortOptions, SortOrder } from "@glide-deno/glide";
 * const o: SortOptions = {
 *   byPattern: "weight_*",
 *   getPatterns: ["#", "name_*"],
 *   limit: { offset: 0, count: 5 },
 *   orderBy: SortOrder.DESC,
 * };
 * ```
 */
export interface SortOptions {
  /** BY: sort by the values of these external keys (`*` is replaced by each element). */
  byPattern?: GlideString;
  /** LIMIT offset count. */
  limit?: Limit;
  /** GET: return these external keys' values instead of the elements (`#` is the element). */
  getPatterns?: GlideString[];
  /** ASC (default) or DESC. */
  orderBy?: SortOrder;
  /** ALPHA: compare as strings rather than as numbers. */
  isAlpha?: boolean;
}

/**
 * Options of the standalone `scan`: a glob pattern, a page-size hint and a key type.
 *
 * @example
 * ```ts
 * import { ObjectType, type ScanOptions } from "@glide-deno/glide";
 * const o: ScanOptions = { match: "user:*", count: 100, type: ObjectType.HASH };
 * ```
 */
export interface ScanOptions {
  /** MATCH: only keys matching this glob pattern. */
  match?: GlideString;
  /** COUNT: a hint of how many keys to look at per call. */
  readonly count?: number;
  /** TYPE: only keys of this type. */
  type?: ObjectType;
}

/**
 * Options of `migrate`: keep the source key, overwrite the destination's, and credentials for
 * the destination (`username` needs `password`).
 *
 * @example
 * ```ts
 * import type { MigrateOptions } from "@glide-deno/glide";
 * // await client.migrate("10.0.0.2", 6379, "k", 0, 5000, { copy: true });
 * const o: MigrateOptions = { copy: true, replace: true, password: "secret" };
 * ```
 */
export interface MigrateOptions {
  /** COPY: do not delete the key from this server. */
  copy?: boolean;
  /** REPLACE: overwrite the key on the destination. */
  replace?: boolean;
  /** AUTH / AUTH2: the destination's password. */
  password?: string;
  /** AUTH2: the destination's user name (with `password`). */
  username?: string;
}
