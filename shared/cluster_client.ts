/**
 * Methods only the cluster client has, not its batches: running a batch, and WATCH/UNWATCH
 * around transactions.
 * @module
 */

import { type ClusterBatch, type ClusterBatchOptions, execCommand } from "./batch.ts";
import { ClusterCommands } from "./cluster_commands.ts";
import * as transactions from "./commands/transactions.ts";
import type { Reply } from "./mode.ts";
import { routed, type RouteOption } from "./routes.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * The cluster client's methods beyond its commands: `exec`, `watch`, `unwatch`.
 *
 * @example
 * ```ts
 * import type { ClusterClientCommands } from "@glide-deno/glide";
 * type Methods = ClusterClientCommands<"async">;
 * ```
 */
export abstract class ClusterClientCommands<M extends "async" | "sync"> extends ClusterCommands<M> {
  /**
   * Sends a batch as one request. Atomic: a MULTI/EXEC transaction on the node of its keys
   * (which must share a slot) or of `route`. Non-atomic: split per node, each node's commands
   * written at once, all nodes in parallel, replies in the batch's order; commands redirected
   * by MOVED/ASK are retried alone.
   *
   * @param batch - The commands.
   * @param raiseOnError - `true`: throw the first command error; `false`: put each error
   *   (a `RequestError`) in its place.
   * @param options - `timeout`, `route` (one node), `retryStrategy` (non-atomic only),
   *   `decoder`.
   * @returns One reply per command, in order; `null` when a WATCHed key changed (atomic).
   * @example
   * ```ts
   * const batch = new ClusterBatch(false);
   * for (let i = 0; i < 100; i++) batch.set(`key:${i}`, String(i));
   * const replies = await cluster.exec(batch, false);
   * ```
   */
  exec(
    batch: ClusterBatch,
    raiseOnError: boolean,
    options?: ClusterBatchOptions & DecoderOption,
  ): Reply<M, GlideReturnType[] | null> {
    return this.run(() => execCommand(batch, raiseOnError, options, "clusterBatch"), options);
  }

  /**
   * Watches keys for the next transaction (WATCH), on the node that serves them.
   *
   * @param keys - The keys (one slot).
   * @returns "OK".
   * @example
   * ```ts
   * await cluster.watch(["{user:1}:balance"]);
   * ```
   */
  watch(keys: GlideString[]): Reply<M, "OK"> {
    return this.run(() => transactions.watch(keys));
  }

  /**
   * Forgets every watched key (UNWATCH), by default on every primary.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await cluster.unwatch();
   * ```
   */
  unwatch(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(transactions.unwatch(), options?.route));
  }
}
