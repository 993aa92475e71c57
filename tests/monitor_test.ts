import assert from "node:assert/strict";
import {
  ClosingError,
  ConnectionError,
  GlideClient,
  GlideClusterClient,
  GlideMonitorClient,
  type MonitorLine,
  parseMonitorLine,
  RequestError,
} from "../mod.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { startStandalone } from "../tasks/servers.ts";
import { clusterAddresses, key, standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const config = () => withServerTls({ addresses: [standaloneAddress()] });

/** Reads lines until one runs `command` on `k` (other clients' commands pass by too). */
async function lineFor(m: GlideMonitorClient, command: string, k: string): Promise<MonitorLine> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const line = await m.getNextMessage();
    if (line.command.toUpperCase() === command && line.args[0] === k) return line;
  }
  throw new Error(`no ${command} ${k} line`);
}

Deno.test("monitor lines parse as GLIDE's MonitorLine, escapes undone", () => {
  assert.deepEqual(parseMonitorLine('+1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"'), {
    timestamp: 1700000000.123456,
    db: 0,
    clientAddr: "127.0.0.1:50000",
    command: "SET",
    args: ["k", "v"],
  });
  const lua = parseMonitorLine('1700000000.5 [3 lua] "get" "a\\"b" "c\\\\d" "e\\nf" "\\x00\\xff"');
  assert.deepEqual(lua?.args, ['a"b', "c\\d", "e\nf", "\x00\xff"]);
  assert.equal(lua?.db, 3);
  assert.equal(lua?.clientAddr, "lua");
  assert.equal(parseMonitorLine('1.5 [0 unix:/tmp/v.sock] "PING"')?.clientAddr, "unix:/tmp/v.sock");
  assert.deepEqual(parseMonitorLine('1.5 [0 127.0.0.1:1] "PING"')?.args, []);
  // Valkey 8.1 leaves a quote inside an argument unescaped.
  assert.deepEqual(
    parseMonitorLine('1.5 [0 127.0.0.1:1] "SET" "k" "\\x00"\\xff\\n"')?.args,
    ["k", '\x00"\xff\n'],
  );
  for (const bad of ["", "OK", 'x [0 a] "GET"', '1.5 [zero a] "GET"', "1.5 [0 a] "]) {
    assert.equal(parseMonitorLine(bad), undefined, bad);
  }
});

Deno.test("monitor: another client's commands arrive in order, with binary arguments", async () => {
  await using monitor = await GlideMonitorClient.create(config());
  await using c = await GlideClient.createClient(config());
  const k = key("monitor");
  await c.set(k, new Uint8Array([0, 0x22, 0xff, 0x0a]));
  await c.get(k);
  const set = await lineFor(monitor, "SET", k);
  assert.deepEqual(set.args, [k, '\x00"\xff\n']);
  assert.ok(set.timestamp > 1e9 && set.timestamp < 1e11);
  assert.equal(set.db, 0);
  assert.match(set.clientAddr, /:\d+$/);
  const get = await lineFor(monitor, "GET", k);
  assert.ok(get.timestamp >= set.timestamp);
});

Deno.test("monitor: a callback gets every line; getNextMessage is refused then", async () => {
  const seen: MonitorLine[] = [];
  const k = key("monitor-cb");
  const monitor = await GlideMonitorClient.create(config(), (line) => seen.push(line));
  try {
    await assert.rejects(monitor.getNextMessage(), RequestError);
    await using c = await GlideClient.createClient(config());
    await c.set(k, "v");
    const deadline = Date.now() + 3000;
    while (!seen.some((l) => l.args[0] === k) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(seen.some((l) => l.command.toUpperCase() === "SET" && l.args[0] === k));
  } finally {
    await monitor.close();
    await monitor.close(); // idempotent
  }
});

Deno.test("monitor: close rejects a waiting reader with ClosingError", async () => {
  // A server of its own: no other client's command can answer the reader first.
  const server = await startStandalone();
  try {
    const monitor = await GlideMonitorClient.create({
      addresses: [{ host: server.host, port: server.port }],
    });
    const waiting = assert.rejects(monitor.getNextMessage(), ClosingError);
    await monitor.close();
    await waiting;
    await assert.rejects(monitor.getNextMessage(), ClosingError);
  } finally {
    await server.stop();
  }
});

Deno.test("monitor: the server going away rejects the reader with ConnectionError", async () => {
  const server = await startStandalone();
  try {
    const monitor = await GlideMonitorClient.create({
      addresses: [{ host: server.host, port: server.port }],
    });
    try {
      while (monitor.tryGetNextMessage()) { /* skip */ }
      const ended = assert.rejects(monitor.getNextMessage(), ConnectionError);
      await server.kill("SIGKILL");
      await ended;
    } finally {
      await monitor.close();
    }
  } finally {
    await server.stop();
  }
});

Deno.test("monitor: bad configuration is refused before connecting", async () => {
  await assert.rejects(
    GlideMonitorClient.create({ addresses: [] }),
    (e: Error) => e.name === "ConfigurationError",
  );
  await assert.rejects(
    GlideMonitorClient.create(config(), "not a function" as never),
    (e: Error) => e.name === "ConfigurationError",
  );
});

Deno.test("other clients refuse MONITOR and stay usable", async () => {
  await using a = await GlideClient.createClient(config());
  await assert.rejects(a.customCommand(["MONITOR"]), RequestError);
  assert.equal(await a.ping(), "PONG");
  const s = SyncClient.createClient(config());
  try {
    assert.throws(() => s.customCommand(["monitor"]), RequestError);
    assert.equal(s.ping(), "PONG");
  } finally {
    s.close();
  }
  await using cl = await GlideClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses() }),
  );
  await assert.rejects(cl.customCommand(["MONITOR"]), RequestError);
  assert.equal(await cl.ping(), "PONG");
});
