import assert from "node:assert/strict";
import { eachClusterClient, key } from "./harness.ts";

eachClusterClient(
  "cluster info, nodes, shards, slots, keyslot, countkeysinslot, myid",
  async (c) => {
    const info = await c.clusterInfo({ route: "randomNode" }) as Record<string, string>;
    assert.equal(info.cluster_state, "ok");
    assert.match(await c.clusterNodes({ route: "randomNode" }) as string, /myself/);
    const shards = await c.clusterShards({ route: "randomNode" }) as { slots: unknown[] }[];
    assert.ok(shards.length >= 1 && shards.every((s) => s.slots.length >= 0));
    const slots = await c.clusterSlots({ route: "randomNode" }) as {
      start: number;
      primary: { port: number };
    }[];
    assert.ok(slots.length >= 1 && slots[0].primary.port > 0);
    const k = key("slot");
    const slot = await c.clusterKeySlot(k) as number;
    assert.equal(slot, await c.customCommand(["CLUSTER", "KEYSLOT", k]));
    assert.equal(await c.clusterCountKeysInSlot(slot), 0);
    await c.set(k, "v");
    assert.ok(await c.clusterCountKeysInSlot(slot) as number >= 1);
    assert.deepEqual(await c.keys(k), [k]);
    const ids = await c.clusterMyId({ route: "allPrimaries" }) as Record<string, string>;
    assert.ok(Object.values(ids).every((id) => id.length === 40));
  },
);

eachClusterClient("acl, slowlog, role, client list on the cluster", async (c) => {
  const user = key("cuser").replaceAll(":", "_");
  try {
    assert.equal(await c.aclSetUser(user, ["on", "nopass"]), "OK");
    const all = await c.aclGetUser(user, { route: "allNodes" }) as Record<string, unknown>;
    assert.ok(Object.values(all).every((u) => u !== null));
  } finally {
    assert.equal(await c.aclDelUser([user]), 1);
  }
  assert.equal(await c.slowlogReset(), "OK");
  assert.equal(typeof await c.slowlogLen(), "number");
  assert.ok(Array.isArray(await c.slowlogGet()));
  const roles = await c.role({ route: "allPrimaries" }) as Record<string, { role: string }>;
  assert.ok(Object.values(roles).every((r) => r.role === "master"));
  const lists = await c.clientList({ route: "allPrimaries" }) as Record<string, unknown[]>;
  assert.ok(Object.values(lists).every((l) => l.length >= 1));
  assert.ok(await c.commandCount() as number > 100);
});
