import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { InfoOptions, type PeriodicChecks } from "../mod.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { at, roles, SlotMove } from "./cluster_admin.ts";
import { clusterAddresses, key } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

type Client = GlideClusterClient;

async function connect(extra = {}): Promise<Client> {
  return await GlideClusterClient.createClient(withServerTls({
    addresses: clusterAddresses(),
    requestTimeout: 3000,
    ...extra,
  }));
}

function getCalls(info: string): number {
  return Number(/cmdstat_get:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

Deno.test("cluster: readFrom preferReplica reads from replicas", async () => {
  const admin = await connect();
  const reader = await connect({ readFrom: "preferReplica" });
  try {
    const keys = Array.from({ length: 60 }, (_, i) => `${key("rf")}:${i}`);
    for (const k of keys) await admin.set(k, "v");
    // Let the replicas catch up before reading from them.
    await admin.customCommand(["WAIT", "1", "1000"], { route: "allPrimaries" });
    await admin.customCommand(["CONFIG", "RESETSTAT"], { route: "allNodes" });
    for (const k of keys) assert.equal(await reader.get(k), "v");
    const stats = await admin.info({
      sections: [InfoOptions.Commandstats],
      route: "allNodes",
    }) as Record<
      string,
      string
    >;
    const role = await roles(admin);
    let onReplicas = 0;
    let onPrimaries = 0;
    for (const [addr, text] of Object.entries(stats)) {
      if (role[addr] === "slave") onReplicas += getCalls(text);
      else onPrimaries += getCalls(text);
    }
    assert.equal(
      onReplicas,
      keys.length,
      `replicas served ${onReplicas}, primaries ${onPrimaries}`,
    );
    assert.equal(onPrimaries, 0);
  } finally {
    admin.close();
    reader.close();
  }
});

for (const sync of [false, true]) {
  // The sync client sends single-slot commands straight to the primary it believes owns the
  // slot (its fast path): ASK and MOVED replies hand the command to its cluster connection.
  const label = sync ? "sync" : "async";
  Deno.test(`cluster: MOVED after a slot migration, and ASK while it is in progress [${label}]`, async () => {
    const c = sync
      ? SyncClusterClient.createClient(withServerTls({ addresses: clusterAddresses() }))
      : await connect();
    const admin = await connect();
    try {
      const k = key("moved");
      const k2 = `{${k}}:second`;
      await c.set(k, "v1");
      await c.set(k2, "v2");
      const move = await SlotMove.begin(admin, k);
      // Move one key: the slot is now split between the nodes, so reading it needs ASK.
      await move.moveKeys([k]);
      assert.equal(await c.get(k), "v1", "followed ASK to the importing node");
      assert.equal(await c.get(k2), "v2", "a key not yet moved is still served by the source");
      await move.finish();
      // The client still believes the source owns the slot: it gets MOVED, follows it, and
      // refreshes its slot map.
      assert.equal(await c.get(k), "v1");
      assert.equal(await c.get(k2), "v2");
      await c.set(k, "v3");
      assert.equal(await admin.customCommand(["GET", k], { route: at(move.target) }), "v3");
      // Once the map is refreshed, commands go straight to the new owner.
      await admin.customCommand(["CONFIG", "RESETSTAT"], { route: at(move.source) });
      for (let i = 0; i < 5; i++) assert.equal(await c.get(k2), "v2");
      const stats = await admin.info({
        sections: [InfoOptions.Errorstats],
        route: at(move.source),
      });
      assert.equal(movedErrors(stats as string), 0, "no MOVED once the map is refreshed");
    } finally {
      c.close();
      admin.close();
    }
  });
}

function movedErrors(info: string): number {
  return Number(/errorstat_MOVED:count=(\d+)/.exec(info)?.[1] ?? 0);
}

for (const sync of [false, true]) {
  for (const fromSeeds of [false, true]) {
    const label = `${sync ? "sync" : "async"}${
      fromSeeds ? ", refreshTopologyFromInitialNodes" : ""
    }`;
    Deno.test(`cluster: periodicChecks learns a moved slot before any redirect [${label}]`, async () => {
      const config = withServerTls({
        addresses: clusterAddresses(),
        requestTimeout: 3000,
        advancedConfiguration: { refreshTopologyFromInitialNodes: fromSeeds },
      });
      const make = (periodicChecks: PeriodicChecks) =>
        sync
          ? SyncClusterClient.createClient({ ...config, periodicChecks })
          : GlideClusterClient.createClient({ ...config, periodicChecks });
      const watching = await make({ duration_in_sec: 1 });
      const plain = await make("disabled");
      const admin = await connect();
      try {
        const k = key("periodic");
        await admin.set(k, "v");
        assert.equal(await watching.get(k), "v");
        assert.equal(await plain.get(k), "v");
        const move = await SlotMove.begin(admin, k);
        await move.finish();
        await new Promise((r) => setTimeout(r, 2500)); // two checks
        const source = at(move.source);
        await admin.customCommand(["CONFIG", "RESETSTAT"], { route: source });
        assert.equal(await watching.get(k), "v");
        const afterWatching = await admin.info({
          sections: [InfoOptions.Errorstats],
          route: source,
        });
        assert.equal(movedErrors(afterWatching as string), 0, "went straight to the new owner");
        assert.equal(await plain.get(k), "v");
        const afterPlain = await admin.info({ sections: [InfoOptions.Errorstats], route: source });
        assert.equal(
          movedErrors(afterPlain as string),
          1,
          "without checks: one MOVED, then followed",
        );
      } finally {
        watching.close();
        plain.close();
        admin.close();
      }
    });
  }
}

function slotsCalls(info: string): number {
  return Number(/cmdstat_cluster\|slots:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

Deno.test("cluster: refreshTopologyFromInitialNodes asks the seed, not the nodes it learnt", async () => {
  const admin = await connect();
  const seed = clusterAddresses()[0];
  const seedAddress = `${seed.host}:${seed.port}`;
  const checked = await GlideClusterClient.createClient(withServerTls({
    addresses: [seed],
    periodicChecks: { duration_in_sec: 1 },
    advancedConfiguration: { refreshTopologyFromInitialNodes: true },
  }));
  try {
    await admin.customCommand(["CONFIG", "RESETSTAT"], { route: "allNodes" });
    await new Promise((r) => setTimeout(r, 3500)); // three checks
    const stats = await admin.info({
      sections: [InfoOptions.Commandstats],
      route: "allNodes",
    }) as Record<string, string>;
    let elsewhere = 0;
    for (const [addr, text] of Object.entries(stats)) {
      if (addr !== seedAddress) elsewhere += slotsCalls(text);
    }
    const atSeed = slotsCalls(stats[seedAddress] ?? "");
    assert.ok(atSeed >= 2 && atSeed <= 4, `the seed answered ${atSeed} checks`);
    assert.equal(elsewhere, 0, "no check went to a node learnt from the topology");
  } finally {
    checked.close();
    admin.close();
  }
});
