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
import { subscription, subscriptions } from "./commands/subscriptions.ts";
import { configSubscriptions, lazy, listening } from "./subscriber.ts";
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
   * Subscribes to channels (SUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects: the client subscribes again.
   *
   * @param channels - The names.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await client.subscribe(new Set(["news"]), 1000);
   * ```
   */
  subscribe(
    channels: Iterable<GlideString>,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(listening(this.engine, () => subscription("SUBSCRIBE", channels, timeoutMs)));
  }

  /**
   * Subscribes to channels (SUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param channels - The names.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await client.subscribeLazy(new Set(["news"]));
   * ```
   */
  subscribeLazy(channels: Iterable<GlideString>, options?: DecoderOption): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("SUBSCRIBE", channels)),
    );
  }

  /**
   * Subscribes to channel patterns (PSUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects: the client subscribes again.
   *
   * @param patterns - The names.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await client.psubscribe(new Set(["news.*"]), 1000);
   * ```
   */
  psubscribe(
    patterns: Iterable<GlideString>,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(listening(this.engine, () => subscription("PSUBSCRIBE", patterns, timeoutMs)));
  }

  /**
   * Subscribes to channel patterns (PSUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param patterns - The names.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await client.psubscribeLazy(new Set(["news.*"]));
   * ```
   */
  psubscribeLazy(patterns: Iterable<GlideString>, options?: DecoderOption): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("PSUBSCRIBE", patterns)),
    );
  }

  /**
   * Unsubscribes from channels (UNSUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects: the client subscribes again.
   *
   * @param channels - The names; `null`: all of them.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await client.unsubscribe(ALL_CHANNELS, 1000);
   * ```
   */
  unsubscribe(
    channels: Iterable<GlideString> | null,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(listening(this.engine, () => subscription("UNSUBSCRIBE", channels, timeoutMs)));
  }

  /**
   * Unsubscribes from channels (UNSUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param channels - The names; `null` or none: all of them.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await client.unsubscribeLazy(new Set(["news"]));
   * ```
   */
  unsubscribeLazy(
    channels?: Iterable<GlideString> | null,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("UNSUBSCRIBE", channels)),
    );
  }

  /**
   * Unsubscribes from channel patterns (PUNSUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects: the client subscribes again.
   *
   * @param patterns - The names; `null`: all of them.
   * @param timeoutMs - How long to wait for the confirmation (0: no limit); a `TimeoutError`
   *   after it. Default: the client's request timeout.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once confirmed.
   * @example
   * ```ts
   * await client.punsubscribe(ALL_PATTERNS, 1000);
   * ```
   */
  punsubscribe(
    patterns: Iterable<GlideString> | null,
    timeoutMs?: number,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return this.run(
      listening(this.engine, () => subscription("PUNSUBSCRIBE", patterns, timeoutMs)),
    );
  }

  /**
   * Unsubscribes from channel patterns (PUNSUBSCRIBE) without waiting for the server's confirmation; `getSubscriptions()` shows
   * when it took effect. (The sync client waits for it anyway.)
   *
   * @param patterns - The names; `null` or none: all of them.
   * @param options - `decoder` (accepted for GLIDE compatibility; replies carry no strings).
   * @returns Nothing, once sent.
   * @example
   * ```ts
   * await client.punsubscribeLazy(new Set(["news.*"]));
   * ```
   */
  punsubscribeLazy(
    patterns?: Iterable<GlideString> | null,
    options?: DecoderOption,
  ): Reply<M, void> {
    void options;
    return lazy(
      this.engine,
      (b) => this.run(b),
      listening(this.engine, () => subscription("PUNSUBSCRIBE", patterns)),
    );
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
