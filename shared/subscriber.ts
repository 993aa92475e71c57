/**
 * The pub/sub methods of the clients, written once: the client classes (standalone and
 * cluster) are thin wrappers over these.
 * @module
 */

import type { Command } from "./command.ts";
import { asArgumentError, ClosingError } from "./errors.ts";
import type { Connection, Mode, Reply, Steps } from "./mode.ts";
import type { PubSubMsg, PubSubSubscriptions } from "./pubsub.ts";
import { subscription, type SubscriptionCommand } from "./commands/subscriptions.ts";
import type { Decoder } from "./values.ts";
import { getPump } from "./async_core.ts";

/** What a pub/sub message iterator is in each mode. */
export type MessageIterator<M extends Mode> = M extends "async" ? AsyncIterableIterator<PubSubMsg>
  : IterableIterator<PubSubMsg>;

/**
 * Sends a (un)subscription without waiting for the server's confirmation (async); the sync
 * client, having no background, waits. Bad arguments still throw. @internal
 */
export function lazy<M extends Mode>(
  engine: Connection<M>,
  run: (build: () => Command<void>) => Reply<M, void>,
  build: () => Command<void>,
): Reply<M, void> {
  let cmd: Command<void>;
  try {
    cmd = build();
  } catch (e) {
    if (engine.mode === "sync") throw asArgumentError(e);
    return Promise.reject(asArgumentError(e)) as Reply<M, void>;
  }
  const sent = run(() => cmd) as unknown;
  if (sent instanceof Promise) {
    sent.catch(() => {}); // lazy: the outcome shows in getSubscriptions()
    return Promise.resolve() as Reply<M, void>;
  }
  return sent as Reply<M, void>;
}

/**
 * Wraps a subscription's builder so that the client's message queue exists before the
 * subscription is sent: a message that arrives right after the confirmation has a place to
 * go. @internal
 */
export function listening<T>(engine: Connection<Mode>, build: () => Command<T>): () => Command<T> {
  return () => {
    engine.messages!();
    return build();
  };
}

/** The next message: a Promise (async), or blocking until one arrives (sync). @internal */
export function nextMessage<M extends Mode>(engine: Connection<M>): Reply<M, PubSubMsg> {
  if (engine.mode === "sync") return engine.waitMessage!() as Reply<M, PubSubMsg>;
  return engine.messages!().next() as Reply<M, PubSubMsg>;
}

/** The next message if one has arrived, else `null`; never waits. @internal */
export function tryMessage<M extends Mode>(
  engine: Connection<M>,
  decoder?: Decoder,
): PubSubMsg | null {
  const q = engine.messages!();
  const m = q.tryNext(decoder);
  if (m) return m;
  // Take what the core has received: with nothing pending, no poll is waiting for it (and the
  // sync client has no event loop turn to receive it).
  getPump().drain();
  return q.tryNext(decoder);
}

/** Messages as they arrive, until the client closes. @internal */
export function iterate<M extends Mode>(engine: Connection<M>): MessageIterator<M> {
  if (engine.mode === "sync") {
    return (function* () {
      for (;;) {
        let m: PubSubMsg;
        try {
          m = engine.waitMessage!();
        } catch (e) {
          if (e instanceof ClosingError) return;
          throw e;
        }
        yield m;
      }
    })() as unknown as MessageIterator<M>;
  }
  const q = engine.messages!();
  return (async function* () {
    for (;;) {
      let m: PubSubMsg;
      try {
        m = await q.next();
      } catch (e) {
        if (e instanceof ClosingError) return;
        throw e;
      }
      yield m;
    }
  })() as unknown as MessageIterator<M>;
}

const SUBSCRIBE_BY_MODE: SubscriptionCommand[] = ["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"];

/**
 * The subscriptions of a client's configuration, made when it connects: the callback is set
 * first, so that no message is missed, then each mode's channels are subscribed to. @internal
 */
export function* configSubscriptions(
  engine: Connection<Mode>,
  subs: PubSubSubscriptions<number> | undefined,
  timeoutMs: number,
): Steps<void> {
  if (!subs) return;
  const q = engine.messages!();
  q.callback = subs.callback;
  q.context = subs.context;
  for (const [mode, channels] of Object.entries(subs.channelsAndPatterns ?? {})) {
    const name = SUBSCRIBE_BY_MODE[Number(mode)];
    if (channels && (channels as Set<unknown>).size > 0) {
      yield subscription(name, channels as Set<string>, timeoutMs) as Command<unknown>;
    }
  }
}
