/**
 * Public option and reply types of the set commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * Options of `sscan` (and the base of the other SCAN-like commands' options): a MATCH pattern
 * and a COUNT hint.
 *
 * @example
 * ```ts
 * import type { BaseScanOptions } from "@glide-deno/glide";
 * const o: BaseScanOptions = { match: "user:*", count: 100 };
 * ```
 */
export interface BaseScanOptions {
  /** MATCH pattern: only return members matching this glob-style pattern. */
  match?: GlideString;
  /** COUNT n: how much work to do per call (a hint; the server's default is 10). */
  readonly count?: number;
}
