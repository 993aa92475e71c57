/**
 * Pub/sub delivery on the JS side: each client's messages arrive from the core (records with
 * request id 0, see native/ABI.md) into its `MessageQueue`, which hands them to the callback
 * given in the configuration, or keeps them for `getPubSubMessage`, `tryGetPubSubMessage` and
 * the `messages()` iterator.
 * @module
 */

import { CLIENT_CLOSED, ClosingError } from "./errors.ts";
import { Decoder, type GlideString } from "./values.ts";

/**
 * A message received on a subscribed channel.
 *
 * @example
 * ```ts
 * import type { PubSubMsg } from "@glide-deno/glide";
 * const m: PubSubMsg = { channel: "news", message: "hello", pattern: null };
 * ```
 */
export interface PubSubMsg {
  /** The payload. */
  message: GlideString;
  /** The channel it was published on. */
  channel: GlideString;
  /** The pattern that matched the channel (pattern subscriptions), else `null`. */
  pattern?: GlideString | null;
}

/**
 * Subscription modes of the standalone client (GLIDE's
 * `GlideClientConfiguration.PubSubChannelModes`).
 *
 * @example
 * ```ts
 * import { PubSubChannelModes } from "@glide-deno/glide";
 * const modes = { [PubSubChannelModes.Exact]: new Set(["news"]) };
 * ```
 */
export enum PubSubChannelModes {
  /** SUBSCRIBE: channels by name. */
  Exact = 0,
  /** PSUBSCRIBE: channels by glob pattern. */
  Pattern = 1,
}

/**
 * Subscription modes of the cluster client (GLIDE's
 * `GlideClusterClientConfiguration.PubSubChannelModes`).
 *
 * @example
 * ```ts
 * import { ClusterPubSubChannelModes } from "@glide-deno/glide";
 * const modes = { [ClusterPubSubChannelModes.Sharded]: new Set(["orders"]) };
 * ```
 */
export enum ClusterPubSubChannelModes {
  /** SUBSCRIBE: channels by name. */
  Exact = 0,
  /** PSUBSCRIBE: channels by glob pattern. */
  Pattern = 1,
  /** SSUBSCRIBE: sharded channels, served by their slot's primary. */
  Sharded = 2,
}

/**
 * Subscriptions made when the client connects, and how their messages are delivered.
 *
 * @example
 * ```ts
 * import { PubSubChannelModes, type PubSubSubscriptions } from "@glide-deno/glide";
 * const subs: PubSubSubscriptions = {
 *   channelsAndPatterns: { [PubSubChannelModes.Exact]: new Set(["news"]) },
 *   callback: (msg) => console.log(msg.channel, msg.message),
 * };
 * ```
 */
export interface PubSubSubscriptions<Modes extends number = PubSubChannelModes> {
  /** Channels and patterns by mode. */
  channelsAndPatterns: Partial<Record<Modes, Set<GlideString>>>;
  /**
   * Called with each message (on the event loop). Without it, messages are kept for
   * `getPubSubMessage`, `tryGetPubSubMessage` and `messages()`.
   */
  callback?: (msg: PubSubMsg, context: unknown) => void;
  /** Passed to `callback` as its second argument. */
  context?: unknown;
}

/**
 * What a client is subscribed to: what was asked for (`desiredSubscriptions`) and what the
 * server has confirmed (`actualSubscriptions`); they differ while a (re)subscription is on its
 * way, e.g. just after a reconnect.
 *
 * @example
 * ```ts
 * import { PubSubChannelModes, type PubSubState } from "@glide-deno/glide";
 * function missing(s: PubSubState): boolean {
 *   const want = s.desiredSubscriptions[PubSubChannelModes.Exact]?.size ?? 0;
 *   return (s.actualSubscriptions[PubSubChannelModes.Exact]?.size ?? 0) < want;
 * }
 * ```
 */
export interface PubSubState<Modes extends number = PubSubChannelModes> {
  /** What the client asked for, by mode. */
  desiredSubscriptions: Partial<Record<Modes, Set<GlideString>>>;
  /** What the server confirmed, by mode. */
  actualSubscriptions: Partial<Record<Modes, Set<GlideString>>>;
}

/**
 * Pass as the channels of `unsubscribe` to leave every channel.
 *
 * @example
 * ```ts
 * import { ALL_CHANNELS } from "@glide-deno/glide";
 * // await client.unsubscribe(ALL_CHANNELS, 1000);
 * const all = ALL_CHANNELS;
 * ```
 */
export const ALL_CHANNELS = null;
/**
 * Pass as the patterns of `punsubscribe` to leave every pattern.
 *
 * @example
 * ```ts
 * import { ALL_PATTERNS } from "@glide-deno/glide";
 * const all = ALL_PATTERNS;
 * ```
 */
export const ALL_PATTERNS = null;
/**
 * Pass as the channels of `sunsubscribe` to leave every sharded channel.
 *
 * @example
 * ```ts
 * import { ALL_SHARDED_CHANNELS } from "@glide-deno/glide";
 * const all = ALL_SHARDED_CHANNELS;
 * ```
 */
export const ALL_SHARDED_CHANNELS = null;

const text = new TextDecoder();

/** Converts a received value (bytes) for a decoder. */
function as(v: unknown, decoder: Decoder): GlideString {
  if (v instanceof Uint8Array) return decoder === Decoder.Bytes ? v : text.decode(v);
  return String(v);
}

/** A received message, as bytes, until a reader asks for it with its decoder. */
interface RawMessage {
  kind: string;
  values: unknown[];
}

function toMessage(raw: RawMessage, decoder: Decoder): PubSubMsg {
  const v = raw.values;
  if (raw.kind === "pmessage") {
    return { pattern: as(v[0], decoder), channel: as(v[1], decoder), message: as(v[2], decoder) };
  }
  return { channel: as(v[0], decoder), message: as(v[1], decoder), pattern: null };
}

/**
 * Where a client's received pub/sub messages wait for their reader. Public only so that the
 * clients' types can name it.
 *
 * @example
 * ```ts
 * import type { MessageSource } from "@glide-deno/glide";
 * function drain(s: MessageSource): number {
 *   let n = 0;
 *   while (s.tryNext()) n++;
 *   return n;
 * }
 * ```
 */
export interface MessageSource {
  /** Delivers each message to this function instead of keeping it. */
  callback: ((msg: PubSubMsg, context: unknown) => void) | undefined;
  /** Passed to `callback`. */
  context: unknown;
  /** The next kept message, or `null`. */
  tryNext(decoder?: Decoder): PubSubMsg | null;
  /** The next message, when it comes. */
  next(): Promise<PubSubMsg>;
}

/** One client's received messages. @internal */
export class MessageQueue implements MessageSource {
  readonly #buffer: RawMessage[] = [];
  #head = 0;
  readonly #waiters: { resolve(m: PubSubMsg): void; reject(e: unknown): void }[] = [];
  #closed = false;
  #callback: ((msg: PubSubMsg, context: unknown) => void) | undefined;
  context: unknown;

  /** Delivers each message to this function (on the event loop) instead of keeping it. */
  get callback(): ((msg: PubSubMsg, context: unknown) => void) | undefined {
    return this.#callback;
  }

  set callback(f: ((msg: PubSubMsg, context: unknown) => void) | undefined) {
    this.#callback = f;
    if (f) this.onWait(); // the pump keeps polling for it, for the sync client too
  }

  /** @param onWait - Called when a reader starts waiting (the pump then holds the loop). */
  /** How a message is handed over, if not as decoded (node.ts: bytes as `Buffer`s). */
  convert: ((msg: unknown) => unknown) | undefined;

  constructor(readonly decoder: Decoder, private readonly onWait: () => void = () => {}) {}

  /** `raw` as the caller gets it. */
  #message(raw: RawMessage, decoder: Decoder): PubSubMsg {
    const msg = toMessage(raw, decoder);
    return this.convert ? this.convert(msg) as PubSubMsg : msg;
  }

  /** Whether the queue holds JS's event loop (async waiters, or a callback to feed). */
  get wantsMessages(): boolean {
    return !this.#closed && (this.#callback !== undefined || this.#waiters.length > 0);
  }

  /** A message arrived from the core. */
  push(raw: RawMessage): void {
    if (this.#closed) return;
    if (this.#callback) {
      const cb = this.#callback;
      try {
        cb(this.#message(raw, this.decoder), this.context);
      } catch (e) {
        // A throwing callback must not stop delivery to the next one; report it as Deno would.
        queueMicrotask(() => {
          throw e;
        });
      }
      return;
    }
    const w = this.#waiters.shift();
    if (w) w.resolve(this.#message(raw, this.decoder));
    else this.#buffer.push(raw);
  }

  /** The next kept message, or `null`. */
  tryNext(decoder?: Decoder): PubSubMsg | null {
    if (this.#head >= this.#buffer.length) return null;
    const raw = this.#buffer[this.#head];
    this.#buffer[this.#head++] = undefined as never;
    if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
      this.#buffer.splice(0, this.#head);
      this.#head = 0;
    }
    return this.#message(raw, decoder ?? this.decoder);
  }

  /** The next message, when it comes; rejects with `ClosingError` once the client closes. */
  next(): Promise<PubSubMsg> {
    const m = this.tryNext();
    if (m) return Promise.resolve(m);
    if (this.#closed) return Promise.reject(new ClosingError(CLIENT_CLOSED));
    const waiting = new Promise<PubSubMsg>((resolve, reject) =>
      this.#waiters.push({ resolve, reject })
    );
    this.onWait();
    return waiting;
  }

  /** Whether `next()` would wait. */
  get empty(): boolean {
    return this.#head >= this.#buffer.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The client closed: waiters reject, iterators end. */
  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new ClosingError(CLIENT_CLOSED));
  }
}

/** Reads the core's `[desired, actual]` lists into GLIDE's state shape. @internal */
export function toState<Modes extends number>(reply: unknown): PubSubState<Modes> {
  const [desired, actual] = reply as unknown[][][];
  const sets = (lists: unknown[][]): Partial<Record<Modes, Set<GlideString>>> => {
    const out: Partial<Record<number, Set<GlideString>>> = {};
    lists.forEach((list, mode) => {
      out[mode] = new Set(list as GlideString[]);
    });
    return out as Partial<Record<Modes, Set<GlideString>>>;
  };
  return { desiredSubscriptions: sets(desired), actualSubscriptions: sets(actual) };
}
