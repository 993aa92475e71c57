/**
 * GLIDE's MONITOR client: a connection of its own to one server that streams every command the
 * server runs, as {@link MonitorLine}s. The core sends MONITOR on it and hands each line to this
 * isolate as a message record (`native/src/connections/monitor.rs`); lines are parsed here.
 * @module
 */

import { command } from "./command.ts";
import { type BaseClientConfiguration, ProtocolVersion, validated } from "./config.ts";
import { AsyncConnection, registerSink } from "./async_core.ts";
import type { MessageSink } from "./async_core.ts";
import { ClosingError, ConfigurationError, ConnectionError, RequestError } from "./errors.ts";

/**
 * One command the monitored server ran, as MONITOR reports it.
 *
 * @example
 * ```ts
 * import type { MonitorLine } from "@glide-deno/glide";
 * const line: MonitorLine = {
 *   timestamp: 1700000000.5,
 *   db: 0,
 *   clientAddr: "127.0.0.1:50000",
 *   command: "SET",
 *   args: ["k", "v"],
 * };
 * ```
 */
export interface MonitorLine {
  /** When the server ran it: seconds since the epoch, with microseconds. */
  timestamp: number;
  /** The database it ran in. */
  db: number;
  /** The client that sent it: `host:port`, `lua` for a script's command, or a Unix socket. */
  clientAddr: string;
  /** The command's name, as the client sent it. */
  command: string;
  /** Its arguments. */
  args: string[];
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  a: "\x07",
  b: "\b",
  '"': '"',
  "\\": "\\",
};

/**
 * The quoted tokens of a MONITOR line (`"SET" "k" "a\"b\x00"`), unescaped as the server escapes.
 * A quote ends a token only before a space or the line's end: Valkey 8.1 leaves quotes inside an
 * argument unescaped (`"a"b"`), Redis and Valkey 9 escape them.
 */
function tokens(s: string): string[] {
  const out: string[] = [];
  let i = s.indexOf('"');
  const closes = (at: number) => s[at] === '"' && (at + 1 >= s.length || s[at + 1] === " ");
  while (i >= 0 && i < s.length) {
    let token = "";
    for (i++; i < s.length && !closes(i); i++) {
      if (s[i] !== "\\" || i + 1 >= s.length) {
        token += s[i];
        continue;
      }
      const e = s[++i];
      const hex = e === "x" ? s.slice(i + 1, i + 3) : "";
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        token += String.fromCharCode(parseInt(hex, 16));
        i += 2;
      } else {
        token += ESCAPES[e] ?? e;
      }
    }
    out.push(token);
    i = s.indexOf('"', i + 1);
  }
  return out;
}

/**
 * Parses one MONITOR line (`1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"`); `undefined`
 * if it is not one. Arguments are unescaped as the server escaped them (`\"`, `\\`, `\n`, `\r`,
 * `\t`, `\a`, `\b`, `\xHH` as that byte's code point).
 *
 * @example
 * ```ts
 * import { parseMonitorLine } from "@glide-deno/glide";
 * const line = parseMonitorLine('1700000000.5 [0 127.0.0.1:50000] "GET" "k"');
 * console.log(line?.command, line?.args); // GET ["k"]
 * ```
 */
export function parseMonitorLine(raw: string): MonitorLine | undefined {
  const s = raw.startsWith("+") ? raw.slice(1) : raw;
  const open = s.indexOf(" [");
  const close = s.indexOf("] ", open);
  if (open < 0 || close < 0) return undefined;
  const timestamp = Number(s.slice(0, open));
  const [db, ...addr] = s.slice(open + 2, close).split(" ");
  const [name, ...args] = tokens(s.slice(close + 2));
  if (!Number.isFinite(timestamp) || !/^\d+$/.test(db) || name === undefined) return undefined;
  return { timestamp, db: Number(db), clientAddr: addr.join(" "), command: name, args };
}

const text = new TextDecoder();

/** The monitor's lines, kept for readers or handed to its callback. */
class MonitorSink implements MessageSink {
  readonly #lines: MonitorLine[] = [];
  #head = 0;
  readonly #waiters: { resolve(l: MonitorLine): void; reject(e: unknown): void }[] = [];
  #ended: Error | undefined;

  constructor(
    private readonly onWait: () => void,
    private readonly callback: ((line: MonitorLine) => void) | undefined,
  ) {
    if (callback) onWait();
  }

  get wantsMessages(): boolean {
    return !this.#ended && (this.callback !== undefined || this.#waiters.length > 0);
  }

  push(raw: { kind: string; values: unknown[] }): void {
    if (this.#ended) return;
    const value = raw.values[0];
    const s = value instanceof Uint8Array ? text.decode(value) : String(value);
    if (raw.kind === "monitor-ended") return this.#end(new ConnectionError(s));
    const line = parseMonitorLine(s);
    if (!line) return;
    if (this.callback) {
      try {
        this.callback(line);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
      return;
    }
    const w = this.#waiters.shift();
    if (w) w.resolve(line);
    else this.#lines.push(line);
  }

  tryNext(): MonitorLine | undefined {
    if (this.#head >= this.#lines.length) return undefined;
    const line = this.#lines[this.#head];
    this.#lines[this.#head++] = undefined as never;
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines.splice(0, this.#head);
      this.#head = 0;
    }
    return line;
  }

  next(): Promise<MonitorLine> {
    const line = this.tryNext();
    if (line) return Promise.resolve(line);
    if (this.#ended) return Promise.reject(this.#ended);
    const waiting = new Promise<MonitorLine>((resolve, reject) =>
      this.#waiters.push({ resolve, reject })
    );
    this.onWait();
    return waiting;
  }

  close(): void {
    this.#end(new ClosingError("the monitor client is closed"));
  }

  #end(why: Error): void {
    if (this.#ended) return;
    this.#ended = why;
    for (const w of this.#waiters.splice(0)) w.reject(why);
  }
}

/**
 * Streams every command a server runs (MONITOR), as GLIDE's `GlideMonitorClient`: over a
 * connection of its own to the first of `addresses` (RESP2, as GLIDE), with the configuration's
 * TLS and credentials. Lines go to the callback given to {@link GlideMonitorClient.create}, or
 * are kept for {@link GlideMonitorClient.getNextMessage} and
 * {@link GlideMonitorClient.tryGetNextMessage}. If the connection ends, waiting readers reject
 * with `ConnectionError`; MONITOR does not resume on its own. Other clients refuse MONITOR.
 *
 * @example
 * ```ts
 * import { GlideMonitorClient } from "@glide-deno/glide";
 * await using monitor = await GlideMonitorClient.create({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 * });
 * const line = await monitor.getNextMessage();
 * console.log(line.command, line.args, line.clientAddr);
 * ```
 */
export class GlideMonitorClient implements AsyncDisposable {
  readonly #conn: AsyncConnection;
  readonly #sink: MonitorSink;
  readonly #callback: boolean;

  private constructor(conn: AsyncConnection, sink: MonitorSink, callback: boolean) {
    this.#conn = conn;
    this.#sink = sink;
    this.#callback = callback;
  }

  /**
   * Connects to the first of `options.addresses` and starts MONITOR.
   *
   * @param options - The connection's configuration (addresses, TLS, credentials, timeouts).
   * @param callback - Called with each line; without one, read them with
   *   {@link GlideMonitorClient.getNextMessage} / {@link GlideMonitorClient.tryGetNextMessage}.
   * @returns The monitor, once MONITOR is on.
   * @example
   * ```ts
   * import { GlideMonitorClient } from "@glide-deno/glide";
   * const monitor = await GlideMonitorClient.create(
   *   { addresses: [{ host: "127.0.0.1", port: 6379 }] },
   *   (line) => console.log(line.command),
   * );
   * await monitor.close();
   * ```
   */
  static async create(
    options: BaseClientConfiguration,
    callback?: (line: MonitorLine) => void,
  ): Promise<GlideMonitorClient> {
    if (callback !== undefined && typeof callback !== "function") {
      throw new ConfigurationError("the monitor's callback must be a function");
    }
    const one = { ...options, addresses: options?.addresses?.slice(0, 1) };
    const { bytes, settings } = validated(
      { ...one, protocol: ProtocolVersion.RESP2, lazyConnect: false },
      false,
      true,
    );
    const conn = await AsyncConnection.connect(bytes, settings);
    const sink = registerSink(conn.handle, (onWait) => new MonitorSink(onWait, callback));
    try {
      await conn.send(() => command<string>(["MONITOR"]), undefined);
    } catch (e) {
      conn.close();
      throw e;
    }
    return new GlideMonitorClient(conn, sink, callback !== undefined);
  }

  /**
   * The next line, when it comes. Rejects with `ClosingError` once closed, or `ConnectionError`
   * once the connection ended; not for a monitor made with a callback.
   *
   * @returns The next line the server reported.
   * @example
   * ```ts
   * import { GlideMonitorClient } from "@glide-deno/glide";
   * await using monitor = await GlideMonitorClient.create({ addresses: [{ host: "127.0.0.1" }] });
   * console.log((await monitor.getNextMessage()).command);
   * ```
   */
  getNextMessage(): Promise<MonitorLine> {
    if (this.#callback) {
      return Promise.reject(
        new RequestError("this monitor hands its lines to its callback"),
      );
    }
    return this.#sink.next();
  }

  /**
   * The next line if one is kept, else `undefined`, at once.
   *
   * @returns A kept line, or `undefined`.
   * @example
   * ```ts
   * import { GlideMonitorClient } from "@glide-deno/glide";
   * await using monitor = await GlideMonitorClient.create({ addresses: [{ host: "127.0.0.1" }] });
   * console.log(monitor.tryGetNextMessage()); // undefined until a command runs
   * ```
   */
  tryGetNextMessage(): MonitorLine | undefined {
    return this.#sink.tryNext();
  }

  /**
   * Stops monitoring and closes the connection; waiting readers reject with `ClosingError`.
   * Safe to call more than once.
   *
   * @example
   * ```ts
   * import { GlideMonitorClient } from "@glide-deno/glide";
   * const monitor = await GlideMonitorClient.create({ addresses: [{ host: "127.0.0.1" }] });
   * await monitor.close();
   * ```
   */
  close(): Promise<void> {
    this.#conn.close("the monitor client was closed");
    return Promise.resolve();
  }

  /** Closes the monitor (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
