/**
 * Key commands with a standalone-only shape (RANDOMKEY, SCAN with a server cursor, MIGRATE of
 * several keys).
 * @module
 */

import * as generic from "../commands/generic.ts";
import type { MigrateOptions, ScanOptions } from "../options/generic.ts";
import type { Mode, Reply } from "../mode.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { BaseCommands } from "../base_commands.ts";

/**
 * The standalone-only key commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneKeyCommands } from "@glide-deno/glide";
 * type Methods = StandaloneKeyCommands<"async">;
 * ```
 */
export abstract class StandaloneKeyCommands<M extends Mode> extends BaseCommands<M> {
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

  /**
   * Moves one key, or several at once, to another server (MIGRATE): they are restored there
   * and, unless `copy`, deleted here.
   *
   * @param host - The destination's host.
   * @param port - The destination's port.
   * @param key - The key, or a non-empty list of keys (sent with KEYS).
   * @param destinationDB - The database on the destination.
   * @param timeout - The longest idle time of the transfer, in ms.
   * @param options - {@link MigrateOptions}: `copy`, `replace`, `password`, `username`.
   * @returns "OK", or "NOKEY" when none of the keys exists.
   * @example
   * ```ts
   * console.log(await client.migrate("127.0.0.1", 6380, ["a", "b"], 0, 5000, { copy: true }));
   * // "OK"
   * ```
   */
  override migrate(
    host: string,
    port: number,
    key: GlideString | GlideString[],
    destinationDB: number,
    timeout: number,
    options?: MigrateOptions,
  ): Reply<M, string> {
    return this.run(() => generic.migrate(host, port, key, destinationDB, timeout, options));
  }
}
