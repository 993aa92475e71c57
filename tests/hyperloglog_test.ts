import assert from "node:assert/strict";
import { RequestError } from "../mod.ts";
import { type AnyClient, eachBase, key, keys } from "./harness.ts";

/** Asserts `fn` fails with a RequestError (rejected by the server, or refused before sending). */
async function rejects(fn: () => unknown): Promise<void> {
  await assert.rejects(async () => await fn(), RequestError);
}

eachBase("pfadd and pfcount", async (c) => {
  const k = key();
  assert.equal(await c.pfcount([k]), 0);
  assert.equal(await c.pfadd(k, ["a", "b", "c"]), true);
  assert.equal(await c.pfadd(k, ["a", "b"]), false);
  assert.equal(await c.pfcount([k]), 3);
  assert.equal(await c.pfadd(k, [new Uint8Array([0, 255]), "d"]), true);
  assert.equal(await c.pfcount([k]), 5);
  // No elements: creates the key once.
  const e = key();
  assert.equal(await c.pfadd(e, []), true);
  assert.equal(await c.pfadd(e, []), false);
  assert.equal(await c.exists([e]), 1);
  assert.equal(await c.pfcount([e]), 0);
  // An estimate over many elements stays close.
  const many = key();
  const elements = Array.from({ length: 1000 }, (_, i) => `e${i}`);
  assert.equal(await c.pfadd(many, elements), true);
  const n = await c.pfcount([many]);
  assert.ok(Math.abs(n - 1000) < 30, `estimate ${n}`);
  await rejects(() => c.pfcount([]));
  await rejects(() => c.pfadd(k, "a" as unknown as string[]));
});

eachBase("pfcount of several keys", async (c) => {
  const [a, b, missing] = keys(3);
  await c.pfadd(a, ["x", "y"]);
  await c.pfadd(b, ["y", "z"]);
  assert.equal(await c.pfcount([a, b]), 3);
  assert.equal(await c.pfcount([a, b, missing]), 3);
  assert.equal(await c.pfcount([missing]), 0);
  // Counting several keys leaves them unchanged.
  assert.equal(await c.pfcount([a]), 2);
});

eachBase("pfmerge", async (c) => {
  const [a, b, dest, missing] = keys(4);
  await c.pfadd(a, ["x", "y"]);
  await c.pfadd(b, ["y", "z"]);
  assert.equal(await c.pfmerge(dest, [a, b]), "OK");
  assert.equal(await c.pfcount([dest]), 3);
  // The destination keeps its own elements; missing sources count as empty.
  await c.pfadd(a, ["w"]);
  assert.equal(await c.pfmerge(dest, [a, missing]), "OK");
  assert.equal(await c.pfcount([dest]), 4);
  // No sources: creates an empty destination.
  assert.equal(await c.pfmerge(missing, []), "OK");
  assert.equal(await c.pfcount([missing]), 0);
  await rejects(() => c.pfmerge(dest, null as unknown as string[]));
});

eachBase("hyperloglog on other types", async (c) => {
  const [hll, str, list] = keys(3);
  await c.pfadd(hll, ["x"]);
  await c.set(str, "not a hyperloglog");
  await (c as AnyClient).customCommand(["LPUSH", list, "x"]);
  await rejects(() => c.pfadd(str, ["x"]));
  await rejects(() => c.pfcount([str]));
  await rejects(() => c.pfmerge(hll, [str]));
  await rejects(() => c.pfadd(list, ["x"]));
  await rejects(() => c.pfcount([hll, list]));
  await rejects(() => c.pfmerge(list, [hll]));
  assert.equal(await c.pfcount([hll]), 1);
});
