/**
 * Sockets the isolate's event loop owns (see `native/src/connections/js_io.rs`): with
 * `GLIDE_DENO_IO=js`, each plain-TCP connection of an async client, once the core has made and
 * set it up, is handed to this isolate, which adopts the socket (`node:net`'s
 * `Socket({ fd })`), writes the bytes the core encoded, and feeds back what it reads; the core
 * parses and completes on this thread, inside those calls. A reply then costs one wake-up, the
 * event loop's own, instead of the core's I/O thread's and then the isolate's.
 * @module
 */

import type { Socket } from "node:net";
import type { Core } from "./native.ts";

const NEEDS_MORE = 0x8000_0000;

/** `node:net`, loaded only when this isolate owns sockets: importing it costs the process
 * Node's compatibility layer (about 10 MB). */
let net: typeof import("node:net") | undefined;

/**
 * Loads what adopting sockets needs, when this isolate asked for it; before an async client is
 * created, so that its connections can be adopted at once. @internal
 */
export async function prepareJsIo(): Promise<void> {
  if (net === undefined && jsIoWanted()) net = await import("node:net");
}

/** Whether this isolate asked for it (`GLIDE_DENO_IO=js`, read only when permitted). */
export function jsIoWanted(): boolean {
  try {
    const env = Deno.permissions.querySync({ name: "env", variable: "GLIDE_DENO_IO" });
    return env.state === "granted" && Deno.env.get("GLIDE_DENO_IO") === "js";
  } catch {
    return false;
  }
}

/** One isolate's adopted sockets. @internal */
export class JsIo {
  readonly #sockets = new Map<number, Socket>();
  #buf = new Uint8Array(64 * 1024);

  /** `onRead` runs after bytes were fed to the core (the pump drains then). */
  constructor(
    readonly core: Core,
    readonly queue: number,
    readonly onRead: () => void,
  ) {}

  /** A connection to adopt (a `glide-io-socket` record). */
  adopt(id: number): void {
    if (net === undefined) throw new Error("glide-deno: node:net was not loaded (prepareJsIo)");
    const fd = Number(this.core.glide_io_adopt(id));
    if (fd < 0) return;
    const socket = new net.Socket({ fd, readable: true, writable: true });
    socket.setNoDelay(true);
    // The pump's outstanding wait keeps the process alive while requests are pending; an idle
    // client's socket does not.
    socket.unref();
    socket.on("data", (chunk: Uint8Array) => {
      this.core.glide_io_feed(id, chunk, chunk.length);
      this.onRead();
    });
    const ended = () => {
      if (this.#sockets.get(id) !== socket) return;
      this.#sockets.delete(id);
      this.core.glide_io_ended(id);
      this.onRead();
    };
    socket.on("close", ended);
    socket.on("error", () => socket.destroy());
    this.#sockets.set(id, socket);
  }

  /** A connection ended in the core (a `glide-io-close` record). */
  close(id: number): void {
    this.core.glide_io_release(id);
    const socket = this.#sockets.get(id);
    if (!socket) return;
    this.#sockets.delete(id);
    socket.destroy();
  }

  /** Writes what the core's connections have to write. */
  flush(): void {
    for (;;) {
      const n = this.core.glide_io_flush(this.queue, this.#buf, this.#buf.length);
      if (n === 0) return;
      if (n >= NEEDS_MORE) {
        this.#buf = new Uint8Array(n - NEEDS_MORE);
        continue;
      }
      const view = new DataView(this.#buf.buffer, 0, n);
      for (let at = 0; at < n;) {
        const id = view.getUint32(at, true);
        const len = view.getUint32(at + 4, true);
        // Bytes handed over on another thread may come before the record that names their
        // connection: it is adopted now.
        if (!this.#sockets.has(id)) this.adopt(id);
        this.#sockets.get(id)?.write(this.#buf.slice(at + 8, at + 8 + len));
        at += 8 + len;
      }
      return;
    }
  }
}
