// What one node's traffic must never do to the others on the async cluster client: a blocking
// command holds its own node's connection only (the other shards answer at once, also when it
// is the client's very first command, and so do commands routed to another node, transactions,
// pipelines, multi-key commands and PUBLISH whose keys are on the other nodes), and with readFrom "preferReplica" reads run on the
// replicas' connections beside the writes, with the writes of one key in order at depth.
import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { ClusterBatch, InfoOptions } from "../mod.ts";
import { clusterAddresses, key } from "./harness.ts";
import { at, roles } from "./cluster_admin.ts";
import { withServerTls } from "./server_tls.ts";

const DEPTH = 10_000;

/** address -> [first slot, last slot] ranges it serves as a primary. */
async function primaryOf(admin: GlideClusterClient): Promise<(slot: number) => string> {
  const ranges = await admin.customCommand(["CLUSTER", "SLOTS"]) as [
    number,
    number,
    [string, number],
  ][];
  return (slot) => {
    const [, , [host, port]] = ranges.find(([a, b]) => slot >= a && slot <= b)!;
    return `${host}:${port}`;
  };
}

async function slotOf(admin: GlideClusterClient, k: string): Promise<number> {
  return await admin.customCommand(["CLUSTER", "KEYSLOT", k]) as number;
}

/** `cmdstat_<command>` calls of every node, by address. */
async function calls(admin: GlideClusterClient, command: string): Promise<Record<string, number>> {
  const info = await admin.info({ sections: [InfoOptions.Commandstats], route: "allNodes" });
  return Object.fromEntries(
    Object.entries(info as Record<string, string>).map(([addr, text]) => {
      const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(text);
      return [addr, Number(m?.[1] ?? 0)];
    }),
  );
}

/** Settles with "answered" or, after `ms`, "stalled". */
function within<T>(p: Promise<T>, ms: number): Promise<"answered" | "stalled"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.then(() => "answered" as const),
    new Promise<"stalled">((r) => timer = setTimeout(() => r("stalled"), ms)),
  ]).finally(() => clearTimeout(timer));
}

Deno.test("cluster: blpop(k, 0) pending on one shard, every other shard answers at once (keys, single-node routes, after a fan-out), also as the first command", async () => {
  await using admin = await GlideClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses() }),
  );
  const primary = await primaryOf(admin);
  const blocked = key("blk");
  const blockedNode = primary(await slotOf(admin, blocked));
  // A key on every other primary.
  const others = new Map<string, string>();
  for (let i = 0; others.size < 2 && i < 1000; i++) {
    const k = key(`other${i}`);
    const node = primary(await slotOf(admin, k));
    if (node !== blockedNode && !others.has(node)) others.set(node, k);
  }
  assert.equal(others.size, 2, "keys on the two other primaries");
  for (const first of [true, false]) {
    await using c = await GlideClusterClient.createClient(
      withServerTls({ addresses: clusterAddresses(), requestTimeout: 2000 }),
    );
    if (!first) { for (const k of others.values()) await c.set(k, "warm"); }
    const popped = c.blpop([blocked], 0);
    popped.catch(() => {}); // rejected by close if an assertion below fails
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    const answers = await Promise.all(
      [...others.values()].map((k) => within(c.set(k, "v").then(() => c.get(k)), 1000)),
    );
    // Commands routed to one of the other nodes, by address and by slot.
    const [node, other] = [...others][0];
    const routed = await Promise.all([
      within(c.customCommand(["ECHO", "e"], { route: at(node) }), 1000),
      within(
        c.customCommand(["ECHO", "e"], { route: { type: "primarySlotKey", key: other } }),
        1000,
      ),
      within(
        c.customCommand(["GET", other], { route: { type: "replicaSlotKey", key: other } }),
        1000,
      ),
    ]);
    // Transactions, pipelines, WATCH and multi-key commands whose keys are on the other nodes.
    const [k1, k2] = [...others.values()];
    const batches = await Promise.all([
      within(c.exec(new ClusterBatch(true).set(k1, "t").get(k1), true), 1000),
      within(c.exec(new ClusterBatch(false).set(k1, "p").get(k2), true), 1000),
      within(c.watch([k2]), 1000),
      within(c.mget([k1, k2]), 1000),
      within(c.del([`{${k1}}:none`, `{${k2}}:none`]), 1000),
      within(c.publish("m", k1), 1000), // to the channel's slot, on another node
    ]);
    const ms = performance.now() - t;
    assert.deepEqual(
      batches,
      ["answered", "answered", "answered", "answered", "answered", "answered"],
      `transaction, pipeline, watch, mget, del, publish (first=${first})`,
    );
    assert.deepEqual(answers, ["answered", "answered"], `first=${first}`);
    assert.deepEqual(routed, ["answered", "answered", "answered"], `routed, first=${first}`);
    assert.ok(ms < 500, `the other shards answered in ${ms.toFixed(0)} ms (first=${first})`);
    // A fan-out waits behind the BLPOP on its node (as it would on a plain connection), but
    // holds back nothing submitted after it.
    const pinged = c.customCommand(["PING"], { route: "allPrimaries" });
    pinged.catch(() => {});
    assert.equal(await within(c.set(other, "after"), 1000), "answered", "after a fan-out");
    await admin.lpush(blocked, ["x"]);
    assert.deepEqual(await popped, [blocked, "x"]);
    assert.equal(await c.unwatch(), "OK"); // on every primary: after the BLPOP on its node
    assert.equal(await pinged, "PONG"); // every primary answered PONG
  }
});

Deno.test(`cluster: preferReplica reads go to the replicas beside the writes; ${DEPTH} INCRs of one key in order`, async () => {
  await using admin = await GlideClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses() }),
  );
  const role = await roles(admin);
  const replicas = Object.keys(role).filter((a) => role[a] === "slave");
  assert.ok(replicas.length > 0, "the test cluster has replicas");
  await using c = await GlideClusterClient.createClient(
    withServerTls({
      addresses: clusterAddresses(),
      readFrom: "preferReplica",
      requestTimeout: 10_000,
      inflightRequestsLimit: 4 * DEPTH,
    }),
  );
  const counter = key("replica-order");
  const readKeys = Array.from({ length: 16 }, (_, i) => key(`replica-read${i}`));
  for (const k of readKeys) await c.set(k, k);
  // Each read key's value has reached the replicas before the counted reads start.
  for (const k of readKeys) {
    for (let i = 0; i < 100 && await c.get(k) !== k; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const before = await calls(admin, "get");
  const incrs: Promise<number>[] = [];
  const reads: Promise<unknown>[] = [];
  for (let i = 0; i < DEPTH; i++) {
    incrs.push(c.incr(counter));
    reads.push(c.get(readKeys[i % readKeys.length]));
  }
  const got = await Promise.all(incrs);
  const bad = got.findIndex((v, i) => v !== i + 1);
  assert.equal(bad, -1, `reply ${bad} is ${got[bad]}`);
  const values = await Promise.all(reads);
  values.forEach((v, i) => assert.equal(v, readKeys[i % readKeys.length], `read ${i}`));
  const after = await calls(admin, "get");
  const onReplicas = replicas.reduce((n, r) => n + (after[r] ?? 0) - (before[r] ?? 0), 0);
  assert.ok(onReplicas >= DEPTH * 0.99, `GETs served by replicas: ${onReplicas} of ${DEPTH}`);
});

Deno.test("cluster: sync preferReplica reads go to the replicas, writes to the primaries", async () => {
  await using admin = await GlideClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses() }),
  );
  const role = await roles(admin);
  const replicas = Object.keys(role).filter((a) => role[a] === "slave");
  const primaries = Object.keys(role).filter((a) => role[a] === "master");
  const c = SyncClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses(), readFrom: "preferReplica" }),
  );
  try {
    const keys = Array.from({ length: 16 }, (_, i) => key(`sync-replica${i}`));
    for (const k of keys) c.set(k, k);
    for (const k of keys) {
      for (let i = 0; i < 100 && c.get(k) !== k; i++) await new Promise((r) => setTimeout(r, 10));
    }
    const before = await calls(admin, "get");
    const setsBefore = await calls(admin, "set");
    for (let i = 0; i < 300; i++) assert.equal(c.get(keys[i % keys.length]), keys[i % keys.length]);
    for (const k of keys) assert.equal(c.set(k, "w"), "OK");
    const after = await calls(admin, "get");
    const setsAfter = await calls(admin, "set");
    const sum = (nodes: string[], a: Record<string, number>, b: Record<string, number>) =>
      nodes.reduce((n, r) => n + (a[r] ?? 0) - (b[r] ?? 0), 0);
    assert.equal(sum(replicas, after, before), 300, "every GET on a replica");
    assert.equal(sum(primaries, setsAfter, setsBefore), keys.length, "every SET on a primary");
  } finally {
    c.close();
  }
});
