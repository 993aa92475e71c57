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
): void {
  for (const cluster of [false, true]) {
    for (const v of VARIANTS) {
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
      await plain.del(ks);
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
  for (
    const clientSideCache of [
      { maxCacheKb: 1, entryTtlMs: 0 },
      ClientSideCache.create(1, 0, { serverAssisted: true }),
    ]
  ) {
    const config = { addresses, clientSideCache } as never;
    await assert.rejects(() => GlideClient.createClient(config), ConfigurationError);
    await assert.rejects(() => GlideClusterClient.createClient(config), ConfigurationError);
    assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  }
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
