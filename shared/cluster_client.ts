/**
 * Methods only the cluster client has, not its batches: running a batch, and WATCH/UNWATCH
 * around transactions.
 * @module
 */

import { type ClusterBatch, type ClusterBatchOptions, execCommand } from "./batch.ts";
import { ClusterCommands } from "./cluster_commands.ts";
import * as transactions from "./commands/transactions.ts";
import { addCacheMethods, type ClientCacheMethods } from "./cache_methods.ts";
import { addStatisticsMethods, type ClientStatisticsMethods } from "./statistics.ts";
import { addIamMethods, type IamMethods } from "./iam.ts";
import { ClientMethods } from "./client_methods.ts";
import { compose } from "./api/compose.ts";
import { subscription, subscriptions } from "./commands/subscriptions.ts";
import { configSubscriptions, lazy, listening } from "./subscriber.ts";
import type { ClusterPubSubChannelModes, PubSubState, PubSubSubscriptions } from "./pubsub.ts";
import type { Reply } from "./mode.ts";
import { routed, type RouteOption } from "./routes.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * The cluster client's methods beyond its commands: `exec`, `watch`, `unwatch`, and pub/sub
 * subscriptions (sharded too) and message delivery.
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

  /**
   * Subscribes to sharded channels (each on its slot's primary) (SSUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects and topology changes: the client subscribes again.
   *
   * @param channels - The names.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await cluster.ssubscribe(new Set(["orders"]), 1000);
   * ```
   */
  ssubscribe(
    channels: Iterable<GlideString>,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(listening(this.engine, () => subscription("SSUBSCRIBE", channels, timeoutMs)));
  }

  /**
   * Subscribes to sharded channels (SSUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param channels - The names.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await cluster.ssubscribeLazy(new Set(["orders"]));
   * ```
   */
  ssubscribeLazy(channels: Iterable<GlideString>, options?: DecoderOption): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("SSUBSCRIBE", channels)),
    );
  }

  /**
   * Unsubscribes from sharded channels (SUNSUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects and topology changes: the client subscribes again.
   *
   * @param channels - The names; `null`: all of them.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await cluster.sunsubscribe(ALL_SHARDED_CHANNELS, 1000);
   * ```
   */
  sunsubscribe(
    channels: Iterable<GlideString> | null,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(
      listening(this.engine, () => subscription("SUNSUBSCRIBE", channels, timeoutMs)),
    );
  }

  /**
   * Unsubscribes from sharded channels (SUNSUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param channels - The names; `null` or none: all of them.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await cluster.sunsubscribeLazy(new Set(["orders"]));
   * ```
   */
  sunsubscribeLazy(
    channels?: Iterable<GlideString> | null,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("SUNSUBSCRIBE", channels)),
    );
  }

  /**
   * What this client is subscribed to: desired (asked for) and actual (confirmed by the
   * server), by mode.
   *
   * @returns The two states.
   * @example
   * ```ts
   * const s = await cluster.getSubscriptions();
   * console.log(s.actualSubscriptions[ClusterPubSubChannelModes.Exact]);
   * ```
   */
  getSubscriptions(): Reply<M, PubSubState<ClusterPubSubChannelModes>> {
    return this.run(() => subscriptions<ClusterPubSubChannelModes>());
  }

  /** Subscribes to what the configuration lists (at creation). @ignore */
  protected subscribeFromConfig(
    subs: PubSubSubscriptions<number> | undefined,
    timeoutMs: number,
  ): Reply<M, void> {
    return this.runSteps(configSubscriptions(this.engine, subs, timeoutMs));
  }
}

/**
 * The client's `getCache*` methods ({@link ClientCacheMethods}) and `getStatistics` /
 * `getClientId` ({@link ClientStatisticsMethods}), `refreshIamToken` ({@link IamMethods}), and
 * pub/sub message consumption and `updateConnectionPassword` ({@link ClientMethods}), written
 * once for both clients.
 *
 * @example
 * ```ts
 * import type { ClusterClientCommands } from "@glide-deno/glide";
 * type HitRate = ReturnType<ClusterClientCommands<"async">["getCacheHitRate"]>; // Promise<number>
 * ```
 */
export interface ClusterClientCommands<M extends "async" | "sync">
  extends ClientCacheMethods<M>, ClientStatisticsMethods, IamMethods<M>, ClientMethods<M> {}
compose(ClusterClientCommands, [ClientMethods]);
addCacheMethods(ClusterClientCommands.prototype);
addStatisticsMethods(ClusterClientCommands.prototype);
addIamMethods(ClusterClientCommands.prototype);
