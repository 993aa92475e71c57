/**
 * The client-side cache's metrics methods (`getCacheHitRate` and kin), written once for both
 * clients (not their batches): each client class merges {@link ClientCacheMethods} into its
 * type and {@link addCacheMethods} into its prototype.
 * @module
 */

import { cacheAnswer } from "./client_side_cache.ts";
import type { Connection, Reply } from "./mode.ts";

/**
 * The `getCache*` methods of `GlideClient` and `GlideClusterClient` (async and sync).
 *
 * @example
 * ```ts
 * import type { ClientCacheMethods } from "@glide-deno/glide";
 * type Metrics = ClientCacheMethods<"async">;
 * ```
 */
export interface ClientCacheMethods<M extends "async" | "sync"> {
  /**
   * The share of cacheable reads (GET, HGETALL, SMEMBERS) answered by the client-side cache,
   * from 0 to 1. Needs `clientSideCache` with `enableMetrics`, else a `RequestError`.
   *
   * @returns Hits / (hits + misses); 0 before any lookup.
   * @example
   * ```ts
   * console.log(await client.getCacheHitRate()); // e.g. 0.9
   * ```
   */
  getCacheHitRate(): Reply<M, number>;

  /**
   * The share of cacheable reads the client-side cache could not answer, from 0 to 1. Needs
   * `clientSideCache` with `enableMetrics`, else a `RequestError`.
   *
   * @returns Misses / (hits + misses); 0 before any lookup.
   * @example
   * ```ts
   * console.log(await client.getCacheMissRate()); // e.g. 0.1
   * ```
   */
  getCacheMissRate(): Reply<M, number>;

  /**
   * How many entries the client-side cache holds (shared by the clients given the same
   * cache). Needs `clientSideCache`, else a `RequestError`.
   *
   * @returns The entry count.
   * @example
   * ```ts
   * console.log(await client.getCacheEntryCount());
   * ```
   */
  getCacheEntryCount(): Reply<M, number>;

  /**
   * How many entries the client-side cache evicted to stay within `maxCacheKb`. Needs
   * `clientSideCache` with `enableMetrics`, else a `RequestError`.
   *
   * @returns The eviction count.
   * @example
   * ```ts
   * console.log(await client.getCacheEvictions());
   * ```
   */
  getCacheEvictions(): Reply<M, number>;

  /**
   * How many entries of the client-side cache expired (`entryTtlMs`). Needs
   * `clientSideCache` with `enableMetrics`, else a `RequestError`.
   *
   * @returns The expiration count.
   * @example
   * ```ts
   * console.log(await client.getCacheExpirations());
   * ```
   */
  getCacheExpirations(): Reply<M, number>;

  /**
   * How many cacheable reads looked in the client-side cache (hits and misses). Needs
   * `clientSideCache` with `enableMetrics`, else a `RequestError`.
   *
   * @returns The lookup count.
   * @example
   * ```ts
   * console.log(await client.getCacheTotalLookups());
   * ```
   */
  getCacheTotalLookups(): Reply<M, number>;
}

/** Gives a client class's prototype the {@link ClientCacheMethods}. @internal */
export function addCacheMethods(proto: object): void {
  const engine = (self: unknown) => (self as { engine: Connection<"async" | "sync"> }).engine;
  const methods: Record<string, Parameters<typeof cacheAnswer>[1]> = {
    getCacheHitRate: "hitRate",
    getCacheMissRate: "missRate",
    getCacheEntryCount: "entryCount",
    getCacheEvictions: "evictions",
    getCacheExpirations: "expirations",
    getCacheTotalLookups: "lookups",
  };
  for (const [name, metric] of Object.entries(methods)) {
    Object.defineProperty(proto, name, {
      value: function (this: unknown) {
        return cacheAnswer(engine(this), metric);
      },
      writable: true,
      configurable: true,
    });
  }
}
