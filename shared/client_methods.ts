/**
 * The methods both clients have beyond their commands, written once: (un)subscribing to
 * channels and patterns (the cluster's sharded channels stay in `cluster_client.ts`), pub/sub
 * message consumption (`getPubSubMessage`, `tryGetPubSubMessage`, `messages`) and
 * `updateConnectionPassword`. Composed into `StandaloneClientCommands` and
 * `ClusterClientCommands` (see `api/compose.ts`).
 * @module
 */

import { CommandRunner } from "./api/runner.ts";
import { updatePassword } from "./commands/credentials.ts";
import type { Reply } from "./mode.ts";
import type { PubSubMsg } from "./pubsub.ts";
import { subscription } from "./commands/subscriptions.ts";
import {
  iterate,
  lazy,
  listening,
  type MessageIterator,
  nextMessage,
  tryMessage,
} from "./subscriber.ts";
import type { Decoder, DecoderOption, GlideString } from "./values.ts";

/**
 * Subscriptions, pub/sub message consumption and password rotation, on both clients (async
 * and sync).
 *
 * @example
 * ```ts
 * import type { ClientMethods } from "@glide-deno/glide";
 * type Next = ReturnType<ClientMethods<"async">["getPubSubMessage"]>; // Promise<PubSubMsg>
 * ```
 */
export abstract class ClientMethods<M extends "async" | "sync"> extends CommandRunner<M> {
  /**
   * Subscribes to channels (SUBSCRIBE) and waits until the server confirms it. The subscription is kept across
   * reconnects (and a cluster's topology changes): the client
   * subscribes again.
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
   * reconnects (and a cluster's topology changes): the client
   * subscribes again.
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
   * reconnects (and a cluster's topology changes): the client
   * subscribes again.
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
   * reconnects (and a cluster's topology changes): the client
   * subscribes again.
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
   * The next pub/sub message (when the configuration has no callback): a Promise that
   * resolves when one arrives (async), or a blocking wait (sync). Rejects with `ClosingError`
   * when the client closes.
   *
   * @returns The message.
   * @example
   * ```ts
   * const msg = await client.getPubSubMessage();
   * console.log(msg.channel, msg.message);
   * ```
   */
  getPubSubMessage(): Reply<M, PubSubMsg> {
    return nextMessage(this.engine);
  }

  /**
   * The next pub/sub message if one has arrived, else `null`; never waits.
   *
   * @param decoder - How to decode it (default: the client's).
   * @returns The message, or `null`.
   * @example
   * ```ts
   * const msg = client.tryGetPubSubMessage();
   * if (msg) console.log(msg.message);
   * ```
   */
  tryGetPubSubMessage(decoder?: Decoder): PubSubMsg | null {
    return tryMessage(this.engine, decoder);
  }

  /**
   * Pub/sub messages as they arrive, until the client closes: an async iterator for the async
   * client, a (blocking) iterator for the sync one.
   *
   * @returns The iterator.
   * @example
   * ```ts
   * for await (const msg of client.messages()) {
   *   console.log(msg.channel, msg.message);
   *   if (msg.message === "bye") break;
   * }
   * ```
   */
  messages(): MessageIterator<M> {
    return iterate(this.engine);
  }

  /**
   * Changes the password the client authenticates with. Reconnections use the new one; with
   * `immediateAuth`, the client re-authenticates now (standalone: AUTH on its connection;
   * cluster: its connections to every node are remade), so a wrong password is this call's error. Rotate the server's password first (e.g.
   * `CONFIG SET requirepass` or ACL SETUSER), then call this. The password never appears in
   * errors or logs. Subscriptions keep the connection (and password) they were made with.
   *
   * @param password - The new password, or `null` to stop authenticating.
   * @param immediateAuth - Re-authenticate now (default: on the next reconnection).
   * @returns "OK".
   * @example
   * ```ts
   * await client.updateConnectionPassword("n3w-s3cret", true);
   * ```
   */
  updateConnectionPassword(password: string | null, immediateAuth = false): Reply<M, "OK"> {
    return this.run(() => updatePassword(password, immediateAuth));
  }
}
