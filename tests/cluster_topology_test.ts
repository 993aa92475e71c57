import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { InfoOptions } from "../mod.ts";
import { clusterAddresses, key } from "./harness.ts";

type Client = GlideClusterClient;

async function connect(extra = {}): Promise<Client> {
  return await GlideClusterClient.createClient({
    addresses: clusterAddresses(),
    requestTimeout: 3000,
    ...extra,
  });
}

function at(address: string) {
  const i = address.lastIndexOf(":");
  return {
    type: "routeByAddress" as const,
    host: address.slice(0, i),
    port: Number(address.slice(i + 1)),
  };
}

/** address -> role ("master" | "slave") of every node. */
async function roles(c: Client): Promise<Record<string, string>> {
  const info = await c.info({ sections: [InfoOptions.Replication], route: "allNodes" }) as Record<
    string,
    string
  >;
  return Object.fromEntries(
    Object.entries(info).map(([addr, text]) => [addr, /role:(\w+)/.exec(text)![1]]),
  );
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

Deno.test("cluster: MOVED after a slot migration, and ASK while it is in progress", async () => {
  const c = await connect();
  const admin = await connect();
  try {
    const k = key("moved");
    const k2 = `{${k}}:second`;
    await c.set(k, "v1");
    await c.set(k2, "v2");
    const slot = await c.customCommand(["CLUSTER", "KEYSLOT", k]) as number;
    const role = await roles(admin);
    const ids: Record<string, string> = {};
    for (const addr of Object.keys(role)) {
      ids[addr] = await admin.customCommand(["CLUSTER", "MYID"], { route: at(addr) }) as string;
    }
    const ownerInfo = await admin.info({
      sections: [InfoOptions.Server],
      route: { type: "primarySlotKey", key: k },
    }) as string;
    const ownerPort = /tcp_port:(\d+)/.exec(ownerInfo)![1];
    const source = Object.keys(role).find((a) => a.endsWith(`:${ownerPort}`))!;
    const target = Object.keys(role).find((a) => role[a] === "master" && a !== source)!;
    const [targetHost, targetPort] = [
      target.slice(0, target.lastIndexOf(":")),
      target.slice(target.lastIndexOf(":") + 1),
    ];

    await admin.customCommand(["CLUSTER", "SETSLOT", String(slot), "IMPORTING", ids[source]], {
      route: at(target),
    });
    await admin.customCommand(["CLUSTER", "SETSLOT", String(slot), "MIGRATING", ids[target]], {
      route: at(source),
    });
    // Move one key: the slot is now split between the nodes, so reading it needs ASK.
    await admin.customCommand(["MIGRATE", targetHost, targetPort, "", "0", "5000", "KEYS", k], {
      route: at(source),
    });
    assert.equal(await c.get(k), "v1", "followed ASK to the importing node");
    assert.equal(await c.get(k2), "v2", "a key not yet moved is still served by the source");
    await admin.customCommand(["MIGRATE", targetHost, targetPort, "", "0", "5000", "KEYS", k2], {
      route: at(source),
    });
    for (const addr of Object.keys(role).filter((a) => role[a] === "master")) {
      await admin.customCommand(["CLUSTER", "SETSLOT", String(slot), "NODE", ids[target]], {
        route: at(addr),
      });
    }
    // The client still believes the source owns the slot: it gets MOVED, follows it, and
    // refreshes its slot map.
    assert.equal(await c.get(k), "v1");
    assert.equal(await c.get(k2), "v2");
    await c.set(k, "v3");
    assert.equal(await admin.customCommand(["GET", k], { route: at(target) }), "v3");
  } finally {
    c.close();
    admin.close();
  }
});
