/**
 * The root of every client's command methods: how one command, or a method made of several,
 * runs on the client's engine. Each command family extends it (see `api/`).
 * @module
 */

import type { Command } from "../command.ts";
import { asArgumentError, ConfigurationError } from "../errors.ts";
import type { Connection, Mode, Reply, Steps } from "../mode.ts";
import type { DecoderOption } from "../values.ts";

/** {@link runCommand}'s way in to a runner's protected `run`, set by the class itself. */
let runOnRunner: <M extends Mode, T>(
  runner: CommandRunner<M>,
  build: () => Command<T>,
  options?: DecoderOption,
) => Reply<M, T>;

/**
 * Runs one command on any client or batch, as its own methods do: the way in for the APIs that
 * take the client as an argument (`GlideJson`, `GlideFt`, `JsonBatch`), so that they work on
 * async and sync clients, standalone and cluster, and in batches, written once. @internal
 */
export function runCommand<M extends Mode, T>(
  runner: CommandRunner<M>,
  build: () => Command<T>,
  options?: DecoderOption,
): Reply<M, T> {
  return runOnRunner(runner, build, options);
}

/**
 * Runs commands on a client's engine; the base of every command family class. `M` decides
 * whether methods return Promises (`"async"`) or values (`"sync"`).
 *
 * @example
 * ```ts
 * import type { CommandRunner } from "@glide-deno/glide";
 * type AsyncRunner = CommandRunner<"async">;
 * ```
 */
export abstract class CommandRunner<M extends Mode> {
  readonly #conn: Connection<M>;

  static {
    runOnRunner = (runner, build, options) => runner.run(build, options);
  }

  /** @ignore */
  protected constructor(conn: Connection<M>) {
    this.#conn = conn;
  }

  /** The engine this client runs on. @ignore */
  protected get engine(): Connection<M> {
    return this.#conn;
  }

  /** Sends one command through this client. @ignore */
  protected run<T>(build: () => Command<T>, options?: DecoderOption): Reply<M, T> {
    let decoder;
    try {
      decoder = options?.decoder;
    } catch (e) {
      return this.#refuse(e);
    }
    return this.#conn.send(build, decoder);
  }

  /** An argument error, as this mode reports errors: a rejected Promise (async) or a throw. */
  #refuse(e: unknown): never {
    const error = asArgumentError(e);
    if (this.#conn.mode === "async") return Promise.reject(error) as never;
    throw error;
  }

  /**
   * Runs a method made of several commands, written once as a generator that yields each
   * command and receives its reply (or has its error thrown in). @ignore
   */
  protected runSteps<T>(steps: Steps<T>, options?: DecoderOption): Reply<M, T> {
    const conn = this.#conn;
    if (conn.mode !== "async" && conn.mode !== "sync") {
      throw new ConfigurationError(
        "this method runs several commands in turn and cannot be part of a batch",
      );
    }
    let decoder;
    try {
      decoder = options?.decoder;
    } catch (e) {
      return this.#refuse(e);
    }
    const advance = (r: IteratorResult<Command<unknown>, T>): unknown => {
      if (r.done) return r.value;
      let reply: unknown;
      try {
        reply = conn.send(() => r.value, decoder);
      } catch (e) {
        return advance(steps.throw(e));
      }
      return reply instanceof Promise
        ? reply.then((v) => advance(steps.next(v)), (e) => advance(steps.throw(e)))
        : advance(steps.next(reply));
    };
    // The generator's first step builds from the caller's arguments: a plain error there is
    // an argument error, typed as the single-command methods' are.
    const first = (): unknown => {
      let r: IteratorResult<Command<unknown>, T>;
      try {
        r = steps.next();
      } catch (e) {
        throw asArgumentError(e);
      }
      return advance(r);
    };
    if (conn.mode === "sync") return first() as Reply<M, T>;
    // Async: every outcome, a synchronous throw included, is a Promise.
    return new Promise((resolve) => resolve(first())) as Reply<M, T>;
  }
}
