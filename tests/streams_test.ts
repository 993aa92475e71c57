import assert from "node:assert/strict";
import { ConfigurationError, Decoder, InfBoundary, RequestError } from "../mod.ts";
import {
  type AnyBaseClient,
  clusterAddresses,
  dispose,
  disposeCluster,
  eachBase,
  key,
  keys,
  makeClient,
  makeClusterClient,
  standaloneAddress,
} from "./harness.ts";
import { serverTlsCliArgs } from "./server_tls.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const ALL = [InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity] as const;

/** A stream with entries 1-0, 2-0, 3-0 (fields f1..f3). */
async function seed(c: AnyBaseClient, k: string): Promise<void> {
  for (const n of [1, 2, 3]) {
    assert.equal(
      await c.xadd(k, [[`f${n}`, `v${n}`], ["n", String(n)]], { id: `${n}-0` }),
      `${n}-0`,
    );
  }
}

eachBase("xadd, xlen, xrange and xrevrange", async (c) => {
  const k = key("stream");
  assert.equal(await c.xlen(k), 0);
  assert.deepEqual(await c.xrange(k, ...ALL), {});
  await seed(c, k);
  assert.equal(await c.xlen(k), 3);
  assert.deepEqual(await c.xrange(k, ...ALL), {
    "1-0": [["f1", "v1"], ["n", "1"]],
    "2-0": [["f2", "v2"], ["n", "2"]],
    "3-0": [["f3", "v3"], ["n", "3"]],
  });
  assert.deepEqual(Object.keys((await c.xrange(k, ...ALL, { count: 2 }))!), ["1-0", "2-0"]);
  assert.deepEqual(
    Object.keys(
      (await c.xrange(k, { value: "1-0", isInclusive: false }, {
        value: "3-0",
        isInclusive: true,
      }))!,
    ),
    ["2-0", "3-0"],
  );
  assert.deepEqual(Object.keys((await c.xrange(k, { value: "2" }, { value: "2-0" }))!), ["2-0"]);
  assert.deepEqual(
    Object.keys(
      (await c.xrevrange(k, InfBoundary.PositiveInfinity, InfBoundary.NegativeInfinity))!,
    ),
    ["3-0", "2-0", "1-0"],
  );
  assert.deepEqual(
    await c.xrevrange(k, { value: "3-0", isInclusive: false }, InfBoundary.NegativeInfinity, {
      count: 1,
    }),
    { "2-0": [["f2", "v2"], ["n", "2"]] },
  );
  assert.equal(await c.xrange(k, ...ALL, { count: 0 }), null);
  assert.deepEqual(
    await c.xrange(k, { value: "1-0" }, { value: "1-0" }, { decoder: Decoder.Bytes }),
    {
      "1-0": [[bytes("f1"), bytes("v1")], [bytes("n"), bytes("1")]],
    },
  );
  // A generated ID, as text or as bytes.
  const id = await c.xadd(k, [["f", "v"]]);
  assert.match(id as string, /^\d+-\d+$/);
  const raw = await c.xadd(k, [["f", "v"]], { decoder: Decoder.Bytes });
  assert.ok(raw instanceof Uint8Array);
  assert.equal(await c.xlen(k), 5);
  // Binary fields and values round-trip.
  const bin = new Uint8Array([0, 255, 10]);
  await c.xadd(k, [[bin, bin]], { id: "99999999999999-0" });
  assert.deepEqual(
    await c.xrange(k, { value: "99999999999999-0" }, InfBoundary.PositiveInfinity, {
      decoder: Decoder.Bytes,
    }),
    { "99999999999999-0": [[bin, bin]] },
  );
});

eachBase("xadd makeStream and trim options; xtrim; xdel", async (c) => {
  const k = key("stream");
  assert.equal(await c.xadd(k, [["f", "v"]], { makeStream: false }), null);
  assert.equal(await c.exists([k]), 0);
  for (let i = 1; i <= 10; i++) await c.xadd(k, [["i", String(i)]], { id: `${i}-0` });
  // Exact MAXLEN on add.
  await c.xadd(k, [["i", "11"]], {
    id: "11-0",
    trim: { method: "maxlen", threshold: 5, exact: true },
  });
  assert.equal(await c.xlen(k), 5);
  assert.deepEqual(Object.keys((await c.xrange(k, ...ALL))!), [
    "7-0",
    "8-0",
    "9-0",
    "10-0",
    "11-0",
  ]);
  // Exact MINID on add, with makeStream: false on an existing stream.
  assert.equal(
    await c.xadd(k, [["i", "12"]], {
      id: "12-0",
      makeStream: false,
      trim: { method: "minid", threshold: "10-0", exact: true },
    }),
    "12-0",
  );
  assert.deepEqual(Object.keys((await c.xrange(k, ...ALL))!), ["10-0", "11-0", "12-0"]);
  // xtrim exact.
  assert.equal(await c.xtrim(k, { method: "maxlen", threshold: 2, exact: true }), 1);
  assert.equal(await c.xtrim(k, { method: "minid", threshold: "12-0", exact: true }), 1);
  assert.equal(await c.xlen(k), 1);
  // Approximate trimming with LIMIT is accepted (and may delete nothing on a small stream).
  for (let i = 13; i <= 20; i++) await c.xadd(k, [["i", String(i)]], { id: `${i}-0` });
  const removed = await c.xtrim(k, { method: "maxlen", threshold: 1, exact: false, limit: 100 });
  assert.ok(removed >= 0 && removed <= 8);
  await c.xadd(k, [["i", "21"]], {
    id: "21-0",
    trim: { method: "minid", threshold: "0-1", exact: false, limit: 10 },
  });
  // The server rejects LIMIT with exact trimming.
  await assert.rejects(
    async () => await c.xtrim(k, { method: "maxlen", threshold: 1, exact: true, limit: 10 }),
    RequestError,
  );
  // xdel.
  const before = await c.xlen(k);
  assert.equal(await c.xdel(k, ["21-0", "999-0"]), 1);
  assert.equal(await c.xlen(k), before - 1);
  assert.equal(await c.xdel(key("missing"), ["1-0"]), 0);
  assert.equal(await c.xtrim(key("missing"), { method: "maxlen", threshold: 1, exact: true }), 0);
});

eachBase("xread", async (c) => {
  const [a, b, missing] = keys(3, "xread");
  await c.xadd(a, [["a", "1"]], { id: "1-0" });
  await c.xadd(a, [["a", "2"]], { id: "2-0" });
  await c.xadd(b, [["b", "1"]], { id: "5-0" });
  assert.deepEqual(await c.xread({ [a]: "0-0", [b]: "0-0" }), [
    { key: a, value: { "1-0": [["a", "1"]], "2-0": [["a", "2"]] } },
    { key: b, value: { "5-0": [["b", "1"]] } },
  ]);
  assert.deepEqual(await c.xread([{ key: a, value: "1-0" }, { key: missing, value: "0-0" }]), [
    { key: a, value: { "2-0": [["a", "2"]] } },
  ]);
  assert.deepEqual(await c.xread({ [a]: "0-0" }, { count: 1 }), [
    { key: a, value: { "1-0": [["a", "1"]] } },
  ]);
  assert.equal(await c.xread({ [a]: "2-0", [missing]: "0-0" }), null);
  assert.deepEqual(await c.xread({ [b]: "0" }, { decoder: Decoder.Bytes }), [
    { key: bytes(b), value: { "5-0": [[bytes("b"), bytes("1")]] } },
  ]);
  // A block that times out: null.
  const t0 = Date.now();
  assert.equal(await c.xread({ [a]: "$" }, { block: 200 }), null);
  assert.ok(Date.now() - t0 >= 150);
});

/**
 * Runs `XADD k 42-0 from outside` in another process after `delayMs` (the sync client blocks
 * this thread, so the writer cannot be a client in it); resolves when that process is done.
 */
function addLater(cluster: boolean, k: string, delayMs: number): Promise<void> {
  const address = cluster ? clusterAddresses()[0] : standaloneAddress();
  const cli = [
    `redis-cli -h ${address.host} -p ${address.port}`,
    ...serverTlsCliArgs(),
    ...(cluster ? ["-c"] : []),
  ].join(" ");
  const child = new Deno.Command("sh", {
    args: ["-c", `sleep ${delayMs / 1000}; exec ${cli} XADD '${k}' 42-0 from outside`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return child.status.then((s) => assert.ok(s.success));
}

eachBase("a blocking xread is woken by an xadd from another client", async (c, v) => {
  const k = key("block");
  await c.xadd(k, [["first", "1"]], { id: "1-0" });
  if (v.sync) {
    const done = addLater(v.cluster, k, 300);
    const t0 = Date.now();
    const r = await c.xread({ [k]: "$" }, { block: 10_000 });
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(r, [{ key: k, value: { "42-0": [["from", "outside"]] } }]);
    await done;
    return;
  }
  const other = v.cluster
    ? await makeClusterClient({ name: v.name, sync: false, protocol: v.protocol })
    : await makeClient({ name: v.name, sync: false, protocol: v.protocol });
  try {
    const t0 = Date.now();
    // Longer than the client's 2 s request timeout: the core extends it for BLOCK.
    const reading = c.xread({ [k]: "$" }, { block: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await other.xadd(k, [["from", "other"]], { id: "42-0" }), "42-0");
    assert.deepEqual(await reading, [{ key: k, value: { "42-0": [["from", "other"]] } }]);
    assert.ok(Date.now() - t0 < 5000);
    // A block beyond the request timeout that expires returns null, not a timeout error.
    assert.equal(await c.xread({ [k]: "$" }, { block: 2500 }), null);
  } finally {
    if (v.cluster) await disposeCluster(other as Parameters<typeof disposeCluster>[0]);
    else await dispose(other as Parameters<typeof dispose>[0]);
  }
});

eachBase("consumer groups: create, consumers, setid, destroy", async (c) => {
  const k = key("groups");
  await assert.rejects(async () => await c.xgroupCreate(k, "g", "$"), RequestError);
  assert.equal(await c.xgroupCreate(k, "g", "$", { mkStream: true }), "OK");
  assert.equal(await c.xlen(k), 0);
  await assert.rejects(async () => await c.xgroupCreate(k, "g", "$"), RequestError); // BUSYGROUP
  assert.equal(await c.xgroupCreateConsumer(k, "g", "alice"), true);
  assert.equal(await c.xgroupCreateConsumer(k, "g", "alice"), false);
  await seed(c, k);
  assert.equal(await c.xgroupCreate(k, "g2", "0", { entriesRead: "1" }), "OK");
  const groups = await c.xinfoGroups(k);
  assert.equal(groups.length, 2);
  const g2 = groups.find((g) => g.name === "g2")!;
  assert.equal(g2["entries-read"], 1);
  assert.equal(g2["last-delivered-id"], "0-0");
  assert.equal(g2.consumers, 0);
  assert.equal(await c.xgroupSetId(k, "g2", "2-0", { entriesRead: 2 }), "OK");
  const after = (await c.xinfoGroups(k)).find((g) => g.name === "g2")!;
  assert.equal(after["last-delivered-id"], "2-0");
  assert.equal(after["entries-read"], 2);
  assert.equal(after.lag, 1);
  assert.equal(await c.xgroupSetId(k, "g2", "$"), "OK");
  const consumers = await c.xinfoConsumers(k, "g");
  assert.equal(consumers.length, 1);
  assert.equal(consumers[0].name, "alice");
  assert.equal(consumers[0].pending, 0);
  assert.equal(typeof consumers[0].idle, "number");
  assert.deepEqual(
    (await c.xinfoConsumers(k, "g", { decoder: Decoder.Bytes }))[0].name,
    bytes("alice"),
  );
  assert.equal(await c.xgroupDelConsumer(k, "g", "alice"), 0);
  assert.deepEqual(await c.xinfoConsumers(k, "g"), []);
  assert.equal(await c.xgroupDestroy(k, "g"), true);
  assert.equal(await c.xgroupDestroy(k, "g"), false);
  assert.equal((await c.xinfoGroups(k)).length, 1);
  await assert.rejects(async () => await c.xinfoGroups(key("missing")), RequestError);
  await assert.rejects(async () => await c.xinfoConsumers(k, "nogroup"), RequestError);
});

eachBase("xreadgroup, xack and xpending", async (c) => {
  const [k, k2] = keys(2, "xrg");
  await c.xgroupCreate(k, "g", "0", { mkStream: true });
  await c.xgroupCreate(k2, "g", "0", { mkStream: true });
  assert.deepEqual(await c.xpending(k, "g"), [0, null, null, []]);
  assert.equal(await c.xreadgroup("g", "alice", { [k]: ">" }), null);
  await seed(c, k);
  await c.xadd(k2, [["x", "y"]], { id: "7-0" });
  assert.deepEqual(await c.xreadgroup("g", "alice", { [k]: ">" }, { count: 2 }), [
    { key: k, value: { "1-0": [["f1", "v1"], ["n", "1"]], "2-0": [["f2", "v2"], ["n", "2"]] } },
  ]);
  assert.deepEqual(
    await c.xreadgroup("g", "bob", [{ key: k, value: ">" }, { key: k2, value: ">" }]),
    [
      { key: k, value: { "3-0": [["f3", "v3"], ["n", "3"]] } },
      { key: k2, value: { "7-0": [["x", "y"]] } },
    ],
  );
  // Pending history of alice; a deleted entry reads as null.
  assert.equal(await c.xdel(k, ["2-0"]), 1);
  assert.deepEqual(await c.xreadgroup("g", "alice", { [k]: "0" }), [
    { key: k, value: { "1-0": [["f1", "v1"], ["n", "1"]], "2-0": null } },
  ]);
  assert.deepEqual(await c.xreadgroup("g", "alice", { [k]: "0" }, { decoder: Decoder.Bytes }), [
    {
      key: bytes(k),
      value: { "1-0": [[bytes("f1"), bytes("v1")], [bytes("n"), bytes("1")]], "2-0": null },
    },
  ]);
  assert.deepEqual(await c.xpending(k, "g"), [3, "1-0", "3-0", [["alice", 2], ["bob", 1]]]);
  const extended = await c.xpendingWithOptions(k, "g", {
    start: InfBoundary.NegativeInfinity,
    end: InfBoundary.PositiveInfinity,
    count: 10,
  });
  // Delivery counts: 1-0 was read three times; 2-0 was deleted before the re-reads.
  assert.deepEqual(extended.map((e) => [e[0], e[1], e[3]]), [
    ["1-0", "alice", 3],
    ["2-0", "alice", 1],
    ["3-0", "bob", 1],
  ]);
  assert.ok(extended.every((e) => typeof e[2] === "number"));
  assert.deepEqual(
    (await c.xpendingWithOptions(k, "g", {
      start: { value: "1-0", isInclusive: false },
      end: InfBoundary.PositiveInfinity,
      count: 10,
      consumer: "alice",
    })).map((e) => e[0]),
    ["2-0"],
  );
  assert.deepEqual(
    await c.xpendingWithOptions(k, "g", {
      start: InfBoundary.NegativeInfinity,
      end: InfBoundary.PositiveInfinity,
      count: 10,
      minIdleTime: 3_600_000,
    }),
    [],
  );
  assert.equal(
    (await c.xpendingWithOptions(k, "g", {
      start: InfBoundary.NegativeInfinity,
      end: InfBoundary.PositiveInfinity,
      count: 1,
    })).length,
    1,
  );
  // xack.
  assert.equal(await c.xack(k, "g", ["1-0", "2-0", "9-0"]), 2);
  assert.equal(await c.xack(k, "g", ["1-0"]), 0);
  assert.deepEqual(await c.xpending(k, "g"), [1, "3-0", "3-0", [["bob", 1]]]);
  // NOACK: nothing becomes pending.
  await c.xadd(k, [["late", "1"]], { id: "10-0" });
  assert.deepEqual(await c.xreadgroup("g", "carol", { [k]: ">" }, { noAck: true, count: 5 }), [
    { key: k, value: { "10-0": [["late", "1"]] } },
  ]);
  assert.deepEqual(await c.xpending(k, "g"), [1, "3-0", "3-0", [["bob", 1]]]);
  // A blocking group read that times out.
  assert.equal(await c.xreadgroup("g", "carol", { [k]: ">" }, { block: 100 }), null);
  await assert.rejects(async () => await c.xreadgroup("nogroup", "x", { [k]: ">" }), RequestError);
});

eachBase("xclaim and xautoclaim", async (c) => {
  const k = key("claim");
  await c.xgroupCreate(k, "g", "0", { mkStream: true });
  await seed(c, k);
  await c.xreadgroup("g", "alice", { [k]: ">" });
  assert.deepEqual(await c.xclaim(k, "g", "bob", 0, ["1-0"]), {
    "1-0": [["f1", "v1"], ["n", "1"]],
  });
  assert.deepEqual(await c.xclaim(k, "g", "bob", 3_600_000, ["2-0"]), {});
  assert.deepEqual(
    await c.xclaim(k, "g", "bob", 0, ["2-0"], {
      idle: 5000,
      retryCount: 7,
      decoder: Decoder.Bytes,
    }),
    { "2-0": [[bytes("f2"), bytes("v2")], [bytes("n"), bytes("2")]] },
  );
  const p = await c.xpendingWithOptions(k, "g", {
    start: { value: "2-0" },
    end: { value: "2-0" },
    count: 1,
  });
  assert.equal(p[0][1], "bob");
  assert.ok(p[0][2] >= 5000);
  assert.equal(p[0][3], 7);
  assert.deepEqual(
    await c.xclaimJustId(k, "g", "carol", 0, ["1-0", "2-0"], { idleUnixTime: Date.now() - 60_000 }),
    ["1-0", "2-0"],
  );
  // FORCE creates a pending entry for an entry never delivered to the group... after an ack.
  await c.xack(k, "g", ["3-0"]);
  assert.deepEqual(await c.xclaimJustId(k, "g", "dave", 0, ["3-0"]), []);
  assert.deepEqual(await c.xclaimJustId(k, "g", "dave", 0, ["3-0"], { isForce: true }), ["3-0"]);
  // xautoclaim: carol has 1-0 and 2-0, dave has 3-0.
  const [next, claimed, deleted] = await c.xautoclaim(k, "g", "erin", 0, "0-0", { count: 2 });
  assert.equal(next, "3-0");
  assert.deepEqual(claimed, {
    "1-0": [["f1", "v1"], ["n", "1"]],
    "2-0": [["f2", "v2"], ["n", "2"]],
  });
  assert.deepEqual(deleted, []);
  await c.xdel(k, ["3-0"]);
  assert.deepEqual(await c.xautoclaimJustId(k, "g", "frank", 0, "0-0"), ["0-0", ["1-0", "2-0"], [
    "3-0",
  ]]);
  const bin = await c.xautoclaim(k, "g", "erin", 0, "0-0", { decoder: Decoder.Bytes });
  assert.deepEqual(bin[0], bytes("0-0"));
  assert.deepEqual(bin[1]["1-0"], [[bytes("f1"), bytes("v1")], [bytes("n"), bytes("1")]]);
  assert.deepEqual(await c.xautoclaimJustId(k, "g", "erin", 3_600_000, "0-0", { count: 5 }), [
    "0-0",
    [],
    [],
  ]);
  await assert.rejects(async () => await c.xclaim(k, "nogroup", "x", 0, ["1-0"]), RequestError);
});

eachBase("xinfoStream, basic and full", async (c) => {
  const k = key("info");
  await assert.rejects(async () => await c.xinfoStream(k), RequestError);
  await seed(c, k);
  await c.xgroupCreate(k, "g", "0");
  await c.xreadgroup("g", "alice", { [k]: ">" }, { count: 2 });
  const info = await c.xinfoStream(k);
  assert.equal(info.length, 3);
  assert.equal(info["last-generated-id"], "3-0");
  assert.equal(info.groups, 1);
  assert.deepEqual(info["first-entry"], ["1-0", ["f1", "v1", "n", "1"]]);
  assert.deepEqual(info["last-entry"], ["3-0", ["f3", "v3", "n", "3"]]);
  assert.equal(typeof info["radix-tree-keys"], "number");
  const binary = await c.xinfoStream(k, { decoder: Decoder.Bytes });
  assert.deepEqual(binary["last-generated-id"], bytes("3-0"));
  assert.deepEqual(binary["first-entry"], [bytes("1-0"), [
    bytes("f1"),
    bytes("v1"),
    bytes("n"),
    bytes("1"),
  ]]);

  const full = await c.xinfoStream(k, { fullOptions: true });
  assert.equal(full.length, 3);
  assert.deepEqual(full.entries, [
    ["1-0", ["f1", "v1", "n", "1"]],
    ["2-0", ["f2", "v2", "n", "2"]],
    ["3-0", ["f3", "v3", "n", "3"]],
  ]);
  const groups = full.groups as Record<string, unknown>[];
  assert.equal(groups.length, 1);
  assert.equal(groups[0].name, "g");
  assert.equal(groups[0]["pel-count"], 2);
  assert.equal((groups[0].pending as unknown[]).length, 2);
  const consumers = groups[0].consumers as Record<string, unknown>[];
  assert.equal(consumers.length, 1);
  assert.equal(consumers[0].name, "alice");
  assert.equal(consumers[0]["pel-count"], 2);
  const pending = consumers[0].pending as unknown[][];
  assert.equal(pending[0][0], "1-0");
  assert.equal(pending.length, 2);
  // A COUNT limits entries and pending lists.
  const limited = await c.xinfoStream(k, { fullOptions: 1 });
  assert.equal((limited.entries as unknown[]).length, 1);
  const g = (limited.groups as Record<string, unknown>[])[0];
  assert.equal((g.pending as unknown[]).length, 1);
  assert.equal(((g.consumers as Record<string, unknown>[])[0].pending as unknown[]).length, 1);
  const everything = await c.xinfoStream(k, { fullOptions: 0 });
  assert.equal((everything.entries as unknown[]).length, 3);
  // No groups: an empty list.
  await c.xgroupDestroy(k, "g");
  assert.deepEqual((await c.xinfoStream(k, { fullOptions: true })).groups, []);
});

eachBase("stream commands on a string are WRONGTYPE", async (c) => {
  const k = key("str");
  await c.set(k, "x");
  const calls: (() => unknown)[] = [
    () => c.xadd(k, [["f", "v"]]),
    () => c.xlen(k),
    () => c.xrange(k, ...ALL),
    () => c.xrevrange(k, InfBoundary.PositiveInfinity, InfBoundary.NegativeInfinity),
    () => c.xdel(k, ["1-0"]),
    () => c.xtrim(k, { method: "maxlen", threshold: 1, exact: true }),
    () => c.xread({ [k]: "0" }),
    () => c.xgroupCreate(k, "g", "$"),
    () => c.xinfoStream(k),
    () => c.xpending(k, "g"),
  ];
  for (const call of calls) await assert.rejects(async () => await call(), RequestError);
});

eachBase(
  "stream commands with empty lists are sent, as GLIDE sends them, and the server refuses them",
  async (c) => {
    const k = key("empty");
    const calls: (() => unknown)[] = [
      () => c.xadd(k, []),
      () => c.xdel(k, []),
      () => c.xack(k, "g", []),
      () => c.xread({}),
      () => c.xread([]),
      () => c.xclaim(k, "g", "c", 0, []),
    ];
    for (const call of calls) {
      await assert.rejects(
        async () => await call(),
        (e) => e instanceof RequestError && !(e instanceof ConfigurationError),
      );
    }
  },
);

eachBase("stream commands reject bad arguments before sending", async (c) => {
  const k = key("bad");
  const calls: (() => unknown)[] = [
    () => c.xadd(k, [["f", "v"]], { trim: { method: "maxlen", threshold: 1.5, exact: true } }),
    () =>
      c.xadd(k, [["f", "v"]], { trim: { method: "bogus", threshold: 1, exact: true } as never }),
    () => c.xtrim(k, { method: "maxlen", threshold: NaN, exact: true }),
    () => c.xtrim(k, { method: "maxlen", threshold: 10, exact: false, limit: 0.5 }),
    () => c.xrange(k, ...ALL, { count: 1.5 }),
    () => c.xrange(k, "*" as InfBoundary, InfBoundary.PositiveInfinity),
    () => c.xread({ [k]: "0" }, { block: -0.5 }),
    () => c.xreadgroup("g", "c", { [k]: ">" }, { count: NaN }),
    () =>
      c.xpendingWithOptions(k, "g", {
        start: InfBoundary.NegativeInfinity,
        end: InfBoundary.PositiveInfinity,
        count: 1.1,
      }),
    () => c.xclaim(k, "g", "c", 1.5, ["1-0"]),
    () => c.xclaimJustId(k, "g", "c", 0, ["1-0"], { retryCount: Infinity }),
    () => c.xautoclaim(k, "g", "c", 0, "0-0", { count: 2.5 }),
    () => c.xautoclaimJustId(k, "g", "c", NaN, "0-0"),
    () => c.xgroupSetId(k, "g", "0", { entriesRead: 0.5 }),
    () => c.xinfoStream(k, { fullOptions: 2.5 }),
  ];
  for (const call of calls) {
    await assert.rejects(async () => await call(), ConfigurationError);
  }
  assert.equal(await c.exists([k]), 0);
});
