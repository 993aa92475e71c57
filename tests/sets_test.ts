import assert from "node:assert/strict";
import { Decoder, RequestError } from "../mod.ts";
import { type AnyBaseClient, type AnyClient, eachBase, key, keys } from "./harness.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Asserts `fn` throws a RequestError (sent and rejected, or refused before sending). */
async function rejects(fn: () => unknown): Promise<void> {
  await assert.rejects(async () => await fn(), RequestError);
}

/** A key holding a string, for WRONGTYPE cases. */
async function stringKey(c: AnyBaseClient, k = key()): Promise<string> {
  await (c as AnyClient).set(k, "x");
  return k;
}

/** A Set of Uint8Array members as sorted strings, to compare byte replies. */
function texts(members: Iterable<unknown>): string[] {
  return [...members].map((m) => {
    assert.ok(m instanceof Uint8Array, `expected bytes, got ${typeof m}`);
    return new TextDecoder().decode(m);
  }).sort();
}

eachBase("sadd, srem, smembers, scard", async (c) => {
  const k = key();
  assert.deepEqual(await c.smembers(k), new Set());
  assert.equal(await c.scard(k), 0);
  assert.equal(await c.srem(k, ["a"]), 0);
  assert.equal(await c.sadd(k, ["a", "b", "a"]), 2);
  assert.equal(await c.sadd(k, ["b", "c"]), 1);
  assert.equal(await c.scard(k), 3);
  const members = await c.smembers(k);
  assert.ok(members instanceof Set);
  assert.deepEqual(members, new Set(["a", "b", "c"]));
  assert.deepEqual(texts(await c.smembers(k, { decoder: Decoder.Bytes })), ["a", "b", "c"]);
  assert.equal(await c.srem(k, ["a", "z"]), 1);
  assert.equal(await c.sadd(k, [new Uint8Array([0, 255])]), 1);
  assert.equal(await c.srem(k, [new Uint8Array([0, 255]), "b", "c"]), 3);
  assert.equal(await c.scard(k), 0);
  assert.equal(await c.exists([k]), 0);
  await rejects(() => c.sadd(k, []));
  await rejects(() => c.srem(k, []));
  const s = await stringKey(c);
  await rejects(() => c.sadd(s, ["a"]));
  await rejects(() => c.srem(s, ["a"]));
  await rejects(() => c.smembers(s));
  await rejects(() => c.scard(s));
});

eachBase("sismember and smismember", async (c) => {
  const k = key();
  assert.equal(await c.sismember(k, "a"), false);
  assert.deepEqual(await c.smismember(k, ["a", "b"]), [false, false]);
  await c.sadd(k, ["a", "c"]);
  assert.equal(await c.sismember(k, "a"), true);
  assert.equal(await c.sismember(k, "b"), false);
  assert.equal(await c.sismember(k, bytes("c")), true);
  assert.deepEqual(await c.smismember(k, ["a", "b", "c"]), [true, false, true]);
  await rejects(() => c.smismember(k, []));
  const s = await stringKey(c);
  await rejects(() => c.sismember(s, "a"));
  await rejects(() => c.smismember(s, ["a"]));
});

eachBase("spop and spopCount", async (c) => {
  const k = key();
  assert.equal(await c.spop(k), null);
  assert.deepEqual(await c.spopCount(k, 2), new Set());
  await c.sadd(k, ["a", "b", "c", "d", "e"]);
  const one = await c.spop(k);
  assert.ok(typeof one === "string" && "abcde".includes(one));
  const two = await c.spopCount(k, 2);
  assert.ok(two instanceof Set);
  assert.equal(two.size, 2);
  assert.ok(!two.has(one));
  assert.equal(await c.scard(k), 2);
  const rest = await c.spopCount(k, 10, { decoder: Decoder.Bytes });
  assert.equal(rest.size, 2);
  const all = new Set([one, ...two, ...texts(rest)]);
  assert.deepEqual(all, new Set(["a", "b", "c", "d", "e"]));
  assert.equal(await c.exists([k]), 0);
  await c.sadd(k, ["x"]);
  assert.deepEqual(await c.spop(k, { decoder: Decoder.Bytes }), bytes("x"));
  await c.sadd(k, ["x"]);
  assert.deepEqual(await c.spopCount(k, 0), new Set());
  await rejects(() => c.spopCount(k, 1.5));
  await rejects(() => c.spopCount(k, -1));
  const s = await stringKey(c);
  await rejects(() => c.spop(s));
  await rejects(() => c.spopCount(s, 1));
});

eachBase("srandmember and srandmemberCount", async (c) => {
  const k = key();
  assert.equal(await c.srandmember(k), null);
  assert.deepEqual(await c.srandmemberCount(k, 3), []);
  assert.deepEqual(await c.srandmemberCount(k, -3), []);
  await c.sadd(k, ["a", "b", "c"]);
  const one = await c.srandmember(k);
  assert.ok(typeof one === "string" && "abc".includes(one));
  assert.deepEqual(texts([await c.srandmember(k, { decoder: Decoder.Bytes })]).length, 1);
  const distinct = await c.srandmemberCount(k, 2);
  assert.ok(Array.isArray(distinct));
  assert.equal(distinct.length, 2);
  assert.equal(new Set(distinct).size, 2);
  assert.deepEqual([...(await c.srandmemberCount(k, 10))].sort(), ["a", "b", "c"]);
  const repeats = await c.srandmemberCount(k, -10);
  assert.ok(Array.isArray(repeats));
  assert.equal(repeats.length, 10);
  for (const m of repeats) assert.ok(["a", "b", "c"].includes(m as string));
  await c.srem(k, ["b", "c"]);
  assert.deepEqual(await c.srandmemberCount(k, -3), ["a", "a", "a"]);
  assert.deepEqual(await c.srandmemberCount(k, -2, { decoder: Decoder.Bytes }), [
    bytes("a"),
    bytes("a"),
  ]);
  assert.deepEqual(await c.srandmemberCount(k, 0), []);
  assert.equal(await c.scard(k), 1);
  await rejects(() => c.srandmemberCount(k, Number.NaN));
  const s = await stringKey(c);
  await rejects(() => c.srandmember(s));
  await rejects(() => c.srandmemberCount(s, 1));
});

eachBase("smove", async (c) => {
  const [a, b, s] = keys(3);
  assert.equal(await c.smove(a, b, "x"), false);
  await c.sadd(a, ["x", "y"]);
  assert.equal(await c.smove(a, b, "x"), true);
  assert.equal(await c.smove(a, b, "x"), false);
  assert.equal(await c.smove(a, b, bytes("y")), true);
  assert.equal(await c.exists([a]), 0);
  assert.deepEqual(await c.smembers(b), new Set(["x", "y"]));
  await c.sadd(a, ["x"]);
  assert.equal(await c.smove(a, b, "x"), true);
  assert.equal(await c.scard(b), 2);
  await c.set(s, "str");
  await rejects(() => c.smove(s, b, "x"));
  await rejects(() => c.smove(b, s, "x"));
  assert.equal(await c.scard(b), 2);
});

eachBase("sinter, sunion, sdiff", async (c) => {
  const [a, b, missing, s] = keys(4);
  await c.sadd(a, ["1", "2", "3"]);
  await c.sadd(b, ["2", "3", "4"]);
  assert.deepEqual(await c.sinter([a, b]), new Set(["2", "3"]));
  assert.deepEqual(await c.sinter([a]), new Set(["1", "2", "3"]));
  assert.deepEqual(await c.sinter([a, missing]), new Set());
  assert.deepEqual(await c.sunion([a, b]), new Set(["1", "2", "3", "4"]));
  assert.deepEqual(await c.sunion([missing]), new Set());
  assert.deepEqual(await c.sdiff([a, b]), new Set(["1"]));
  assert.deepEqual(await c.sdiff([b, a]), new Set(["4"]));
  assert.deepEqual(await c.sdiff([a, missing]), new Set(["1", "2", "3"]));
  assert.deepEqual(await c.sdiff([missing, a]), new Set());
  assert.ok((await c.sinter([a, b])) instanceof Set);
  assert.deepEqual(texts(await c.sinter([a, b], { decoder: Decoder.Bytes })), ["2", "3"]);
  assert.deepEqual(texts(await c.sunion([a, b], { decoder: Decoder.Bytes })), [
    "1",
    "2",
    "3",
    "4",
  ]);
  assert.deepEqual(texts(await c.sdiff([a, b], { decoder: Decoder.Bytes })), ["1"]);
  await rejects(() => c.sinter([]));
  await rejects(() => c.sunion([]));
  await rejects(() => c.sdiff([]));
  await c.set(s, "x");
  await rejects(() => c.sinter([a, s]));
  await rejects(() => c.sunion([a, s]));
  await rejects(() => c.sdiff([a, s]));
});

eachBase("sintercard", async (c) => {
  const [a, b, missing, s] = keys(4);
  assert.equal(await c.sintercard([a, b]), 0);
  await c.sadd(a, ["1", "2", "3", "4"]);
  await c.sadd(b, ["2", "3", "4", "5"]);
  assert.equal(await c.sintercard([a, b]), 3);
  assert.equal(await c.sintercard([a]), 4);
  assert.equal(await c.sintercard([a, b], { limit: 2 }), 2);
  assert.equal(await c.sintercard([a, b], { limit: 0 }), 3);
  assert.equal(await c.sintercard([a, b], { limit: 10 }), 3);
  assert.equal(await c.sintercard([a, missing]), 0);
  await rejects(() => c.sintercard([]));
  await rejects(() => c.sintercard([a], { limit: 1.5 }));
  await rejects(() => c.sintercard([a], { limit: -1 }));
  await c.set(s, "x");
  await rejects(() => c.sintercard([a, s]));
});

eachBase("sinterstore, sunionstore, sdiffstore", async (c) => {
  const [a, b, dst, missing, s] = keys(5);
  await c.sadd(a, ["1", "2", "3"]);
  await c.sadd(b, ["2", "3", "4"]);
  assert.equal(await c.sinterstore(dst, [a, b]), 2);
  assert.deepEqual(await c.smembers(dst), new Set(["2", "3"]));
  assert.equal(await c.sunionstore(dst, [a, b]), 4);
  assert.deepEqual(await c.smembers(dst), new Set(["1", "2", "3", "4"]));
  assert.equal(await c.sdiffstore(dst, [a, b]), 1);
  assert.deepEqual(await c.smembers(dst), new Set(["1"]));
  // The destination may be a source, and is replaced whatever it held.
  assert.equal(await c.sunionstore(a, [a, b]), 4);
  assert.equal(await c.scard(a), 4);
  await c.set(dst, "a string");
  assert.equal(await c.sinterstore(dst, [a, b]), 3);
  assert.equal(await c.scard(dst), 3);
  // An empty result deletes the destination.
  assert.equal(await c.sinterstore(dst, [a, missing]), 0);
  assert.equal(await c.exists([dst]), 0);
  assert.equal(await c.sdiffstore(dst, [missing, a]), 0);
  assert.equal(await c.sunionstore(dst, [missing]), 0);
  assert.equal(await c.exists([dst]), 0);
  await rejects(() => c.sinterstore(dst, []));
  await rejects(() => c.sunionstore(dst, []));
  await rejects(() => c.sdiffstore(dst, []));
  await c.set(s, "x");
  await rejects(() => c.sinterstore(dst, [a, s]));
  await rejects(() => c.sunionstore(dst, [a, s]));
  await rejects(() => c.sdiffstore(dst, [a, s]));
});

eachBase("sscan", async (c) => {
  const k = key();
  assert.deepEqual(await c.sscan(k, "0"), ["0", []]);
  const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
  await c.sadd(k, members);
  await c.sadd(k, ["other"]);
  const seen = new Set<string>();
  let cursor = "0";
  let calls = 0;
  do {
    const [next, batch] = await c.sscan(k, cursor, { count: 20 });
    assert.equal(typeof next, "string");
    assert.ok(Array.isArray(batch));
    for (const m of batch) seen.add(m as string);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  assert.ok(calls > 1, `calls ${calls}`);
  assert.equal(seen.size, 201);
  // MATCH filters; bytes members with a bytes cursor.
  const matched = new Set<string>();
  let bcursor: string | Uint8Array = bytes("0");
  do {
    const [next, batch]: [string, unknown[]] = await c.sscan(k, bcursor, {
      match: "m1*",
      count: 50,
      decoder: Decoder.Bytes,
    });
    for (const m of texts(batch)) matched.add(m);
    bcursor = next;
  } while (bcursor !== "0");
  assert.equal(matched.size, 111); // m1, m10-m19, m100-m199
  const [, none] = await c.sscan(k, "0", { match: "nothing*", count: 1000 });
  assert.deepEqual(none, []);
  await rejects(() => c.sscan(k, "0", { count: 1.5 }));
  await rejects(() => c.sscan(k, 0 as unknown as string));
  await rejects(() => c.sscan(k, "not a cursor"));
  const s = await stringKey(c);
  await rejects(() => c.sscan(s, "0"));
});
