/**
 * Commands whose shape is specific to the standalone client (no routes), written once for the
 * async and sync `GlideClient`.
 * @module
 */

import { BaseCommands } from "./base_commands.ts";
import { compose } from "./api/compose.ts";
import { StandaloneKeyCommands } from "./api/standalone_keys.ts";
import { StandaloneScriptingCommands } from "./api/standalone_scripting.ts";
import { StandaloneAdminCommands } from "./api/standalone_admin.ts";
import { custom } from "./command.ts";
import * as connection from "./commands/connection.ts";
import * as generic from "./commands/generic.ts";
import type { MigrateOptions } from "./options/generic.ts";
import type {
  FailoverOptions,
  FlushMode,
  InfoOptions,
  LatencyEntry,
  LatencyEventInfo,
  LolwutOptions,
  MemoryStats,
} from "./options/server.ts";
import type { ClientPauseMode, ClientTrackingInfo } from "./options/connection.ts";
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
export abstract class StandaloneCommands<M extends Mode> extends BaseCommands<M> {
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
    return this.run(() => custom(args), options);
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

  /**
   * Deletes every key of the current database (FLUSHDB).
   *
   * @param mode - SYNC or ASYNC (default: the server's `lazyfree-lazy-user-flush`).
   * @returns "OK".
   * @example
   * ```ts
   * await client.flushdb(FlushMode.SYNC);
   * ```
   */
  flushdb(mode?: FlushMode): Reply<M, "OK"> {
    return this.run(() => server.flushdb(mode));
  }

  /**
   * Reads configuration parameters (CONFIG GET). Names may be glob patterns.
   *
   * @param parameters - The parameter names (or patterns).
   * @param options - `decoder` for the values.
   * @returns A record of parameter name to value; unknown names are left out.
   * @example
   * ```ts
   * console.log(await client.configGet(["maxmemory-policy"])); // { "maxmemory-policy": "noeviction" }
   * ```
   */
  configGet(
    parameters: string[],
    options?: DecoderOption,
  ): Reply<M, Record<string, GlideString>> {
    return this.run(() => server.configGet(parameters), options);
  }

  /**
   * Sets configuration parameters (CONFIG SET); all of them or none.
   *
   * @param parameters - A record of parameter name to value.
   * @returns "OK".
   * @example
   * ```ts
   * await client.configSet({ "slowlog-max-len": "256" });
   * ```
   */
  configSet(parameters: Record<string, GlideString>): Reply<M, "OK"> {
    return this.run(() => server.configSet(parameters));
  }

  /**
   * Resets the statistics INFO reports (CONFIG RESETSTAT).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.configResetStat();
   * ```
   */
  configResetStat(): Reply<M, "OK"> {
    return this.run(() => server.configResetStat());
  }

  /**
   * Writes the running configuration back to the server's config file (CONFIG REWRITE). Fails
   * with a `RequestError` when the server was started without one.
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.configRewrite();
   * ```
   */
  configRewrite(): Reply<M, "OK"> {
    return this.run(() => server.configRewrite());
  }

  /**
   * The server's clock (TIME).
   *
   * @returns `[seconds, microseconds]`: Unix time in seconds and the microseconds into that
   *   second, as strings.
   * @example
   * ```ts
   * const [seconds, micros] = await client.time();
   * ```
   */
  time(): Reply<M, [string, string]> {
    return this.run(() => server.time());
  }

  /**
   * When the last successful save to disk finished (LASTSAVE).
   *
   * @returns Unix time in seconds (the start time when nothing was saved yet).
   * @example
   * ```ts
   * console.log(await client.lastsave()); // 1710925775
   * ```
   */
  lastsave(): Reply<M, number> {
    return this.run(() => server.lastsave());
  }

  /**
   * Computer art and the server's version (LOLWUT).
   *
   * @param options - `version` of the art and its `parameters`.
   * @returns The art, ending with the server's version.
   * @example
   * ```ts
   * console.log(await client.lolwut({ version: 6, parameters: [40, 20] }));
   * ```
   */
  lolwut(options?: LolwutOptions): Reply<M, string> {
    return this.run(() => server.lolwut(options));
  }

  /**
   * Saves the dataset to disk and blocks the server until done (SAVE).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.save();
   * ```
   */
  save(): Reply<M, "OK"> {
    return this.run(() => server.save());
  }

  /**
   * Saves the dataset to disk in a background process (BGSAVE).
   *
   * @returns The server's status text, e.g. "Background saving started".
   * @example
   * ```ts
   * console.log(await client.bgsave()); // "Background saving started"
   * ```
   */
  bgsave(): Reply<M, string> {
    return this.run(() => server.bgsave());
  }

  /**
   * Starts a background save, or schedules one when an AOF rewrite is running (BGSAVE SCHEDULE).
   *
   * @returns The server's status text, e.g. "Background saving scheduled".
   * @example
   * ```ts
   * console.log(await client.bgsaveSchedule());
   * ```
   */
  bgsaveSchedule(): Reply<M, string> {
    return this.run(() => server.bgsaveSchedule());
  }

  /**
   * Cancels a running or scheduled background save (BGSAVE CANCEL, Valkey 8.1 and newer).
   *
   * @returns The server's status text, e.g. "Background saving cancelled".
   * @example
   * ```ts
   * console.log(await client.bgsaveCancel());
   * ```
   */
  bgsaveCancel(): Reply<M, string> {
    return this.run(() => server.bgsaveCancel());
  }

  /**
   * Rewrites the append-only file in the background (BGREWRITEAOF).
   *
   * @returns The server's status text, e.g. "Background append only file rewriting started".
   * @example
   * ```ts
   * console.log(await client.bgrewriteaof());
   * ```
   */
  bgrewriteaof(): Reply<M, string> {
    return this.run(() => server.bgrewriteaof());
  }

  /**
   * The server's advice about its memory use (MEMORY DOCTOR).
   *
   * @returns The report text.
   * @example
   * ```ts
   * console.log(await client.memoryDoctor());
   * ```
   */
  memoryDoctor(): Reply<M, string> {
    return this.run(() => server.memoryDoctor());
  }

  /**
   * The memory allocator's internal statistics (MEMORY MALLOC-STATS).
   *
   * @returns The allocator's report text.
   * @example
   * ```ts
   * console.log(await client.memoryMallocStats());
   * ```
   */
  memoryMallocStats(): Reply<M, string> {
    return this.run(() => server.memoryMallocStats());
  }

  /**
   * Asks the allocator to give unused memory back to the system (MEMORY PURGE).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.memoryPurge();
   * ```
   */
  memoryPurge(): Reply<M, "OK"> {
    return this.run(() => server.memoryPurge());
  }

  /**
   * Memory usage in detail (MEMORY STATS).
   *
   * @returns The statistics, with GLIDE's field names.
   * @example
   * ```ts
   * const stats = await client.memoryStats();
   * console.log(stats.totalAllocated, stats.keysCount);
   * ```
   */
  memoryStats(): Reply<M, MemoryStats> {
    return this.run(() => server.memoryStats());
  }

  /**
   * The recorded latency spikes of one event (LATENCY HISTORY).
   *
   * @param event - The event name, e.g. "command" or "fork".
   * @returns The spikes, oldest first; empty when the event has none.
   * @example
   * ```ts
   * for (const { time, latency } of await client.latencyHistory("command")) {
   *   console.log(time, latency);
   * }
   * ```
   */
  latencyHistory(event: GlideString): Reply<M, LatencyEntry[]> {
    return this.run(() => server.latencyHistory(event));
  }

  /**
   * The latest latency spike of every event (LATENCY LATEST).
   *
   * @returns One entry per event that has spikes.
   * @example
   * ```ts
   * for (const e of await client.latencyLatest()) console.log(e.eventName, e.maxDuration);
   * ```
   */
  latencyLatest(): Reply<M, LatencyEventInfo[]> {
    return this.run(() => server.latencyLatest());
  }

  /**
   * Clears the latency spike series of some events, or of all (LATENCY RESET).
   *
   * @param events - The events to clear; every event when absent.
   * @returns The number of series cleared.
   * @example
   * ```ts
   * console.log(await client.latencyReset(["command"])); // 0 or 1
   * ```
   */
  latencyReset(events?: GlideString[]): Reply<M, number> {
    return this.run(() => server.latencyReset(events));
  }

  /**
   * Makes the server a replica of another server (REPLICAOF host port).
   *
   * @param host - The primary's host.
   * @param port - The primary's port.
   * @returns "OK".
   * @example
   * ```ts
   * await client.replicaof("127.0.0.1", 6380);
   * ```
   */
  replicaof(host: string, port: number): Reply<M, "OK"> {
    return this.run(() => server.replicaof(host, port));
  }

  /**
   * Stops replication and makes the server a primary (REPLICAOF NO ONE).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.replicaofNoOne();
   * ```
   */
  replicaofNoOne(): Reply<M, "OK"> {
    return this.run(() => server.replicaofNoOne());
  }

  /**
   * Hands the primary role over to one of its replicas (FAILOVER).
   *
   * @param options - `to` a given replica (optionally `force`), `timeoutMs`, or `abort`.
   * @returns "OK" once the failover has started (or been aborted).
   * @example
   * ```ts
   * await client.failover({ timeoutMs: 5000 });
   * ```
   */
  failover(options?: FailoverOptions): Reply<M, "OK"> {
    return this.run(() => server.failover(options));
  }

  /**
   * Resets the connection's state: database 0, no name, no subscriptions, no tracking, RESP2,
   * no transaction (RESET).
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
   * The id of this client's connection (CLIENT ID).
   *
   * @returns The connection id.
   * @example
   * ```ts
   * console.log(await client.clientId()); // 42
   * ```
   */
  clientId(): Reply<M, number> {
    return this.run(() => connection.clientId());
  }

  /**
   * The name of this client's connection (CLIENT GETNAME), as set by the `clientName`
   * configuration.
   *
   * @param options - `decoder` for the name.
   * @returns The name, or `null` when none is set.
   * @example
   * ```ts
   * console.log(await client.clientGetName()); // "my-app" or null
   * ```
   */
  clientGetName(options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => connection.clientGetName(), options);
  }

  /**
   * Suspends the server's clients for `timeout` milliseconds (CLIENT PAUSE).
   *
   * @param timeout - How long to pause, in milliseconds.
   * @param mode - ALL commands (default) or only WRITE commands.
   * @param options - `decoder` (the reply is "OK" either way).
   * @returns "OK".
   * @example
   * ```ts
   * await client.clientPause(100, ClientPauseMode.WRITE);
   * ```
   */
  clientPause(timeout: number, mode?: ClientPauseMode, options?: DecoderOption): Reply<M, "OK"> {
    return this.run(() => connection.clientPause(timeout, mode), options);
  }

  /**
   * Ends a CLIENT PAUSE early (CLIENT UNPAUSE).
   *
   * @param options - `decoder` (the reply is "OK" either way).
   * @returns "OK".
   * @example
   * ```ts
   * await client.clientUnpause();
   * ```
   */
  clientUnpause(options?: DecoderOption): Reply<M, "OK"> {
    return this.run(() => connection.clientUnpause(), options);
  }

  /**
   * This connection's client-side caching state (CLIENT TRACKINGINFO).
   *
   * @returns Its flags, redirect id and tracked prefixes.
   * @example
   * ```ts
   * const info = await client.clientTrackingInfo();
   * console.log(info.flags.has("off")); // true
   * ```
   */
  clientTrackingInfo(): Reply<M, ClientTrackingInfo> {
    return this.run(() => connection.clientTrackingInfo());
  }
}

/** The standalone families' methods, declared (their implementations are composed in below). */
export interface StandaloneCommands<M extends Mode>
  extends StandaloneKeyCommands<M>, StandaloneScriptingCommands<M>, StandaloneAdminCommands<M> {}

compose(StandaloneCommands, [
  StandaloneKeyCommands,
  StandaloneScriptingCommands,
  StandaloneAdminCommands,
]);
