/**
 * Commands whose shape is specific to the standalone client (no routes), written once for the
 * async and sync `GlideClient`.
 * @module
 */

import { StandaloneAdminCommands } from "./api/standalone_admin.ts";
import { command } from "./command.ts";
import * as connection from "./commands/connection.ts";
import type { FlushMode, InfoOptions } from "./options/server.ts";
import * as server from "./commands/server.ts";
import type { Mode, Reply } from "./mode.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * Every command of the standalone client, for the async (`"async"`) and sync (`"sync"`) modes.
 *
 * @example
 * ```ts
 * import type { StandaloneCommands } from "@glide-deno/glide";
 * function size(c: StandaloneCommands<"sync">): number {
 *   return c.dbsize();
 * }
 * ```
 */
export abstract class StandaloneCommands<M extends Mode> extends StandaloneAdminCommands<M> {
  /**
   * Sends any command as is and returns its reply, decoded but not reshaped.
   *
   * @param args - The command name and its arguments.
   * @param options - `decoder` for string replies.
   * @returns The reply: maps as {@link GlideRecord}s, sets as `Set`s, errors inside arrays as
   *   `RequestError` values.
   * @example
   * ```ts
   * console.log(await client.customCommand(["CLIENT", "GETNAME"]));
   * ```
   */
  customCommand(args: GlideString[], options?: DecoderOption): Reply<M, GlideReturnType> {
    return this.run(() => command<GlideReturnType>(args), options);
  }

  /**
   * Pings the server (PING).
   *
   * @param options - `message` to echo back instead of "PONG", and `decoder`.
   * @returns "PONG", or the message.
   * @example
   * ```ts
   * console.log(await client.ping()); // "PONG"
   * console.log(await client.ping({ message: "hi" })); // "hi"
   * ```
   */
  ping(options?: { message?: GlideString } & DecoderOption): Reply<M, GlideString> {
    return this.run(() => connection.ping(options?.message), options);
  }

  /**
   * Echoes `message` back (ECHO).
   *
   * @param message - The message.
   * @param options - `decoder` for the reply.
   * @returns The message.
   * @example
   * ```ts
   * console.log(await client.echo("hello")); // "hello"
   * ```
   */
  echo(message: GlideString, options?: DecoderOption): Reply<M, GlideString> {
    return this.run(() => connection.echo(message), options);
  }

  /**
   * Changes the logical database of this client (SELECT). Reconnections keep the database
   * given in the configuration (`databaseId`), as GLIDE does.
   *
   * @param index - The database index.
   * @returns "OK".
   * @example
   * ```ts
   * await client.select(1);
   * ```
   */
  select(index: number): Reply<M, "OK"> {
    return this.run(() => connection.select(index));
  }

  /**
   * Server information and statistics (INFO).
   *
   * @param sections - Sections to return (default: the server's default set).
   * @returns The INFO text.
   * @example
   * ```ts
   * const text = await client.info([InfoOptions.Server]);
   * console.log(text.includes("redis_version") || text.includes("valkey_version"));
   * ```
   */
  info(sections?: InfoOptions[]): Reply<M, string> {
    return this.run(() => server.info(sections));
  }

  /**
   * The number of keys in the current database (DBSIZE).
   *
   * @returns The key count.
   * @example
   * ```ts
   * console.log(await client.dbsize()); // 0
   * ```
   */
  dbsize(): Reply<M, number> {
    return this.run(() => server.dbsize());
  }

  /**
   * Deletes every key of every database (FLUSHALL).
   *
   * @param mode - SYNC or ASYNC (default: the server's `lazyfree-lazy-user-flush`).
   * @returns "OK".
   * @example
   * ```ts
   * await client.flushall(FlushMode.SYNC);
   * ```
   */
  flushall(mode?: FlushMode): Reply<M, "OK"> {
    return this.run(() => server.flushall(mode));
  }
}
