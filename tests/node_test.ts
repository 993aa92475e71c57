// node.ts, the entry point for code ported from GLIDE Node: a GLIDE Node program runs unchanged
// (only its import resolved to node.ts) and prints what it prints on GLIDE Node itself; bytes
// replies are Buffers there and Uint8Arrays in mod.ts; every name GLIDE Node exports that
// applies here is exported.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import * as node from "../node.ts";
import * as deno from "../mod.ts";
import { clusterAddresses, key, standaloneAddress } from "./harness.ts";
import { serversUseTls, withServerTls } from "./server_tls.ts";

const ROOT = new URL("../", import.meta.url);

/**
 * Runs `file` (`deno run`, or `deno check` when `args` is null) with `@valkey/valkey-glide`
 * mapped to `target`; its last line of output.
 */
async function runWith(target: string, file: string, args: string[] | null): Promise<string> {
  const config = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      imports: {
        "@valkey/valkey-glide": target,
        "@bufbuild/protobuf": "npm:@bufbuild/protobuf@^2.17.0",
      },
    }),
  );
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: args === null
        ? ["check", "--no-lock", "--config", config, file]
        : ["run", "-A", "--no-lock", "--config", config, file, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    assert.ok(out.success, `${target}: ${new TextDecoder().decode(out.stderr)}`);
    return text.split("\n").at(-1)!;
  } finally {
    await Deno.remove(config);
  }
}

Deno.test({
  name:
    "node.ts: a GLIDE Node program type-checks and runs with only its import changed, and prints what it prints on GLIDE Node",
  ignore: serversUseTls(), // the program connects in plain TCP, as most GLIDE Node apps do
  fn: async () => {
    const { host, port } = standaloneAddress();
    const ports = clusterAddresses().map((a) => a.port).join(",");
    const program = new URL("tasks/bench/node_port_program.ts", ROOT).pathname;
    const glide = await runWith("npm:@valkey/valkey-glide@2.5.2", program, [
      host,
      String(port),
      ports,
      key("port:glide"),
    ]);
    const ours = await runWith(new URL("node.ts", ROOT).href, program, [
      host,
      String(port),
      ports,
      key("port:ours"),
    ]);
    assert.deepEqual(JSON.parse(ours), JSON.parse(glide));
    // It type-checks against node.ts as it does against GLIDE's own types.
    await runWith(new URL("node.ts", ROOT).href, program, null);
    assert.deepEqual(JSON.parse(ours).get, [true, "héllo", "héllo"]);
  },
});

Deno.test("node.ts: bytes replies are Buffers (no copy); mod.ts keeps Uint8Array", async () => {
  const addresses = [standaloneAddress()];
  const config = withServerTls({ addresses });
  const n = await node.GlideClient.createClient(config);
  const d = await deno.GlideClient.createClient(config);
  const bytesDefault = await node.GlideClient.createClient({
    ...config,
    defaultDecoder: node.Decoder.Bytes,
  });
  try {
    const k = key("node:bytes");
    await n.set(k, "value");
    const b = await n.get(k, { decoder: node.Decoder.Bytes });
    assert.ok(Buffer.isBuffer(b));
    assert.equal(b!.toString(), "value");
    const u = await d.get(k, { decoder: deno.Decoder.Bytes });
    assert.ok(u instanceof Uint8Array && !Buffer.isBuffer(u));
    assert.ok(Buffer.isBuffer(await bytesDefault.get(k)));
    assert.equal(await n.get(k), "value"); // strings stay strings
    const batch = new node.Transaction().get(k).lrange(key("node:none"), 0, -1);
    const r = await bytesDefault.exec(batch, true);
    assert.ok(Buffer.isBuffer(r![0]));
    assert.ok(n instanceof node.BaseClient && d instanceof node.BaseClient);
    assert.ok(batch instanceof node.BaseBatch && batch instanceof node.Batch);
    assert.equal(batch.isAtomic, true);
    await n.del([k]);
  } finally {
    n.close();
    d.close();
    bytesDefault.close();
  }
});

/**
 * GLIDE Node's run-time exports that node.ts does not provide, and why. Everything else it
 * exports (minus its internals: `create*` request builders, native bindings) must be here.
 */
const NOT_PROVIDED: Record<string, string> = {
  AsyncClient: "GLIDE's internal socket client",
  ClientTrackingInfo: "a reply class; clientTrackingInfo() returns a plain object here",
  LatencyEntry: "a reply class; latencyLatest() returns plain arrays here",
  LatencyEventInfo: "a reply class; latencyHistory() returns plain arrays here",
  parseClientTrackingInfoResponse: "GLIDE's internal reply parser",
  parseLatencyHistoryResponse: "GLIDE's internal reply parser",
  parseLatencyLatestResponse: "GLIDE's internal reply parser",
  parseMemoryStatsResponse: "GLIDE's internal reply parser",
  validateCompressionConfiguration: "GLIDE's internal check; createClient validates",
};
const INTERNAL =
  /^create[A-Z]|^__|^default$|^module\.exports$|Otel|Leaked|^valueFromPointer$|^StartSocketConnection$|^Init(InternalLogger|OpenTelemetry)$|^(close|create)MonitorClient$|^compressionConfigToProtobuf$|^(register|remove)AddressResolver$/;

Deno.test("node.ts: every name GLIDE Node exports that applies here is exported", async () => {
  const lister = new URL("tasks/bench/glide_node_exports.ts", ROOT).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", lister],
    cwd: new URL("tasks/bench/", ROOT).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const glide: string[] = JSON.parse(
    new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!,
  );
  const ours = new Set(Object.keys(node));
  const applies = glide.filter((name) => !INTERNAL.test(name) && !(name in NOT_PROVIDED));
  assert.ok(applies.length >= 70, `${applies.length} names`);
  assert.deepEqual(applies.filter((name) => !ours.has(name)), []);
  // The list of what is missing stays true: nothing in it is provided after all.
  assert.deepEqual(Object.keys(NOT_PROVIDED).filter((name) => ours.has(name)), []);
  assert.deepEqual(Object.keys(NOT_PROVIDED).filter((name) => !glide.includes(name)), []);
});

Deno.test("node.ts: GLIDE's record helpers and constants", () => {
  assert.deepEqual(node.convertGlideRecord({ a: "1" }), [{ key: "a", value: "1" }]);
  assert.deepEqual(node.convertRecordToGlideRecord({ a: 1 }), [{ key: "a", value: 1 }]);
  assert.deepEqual(
    node.convertGlideRecordToRecord([{ key: "a", value: [{ key: "b", value: 2 }] }]),
    { a: { b: 2 } },
  );
  assert.equal(node.isGlideRecord([]), false);
  assert.deepEqual(node.convertElementsAndScores({ x: 1 }), [{ element: "x", score: 1 }]);
  assert.deepEqual(node.convertFieldsAndValuesToHashDataType({ f: "v" }), [
    { field: "f", value: "v" },
  ]);
  assert.deepEqual(node.convertKeysAndEntries([{ key: "k", value: 1 }]), [{ key: "k", value: 1 }]);
  assert.equal(
    node.parseInfoResponse("# Server\r\nredis_version:7.0.15\r\n").redis_version,
    "7.0.15",
  );
  assert.equal(node.DEFAULT_REQUEST_TIMEOUT_IN_MILLISECONDS, 250);
  assert.equal(node.DEFAULT_CONNECTION_TIMEOUT_IN_MILLISECONDS, 2000);
  assert.equal(node.DEFAULT_INFLIGHT_REQUESTS_LIMIT, 1000);
  assert.equal(node.MAX_REQUEST_ARGS_LEN, 4096);
  assert.ok(node.TIMEOUT_ERROR instanceof node.TimeoutError);
  assert.equal(node.GlideClusterClientConfiguration.PubSubChannelModes.Sharded, 2);
});

for (const [label, lib] of [["node.ts", node], ["mod.ts", deno]] as const) {
  Deno.test(`${label}: as GLIDE, empty lists and negative bit offsets go to the server; HELLO is a map on RESP2; a closed client says so in GLIDE's words`, async () => {
    const clients = [
      await lib.GlideClient.createClient(withServerTls({ addresses: [standaloneAddress()] })),
      await lib.GlideClusterClient.createClient(withServerTls({ addresses: clusterAddresses() })),
    ];
    const serverSays = (e: Error) =>
      e instanceof lib.RequestError && !(e instanceof lib.ConfigurationError);
    try {
      for (const c of clients) {
        const k = key("glide:empty");
        assert.deepEqual(await c.geopos(k, []), []);
        assert.deepEqual(await c.geohash(k, []), []);
        await assert.rejects(async () => await c.sinter([]), serverSays);
        await assert.rejects(async () => await c.pfcount([]), serverSays);
        await assert.rejects(async () => await c.mset({}), serverSays);
        await assert.rejects(
          async () =>
            await c.bitfield(k, [
              new lib.BitFieldGet(new lib.UnsignedEncoding(2), new lib.BitOffset(-1)),
            ]),
          (e: Error) => serverSays(e) && /bit offset/.test(e.message),
        );
        assert.throws(() => new lib.BitOffset(1.5), lib.ConfigurationError);
      }
      const resp2 = await lib.GlideClient.createClient(withServerTls({
        addresses: [standaloneAddress()],
        protocol: lib.ProtocolVersion.RESP2,
      }));
      try {
        const hello = await resp2.customCommand(["HELLO"]) as { key: unknown; value: unknown }[];
        const proto = hello.find((e) => e.key === "proto");
        assert.equal(proto?.value, 2);
      } finally {
        resp2.close();
      }
      const closed = clients[0];
      closed.close();
      await assert.rejects(
        () => closed.ping(),
        (e: Error) =>
          e instanceof lib.ClosingError &&
          e.message ===
            "Unable to execute requests; the client is closed. Please create a new client.",
      );
    } finally {
      for (const c of clients) c.close();
    }
  });
}

Deno.test({
  name: "node.ts: pub/sub messages decoded as bytes are Buffers (callback and getPubSubMessage)",
  fn: async () => {
    const addresses = [standaloneAddress()];
    const tls = withServerTls({ addresses });
    const channel = key("node:channel");
    const got: unknown[] = [];
    const withCallback = await node.GlideClient.createClient({
      ...tls,
      defaultDecoder: node.Decoder.Bytes,
      pubsubSubscriptions: {
        channelsAndPatterns: { [node.PubSubChannelModes.Exact]: new Set([channel]) },
        callback: (msg) => got.push(msg.message),
      },
    });
    const polled = await node.GlideClient.createClient({
      ...tls,
      defaultDecoder: node.Decoder.Bytes,
      pubsubSubscriptions: {
        channelsAndPatterns: { [node.PubSubChannelModes.Exact]: new Set([channel]) },
      },
    });
    const publisher = await node.GlideClient.createClient(tls);
    try {
      await publisher.publish("hello", channel);
      const msg = await polled.getPubSubMessage();
      assert.ok(Buffer.isBuffer(msg.message) && Buffer.isBuffer(msg.channel));
      assert.equal(msg.message.toString(), "hello");
      for (let i = 0; i < 200 && got.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(Buffer.isBuffer(got[0]));
      assert.equal(String(got[0]), "hello");
    } finally {
      withCallback.close();
      polled.close();
      publisher.close();
    }
  },
});
