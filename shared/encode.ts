/**
 * Encodes requests into the record format the Rust core reads (native/ABI.md), into one growable
 * buffer that is reused across calls: no allocation per argument.
 * @module
 */

import { ConfigurationError } from "./errors.ts";
import type { GlideString } from "./values.ts";
import type { Command } from "./command.ts";
import { encodeRoute } from "./routes.ts";

const utf8 = new TextEncoder();

/** Timeout value meaning "use the client's request timeout". @internal */
export const DEFAULT_TIMEOUT = 0;
/** Timeout value meaning "no timeout" (blocking commands with block time 0). @internal */
export const NO_TIMEOUT = 0xffff_ffff;

/** Strings encoded together (see `RequestWriter.#commands`) up to about this many characters:
 * one call per run, and no large string to flatten. */
const RUN_CHARS = 16 * 1024;

/** Largest argument accepted (the server's proto-max-bulk-len default). */
const MAX_ARG_BYTES = 512 * 1024 * 1024;

/** A growable byte buffer holding request records. @internal */
export class RequestWriter {
  bytes: Uint8Array;
  #view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 64 * 1024) {
    this.bytes = new Uint8Array(capacity);
    this.#view = new DataView(this.bytes.buffer);
  }

  /** Forgets what was written (keeps the memory). */
  clear(): void {
    this.length = 0;
    if (this.bytes.length > 4 * 1024 * 1024) {
      // Do not keep a huge buffer alive after one large value.
      this.bytes = new Uint8Array(64 * 1024);
      this.#view = new DataView(this.bytes.buffer);
    }
  }

  #reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
    const grown = new Uint8Array(cap);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.#reserve(1);
    this.bytes[this.length++] = v;
  }

  u32(v: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /**
   * Writes a short string that is all ASCII byte by byte (cheaper than `encodeInto` on a fresh
   * view); returns false, having written nothing that counts, at the first other character.
   * The caller has reserved the room.
   */
  #ascii(a: string): boolean {
    const bytes = this.bytes;
    const start = this.length + 4;
    const n = a.length;
    for (let i = 0; i < n; i++) {
      const c = a.charCodeAt(i);
      if (c >= 0x80) return false;
      bytes[start + i] = c;
    }
    this.#view.setUint32(this.length, n, true);
    this.length = start + n;
    return true;
  }

  /** Writes a length-prefixed string or byte array. */
  arg(a: GlideString): void {
    if (typeof a === "string") {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      this.#reserve(4 + a.length * 3);
      if (a.length <= 32 && this.#ascii(a)) return;
      if (!a.isWellFormed()) {
        // A lone surrogate has no UTF-8 form: encoding would silently replace it with U+FFFD
        // (and make two different keys one). Send bytes for binary data.
        throw new ConfigurationError(
          "string argument has a lone UTF-16 surrogate (not valid Unicode); pass a Uint8Array",
        );
      }
      const at = this.length;
      const { written } = utf8.encodeInto(a, this.bytes.subarray(at + 4));
      this.#view.setUint32(at, written, true);
      this.length = at + 4 + written;
    } else if (a instanceof Uint8Array) {
      if (a.length > MAX_ARG_BYTES) {
        throw new ConfigurationError(`argument of ${a.length} bytes exceeds the 512 MiB limit`);
      }
      this.#reserve(4 + a.length);
      this.#view.setUint32(this.length, a.length, true);
      this.bytes.set(a, this.length + 4);
      this.length += 4 + a.length;
    } else {
      throw new ConfigurationError(`expected a string or Uint8Array argument, got ${describe(a)}`);
    }
  }

  /**
   * Appends one request record (a command or a whole batch). On a bad argument the partial
   * record is rolled back and the error thrown, so earlier records in the buffer stay valid.
   */
  request(reqId: number, cmd: Command<unknown>): void {
    const start = this.length;
    try {
      this.u32(reqId);
      this.u32(cmd.timeoutMs ?? DEFAULT_TIMEOUT);
      const batch = cmd.batch;
      if (cmd.query === "subscriptions") {
        this.u8(3); // kind: the client's pub/sub state
        encodeRoute(this, undefined);
      } else if (cmd.password !== undefined) {
        this.u8(4); // kind: a password change
        encodeRoute(this, undefined);
        this.u8(cmd.password.immediate ? 1 : 0);
        if (cmd.password.value === null) {
          this.u32(0);
        } else {
          this.u32(1);
          this.arg(cmd.password.value);
        }
      } else if (batch === undefined) {
        this.u8(0); // kind: command
        encodeRoute(this, cmd.route);
        this.#argv(cmd.args);
      } else {
        this.u8(batch.atomic ? 1 : 2);
        encodeRoute(this, cmd.route);
        this.u8((batch.retryServerError ? 1 : 0) | (batch.retryConnectionError ? 2 : 0));
        this.u32(batch.commands.length);
        const at = this.length;
        this.u32(0); // the commands' byte length, set below
        this.#commands(batch.commands);
        this.#view.setUint32(at, this.length - at - 4, true);
      }
    } catch (e) {
      this.length = start;
      throw e;
    }
  }

  /**
   * Writes a batch's commands: the number of arguments in all, a table of each command's
   * argument count and its arguments' lengths, then the arguments' bytes back to back. The
   * strings among them are encoded together, one `encodeInto` per run of strings (a call per
   * argument costs more than the bytes); when a run is not all ASCII, the commands are written
   * again one argument at a time.
   */
  #commands(commands: readonly Command<unknown>[]): void {
    let args = 0;
    let room = 0;
    for (let i = 0; i < commands.length; i++) {
      const argv = commands[i].args;
      if (!Array.isArray(argv) || argv.length === 0) {
        throw new ConfigurationError("a command needs at least its name");
      }
      args += argv.length;
      for (let j = 0; j < argv.length; j++) room += byteRoom(argv[j]);
    }
    const table = 4 + 4 * (commands.length + args);
    this.#reserve(table + room + 4); // + 4: `arg` writes a length before its bytes
    const start = this.length;
    if (!this.#commandsAscii(commands, args, start)) this.#commandsEach(commands, args, start);
  }

  /** The fast way of {@link #commands}: false, with the buffer to be written again, unless
   * every string is ASCII (a string's byte length is then its length). */
  #commandsAscii(commands: readonly Command<unknown>[], args: number, start: number): boolean {
    const bytes = this.bytes;
    const view = this.#view;
    view.setUint32(start, args, true);
    let entry = start + 4;
    let data = entry + 4 * (commands.length + args);
    let run = "";
    let runAt = data;
    for (let i = 0; i < commands.length; i++) {
      const argv = commands[i].args;
      view.setUint32(entry, argv.length, true);
      entry += 4;
      for (let j = 0; j < argv.length; j++) {
        const a = argv[j];
        const text = typeof a === "string";
        if (text) {
          run += a;
          view.setUint32(entry, a.length, true);
          data += a.length;
        }
        if (!text || run.length >= RUN_CHARS) {
          if (
            run.length > 0 && utf8.encodeInto(run, bytes.subarray(runAt)).written !== run.length
          ) {
            return false;
          }
          run = "";
          runAt = data;
        }
        if (!text) {
          view.setUint32(entry, a.length, true);
          bytes.set(a, data);
          data += a.length;
          runAt = data;
        }
        entry += 4;
      }
    }
    if (run.length > 0 && utf8.encodeInto(run, bytes.subarray(runAt)).written !== run.length) {
      return false;
    }
    this.length = data;
    return true;
  }

  /** The way of {@link #commands} for any string: one argument at a time. */
  #commandsEach(commands: readonly Command<unknown>[], args: number, start: number): void {
    this.#view.setUint32(start, args, true);
    let entry = start + 4;
    this.length = entry + 4 * (commands.length + args);
    for (let i = 0; i < commands.length; i++) {
      const argv = commands[i].args;
      this.#view.setUint32(entry, argv.length, true);
      entry += 4;
      for (let j = 0; j < argv.length; j++) {
        const at = this.length;
        this.arg(argv[j]); // its length first, then its bytes
        const len = this.#view.getUint32(at, true);
        this.bytes.copyWithin(at, at + 4, at + 4 + len);
        this.length = at + len;
        this.#view.setUint32(entry, len, true);
        entry += 4;
      }
    }
  }

  #argv(args: readonly GlideString[]): void {
    if (!Array.isArray(args) || args.length === 0) {
      throw new ConfigurationError("a command needs at least its name");
    }
    this.u32(args.length);
    for (let i = 0; i < args.length; i++) this.arg(args[i]);
  }
}

/** The most bytes an argument can take (UTF-8 takes at most 3 per UTF-16 unit); throws for
 * what is not an argument. */
function byteRoom(a: GlideString): number {
  if (typeof a === "string") return a.length * 3;
  if (a instanceof Uint8Array) {
    if (a.length > MAX_ARG_BYTES) {
      throw new ConfigurationError(`argument of ${a.length} bytes exceeds the 512 MiB limit`);
    }
    return a.length;
  }
  throw new ConfigurationError(`expected a string or Uint8Array argument, got ${describe(a)}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}
