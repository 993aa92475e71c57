/**
 * Commands whose shape is specific to the cluster client (a `route` option, per-node replies),
 * written once for the async and sync `GlideClusterClient`.
 * @module
 */

import { ClusterAdminCommands } from "./api/cluster_admin.ts";
import { command } from "./command.ts";
import * as connection from "./commands/connection.ts";
import type { FlushMode, InfoOptions } from "./options/server.ts";
import * as server from "./commands/server.ts";
import type { Mode, Reply } from "./mode.ts";
import { type ClusterResponse, routed, type RouteOption } from "./routes.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * Every command of the cluster client, for the async (`"async"`) and sync (`"sync"`) modes.
 *
 * @example
 * ```ts
 * import type { ClusterCommands } from "@glide-deno/glide";
 * async function keys(c: ClusterCommands<"async">): Promise<number> {
 *   return await c.dbsize();
 * }
 * ```
 */
export abstract class ClusterCommands<M extends Mode> extends ClusterAdminCommands<M> {
  /**
   * Sends any command as is. Without a route it goes where its keys live (a random node when it
   * has none); with a multi-node route the result is a record of node address to reply.
   *
   * @param args - The command name and its arguments.
   * @param options - `route` and `decoder`.
   * @returns The reply, or one reply per node.
   * @example
   * ```ts
   * const ids = await client.customCommand(["CLUSTER", "MYID"], { route: "allPrimaries" });
   * ```
   */
  customCommand(
    args: GlideString[],
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<GlideReturnType>> {
    return this.run(() => routed(command<GlideReturnType>(args), options?.route), options);
  }

  /**
   * Pings the cluster (PING), by default every primary; resolves when all answer.
   *
   * @param options - `message`, `route` and `decoder`.
   * @returns "PONG", or the message.
   * @example
   * ```ts
   * console.log(await client.ping({ route: "randomNode" })); // "PONG"
   * ```
   */
  ping(options?: { message?: GlideString } & RouteOption & DecoderOption): Reply<M, GlideString> {
    return this.run(() => routed(connection.ping(options?.message), options?.route), options);
  }

  /**
   * Echoes `message` (ECHO), by default from a random node.
   *
   * @param message - The message.
   * @param options - `route` and `decoder`.
   * @returns The message, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.echo("hi", { route: "allNodes" }));
   * ```
   */
  echo(
    message: GlideString,
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<GlideString>> {
    return this.run(() => routed(connection.echo(message), options?.route), options);
  }

  /**
   * Server information (INFO), by default from every primary, as a record per node.
   *
   * @param options - `sections` and `route`.
   * @returns The INFO text per node (or one text for a single-node route).
   * @example
   * ```ts
   * const perNode = await client.info({ sections: [InfoOptions.Server] });
   * ```
   */
  info(
    options?: { sections?: InfoOptions[] } & RouteOption,
  ): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.info(options?.sections), options?.route));
  }

  /**
   * The number of keys (DBSIZE), summed over every primary unless routed to one node.
   *
   * @param options - `route`.
   * @returns The key count.
   * @example
   * ```ts
   * console.log(await client.dbsize());
   * ```
   */
  dbsize(options?: RouteOption): Reply<M, number> {
    return this.run(() => routed(server.dbsize(), options?.route));
  }

  /**
   * Deletes every key (FLUSHALL) on every primary unless routed.
   *
   * @param options - `mode` (SYNC / ASYNC) and `route`.
   * @returns "OK" once every node has answered OK.
   * @example
   * ```ts
   * await client.flushall({ mode: FlushMode.SYNC });
   * ```
   */
  flushall(options?: { mode?: FlushMode } & RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.flushall(options?.mode), options?.route));
  }
}
