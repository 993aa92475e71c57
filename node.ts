/**
 * glide-deno for code ported from GLIDE Node: replace `@valkey/valkey-glide` with
 * `@glide-deno/glide/node` and nothing else. The same clients as `mod.ts`, with GLIDE Node's
 * conventions where Deno's differ: bytes replies (`Decoder.Bytes`) are `Buffer`s (over the
 * reply's memory, not copied), GLIDE's deprecated aliases (`Transaction`, `ClusterTransaction`)
 * and the constants and record helpers GLIDE exports are here too.
 *
 * @example
 * ```ts
 * import { Decoder, GlideClient } from "@glide-deno/glide/node";
 *
 * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * const bytes = await client.get("k", { decoder: Decoder.Bytes }); // a Buffer, or null
 * console.log(bytes?.toString());
 * client.close();
 * ```
 * @module
 */

import {
  Batch,
  ClusterBatch,
  GlideClient as DenoClient,
  type GlideClientConfiguration as ClientConfig,
  GlideClusterClient as DenoClusterClient,
  type GlideClusterClientConfiguration as ClusterConfig,
} from "./async.ts";
import { AsyncConnection } from "./shared/async_core.ts";
import { ClusterPubSubChannelModes, PubSubChannelModes } from "./shared/pubsub.ts";
import { toBuffers } from "./shared/node_compat.ts";
export { statistics as getStatistics } from "./shared/statistics.ts";

export * from "./async.ts";
// The Deno-flavoured clients these extend (bytes as `Uint8Array`), under names of their own.
export { DenoClient as DenoGlideClient, DenoClusterClient as DenoGlideClusterClient };
export {
  convertElementsAndScores,
  convertFieldsAndValuesToHashDataType,
  convertGlideRecord,
  convertGlideRecordToRecord,
  convertKeysAndEntries,
  convertRecordToGlideRecord,
  DEFAULT_CONNECTION_TIMEOUT_IN_MILLISECONDS,
  DEFAULT_INFLIGHT_REQUESTS_LIMIT,
  DEFAULT_REQUEST_TIMEOUT_IN_MILLISECONDS,
  isGlideRecord,
  Level,
  log,
  MAX_REQUEST_ARGS_LEN,
  parseInfoResponse,
  TIMEOUT_ERROR,
} from "./shared/node_compat.ts";

/**
 * The standalone client, as GLIDE Node's: bytes replies are `Buffer`s.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide/node";
 * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * await client.set("k", new TextEncoder().encode("v")); // a Buffer works too
 * client.close();
 * ```
 */
export class GlideClient extends DenoClient {
  /**
   * Creates a client and connects it (see `GlideClient.createClient` of `mod.ts`).
   *
   * @param config - The configuration.
   * @returns The connected client.
   * @example
   * ```ts
   * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
   * ```
   */
  static override createClient(config: ClientConfig): Promise<GlideClient> {
    return AsyncConnection.open(config, false, (conn) => new GlideClient(conn), toBuffers);
  }
}

/**
 * The cluster client, as GLIDE Node's: bytes replies are `Buffer`s.
 *
 * @example
 * ```ts
 * import { GlideClusterClient } from "@glide-deno/glide/node";
 * const client = await GlideClusterClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 7000 }],
 * });
 * client.close();
 * ```
 */
export class GlideClusterClient extends DenoClusterClient {
  /**
   * Creates a cluster client and connects it (see `GlideClusterClient.createClient` of
   * `mod.ts`).
   *
   * @param config - The configuration.
   * @returns The connected client.
   * @example
   * ```ts
   * const client = await GlideClusterClient.createClient({
   *   addresses: [{ host: "127.0.0.1", port: 7000 }],
   * });
   * ```
   */
  static override createClient(config: ClusterConfig): Promise<GlideClusterClient> {
    return AsyncConnection.open(config, true, (conn) => new GlideClusterClient(conn), toBuffers);
  }
}

/**
 * GLIDE's deprecated name for an atomic {@link Batch}: `new Transaction()` is
 * `new Batch(true)`.
 *
 * @example
 * ```ts
 * import { Transaction } from "@glide-deno/glide/node";
 * const tx = new Transaction().set("a", "1").get("a");
 * ```
 * @deprecated Use `new Batch(true)`.
 */
export class Transaction extends Batch {
  /** An atomic batch (MULTI/EXEC). */
  constructor() {
    super(true);
  }
}

/**
 * GLIDE's deprecated name for an atomic {@link ClusterBatch}: `new ClusterTransaction()` is
 * `new ClusterBatch(true)`.
 *
 * @example
 * ```ts
 * import { ClusterTransaction } from "@glide-deno/glide/node";
 * const tx = new ClusterTransaction().set("{t}a", "1").get("{t}a");
 * ```
 * @deprecated Use `new ClusterBatch(true)`.
 */
export class ClusterTransaction extends ClusterBatch {
  /** An atomic cluster batch (MULTI/EXEC on one node). */
  constructor() {
    super(true);
  }
}

/**
 * GLIDE's common base of its two clients, for `instanceof` checks in ported code: any client of
 * this module (or of `mod.ts`) is one.
 *
 * @example
 * ```ts
 * import { BaseClient, GlideClient } from "@glide-deno/glide/node";
 * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * console.log(client instanceof BaseClient); // true
 * client.close();
 * ```
 */
export abstract class BaseClient {
  /** Whether `v` is a client (standalone or cluster). */
  static [Symbol.hasInstance](v: unknown): boolean {
    return v instanceof DenoClient || v instanceof DenoClusterClient;
  }
}

/**
 * GLIDE's common base of its batches, for `instanceof` checks in ported code.
 *
 * @example
 * ```ts
 * import { BaseBatch, Batch } from "@glide-deno/glide/node";
 * console.log(new Batch(false) instanceof BaseBatch); // true
 * ```
 */
export abstract class BaseBatch {
  /** Whether `v` is a batch (standalone or cluster). */
  static [Symbol.hasInstance](v: unknown): boolean {
    return v instanceof Batch || v instanceof ClusterBatch;
  }
}

/**
 * GLIDE's `GlideClientConfiguration` namespace: `GlideClientConfiguration.PubSubChannelModes`
 * (the type of the same name is the standalone configuration, as in GLIDE).
 *
 * @example
 * ```ts
 * import { GlideClientConfiguration } from "@glide-deno/glide/node";
 * const modes = { [GlideClientConfiguration.PubSubChannelModes.Exact]: new Set(["news"]) };
 * ```
 */
export const GlideClientConfiguration: {
  readonly PubSubChannelModes: typeof PubSubChannelModes;
} = { PubSubChannelModes };
/** The standalone client's configuration (GLIDE's `GlideClientConfiguration`). */
export type GlideClientConfiguration = ClientConfig;

/**
 * GLIDE's `GlideClusterClientConfiguration` namespace:
 * `GlideClusterClientConfiguration.PubSubChannelModes` (with `Sharded`).
 *
 * @example
 * ```ts
 * import { GlideClusterClientConfiguration } from "@glide-deno/glide/node";
 * const sharded = GlideClusterClientConfiguration.PubSubChannelModes.Sharded;
 * ```
 */
export const GlideClusterClientConfiguration: {
  readonly PubSubChannelModes: typeof ClusterPubSubChannelModes;
} = { PubSubChannelModes: ClusterPubSubChannelModes };
/** The cluster client's configuration (GLIDE's `GlideClusterClientConfiguration`). */
export type GlideClusterClientConfiguration = ClusterConfig;
