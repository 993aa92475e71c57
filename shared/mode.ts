/**
 * What makes the async and sync clients differ: whether a call's result is a Promise. Every
 * command method is written once against `Reply<M, T>`.
 * @module
 */

import type { Command } from "./command.ts";
import type { MessageSource, PubSubMsg } from "./pubsub.ts";
import type { Decoder } from "./values.ts";

/**
 * What a batch is to the command methods it shares with the clients: their mode, and what they
 * return for chaining (the batch itself, as GLIDE's `BaseBatch<T extends BaseBatch<T>>`).
 *
 * @example
 * ```ts
 * import type { BatchSelf } from "@glide-deno/glide";
 * const b: BatchSelf = { isAtomic: true };
 * ```
 */
export interface BatchSelf {
  /** Whether the batch runs as a MULTI/EXEC transaction. */
  readonly isAtomic: boolean;
}

/**
 * "async": methods return Promises; "sync": methods return values and block; a batch type
 * (`Batch`, `ClusterBatch`): methods add their command to that batch and return it, for
 * chaining.
 *
 * @example
 * ```ts
 * import type { Batch, Mode } from "@glide-deno/glide";
 * const modes: Mode[] = ["async", "sync"];
 * type Chaining = Extract<Batch, Mode>; // Batch
 * ```
 */
export type Mode = "async" | "sync" | BatchSelf;

/**
 * The name an engine goes by at run time: "async", "sync", or for a batch "batch" (standalone)
 * or "clusterBatch".
 *
 * @example
 * ```ts
 * import type { ModeName } from "@glide-deno/glide";
 * const name: ModeName<"sync"> = "sync";
 * ```
 */
export type ModeName<M extends Mode> = M extends "async" | "sync" ? M : "batch" | "clusterBatch";

/**
 * A method's result in a mode: `Promise<T>` for the async client, `T` for the sync one, the
 * batch itself for a batch.
 *
 * @example
 * ```ts
 * import type { Batch, Reply } from "@glide-deno/glide";
 * type A = Reply<"async", number>; // Promise<number>
 * type S = Reply<"sync", number>; // number
 * type B = Reply<Batch, number>; // Batch (for chaining)
 * ```
 */
export type Reply<M extends Mode, T> = M extends "async" ? Promise<T>
  : M extends "sync" ? T
  : M;

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
  readonly mode: ModeName<M>;
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
