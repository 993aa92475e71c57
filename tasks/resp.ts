/**
 * A minimal RESP2 client for the task scripts: one command on a fresh loopback connection, used
 * to wait for servers and inspect clusters. Not the project's client.
 */

/** A decoded RESP2 reply; server errors are returned as {@link RespError} values. */
export type RespValue = string | number | null | RespError | RespValue[];

/** A `-ERR ...` reply. */
export class RespError {
  /** Wraps the server's error text. */
  constructor(readonly message: string) {}
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** One command as RESP2 text (concatenate several for a pipeline). */
export function encodeCommand(args: string[]): string {
  const parts = args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`);
  return `*${args.length}\r\n${parts.join("")}`;
}

/** Parses one reply at `pos`; returns it and the next position, or null if incomplete. */
export function parse(buf: Uint8Array, pos: number): [RespValue, number] | null {
  const eol = buf.indexOf(13, pos);
  if (eol < 0 || eol + 1 >= buf.length) return null;
  const head = dec.decode(buf.subarray(pos + 1, eol));
  const next = eol + 2;
  switch (buf[pos]) {
    case 43: // +
      return [head, next];
    case 45: // -
      return [new RespError(head), next];
    case 58: // :
      return [Number(head), next];
    case 36: { // $
      const len = Number(head);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) return null;
      return [dec.decode(buf.subarray(next, next + len)), next + len + 2];
    }
    case 42: { // *
      const len = Number(head);
      if (len < 0) return [null, next];
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < len; i++) {
        const item = parse(buf, at);
        if (!item) return null;
        items.push(item[0]);
        at = item[1];
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected RESP type byte ${buf[pos]}`);
  }
}

/**
 * Sends one command to `host:port` on a new connection and returns the reply. Rejects on
 * connection errors and after `timeoutMs` (default 2000).
 */
export async function command(
  host: string,
  port: number,
  args: string[],
  timeoutMs = 2000,
): Promise<RespValue> {
  const conn = await Deno.connect({ hostname: host, port });
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    const out = enc.encode(encodeCommand(args));
    for (let n = 0; n < out.length;) n += await conn.write(out.subarray(n));
    let buf: Uint8Array = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    while (true) {
      const reply = buf.length ? parse(buf, 0) : null;
      if (reply) return reply[0];
      const n = await conn.read(chunk);
      if (n === null) throw new Error(`${host}:${port} closed the connection`);
      const grown = new Uint8Array(buf.length + n);
      grown.set(buf);
      grown.set(chunk.subarray(0, n), buf.length);
      buf = grown;
    }
  } catch (e) {
    if (e instanceof Deno.errors.BadResource) {
      throw new Error(`${host}:${port} did not answer ${args[0]} within ${timeoutMs} ms`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

/** Like {@link command}, but throws on an error reply and returns the reply as text. */
export async function text(host: string, port: number, args: string[]): Promise<string> {
  const reply = await command(host, port, args);
  if (reply instanceof RespError) throw new Error(`${args[0]}: ${reply.message}`);
  return typeof reply === "string" ? reply : JSON.stringify(reply);
}

/** Whether `host:port` answers PING with PONG. */
export async function ping(host: string, port: number): Promise<boolean> {
  try {
    return await command(host, port, ["PING"], 1000) === "PONG";
  } catch {
    return false;
  }
}

/** Parses `INFO`-style `key:value` lines into a map. */
export function infoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) fields.set(line.slice(0, i), line.slice(i + 1));
  }
  return fields;
}
