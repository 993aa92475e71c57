/**
 * AZ-affinity reads on a Valkey 8.1 cluster of its own (Redis 7 has no `availability-zone`):
 * 3 primaries with 2 replicas each, zones set per node, and each node's `INFO commandstats`
 * (`cmdstat_get` calls) showing where the client's reads went. The Valkey build comes from
 * `ensureValkey()` (tasks/valkey.ts); the test fails if it cannot be had.
 */

import assert from "node:assert/strict";
import { GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { type GlideClusterClientConfiguration, ProtocolVersion, type ReadFrom } from "../mod.ts";
import { RespError } from "../tasks/resp.ts";
import { type Cluster, type ServerProcess, startCluster } from "../tasks/servers.ts";
import { ensureValkey } from "../tasks/valkey.ts";
import { type AnyClusterClient, disposeCluster } from "./harness.ts";

/** One shard: its primary and its two replicas (ordered by port). */
interface Shard {
  primary: ServerProcess;
  replicas: [ServerProcess, ServerProcess];
  /** A key this shard serves. */
  key: string;
}

async function run(node: ServerProcess, args: string[]): Promise<string> {
  const reply = await node.command(args);
  if (reply instanceof RespError) throw new Error(`${node.address} ${args[0]}: ${reply.message}`);
  return String(reply);
}

function field(text: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\r?$`, "m").exec(text)?.[1];
}

/** The cluster's shards, from each node's INFO replication. */
async function shardsOf(cluster: Cluster): Promise<Shard[]> {
  const byPrimary = new Map<number, ServerProcess[]>();
  const primaries: ServerProcess[] = [];
  for (const n of cluster.nodes) {
    const repl = await run(n, ["INFO", "replication"]);
    if (field(repl, "role") === "master") {
      primaries.push(n);
      continue;
    }
    const port = Number(field(repl, "master_port"));
    byPrimary.set(port, [...(byPrimary.get(port) ?? []), n]);
  }
  primaries.sort((a, b) => a.port - b.port);
  const shards: Shard[] = [];
  for (const primary of primaries) {
    const replicas = (byPrimary.get(primary.port) ?? []).sort((a, b) => a.port - b.port);
    assert.equal(replicas.length, 2, `replicas of ${primary.address}`);
    // A key the primary serves: it answers instead of redirecting.
    let key = "";
    for (let i = 0; !key; i++) {
      const reply = await primary.command(["EXISTS", `az:${i}`]);
      if (!(reply instanceof RespError)) key = `az:${i}`;
    }
    shards.push({ primary, replicas: [replicas[0], replicas[1]], key });
  }
  return shards;
}

/** Sets each node's `availability-zone` ("" is no zone). */
async function setZones(zones: Map<ServerProcess, string>): Promise<void> {
  for (const [node, zone] of zones) {
    assert.equal(await run(node, ["CONFIG", "SET", "availability-zone", zone]), "OK");
  }
}

async function resetStats(nodes: ServerProcess[]): Promise<void> {
  for (const n of nodes) await run(n, ["CONFIG", "RESETSTAT"]);
}

/** `cmdstat_<command>` calls of a node. */
async function calls(node: ServerProcess, command: string): Promise<number> {
  const stats = await run(node, ["INFO", "commandstats"]);
  return Number(/calls=(\d+)/.exec(field(stats, `cmdstat_${command}`) ?? "")?.[1] ?? 0);
}

interface Variant {
  sync: boolean;
  protocol: ProtocolVersion;
}

const VARIANTS: Variant[] = [
  { sync: false, protocol: ProtocolVersion.RESP3 },
  { sync: false, protocol: ProtocolVersion.RESP2 },
  { sync: true, protocol: ProtocolVersion.RESP3 },
  { sync: true, protocol: ProtocolVersion.RESP2 },
];

function label(v: Variant): string {
  return `${v.sync ? "sync" : "async"} ${v.protocol === ProtocolVersion.RESP3 ? "RESP3" : "RESP2"}`;
}

async function client(
  cluster: Cluster,
  v: Variant,
  readFrom: ReadFrom,
  clientAz?: string,
): Promise<AnyClusterClient> {
  const config: GlideClusterClientConfiguration = {
    addresses: cluster.nodes.map(({ host, port }) => ({ host, port })),
    protocol: v.protocol,
    requestTimeout: 2000,
    readFrom,
    clientAz,
  };
  return v.sync
    ? SyncClusterClient.createClient(config)
    : await AsyncClusterClient.createClient(config);
}

/**
 * The client's first reads already go to `expected` (the one replica of `shard` in the
 * client's zone): it asks its nodes' zones while connecting and waits for the answers
 * (within its connection timeout) before `createClient` resolves.
 */
async function zonesKnown(c: AnyClusterClient, shard: Shard, expected: ServerProcess) {
  await resetStats([shard.primary, ...shard.replicas]);
  for (let i = 0; i < 4; i++) await c.get(shard.key);
  assert.equal(await calls(expected, "get"), 4, `the first reads went to ${expected.address}`);
}

/** Reads `count` keys spread over all slots; returns cmdstat_get calls per shard node. */
async function readSpread(c: AnyClusterClient, shards: Shard[], count: number) {
  const nodes = shards.flatMap((s) => [s.primary, ...s.replicas]);
  await resetStats(nodes);
  // Each shard's key, then keys all over the slot space.
  for (let i = 0; i < count; i++) {
    await c.get(i < shards.length * 10 ? shards[i % shards.length].key : `spread:${i}`);
  }
  const per = async (s: Shard) => ({
    primary: await calls(s.primary, "get"),
    replicas: [await calls(s.replicas[0], "get"), await calls(s.replicas[1], "get")],
  });
  const result = [];
  for (const s of shards) result.push(await per(s));
  const total = result.reduce((t, r) => t + r.primary + r.replicas[0] + r.replicas[1], 0);
  assert.equal(total, count, "every read reached exactly one node");
  return result;
}

/** Both replicas served reads, in turn (round robin), and the primary none. */
function roundRobin(r: { primary: number; replicas: number[] }, what: string) {
  assert.equal(r.primary, 0, `${what}: primary`);
  assert.ok(r.replicas[0] > 0 && r.replicas[1] > 0, `${what}: both replicas read ${r.replicas}`);
  assert.ok(Math.abs(r.replicas[0] - r.replicas[1]) <= 1, `${what}: in turn ${r.replicas}`);
}

Deno.test("cluster: AZ affinity reads on Valkey 8.1 (availability-zone per node)", async (t) => {
  const valkey = await ensureValkey();
  if (!valkey) {
    throw new Error("Valkey 8.1 could not be fetched and built (tasks/valkey.ts): cannot test AZ");
  }
  // Every node starts in az-b; the test moves nodes between zones with CONFIG SET.
  const cluster = await startCluster({
    primaries: 3,
    replicasPerPrimary: 2,
    binaries: valkey,
    args: ["--availability-zone", "az-b"],
  });
  try {
    const shards = await shardsOf(cluster);
    const [s0, s1, s2] = shards;
    const hello = await s0.primary.command(["HELLO"]) as string[];
    assert.equal(hello[hello.indexOf("availability_zone") + 1], "az-b", "set on the command line");

    // s0: primary and its first replica in az-a, second replica in az-b.
    // s1: primary in az-a, both replicas in az-b.
    // s2: no zone at all (like Redis or an older Valkey).
    await setZones(
      new Map([
        [s0.primary, "az-a"],
        [s0.replicas[0], "az-a"],
        [s0.replicas[1], "az-b"],
        [s1.primary, "az-a"],
        [s1.replicas[0], "az-b"],
        [s1.replicas[1], "az-b"],
        [s2.primary, ""],
        [s2.replicas[0], ""],
        [s2.replicas[1], ""],
      ]),
    );
    const READS = 120;

    for (const v of VARIANTS) {
      await t.step(`AZAffinity, client in az-a [${label(v)}]`, async () => {
        const c = await client(cluster, v, "AZAffinity", "az-a");
        try {
          await zonesKnown(c, s0, s0.replicas[0]);
          const [r0, r1, r2] = await readSpread(c, shards, READS);
          // The replica in the zone takes every read of its shard, even with the primary there.
          assert.deepEqual(r0, { primary: 0, replicas: [r0.replicas[0], 0] });
          assert.ok(r0.replicas[0] >= 10);
          // No replica in the zone: any replica, in turn; never the primary.
          roundRobin(r1, "s1 (primary in zone, no replica)");
          roundRobin(r2, "s2 (no zones)");
        } finally {
          await disposeCluster(c);
        }
      });

      await t.step(`AZAffinityReplicasAndPrimary, client in az-a [${label(v)}]`, async () => {
        const c = await client(cluster, v, "AZAffinityReplicasAndPrimary", "az-a");
        try {
          await zonesKnown(c, s0, s0.replicas[0]);
          const [r0, r1, r2] = await readSpread(c, shards, READS);
          // A replica in the zone comes before the primary in the zone.
          assert.deepEqual(r0, { primary: 0, replicas: [r0.replicas[0], 0] });
          assert.ok(r0.replicas[0] >= 10);
          // No replica in the zone but the primary: the primary.
          assert.deepEqual(r1, { primary: r1.primary, replicas: [0, 0] });
          assert.ok(r1.primary >= 10);
          // Nothing in the zone: any replica, in turn.
          roundRobin(r2, "s2 (no zones)");
        } finally {
          await disposeCluster(c);
        }
      });
    }

    await t.step("AZAffinity, client in az-b: round robin over the zone's replicas", async () => {
      const v = VARIANTS[0];
      const c = await client(cluster, v, "AZAffinity", "az-b");
      try {
        await zonesKnown(c, s0, s0.replicas[1]);
        const [r0, r1, r2] = await readSpread(c, shards, READS);
        assert.deepEqual(r0, { primary: 0, replicas: [0, r0.replicas[1]] });
        roundRobin(r1, "s1 (both replicas in zone)");
        roundRobin(r2, "s2 (no zones)");
      } finally {
        await disposeCluster(c);
      }
    });

    await t.step("a zone no node is in: replicas in turn, in both modes", async () => {
      for (const readFrom of ["AZAffinity", "AZAffinityReplicasAndPrimary"] as const) {
        const c = await client(cluster, VARIANTS[3], readFrom, "az-z");
        try {
          // Give the zones time to arrive: nothing may change once they have.
          await new Promise((r) => setTimeout(r, 300));
          const results = await readSpread(c, shards, READS);
          results.forEach((r, i) => roundRobin(r, `${readFrom} s${i}`));
        } finally {
          await disposeCluster(c);
        }
      }
    });

    await t.step("zones follow CONFIG SET: a new client sees the new layout", async () => {
      await setZones(new Map([[s2.replicas[1], "az-a"]]));
      try {
        const c = await client(cluster, VARIANTS[2], "AZAffinity", "az-a");
        try {
          await zonesKnown(c, s2, s2.replicas[1]);
          const [, , r2] = await readSpread(c, shards, READS);
          assert.deepEqual(r2, { primary: 0, replicas: [0, r2.replicas[1]] });
        } finally {
          await disposeCluster(c);
        }
      } finally {
        await setZones(new Map([[s2.replicas[1], ""]]));
      }
    });

    await t.step(
      "AZAffinity at depth: 10,000 INCRs of one key in order beside in-zone reads",
      async () => {
        const DEPTH = 10_000;
        const c = await AsyncClusterClient.createClient({
          addresses: cluster.nodes.map(({ host, port }) => ({ host, port })),
          requestTimeout: 10_000,
          inflightRequestsLimit: 4 * DEPTH,
          readFrom: "AZAffinity",
          clientAz: "az-a",
        });
        try {
          await c.set(s0.key, "read");
          // The value has reached the zone's replica before the counted reads start.
          for (let i = 0; i < 100 && await c.get(s0.key) !== "read"; i++) {
            await new Promise((r) => setTimeout(r, 10));
          }
          await resetStats([s0.primary, ...s0.replicas]);
          const incrs: Promise<number>[] = [];
          const reads: Promise<unknown>[] = [];
          for (let i = 0; i < DEPTH; i++) {
            incrs.push(c.incr("az:depth:{count}"));
            reads.push(c.get(s0.key));
          }
          const got = await Promise.all(incrs);
          const bad = got.findIndex((v, i) => v !== i + 1);
          assert.equal(bad, -1, `reply ${bad} is ${got[bad]}`);
          assert.ok((await Promise.all(reads)).every((v) => v === "read"));
          assert.equal(await calls(s0.replicas[0], "get"), DEPTH, "every read in the zone");
        } finally {
          c.close();
        }
      },
    );

    await t.step("writes go to primaries; primary and preferReplica unchanged", async () => {
      const nodes = shards.flatMap((s) => [s.primary, ...s.replicas]);
      const c = await client(cluster, VARIANTS[0], "AZAffinity", "az-a");
      try {
        await resetStats(nodes);
        for (let i = 0; i < 30; i++) assert.equal(await c.set(`w:${i}`, "v"), "OK");
        let onPrimaries = 0;
        for (const s of shards) onPrimaries += await calls(s.primary, "set");
        assert.equal(onPrimaries, 30);
        for (const n of nodes) {
          const stats = field(await run(n, ["INFO", "commandstats"]), "cmdstat_set") ?? "";
          assert.equal(/rejected_calls=(\d+)/.exec(stats)?.[1] ?? "0", "0", n.address);
        }
      } finally {
        await disposeCluster(c);
      }
      for (const readFrom of ["primary", "preferReplica"] as const) {
        const c = await client(cluster, VARIANTS[2], readFrom);
        try {
          const results = await readSpread(c, shards, READS);
          for (const r of results) {
            if (readFrom === "primary") assert.deepEqual(r.replicas, [0, 0]);
            else assert.equal(r.primary, 0);
          }
        } finally {
          await disposeCluster(c);
        }
      }
    });
  } finally {
    await cluster.stop();
  }
});
