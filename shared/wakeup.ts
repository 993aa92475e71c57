/**
 * The wake-up socket: how the core tells an isolate that completions are ready in one thread
 * hand-off instead of two (see `native/src/boundary/wakeup.rs`). The isolate connects to the core's
 * listener on 127.0.0.1, names its completion queue with the queue's secret, and then reads
 * wake-up bytes in its own event loop, where Deno already waits for every other socket. Used
 * only when loopback connections are already permitted (it never prompts); otherwise, or with
 * `GLIDE_DENO_WAKEUP=poll`, the long poll (`glide_wait_ready`) does the same job.
 * @module
 */

import type { Core } from "./native.ts";

/** The core's answer once the socket is the queue's. */
const READY = 0xa5;

function permitted(port: number): boolean {
  try {
    const env = Deno.permissions.querySync({ name: "env", variable: "GLIDE_DENO_WAKEUP" });
    if (env.state === "granted" && Deno.env.get("GLIDE_DENO_WAKEUP") === "poll") return false;
    return Deno.permissions.querySync({ name: "net", host: `127.0.0.1:${port}` }).state ===
      "granted";
  } catch {
    return false;
  }
}

/** One isolate's wake-up socket. @internal */
export class WakeSocket {
  readonly #buf = new Uint8Array(256);
  #closed = false;

  private constructor(readonly conn: Deno.TcpConn) {}

  /**
   * Connects `queue`'s wake-up socket, or gives `undefined` when it cannot (not permitted, no
   * listener, refused): the caller then keeps using the long poll.
   */
  static async open(core: Core, queue: number): Promise<WakeSocket | undefined> {
    const port = core.glide_wakeup_port();
    if (port === 0 || !permitted(port)) return undefined;
    const hello = new Uint8Array(20);
    if (core.glide_wakeup_hello(queue, hello, hello.length) !== hello.length) return undefined;
    let conn: Deno.TcpConn | undefined;
    try {
      conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.setNoDelay(true);
      for (let off = 0; off < hello.length;) off += await conn.write(hello.subarray(off));
      const answer = new Uint8Array(1);
      if (await conn.read(answer) !== 1 || answer[0] !== READY) throw new Error("refused");
      return new WakeSocket(conn);
    } catch {
      try {
        conn?.close();
      } catch { /* already closed */ }
      return undefined;
    }
  }

  /** Resolves once the core rang (true), or when the socket ended (false). */
  async wait(): Promise<boolean> {
    try {
      return (await this.conn.read(this.#buf)) !== null;
    } catch {
      return false;
    }
  }

  /** Closes the socket; an outstanding {@link wait} resolves false. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}
