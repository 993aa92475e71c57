/**
 * Client-side caching (GLIDE's `ClientSideCache`): the replies of GET, HGETALL and SMEMBERS
 * kept in the isolate, so a hit costs a `Map` lookup instead of a round trip. Bounded by size
 * (LRU or LFU eviction) and by age (`entryTtlMs`); a write through any client that shares the
 * cache evicts the keys it names at once, and a read whose key was written (or invalidated)
 * while it was in flight is not kept.
 * @module
 */

import type { Command } from "./command.ts";
import { replyMarks } from "./decode.ts";
import type { Connection, Reply } from "./mode.ts";
import { ConfigurationError, RequestError } from "./errors.ts";
import { Decoder, type GlideReturnType, type GlideString } from "./values.ts";

/**
 * How a full {@link ClientSideCache} makes room (GLIDE's numbering).
 *
 * @example
 * ```ts
 * import { ClientSideCache, EvictionPolicy } from "@glide-deno/glide";
 * const cache = ClientSideCache.create(1024, 0, { evictionPolicy: EvictionPolicy.LFU });
 * ```
 */
export enum EvictionPolicy {
  /** Evicts the least recently used entry (the default). */
  LRU = 0,
  /** Evicts the least frequently used entry (approximated, as the server's allkeys-lfu). */
  LFU = 1,
}

/**
 * The settings of a {@link ClientSideCache} (GLIDE's `ClientSideCacheConfig`).
 *
 * @example
 * ```ts
 * import type { ClientSideCacheConfig } from "@glide-deno/glide";
 * const config: ClientSideCacheConfig = { maxCacheKb: 1024, entryTtlMs: 60_000 };
 * ```
 */
export interface ClientSideCacheConfig {
  /** The most memory the entries may take, in KiB (keys and values). Greater than zero. */
  maxCacheKb: number;
  /** How long an entry stays, in ms; 0 = until evicted or invalidated. */
  entryTtlMs: number;
  /** Which entry goes when the cache is full (default LRU). */
  evictionPolicy?: EvictionPolicy;
  /** Count hits, misses, evictions and expirations for the `getCache*` methods (default false). */
  enableMetrics?: boolean;
  /**
   * Have the server tell the client when a cached key changes (default false; RESP3 only, a
   * `ConfigurationError` with RESP2): every connection of the client sends
   * `CLIENT TRACKING ON BCAST` when it connects, and the keys the server invalidates are
   * dropped before the next lookup; a connection that starts or ends drops every entry (an
   * invalidation may have been missed). Writes by any client then show at once, not after
   * `entryTtlMs`.
   */
  serverAssisted?: boolean;
}

/**
 * The optional settings of {@link ClientSideCache.create}.
 *
 * @example
 * ```ts
 * import { type ClientSideCacheOptions, EvictionPolicy } from "@glide-deno/glide";
 * const options: ClientSideCacheOptions = { evictionPolicy: EvictionPolicy.LRU };
 * ```
 */
export interface ClientSideCacheOptions {
  /** Which entry goes when the cache is full (default LRU). */
  evictionPolicy?: EvictionPolicy;
  /** Count hits, misses, evictions and expirations (default false). */
  enableMetrics?: boolean;
  /** See {@link ClientSideCacheConfig.serverAssisted}. */
  serverAssisted?: boolean;
}

/**
 * A client-side cache for the `clientSideCache` option of any client: GET, HGETALL and
 * SMEMBERS replies (a `customCommand` of those too) are answered from it while fresh, without
 * going to the server. Clients given the same instance share its entries (within one isolate:
 * each Worker or `deno serve --parallel` isolate has caches of its own). A write through any
 * of those clients evicts the keys it names at once; writes by other processes show after
 * `entryTtlMs`, or at once with `serverAssisted` (the server invalidates changed keys).
 *
 * @example
 * ```ts
 * import { ClientSideCache, GlideClient } from "@glide-deno/glide";
 * const client = await GlideClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 *   clientSideCache: ClientSideCache.create(1024, 5_000, { enableMetrics: true }),
 * });
 * await client.get("config"); // from the server
 * await client.get("config"); // from the cache
 * console.log(await client.getCacheHitRate()); // 0.5
 * client.close();
 * ```
 */
export class ClientSideCache {
  /** The most memory the entries may take, in KiB. */
  readonly maxCacheKb: number;
  /** How long an entry stays, in ms (0: no limit). */
  readonly entryTtlMs: number;
  /** Which entry goes when the cache is full. */
  readonly evictionPolicy?: EvictionPolicy;
  /** Whether hits, misses, evictions and expirations are counted. */
  readonly enableMetrics: boolean;
  /** Whether the server is asked to invalidate changed keys. */
  readonly serverAssisted: boolean;

  /**
   * A cache with these settings; invalid ones throw `ConfigurationError`.
   *
   * @param config - The settings.
   * @example
   * ```ts
   * import { ClientSideCache, EvictionPolicy } from "@glide-deno/glide";
   * const cache = new ClientSideCache({
   *   maxCacheKb: 2048,
   *   entryTtlMs: 300_000,
   *   evictionPolicy: EvictionPolicy.LFU,
   *   enableMetrics: true,
   * });
   * ```
   */
  constructor(config: ClientSideCacheConfig) {
    const { maxCacheKb, entryTtlMs, evictionPolicy, enableMetrics, serverAssisted } = config ?? {};
    if (typeof maxCacheKb !== "number" || !Number.isFinite(maxCacheKb) || maxCacheKb <= 0) {
      throw new ConfigurationError("clientSideCache: maxCacheKb must be a number above 0");
    }
    if (!Number.isSafeInteger(entryTtlMs) || entryTtlMs < 0) {
      throw new ConfigurationError("clientSideCache: entryTtlMs must be an integer of 0 or more");
    }
    if (
      evictionPolicy !== undefined && evictionPolicy !== EvictionPolicy.LRU &&
      evictionPolicy !== EvictionPolicy.LFU
    ) {
      throw new ConfigurationError("clientSideCache: evictionPolicy must be LRU or LFU");
    }
    for (
      const [name, v] of [["enableMetrics", enableMetrics], ["serverAssisted", serverAssisted]]
    ) {
      if (v !== undefined && typeof v !== "boolean") {
        throw new ConfigurationError(`clientSideCache: ${name} must be a boolean`);
      }
    }
    this.maxCacheKb = maxCacheKb;
    this.entryTtlMs = entryTtlMs;
    this.evictionPolicy = evictionPolicy;
    this.enableMetrics = enableMetrics === true;
    this.serverAssisted = serverAssisted === true;
  }

  /**
   * A cache of `maxCacheKb` KiB whose entries stay `entryTtlMs` ms (0: until evicted).
   *
   * @param maxCacheKb - The most memory the entries may take, in KiB.
   * @param entryTtlMs - How long an entry stays, in ms; 0 = no limit.
   * @param options - Eviction policy, metrics, server assistance.
   * @returns The cache, to pass as `clientSideCache` to one or more clients.
   * @example
   * ```ts
   * import { ClientSideCache } from "@glide-deno/glide";
   * const cache = ClientSideCache.create(1024, 60_000); // 1 MiB, one minute
   * ```
   */
  static create(
    maxCacheKb: number,
    entryTtlMs: number,
    options?: ClientSideCacheOptions,
  ): ClientSideCache {
    return new ClientSideCache({ maxCacheKb, entryTtlMs, ...options });
  }
}

/** What a read of a cacheable command found. @internal */
export type Probe =
  | { readonly hit: true; readonly value: unknown }
  | { readonly hit: false; readonly cmd: Command<unknown>; readonly end: () => void };

/** The cacheable commands, by name, and the kind of key each reads. */
const CACHEABLE = new Map([["GET", "s"], ["HGETALL", "h"], ["SMEMBERS", "S"]]);

interface Entry {
  /** The reply as decoded with each decoder (index: Decoder.String 0, Bytes 1). */
  values: [GlideReturnType | undefined, GlideReturnType | undefined];
  kind: string;
  size: number;
  /** performance.now() after which the entry is gone; Infinity for no limit. */
  expires: number;
  /** LFU: how often it was read. */
  uses: number;
  /** Its place in the LRU order when it was last moved there (see `#touch`). */
  place: number;
}

/** A read in flight: not kept if its key changes before its reply arrives. */
interface Read {
  stale: boolean;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A key as the cache's map key: ASCII strings as they are, anything else as its bytes. */
function keyOf(k: GlideString): string {
  if (typeof k === "string") {
    let ascii = true;
    for (let i = 0; i < k.length; i++) {
      if (k.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return k;
    k = utf8.encode(k);
  }
  let s = "";
  for (let i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
  return s;
}

/** The cacheable command `arg` names (GET, HGETALL, SMEMBERS), if it names one. */
function kindOf(arg: GlideString | undefined): string | undefined {
  if (typeof arg === "string") return CACHEABLE.get(arg) ?? CACHEABLE.get(arg.toUpperCase());
  return arg === undefined ? undefined : CACHEABLE.get(text.decode(arg).toUpperCase());
}

/** A copy of a decoded reply that shares nothing mutable with it. */
function copy<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof Uint8Array) return v.slice() as T;
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v instanceof Set) return new Set([...v].map(copy)) as T;
  if (v instanceof Map) return new Map([...v].map(([a, b]) => [copy(a), copy(b)])) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = copy(x);
  return out as T;
}

/** About how many bytes a decoded reply holds. */
function sizeOf(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === "string") return v.length;
  if (v instanceof Uint8Array) return v.byteLength;
  if (typeof v !== "object") return 8;
  let n = 16;
  const items = Array.isArray(v) || v instanceof Set
    ? v
    : v instanceof Map
    ? [...v].flat()
    : Object.values(v);
  for (const x of items) n += 8 + sizeOf(x);
  return n;
}

/** The entries and counters of one {@link ClientSideCache}. @internal */
export class CacheStore {
  readonly #max: number;
  readonly #ttl: number;
  readonly #lfu: boolean;
  readonly metrics: boolean;
  /** LRU order: least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  readonly #reads = new Map<string, Set<Read>>();
  /** Counts moves to the end of `#entries` (LRU places). */
  #clock = 0;
  /** The longest key ever cached or read: a longer argument names no entry. */
  #longest = 0;
  hits = 0;
  misses = 0;
  evictions = 0;
  expirations = 0;

  constructor(settings: ClientSideCache) {
    this.#max = settings.maxCacheKb * 1024;
    this.#ttl = settings.entryTtlMs;
    this.#lfu = settings.evictionPolicy === EvictionPolicy.LFU;
    this.metrics = settings.enableMetrics;
  }

  /** How many entries the cache holds. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Looks `cmd` up: a hit (its shaped reply), a miss (the command to send, which keeps its
   * reply, and `end` to call once it settled), or undefined when `cmd` is not cacheable (a
   * write then evicts the keys it names). A lookup made again (`count` false) is not counted.
   */
  probe<T>(cmd: Command<T>, decoder: Decoder, count = true): Probe | undefined {
    if (cmd.batch) {
      for (const c of cmd.batch.commands) this.#evictNamed(c.args);
      return undefined;
    }
    const args = cmd.args;
    const kind = args.length === 2 ? kindOf(args[0]) : undefined;
    if (kind === undefined) {
      this.#evictNamed(args);
      return undefined;
    }
    const key = keyOf(args[1]);
    const slot = decoder === Decoder.Bytes ? 1 : 0;
    const e = this.#fresh(key);
    if (e !== undefined) {
      if (e.kind === kind && e.values[slot] !== undefined) {
        if (this.metrics && count) this.hits++;
        this.#touch(key, e);
        const value = copy(e.values[slot]);
        return { hit: true, value: cmd.shape ? cmd.shape(value as GlideReturnType) : value };
      }
    }
    if (this.metrics && count) this.misses++;
    const read: Read = { stale: false };
    if (key.length > this.#longest) this.#longest = key.length;
    let reads = this.#reads.get(key);
    if (reads === undefined) this.#reads.set(key, reads = new Set());
    reads.add(read);
    const shape = cmd.shape;
    return {
      hit: false,
      cmd: {
        ...cmd,
        shape: (reply) => {
          if (!read.stale && reply !== null && !replyMarks.untracked) {
            this.#keep(key, kind, slot, copy(reply));
          }
          return shape ? shape(reply) : reply;
        },
      },
      end: () => {
        reads.delete(read);
        if (reads.size === 0 && this.#reads.get(key) === reads) this.#reads.delete(key);
      },
    };
  }

  /** The entry of `key` unless it expired (then it goes, and counts as an expiration). */
  #fresh(key: string): Entry | undefined {
    const e = this.#entries.get(key);
    if (e === undefined || e.expires === Infinity || e.expires > performance.now()) return e;
    this.#remove(key, e);
    if (this.metrics) this.expirations++;
    return undefined;
  }

  /** Drops `key` (changed on the server or through a client); reads in flight are not kept. */
  invalidate(key: string): void {
    const e = this.#entries.get(key);
    if (e !== undefined) this.#remove(key, e);
    const reads = this.#reads.get(key);
    if (reads) { for (const r of reads) r.stale = true; }
  }

  /** Applies an invalidation the server pushed: `[keys]`, or `[null]` for all. */
  invalidated(data: unknown[]): void {
    const keys = data[0];
    if (Array.isArray(keys)) {
      for (const k of keys) if (k instanceof Uint8Array) this.invalidate(keyOf(k));
    } else {
      this.clear();
    }
  }

  /** Drops every entry; no read in flight is kept. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    for (const reads of this.#reads.values()) for (const r of reads) r.stale = true;
  }

  #evictNamed(args: readonly GlideString[]): void {
    if (this.#entries.size === 0 && this.#reads.size === 0) return;
    for (let i = 1; i < args.length; i++) {
      // A value longer than any key (a 64 KiB SET value, say) names no entry: not converted.
      // (A string's UTF-16 length is at most the length of its key form.)
      const arg = args[i];
      const length = typeof arg === "string" ? arg.length : arg.byteLength;
      if (length <= this.#longest) this.invalidate(keyOf(arg));
    }
  }

  #keep(key: string, kind: string, slot: 0 | 1, value: GlideReturnType): void {
    const old = this.#entries.get(key);
    if (old !== undefined && old.kind === kind && old.expires > performance.now()) {
      // The other decoder's form of the same reply: one entry, both forms.
      this.#bytes -= old.size;
      old.values[slot] = value;
      old.size += sizeOf(value);
      this.#bytes += old.size;
      this.#touch(key, old);
    } else {
      if (old !== undefined) this.#remove(key, old);
      const size = key.length + sizeOf(value) + 64;
      // An entry larger than the whole cache is not kept (it would evict everything, then go).
      if (size > this.#max) return;
      const values: Entry["values"] = [undefined, undefined];
      values[slot] = value;
      const expires = this.#ttl > 0 ? performance.now() + this.#ttl : Infinity;
      this.#entries.set(key, { values, kind, size, expires, uses: 1, place: ++this.#clock });
      this.#bytes += size;
    }
    while (this.#bytes > this.#max && this.#entries.size > 0) this.#evictOne();
  }

  #touch(key: string, e: Entry): void {
    e.uses++;
    // Most recently used last; an entry still in the newer half stays where it is, so a hit
    // on a hot key costs no reordering (and eviction still takes from the older half).
    if (this.#clock - e.place > this.#entries.size >> 1) {
      this.#entries.delete(key);
      this.#entries.set(key, e);
      e.place = ++this.#clock;
    }
  }

  #remove(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= e.size;
  }

  #evictOne(): void {
    let victim: string | undefined;
    if (this.#lfu) {
      // Approximate LFU, as the server's allkeys-lfu: of the least recently used few, the
      // least used (constant work per eviction, whatever the cache's size).
      let fewest = Infinity;
      let looked = 0;
      for (const [k, e] of this.#entries) {
        if (e.uses < fewest) {
          fewest = e.uses;
          victim = k;
        }
        if (++looked === 16 || fewest <= 1) break;
      }
    } else {
      victim = this.#entries.keys().next().value;
    }
    if (victim === undefined) return;
    this.#remove(victim, this.#entries.get(victim)!);
    if (this.metrics) this.evictions++;
  }
}

const stores = new WeakMap<ClientSideCache, CacheStore>();

/**
 * The store of `cache` (one per instance, shared by the clients given it); validates the
 * configuration's `clientSideCache`. @internal
 */
export function cacheStore(cache: unknown): CacheStore | undefined {
  if (cache === undefined) return undefined;
  if (!(cache instanceof ClientSideCache)) {
    throw new ConfigurationError(
      "clientSideCache must be a ClientSideCache (ClientSideCache.create(maxCacheKb, entryTtlMs))",
    );
  }
  let store = stores.get(cache);
  if (store === undefined) stores.set(cache, store = new CacheStore(cache));
  return store;
}

/** A cache metric, as the `getCache*` methods report it. @internal */
export function cacheMetric(
  store: CacheStore | undefined,
  metric: "hitRate" | "missRate" | "entryCount" | "evictions" | "expirations" | "lookups",
): number {
  if (store === undefined) {
    throw new RequestError("client-side caching is not enabled (clientSideCache)");
  }
  if (metric === "entryCount") return store.size;
  if (!store.metrics) {
    throw new RequestError("cache metrics are not enabled (clientSideCache enableMetrics)");
  }
  const lookups = store.hits + store.misses;
  switch (metric) {
    case "hitRate":
      return lookups === 0 ? 0 : store.hits / lookups;
    case "missRate":
      return lookups === 0 ? 0 : store.misses / lookups;
    case "evictions":
      return store.evictions;
    case "expirations":
      return store.expirations;
    case "lookups":
      return lookups;
  }
}

/**
 * A `getCache*` method's answer on `engine`, as its mode reports: a Promise (async) or a value
 * (sync); a `RequestError` when the client has no cache (or, for the counters, no metrics).
 * @internal
 */
export function cacheAnswer<M extends "async" | "sync">(
  engine: Connection<M>,
  metric: Parameters<typeof cacheMetric>[1],
): Reply<M, number> {
  const store = (engine as unknown as { settings?: { cache?: CacheStore } }).settings?.cache;
  try {
    const v = cacheMetric(store, metric);
    return (engine.mode === "async" ? Promise.resolve(v) : v) as Reply<M, number>;
  } catch (e) {
    if (engine.mode === "async") return Promise.reject(e) as Reply<M, number>;
    throw e;
  }
}
