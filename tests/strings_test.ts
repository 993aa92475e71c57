import assert from "node:assert/strict";
import { Decoder, RequestError, TimeUnit } from "../mod.ts";
import { type AnyBaseClient, type AnyClient, eachBase, key, keys } from "./harness.ts";

eachBase("get and set", async (c) => {
  const k = key();
  assert.equal(await c.get(k), null);
  assert.equal(await c.set(k, "value"), "OK");
  assert.equal(await c.get(k), "value");
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new TextEncoder().encode("value"));
  assert.equal(await c.set(k, "ünïcødé ✓"), "OK");
  assert.equal(await c.get(k), "ünïcødé ✓");
});

eachBase("set conditions", async (c) => {
  const k = key();
  assert.equal(await c.set(k, "a", { conditionalSet: "onlyIfExists" }), null);
  assert.equal(await c.set(k, "a", { conditionalSet: "onlyIfDoesNotExist" }), "OK");
  assert.equal(await c.set(k, "b", { conditionalSet: "onlyIfDoesNotExist" }), null);
  assert.equal(await c.set(k, "c", { conditionalSet: "onlyIfExists" }), "OK");
  assert.equal(await c.get(k), "c");
});

eachBase("set returnOldValue", async (c) => {
  const k = key();
  assert.equal(await c.set(k, "one", { returnOldValue: true }), null);
  assert.equal(await c.set(k, "two", { returnOldValue: true }), "one");
  assert.deepEqual(
    await c.set(k, "three", { returnOldValue: true, decoder: Decoder.Bytes }),
    new TextEncoder().encode("two"),
  );
});

eachBase("set expiry", async (c) => {
  const k = key();
  await c.set(k, "v", { expiry: { type: TimeUnit.Seconds, count: 100 } });
  const t = await c.ttl(k);
  assert.ok(t > 90 && t <= 100, `ttl ${t}`);
  await c.set(k, "v", { expiry: { type: TimeUnit.Milliseconds, count: 50_000 } });
  assert.ok((await c.ttl(k)) <= 50);
  await c.set(k, "w", { expiry: "keepExisting" });
  assert.ok((await c.ttl(k)) > 0);
  const at = Math.floor(Date.now() / 1000) + 200;
  await c.set(k, "v", { expiry: { type: TimeUnit.UnixSeconds, count: at } });
  assert.ok((await c.ttl(k)) > 150);
  await c.set(k, "v", { expiry: { type: TimeUnit.UnixMilliseconds, count: at * 1000 } });
  assert.ok((await c.ttl(k)) > 150);
  await c.set(k, "v");
  assert.equal(await c.ttl(k), -1);
});

eachBase("set rejects bad options before sending", async (c) => {
  const k = key();
  await assert.rejects(
    async () => await c.set(k, "v", { expiry: { type: "BAD" as TimeUnit, count: 1 } }),
    RequestError,
  );
  await assert.rejects(
    async () => await c.set(k, "v", { expiry: { type: TimeUnit.Seconds, count: 1.5 } }),
    RequestError,
  );
  assert.equal(await c.get(k), null);
});

eachBase("mget and mset", async (c) => {
  const [a, b, missing] = keys(3);
  assert.equal(await c.mset({ [a]: "1", [b]: "2" }), "OK");
  assert.deepEqual(await c.mget([a, b, missing]), ["1", "2", null]);
  assert.equal(await c.mset([{ key: a, value: new Uint8Array([0, 1, 2]) }]), "OK");
  assert.deepEqual(await c.mget([a], { decoder: Decoder.Bytes }), [new Uint8Array([0, 1, 2])]);
  await assert.rejects(async () => await c.mget([]), RequestError);
  await assert.rejects(async () => await c.mset({}), RequestError);
});

eachBase("incr, incrBy, decr", async (c) => {
  const k = key();
  assert.equal(await c.incr(k), 1);
  assert.equal(await c.incrBy(k, 41), 42);
  assert.equal(await c.incrBy(k, -2), 40);
  assert.equal(await c.decr(k), 39);
  await c.set(k, "not a number");
  await assert.rejects(async () => await c.incr(k), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /not an integer/);
    return true;
  });
  await assert.rejects(async () => await c.incrBy(k, Number.NaN), RequestError);
});

eachBase("append and strlen", async (c) => {
  const k = key();
  assert.equal(await c.strlen(k), 0);
  assert.equal(await c.append(k, "ab"), 2);
  assert.equal(await c.append(k, "cd"), 4);
  assert.equal(await c.get(k), "abcd");
  await c.set(k, "héllo");
  assert.equal(await c.strlen(k), 6);
});

eachBase("wrong type error keeps the client usable", async (c) => {
  const k = key();
  await c.customCommand(["LPUSH", k, "x"]);
  await assert.rejects(async () => await c.get(k), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /^WRONGTYPE/);
    return true;
  });
  assert.equal(await c.ping(), "PONG");
});

const bytes = (s: string) => new TextEncoder().encode(s);

/** Asserts `fn` throws a RequestError (sent and rejected, or refused before sending). */
async function rejects(fn: () => unknown): Promise<void> {
  await assert.rejects(async () => await fn(), RequestError);
}

/** A key holding a list, for WRONGTYPE cases. */
async function listKey(c: AnyBaseClient, k = key()): Promise<string> {
  await (c as AnyClient).customCommand(["LPUSH", k, "x"]);
  return k;
}

eachBase("decrBy", async (c) => {
  const k = key();
  assert.equal(await c.decrBy(k, 5), -5);
  assert.equal(await c.decrBy(k, -15), 10);
  assert.equal(await c.get(k), "10");
  await rejects(() => c.decrBy(k, 1.5));
  await rejects(() => c.decrBy(k, Number.NaN));
  await c.set(k, "abc");
  await rejects(() => c.decrBy(k, 1));
  const l = await listKey(c);
  await rejects(() => c.decrBy(l, 1));
});

eachBase("incrByFloat", async (c) => {
  const k = key();
  assert.equal(await c.incrByFloat(k, 2.5), 2.5);
  assert.equal(await c.incrByFloat(k, -0.25), 2.25);
  assert.equal(await c.incrByFloat(k, 1), 3.25);
  assert.equal(await c.get(k), "3.25");
  await c.set(k, "10");
  assert.equal(await c.incrByFloat(k, 0.5), 10.5);
  await rejects(() => c.incrByFloat(k, Number.NaN));
  await rejects(() => c.incrByFloat(k, Infinity));
  await c.set(k, "not a number");
  await rejects(() => c.incrByFloat(k, 1));
  const l = await listKey(c);
  await rejects(() => c.incrByFloat(l, 1));
});

eachBase("getdel", async (c) => {
  const k = key();
  assert.equal(await c.getdel(k), null);
  await c.set(k, "v");
  assert.equal(await c.getdel(k), "v");
  assert.equal(await c.get(k), null);
  await c.set(k, new Uint8Array([0, 255]));
  assert.deepEqual(await c.getdel(k, { decoder: Decoder.Bytes }), new Uint8Array([0, 255]));
  assert.equal(await c.getdel(k), null);
  const l = await listKey(c);
  await rejects(() => c.getdel(l));
});

eachBase("getex", async (c) => {
  const k = key();
  assert.equal(await c.getex(k), null);
  assert.equal(await c.getex(k, { expiry: "persist" }), null);
  await c.set(k, "v");
  assert.equal(await c.getex(k), "v");
  assert.equal(await c.ttl(k), -1);
  assert.equal(await c.getex(k, { expiry: { type: TimeUnit.Seconds, duration: 100 } }), "v");
  let t = await c.ttl(k);
  assert.ok(t > 90 && t <= 100, `ttl ${t}`);
  assert.equal(await c.getex(k, { expiry: "persist" }), "v");
  assert.equal(await c.ttl(k), -1);
  await c.getex(k, { expiry: { type: TimeUnit.Milliseconds, duration: 50_000 } });
  t = await c.ttl(k);
  assert.ok(t > 40 && t <= 50, `ttl ${t}`);
  const at = Math.floor(Date.now() / 1000) + 200;
  await c.getex(k, { expiry: { type: TimeUnit.UnixSeconds, duration: at } });
  assert.ok((await c.ttl(k)) > 150);
  await c.getex(k, { expiry: "persist" });
  await c.getex(k, { expiry: { type: TimeUnit.UnixMilliseconds, duration: at * 1000 } });
  assert.ok((await c.ttl(k)) > 150);
  assert.deepEqual(
    await c.getex(k, { expiry: "persist", decoder: Decoder.Bytes }),
    bytes("v"),
  );
  assert.equal(await c.ttl(k), -1);
  // Refused before sending: the key keeps no expiry.
  await rejects(() => c.getex(k, { expiry: { type: TimeUnit.Seconds, duration: 1.5 } }));
  await rejects(() => c.getex(k, { expiry: { type: "EXX" as TimeUnit, duration: 1 } }));
  await rejects(() => c.getex(k, { expiry: "never" as "persist" }));
  assert.equal(await c.ttl(k), -1);
  const l = await listKey(c);
  await rejects(() => c.getex(l));
});

eachBase("getrange and setrange", async (c) => {
  const k = key();
  assert.equal(await c.getrange(k, 0, 10), "");
  assert.equal(await c.setrange(k, 0, "Hello World"), 11);
  assert.equal(await c.getrange(k, 0, 4), "Hello");
  assert.equal(await c.getrange(k, -5, -1), "World");
  assert.equal(await c.getrange(k, 0, 100), "Hello World");
  assert.equal(await c.getrange(k, 20, 30), "");
  assert.equal(await c.setrange(k, 6, "GLIDE"), 11);
  assert.equal(await c.get(k), "Hello GLIDE");
  assert.deepEqual(await c.getrange(k, 0, 0, { decoder: Decoder.Bytes }), bytes("H"));
  // Padding with zero bytes past the end; binary values.
  const p = key();
  assert.equal(await c.setrange(p, 2, new Uint8Array([7, 8])), 4);
  assert.deepEqual(await c.get(p, { decoder: Decoder.Bytes }), new Uint8Array([0, 0, 7, 8]));
  await rejects(() => c.setrange(k, -1, "x"));
  await rejects(() => c.setrange(k, 0.5, "x"));
  await rejects(() => c.getrange(k, 0, Number.NaN));
  await rejects(() => c.getrange(k, 0.5, 1));
  const l = await listKey(c);
  await rejects(() => c.getrange(l, 0, 1));
  await rejects(() => c.setrange(l, 0, "x"));
});

eachBase("msetnx", async (c) => {
  const [a, b, d] = keys(3);
  assert.equal(await c.msetnx({ [a]: "1", [b]: "2" }), true);
  assert.deepEqual(await c.mget([a, b]), ["1", "2"]);
  assert.equal(await c.msetnx({ [b]: "3", [d]: "4" }), false);
  assert.deepEqual(await c.mget([a, b, d]), ["1", "2", null]);
  assert.equal(await c.msetnx([{ key: d, value: new Uint8Array([1, 2]) }]), true);
  assert.deepEqual(await c.get(d, { decoder: Decoder.Bytes }), new Uint8Array([1, 2]));
  await rejects(() => c.msetnx({}));
  await rejects(() => c.msetnx([]));
});

eachBase("lcs, lcsLen", async (c) => {
  const [a, b, missing] = keys(3);
  assert.equal(await c.lcs(a, missing), "");
  assert.equal(await c.lcsLen(a, missing), 0);
  await c.mset({ [a]: "abcd", [b]: "axcd" });
  assert.equal(await c.lcs(a, b), "acd");
  assert.deepEqual(await c.lcs(a, b, { decoder: Decoder.Bytes }), bytes("acd"));
  assert.equal(await c.lcsLen(a, b), 3);
  assert.equal(await c.lcsLen(a, b, { decoder: Decoder.Bytes }), 3);
  await c.set(b, "wxyz");
  assert.equal(await c.lcs(a, b), "");
  assert.equal(await c.lcsLen(a, b), 0);
  const l = await listKey(c, missing);
  await rejects(() => c.lcs(a, l));
  await rejects(() => c.lcsLen(a, l));
});

eachBase("lcsIdx", async (c) => {
  const [a, b, missing] = keys(3);
  assert.deepEqual(await c.lcsIdx(a, missing), { matches: [], len: 0 });
  await c.mset({ [a]: "ohmytext", [b]: "mynewtext" });
  assert.deepEqual(await c.lcsIdx(a, b), {
    matches: [[[4, 7], [5, 8]], [[2, 3], [0, 1]]],
    len: 6,
  });
  assert.deepEqual(await c.lcsIdx(a, b, { withMatchLen: true }), {
    matches: [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]],
    len: 6,
  });
  assert.deepEqual(await c.lcsIdx(a, b, { minMatchLen: 3 }), {
    matches: [[[4, 7], [5, 8]]],
    len: 6,
  });
  assert.deepEqual(await c.lcsIdx(a, b, { minMatchLen: 3, withMatchLen: true }), {
    matches: [[[4, 7], [5, 8], 4]],
    len: 6,
  });
  assert.deepEqual(await c.lcsIdx(a, b, { minMatchLen: 10 }), { matches: [], len: 6 });
  await rejects(() => c.lcsIdx(a, b, { minMatchLen: 1.5 }));
  const l = await listKey(c, missing);
  await rejects(() => c.lcsIdx(a, l));
});
