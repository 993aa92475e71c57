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

/**
 * Options of LOLWUT: which piece of art, and its parameters.
 *
 * @example
 * ```ts
 * import type { LolwutOptions } from "@glide-deno/glide";
 * // await client.lolwut({ version: 6, parameters: [40, 20] });
 * const o: LolwutOptions = { version: 5, parameters: [30, 4, 4] };
 * ```
 */
export interface LolwutOptions {
  /** The version of the art (`VERSION n`); the server's own version by default. */
  version?: number;
  /**
   * Integers passed after the version: for version 5 the line length and the squares per row
   * and column; for version 6 the columns and the lines.
   */
  parameters?: number[];
}

/**
 * One latency spike of a LATENCY HISTORY series.
 *
 * @example
 * ```ts
 * import type { LatencyEntry } from "@glide-deno/glide";
 * const e: LatencyEntry = { time: 1710925775, latency: 120 };
 * ```
 */
export interface LatencyEntry {
  /** When the spike happened, Unix time in seconds. */
  readonly time: number;
  /** How long it lasted, in milliseconds. */
  readonly latency: number;
}

/**
 * The latest spike of one latency event (LATENCY LATEST).
 *
 * @example
 * ```ts
 * import type { LatencyEventInfo } from "@glide-deno/glide";
 * const e: LatencyEventInfo = {
 *   eventName: "command",
 *   latestTime: 1710925775,
 *   latestDuration: 120,
 *   maxDuration: 250,
 * };
 * ```
 */
export interface LatencyEventInfo {
  /** The event's name, e.g. `command` or `fork`. */
  readonly eventName: string;
  /** When the latest spike happened, Unix time in seconds. */
  readonly latestTime: number;
  /** The latest spike's duration, in milliseconds. */
  readonly latestDuration: number;
  /** The longest spike recorded, in milliseconds. */
  readonly maxDuration: number;
  /** The total duration of the recorded spikes, in milliseconds (Valkey 8.1 and newer). */
  readonly sum?: number;
  /** The number of recorded spikes (Valkey 8.1 and newer). */
  readonly count?: number;
}

/**
 * The per-database overheads of MEMORY STATS (`db.<n>`).
 *
 * @example
 * ```ts
 * import type { MemoryStatsDb } from "@glide-deno/glide";
 * const d: MemoryStatsDb = { overheadHashtableMain: 72, overheadHashtableExpires: 0 };
 * ```
 */
export interface MemoryStatsDb {
  /** `overhead.hashtable.expires`: bytes of the expires table. */
  overheadHashtableExpires: number;
  /** `overhead.hashtable.main`: bytes of the main key table. */
  overheadHashtableMain: number;
}

/**
 * The reply of MEMORY STATS, with GLIDE's camel-case names for the server's fields.
 *
 * @example
 * ```ts
 * import type { MemoryStats } from "@glide-deno/glide";
 * function used(s: MemoryStats): number {
 *   return s.totalAllocated;
 * }
 * ```
 */
export interface MemoryStats {
  /** Overheads per database index (`db.<n>`). */
  db: Record<number, MemoryStatsDb>;
  /** `allocator.active`. */
  allocatorActive: number;
  /** `allocator.allocated`. */
  allocatorAllocated: number;
  /** `allocator-fragmentation.bytes`. */
  allocatorFragmentationBytes: number;
  /** `allocator.resident`. */
  allocatorResident: number;
  /** `allocator-rss.bytes`. */
  allocatorRssBytes: number;
  /** `aof.buffer`. */
  aofBuffer: number;
  /** `clients.normal`. */
  clientsNormal: number;
  /** `clients.slaves`. */
  clientsSlaves: number;
  /** `dataset.bytes`. */
  datasetBytes: number;
  /** `fragmentation.bytes`. */
  fragmentationBytes: number;
  /** `keys.bytes-per-key`. */
  keysBytesPerKey: number;
  /** `keys.count`. */
  keysCount: number;
  /** `lua.caches`. */
  luaCaches: number;
  /** `overhead.total`. */
  overheadTotal: number;
  /** `peak.allocated`. */
  peakAllocated: number;
  /** `replication.backlog`. */
  replicationBacklog: number;
  /** `rss-overhead.bytes`. */
  rssOverheadBytes: number;
  /** `startup.allocated`. */
  startupAllocated: number;
  /** `total.allocated`. */
  totalAllocated: number;
  /** `allocator-fragmentation.ratio`. */
  allocatorFragmentationRatio: number;
  /** `allocator-rss.ratio`. */
  allocatorRssRatio: number;
  /** `dataset.percentage`. */
  datasetPercentage: number;
  /** `fragmentation` (ratio). */
  fragmentation: number;
  /** `peak.percentage`. */
  peakPercentage: number;
  /** `rss-overhead.ratio`. */
  rssOverheadRatio: number;
  /** `cluster.links` (Redis 7 and newer). */
  clusterLinks?: number;
  /** `functions.caches` (Redis 7 and newer). */
  functionsCaches?: number;
  /** `allocator.muzzy` (Valkey 8 and newer). */
  allocatorMuzzy?: number;
  /** `db.dict.rehashing.count` (Valkey 8 and newer). */
  dbDictRehashingCount?: number;
  /** `overhead.db.hashtable.lut` (Valkey 8 and newer). */
  overheadDbHashtableLut?: number;
  /** `overhead.db.hashtable.rehashing` (Valkey 8 and newer). */
  overheadDbHashtableRehashing?: number;
}

/**
 * Options of FAILOVER (standalone primaries with replicas).
 *
 * @example
 * ```ts
 * import type { FailoverOptions } from "@glide-deno/glide";
 * // await client.failover({ to: { host: "127.0.0.1", port: 6380 }, timeoutMs: 5000 });
 * const o: FailoverOptions = { abort: true };
 * ```
 */
export interface FailoverOptions {
  /** The replica to hand over to (`TO host port`), with `force` to promote it after the timeout. */
  to?: { host: string; port: number; force?: boolean };
  /** Abort a failover in progress (`ABORT`); the other options are then ignored. */
  abort?: boolean;
  /** How long to wait for the replica to catch up, in milliseconds (`TIMEOUT`). */
  timeoutMs?: number;
}
