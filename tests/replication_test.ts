// A standalone primary with a replica, as GLIDE's standalone client serves it: the client finds the
// primary among its addresses (wherever it is in the list) and writes there; readFrom sends reads
// to the replica ("preferReplica") or to both ("allNodes"); NodeDiscoveryMode.DiscoverAll finds the
// replica from the primary alone, Static trusts the first address; readOnly needs no primary and
// refuses writes before sending them. Async and sync clients alike; the servers are the test's own.
import assert from "node:assert/strict";
import { ConfigurationError, ConnectionError, NodeDiscoveryMode, RequestError } from "../mod.ts";
import type { GlideClientConfiguration } from "../mod.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { startStandalone } from "../tasks/servers.ts";
import type { StandaloneServer } from "../tasks/servers.ts";
import { ensureValkey } from "../tasks/valkey.ts";

interface Pair {
  primary: StandaloneServer;
  replica: StandaloneServer;
}

async function startPair(): Promise<Pair> {
  const primary = await startStandalone();
  const replica = await startStandalone({
    args: ["--replicaof", primary.host, String(primary.port)],
  });
  for (let i = 0; i < 200; i++) {
    const info = String(await replica.command(["INFO", "replication"]));
    if (info.includes("master_link_status:up")) return { primary, replica };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the replica did not sync");
}

async function stopPair(p: Pair): Promise<void> {
  await p.replica.stop();
  await p.primary.stop();
}

/** `cmdstat_<command>` calls on a server. */
async function calls(s: StandaloneServer, command: string): Promise<number> {
  const info = String(await s.command(["INFO", "commandstats"]));
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

const at = (s: StandaloneServer) => ({ host: s.host, port: s.port });

type AnyClient = AsyncClient | SyncClient;

async function open(sync: boolean, config: GlideClientConfiguration): Promise<AnyClient> {
  return sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

/** Waits until the replica has `key` = `value` (replication is asynchronous). */
async function replicated(p: Pair, key: string, value: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await p.replica.command(["GET", key]) === value) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${key} did not reach the replica`);
}

for (const sync of [false, true]) {
  const kind = sync ? "sync" : "async";

  Deno.test(`standalone replication [${kind}]: the primary is found wherever it is listed; reads follow readFrom`, async () => {
    const p = await startPair();
    try {
      const addresses = [at(p.replica), at(p.primary)]; // the replica first
      // readFrom primary (the default): writes and reads on the primary.
      const plain = await open(sync, { addresses });
      try {
        assert.equal(await plain.set("k", "v1"), "OK");
        const before = await calls(p.primary, "get");
        assert.equal(await plain.get("k"), "v1");
        assert.equal(await calls(p.primary, "get"), before + 1);
      } finally {
        plain.close();
      }
      await replicated(p, "k", "v1");
      // preferReplica: every read on the replica, writes on the primary.
      const reads = await open(sync, { addresses, readFrom: "preferReplica" });
      try {
        const [r0, s0] = [await calls(p.replica, "get"), await calls(p.primary, "set")];
        for (let i = 0; i < 20; i++) assert.equal(await reads.get("k"), "v1");
        assert.equal(await reads.set("k2", "w"), "OK");
        assert.equal(await calls(p.replica, "get"), r0 + 20, "GETs on the replica");
        assert.equal(await calls(p.primary, "set"), s0 + 1, "the SET on the primary");
      } finally {
        reads.close();
      }
      // allNodes: reads on both, in turn.
      const all = await open(sync, { addresses, readFrom: "allNodes" });
      try {
        const [r0, p0] = [await calls(p.replica, "get"), await calls(p.primary, "get")];
        for (let i = 0; i < 20; i++) assert.equal(await all.get("k"), "v1");
        const [r1, p1] = [await calls(p.replica, "get"), await calls(p.primary, "get")];
        assert.equal(r1 - r0 + p1 - p0, 20);
        assert.ok(r1 - r0 >= 5 && p1 - p0 >= 5, `replica ${r1 - r0}, primary ${p1 - p0}`);
      } finally {
        all.close();
      }
    } finally {
      await stopPair(p);
    }
  });

  Deno.test(`standalone replication [${kind}]: DiscoverAll finds the replica, Static trusts the first address, no primary is a ConnectionError`, async () => {
    const p = await startPair();
    try {
      const found = await open(sync, {
        addresses: [at(p.primary)],
        readFrom: "preferReplica",
        nodeDiscoveryMode: NodeDiscoveryMode.DiscoverAll,
      });
      try {
        assert.equal(await found.set("d", "1"), "OK");
        await replicated(p, "d", "1");
        const r0 = await calls(p.replica, "get");
        assert.equal(await found.get("d"), "1");
        assert.equal(await calls(p.replica, "get"), r0 + 1, "the replica the primary listed");
      } finally {
        found.close();
      }
      const trusting = await open(sync, {
        addresses: [at(p.replica), at(p.primary)],
        nodeDiscoveryMode: NodeDiscoveryMode.Static,
      });
      try {
        await assert.rejects(async () => await trusting.set("s", "1"), RequestError); // READONLY
      } finally {
        trusting.close();
      }
      await assert.rejects(
        async () => (await open(sync, { addresses: [at(p.replica), at(p.replica)] })).close(),
        ConnectionError,
      );
    } finally {
      await stopPair(p);
    }
  });

  Deno.test(`standalone replication [${kind}]: readOnly reads from a replica alone and refuses writes unsent`, async () => {
    const p = await startPair();
    try {
      await p.primary.command(["SET", "ro", "x"]);
      await replicated(p, "ro", "x");
      const c = await open(sync, { addresses: [at(p.replica)], readOnly: true });
      try {
        assert.equal(await c.get("ro"), "x");
        assert.equal(await c.ping(), "PONG");
        const s0 = await calls(p.replica, "set");
        await assert.rejects(async () => await c.set("ro", "y"), RequestError);
        await assert.rejects(async () => await c.del(["ro"]), RequestError);
        assert.equal(await calls(p.replica, "set"), s0, "nothing was sent");
      } finally {
        c.close();
      }
    } finally {
      await stopPair(p);
    }
  });
}

Deno.test("standalone replication: readOnly refuses the AZ readFrom modes and DiscoverAll", async () => {
  const addresses = [{ host: "127.0.0.1", port: 1 }];
  for (
    const config of [
      { addresses, readOnly: true, readFrom: "AZAffinity" as const, clientAz: "a" },
      { addresses, readOnly: true, nodeDiscoveryMode: NodeDiscoveryMode.DiscoverAll },
      { addresses, nodeDiscoveryMode: 7 as NodeDiscoveryMode },
    ]
  ) {
    await assert.rejects(async () => await AsyncClient.createClient(config), ConfigurationError);
    assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  }
});

Deno.test("standalone replication: AZAffinity reads go to the replica in the client's zone (Valkey 8.1)", async () => {
  const binaries = await ensureValkey();
  if (!binaries) throw new Error("Valkey 8.1 could not be fetched and built (tasks/valkey.ts)");
  const primary = await startStandalone({ binaries });
  const replicas = [
    await startStandalone({ binaries, args: ["--replicaof", primary.host, String(primary.port)] }),
    await startStandalone({ binaries, args: ["--replicaof", primary.host, String(primary.port)] }),
  ];
  try {
    const zones: [StandaloneServer, string][] = [
      [primary, "az-a"],
      [replicas[0], "az-b"],
      [replicas[1], "az-a"],
    ];
    for (const [node, zone] of zones) {
      assert.equal(await node.command(["CONFIG", "SET", "availability-zone", zone]), "OK");
    }
    const p: Pair = { primary, replica: replicas[1] };
    await primary.command(["SET", "az", "1"]);
    await replicated(p, "az", "1");
    await replicated({ primary, replica: replicas[0] }, "az", "1");
    for (const sync of [false, true]) {
      const c = await open(sync, {
        addresses: [at(replicas[0]), at(primary), at(replicas[1])],
        readFrom: "AZAffinity",
        clientAz: "az-a",
      });
      try {
        // The zones are learnt in the background: the first reads may go anywhere.
        const start = await calls(replicas[1], "get");
        for (let i = 0; i < 100 && await calls(replicas[1], "get") === start; i++) {
          await c.get("az");
          await new Promise((r) => setTimeout(r, 10));
        }
        const before = await Promise.all([primary, ...replicas].map((n) => calls(n, "get")));
        for (let i = 0; i < 30; i++) assert.equal(await c.get("az"), "1");
        const after = await Promise.all([primary, ...replicas].map((n) => calls(n, "get")));
        const delta = after.map((n, i) => n - before[i]);
        assert.deepEqual(delta, [0, 0, 30], `GETs on primary, az-b replica, az-a replica`);
      } finally {
        c.close();
      }
    }
  } finally {
    for (const r of replicas) await r.stop();
    await primary.stop();
  }
});
