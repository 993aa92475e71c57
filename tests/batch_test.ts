import assert from "node:assert/strict";
import {
  Batch,
  ClusterBatch,
  ConfigurationError,
  Decoder,
  ExecAbortError,
  RequestError,
  TimeoutError,
} from "../mod.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  type AnyClusterClient,
  eachBase,
  eachClient,
  eachClusterClient,
  key,
  keys,
  makeClient,
  makeClusterClient,
  type Variant,
} from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

/** A new batch of the kind the client runs. */
function batchFor(cluster: boolean, atomic: boolean): Batch | ClusterBatch {
  return cluster ? new ClusterBatch(atomic) : new Batch(atomic);
}

/** Runs a batch on either kind of client. */
function exec(
  c: AnyBaseClient,
  b: Batch | ClusterBatch,
  raiseOnError: boolean,
  options?: { timeout?: number; decoder?: Decoder },
) {
  return b instanceof ClusterBatch
    ? (c as AnyClusterClient).exec(b, raiseOnError, options)
    : (c as AnyClient).exec(b, raiseOnError, options);
}

for (const atomic of [true, false]) {
  const kind = atomic ? "transaction" : "pipeline";

  eachBase(`${kind}: replies in order, shaped like the methods'`, async (c, v) => {
    const [a, b, n, missing] = keys(4, kind);
    const batch = batchFor(v.cluster, atomic)
      .set(a, "1")
      .set(b, "x", { returnOldValue: true })
      .incr(n)
      .incrBy(n, 10)
      .mget([a, b, missing])
      .expire(a, 100)
      .ttl(a)
      .get(b, { decoder: Decoder.Bytes })
      .del([a, b, n]);
    assert.equal(batch.length, 9);
    const r = await exec(c, batch, true);
    assert.deepEqual(r, [
      "OK",
      null,
      1,
      11,
      ["1", "x", null],
      true,
      100,
      new TextEncoder().encode("x"),
      3,
    ]);
  });

  eachBase(`${kind}: strings of any script and bytes, mixed, arrive as sent`, async (c, v) => {
    const [a, b, d, e, f] = keys(5, kind);
    const wide = "héllo wörld ✓ 日本 🎉";
    const long = "0123456789".repeat(2_000); // more than one run of strings
    const bin = new Uint8Array([0, 255, 13, 10, 36, 42, 0xc3]);
    const batch = batchFor(v.cluster, atomic)
      .set(a, "plain ascii")
      .set(f, long)
      .set(b, wide)
      .set(d, bin)
      .set(new TextEncoder().encode(e), "after bytes")
      .get(a)
      .get(b)
      .get(d, { decoder: Decoder.Bytes })
      .get(e)
      .strlen(b)
      .strlen(f);
    const r = await exec(c, batch, true) as unknown[];
    assert.equal(r.length, 11);
    assert.deepEqual(r.slice(5), [
      "plain ascii",
      wide,
      bin,
      "after bytes",
      new TextEncoder().encode(wide).length,
      long.length,
    ]);
    // ASCII strings around bytes (encoded a run at a time).
    const ascii = batchFor(v.cluster, atomic)
      .set(a, "x1")
      .set(f, long.slice(1))
      .set(d, bin)
      .set(new TextEncoder().encode(e), "y2")
      .get(a)
      .get(d, { decoder: Decoder.Bytes })
      .get(e)
      .get(f);
    assert.deepEqual((await exec(c, ascii, true) as unknown[]).slice(4), [
      "x1",
      bin,
      "y2",
      long.slice(1),
    ]);
  });

  eachBase(`${kind}: a lone surrogate is refused before anything is sent`, async (c, v) => {
    const [a, b] = keys(2, kind);
    const batch = batchFor(v.cluster, atomic).set(a, "x").set(b, "bad \ud800 half");
    await assert.rejects(async () => await exec(c, batch, true), ConfigurationError);
    assert.equal(await c.get(a), null);
    assert.equal(await c.set(a, "y"), "OK");
  });

  eachBase(`${kind}: raiseOnError false keeps errors in place`, async (c, v) => {
    const [s, n] = keys(2, kind);
    const batch = batchFor(v.cluster, atomic).set(s, "text").incr(s).set(n, "5").incr(n);
    const r = await exec(c, batch, false) as unknown[];
    assert.equal(r.length, 4);
    assert.equal(r[0], "OK");
    assert.ok(r[1] instanceof RequestError, String(r[1]));
    assert.match((r[1] as RequestError).message, /not an integer/);
    assert.deepEqual(r.slice(2), ["OK", 6]);
  });

  eachBase(`${kind}: raiseOnError true throws the first error`, async (c, v) => {
    const [s] = keys(1, kind);
    const batch = batchFor(v.cluster, atomic).set(s, "text").incr(s).get(s);
    await assert.rejects(async () => await exec(c, batch, true), (e) => {
      assert.ok(e instanceof RequestError);
      assert.match(e.message, /not an integer/);
      return true;
    });
    // The commands after the failed one still ran.
    assert.equal(await c.get(s), "text");
  });

  eachBase(`${kind}: the batch's decoder applies where a command has none`, async (c, v) => {
    const [a] = keys(1, kind);
    await c.set(a, "v");
    const batch = batchFor(v.cluster, atomic).get(a).get(a, { decoder: Decoder.String });
    const bytes = new TextEncoder().encode("v");
    assert.deepEqual(await exec(c, batch, true, { decoder: Decoder.Bytes }), [bytes, "v"]);
  });
}

eachBase("transaction: a command the server refuses to queue aborts it", async (c, v) => {
  const [a] = keys(1, "abort");
  const batch = batchFor(v.cluster, true).set(a, "1").customCommand(["SET", a]).get(a);
  await assert.rejects(async () => await exec(c, batch, false), ExecAbortError);
  assert.equal(await c.get(a), null);
});

async function secondClient(v: Variant & { cluster: boolean }): Promise<AnyBaseClient> {
  return v.cluster ? await makeClusterClient(v) : await makeClient(v);
}

eachBase("transaction: WATCH makes exec return null when a key changed", async (c, v) => {
  const [a, b] = keys(2, "watch");
  const other = await secondClient(v);
  try {
    await c.set(a, "1");
    assert.equal(await (c as AnyClient).watch([a]), "OK");
    await other.set(a, "changed");
    const r = await exec(c, batchFor(v.cluster, true).set(b, "x").get(a), true);
    assert.equal(r, null);
    assert.equal(await c.get(b), null, "nothing of the aborted transaction ran");
    // Untouched watched keys let it run.
    await (c as AnyClient).watch([a]);
    assert.deepEqual(await exec(c, batchFor(v.cluster, true).set(b, "y").get(a), true), [
      "OK",
      "changed",
    ]);
    await (c as AnyClient).watch([a]);
    assert.equal(await (c as AnyClient).unwatch(), "OK");
    await other.set(a, "again");
    assert.deepEqual(await exec(c, batchFor(v.cluster, true).get(a), true), ["again"]);
  } finally {
    other.close();
  }
});

eachBase("pipeline: the batch timeout cuts a slow batch short", async (c, v) => {
  const [a] = keys(1, "timeout");
  const batch = batchFor(v.cluster, false).customCommand(["BLPOP", a, "1"]);
  const start = Date.now();
  await assert.rejects(async () => await exec(c, batch, true, { timeout: 150 }), TimeoutError);
  assert.ok(Date.now() - start < 900, `took ${Date.now() - start} ms`);
  assert.equal(await c.ping(), "PONG", "the client works afterwards");
});

eachBase("bad batches are refused before anything is sent", async (c, v) => {
  await assert.rejects(
    async () => await exec(c, batchFor(v.cluster, false), true),
    ConfigurationError,
  );
  const wrong = v.cluster ? new Batch(false).get("a") : new ClusterBatch(false).get("a");
  await assert.rejects(
    async () => await exec(c, wrong, true),
    ConfigurationError,
  );
  await assert.rejects(
    async () => await exec(c, batchFor(v.cluster, false).get("a"), true, { timeout: -1 }),
    ConfigurationError,
  );
});

eachClient("standalone pipeline: select and server commands", async (c) => {
  const k = key("db");
  const batch = new Batch(false).select(1).set(k, "in db 1").select(0).get(k).dbsize();
  const r = await c.exec(batch, true) as unknown[];
  assert.deepEqual(r.slice(0, 4), ["OK", "OK", "OK", null]);
  assert.equal(typeof r[4], "number");
  await c.select(1);
  assert.equal(await c.get(k), "in db 1");
  await c.del([k]);
  await c.select(0);
});

eachClusterClient("cluster pipeline: 1,000 keys over every slot come back in order", async (c) => {
  const ks = Array.from({ length: 1000 }, (_, i) => key(`p${i}`));
  const writes = new ClusterBatch(false);
  ks.forEach((k, i) => writes.set(k, String(i)));
  const w = await c.exec(writes, true) as unknown[];
  assert.equal(w.length, 1000);
  assert.ok(w.every((r) => r === "OK"));
  const reads = new ClusterBatch(false);
  for (const k of ks) reads.get(k);
  reads.mget(ks.slice(0, 50)); // spans slots: split by the core, reassembled
  reads.dbsize(); // every primary, summed
  reads.ping();
  reads.del(ks);
  const r = await c.exec(reads, true) as unknown[];
  assert.deepEqual(r.slice(0, 1000), ks.map((_, i) => String(i)));
  assert.deepEqual(r[1000], Array.from({ length: 50 }, (_, i) => String(i)));
  assert.ok((r[1001] as number) >= 1000);
  assert.equal(r[1002], "PONG");
  assert.equal(r[1003], 1000);
});

eachClusterClient("cluster transaction: keys must share a slot", async (c) => {
  const [a, b] = [key("x"), key("y")];
  const ok = new ClusterBatch(true).set(`{${a}}1`, "1").get(`{${a}}1`);
  assert.deepEqual(await c.exec(ok, true), ["OK", "1"]);
  const cross = new ClusterBatch(true).set(a, "1").set(b, "2");
  await assert.rejects(async () => await c.exec(cross, true), RequestError);
  await c.del([`{${a}}1`]);
});

eachClusterClient("cluster batch: a route sends it to one node", async (c) => {
  const k = key("routed");
  const batch = new ClusterBatch(false).set(k, "1").get(k).customCommand(["CLUSTER", "MYID"]);
  const r = await c.exec(batch, true, { route: { type: "primarySlotKey", key: k } }) as unknown[];
  assert.deepEqual(r.slice(0, 2), ["OK", "1"]);
  const id = await c.customCommand(["CLUSTER", "MYID"], {
    route: { type: "primarySlotKey", key: k },
  });
  assert.equal(r[2], id);
  await assert.rejects(
    async () => await c.exec(new ClusterBatch(false).get(k), true, { route: "allNodes" as never }),
    ConfigurationError,
  );
  assert.throws(() => new ClusterBatch(false).ping({ route: "randomNode" }), ConfigurationError);
  await assert.rejects(
    async () =>
      await c.exec(new ClusterBatch(true).get(k), true, {
        retryStrategy: { retryServerError: true, retryConnectionError: true },
      }),
    ConfigurationError,
  );
  await c.del([k]);
});

Deno.test("a multi-command method cannot go in a batch", () => {
  assert.throws(
    () => new ClusterBatch(false).scan(undefined as never),
    ConfigurationError,
  );
});

Deno.test("cluster pipeline and transaction: a slot migrated during the run (ASK, then MOVED) is retried", async () => {
  const { GlideClusterClient } = await import("../async.ts");
  const { SlotMove } = await import("./cluster_admin.ts");
  const { clusterAddresses } = await import("./harness.ts");
  const c = await GlideClusterClient.createClient(withServerTls({ addresses: clusterAddresses() }));
  const admin = await GlideClusterClient.createClient(withServerTls({
    addresses: clusterAddresses(),
    requestTimeout: 5000,
  }));
  try {
    const tag = key("migrating");
    const ks = Array.from({ length: 20 }, (_, i) => `{${tag}}:${i}`);
    const others = Array.from({ length: 50 }, (_, i) => key(`other${i}`));
    const write = new ClusterBatch(false);
    for (const k of [...ks, ...others]) write.set(k, k);
    await c.exec(write, true); // the client now has a slot table
    const read = () => {
      const b = new ClusterBatch(false);
      for (const k of [...ks, ...others]) b.get(k);
      return b;
    };
    // A transaction on the slot's keys (they share the hash tag).
    const tx = (i: number) => new ClusterBatch(true).incr(`${ks[i]}:n`).get(ks[i]);
    const move = await SlotMove.begin(admin, ks[0]);
    await move.moveKeys(ks.slice(0, 10)); // half the slot's keys: ASK for those
    assert.deepEqual(await c.exec(read(), true), [...ks, ...others], "ASK followed");
    await move.finish(); // the whole slot moves: the client's table is stale, MOVED
    assert.deepEqual(await c.exec(tx(1), true), [1, ks[1]], "a transaction after MOVED");
    assert.deepEqual(await c.exec(read(), true), [...ks, ...others], "MOVED followed");
    assert.deepEqual(await c.exec(read(), true), [...ks, ...others], "table refreshed");
    assert.deepEqual(await c.exec(tx(1), true), [2, ks[1]], "a transaction on the new node");
    await c.del(ks.map((k) => `${k}:n`));
    await c.del([...ks, ...others]);
  } finally {
    c.close();
    admin.close();
  }
});
