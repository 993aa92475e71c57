// Client-side caching (GLIDE's ClientSideCache): hits and misses checked against the server's
// INFO commandstats, writes through the client evicting at once, a read in flight never keeping
// a value written after it, TTL expiry, the size bound with LRU and LFU, metrics, and config
// errors. Run 8 ways (standalone and cluster, async and sync, RESP3 and RESP2).
import assert from "node:assert/strict";
import {
  Batch,
  ClientSideCache,
  ClusterBatch,
  ConfigurationError,
  Decoder,
  EvictionPolicy,
  GlideClient,
  GlideClusterClient,
  ProtocolVersion,
  RequestError,
} from "../mod.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import {
  type AnyBaseClient,
  dispose,
  disposeCluster,
  key,
  makeClient,
  makeClusterClient,
  standaloneAddress,
  type Variant,
  VARIANTS,
} from "./harness.ts";

/** How many times the server (every primary of a cluster) ran `command`. */
async function calls(c: AnyBaseClient, cluster: boolean, command: string): Promise<number> {
  const info = cluster
    ? await (c as GlideClusterClient).customCommand(["INFO", "commandstats"], {
      route: "allPrimaries",
    })
    : await (c as GlideClient).customCommand(["INFO", "commandstats"]);
  const texts = typeof info === "string" ? [info] : Object.values(info as Record<string, string>);
  let n = 0;
  for (const t of texts) {
    const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(String(t));
    if (m) n += Number(m[1]);
  }
  return n;
}

/** Registers `fn` on every client kind, with a client made with `cache` and a plain one. */
function eachCached(
  name: string,
  cache: () => ClientSideCache,
  fn: (
    c: AnyBaseClient,
    plain: AnyBaseClient,
    cluster: boolean,
    cache: ClientSideCache,
  ) => Promise<void>,
  only: (v: Variant) => boolean = () => true,
): void {
  for (const cluster of [false, true]) {
    for (const v of VARIANTS.filter(only)) {
      Deno.test(`${cluster ? "cluster: " : ""}${name} [${v.name}]`, async () => {
        const shared = cache();
        const make = (extra: { clientSideCache?: ClientSideCache }) =>
          cluster ? makeClusterClient(v, extra) : makeClient(v, extra);
        const c = await make({ clientSideCache: shared });
        const plain = await make({});
        const close = (x: AnyBaseClient) =>
          cluster ? disposeCluster(x as never) : dispose(x as never);
        try {
          await fn(c, plain, cluster, shared);
        } finally {
          await close(c);
          await close(plain);
        }
      });
    }
  }
}

const metrics = () => ClientSideCache.create(1024, 0, { enableMetrics: true });

eachCached(
  "client-side cache: repeated reads are answered without the server",
  metrics,
  async (c, plain, cluster) => {
    const [s, h, set] = [key("csc:s"), key("csc:h"), key("csc:set")];
    await plain.set(s, "value");
    await plain.hset(h, { f: "1", g: "2" });
    await plain.sadd(set, ["a", "b"]);
    const before = await Promise.all(
      ["get", "hgetall", "smembers"].map((cmd) => calls(plain, cluster, cmd)),
    );
    for (let i = 0; i < 5; i++) {
      assert.equal(await c.get(s), "value");
      assert.deepEqual(await c.hgetall(h), [{ field: "f", value: "1" }, {
        field: "g",
        value: "2",
      }]);
      assert.deepEqual(await c.smembers(set), new Set(["a", "b"]));
    }
    assert.equal(await c.customCommand(["get", s]), "value"); // by name, any case: a hit
    const after = await Promise.all(
      ["get", "hgetall", "smembers"].map((cmd) => calls(plain, cluster, cmd)),
    );
    assert.deepEqual(after.map((n, i) => n - before[i]), [1, 1, 1]);
    assert.equal(await c.getCacheTotalLookups(), 16);
    assert.equal(await c.getCacheHitRate(), 13 / 16);
    assert.equal(await c.getCacheMissRate(), 3 / 16);
    assert.equal(await c.getCacheEntryCount(), 3);
    // A missing key is not kept: each read asks the server.
    const missing = key("csc:missing");
    const gets = await calls(plain, cluster, "get");
    assert.equal(await c.get(missing), null);
    assert.equal(await c.get(missing), null);
    assert.equal(await calls(plain, cluster, "get") - gets, 2);
    await plain.del([s, h, set]);
  },
);

eachCached(
  "client-side cache: writes through the client evict at once, and a read in flight keeps nothing older",
  metrics,
  async (c, plain, cluster, shared) => {
    const k = key("csc:w");
    await c.set(k, "v1");
    assert.equal(await c.get(k), "v1");
    assert.equal(await c.set(k, "v2"), "OK");
    assert.equal(await c.get(k), "v2");
    await c.del([k]);
    assert.equal(await c.get(k), null);
    // A batch's writes evict too.
    await c.set(k, "v3");
    assert.equal(await c.get(k), "v3");
    const batch = cluster ? new ClusterBatch(false) : new Batch(false);
    batch.set(k, "v4");
    await (c as GlideClient).exec(batch as Batch, true);
    assert.equal(await c.get(k), "v4");
    // A GET sent before a SET answers the old value, which must not stay in the cache.
    if (c instanceof GlideClient || c instanceof GlideClusterClient) {
      const async = c as GlideClient;
      await async.del([k]);
      await async.set(k, "old");
      const inFlight = async.get(k);
      const written = async.set(k, "new");
      assert.equal(await inFlight, "old");
      await written;
      assert.equal(await async.get(k), "new");
    }
    // Another client given the same cache evicts it as well.
    const v = VARIANTS.find((x) => x.name.includes("RESP3") && !x.sync)!;
    const other = cluster
      ? await makeClusterClient(v, { clientSideCache: shared })
      : await makeClient(v, { clientSideCache: shared });
    try {
      assert.equal(await c.get(k), (await plain.get(k)) as string);
      await other.set(k, "from the other client");
      assert.equal(await c.get(k), "from the other client");
    } finally {
      cluster ? await disposeCluster(other as never) : await dispose(other as never);
    }
    await plain.del([k]);
  },
);

eachCached(
  "client-side cache: decoders are kept apart, and what a hit returns is the caller's own",
  metrics,
  async (c, plain) => {
    const k = key("csc:d");
    await plain.set(k, "bytes");
    const first = await c.get(k, { decoder: Decoder.Bytes }) as Uint8Array;
    assert.deepEqual(first, new TextEncoder().encode("bytes"));
    first[0] = 0; // the caller's copy
    assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new TextEncoder().encode("bytes"));
    assert.equal(await c.get(k), "bytes");
    assert.equal(await c.get(k), "bytes");
    assert.equal(await c.getCacheHitRate(), 2 / 4); // a miss per decoder, then hits
    const h = key("csc:hd");
    await plain.hset(h, { f: "x" });
    const rec = await c.hgetall(h);
    rec[0].value = "changed";
    assert.deepEqual(await c.hgetall(h), [{ field: "f", value: "x" }]);
    await plain.del([k, h]);
  },
);

eachCached(
  "client-side cache: entries expire after entryTtlMs",
  () => ClientSideCache.create(1024, 100, { enableMetrics: true }),
  async (c, plain, cluster) => {
    const k = key("csc:ttl");
    await plain.set(k, "a");
    const gets = await calls(plain, cluster, "get");
    assert.equal(await c.get(k), "a");
    assert.equal(await c.get(k), "a");
    await plain.set(k, "b"); // another client: seen once the entry expired
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(await c.get(k), "b");
    assert.equal(await calls(plain, cluster, "get") - gets, 2);
    assert.equal(await c.getCacheExpirations(), 1);
    await plain.del([k]);
  },
);

for (const policy of [EvictionPolicy.LRU, EvictionPolicy.LFU]) {
  eachCached(
    `client-side cache: maxCacheKb bounds the entries (${EvictionPolicy[policy]})`,
    () => ClientSideCache.create(2, 0, { enableMetrics: true, evictionPolicy: policy }),
    async (c, plain, cluster) => {
      const value = "x".repeat(200);
      const ks = Array.from({ length: 30 }, (_, i) => key(`csc:bound${i}`));
      const hot = ks[0];
      for (const k of ks) await plain.set(k, value);
      for (const k of ks) {
        assert.equal(await c.get(k), value);
        assert.equal(await c.get(hot), value); // read after every other key: kept by both
      }
      const entries = await c.getCacheEntryCount();
      assert.ok(entries >= 2 && entries <= 2048 / 200, `${entries} entries`);
      assert.ok(await c.getCacheEvictions() >= 30 - entries);
      const gets = await calls(plain, cluster, "get");
      assert.equal(await c.get(hot), value);
      assert.equal(await calls(plain, cluster, "get") - gets, 0, "the hot key stayed");
      // A value larger than the whole cache is not kept, and evicts nothing.
      const huge = key("csc:huge");
      await plain.set(huge, "y".repeat(3000));
      assert.equal((await c.get(huge) as string).length, 3000);
      assert.equal(await c.getCacheEntryCount(), entries);
      const before = await calls(plain, cluster, "get");
      assert.equal(await c.get(hot), value);
      assert.equal(await calls(plain, cluster, "get") - before, 0, "the hot key is still cached");
      await plain.del([...ks, huge]);
    },
  );
}

Deno.test("client-side cache: invalid settings are ConfigurationErrors; metrics need a cache", async () => {
  const bad: (() => unknown)[] = [
    () => ClientSideCache.create(0, 0),
    () => ClientSideCache.create(-1, 0),
    () => ClientSideCache.create(1, -1),
    () => ClientSideCache.create(1, 1.5),
    () => ClientSideCache.create(1, 0, { evictionPolicy: 7 as EvictionPolicy }),
    () => ClientSideCache.create(1, 0, { enableMetrics: "yes" as unknown as boolean }),
  ];
  for (const make of bad) assert.throws(make, ConfigurationError);
  const addresses = [standaloneAddress()];
  const config = { addresses, clientSideCache: { maxCacheKb: 1, entryTtlMs: 0 } } as never;
  await assert.rejects(() => GlideClient.createClient(config), ConfigurationError);
  await assert.rejects(() => GlideClusterClient.createClient(config), ConfigurationError);
  assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  const none = await GlideClient.createClient({ addresses });
  const noMetrics = SyncClient.createClient({
    addresses,
    clientSideCache: ClientSideCache.create(1, 0),
  });
  try {
    await assert.rejects(() => none.getCacheHitRate(), RequestError);
    await assert.rejects(() => none.getCacheEntryCount(), RequestError);
    assert.throws(() => noMetrics.getCacheHitRate(), RequestError);
    assert.throws(() => noMetrics.getCacheEvictions(), RequestError);
    assert.equal(noMetrics.getCacheEntryCount(), 0);
  } finally {
    none.close();
    noMetrics.close();
  }
});

// --- serverAssisted: the server invalidates what other clients change -----------------------

const assisted = () =>
  ClientSideCache.create(1024, 0, { enableMetrics: true, serverAssisted: true });

/** Reads `k` through `c` until it is `want` (within `ms`); returns how long that took. */
async function until(
  c: AnyBaseClient,
  k: string,
  want: string | null,
  ms = 100,
): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const v = await c.get(k);
    if (v === want) return performance.now() - t0;
    assert.ok(performance.now() - t0 < ms, `still ${String(v)} after ${ms} ms, not ${want}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Every server connection that enabled key tracking (flag `t`), on every node. */
async function killTracking(plain: AnyBaseClient, cluster: boolean): Promise<number> {
  const lists = cluster
    ? Object.values(
      await (plain as GlideClusterClient).customCommand(["CLIENT", "LIST"], {
        route: "allNodes",
      }) as Record<string, string>,
    ).map((text, i) => [text, i] as const)
    : [[await (plain as GlideClient).customCommand(["CLIENT", "LIST"]) as string, 0] as const];
  let killed = 0;
  for (const [text] of lists) {
    for (const line of String(text).split("\n")) {
      const id = /^id=(\d+) /.exec(line)?.[1];
      const flags = /flags=(\S+)/.exec(line)?.[1] ?? "";
      if (!id || !flags.includes("t")) continue;
      const kill = ["CLIENT", "KILL", "ID", id];
      if (cluster) {
        await (plain as GlideClusterClient).customCommand(kill, { route: "allNodes" });
      } else {
        await (plain as GlideClient).customCommand(kill);
      }
      killed++;
    }
  }
  return killed;
}

eachCached(
  "client-side cache, serverAssisted: another client's writes show at once",
  assisted,
  async (c, plain, cluster) => {
    const [s, h, set] = [key("csa:s"), key("csa:h"), key("csa:set")];
    await plain.set(s, "v1");
    await plain.hset(h, { f: "1" });
    await plain.sadd(set, ["a"]);
    assert.equal(await c.get(s), "v1");
    assert.deepEqual(await c.hgetall(h), [{ field: "f", value: "1" }]);
    assert.deepEqual(await c.smembers(set), new Set(["a"]));
    const gets = await calls(plain, cluster, "get");
    assert.equal(await c.get(s), "v1"); // a hit
    assert.equal(await calls(plain, cluster, "get") - gets, 0);
    await plain.set(s, "v2");
    await plain.hset(h, { g: "2" });
    await plain.sadd(set, ["b"]);
    const took = await until(c, s, "v2");
    assert.deepEqual(await c.hgetall(h), [{ field: "f", value: "1" }, { field: "g", value: "2" }]);
    assert.deepEqual(await c.smembers(set), new Set(["a", "b"]));
    await plain.del([s]);
    await until(c, s, null); // a DEL invalidates too
    assert.ok(took < 100, `${took} ms`);
    await plain.del([h, set]);
  },
  (v) => v.protocol === ProtocolVersion.RESP3,
);

eachCached(
  "client-side cache, serverAssisted: nothing cached before a reconnect is served after it",
  assisted,
  async (c, plain, cluster) => {
    const k = key("csa:reconnect");
    await plain.set(k, "before");
    assert.equal(await c.get(k), "before");
    assert.equal(await c.get(k), "before");
    assert.ok(await killTracking(plain, cluster) > 0);
    // Written while the client has no connection: no invalidation can reach it.
    await plain.set(k, "after");
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await c.get(k), "after");
    assert.equal(await c.get(k), "after");
    await plain.set(k, "again"); // and the new connection tracks keys again
    await until(c, k, "again");
    await plain.del([k]);
  },
  (v) => v.protocol === ProtocolVersion.RESP3,
);

Deno.test("client-side cache, serverAssisted: RESP2 is a ConfigurationError", async () => {
  const config = {
    addresses: [standaloneAddress()],
    protocol: ProtocolVersion.RESP2,
    clientSideCache: assisted(),
  };
  await assert.rejects(() => GlideClient.createClient(config), ConfigurationError);
  assert.throws(() => SyncClient.createClient(config), ConfigurationError);
});

Deno.test("client-side cache, serverAssisted: Workers each keep a cache of their own, and all see a change", async () => {
  const { host, port } = standaloneAddress();
  const k = key("csa:workers");
  const plain = await GlideClient.createClient({ addresses: [{ host, port }] });
  await plain.set(k, "first");
  const workers = [false, true, false, true].map(() =>
    new Worker(new URL("./support/cache_worker.ts", import.meta.url), { type: "module" })
  );
  const next = (w: Worker) =>
    new Promise<Record<string, unknown>>((resolve) => {
      w.onmessage = (e) => resolve(e.data);
    });
  try {
    const ready = workers.map(next);
    workers.forEach((w, i) =>
      w.postMessage({ host, port, key: k, first: "first", want: "second", sync: i % 2 === 1 })
    );
    for (const r of await Promise.all(ready)) {
      assert.equal(r.error, undefined, String(r.error));
      assert.equal(r.hits, 2 / 3); // each isolate's own cache: one miss, then hits
    }
    const seen = workers.map(next);
    await plain.set(k, "second");
    for (const w of workers) w.postMessage("changed");
    for (const r of await Promise.all(seen)) {
      assert.equal(r.seen, "second");
      assert.ok((r.ms as number) < 100, `${r.ms} ms`);
    }
  } finally {
    for (const w of workers) w.terminate();
    await plain.del([k]);
    plain.close();
  }
});

for (const v of VARIANTS.filter((v) => v.protocol === ProtocolVersion.RESP3)) {
  Deno.test(`cluster: client-side cache, serverAssisted: coherent through a failover [${v.name}]`, async () => {
    const c = await makeClusterClient(v, { clientSideCache: assisted() });
    const admin = await makeClusterClient(VARIANTS[0], {
      requestTimeout: 5000,
    }) as GlideClusterClient;
    try {
      const k = key("csa:failover");
      await admin.set(k, "v1");
      assert.equal(await c.get(k), "v1");
      assert.equal(await c.get(k), "v1");
      // The shard's replica, as its primary sees it (a table read right after another test's
      // failover may still name the old roles: wait until the primary says it is one).
      // It must be in sync (state=online): a replica still syncing after an earlier failover
      // does not take over on CLUSTER FAILOVER.
      let port = 0;
      for (const deadline = Date.now() + 10_000; port === 0;) {
        const info = String(
          await admin.customCommand(["INFO", "replication"], {
            route: { type: "primarySlotKey", key: k },
          }),
        );
        const online = /^slave\d+:ip=[^,]*,port=(\d+),state=online/m.exec(info);
        if (info.includes("role:master") && online) port = Number(online[1]);
        else {
          assert.ok(
            Date.now() < deadline,
            `no replica in sync for the key's shard: ${info}`,
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const replica = { type: "routeByAddress", host: "127.0.0.1", port } as const;
      await admin.customCommand(["CLUSTER", "FAILOVER"], { route: replica });
      const deadline = Date.now() + 15_000;
      let forced = false;
      while (!String(await admin.customCommand(["ROLE"], { route: replica })).includes("master")) {
        assert.ok(Date.now() < deadline, "the replica did not take over");
        if (!forced && Date.now() > deadline - 10_000) {
          // The primary did not agree in time (it may be busy with another sync): take over.
          await admin.customCommand(["CLUSTER", "FAILOVER", "FORCE"], { route: replica });
          forced = true;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      // Written on the new primary: the cached value must not outlive it.
      await admin.set(k, "v2");
      await until(c, k, "v2", 2000);
      await admin.set(k, "v3");
      await until(c, k, "v3", 2000);
      await admin.del([k]);
    } finally {
      await disposeCluster(c);
      admin.close();
    }
  });
}
