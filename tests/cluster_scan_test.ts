import assert from "node:assert/strict";
import { ClusterScanCursor, Decoder, ObjectType } from "../mod.ts";
import { GlideClusterClient } from "../async.ts";
import { SlotMove } from "./cluster_admin.ts";
import { type AnyClusterClient, clusterAddresses, eachClusterClient, key } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

async function scanAll(
  c: AnyClusterClient,
  options: Parameters<AnyClusterClient["scan"]>[1] = {},
): Promise<{ keys: unknown[]; calls: number }> {
  let cursor = new ClusterScanCursor();
  const keys: unknown[] = [];
  let calls = 0;
  while (!cursor.isFinished()) {
    const [next, page] = await c.scan(cursor, options);
    keys.push(...page);
    cursor = next;
    assert.ok(++calls < 10_000, "the scan ends");
  }
  return { keys, calls };
}

eachClusterClient("scan returns every key exactly once on a stable cluster", async (c) => {
  await c.flushall();
  const base = key("scan");
  const keys = Array.from({ length: 1000 }, (_, i) => `${base}:${i}`);
  await c.mset(Object.fromEntries(keys.map((k) => [k, "v"])));
  await c.customCommand(["LPUSH", `${base}:list`, "x"]);
  const { keys: seen, calls } = await scanAll(c, { count: 50 });
  assert.equal(seen.length, 1001, "no duplicates");
  assert.deepEqual(new Set(seen), new Set([...keys, `${base}:list`]));
  assert.ok(calls > 3, `${calls} pages`);

  const matched = await scanAll(c, { match: `${base}:1*`, count: 100 });
  assert.equal(matched.keys.length, 111); // :1, :10-:19, :100-:199
  const lists = await scanAll(c, { type: ObjectType.LIST });
  assert.deepEqual(lists.keys, [`${base}:list`]);
  const bytes = await scanAll(c, { match: `${base}:list`, decoder: Decoder.Bytes });
  assert.deepEqual(bytes.keys, [new TextEncoder().encode(`${base}:list`)]);
});

eachClusterClient(
  "cursors are immutable: a page can be asked again from the same cursor",
  async (c) => {
    const start = new ClusterScanCursor();
    const [next] = await c.scan(start, { count: 10 });
    assert.equal(start.isFinished(), false);
    const [again] = await c.scan(start, { count: 10 });
    assert.notEqual(next, again);
    const { calls } = await scanAll(c);
    assert.ok(calls >= 3);
  },
);

Deno.test("cluster: scan survives a slot migration between calls", async () => {
  const c = await GlideClusterClient.createClient(withServerTls({ addresses: clusterAddresses() }));
  try {
    await c.flushall();
    const base = key("scanmove");
    const keys = Array.from({ length: 600 }, (_, i) => `${base}:${i}`);
    const moving = Array.from({ length: 40 }, (_, i) => `{${base}}:${i}`);
    await c.mset(Object.fromEntries([...keys, ...moving].map((k) => [k, "v"])));
    let cursor = new ClusterScanCursor();
    const seen = new Set<unknown>();
    let moved = false;
    let pages = 0;
    while (!cursor.isFinished()) {
      const [next, page] = await c.scan(cursor, { count: 20 });
      page.forEach((k) => seen.add(k));
      cursor = next;
      if (++pages === 5 && !moved) {
        const move = await SlotMove.begin(c, moving[0]);
        await move.finish();
        moved = true;
      }
    }
    assert.ok(moved);
    for (const k of [...keys, ...moving]) assert.ok(seen.has(k), `${k} was not returned`);
  } finally {
    c.close();
  }
});
