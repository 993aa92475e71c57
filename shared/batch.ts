/**
 * Batches: `Batch` (standalone) and `ClusterBatch` collect commands through the same methods
 * as the clients (every family class, written once), and `exec` sends them as one request: a
 * MULTI/EXEC transaction when atomic, a pipeline otherwise.
 * @module
 */

import type { BatchBody, Command } from "./command.ts";
import { ClusterCommands } from "./cluster_commands.ts";
import { asArgumentError, ConfigurationError, RequestError } from "./errors.ts";
import { finish } from "./decode.ts";
import type { Connection, ModeName } from "./mode.ts";
import type { SingleNodeRoute } from "./routes.ts";
import { StandaloneCommands } from "./standalone_commands.ts";
import type { Decoder, GlideReturnType } from "./values.ts";

/** The commands a batch has collected, with their decoders. @internal */
class Collector<M extends Batch | ClusterBatch> implements Connection<M> {
  readonly commands: Command<unknown>[] = [];
  readonly decoders: (Decoder | undefined)[] = [];
  owner!: M;

  constructor(readonly mode: ModeName<M>) {}

  send<T>(build: () => Command<T>, decoder: Decoder | undefined): never {
    let cmd: Command<T>;
    try {
      cmd = build();
    } catch (e) {
      throw asArgumentError(e);
    }
    if (cmd.route !== undefined && this.mode === "clusterBatch") {
      throw new ConfigurationError(
        "commands in a ClusterBatch take no route: give the batch one in exec's options",
      );
    }
    this.commands.push(cmd as Command<unknown>);
    this.decoders.push(cmd.decoder ?? decoder);
    return this.owner as never;
  }
}

const collectors = new WeakMap<object, Collector<Batch | ClusterBatch>>();

/**
 * A batch of commands for the standalone client: every command method of `GlideClient`,
 * chained, then sent with `client.exec(batch, raiseOnError)`. Atomic batches run as one
 * MULTI/EXEC transaction; others as one pipeline (one write, one FFI call).
 *
 * @example
 * ```ts
 * import { Batch, GlideClient } from "@glide-deno/glide";
 * await using client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * const batch = new Batch(true).set("a", "1").incr("a").get("a");
 * console.log(await client.exec(batch, true)); // ["OK", 2, "2"]
 * ```
 */
export class Batch extends StandaloneCommands<Batch> {
  /** Whether the batch runs as a MULTI/EXEC transaction. */
  readonly isAtomic: boolean;

  /**
   * Creates an empty batch.
   *
   * @param isAtomic - `true`: a transaction (MULTI/EXEC); `false`: a pipeline.
   */
  constructor(isAtomic: boolean) {
    const collector = new Collector("batch");
    super(collector);
    collector.owner = this;
    collectors.set(this, collector);
    this.isAtomic = isAtomic;
  }

  /** How many commands the batch holds. */
  get length(): number {
    return collectors.get(this)!.commands.length;
  }
}

/**
 * A batch of commands for the cluster client. An atomic one runs as a transaction on one node
 * (all its keys must share a slot); a non-atomic one is split per node, sent in parallel, and
 * its replies returned in order. Commands in it take no route: `exec`'s options give the
 * batch one.
 *
 * @example
 * ```ts
 * import { ClusterBatch, GlideClusterClient } from "@glide-deno/glide";
 * await using client = await GlideClusterClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 7000 }],
 * });
 * const batch = new ClusterBatch(false).set("a", "1").set("b", "2").mget(["a", "b"]);
 * console.log(await client.exec(batch, true)); // ["OK", "OK", ["1", "2"]]
 * ```
 */
export class ClusterBatch extends ClusterCommands<ClusterBatch> {
  /** Whether the batch runs as a MULTI/EXEC transaction. */
  readonly isAtomic: boolean;

  /**
   * Creates an empty cluster batch.
   *
   * @param isAtomic - `true`: a transaction on one node; `false`: a pipeline split per node.
   */
  constructor(isAtomic: boolean) {
    const collector = new Collector("clusterBatch");
    super(collector);
    collector.owner = this;
    collectors.set(this, collector);
    this.isAtomic = isAtomic;
  }

  /** How many commands the batch holds. */
  get length(): number {
    return collectors.get(this)!.commands.length;
  }
}

/**
 * Options of `exec` on the standalone client.
 *
 * @example
 * ```ts
 * import type { BatchOptions } from "@glide-deno/glide";
 * const o: BatchOptions = { timeout: 1000 };
 * ```
 */
export interface BatchOptions {
  /** How long the whole batch may take, in ms (default: the client's request timeout). */
  timeout?: number;
}

/**
 * Options of `exec` on the cluster client.
 *
 * @example
 * ```ts
 * import type { ClusterBatchOptions } from "@glide-deno/glide";
 * const o: ClusterBatchOptions = {
 *   route: { type: "primarySlotKey", key: "user:1" },
 *   retryStrategy: { retryServerError: true, retryConnectionError: false },
 * };
 * ```
 */
export interface ClusterBatchOptions extends BatchOptions {
  /** Send the whole batch to this node (default: by its keys). */
  route?: SingleNodeRoute;
  /**
   * For non-atomic batches: which failed commands to retry (redirects are always followed).
   * Retrying may run a command twice, or out of order with its neighbours.
   */
  retryStrategy?: BatchRetryStrategy;
}

/**
 * Which commands of a cluster pipeline are retried after a failure.
 *
 * @example
 * ```ts
 * import type { BatchRetryStrategy } from "@glide-deno/glide";
 * const s: BatchRetryStrategy = { retryServerError: true, retryConnectionError: true };
 * ```
 */
export interface BatchRetryStrategy {
  /** Retry commands that failed with TRYAGAIN or CLUSTERDOWN. */
  retryServerError: boolean;
  /** Retry commands whose node connection failed. */
  retryConnectionError: boolean;
}

/**
 * The request `exec` sends for `batch`, with its replies shaped by each command's own shaping.
 * @internal
 */
export function execCommand(
  batch: Batch | ClusterBatch,
  raiseOnError: boolean,
  options: ClusterBatchOptions | undefined,
  mode: "batch" | "clusterBatch",
): Command<GlideReturnType[] | null> {
  const collector = collectors.get(batch);
  if (collector === undefined) {
    throw new ConfigurationError("exec needs a Batch (standalone) or a ClusterBatch (cluster)");
  }
  if ((mode === "clusterBatch") !== (collector.mode === "clusterBatch")) {
    throw new ConfigurationError(
      collector.mode === "clusterBatch"
        ? "a ClusterBatch runs on GlideClusterClient; use Batch with GlideClient"
        : "a Batch runs on GlideClient; use ClusterBatch with GlideClusterClient",
    );
  }
  if (collector.commands.length === 0) {
    throw new ConfigurationError("the batch is empty");
  }
  const retry = options?.retryStrategy;
  if (retry && batch.isAtomic) {
    throw new ConfigurationError("retryStrategy is not supported for atomic batches");
  }
  const timeout = options?.timeout;
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || timeout <= 0)) {
    throw new ConfigurationError(`timeout must be a positive integer (ms), got ${timeout}`);
  }
  const commands = collector.commands.slice();
  const body: BatchBody = {
    atomic: batch.isAtomic,
    commands,
    decoders: collector.decoders.slice(),
    retryServerError: retry?.retryServerError,
    retryConnectionError: retry?.retryConnectionError,
  };
  const shape = (reply: GlideReturnType): GlideReturnType[] | null => {
    if (reply === null) return null; // a WATCHed key changed
    const items = reply as GlideReturnType[];
    const out: GlideReturnType[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item instanceof RequestError) {
        if (raiseOnError) throw item;
        out[i] = item;
        continue;
      }
      try {
        out[i] = finish(item, commands[i]?.shape) as GlideReturnType;
      } catch (e) {
        if (raiseOnError) throw e;
        out[i] = e instanceof RequestError ? e : new RequestError(String(e));
      }
    }
    return out;
  };
  return {
    args: ["EXEC"],
    batch: body,
    shape,
    timeoutMs: timeout,
    route: options?.route,
  };
}
