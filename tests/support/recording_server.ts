/**
 * A loopback listener, run in a Worker (so that a sync client blocking the test's thread can
 * still be answered), that answers `+OK` to every command and `+PONG` to PING and records the
 * commands it read: it shows the bytes a client sends when it connects.
 *
 * Messages: it posts `{ port }` once listening; asked `"commands"`, it posts `{ commands }`.
 */

/// <reference lib="deno.worker" />

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const commands: string[][] = [];

async function serve(conn: Deno.Conn): Promise<void> {
  let buf = "";
  const chunk = new Uint8Array(4096);
  for (;;) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) break;
    buf += new TextDecoder().decode(chunk.subarray(0, n));
    // Whole arrays of bulk strings: *N\r\n($len\r\narg\r\n)*N
    for (;;) {
      const lines = buf.split("\r\n");
      const count = Number(lines[0]?.slice(1));
      if (!lines[0]?.startsWith("*") || lines.length < 1 + 2 * count + 1) break;
      const args = Array.from({ length: count }, (_, i) => lines[2 + 2 * i]);
      commands.push(args);
      buf = lines.slice(1 + 2 * count).join("\r\n");
      const reply = args[0].toUpperCase() === "PING" ? "+PONG\r\n" : "+OK\r\n";
      await conn.write(new TextEncoder().encode(reply)).catch(() => {});
    }
  }
  try {
    conn.close();
  } catch { /* closed */ }
}

self.onmessage = () => self.postMessage({ commands });
self.postMessage({ port: (listener.addr as Deno.NetAddr).port });
for await (const conn of listener) serve(conn);
