/**
 * Public option and reply types of the generic key commands.
 * @module
 */

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
