/**
 * Commands whose shape is specific to the cluster client (a `route` option, per-node replies),
 * written once for the async and sync `GlideClusterClient`.
 * @module
 */

import { BaseCommands } from "./base_commands.ts";
import { compose } from "./api/compose.ts";
import { ClusterKeyCommands } from "./api/cluster_keys.ts";
import { ClusterScriptingCommands } from "./api/cluster_scripting.ts";
import { ClusterAdminCommands } from "./api/cluster_admin.ts";
import { type Command, custom } from "./command.ts";
import { RequestError } from "./errors.ts";
import * as connection from "./commands/connection.ts";
import type {
  FlushMode,
  InfoOptions,
  LatencyEntry,
  LatencyEventInfo,
  LolwutOptions,
  MemoryStats,
} from "./options/server.ts";
import type { ClientPauseMode, ClientTrackingInfo } from "./options/connection.ts";
import * as server from "./commands/server.ts";
import type { Mode, Reply, Steps } from "./mode.ts";
import { type ClusterResponse, routed, type RouteOption, type Routes } from "./routes.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * Runs a command whose reply is "OK" and, sent to several nodes, folds the per-node replies
 * into one "OK" (the core has no reply policy for it).
 */
function* allOk(build: () => Command<"OK">): Steps<"OK"> {
  const r = yield build();
  if (r !== null && typeof r === "object" && !Array.isArray(r) && !(r instanceof Uint8Array)) {
    for (const [node, v] of Object.entries(r)) {
      if (v instanceof Error) throw v;
      if (v !== "OK") throw new RequestError(`${node} answered ${String(v)} instead of OK`);
    }
  }
  return "OK";
}

/** GLIDE's default route for commands the core would otherwise send to one node. */
const PRIMARIES: Routes = "allPrimaries";

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
export abstract class ClusterCommands<M extends Mode> extends BaseCommands<M> {
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
    return this.run(() => routed(custom(args), options?.route), options);
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

  /**
   * Deletes every key of the current database (FLUSHDB) on every primary unless routed.
   *
   * @param options - `mode` (SYNC / ASYNC) and `route`.
   * @returns "OK" once every node has answered OK.
   * @example
   * ```ts
   * await client.flushdb({ mode: FlushMode.SYNC });
   * ```
   */
  flushdb(options?: { mode?: FlushMode } & RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.flushdb(options?.mode), options?.route));
  }

  /**
   * Changes the logical database (SELECT) on every node's connection unless routed. Cluster
   * servers before Valkey 9 accept only database 0.
   *
   * @param index - The database index.
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.select(0);
   * ```
   */
  select(index: number, options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(connection.select(index), options?.route ?? "allNodes"));
  }

  /**
   * Reads configuration parameters (CONFIG GET), by default from a random node.
   *
   * @param parameters - The parameter names (or glob patterns).
   * @param options - `route` and `decoder` for the values.
   * @returns A record of name to value, or one such record per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.configGet(["timeout"])); // { timeout: "0" }
   * ```
   */
  configGet(
    parameters: string[],
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<Record<string, GlideString>>> {
    return this.run(() => routed(server.configGet(parameters), options?.route), options);
  }

  /**
   * Sets configuration parameters (CONFIG SET) on every node unless routed.
   *
   * @param parameters - A record of parameter name to value.
   * @param options - `route`.
   * @returns "OK" once every node has answered OK.
   * @example
   * ```ts
   * await client.configSet({ "slowlog-max-len": "256" });
   * ```
   */
  configSet(parameters: Record<string, GlideString>, options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.configSet(parameters), options?.route));
  }

  /**
   * Resets the INFO statistics (CONFIG RESETSTAT) on every node unless routed.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.configResetStat();
   * ```
   */
  configResetStat(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.configResetStat(), options?.route));
  }

  /**
   * Writes the running configuration to the config files (CONFIG REWRITE) on every node unless
   * routed; a `RequestError` when a node has no config file.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.configRewrite();
   * ```
   */
  configRewrite(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.configRewrite(), options?.route));
  }

  /**
   * The server clock (TIME), by default of a random node.
   *
   * @param options - `route`.
   * @returns `[seconds, microseconds]` as strings, or one pair per node for a multi-node route.
   * @example
   * ```ts
   * const perNode = await client.time({ route: "allNodes" });
   * ```
   */
  time(options?: RouteOption): Reply<M, ClusterResponse<[string, string]>> {
    return this.run(() => routed(server.time(), options?.route));
  }

  /**
   * When the last save to disk finished (LASTSAVE), by default on a random node.
   *
   * @param options - `route`.
   * @returns Unix time in seconds, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.lastsave({ route: "allPrimaries" }));
   * ```
   */
  lastsave(options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() => routed(server.lastsave(), options?.route));
  }

  /**
   * Computer art and the server's version (LOLWUT), by default from a random node.
   *
   * @param options - `version`, `parameters` and `route`.
   * @returns The art, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.lolwut({ version: 5, parameters: [30, 4, 4] }));
   * ```
   */
  lolwut(options?: LolwutOptions & RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.lolwut(options), options?.route));
  }

  /**
   * Saves the dataset to disk, blocking each server until done (SAVE), on every primary unless
   * routed.
   *
   * @param options - `route`.
   * @returns "OK" once every node has saved.
   * @example
   * ```ts
   * await client.save();
   * ```
   */
  save(options?: RouteOption): Reply<M, "OK"> {
    return this.runSteps(allOk(() => routed(server.save(), options?.route ?? PRIMARIES)));
  }

  /**
   * Saves the dataset in a background process (BGSAVE) on every primary unless routed.
   *
   * @param options - `route`.
   * @returns The status text, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.bgsave({ route: "randomNode" })); // "Background saving started"
   * ```
   */
  bgsave(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.bgsave(), options?.route ?? PRIMARIES));
  }

  /**
   * Starts or schedules a background save (BGSAVE SCHEDULE) on every primary unless routed.
   *
   * @param options - `route`.
   * @returns The status text, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.bgsaveSchedule());
   * ```
   */
  bgsaveSchedule(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.bgsaveSchedule(), options?.route ?? PRIMARIES));
  }

  /**
   * Cancels running or scheduled background saves (BGSAVE CANCEL, Valkey 8.1 and newer) on
   * every primary unless routed.
   *
   * @param options - `route`.
   * @returns The status text, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.bgsaveCancel());
   * ```
   */
  bgsaveCancel(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.bgsaveCancel(), options?.route ?? PRIMARIES));
  }

  /**
   * Rewrites the append-only file in the background (BGREWRITEAOF) on every primary unless
   * routed.
   *
   * @param options - `route`.
   * @returns The status text, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.bgrewriteaof());
   * ```
   */
  bgrewriteaof(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.bgrewriteaof(), options?.route ?? PRIMARIES));
  }

  /**
   * Memory advice (MEMORY DOCTOR), by default from every primary.
   *
   * @param options - `route`.
   * @returns The report, per node unless routed to one node.
   * @example
   * ```ts
   * console.log(await client.memoryDoctor({ route: "randomNode" }));
   * ```
   */
  memoryDoctor(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.memoryDoctor(), options?.route));
  }

  /**
   * The allocator's statistics (MEMORY MALLOC-STATS), by default from every primary.
   *
   * @param options - `route`.
   * @returns The report, per node unless routed to one node.
   * @example
   * ```ts
   * console.log(await client.memoryMallocStats({ route: "randomNode" }));
   * ```
   */
  memoryMallocStats(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(server.memoryMallocStats(), options?.route));
  }

  /**
   * Gives unused allocator memory back to the system (MEMORY PURGE) on every primary unless
   * routed.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.memoryPurge();
   * ```
   */
  memoryPurge(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(server.memoryPurge(), options?.route));
  }

  /**
   * Memory usage in detail (MEMORY STATS), by default from every primary.
   *
   * @param options - `route`.
   * @returns The statistics, per node unless routed to one node.
   * @example
   * ```ts
   * const stats = await client.memoryStats({ route: "randomNode" });
   * ```
   */
  memoryStats(options?: RouteOption): Reply<M, ClusterResponse<MemoryStats>> {
    return this.run(() => routed(server.memoryStats(), options?.route));
  }

  /**
   * The latency spikes of one event (LATENCY HISTORY), by default from every node.
   *
   * @param event - The event name, e.g. "command".
   * @param options - `route`.
   * @returns The spikes, per node unless routed to one node.
   * @example
   * ```ts
   * const perNode = await client.latencyHistory("command");
   * ```
   */
  latencyHistory(
    event: GlideString,
    options?: RouteOption,
  ): Reply<M, ClusterResponse<LatencyEntry[]>> {
    return this.run(() => routed(server.latencyHistory(event), options?.route));
  }

  /**
   * The latest spike of every latency event (LATENCY LATEST), by default from every node.
   *
   * @param options - `route`.
   * @returns The events, per node unless routed to one node.
   * @example
   * ```ts
   * const perNode = await client.latencyLatest();
   * ```
   */
  latencyLatest(options?: RouteOption): Reply<M, ClusterResponse<LatencyEventInfo[]>> {
    return this.run(() => routed(server.latencyLatest(), options?.route));
  }

  /**
   * Clears latency spike series (LATENCY RESET) on every node unless routed.
   *
   * @param events - The events to clear; all when absent.
   * @param options - `route`.
   * @returns The number of series cleared, summed over the nodes.
   * @example
   * ```ts
   * await client.latencyReset();
   * ```
   */
  latencyReset(events?: GlideString[], options?: RouteOption): Reply<M, number> {
    return this.run(() => routed(server.latencyReset(events), options?.route));
  }

  /**
   * Resets the state of one node connection (RESET): database 0, no name, RESP2.
   *
   * @returns "RESET".
   * @example
   * ```ts
   * console.log(await client.reset()); // "RESET"
   * ```
   */
  reset(): Reply<M, "RESET"> {
    return this.run(() => connection.reset());
  }

  /**
   * The id of this client's connection (CLIENT ID), by default to a random node.
   *
   * @param options - `route`.
   * @returns The id, or one per node for a multi-node route.
   * @example
   * ```ts
   * const ids = await client.clientId({ route: "allNodes" });
   * ```
   */
  clientId(options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() => routed(connection.clientId(), options?.route));
  }

  /**
   * The connection's name (CLIENT GETNAME), by default on a random node.
   *
   * @param options - `route` and `decoder`.
   * @returns The name or `null`, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.clientGetName()); // "my-app" or null
   * ```
   */
  clientGetName(
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<GlideString | null>> {
    return this.run(() => routed(connection.clientGetName(), options?.route), options);
  }

  /**
   * Suspends clients for `timeout` milliseconds (CLIENT PAUSE) on every primary unless routed.
   *
   * @param timeout - How long, in milliseconds.
   * @param mode - ALL commands (default) or only WRITE commands.
   * @param options - `route` and `decoder`.
   * @returns "OK" once every node has paused.
   * @example
   * ```ts
   * await client.clientPause(100, ClientPauseMode.WRITE);
   * ```
   */
  clientPause(
    timeout: number,
    mode?: ClientPauseMode,
    options?: RouteOption & DecoderOption,
  ): Reply<M, "OK"> {
    return this.runSteps(
      allOk(() => routed(connection.clientPause(timeout, mode), options?.route ?? PRIMARIES)),
      options,
    );
  }

  /**
   * Ends a CLIENT PAUSE early (CLIENT UNPAUSE) on every primary unless routed.
   *
   * @param options - `route` and `decoder`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.clientUnpause();
   * ```
   */
  clientUnpause(options?: RouteOption & DecoderOption): Reply<M, "OK"> {
    return this.runSteps(
      allOk(() => routed(connection.clientUnpause(), options?.route ?? PRIMARIES)),
      options,
    );
  }

  /**
   * The connection's client-side caching state (CLIENT TRACKINGINFO), by default on a random
   * node.
   *
   * @param options - `route`.
   * @returns The tracking info, or one per node for a multi-node route.
   * @example
   * ```ts
   * const info = await client.clientTrackingInfo({ route: "randomNode" });
   * ```
   */
  clientTrackingInfo(options?: RouteOption): Reply<M, ClusterResponse<ClientTrackingInfo>> {
    return this.run(() => routed(connection.clientTrackingInfo(), options?.route));
  }
}

/** The cluster families' methods, declared (their implementations are composed in below). */
export interface ClusterCommands<M extends Mode>
  extends ClusterKeyCommands<M>, ClusterScriptingCommands<M>, ClusterAdminCommands<M> {}

compose(ClusterCommands, [ClusterKeyCommands, ClusterScriptingCommands, ClusterAdminCommands]);
