import assert from "node:assert/strict";
import {
  ClientPauseMode,
  type ClientTrackingInfo,
  ConfigurationError,
  Decoder,
  FlushMode,
  InfoOptions,
  type LatencyEntry,
  type LatencyEventInfo,
  type MemoryStats,
  RequestError,
  type Routes,
} from "../mod.ts";
import {
  type AnyClusterClient,
  bgsaveCancelKnown,
  clusterAddresses,
  clusterDatabases,
  disposeCluster,
  eachClusterClient,
  key,
  makeClusterClient,
  serverRefuses,
  serverVersion,
} from "./harness.ts";
import { GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { withServerTls } from "./server_tls.ts";

const enc = new TextEncoder();

/** The addresses of every node, from a per-node reply. */
async function nodes(c: AnyClusterClient): Promise<string[]> {
  return Object.keys(await c.clientId({ route: "allNodes" }) as Record<string, number>).sort();
}

/** A route to the node at `address` (host:port). */
const at = (address: string): Routes => ({ type: "routeByAddress", host: address });

/** Waits until no primary runs or schedules a background save or AOF rewrite. */
async function persistenceIdle(c: AnyClusterClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const perNode = await c.info({ sections: [InfoOptions.Persistence], route: "allNodes" });
    const busy = Object.values(perNode as Record<string, string>).some((text) =>
      !/rdb_bgsave_in_progress:0/.test(text) || !/aof_rewrite_in_progress:0/.test(text) ||
      !/aof_rewrite_scheduled:0/.test(text)
    );
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("background persistence did not finish");
}

eachClusterClient("flushdb and dbsize with routes", async (c) => {
  const k = key();
  await c.set(k, "v");
  const route: Routes = { type: "primarySlotKey", key: k };
  assert.ok(await c.dbsize({ route }) >= 1);
  assert.equal(await c.flushdb({ mode: FlushMode.SYNC, route }), "OK");
  assert.equal(await c.get(k), null);
  await c.set(k, "v");
  assert.equal(await c.flushdb(), "OK");
  assert.equal(await c.dbsize(), 0);
  assert.equal(await c.flushdb({ mode: FlushMode.ASYNC }), "OK");
  await assert.rejects(
    async () => await c.flushdb({ mode: "LAZY" as FlushMode }),
    ConfigurationError,
  );
});

eachClusterClient("select", async (c) => {
  assert.equal(await c.select(0), "OK");
  assert.equal(await c.select(0, { route: "randomNode" }), "OK");
  if (await clusterDatabases(c) > 1) {
    assert.equal(await c.select(1), "OK");
    assert.equal(await c.select(0), "OK");
  } else {
    await assert.rejects(async () => await c.select(1), RequestError);
  }
  await assert.rejects(async () => await c.select(0.5), ConfigurationError);
  assert.equal(await c.ping(), "PONG");
});

eachClusterClient("configGet with routes", async (c) => {
  assert.deepEqual(await c.configGet(["maxmemory-policy"]), { "maxmemory-policy": "noeviction" });
  const all = await c.configGet(["cluster-enabled", "maxmemory-policy"], { route: "allNodes" });
  const perNode = all as Record<string, Record<string, string>>;
  assert.deepEqual(Object.keys(perNode).sort(), await nodes(c));
  for (const cfg of Object.values(perNode)) {
    assert.deepEqual(cfg, { "cluster-enabled": "yes", "maxmemory-policy": "noeviction" });
  }
  const bytes = await c.configGet(["maxmemory-policy"], {
    route: "allPrimaries",
    decoder: Decoder.Bytes,
  }) as Record<string, Record<string, Uint8Array>>;
  assert.equal(Object.keys(bytes).length, 3);
  for (const cfg of Object.values(bytes)) {
    assert.deepEqual(cfg, { "maxmemory-policy": enc.encode("noeviction") });
  }
  await serverRefuses(() => c.configGet([]));
});

eachClusterClient("configSet on every node, restored afterwards", async (c) => {
  const before = await c.configGet(["slowlog-max-len"]) as Record<string, string>;
  try {
    assert.equal(await c.configSet({ "slowlog-max-len": "333" }), "OK");
    const all = await c.configGet(["slowlog-max-len"], { route: "allNodes" });
    for (const cfg of Object.values(all as Record<string, Record<string, string>>)) {
      assert.deepEqual(cfg, { "slowlog-max-len": "333" });
    }
    const [one] = await nodes(c);
    assert.equal(await c.configSet({ "slowlog-max-len": "334" }, { route: at(one) }), "OK");
    assert.deepEqual(await c.configGet(["slowlog-max-len"], { route: at(one) }), {
      "slowlog-max-len": "334",
    });
    await assert.rejects(async () => await c.configSet({ "no-such-parameter": "1" }), RequestError);
    await serverRefuses(() => c.configSet({}));
  } finally {
    await c.configSet(before);
  }
});

eachClusterClient("configResetStat and configRewrite", async (c) => {
  assert.equal(await c.configResetStat(), "OK");
  assert.equal(await c.configResetStat({ route: "randomNode" }), "OK");
  // The test servers have no config file.
  await assert.rejects(async () => await c.configRewrite(), RequestError);
  await assert.rejects(async () => await c.configRewrite({ route: "randomNode" }), RequestError);
});

eachClusterClient("time, lastsave and lolwut with routes", async (c) => {
  const t = await c.time() as [string, string];
  assert.match(t[0], /^\d+$/);
  assert.match(t[1], /^\d+$/);
  const all = await c.time({ route: "allNodes" }) as Record<string, [string, string]>;
  assert.deepEqual(Object.keys(all).sort(), await nodes(c));
  for (const [s, us] of Object.values(all)) {
    assert.ok(Math.abs(Number(s) - Number(t[0])) < 60);
    assert.match(us, /^\d+$/);
  }
  assert.equal(typeof await c.lastsave(), "number");
  const saves = await c.lastsave({ route: "allPrimaries" }) as Record<string, number>;
  assert.equal(Object.keys(saves).length, 3);
  for (const s of Object.values(saves)) assert.ok(s > 1_600_000_000);
  assert.match(await c.lolwut() as string, /ver\. \d+/);
  const art = await c.lolwut({ version: 5, parameters: [20, 2, 2], route: "allPrimaries" });
  for (const a of Object.values(art as Record<string, string>)) assert.match(a, /ver\. \d+/);
  await assert.rejects(async () => await c.lolwut({ version: NaN }), ConfigurationError);
});

eachClusterClient("save, bgsave, bgsaveSchedule, bgsaveCancel, bgrewriteaof", async (c) => {
  await persistenceIdle(c);
  assert.equal(await c.save(), "OK");
  assert.equal(await c.save({ route: "randomNode" }), "OK");
  await persistenceIdle(c);
  const started = await c.bgsave() as Record<string, string>;
  assert.equal(Object.keys(started).length, 3);
  for (const s of Object.values(started)) assert.match(s, /Background saving started/);
  await persistenceIdle(c);
  const [one] = await nodes(c);
  assert.match(await c.bgsave({ route: at(one) }) as string, /Background saving started/);
  await persistenceIdle(c);
  const scheduled = await c.bgsaveSchedule() as Record<string, string>;
  for (const s of Object.values(scheduled)) assert.match(s, /Background saving (started|sched)/);
  await persistenceIdle(c);
  const [major, minor] = await serverVersion(c);
  if (major > 8 || (major === 8 && minor >= 1)) {
    await bgsaveCancelKnown(() => c.bgsaveCancel({ route: at(one) }));
  } else {
    await assert.rejects(async () => await c.bgsaveCancel(), RequestError);
  }
  const aof = await c.bgrewriteaof() as Record<string, string>;
  assert.equal(Object.keys(aof).length, 3);
  for (const s of Object.values(aof)) assert.match(s, /Background append only file rewriting/);
  await persistenceIdle(c);
});

eachClusterClient("memory commands with routes", async (c) => {
  const doctor = await c.memoryDoctor() as Record<string, string>;
  assert.equal(Object.keys(doctor).length, 3);
  for (const d of Object.values(doctor)) assert.ok(d.length > 0);
  assert.equal(typeof await c.memoryDoctor({ route: "randomNode" }), "string");
  const malloc = await c.memoryMallocStats() as Record<string, string>;
  assert.equal(Object.keys(malloc).length, 3);
  assert.equal(typeof await c.memoryMallocStats({ route: "randomNode" }), "string");
  assert.equal(await c.memoryPurge(), "OK");
  assert.equal(await c.memoryPurge({ route: "allNodes" }), "OK");
  const one = await c.memoryStats({ route: "randomNode" }) as MemoryStats;
  assert.ok(one.totalAllocated > 0 && Number.isFinite(one.fragmentation));
  assert.equal(typeof one.clusterLinks, "number");
  const all = await c.memoryStats() as Record<string, MemoryStats>;
  assert.equal(Object.keys(all).length, 3);
  for (const s of Object.values(all)) assert.ok(s.peakAllocated > 0 && s.keysCount >= 0);
});

eachClusterClient("latency commands with routes", async (c) => {
  const [one] = await nodes(c);
  const route = at(one);
  const before = await c.configGet(["latency-monitor-threshold"], { route });
  try {
    await c.configSet({ "latency-monitor-threshold": "1" }, { route });
    await c.latencyReset(undefined, { route });
    await c.customCommand(["DEBUG", "SLEEP", "0.02"], { route });
    const latest = await c.latencyLatest({ route }) as LatencyEventInfo[];
    const cmd = latest.find((e) => e.eventName === "command");
    assert.ok(cmd && cmd.maxDuration >= 1, JSON.stringify(latest));
    const history = await c.latencyHistory("command", { route }) as LatencyEntry[];
    assert.equal(history.length, 1);
    assert.ok(history[0].latency >= 1);
    const allLatest = await c.latencyLatest() as Record<string, LatencyEventInfo[]>;
    assert.deepEqual(Object.keys(allLatest).sort(), await nodes(c));
    assert.ok(allLatest[one].some((e) => e.eventName === "command"));
    const allHistory = await c.latencyHistory("command") as Record<string, LatencyEntry[]>;
    assert.equal(allHistory[one].length, 1);
    assert.equal(await c.latencyReset(["command"], { route }), 1);
    assert.deepEqual(await c.latencyHistory("command", { route }), []);
    assert.equal(typeof await c.latencyReset(), "number");
  } finally {
    await c.configSet(before as Record<string, string>, { route });
  }
});

eachClusterClient("client commands with routes", async (c) => {
  const ids = await c.clientId({ route: "allNodes" }) as Record<string, number>;
  assert.deepEqual(Object.keys(ids).sort(), await nodes(c));
  for (const id of Object.values(ids)) assert.ok(id > 0);
  const [one] = await nodes(c);
  assert.equal(await c.clientId({ route: at(one) }), ids[one]);
  const names = await c.clientGetName({ route: "allPrimaries" }) as Record<string, null>;
  assert.deepEqual(Object.values(names), [null, null, null]);

  const route = at(one);
  const infos = await c.clientTrackingInfo({ route: "allNodes" }) as Record<
    string,
    ClientTrackingInfo
  >;
  for (const i of Object.values(infos)) assert.ok(i.flags.has("off"));
  await c.customCommand(
    ["CLIENT", "TRACKING", "ON", "REDIRECT", String(ids[one]), "BCAST", "PREFIX", "p:"],
    { route },
  );
  const on = await c.clientTrackingInfo({ route }) as ClientTrackingInfo;
  assert.ok(on.flags.has("bcast"));
  assert.equal(on.redirect, ids[one]);
  assert.deepEqual(on.prefixes, new Set(["p:"]));
  await c.customCommand(["CLIENT", "TRACKING", "OFF"], { route });

  const k = key();
  try {
    assert.equal(await c.clientPause(300, ClientPauseMode.ALL, { route: "allNodes" }), "OK");
    const t = performance.now();
    assert.equal(await c.set(k, "v"), "OK");
    assert.ok(performance.now() - t >= 100);
    assert.equal(await c.clientPause(20_000, ClientPauseMode.WRITE), "OK");
    assert.equal(await c.get(k), "v");
    assert.equal(await c.clientUnpause(), "OK");
    assert.equal(await c.set(k, "w"), "OK");
    // ALL pauses CLIENT UNPAUSE too: long pauses in tests are WRITE pauses.
    assert.equal(await c.clientPause(20_000, ClientPauseMode.WRITE, { route }), "OK");
    assert.equal(await c.clientUnpause({ route }), "OK");
    assert.equal(await c.clientPause(100, undefined, { route }), "OK");
    assert.equal(await c.clientUnpause({ route }), "OK"); // waits out the pause
    await assert.rejects(async () => await c.clientPause(NaN), ConfigurationError);
  } finally {
    await c.clientUnpause({ route: "allNodes" });
  }
});

eachClusterClient("databaseId: a cluster client of another database (Valkey 9)", async (c, v) => {
  const config = { addresses: clusterAddresses(), protocol: v.protocol, requestTimeout: 2000 };
  if (await clusterDatabases(c) < 3) {
    // The server refuses SELECT 2 (Redis 7: no databases in cluster mode): the client can't open.
    const open = () =>
      v.sync
        ? SyncClusterClient.createClient(withServerTls({ ...config, databaseId: 2 }))
        : AsyncClusterClient.createClient(withServerTls({ ...config, databaseId: 2 }));
    await assert.rejects(async () => await open());
    return;
  }
  const db2 = await makeClusterClient(v, { databaseId: 2 });
  try {
    const ks = Array.from({ length: 30 }, (_, i) => `${key("db2")}:${i}`); // every shard
    for (const k of ks) assert.equal(await db2.set(k, "two"), "OK");
    for (const k of ks) {
      assert.equal(await db2.get(k), "two");
      assert.equal(await c.get(k), null, "not in database 0");
    }
    assert.equal(await db2.del(ks), ks.length);
  } finally {
    await disposeCluster(db2);
  }
});
