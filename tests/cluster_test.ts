import assert from "node:assert/strict";
import { Decoder, InfoOptions, RequestError } from "../mod.ts";
import { clusterAddresses, eachClusterClient, key } from "./harness.ts";

const addresses = () => clusterAddresses().map((a) => `${a.host}:${a.port}`);

/** The hash slot of a key without a hash tag: CRC16 (XMODEM) of its bytes, mod 16384. */
function slotOf(key: string): number {
  let crc = 0;
  for (const b of new TextEncoder().encode(key)) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : crc << 1;
  }
  return crc % 16384;
}

eachClusterClient("1,000 keys across all slots", async (c) => {
  const base = key("spread");
  const keys = Array.from({ length: 1000 }, (_, i) => `${base}:${i}`);
  for (const k of keys) assert.equal(await c.set(k, k), "OK");
  for (const k of keys) assert.equal(await c.get(k), k);
  // Each reply is checked against the slot computed here (CRC16 of the key, mod 16384).
  const wrong: string[] = [];
  for (const [i, k] of keys.slice(0, 200).entries()) {
    const got = await c.customCommand(["CLUSTER", "KEYSLOT", k]);
    if (got !== slotOf(k)) wrong.push(`#${i} ${k}: ${JSON.stringify(got)} (expected ${slotOf(k)})`);
  }
  assert.deepEqual(wrong, [], `KEYSLOT replies that are not the key's slot`);
  // The keys reach every third of the slots (each primary's range in the test cluster). How many
  // distinct slots they take depends on their common prefix: keys that differ only in a numeric
  // suffix share CRC16's linear structure, and about 1 prefix in 300 puts 200 of them in 150
  // slots or fewer (a CI run once saw 144), so no count is asserted.
  const thirds = new Set(keys.map((k) => Math.floor(slotOf(k) / (16384 / 3))));
  assert.equal(thirds.size, 3, `the keys reach only ${thirds.size} thirds of the slots`);
  assert.equal(await c.del(keys), 1000);
});

eachClusterClient("multi-slot MGET, MSET, DEL, EXISTS keep the caller's order", async (c) => {
  const keys = Array.from({ length: 50 }, (_, i) => `${key("multi")}:${i}`);
  const record: Record<string, string> = {};
  keys.forEach((k, i) => (record[k] = `v${i}`));
  assert.equal(await c.mset(record), "OK");
  const missing = key("missing");
  const order = [...keys].reverse();
  order.splice(7, 0, missing);
  const values = await c.mget(order);
  assert.deepEqual(values, order.map((k) => (k === missing ? null : record[k])));
  assert.equal(await c.exists([...keys, missing, keys[0]]), 51);
  assert.equal(await c.del([...keys, missing]), 50);
  assert.deepEqual(await c.mget(keys.slice(0, 3)), [null, null, null]);
});

eachClusterClient("cross-slot commands surface CROSSSLOT", async (c) => {
  const [a, b] = ["{a}x", "{b}y"];
  await assert.rejects(
    async () => await c.customCommand(["SUNIONSTORE", a, a, b]),
    (e: Error) => e instanceof RequestError && /CROSSSLOT/.test(e.message),
  );
  assert.equal(await c.ping(), "PONG");
});

eachClusterClient("routes", async (c) => {
  const all = addresses();
  const k = key("route");
  await c.set(k, "v");
  assert.equal(await c.ping({ route: "allNodes" }), "PONG");
  assert.equal(await c.ping({ route: "randomNode" }), "PONG");
  const perPrimary = await c.info({ sections: [InfoOptions.Replication], route: "allPrimaries" });
  assert.equal(typeof perPrimary, "object");
  const primaries = Object.keys(perPrimary as Record<string, string>);
  assert.equal(primaries.length, 3);
  for (const text of Object.values(perPrimary as Record<string, string>)) {
    assert.match(text, /role:master/);
  }
  const perNode = await c.echo("hi", { route: "allNodes" }) as Record<string, string>;
  assert.equal(Object.keys(perNode).length, 6);
  assert.ok(Object.values(perNode).every((v) => v === "hi"));
  const onPrimary = await c.info({
    sections: [InfoOptions.Replication],
    route: { type: "primarySlotKey", key: k },
  });
  assert.match(onPrimary as string, /role:master/);
  const onReplica = await c.info({
    sections: [InfoOptions.Replication],
    route: { type: "replicaSlotKey", key: k },
  });
  assert.match(onReplica as string, /role:slave/);
  const slot = await c.customCommand(["CLUSTER", "KEYSLOT", k]) as number;
  assert.match(
    await c.info({
      sections: [InfoOptions.Replication],
      route: { type: "primarySlotId", id: slot },
    }) as string,
    /role:master/,
  );
  assert.match(
    await c.info({
      sections: [InfoOptions.Replication],
      route: { type: "replicaSlotId", id: slot },
    }) as string,
    /role:slave/,
  );
  for (const address of all) {
    const [host, port] = address.split(":");
    const id1 = await c.customCommand(["CLUSTER", "MYID"], {
      route: { type: "routeByAddress", host, port: Number(port) },
    });
    const id2 = await c.customCommand(["CLUSTER", "MYID"], {
      route: { type: "routeByAddress", host: address },
    });
    assert.equal(typeof id1, "string");
    assert.equal(id1, id2);
  }
  await assert.rejects(
    async () => await c.ping({ route: { type: "primarySlotId", id: 20000 } }),
    RequestError,
  );
});

eachClusterClient("aggregated replies: DBSIZE sums, FLUSHALL is OK once all agree", async (c) => {
  await c.flushall();
  const keys = Array.from({ length: 30 }, (_, i) => `${key("agg")}:${i}`);
  for (const k of keys) await c.set(k, "v");
  assert.equal(await c.dbsize(), 30);
  const perNode = await c.customCommand(["DBSIZE"], { route: "allPrimaries" });
  assert.equal(typeof perNode === "number" ? perNode : 0, 30);
  assert.equal(await c.flushall(), "OK");
  assert.equal(await c.dbsize(), 0);
});

eachClusterClient("decoders through routes", async (c) => {
  const k = key("dec");
  await c.set(k, new Uint8Array([1, 2, 255]));
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new Uint8Array([1, 2, 255]));
  const echoed = await c.echo("x", { route: "allPrimaries", decoder: Decoder.Bytes });
  for (const v of Object.values(echoed as Record<string, Uint8Array>)) {
    assert.deepEqual(v, new TextEncoder().encode("x"));
  }
});

eachClusterClient("a node's error fails a multi-node command, async and sync alike", async (c) => {
  // No reply policy (per-node map) and "all succeeded" policy: both raise the node's error.
  await assert.rejects(
    async () =>
      await c.customCommand(["FUNCTION", "DELETE", "no-such-lib"], { route: "allPrimaries" }),
    RequestError,
  );
  await assert.rejects(
    async () => await c.customCommand(["CONFIG", "SET", "no-such-option", "1"]),
    RequestError,
  );
  assert.equal(await c.customCommand(["CONFIG", "SET", "maxmemory-samples", "5"]), "OK");
});
