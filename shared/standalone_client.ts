/**
 * Methods only the standalone client has, not its batches: running a batch, and WATCH/UNWATCH
 * around transactions.
 * @module
 */

import { type Batch, type BatchOptions, execCommand } from "./batch.ts";
import * as transactions from "./commands/transactions.ts";
import { addCacheMethods, type ClientCacheMethods } from "./cache_methods.ts";
import { addStatisticsMethods, type ClientStatisticsMethods } from "./statistics.ts";
import { addIamMethods, type IamMethods } from "./iam.ts";
import { ClientMethods } from "./client_methods.ts";
import { compose } from "./api/compose.ts";
import { subscriptions } from "./commands/subscriptions.ts";
import { configSubscriptions } from "./subscriber.ts";
import type { PubSubChannelModes, PubSubState, PubSubSubscriptions } from "./pubsub.ts";
import type { Reply } from "./mode.ts";
import { StandaloneCommands } from "./standalone_commands.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "./values.ts";

/**
 * The standalone client's methods beyond its commands: `exec`, `watch`, `unwatch`, and
 * pub/sub subscriptions and message delivery.
 *
 * @example
 * ```ts
 * import type { StandaloneClientCommands } from "@glide-deno/glide";
 * type Methods = StandaloneClientCommands<"async">;
 * ```
 */
export abstract class StandaloneClientCommands<M extends "async" | "sync">
  extends StandaloneCommands<M> {
  /**
   * Sends a batch as one request: a MULTI/EXEC transaction when it is atomic, else a
   * pipeline. Each reply is shaped as its method's would be.
   *
   * @param batch - The commands.
   * @param raiseOnError - `true`: throw the first command error; `false`: put each error
   *   (a `RequestError`) in its place in the result.
   * @param options - `timeout` (ms) for the whole batch, and `decoder` for commands without
   *   their own.
   * @returns One reply per command, in order; `null` when a WATCHed key changed (atomic).
   * @example
   * ```ts
   * await client.watch(["balance"]);
   * const tx = new Batch(true).decrBy("balance", 10).incrBy("spent", 10);
   * const result = await client.exec(tx, true); // null if "balance" changed meanwhile
   * ```
   */
  exec(
    batch: Batch,
    raiseOnError: boolean,
    options?: BatchOptions & DecoderOption,
  ): Reply<M, GlideReturnType[] | null> {
    return this.run(() => execCommand(batch, raiseOnError, options, "batch"), options);
  }

  /**
   * Watches keys for the next transaction (WATCH): `exec` of an atomic batch returns `null` if
   * one of them changes before it runs.
   *
   * @param keys - The keys.
   * @returns "OK".
   * @example
   * ```ts
   * await client.watch(["stock"]);
   * ```
   */
  watch(keys: GlideString[]): Reply<M, "OK"> {
    return this.run(() => transactions.watch(keys));
  }

  /**
   * Forgets every watched key (UNWATCH).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.unwatch();
   * ```
   */
  unwatch(): Reply<M, "OK"> {
    return this.run(() => transactions.unwatch());
  }

  /**
   * What this client is subscribed to: desired (asked for) and actual (confirmed by the
   * server), by mode.
   *
   * @returns The two states.
   * @example
   * ```ts
   * const s = await client.getSubscriptions();
   * console.log(s.actualSubscriptions[PubSubChannelModes.Exact]);
   * ```
   */
  getSubscriptions(): Reply<M, PubSubState<PubSubChannelModes>> {
    return this.run(() => subscriptions<PubSubChannelModes>());
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
 * import type { StandaloneClientCommands } from "@glide-deno/glide";
 * type HitRate = ReturnType<StandaloneClientCommands<"async">["getCacheHitRate"]>; // Promise<number>
 * ```
 */
export interface StandaloneClientCommands<M extends "async" | "sync">
  extends ClientCacheMethods<M>, ClientStatisticsMethods, IamMethods<M>, ClientMethods<M> {}
compose(StandaloneClientCommands, [ClientMethods]);
addCacheMethods(StandaloneClientCommands.prototype);
addStatisticsMethods(StandaloneClientCommands.prototype);
addIamMethods(StandaloneClientCommands.prototype);
