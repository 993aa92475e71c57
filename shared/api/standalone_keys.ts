/**
 * Key commands with a standalone-only shape (RANDOMKEY, SCAN with a server cursor, MIGRATE of
 * several keys).
 * @module
 */

import * as generic from "../commands/generic.ts";
import type { ScanOptions } from "../options/generic.ts";
import type { Mode, Reply } from "../mode.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The standalone-only key commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneKeyCommands } from "@glide-deno/glide";
 * type Methods = StandaloneKeyCommands<"async">;
 * ```
 */
export abstract class StandaloneKeyCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * A random key of the selected database (RANDOMKEY).
   *
   * @param options - `decoder` for the key.
   * @returns A key, or `null` when the database is empty.
   * @example
   * ```ts
   * console.log(await client.randomKey()); // "user:42"
   * ```
   */
  randomKey(options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => generic.randomKey(), options);
  }

  /**
   * One page of an iteration over the keys of the selected database (SCAN). Start with cursor
   * "0" and pass back the returned cursor until it is "0" again; a key present for the whole
   * iteration is returned at least once.
   *
   * @param cursor - "0" to start, then the cursor the previous call returned (a number works
   *   too).
   * @param options - {@link ScanOptions} (`match`, `count`, `type`) and `decoder` for the
   *   cursor and keys.
   * @returns `[next cursor, keys of this page]`.
   * @example
   * ```ts
   * let cursor: GlideString = "0";
   * const found: GlideString[] = [];
   * do {
   *   const [next, page] = await client.scan(cursor, { match: "user:*", count: 100 });
   *   found.push(...page);
   *   cursor = next;
   * } while (cursor !== "0");
   * ```
   */
  scan(
    cursor: GlideString | number,
    options?: ScanOptions & DecoderOption,
  ): Reply<M, [GlideString, GlideString[]]> {
    return this.run(() => generic.scan(cursor, options), options);
  }
}
