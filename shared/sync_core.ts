/**
 * The sync client's engine: each call encodes one request, and the core runs it on the calling
 * thread over the client's own socket and writes the reply into a reused buffer. No thread
 * hand-off; the caller blocks, as users of a blocking API expect.
 * @module
 */

import type { Command } from "./command.ts";
import type { Connection } from "./mode.ts";
import {
  type ClientSettings,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  type Subscribing,
  validated,
} from "./config.ts";
import { finish, replyMarks, ReplyReader } from "./decode.ts";
import { RequestWriter } from "./encode.ts";
import {
  asArgumentError,
  CLIENT_CLOSED,
  ClosingError,
  errorFromStatus,
  RequestError,
  Status,
} from "./errors.ts";
import { CallingResolver, insideResolver, withResolverId } from "./address_resolver.ts";
import type { IamMethods } from "./iam.ts";
import { startSpan, tracing } from "./opentelemetry.ts";
import { CircuitBreaker } from "./circuit_breaker.ts";
import { compressCommand } from "./compression.ts";
import { type Core, coreAtHand, lastError, loadCore, prepareCore } from "./native.ts";
import type { Decoder } from "./values.ts";
import { forgetClient, getPump, messageQueue } from "./async_core.ts";
import type { MessageQueue, PubSubMsg } from "./pubsub.ts";

// The sync client cannot wait for a download. When the library is at hand (GLIDE_DENO_LIB, a
// local build, the cache) it is opened now, synchronously: no top-level await, so the importing
// module (say a Worker that sets `onmessage` next) is not delayed. Only a first load that must
// download waits here, at import. A failure never fails the import: loadCore() throws it from
// the first createClient, as a ConfigurationError.
if (!coreAtHand()) await prepareCore().catch(() => {});

const SMALL = 64 * 1024;

const IN_RESOLVER = "a sync client cannot be used inside an addressResolver (it runs while a " +
  "sync call waits)";

/** One sync client's link to the core. @internal */
export class SyncConnection implements Connection<"sync"> {
  readonly mode = "sync";
  #closed = false;
  #writer = new RequestWriter();
  #out = new Uint8Array(SMALL);
  #reader = new ReplyReader(this.#out);
  /** The client's circuit breaker, if it has one. */
  readonly #breaker: CircuitBreaker | undefined;
  /** The client's address resolver, if it has one (freed when the client closes). */
  readonly #resolver: CallingResolver | undefined;

  private constructor(
    readonly core: Core,
    readonly handle: number,
    readonly settings: ClientSettings,
    resolver: CallingResolver | undefined,
  ) {
    this.#breaker = settings.breaker && new CircuitBreaker(settings.breaker);
    this.#resolver = resolver;
  }

  /**
   * The one way a sync client opens: validates `config`, connects on this thread, makes the
   * client with `make`, then makes the subscriptions the configuration lists (closing the
   * client if that fails).
   */
  static open<C>(
    config: GlideClientConfiguration | GlideClusterClientConfiguration,
    cluster: boolean,
    make: (conn: SyncConnection) => C,
    convert?: (reply: unknown) => unknown,
  ): C {
    const { bytes, settings } = validated(config, cluster);
    settings.convert = convert;
    const client = make(SyncConnection.connect(bytes, settings));
    settings.iam?.start(() => (client as unknown as IamMethods<"sync">).refreshIamToken());
    if (settings.subscriptions) {
      const opened = client as unknown as Subscribing<void>;
      try {
        opened.subscribeFromConfig(settings.subscriptions, settings.connectionTimeout);
      } catch (e) {
        opened.close();
        throw e;
      }
    }
    return client;
  }

  /** Creates a client in the core, connecting on this thread. */
  static connect(configBytes: Uint8Array, settings: ClientSettings): SyncConnection {
    const core = loadCore();
    const queue = getPump().queue;
    const resolver = settings.resolver &&
      CallingResolver.register(core, queue, settings.resolver);
    if (resolver) configBytes = withResolverId(configBytes, resolver.id);
    // The core calls the resolver back inside this call, and inside the client's later calls
    // (fast FFI calls may re-enter the isolate since Deno 1.45).
    const handle = core.glide_sync_create(queue, configBytes, configBytes.length);
    if (handle === 0) {
      resolver?.free();
      const [status, message] = lastError(core);
      throw errorFromStatus(status, message);
    }
    if (settings.cache && settings.cacheTracking) getPump().caches.set(handle, settings.cache);
    return new SyncConnection(core, handle, settings, resolver);
  }

  /** Runs one command and returns its shaped reply, or throws its typed error. */
  send<T>(build: () => Command<T>, decoder: Decoder | undefined): T {
    if (this.#closed) throw new ClosingError(CLIENT_CLOSED);
    const cache = this.settings.cache;
    if (cache === undefined) return this.#send(build, decoder);
    // Through the client-side cache: a hit never leaves the isolate. The server's
    // invalidations the core holds apply first (serverAssisted).
    let cmd: Command<T>;
    let probe;
    try {
      cmd = build();
      const d = cmd.decoder ?? decoder ?? this.settings.decoder;
      const tracking = this.settings.cacheTracking;
      if (tracking) this.#invalidations(false);
      probe = cache.probe(cmd, d);
      if (tracking && probe?.hit === false) {
        // Before a miss goes to the server, every invalidation already sent is applied: read
        // later (during the round trip), one would drop the fresh reply it is older than.
        probe.end();
        this.#invalidations(true);
        probe = cache.probe(cmd, d, false);
      }
    } catch (e) {
      throw asArgumentError(e);
    }
    if (probe === undefined) return this.#send(() => cmd, decoder);
    if (probe.hit) {
      const convert = this.settings.convert;
      return (convert ? convert(probe.value) : probe.value) as T;
    }
    try {
      return this.#send(() => probe.cmd as Command<T>, decoder);
    } finally {
      probe.end();
    }
  }

  /** When a sync connection last read its socket between calls (see `#invalidations`). */
  #polled = 0;

  /**
   * Applies the server's invalidations before a cache lookup. Between calls nothing reads the
   * client's sockets (they run on the calling thread), so a lookup lets them read what arrived,
   * at most once a millisecond (a hit then costs no socket poll), or at once before a miss
   * (`force`): an entry changed on the server is served for at most about a millisecond after
   * its invalidation arrived.
   */
  #invalidations(force = false): void {
    const now = Date.now(); // cheaper than performance.now(), and a millisecond is the unit
    if (force || now !== this.#polled) {
      this.#polled = now;
      this.core.glide_sync_poll(this.handle);
    }
    getPump().drainInvalidations();
  }

  #send<T>(build: () => Command<T>, decoder: Decoder | undefined): T {
    if (insideResolver()) throw new RequestError(IN_RESOLVER);
    // An IAM token due while no timer could run (this thread was busy): refreshed first.
    const iam = this.settings.iam;
    if (iam !== undefined && Date.now() >= iam.due) iam.tick();
    const open = this.#breaker?.admit();
    if (open) throw open;
    const w = this.#writer;
    let cmd: Command<T>;
    let d: Decoder;
    try {
      cmd = build();
      d = cmd.decoder ?? decoder ?? this.settings.decoder;
      const compression = this.settings.compression;
      if (compression) cmd = compressCommand(cmd, compression, d);
      w.clear();
      w.request(0, cmd);
    } catch (e) {
      throw asArgumentError(e);
    }
    const span = tracing.on ? startSpan(cmd, this.settings.target) : undefined;
    let out = this.#out;
    let n = this.core.glide_sync_command(this.handle, w.bytes, w.length, out, out.length);
    if (n > out.length) {
      out = new Uint8Array(n);
      n = this.core.glide_sync_take(this.handle, out, out.length);
    }
    // A large reply gets a reader of its own, so its buffer is not kept after this call.
    const r = out === this.#out ? this.#reader : new ReplyReader(out);
    r.reset(out);
    r.pos = 8; // body length, request id
    const status = r.u8();
    this.#breaker?.record(status, 0);
    if (status !== Status.Ok) {
      const error = r.error(status);
      span?.end(error);
      throw error;
    }
    span?.end();
    if (cmd.decoder !== undefined) d = cmd.decoder;
    replyMarks.untracked = false;
    const v = cmd.batch ? r.items(d, cmd.batch.decoders) : r.value(d);
    const shaped = finish(v, cmd.shape);
    const convert = this.settings.convert;
    return (convert ? convert(shaped) : shaped) as T;
  }

  /** This client's received pub/sub messages (they come through its isolate's queue). */
  messages(): MessageQueue {
    return messageQueue(this.handle, this.settings.decoder);
  }

  /** Blocks until a pub/sub message arrives, and returns it. */
  waitMessage(decoder?: Decoder): PubSubMsg {
    const q = this.messages();
    for (;;) {
      const m = q.tryNext(decoder);
      if (m) return m;
      if (this.#closed) throw new ClosingError(CLIENT_CLOSED);
      getPump().drain();
      const again = q.tryNext(decoder);
      if (again) return again;
      this.core.glide_wait(getPump().queue, 100);
    }
  }

  /** Closes the client; later calls throw `ClosingError`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.core.glide_close(this.handle);
    this.#resolver?.free();
    this.settings.iam?.stop();
    forgetClient(this.handle);
  }
}
