/**
 * `getStatistics()` and `getClientId()`, GLIDE's client statistics, written once for both
 * clients (not their batches): each client class merges {@link ClientStatisticsMethods} into
 * its type and {@link addStatisticsMethods} into its prototype.
 * @module
 */

import { loadCore } from "./native.ts";

/** What transparent compression did in this isolate (counted by `shared/compression.ts`). @internal */
export const compressionCounts = {
  valuesCompressed: 0,
  valuesDecompressed: 0,
  originalBytes: 0,
  bytesCompressed: 0,
  bytesDecompressed: 0,
  skipped: 0,
};

/**
 * GLIDE's statistics, each a decimal string as GLIDE gives them.
 *
 * @example
 * ```ts
 * import type { ClientStatistics } from "@glide-deno/glide";
 * const open = (s: ClientStatistics) => Number(s.total_connections);
 * ```
 */
export interface ClientStatistics {
  /**
   * Connections the clients of this process hold open to servers through their own pipes (each
   * standalone node, each cluster node a request went to; the cluster's topology link and the
   * pub/sub connections are the `redis` crate's and not counted).
   */
  total_connections: string;
  /** Clients (async and sync) alive in this process, every isolate included. */
  total_clients: string;
  /** Values this isolate compressed (`compression`). */
  total_values_compressed: string;
  /** Values this isolate restored from GLIDE's compressed format. */
  total_values_decompressed: string;
  /** The size of the values this isolate compressed, before compression. */
  total_original_bytes: string;
  /** The size of the values this isolate compressed, after compression. */
  total_bytes_compressed: string;
  /** The size of the values this isolate restored, once restored. */
  total_bytes_decompressed: string;
  /** Values this isolate stored as they were: shorter than `minCompressionSize`, or no smaller. */
  compression_skipped_count: string;
  /**
   * Rounds of pub/sub reconciliation (every `pubsubReconciliationIntervalMs`, per subscribing
   * client) that found the subscriptions the server confirmed differing from those asked for,
   * and fixed them; in this process.
   */
  subscription_out_of_sync_count: string;
  /** When a reconciliation round last found a client's subscriptions in sync (ms since the epoch; "0" before any). */
  subscription_last_sync_timestamp: string;
}

/**
 * The process's statistics (GLIDE Node's top-level `getStatistics`, what every client's
 * `getStatistics()` returns).
 *
 * @returns Each statistic as a decimal string, by GLIDE's name.
 * @example
 * ```ts
 * import { getStatistics } from "@glide-deno/glide/node";
 * console.log(getStatistics().total_clients);
 * ```
 */
export function statistics(): ClientStatistics {
  const core = loadCore();
  const c = compressionCounts;
  return {
    total_connections: String(core.glide_statistic(0)),
    total_clients: String(core.glide_statistic(1)),
    total_values_compressed: String(c.valuesCompressed),
    total_values_decompressed: String(c.valuesDecompressed),
    total_original_bytes: String(c.originalBytes),
    total_bytes_compressed: String(c.bytesCompressed),
    total_bytes_decompressed: String(c.bytesDecompressed),
    compression_skipped_count: String(c.skipped),
    subscription_out_of_sync_count: String(core.glide_statistic(2)),
    subscription_last_sync_timestamp: String(core.glide_statistic(3)),
  };
}

/**
 * `getStatistics` and `getClientId` of `GlideClient` and `GlideClusterClient` (async and sync).
 *
 * @example
 * ```ts
 * import type { ClientStatisticsMethods } from "@glide-deno/glide";
 * type Stats = ReturnType<ClientStatisticsMethods["getStatistics"]>;
 * ```
 */
export interface ClientStatisticsMethods {
  /**
   * The statistics GLIDE's core collects ({@link ClientStatistics}), at once (no server call).
   *
   * @returns Each statistic as a decimal string, by GLIDE's name.
   * @example
   * ```ts
   * console.log(client.getStatistics().total_connections);
   * ```
   */
  getStatistics(): ClientStatistics;

  /**
   * The client's handle in the core (GLIDE's `getClientId`: not the server's `CLIENT ID`, which
   * `clientId()` returns).
   *
   * @returns A positive number, unique among the process's live clients.
   * @example
   * ```ts
   * console.log(client.getClientId());
   * ```
   */
  getClientId(): number;
}

/** Gives a client class's prototype the {@link ClientStatisticsMethods}. @internal */
export function addStatisticsMethods(proto: object): void {
  const methods: Record<string, (this: unknown) => unknown> = {
    getStatistics: statistics,
    getClientId(this: unknown) {
      return (this as { engine: { handle: number } }).engine.handle;
    },
  };
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true });
  }
}
