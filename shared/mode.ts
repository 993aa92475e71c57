/**
 * What makes the async and sync clients differ: whether a call's result is a Promise. Every
 * command method is written once against `Reply<M, T>`.
 * @module
 */

import type { Batch, ClusterBatch } from "./batch.ts";
import type { Command } from "./command.ts";
import type { MessageSource, PubSubMsg } from "./pubsub.ts";
import type { Decoder } from "./values.ts";

/**
 * "async": methods return Promises; "sync": methods return values and block; "batch" and
 * "clusterBatch": methods add their command to a {@link Batch} / {@link ClusterBatch} and
 * return it, for chaining.
 */
export type Mode = "async" | "sync" | "batch" | "clusterBatch";

/**
 * A method's result in a mode: `Promise<T>` for the async client, `T` for the sync one.
 *
 * @example
 * ```ts
 * import type { Reply } from "@glide-deno/glide";
 * type A = Reply<"async", number>; // Promise<number>
 * type S = Reply<"sync", number>; // number
 * type B = Reply<"batch", number>; // Batch (for chaining)
 * ```
 */
export type Reply<M extends Mode, T> = M extends "async" ? Promise<T>
  : M extends "sync" ? T
  : M extends "batch" ? Batch
  : ClusterBatch;

/**
 * What a client's command methods run on: the async or the sync engine. Public only so that
 * the clients' types can name it.
 *
 * @example
 * ```ts
 * import type { Connection } from "@glide-deno/glide";
 * type AsyncEngine = Connection<"async">;
 * ```
 */
export interface Connection<M extends Mode> {
  /** Which engine this is. */
  readonly mode: M;
  /** Builds, sends and awaits one command; its shaped reply, or its typed error. */
  send<T>(build: () => Command<T>, decoder: Decoder | undefined): Reply<M, T>;
  /** The client's received pub/sub messages (clients only, not batches). */
  messages?(): MessageSource;
  /** Blocks until a message arrives (sync client only). */
  waitMessage?(decoder?: Decoder): PubSubMsg;
}

/**
 * A method made of several commands: yields each command, receives its reply, returns the
 * method's result. Both clients drive the same generator (see `BaseCommands.runSteps`).
 *
 * @example
 * ```ts
 * import type { Steps } from "@glide-deno/glide";
 * function* twice(): Steps<number> {
 *   const a = (yield { args: ["INCR", "n"] }) as number;
 *   return a + ((yield { args: ["INCR", "n"] }) as number);
 * }
 * ```
 */
export type Steps<T> = Generator<Command<unknown>, T, unknown>;

/**
 * A method's steps, made only when they first run: arguments are read inside the run (where a
 * bad one becomes a typed error) rather than while the method's call is being set up.
 *
 * @example
 * ```ts
 * import { deferred, type Steps } from "@glide-deno/glide";
 * function* one(): Steps<number> {
 *   return (yield { args: ["INCR", "n"] }) as number;
 * }
 * const steps: Steps<number> = deferred(() => one());
 * ```
 */
export function* deferred<T>(make: () => Steps<T>): Steps<T> {
  return yield* make();
}
