/**
 * Server commands: INFO, DBSIZE, FLUSHALL.
 * @module
 */

import { type Command, command, decodedAs } from "../command.ts";
import { Decoder } from "../values.ts";
import { ConfigurationError } from "../errors.ts";

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

const SECTIONS = new Set<string>(Object.values(InfoOptions));

/** INFO [section ...]. @internal */
export function info(sections?: InfoOptions[]): Command<string> {
  const args = ["INFO"];
  for (const s of sections ?? []) {
    if (!SECTIONS.has(s)) throw new ConfigurationError(`unknown INFO section: ${String(s)}`);
    args.push(s);
  }
  return decodedAs(args, Decoder.String);
}

/** DBSIZE. @internal */
export function dbsize(): Command<number> {
  return command(["DBSIZE"]);
}

/** FLUSHALL [SYNC|ASYNC]. @internal */
export function flushall(mode?: FlushMode): Command<"OK"> {
  if (mode === undefined) return command(["FLUSHALL"]);
  if (mode !== FlushMode.SYNC && mode !== FlushMode.ASYNC) {
    throw new ConfigurationError(`unknown flush mode: ${String(mode)}`);
  }
  return command(["FLUSHALL", mode]);
}
