/**
 * A RESP server that misbehaves on purpose, for the hostile-server tests.
 *
 * It answers the handshake (HELLO, AUTH, CLIENT, SELECT, PING, READONLY) and a fake cluster's
 * topology (CLUSTER SLOTS / SHARDS / NODES: itself owning every slot) correctly. A `GET key`
 * answers `v:<key>` (so a test can tell whose reply a caller got), misbehaving as the key's
 * first `:`-separated word says, e.g. `GET drip:1` trickles its reply a byte at a time; an `INCR`
 * of such a key misbehaves the same way. A key `asked:<key>` is answered `-ASK` (to this server)
 * the first time, and as `<key>` after that. The server counts the data commands it read, by key
 * (`received`).
 * Connection-level faults (silence or RST on accept) hold until anything connects to the
 * control port.
 */

/** How `GET <scenario>:...` misbehaves. */
export const SCENARIOS = [
  "ok",
  "badtype",
  "hugelen",
  "neglen",
  "midclose",
  "silence",
  "halfopen",
  "late",
  "drip",
  "endless",
  "junk",
  "deep",
  "pushflood",
  "extra",
  "unasked",
  "rstmid",
] as const;

/** One data-command scenario. */
export type Scenario = typeof SCENARIOS[number];

/** What the server does with a new connection until the control port is touched. */
export type AcceptMode = "normal" | "silent" | "rst";

/** A running hostile server. */
export interface HostileServer {
  port: number;
  controlPort: number;
  /** How many `GET`s and `INCR`s of `key` it read, over all its connections. */
  received(key: string): number;
  close(): void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function bulk(s: string): string {
  return `$${enc.encode(s).length}\r\n${s}\r\n`;
}

/** Parses one command (an array of bulk strings) at `pos`, or null if incomplete. */
function parseCommand(buf: Uint8Array, pos: number): [string[], number] | null {
  const line = (at: number): [string, number] | null => {
    const eol = buf.indexOf(13, at);
    return eol < 0 || eol + 1 >= buf.length ? null : [dec.decode(buf.subarray(at, eol)), eol + 2];
  };
  const head = line(pos);
  if (!head) return null;
  const n = Number(head[0].slice(1));
  let at = head[1];
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = line(at);
    if (!len) return null;
    const size = Number(len[0].slice(1));
    if (buf.length < len[1] + size + 2) return null;
    args.push(dec.decode(buf.subarray(len[1], len[1] + size)));
    at = len[1] + size + 2;
  }
  return [args, at];
}

function topology(port: number, what: string, resp3: boolean): string {
  const id = "0".repeat(39) + "1";
  if (what === "SLOTS") {
    return `*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n${bulk("127.0.0.1")}:${port}\r\n${bulk(id)}`;
  }
  if (what === "NODES") {
    return bulk(
      `${id} 127.0.0.1:${port}@${port + 10000} myself,master - 0 0 1 connected 0-16383\n`,
    );
  }
  const map = (n: number) => resp3 ? `%${n}\r\n` : `*${n * 2}\r\n`;
  const node = `${map(6)}${bulk("id")}${bulk(id)}${bulk("port")}:${port}\r\n${bulk("ip")}${
    bulk("127.0.0.1")
  }${bulk("endpoint")}${bulk("127.0.0.1")}${bulk("role")}${bulk("master")}${bulk("health")}${
    bulk("online")
  }`;
  return `*1\r\n${map(2)}${bulk("slots")}*2\r\n:0\r\n:16383\r\n${bulk("nodes")}*1\r\n${node}`;
}

/** A pub/sub message on `channel` (RESP3), its payload as given. */
function pushed(channel: string, payload: string): string {
  return `>3\r\n${bulk("message")}${bulk(channel)}${payload}`;
}

/** The correct reply to a command other than a scenario's GET. */
function answer(args: string[], port: number, state: { resp3: boolean }): string {
  const name = args[0]?.toUpperCase();
  switch (name) {
    case "HELLO": {
      state.resp3 = args[1] === "3";
      const fields = [["server", "redis"], ["version", "7.0.0"], ["mode", "standalone"], [
        "role",
        "master",
      ]];
      const body = fields.map(([k, v]) => bulk(k) + bulk(v)).join("") +
        `${bulk("proto")}:${state.resp3 ? 3 : 2}\r\n${bulk("id")}:1\r\n${bulk("modules")}*0\r\n`;
      return (state.resp3 ? "%7\r\n" : "*14\r\n") + body;
    }
    case "PING":
      return "+PONG\r\n";
    case "CLUSTER":
      return topology(port, args[1]?.toUpperCase() ?? "", state.resp3);
    case "INFO":
      return bulk("# Server\r\nredis_version:7.0.0\r\n");
    case "GET":
      return bulk(`v:${args[1]}`);
    case "INCR":
      return ":1\r\n";
    case "SUBSCRIBE":
      // RESP3: a confirmation per channel; a channel named `ok:...` then gets a message
      // "hello" (and one named `neglen:...`, a moment later, a bad one: see serve()).
      return args.slice(1).map((ch, i) => {
        const confirm = `>3\r\n${bulk("subscribe")}${bulk(ch)}:${i + 1}\r\n`;
        return ch.startsWith("ok:") ? confirm + pushed(ch, bulk("hello")) : confirm;
      }).join("");
    default:
      return "+OK\r\n";
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let n = 0; n < data.length;) n += await conn.write(data.subarray(n));
}

/** Misbehaves for `GET <scenario>:...`; returns false when the connection is done. */
async function misbehave(
  conn: Deno.Conn,
  scenario: Scenario,
  key: string,
  state: { resp3: boolean; mute: boolean },
): Promise<boolean> {
  const w = (s: string) => writeAll(conn, enc.encode(s));
  const right = bulk(`v:${key}`);
  switch (scenario) {
    case "badtype":
      await w("&what\r\n");
      return true;
    case "hugelen":
      await w("$99999999999\r\nabc");
      return true;
    case "neglen":
      await w("$-5\r\n");
      return true;
    case "midclose":
      await w(right.slice(0, 4));
      return false;
    case "rstmid":
      // Closing with the client's bytes unread makes the kernel send RST.
      await w(right.slice(0, 4));
      state.mute = true;
      await sleep(60);
      return false;
    case "silence":
      return true;
    case "halfopen":
      state.mute = true;
      return true;
    case "late":
      setTimeout(() => w(right).catch(() => {}), 700);
      return true;
    case "drip":
      for (const ch of right) {
        await sleep(100);
        await w(ch);
      }
      return true;
    case "endless":
      await w("$999999999\r\n");
      for (let i = 0; i < 600; i++) {
        await sleep(10);
        await w("x");
      }
      return false;
    case "junk": {
      const chunk = new Uint8Array(1 << 20).fill(120);
      chunk[0] = 43; // '+', a simple string that never ends
      await writeAll(conn, chunk.subarray(0, 1));
      chunk[0] = 120;
      for (let i = 0; i < 100; i++) await writeAll(conn, chunk);
      return true;
    }
    case "deep":
      await w("*1\r\n".repeat(100_000) + ":1\r\n");
      return true;
    case "pushflood": {
      const push = `>3\r\n${bulk("message")}${bulk("chan")}${bulk("x")}`;
      await w(push.repeat(20_000) + right);
      return true;
    }
    case "extra":
      await w(right + bulk("v:extra"));
      return true;
    case "unasked":
      // A reply nobody asked for, after the client has its own and is idle.
      await w(right);
      setTimeout(() => w(bulk("v:unasked")).catch(() => {}), 20);
      return true;
    default:
      await w(right);
      return true;
  }
}

async function serve(
  conn: Deno.Conn,
  port: number,
  received: Map<string, number>,
): Promise<void> {
  const state = { resp3: false, mute: false };
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(64 * 1024);
  while (true) {
    const n = await conn.read(chunk);
    if (n === null) return;
    if (state.mute) continue;
    const joined = new Uint8Array(buf.length + n);
    joined.set(buf);
    joined.set(chunk.subarray(0, n), buf.length);
    buf = joined;
    let pos = 0;
    while (pos < buf.length) {
      const parsed = parseCommand(buf, pos);
      if (!parsed) break;
      pos = parsed[1];
      const [args] = parsed;
      const data = ["GET", "INCR"].includes(args[0]?.toUpperCase());
      let key = args[1] ?? "";
      if (data) received.set(key, (received.get(key) ?? 0) + 1);
      if (data && key.startsWith("asked:")) {
        if (received.get(key) === 1) {
          if (!state.mute) await writeAll(conn, enc.encode(`-ASK 0 127.0.0.1:${port}\r\n`));
          continue;
        }
        key = key.slice("asked:".length);
      }
      const scenario = key.split(":")[0] as Scenario;
      if (data && SCENARIOS.includes(scenario) && scenario !== "ok") {
        if (!await misbehave(conn, scenario, key, state)) return;
      } else if (!state.mute) {
        await writeAll(conn, enc.encode(answer(args, port, state)));
        const bad = args[0]?.toUpperCase() === "SUBSCRIBE" &&
          args.slice(1).find((ch) => ch.startsWith("neglen:"));
        if (bad) {
          // Once subscribed: a message whose payload has the length -5.
          setTimeout(() => writeAll(conn, enc.encode(pushed(bad, "$-5\r\n"))).catch(() => {}), 100);
        }
      }
    }
    buf = buf.slice(pos);
  }
}

/**
 * Starts a hostile server on a free loopback port.
 *
 * @example
 * ```ts
 * const server = startHostileServer("normal");
 * // GET drip:1 on 127.0.0.1:server.port trickles "v:drip:1"
 * server.close();
 * ```
 */
export function startHostileServer(accept: AcceptMode): HostileServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const control = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  let mode = accept;
  const conns = new Set<Deno.Conn>();
  const received = new Map<string, number>();
  const track = async (conn: Deno.Conn, work: () => Promise<void>) => {
    conns.add(conn);
    try {
      await work();
    } catch {
      // the client went away
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // closed already
      }
    }
  };
  (async () => {
    for await (const conn of control) {
      mode = "normal";
      conn.close();
    }
  })().catch(() => {});
  (async () => {
    for await (const conn of listener) {
      if (mode === "rst") {
        // Wait for the client's first bytes and close without reading them: RST.
        track(conn, () => sleep(50));
      } else if (mode === "silent") {
        track(conn, async () => {
          while (await conn.read(new Uint8Array(4096)) !== null) { /* never answer */ }
        });
      } else {
        track(conn, () => serve(conn, port, received));
      }
    }
  })().catch(() => {});
  return {
    port,
    controlPort: (control.addr as Deno.NetAddr).port,
    received: (key) => received.get(key) ?? 0,
    close() {
      listener.close();
      control.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // closed already
        }
      }
    },
  };
}
