/**
 * The async client's engine. Requests made in the same tick are encoded into one buffer and
 * handed to the core in one FFI call (`glide_submit`). Each isolate (the main thread, a Worker,
 * each of `deno serve --parallel`'s) opens a completion queue of its own in the core, and the
 * completions of the clients it made come back through that queue only. While requests are
 * pending, one wait per isolate is outstanding: a read of its wake-up socket (`./wakeup.ts`:
 * the core writes a byte when the queue fills, and Deno's event loop wakes for it), or where
 * that is not permitted, a long poll (`glide_wait_ready`, a nonblocking FFI call on one Deno
 * blocking-pool thread). When it ends, JS drains every ready completion with sync `glide_drain`
 * calls. Never one wait per request, one wake-up carries as many replies as are ready, and no
 * core thread ever calls into JS or writes into its memory outside a synchronous call. When the isolate's
 * thread ends (a terminated Worker), the core closes its queue and every client made on it.
 * @module
 */

import { QueuedResolver, withResolverId } from "./address_resolver.ts";
import type { IamMethods } from "./iam.ts";
import { type CommandSpan, startSpan, tracing } from "./opentelemetry.ts";
import type { Command } from "./command.ts";
import type { Connection } from "./mode.ts";
import {
  type ClientSettings,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  type Subscribing,
  validated,
} from "./config.ts";
import { compressCommand } from "./compression.ts";
import type { CacheStore } from "./client_side_cache.ts";
import { finish, replyMarks, ReplyReader } from "./decode.ts";
import { RequestWriter } from "./encode.ts";
import {
  asArgumentError,
  CLIENT_CLOSED,
  ClosingError,
  ConfigurationError,
  errorFromStatus,
  RequestError,
  Status,
} from "./errors.ts";
import { type Core, lastError, loadCore, prepareCore } from "./native.ts";
import { Decoder, type GlideReturnType } from "./values.ts";
import { MessageQueue } from "./pubsub.ts";
import { WakeSocket } from "./wakeup.ts";
import { JsIo, jsIoWanted, prepareJsIo } from "./js_io.ts";
import { CircuitBreaker } from "./circuit_breaker.ts";
import { PendingTable } from "./pending_table.ts";

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  decoder: Decoder;
  /** A batch's per-command decoders. */
  decoders?: readonly (Decoder | undefined)[];
  shape: ((reply: GlideReturnType) => unknown) | undefined;
  owner: AsyncConnection | undefined;
  /** Its OpenTelemetry span, when sampled. */
  span: CommandSpan | undefined;
}

const NEEDS_MORE = 0x8000_0000;

/** How long one long poll waits before it is renewed (a safety net; completions end it). */
const POLL_MS = 1000;

/** Routes completions from the core to the Promises waiting for them. One per isolate. */
class CompletionPump {
  readonly pending = new PendingTable<Pending>();
  /** Each subscribing client's received messages, by client handle. */
  readonly queues = new Map<number, MessageSink>();
  /** The client-side caches the server invalidates (serverAssisted), by client handle. */
  readonly caches = new Map<number, CacheStore>();
  /** The clients' address resolvers, by resolver id (their questions are `resolve` records). */
  readonly resolvers = new Map<number, QueuedResolver>();
  #nextId = 0;
  #buf = new Uint8Array(256 * 1024);
  #reader = new ReplyReader(this.#buf);
  /** Whether a wait (a read of the wake-up socket, or a long poll) is outstanding. */
  #waiting = false;
  /** The wake-up socket, while async clients are open and one could be connected. */
  #wake: WakeSocket | undefined;
  #opening: Promise<void> | undefined;
  /** Async clients open (or connecting) on this pump. */
  #clients = 0;
  /** This isolate's completion queue in the core. */
  readonly queue: number;
  /** The sockets this isolate owns, with `GLIDE_DENO_IO=js` (js_io.ts). */
  readonly io: JsIo | undefined;

  constructor(readonly core: Core) {
    this.queue = core.glide_queue_open();
    if (this.queue === 0) {
      throw new ConfigurationError("glide-deno: the core could not open a completion queue");
    }
    if (jsIoWanted() && core.glide_io_enable(this.queue) === 1) {
      this.io = new JsIo(core, this.queue, () => this.drain());
    }
  }

  nextId(): number {
    this.#nextId = (this.#nextId + 1) >>> 0 || 1;
    return this.#nextId;
  }

  /**
   * Keeps one wait for completions (a wake-up socket read, or a long poll) outstanding while
   * requests are pending, or while a subscribing client has a callback to feed or a reader
   * waiting. The outstanding wait is what keeps the process alive; an idle process has none and
   * can exit.
   */
  start(): void {
    if (!this.#busy()) return;
    if (this.#waiting) {
      // With sockets of its own (js_io.ts), an idle pump keeps its wait, unref'd.
      if (this.io) this.#wake?.conn.ref();
      return;
    }
    this.#waiting = true;
    const wake = this.#wake;
    if (wake) {
      wake.conn.ref();
      wake.wait().then((rang) => this.#woken(wake, rang));
    } else this.core.glide_wait_ready(this.queue, POLL_MS).then(this.#polled, this.#polled);
  }

  #polled = (): void => {
    this.#waiting = false;
    this.drain();
    this.start();
  };

  #woken(wake: WakeSocket, rang: boolean): void {
    if (!rang && this.#wake === wake) {
      // The socket ended under us: the long poll takes over.
      wake.close();
      this.#wake = undefined;
    }
    this.#polled();
  }

  /**
   * Counts an async client in; the first one connects the wake-up socket (when permitted),
   * which the pump then waits on instead of the long poll.
   */
  async attach(): Promise<void> {
    this.#clients++;
    if (this.#wake) return;
    this.#opening ??= WakeSocket.open(this.core, this.queue).then((wake) => {
      this.#opening = undefined;
      if (this.#clients > 0 && !this.#wake) this.#wake = wake;
      else wake?.close();
    });
    await this.#opening;
  }

  /** Counts an async client out; with none left, the wake-up socket closes. */
  detach(): void {
    if (--this.#clients > 0) return;
    this.#clients = 0;
    this.#wake?.close();
    this.#wake = undefined;
  }

  #busy(): boolean {
    if (this.pending.size > 0) return true;
    for (const q of this.queues.values()) if (q.wantsMessages) return true;
    return false;
  }

  #idle(): void {
    if (this.#busy() || !this.#waiting) return;
    // Nothing to wait for: the isolate may exit. With sockets of its own (js_io.ts), replies
    // come without the wait ending, so the wait stays, unref'd, instead of being rung to an end
    // after each reply (a write and a wake-up more per request).
    if (this.io && this.#wake) this.#wake.conn.unref();
    else this.core.glide_wake(this.queue);
  }

  /**
   * Applies what the core holds before a client-side cache lookup (the server's invalidations
   * come in order with the replies): a cheap check, and a drain only when there is something.
   */
  drainInvalidations(): void {
    if (this.core.glide_queue_ready(this.queue) !== 0) this.drain();
  }

  /** Takes every ready completion from the core and settles its Promise. */
  drain(): void {
    for (;;) {
      const n = this.core.glide_drain(this.queue, this.#buf, this.#buf.length);
      if (n === 0) {
        this.io?.flush();
        return this.#idle();
      }
      if (n >= NEEDS_MORE) {
        this.#buf = new Uint8Array(n - NEEDS_MORE);
        continue;
      }
      this.#dispatch(n);
      if (this.#buf.length > 8 * 1024 * 1024) this.#buf = new Uint8Array(256 * 1024);
    }
  }

  /** Drops the keep-alive once nothing is pending. */
  settle(): void {
    this.#idle();
  }

  #dispatch(end: number): void {
    const r = this.#reader;
    r.reset(this.#buf);
    while (r.pos < end) {
      const bodyLen = r.u32();
      const next = r.pos + bodyLen;
      const id = r.u32();
      if (id === 0) {
        // A pub/sub message: status 0, the client's handle, the push.
        r.u8();
        const handle = r.u32();
        try {
          const push = r.value(Decoder.Bytes) as unknown as { kind: string; values: unknown[] };
          if (push.kind === "invalidate") this.caches.get(handle)?.invalidated(push.values);
          else if (push.kind === "resolve") this.resolvers.get(handle)?.question(push.values);
          else if (push.kind === "glide-io-socket") this.io?.adopt(Number(push.values[0]));
          else if (push.kind === "glide-io-close") this.io?.close(Number(push.values[0]));
          else if (push.kind === "glide-io-write") { /* written after the drain */ }
          else this.queues.get(handle)?.push(push);
        } catch {
          // A malformed record is dropped; the rest of the batch is still read.
        }
        r.pos = next;
        continue;
      }
      const p = this.pending.get(id);
      if (p === undefined) {
        r.pos = next; // its caller gave up (client closed)
        continue;
      }
      this.pending.delete(id);
      if (p.owner) p.owner.inflight--;
      try {
        const status = r.u8();
        p.owner?.breaker?.record(status, p.owner.inflight);
        if (status !== Status.Ok) {
          const error = r.error(status);
          p.span?.end(error);
          p.reject(error);
        } else {
          p.span?.end();
          replyMarks.untracked = false;
          const v = p.decoders ? r.items(p.decoder, p.decoders) : r.value(p.decoder);
          const out = finish(v, p.shape);
          const convert = p.owner?.settings.convert;
          p.resolve(convert ? convert(out) : out);
        }
      } catch (e) {
        p.reject(e);
      }
      r.pos = next;
    }
  }
}

let pump: CompletionPump | undefined;

/** This isolate's completion pump (made on first use). @internal */
export function getPump(): CompletionPump {
  return pump ??= new CompletionPump(loadCore());
}

/** Where a client's message records go: its pub/sub messages, or a monitor's lines. @internal */
export interface MessageSink {
  /** A message record of the client: its kind and values. */
  push(raw: { kind: string; values: unknown[] }): void;
  /** Whether the sink holds JS's event loop (readers wait, or a callback is fed). */
  readonly wantsMessages: boolean;
  /** The client closed. */
  close(): void;
}

/**
 * Registers the sink `make` builds (given the function to call when a reader starts waiting)
 * as client `handle`'s. @internal
 */
export function registerSink<S extends MessageSink>(
  handle: number,
  make: (onWait: () => void) => S,
): S {
  const p = getPump();
  const sink = make(() => p.start());
  p.queues.set(handle, sink);
  return sink;
}

/**
 * The message queue of client `handle`, made and registered on first use. While a reader waits
 * on it, or it has a callback to feed, the pump keeps the process alive. @internal
 */
export function messageQueue(handle: number, decoder: Decoder): MessageQueue {
  const q = getPump().queues.get(handle);
  if (q instanceof MessageQueue) return q;
  return registerSink(handle, (onWait) => new MessageQueue(decoder, onWait));
}

/** Forgets client `handle` (it closed): its message queue (its readers end) and its cache. */
export function forgetClient(handle: number): void {
  if (!pump) return;
  pump.caches.delete(handle);
  const q = pump.queues.get(handle);
  if (q) {
    pump.queues.delete(handle);
    q.close();
    pump.settle();
  }
}

/** One async client's link to the core. @internal */
export class AsyncConnection implements Connection<"async"> {
  readonly mode = "async";
  inflight = 0;
  /** The client's circuit breaker, if it has one. */
  readonly breaker: CircuitBreaker | undefined;
  #closed = false;
  #scheduled = false;
  #writer = new RequestWriter();
  readonly #pump: CompletionPump;
  /** Frees the client's address resolver, if it has one. */
  #forgetResolver = () => {};

  private constructor(
    pump: CompletionPump,
    readonly handle: number,
    readonly settings: ClientSettings,
  ) {
    this.#pump = pump;
    this.breaker = settings.breaker && new CircuitBreaker(settings.breaker);
  }

  /**
   * The one way an async client opens: validates `config`, connects, makes the client with
   * `make`, then makes the subscriptions the configuration lists (closing the client if that
   * fails). `convert` changes every reply before the caller gets it (node.ts).
   */
  static async open<C>(
    config: GlideClientConfiguration | GlideClusterClientConfiguration,
    cluster: boolean,
    make: (conn: AsyncConnection) => C,
    convert?: (reply: unknown) => unknown,
  ): Promise<C> {
    const { bytes, settings } = validated(config, cluster);
    settings.convert = convert;
    const client = make(await AsyncConnection.connect(bytes, settings));
    settings.iam?.start(() => (client as unknown as IamMethods<"async">).refreshIamToken());
    if (settings.subscriptions) {
      const opened = client as unknown as Subscribing<Promise<void>>;
      try {
        await opened.subscribeFromConfig(settings.subscriptions, settings.connectionTimeout);
      } catch (e) {
        opened.close();
        throw e;
      }
    }
    return client;
  }

  /** Creates a client in the core and waits until it is connected (or lazily ready). */
  static async connect(
    configBytes: Uint8Array,
    settings: ClientSettings,
  ): Promise<AsyncConnection> {
    await prepareCore();
    await prepareJsIo();
    const pump = getPump();
    await pump.attach();
    const id = pump.nextId();
    const resolver = settings.resolver &&
      QueuedResolver.register(pump.core, pump.queue, settings.resolver);
    if (resolver) {
      pump.resolvers.set(resolver.id, resolver);
      configBytes = withResolverId(configBytes, resolver.id);
    }
    const forgetResolver = () => {
      if (!resolver) return;
      resolver.free();
      pump.resolvers.delete(resolver.id);
    };
    const handle = pump.core.glide_async_create(pump.queue, configBytes, configBytes.length, id);
    if (handle === 0) {
      forgetResolver();
      pump.detach();
      const [status, message] = lastError(pump.core);
      throw errorFromStatus(status, message);
    }
    // Registered at once: the invalidations of connections made while connecting apply too.
    if (settings.cache && settings.cacheTracking) pump.caches.set(handle, settings.cache);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    pump.pending.set(id, {
      resolve,
      reject,
      decoder: settings.decoder,
      shape: undefined,
      owner: undefined,
      span: undefined,
    });
    pump.start();
    pump.drain(); // a lazy client is ready at once
    try {
      await promise;
    } catch (e) {
      pump.core.glide_close(handle);
      pump.caches.delete(handle);
      forgetResolver();
      pump.detach();
      throw e;
    }
    const conn = new AsyncConnection(pump, handle, settings);
    conn.#forgetResolver = forgetResolver;
    return conn;
  }

  /** Queues a command; it is handed to the core with every other one queued in this tick. */
  send<T>(build: () => Command<T>, decoder: Decoder | undefined): Promise<T> {
    if (this.#closed) return Promise.reject(new ClosingError(CLIENT_CLOSED));
    if (this.settings.cache) return this.#cached(build, decoder, this.settings.cache);
    return this.#send(build, decoder);
  }

  /** {@link send} through the client-side cache: a hit never leaves the isolate. */
  #cached<T>(build: () => Command<T>, decoder: Decoder | undefined, cache: CacheStore): Promise<T> {
    // The server's invalidations the core holds apply before any lookup (serverAssisted).
    if (this.settings.cacheTracking) this.#pump.drainInvalidations();
    let cmd: Command<T>;
    let probe;
    try {
      cmd = build();
      probe = cache.probe(cmd, cmd.decoder ?? decoder ?? this.settings.decoder);
    } catch (e) {
      return Promise.reject(asArgumentError(e));
    }
    if (probe === undefined) return this.#send(() => cmd, decoder);
    if (probe.hit) {
      const convert = this.settings.convert;
      return Promise.resolve((convert ? convert(probe.value) : probe.value) as T);
    }
    const miss = probe.cmd as Command<T>;
    const sent = this.#send(() => miss, decoder);
    sent.then(probe.end, probe.end);
    return sent;
  }

  #send<T>(build: () => Command<T>, decoder: Decoder | undefined): Promise<T> {
    const open = this.breaker?.admit();
    if (open) return Promise.reject(open);
    if (this.inflight >= this.settings.inflightLimit) {
      return Promise.reject(
        new RequestError(
          `reached the limit of ${this.settings.inflightLimit} requests in flight ` +
            "(inflightRequestsLimit); wait for replies before sending more",
        ),
      );
    }
    const pump = this.#pump;
    const id = pump.nextId();
    let cmd: Command<T>;
    let d: Decoder;
    try {
      cmd = build();
      d = cmd.decoder ?? decoder ?? this.settings.decoder;
      const compression = this.settings.compression;
      if (compression) {
        cmd = compressCommand(cmd, compression, d);
        d = cmd.decoder ?? d;
      }
      this.#writer.request(id, cmd);
    } catch (e) {
      return Promise.reject(asArgumentError(e));
    }
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    pump.pending.set(id, {
      resolve: resolve as (v: unknown) => void,
      reject,
      decoder: d,
      decoders: cmd.batch?.decoders,
      shape: cmd.shape,
      owner: this,
      span: tracing.on ? startSpan(cmd, this.settings.target) : undefined,
    });
    this.inflight++;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
    return promise;
  }

  #flush = (): void => {
    this.#scheduled = false;
    if (this.#closed || this.#writer.length === 0) return;
    const pump = this.#pump;
    pump.start();
    pump.core.glide_submit(pump.queue, this.handle, this.#writer.bytes, this.#writer.length);
    this.#writer.clear();
    pump.drain(); // errors found while submitting complete at once
  };

  /** This client's received pub/sub messages. */
  messages(): MessageQueue {
    const q = messageQueue(this.handle, this.settings.decoder);
    q.convert = this.settings.convert;
    return q;
  }

  /** Closes the client: every request in flight rejects with `ClosingError`. */
  close(message = "the client was closed"): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.clear();
    const pump = this.#pump;
    pump.core.glide_close(this.handle);
    this.#forgetResolver();
    this.settings.iam?.stop();
    for (const [id, p] of pump.pending.entries()) {
      if (p.owner === this) {
        pump.pending.delete(id);
        p.reject(new ClosingError(message));
      }
    }
    this.inflight = 0;
    forgetClient(this.handle);
    pump.settle();
    pump.detach();
  }
}
