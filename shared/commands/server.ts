/**
 * Server commands: INFO, CONFIG, DBSIZE, FLUSHALL/FLUSHDB, TIME, LASTSAVE, LOLWUT, SAVE/BGSAVE,
 * BGREWRITEAOF, MEMORY, LATENCY, REPLICAOF, FAILOVER.
 * @module
 */

import { type Command, command, int, mayBeEmpty } from "../command.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";
import { ConfigurationError } from "../errors.ts";
import {
  type FailoverOptions,
  FlushMode,
  InfoOptions,
  type LatencyEntry,
  type LatencyEventInfo,
  type LolwutOptions,
  type MemoryStats,
  type MemoryStatsDb,
} from "../options/server.ts";
import { toArray, toNumber, toObject } from "../shape.ts";

const SECTIONS = new Set<string>(Object.values(InfoOptions));

/**
 * A node's error inside a per-node reply (cluster, multi-node route) is thrown, as the error of
 * a single-node reply is.
 */
function checked(r: GlideReturnType): GlideReturnType {
  if (r instanceof Error) throw r;
  return r;
}

/** A command whose reply is used as decoded. */
function plain<T>(args: GlideString[]): Command<T> {
  return { args, shape: (r) => checked(r) as T };
}

/** A command whose reply is always decoded as text. */
function text<T>(args: GlideString[]): Command<T> {
  return { args, decoder: Decoder.String, shape: (r) => checked(r) as T };
}

/** A command whose reply is always decoded as text, then shaped. */
function textShaped<T>(args: GlideString[], shape: (r: GlideReturnType) => T): Command<T> {
  return { args, decoder: Decoder.String, shape: (r) => shape(checked(r)) };
}

function flushMode(mode: FlushMode | undefined): string[] {
  if (mode === undefined) return [];
  if (mode !== FlushMode.SYNC && mode !== FlushMode.ASYNC) {
    throw new ConfigurationError(`unknown flush mode: ${String(mode)}`);
  }
  return [mode];
}

/** INFO [section ...]. @internal */
export function info(sections?: InfoOptions[]): Command<string> {
  const args = ["INFO"];
  for (const s of sections ?? []) {
    if (!SECTIONS.has(s)) throw new ConfigurationError(`unknown INFO section: ${String(s)}`);
    args.push(s);
  }
  return text(args);
}

/** DBSIZE. @internal */
export function dbsize(): Command<number> {
  return command(["DBSIZE"]);
}

/** FLUSHALL [SYNC|ASYNC]. @internal */
export function flushall(mode?: FlushMode): Command<"OK"> {
  return command(["FLUSHALL", ...flushMode(mode)]);
}

/** FLUSHDB [SYNC|ASYNC]. @internal */
export function flushdb(mode?: FlushMode): Command<"OK"> {
  return command(["FLUSHDB", ...flushMode(mode)]);
}

/** CONFIG GET parameter [parameter ...] → name → value. @internal */
export function configGet(parameters: string[]): Command<Record<string, GlideString>> {
  mayBeEmpty("parameters", parameters);
  return {
    args: ["CONFIG", "GET", ...parameters],
    shape: (r) => toObject(checked(r), (v) => v as GlideString),
  };
}

/** CONFIG SET name value [name value ...]. @internal */
export function configSet(parameters: Record<string, GlideString>): Command<"OK"> {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) {
    throw new ConfigurationError("parameters must be a record of name to value");
  }
  const entries = mayBeEmpty("parameters", Object.entries(parameters));
  const args: GlideString[] = ["CONFIG", "SET"];
  for (const [name, value] of entries) args.push(name, value);
  return text(args);
}

/** CONFIG RESETSTAT. @internal */
export function configResetStat(): Command<"OK"> {
  return text(["CONFIG", "RESETSTAT"]);
}

/** CONFIG REWRITE. @internal */
export function configRewrite(): Command<"OK"> {
  return text(["CONFIG", "REWRITE"]);
}

/** TIME → [seconds, microseconds] as strings. @internal */
export function time(): Command<[string, string]> {
  return textShaped(["TIME"], (r) => {
    const [s, us] = toArray<string>(r);
    return [s, us];
  });
}

/** LASTSAVE. @internal */
export function lastsave(): Command<number> {
  return plain(["LASTSAVE"]);
}

/** LOLWUT [VERSION v] [param ...]. @internal */
export function lolwut(options?: LolwutOptions): Command<string> {
  const args = ["LOLWUT"];
  if (options?.version !== undefined) args.push("VERSION", int("version", options.version));
  if (options?.parameters !== undefined) {
    if (!Array.isArray(options.parameters)) {
      throw new ConfigurationError("parameters must be an array of integers");
    }
    for (const p of options.parameters) args.push(int("parameter", p));
  }
  return text(args);
}

/** SAVE. @internal */
export function save(): Command<"OK"> {
  return text(["SAVE"]);
}

/** BGSAVE. @internal */
export function bgsave(): Command<string> {
  return text(["BGSAVE"]);
}

/** BGSAVE SCHEDULE. @internal */
export function bgsaveSchedule(): Command<string> {
  return text(["BGSAVE", "SCHEDULE"]);
}

/** BGSAVE CANCEL (Valkey 8.1). @internal */
export function bgsaveCancel(): Command<string> {
  return text(["BGSAVE", "CANCEL"]);
}

/** BGREWRITEAOF. @internal */
export function bgrewriteaof(): Command<string> {
  return text(["BGREWRITEAOF"]);
}

/** MEMORY DOCTOR. @internal */
export function memoryDoctor(): Command<string> {
  return text(["MEMORY", "DOCTOR"]);
}

/** MEMORY MALLOC-STATS. @internal */
export function memoryMallocStats(): Command<string> {
  return text(["MEMORY", "MALLOC-STATS"]);
}

/** MEMORY PURGE. @internal */
export function memoryPurge(): Command<"OK"> {
  return text(["MEMORY", "PURGE"]);
}

/** The MEMORY STATS fields GLIDE names, by server name. */
const MEMORY_FIELDS: [string, keyof MemoryStats][] = [
  ["allocator.active", "allocatorActive"],
  ["allocator.allocated", "allocatorAllocated"],
  ["allocator-fragmentation.bytes", "allocatorFragmentationBytes"],
  ["allocator.resident", "allocatorResident"],
  ["allocator-rss.bytes", "allocatorRssBytes"],
  ["aof.buffer", "aofBuffer"],
  ["clients.normal", "clientsNormal"],
  ["clients.slaves", "clientsSlaves"],
  ["dataset.bytes", "datasetBytes"],
  ["fragmentation.bytes", "fragmentationBytes"],
  ["keys.bytes-per-key", "keysBytesPerKey"],
  ["keys.count", "keysCount"],
  ["lua.caches", "luaCaches"],
  ["overhead.total", "overheadTotal"],
  ["peak.allocated", "peakAllocated"],
  ["replication.backlog", "replicationBacklog"],
  ["rss-overhead.bytes", "rssOverheadBytes"],
  ["startup.allocated", "startupAllocated"],
  ["total.allocated", "totalAllocated"],
  ["allocator-fragmentation.ratio", "allocatorFragmentationRatio"],
  ["allocator-rss.ratio", "allocatorRssRatio"],
  ["dataset.percentage", "datasetPercentage"],
  ["fragmentation", "fragmentation"],
  ["peak.percentage", "peakPercentage"],
  ["rss-overhead.ratio", "rssOverheadRatio"],
];

/** Optional MEMORY STATS fields, present on newer servers only. */
const MEMORY_OPTIONAL: [string, keyof MemoryStats][] = [
  ["cluster.links", "clusterLinks"],
  ["functions.caches", "functionsCaches"],
  ["allocator.muzzy", "allocatorMuzzy"],
  ["db.dict.rehashing.count", "dbDictRehashingCount"],
  ["overhead.db.hashtable.lut", "overheadDbHashtableLut"],
  ["overhead.db.hashtable.rehashing", "overheadDbHashtableRehashing"],
];

const DB_FIELD = /^db\.(\d+)$/;

/** Shapes a MEMORY STATS map (RESP2 or RESP3) into {@link MemoryStats}. */
function toMemoryStats(r: GlideReturnType): MemoryStats {
  const raw = toObject(r);
  const num = (name: string): number => {
    const v = raw[name];
    return v === undefined || v === null ? NaN : toNumber(v);
  };
  const db: Record<number, MemoryStatsDb> = {};
  for (const [name, value] of Object.entries(raw)) {
    const m = DB_FIELD.exec(name);
    if (!m) continue;
    const d = toObject(value);
    db[Number(m[1])] = {
      overheadHashtableExpires: toNumber(d["overhead.hashtable.expires"] ?? 0),
      overheadHashtableMain: toNumber(d["overhead.hashtable.main"] ?? 0),
    };
  }
  const out = { db } as Record<string, unknown>;
  for (const [name, field] of MEMORY_FIELDS) out[field] = num(name);
  for (const [name, field] of MEMORY_OPTIONAL) if (name in raw) out[field] = num(name);
  return out as unknown as MemoryStats;
}

/** MEMORY STATS → {@link MemoryStats}. @internal */
export function memoryStats(): Command<MemoryStats> {
  return textShaped(["MEMORY", "STATS"], toMemoryStats);
}

/** LATENCY HISTORY event → {@link LatencyEntry}[]. @internal */
export function latencyHistory(event: GlideString): Command<LatencyEntry[]> {
  return textShaped(["LATENCY", "HISTORY", event], (r) =>
    toArray<GlideReturnType>(r).map((e) => {
      const [time, latency] = toArray(e);
      return { time: toNumber(time), latency: toNumber(latency) };
    }));
}

/** LATENCY LATEST → {@link LatencyEventInfo}[]. @internal */
export function latencyLatest(): Command<LatencyEventInfo[]> {
  return textShaped(["LATENCY", "LATEST"], (r) =>
    toArray<GlideReturnType>(r).map((e) => {
      const f = toArray(e);
      const info: LatencyEventInfo = {
        eventName: String(f[0]),
        latestTime: toNumber(f[1]),
        latestDuration: toNumber(f[2]),
        maxDuration: toNumber(f[3]),
      };
      return f.length >= 6 ? { ...info, sum: toNumber(f[4]), count: toNumber(f[5]) } : info;
    }));
}

/** LATENCY RESET [event ...]. @internal */
export function latencyReset(events?: GlideString[]): Command<number> {
  if (events !== undefined && !Array.isArray(events)) {
    throw new ConfigurationError("events must be an array");
  }
  return command(["LATENCY", "RESET", ...(events ?? [])]);
}

/** REPLICAOF host port. @internal */
export function replicaof(host: string, port: number): Command<"OK"> {
  if (typeof host !== "string" || host === "") {
    throw new ConfigurationError("host must be a non-empty string");
  }
  return text(["REPLICAOF", host, int("port", port)]);
}

/** REPLICAOF NO ONE. @internal */
export function replicaofNoOne(): Command<"OK"> {
  return text(["REPLICAOF", "NO", "ONE"]);
}

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]. @internal */
export function failover(options?: FailoverOptions): Command<"OK"> {
  const args = ["FAILOVER"];
  if (options?.abort) {
    args.push("ABORT");
  } else {
    if (options?.to !== undefined) {
      const { host, port, force } = options.to;
      if (typeof host !== "string" || host === "") {
        throw new ConfigurationError("to.host must be a non-empty string");
      }
      args.push("TO", host, int("to.port", port));
      if (force) args.push("FORCE");
    }
    if (options?.timeoutMs !== undefined) args.push("TIMEOUT", int("timeoutMs", options.timeoutMs));
  }
  return text(args);
}
