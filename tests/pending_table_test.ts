import assert from "node:assert/strict";
import { PendingTable } from "../shared/pending_table.ts";

Deno.test("pending table: agrees with a Map through growth, shrinking and wrap-around ids", () => {
  const table = new PendingTable<number>();
  const model = new Map<number, number>();
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  // Ids as the client makes them: rising, wrapping past 2^32 - 1 to 1, a few held for long.
  let next = 0xffff_ff00;
  const nextId = () => (next = (next + 1) >>> 0 || 1);
  const live: number[] = [];
  for (let step = 0; step < 200_000; step++) {
    const burst = step % 50_000 < 5_000; // phases of thousands in flight, then few
    if (live.length === 0 || random() < (burst ? 0.7 : 0.5)) {
      const id = nextId();
      table.set(id, step);
      model.set(id, step);
      live.push(id);
    } else {
      // Mostly the oldest first (replies in order), sometimes any (another node's).
      const at = random() < 0.8 ? 0 : Math.floor(random() * live.length);
      const [id] = live.splice(at, 1);
      assert.equal(table.get(id), model.get(id));
      assert.equal(table.delete(id), true);
      model.delete(id);
      assert.equal(table.get(id), undefined);
      assert.equal(table.delete(id), false);
    }
    assert.equal(table.size, model.size);
    if (step % 997 === 0) {
      for (const id of live) assert.equal(table.get(id), model.get(id));
    }
  }
  const entries = table.entries().sort((a, b) => a[0] - b[0]);
  assert.deepEqual(entries, [...model].sort((a, b) => a[0] - b[0]));
});

Deno.test("pending table: set replaces an entry; entries can be deleted while going through them", () => {
  const table = new PendingTable<string>();
  for (let id = 1; id <= 1000; id++) table.set(id, `a${id}`);
  table.set(500, "b");
  assert.equal(table.size, 1000);
  assert.equal(table.get(500), "b");
  for (const [id] of table.entries()) if (id % 2 === 0) table.delete(id);
  assert.equal(table.size, 500);
  for (let id = 1; id <= 1000; id++) assert.equal(table.get(id), id % 2 ? `a${id}` : undefined);
});
