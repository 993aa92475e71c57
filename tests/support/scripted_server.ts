/**
 * A loopback RESP server, run in a Worker (so that a sync client blocking the test's thread can
 * still be answered), that plays recorded replies: it answers the connection handshake itself
 * (HELLO 2/3 with the server's map, CLIENT SETINFO, SELECT, AUTH, PING, INFO) and every other
 * command with the next reply of its script, in the protocol the connection asked for. It keeps
 * the commands it played replies to, as the bytes it read.
 *
 * Messages in: `{ type: "script", replies }` (each reply `{ resp2, resp3 }`, RESP bytes; the
 * recorded commands are cleared) is acknowledged with `{ type: "ready" }`; `{ type: "commands" }`
 * is answered with `{ type: "commands", commands }`, each `{ args, raw, protocol }`.
 * It posts `{ type: "port", port }` once listening.
 */

/// <reference lib="deno.worker" />

/** One scripted reply, as sent on a RESP2 and on a RESP3 connection. */
export interface ScriptedReply {
  resp2: Uint8Array;
  resp3: Uint8Array;
}

/** A command the server answered from its script. */
export interface PlayedCommand {
  /** Its arguments, as read. */
  args: Uint8Array[];
  /** The command's bytes, exactly as read. */
  raw: Uint8Array;
  /** The connection's protocol when it came. */
  protocol: 2 | 3;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CR = 13;

let script: ScriptedReply[] = [];
const played: PlayedCommand[] = [];

/** Where the `\r\n` at or after `from` starts, or -1. */
function lineEnd(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === CR && buf[i + 1] === 10) return i;
  return -1;
}

/** One `*N\r\n($len\r\narg\r\n)*N` command at the start of `buf`, or null until it is whole. */
function parse(buf: Uint8Array): { args: Uint8Array[]; length: number } | null {
  let end = lineEnd(buf, 0);
  if (end < 0) return null;
  if (buf[0] !== 0x2a) throw new Error("scripted server: only RESP arrays are understood");
  const count = Number(decoder.decode(buf.subarray(1, end)));
  let pos = end + 2;
  const args: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    end = lineEnd(buf, pos);
    if (end < 0) return null;
    const len = Number(decoder.decode(buf.subarray(pos + 1, end)));
    const start = end + 2;
    if (buf.length < start + len + 2) return null;
    args.push(buf.slice(start, start + len));
    pos = start + len + 2;
  }
  return { args, length: pos };
}

/** The handshake's answers, or undefined for a command the script answers. */
function handshake(args: string[], conn: { protocol: 2 | 3 }): string | undefined {
  const name = args[0]?.toUpperCase();
  switch (name) {
    case "HELLO": {
      const version = args[1] === "3" ? 3 : 2;
      conn.protocol = version;
      const fields: [string, string][] = [
        ["server", "+valkey"],
        ["version", "+8.1.0"],
        ["proto", `:${version}`],
        ["id", ":7"],
        ["mode", "+standalone"],
        ["role", "+master"],
        ["modules", "*0"],
      ];
      const body = fields.map(([k, v]) => `+${k}\r\n${v}\r\n`).join("");
      return version === 3 ? `%${fields.length}\r\n${body}` : `*${2 * fields.length}\r\n${body}`;
    }
    case "CLIENT":
    case "SELECT":
    case "AUTH":
      return "+OK\r\n";
    case "PING":
      return "+PONG\r\n";
    case "INFO": {
      const text = "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
      return `$${encoder.encode(text).length}\r\n${text}\r\n`;
    }
  }
  return undefined;
}

/** Writes all of `bytes` (a write may take part of them); false once the peer has gone. */
async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<boolean> {
  for (let off = 0; off < bytes.length;) {
    const n = await conn.write(bytes.subarray(off)).catch(() => null);
    if (n === null) return false;
    off += n;
  }
  return true;
}

async function serve(conn: Deno.Conn): Promise<void> {
  const state: { protocol: 2 | 3 } = { protocol: 2 };
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) break;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
    for (;;) {
      const command = parse(buf);
      if (command === null) break;
      const raw = buf.slice(0, command.length);
      buf = buf.slice(command.length);
      const text = command.args.map((a) => decoder.decode(a));
      let reply: Uint8Array;
      const fixed = handshake(text, state);
      if (fixed !== undefined) {
        reply = encoder.encode(fixed);
      } else {
        played.push({ args: command.args, raw, protocol: state.protocol });
        const scripted = script.shift();
        reply = scripted
          ? (state.protocol === 3 ? scripted.resp3 : scripted.resp2)
          : encoder.encode(`-ERR scripted server: no reply scripted for ${text[0]}\r\n`);
      }
      if (!(await writeAll(conn, reply))) break;
    }
  }
  try {
    conn.close();
  } catch { /* closed */ }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
self.onmessage = (e: MessageEvent) => {
  const message = e.data as { type: string; replies?: ScriptedReply[] };
  if (message.type === "script") {
    script = [...(message.replies ?? [])];
    played.length = 0;
    self.postMessage({ type: "ready" });
  } else if (message.type === "commands") {
    self.postMessage({ type: "commands", commands: played });
  }
};
self.postMessage({ type: "port", port: (listener.addr as Deno.NetAddr).port });
for await (const conn of listener) serve(conn);
