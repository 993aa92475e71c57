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
    // Other tests' keys may share the slot: count the one this test adds.
    const before = await c.clusterCountKeysInSlot(slot) as number;
    assert.equal(typeof before, "number");
    await c.set(k, "v");
    assert.equal(await c.clusterCountKeysInSlot(slot), before + 1);
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

eachClusterClient("admin wrappers without a route: one node's reply, shaped", async (c) => {
  const cats = await c.aclCat();
  assert.ok(Array.isArray(cats) && cats.includes("keyspace"), String(cats));
  const list = await c.aclList();
  assert.ok(Array.isArray(list) && list.some((l) => String(l).startsWith("user default")));
  const users = await c.aclUsers();
  assert.ok(Array.isArray(users) && users.includes("default"));
  assert.equal(await c.aclWhoami(), "default");
  assert.equal(await c.aclDryRun("default", ["GET", "k"]), "OK");
  assert.ok(Array.isArray(await c.aclLog()));
  assert.equal(await c.aclLogReset(), "OK");
  const docs = await c.commandDocs(["get"]) as Record<string, unknown>;
  assert.ok("get" in docs, Object.keys(docs).join());
  const info = await c.commandInfo(["get", "no-such-command"]) as unknown[];
  assert.equal(info.length, 2);
  assert.equal(info[1], null);
  const names = await c.commandList({ filterBy: { pattern: "xa*" } }) as string[];
  assert.ok(names.includes("xadd"), String(names));
  const me = await c.clientInfo() as unknown as { id: string };
  assert.match(String(me.id), /^\d+$/, "CLIENT INFO fields are strings, as the server sends them");
  const role = await c.role() as unknown as { role?: string };
  assert.ok(role.role === "master" || role.role === "slave", JSON.stringify(role));
  // CLIENT KILL of a connection opened for it, found by its id on the node it uses.
  const k = key("victim");
  const victim = await c.customCommand(["CLIENT", "ID"], {
    route: { type: "primarySlotKey", key: k },
  }) as number;
  assert.equal(
    await c.clientKill({ id: victim, skipMe: false }, {
      route: { type: "primarySlotKey", key: k },
    }),
    1,
  );
});
