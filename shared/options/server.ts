/**
 * Public option and reply types of the server commands.
 * @module
 */

/**
 * INFO sections.
 *
 * @example
 * ```ts
 * import { InfoOptions } from "@glide-deno/glide";
 * // await client.info([InfoOptions.Server, InfoOptions.Memory]);
 * const s = InfoOptions.Server;
 * ```
 */
export enum InfoOptions {
  /** General information about the server. */
  Server = "server",
  /** Client connections. */
  Clients = "clients",
  /** Memory consumption. */
  Memory = "memory",
  /** RDB and AOF persistence. */
  Persistence = "persistence",
  /** General statistics. */
  Stats = "stats",
  /** Primary/replica replication. */
  Replication = "replication",
  /** CPU consumption. */
  Cpu = "cpu",
  /** Command statistics. */
  Commandstats = "commandstats",
  /** Latency statistics. */
  Latencystats = "latencystats",
  /** Sentinel (sentinel instances only). */
  Sentinel = "sentinel",
  /** Cluster. */
  Cluster = "cluster",
  /** Loaded modules. */
  Modules = "modules",
  /** Database key-space statistics. */
  Keyspace = "keyspace",
  /** Error statistics. */
  Errorstats = "errorstats",
  /** All sections but modules. */
  All = "all",
  /** The default sections. */
  Default = "default",
  /** Every section, modules included. */
  Everything = "everything",
}

/**
 * FLUSHALL / FLUSHDB modes.
 *
 * @example
 * ```ts
 * import { FlushMode } from "@glide-deno/glide";
 * // await client.flushall(FlushMode.ASYNC);
 * const m = FlushMode.SYNC;
 * ```
 */
export enum FlushMode {
  /** Flush synchronously. */
  SYNC = "SYNC",
  /** Flush in the background. */
  ASYNC = "ASYNC",
}
