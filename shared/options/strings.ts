/**
 * Public option and reply types of the string commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * Expiry units for SET.
 *
 * @example
 * ```ts
 * import { TimeUnit } from "@glide-deno/glide";
 * // await client.set("k", "v", { expiry: { type: TimeUnit.Seconds, count: 10 } });
 * const u = TimeUnit.Milliseconds;
 * ```
 */
export enum TimeUnit {
  /** EX: seconds from now. */
  Seconds = "EX",
  /** PX: milliseconds from now. */
  Milliseconds = "PX",
  /** EXAT: a Unix time in seconds. */
  UnixSeconds = "EXAT",
  /** PXAT: a Unix time in milliseconds. */
  UnixMilliseconds = "PXAT",
}

/**
 * Options of `set`: a condition, an expiry, and whether to return the old value.
 *
 * @example
 * ```ts
 * import { type SetOptions, TimeUnit } from "@glide-deno/glide";
 * const o: SetOptions = {
 *   conditionalSet: "onlyIfDoesNotExist",
 *   expiry: { type: TimeUnit.Seconds, count: 60 },
 * };
 * ```
 */
export type SetOptions =
  & (
    | {
      /** NX / XX: set only if the key does not exist / exists. */
      conditionalSet?: "onlyIfExists" | "onlyIfDoesNotExist";
    }
    | {
      /** IFEQ (Valkey 8.1+): set only if the current value equals `comparisonValue`. */
      conditionalSet: "onlyIfEqual";
      /** The value the key must hold. */
      comparisonValue: GlideString;
    }
  )
  & {
    /** GET: return the old value (or null) instead of "OK". */
    returnOldValue?: boolean;
    /** KEEPTTL, or an expiry in the given unit. */
    expiry?: "keepExisting" | { type: TimeUnit; count: number };
  };
