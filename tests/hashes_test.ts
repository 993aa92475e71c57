import assert from "node:assert/strict";
import {
  ConfigurationError,
  Decoder,
  HashExpirationCondition,
  HashFieldConditionalChange,
  RequestError,
  TimeUnit,
} from "../mod.ts";
import { type AnyBaseClient, type AnyClient, eachBase, key, serverVersion } from "./harness.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * Whether the server is at least the given Redis or Valkey version. Valkey reports a
 * `redis_version` of 7.2.x for compatibility, so its own `valkey_version` wins when present.
 */
async function atLeast(
  c: AnyBaseClient,
  redis: [number, number],
  valkey: [number, number],
): Promise<boolean> {
  const info = await (c as AnyClient).customCommand(["INFO", "server"]);
  const text = typeof info === "string"
    ? info
    : Object.values(info as unknown as Record<string, unknown>).map(String).join("\n");
  const m = /valkey_version:(\d+)\.(\d+)/.exec(text);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : await serverVersion(c);
  const [needMajor, needMinor] = m ? valkey : redis;
  return major > needMajor || (major === needMajor && minor >= needMinor);
}

/** Hash-field expiry (HEXPIRE family, HTTL family, HPERSIST): Redis 7.4+, Valkey 9.0+. */
const fieldExpiry = (c: AnyBaseClient) => atLeast(c, [7, 4], [9, 0]);
/** HGETEX / HSETEX: Redis 8.0+, Valkey 9.0+. */
const getSetEx = (c: AnyBaseClient) => atLeast(c, [8, 0], [9, 0]);
/** HSCAN NOVALUES: Redis 7.4+, Valkey 8.0+. */
const noValues = (c: AnyBaseClient) => atLeast(c, [7, 4], [8, 0]);

/** The server (not the client) rejected the call. */
async function serverRejects(call: () => unknown): Promise<void> {
  await assert.rejects(
    async () => await call(),
    (e) => e instanceof RequestError && !(e instanceof ConfigurationError),
  );
}

/** The client rejected the call before sending it. */
async function clientRejects(call: () => unknown): Promise<void> {
  await assert.rejects(async () => await call(), ConfigurationError);
}

/** Sorts pairs / strings for comparing unordered replies. */
const sorted = <T>(list: T[]): T[] => [...list].sort((a, b) => String(a) < String(b) ? -1 : 1);

eachBase("hset, hget, hgetall", async (c) => {
  const k = key();
  assert.equal(await c.hget(k, "f"), null);
  assert.deepEqual(await c.hgetall(k), []);
  assert.equal(await c.hset(k, { a: "1", b: "2" }), 2);
  assert.equal(await c.hset(k, { a: "one", c: "3" }), 1);
  assert.equal(await c.hset(k, [{ field: enc("bin\0"), value: new Uint8Array([0, 255]) }]), 1);
  assert.equal(await c.hget(k, "a"), "one");
  assert.equal(await c.hget(k, "missing"), null);
  assert.deepEqual(
    await c.hget(k, enc("bin\0"), { decoder: Decoder.Bytes }),
    new Uint8Array([0, 255]),
  );
  assert.deepEqual(await c.hget(k, "a", { decoder: Decoder.Bytes }), enc("one"));
  const all = await c.hgetall(k);
  assert.deepEqual(
    sorted(all.filter((e) => e.field !== "bin\0").map((e) => `${e.field}=${e.value}`)),
    ["a=one", "b=2", "c=3"],
  );
  const bytes = await c.hgetall(k, { decoder: Decoder.Bytes });
  assert.equal(bytes.length, 4);
  assert.ok(bytes.every((e) => e.field instanceof Uint8Array && e.value instanceof Uint8Array));
  assert.deepEqual(
    bytes.find((e) => new TextDecoder().decode(e.field as Uint8Array) === "bin\0")?.value,
    new Uint8Array([0, 255]),
  );
  assert.equal(await c.hset(k, { "ünï": "cødé ✓" }), 1);
  assert.equal(await c.hget(k, "ünï"), "cødé ✓");
});

eachBase("hmget, hdel, hexists, hlen, hstrlen", async (c) => {
  const k = key();
  assert.deepEqual(await c.hmget(k, ["a", "b"]), [null, null]);
  assert.equal(await c.hdel(k, ["a"]), 0);
  assert.equal(await c.hexists(k, "a"), false);
  assert.equal(await c.hlen(k), 0);
  assert.equal(await c.hstrlen(k, "a"), 0);
  await c.hset(k, { a: "1", b: "22", c: "333" });
  assert.deepEqual(await c.hmget(k, ["a", "missing", "c"]), ["1", null, "333"]);
  assert.deepEqual(await c.hmget(k, ["b"], { decoder: Decoder.Bytes }), [enc("22")]);
  assert.equal(await c.hexists(k, "a"), true);
  assert.equal(await c.hexists(k, "missing"), false);
  assert.equal(await c.hlen(k), 3);
  assert.equal(await c.hstrlen(k, "c"), 3);
  assert.equal(await c.hstrlen(k, "missing"), 0);
  assert.equal(await c.hdel(k, ["a", "b", "missing"]), 2);
  assert.equal(await c.hlen(k), 1);
  assert.equal(await c.hdel(k, ["c"]), 1);
  assert.equal(await c.exists([k]), 0);
});

eachBase("hkeys and hvals", async (c) => {
  const k = key();
  assert.deepEqual(await c.hkeys(k), []);
  assert.deepEqual(await c.hvals(k), []);
  await c.hset(k, { a: "1", b: "2" });
  assert.deepEqual(sorted(await c.hkeys(k)), ["a", "b"]);
  assert.deepEqual(sorted(await c.hvals(k)), ["1", "2"]);
  const keysBytes = await c.hkeys(k, { decoder: Decoder.Bytes });
  assert.deepEqual(sorted(keysBytes.map((b) => new TextDecoder().decode(b as Uint8Array))), [
    "a",
    "b",
  ]);
  assert.ok(keysBytes.every((b) => b instanceof Uint8Array));
  const valsBytes = await c.hvals(k, { decoder: Decoder.Bytes });
  assert.ok(valsBytes.every((b) => b instanceof Uint8Array));
});

eachBase("hincrBy and hincrByFloat", async (c) => {
  const k = key();
  assert.equal(await c.hincrBy(k, "n", 5), 5);
  assert.equal(await c.hincrBy(k, "n", -7), -2);
  assert.equal(await c.hincrByFloat(k, "x", 2.5), 2.5);
  assert.equal(await c.hincrByFloat(k, "x", -0.25), 2.25);
  assert.equal(await c.hincrByFloat(k, "n", 0.5), -1.5);
  assert.equal(await c.hget(k, "x"), "2.25");
  await c.hset(k, { s: "text" });
  await serverRejects(() => c.hincrBy(k, "s", 1));
  await serverRejects(() => c.hincrByFloat(k, "s", 1));
  await serverRejects(() => c.hincrBy(k, "x", 1)); // "2.25" is not an integer
  await clientRejects(() => c.hincrBy(k, "n", 1.5));
  await clientRejects(() => c.hincrBy(k, "n", NaN));
  await clientRejects(() => c.hincrByFloat(k, "n", NaN));
  await clientRejects(() => c.hincrByFloat(k, "n", Infinity));
  assert.equal(await c.hget(k, "n"), "-1.5");
});

eachBase("hsetnx", async (c) => {
  const k = key();
  assert.equal(await c.hsetnx(k, "a", "1"), true);
  assert.equal(await c.hsetnx(k, "a", "2"), false);
  assert.equal(await c.hsetnx(k, enc("b"), enc("3")), true);
  assert.deepEqual(await c.hmget(k, ["a", "b"]), ["1", "3"]);
});

eachBase("hrandfield, hrandfieldCount, hrandfieldWithValues", async (c) => {
  const k = key();
  assert.equal(await c.hrandfield(k), null);
  assert.deepEqual(await c.hrandfieldCount(k, 3), []);
  assert.deepEqual(await c.hrandfieldWithValues(k, 3), []);
  await c.hset(k, { a: "1", b: "2", c: "3" });
  const one = await c.hrandfield(k);
  assert.ok(["a", "b", "c"].includes(one as string), String(one));
  assert.ok((await c.hrandfield(k, { decoder: Decoder.Bytes })) instanceof Uint8Array);
  assert.deepEqual(sorted(await c.hrandfieldCount(k, 10)), ["a", "b", "c"]);
  assert.equal((await c.hrandfieldCount(k, 2)).length, 2);
  const repeated = await c.hrandfieldCount(k, -7);
  assert.equal(repeated.length, 7);
  assert.ok(repeated.every((f) => ["a", "b", "c"].includes(f as string)));
  assert.deepEqual(await c.hrandfieldCount(k, 0), []);
  const values: Record<string, string> = { a: "1", b: "2", c: "3" };
  const pairs = await c.hrandfieldWithValues(k, 10);
  assert.equal(pairs.length, 3);
  for (const p of pairs) {
    assert.equal(p.length, 2);
    assert.equal(p[1], values[p[0] as string]);
  }
  const many = await c.hrandfieldWithValues(k, -5);
  assert.equal(many.length, 5);
  for (const [f, v] of many) assert.equal(v, values[f as string]);
  const bytes = await c.hrandfieldWithValues(k, 1, { decoder: Decoder.Bytes });
  assert.equal(bytes.length, 1);
  assert.ok(bytes[0][0] instanceof Uint8Array && bytes[0][1] instanceof Uint8Array);
  assert.deepEqual(
    bytes[0][1],
    enc(values[new TextDecoder().decode(bytes[0][0] as Uint8Array)]),
  );
  await clientRejects(() => c.hrandfieldCount(k, 1.5));
  await clientRejects(() => c.hrandfieldWithValues(k, NaN));
});

eachBase("hscan", async (c) => {
  const k = key();
  assert.deepEqual(await c.hscan(k, "0"), ["0", []]);
  const record: Record<string, string> = {};
  for (let i = 0; i < 300; i++) record[`f${i}`] = `v${i}`;
  record["other"] = "x".repeat(100); // longer than hash-max-listpack-value: a hashtable
  await c.hset(k, record);
  // A hashtable is iterated with a cursor.
  const seen = new Map<string, string>();
  let cursor = "0";
  let calls = 0;
  do {
    const [next, items] = await c.hscan(k, cursor, { count: 20 });
    assert.equal(typeof next, "string");
    assert.equal(items.length % 2, 0);
    for (let i = 0; i < items.length; i += 2) seen.set(items[i] as string, items[i + 1] as string);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  assert.ok(calls > 1, `calls ${calls}`);
  assert.equal(seen.size, 301);
  assert.equal(seen.get("f42"), "v42");
  // MATCH
  const matched = new Set<string>();
  cursor = "0";
  do {
    const [next, items] = await c.hscan(k, cursor, { match: "oth*", count: 1000 });
    for (let i = 0; i < items.length; i += 2) matched.add(items[i] as string);
    cursor = next;
  } while (cursor !== "0");
  assert.deepEqual([...matched], ["other"]);
  // Bytes: the cursor stays a string, the items are bytes.
  const [next, items] = await c.hscan(k, "0", { decoder: Decoder.Bytes, count: 10 });
  assert.equal(typeof next, "string");
  assert.ok(items.length > 0 && items.every((i) => i instanceof Uint8Array));
  // A small (listpack) hash comes back whole in one call.
  const small = key();
  await c.hset(small, { a: "1" });
  assert.deepEqual(await c.hscan(small, "0", { match: enc("a"), count: 5 }), ["0", ["a", "1"]]);
  await clientRejects(() => c.hscan(k, "0", { count: 1.5 }));
  if (await noValues(c)) {
    const [cur, fields] = await c.hscan(small, "0", { noValues: true });
    assert.deepEqual([cur, fields], ["0", ["a"]]);
  } else {
    await serverRejects(() => c.hscan(small, "0", { noValues: true }));
    assert.deepEqual(await c.hscan(small, "0"), ["0", ["a", "1"]]);
  }
});

eachBase("hash commands on a string are WRONGTYPE", async (c) => {
  const k = key();
  await c.set(k, "x");
  const calls: (() => unknown)[] = [
    () => c.hset(k, { a: "1" }),
    () => c.hget(k, "a"),
    () => c.hgetall(k),
    () => c.hmget(k, ["a"]),
    () => c.hdel(k, ["a"]),
    () => c.hexists(k, "a"),
    () => c.hincrBy(k, "a", 1),
    () => c.hincrByFloat(k, "a", 1),
    () => c.hkeys(k),
    () => c.hvals(k),
    () => c.hlen(k),
    () => c.hsetnx(k, "a", "1"),
    () => c.hstrlen(k, "a"),
    () => c.hrandfield(k),
    () => c.hrandfieldCount(k, 1),
    () => c.hrandfieldWithValues(k, 1),
    () => c.hscan(k, "0"),
    () => c.hexpire(k, 10, ["a"]),
    () => c.hpexpire(k, 10, ["a"]),
    () => c.hexpireat(k, 2_000_000_000, ["a"]),
    () => c.hpexpireat(k, 2_000_000_000_000, ["a"]),
    () => c.httl(k, ["a"]),
    () => c.hpttl(k, ["a"]),
    () => c.hexpiretime(k, ["a"]),
    () => c.hpexpiretime(k, ["a"]),
    () => c.hpersist(k, ["a"]),
    () => c.hgetex(k, ["a"]),
    () => c.hsetex(k, { a: "1" }),
  ];
  for (const call of calls) await serverRejects(call);
  assert.equal(await c.get(k), "x");
});

eachBase("hash commands reject bad arguments before sending", async (c) => {
  const k = key();
  await serverRejects(() => c.hset(k, {}));
  await serverRejects(() => c.hset(k, []));
  await serverRejects(() => c.hmget(k, []));
  await serverRejects(() => c.hdel(k, []));
  await serverRejects(() => c.hexpire(k, 10, []));
  await clientRejects(() => c.hexpire(k, 1.5, ["a"]));
  await clientRejects(() => c.hpexpire(k, NaN, ["a"]));
  await clientRejects(() => c.hexpireat(k, Infinity, ["a"]));
  await clientRejects(() =>
    c.hpexpireat(k, 10, ["a"], { condition: "BAD" as HashExpirationCondition })
  );
  await serverRejects(() => c.httl(k, []));
  await serverRejects(() => c.hpttl(k, []));
  await serverRejects(() => c.hexpiretime(k, []));
  await serverRejects(() => c.hpexpiretime(k, []));
  await serverRejects(() => c.hpersist(k, []));
  await serverRejects(() => c.hgetex(k, []));
  await clientRejects(() => c.hgetex(k, ["a"], { expiry: "KEEPTTL" as "PERSIST" }));
  await clientRejects(() => c.hgetex(k, ["a"], { expiry: { type: "BAD" as TimeUnit, count: 1 } }));
  await clientRejects(() => c.hgetex(k, ["a"], { expiry: { type: TimeUnit.Seconds, count: 0.5 } }));
  await serverRejects(() => c.hsetex(k, {}));
  await clientRejects(() => c.hsetex(k, { a: "1" }, { expiry: "PERSIST" as "KEEPTTL" }));
  await clientRejects(() =>
    c.hsetex(k, { a: "1" }, { expiry: { type: TimeUnit.Milliseconds, count: NaN } })
  );
  await clientRejects(() =>
    c.hsetex(k, { a: "1" }, {
      fieldConditionalChange: "NX" as HashFieldConditionalChange,
    })
  );
  assert.equal(await c.exists([k]), 0);
});

eachBase(
  "hash-field expiry: hexpire, hpexpire, hexpireat, hpexpireat, httl ... hpersist",
  async (c) => {
    const k = key();
    if (!(await fieldExpiry(c))) {
      // Redis < 7.4 / Valkey < 9.0: the commands are sent and rejected; the client carries on.
      await c.hset(k, { a: "1" });
      await serverRejects(() => c.hexpire(k, 100, ["a"]));
      await serverRejects(() =>
        c.hpexpire(k, 100_000, ["a"], { condition: HashExpirationCondition.ONLY_IF_NO_EXPIRY })
      );
      await serverRejects(() => c.hexpireat(k, 2_000_000_000, ["a"]));
      await serverRejects(() => c.hpexpireat(k, 2_000_000_000_000, ["a"]));
      await serverRejects(() => c.httl(k, ["a"]));
      await serverRejects(() => c.hpttl(k, ["a"]));
      await serverRejects(() => c.hexpiretime(k, ["a"]));
      await serverRejects(() => c.hpexpiretime(k, ["a"]));
      await serverRejects(() => c.hpersist(k, ["a"]));
      assert.equal(await c.hget(k, "a"), "1");
      return;
    }
    assert.deepEqual(await c.hexpire(k, 100, ["a"]), [-2]);
    await c.hset(k, { a: "1", b: "2", c: "3", d: "4" });
    assert.deepEqual(await c.hexpire(k, 100, ["a", "missing"]), [1, -2]);
    const [ttlA, ttlB, ttlMissing] = await c.httl(k, ["a", "b", "missing"]);
    assert.ok(ttlA > 90 && ttlA <= 100, `ttl ${ttlA}`);
    assert.deepEqual([ttlB, ttlMissing], [-1, -2]);
    const [pttlA] = await c.hpttl(k, ["a"]);
    assert.ok(pttlA > 90_000 && pttlA <= 100_000, `pttl ${pttlA}`);
    // Conditions.
    const NX = HashExpirationCondition.ONLY_IF_NO_EXPIRY;
    const XX = HashExpirationCondition.ONLY_IF_HAS_EXPIRY;
    const GT = HashExpirationCondition.ONLY_IF_GREATER_THAN_CURRENT;
    const LT = HashExpirationCondition.ONLY_IF_LESS_THAN_CURRENT;
    assert.deepEqual(await c.hexpire(k, 200, ["a", "b"], { condition: NX }), [0, 1]);
    assert.deepEqual(await c.hexpire(k, 300, ["a", "c"], { condition: XX }), [1, 0]);
    assert.deepEqual(await c.hexpire(k, 100, ["a"], { condition: GT }), [0]);
    assert.deepEqual(await c.hexpire(k, 400, ["a"], { condition: GT }), [1]);
    assert.deepEqual(await c.hexpire(k, 500, ["a"], { condition: LT }), [0]);
    assert.deepEqual(await c.hexpire(k, 50, ["a"], { condition: LT }), [1]);
    assert.ok((await c.httl(k, ["a"]))[0] <= 50);
    // Milliseconds, and absolute times.
    assert.deepEqual(await c.hpexpire(k, 60_000, ["c"]), [1]);
    assert.deepEqual(await c.hpexpire(k, 70_000, ["c"], { condition: GT }), [1]);
    const [pttlC] = await c.hpttl(k, ["c"]);
    assert.ok(pttlC > 60_000 && pttlC <= 70_000, `pttl ${pttlC}`);
    const at = Math.floor(Date.now() / 1000) + 1000;
    assert.deepEqual(await c.hexpireat(k, at, ["d"]), [1]);
    assert.deepEqual(await c.hexpiretime(k, ["d", "missing"]), [at, -2]);
    assert.deepEqual(await c.hpexpiretime(k, ["d"]), [at * 1000]);
    assert.deepEqual(await c.hexpireat(k, at - 10, ["d"], { condition: GT }), [0]);
    const atMs = (at + 2000) * 1000; // whole seconds: HEXPIRETIME rounds
    assert.deepEqual(await c.hpexpireat(k, atMs, ["d"], { condition: GT }), [1]);
    assert.deepEqual(await c.hpexpiretime(k, ["d"]), [atMs]);
    assert.deepEqual(await c.hexpiretime(k, ["d"]), [at + 2000]);
    // HPERSIST.
    assert.deepEqual(await c.hpersist(k, ["a", "d", "missing"]), [1, 1, -2]);
    assert.deepEqual(await c.hpersist(k, ["a"]), [-1]);
    assert.deepEqual(await c.httl(k, ["a", "d"]), [-1, -1]);
    assert.deepEqual(await c.hexpiretime(k, ["a"]), [-1]);
    // A zero or past expiry deletes the field.
    assert.deepEqual(await c.hexpire(k, 0, ["a"]), [2]);
    assert.deepEqual(await c.hpexpireat(k, 1000, ["b"]), [2]);
    assert.equal(await c.hexists(k, "a"), false);
    assert.equal(await c.hexists(k, "b"), false);
    assert.deepEqual(sorted(await c.hkeys(k)), ["c", "d"]);
  },
);

eachBase("hgetex and hsetex", async (c) => {
  const k = key();
  if (!(await getSetEx(c))) {
    // Redis < 8.0 / Valkey < 9.0: the commands are sent and rejected; the client carries on.
    await serverRejects(() => c.hsetex(k, { a: "1" }));
    await serverRejects(() =>
      c.hsetex(k, [{ field: "a", value: "1" }], {
        fieldConditionalChange: HashFieldConditionalChange.ONLY_IF_NONE_EXIST,
        expiry: { type: TimeUnit.Seconds, count: 60 },
      })
    );
    await serverRejects(() => c.hsetex(k, { a: "1" }, { expiry: "KEEPTTL" }));
    await serverRejects(() => c.hgetex(k, ["a"]));
    await serverRejects(() => c.hgetex(k, ["a"], { expiry: "PERSIST" }));
    await serverRejects(() =>
      c.hgetex(k, ["a"], { expiry: { type: TimeUnit.Milliseconds, count: 500 } })
    );
    assert.equal(await c.hset(k, { a: "1" }), 1);
    return;
  }
  assert.deepEqual(await c.hgetex(k, ["a", "b"]), [null, null]);
  assert.equal(
    await c.hsetex(k, { a: "1", b: "2" }, { expiry: { type: TimeUnit.Seconds, count: 100 } }),
    1,
  );
  for (const t of await c.httl(k, ["a", "b"])) assert.ok(t > 90 && t <= 100, `ttl ${t}`);
  const FNX = HashFieldConditionalChange.ONLY_IF_NONE_EXIST;
  const FXX = HashFieldConditionalChange.ONLY_IF_ALL_EXIST;
  assert.equal(await c.hsetex(k, { a: "x", z: "26" }, { fieldConditionalChange: FNX }), 0);
  assert.equal(await c.hsetex(k, { a: "x", z: "26" }, { fieldConditionalChange: FXX }), 0);
  assert.deepEqual(await c.hmget(k, ["a", "z"]), ["1", null]);
  assert.equal(
    await c.hsetex(k, { a: "x" }, { fieldConditionalChange: FXX, expiry: "KEEPTTL" }),
    1,
  );
  assert.equal(await c.hget(k, "a"), "x");
  assert.ok((await c.httl(k, ["a"]))[0] > 0);
  assert.equal(await c.hsetex(k, { a: "y" }), 1);
  assert.deepEqual(await c.httl(k, ["a"]), [-1]);
  assert.equal(
    await c.hsetex(k, [{ field: enc("c"), value: enc("3") }], {
      fieldConditionalChange: FNX,
      expiry: { type: TimeUnit.Milliseconds, count: 50_000 },
    }),
    1,
  );
  const [pttl] = await c.hpttl(k, ["c"]);
  assert.ok(pttl > 40_000 && pttl <= 50_000, `pttl ${pttl}`);
  const at = Math.floor(Date.now() / 1000) + 1000;
  assert.equal(
    await c.hsetex(k, { d: "4" }, { expiry: { type: TimeUnit.UnixSeconds, count: at } }),
    1,
  );
  assert.deepEqual(await c.hexpiretime(k, ["d"]), [at]);
  const atMs = Date.now() + 2_000_000;
  assert.equal(
    await c.hsetex(k, { e: "5" }, { expiry: { type: TimeUnit.UnixMilliseconds, count: atMs } }),
    1,
  );
  assert.deepEqual(await c.hpexpiretime(k, ["e"]), [atMs]);
  // HGETEX.
  assert.deepEqual(await c.hgetex(k, ["a", "missing", "c"]), ["y", null, "3"]);
  assert.deepEqual(await c.hgetex(k, ["c"], { decoder: Decoder.Bytes }), [enc("3")]);
  assert.deepEqual(await c.hgetex(k, ["c"], { expiry: "PERSIST" }), ["3"]);
  assert.deepEqual(await c.httl(k, ["c"]), [-1]);
  assert.deepEqual(
    await c.hgetex(k, ["a", "b"], { expiry: { type: TimeUnit.Seconds, count: 30 } }),
    [
      "y",
      "2",
    ],
  );
  for (const t of await c.httl(k, ["a", "b"])) assert.ok(t > 0 && t <= 30, `ttl ${t}`);
  assert.deepEqual(
    await c.hgetex(k, ["a"], { expiry: { type: TimeUnit.Milliseconds, count: 20_000 } }),
    ["y"],
  );
  assert.ok((await c.hpttl(k, ["a"]))[0] <= 20_000);
  assert.deepEqual(
    await c.hgetex(k, ["a"], { expiry: { type: TimeUnit.UnixSeconds, count: at } }),
    ["y"],
  );
  assert.deepEqual(await c.hexpiretime(k, ["a"]), [at]);
  assert.deepEqual(
    await c.hgetex(k, ["a"], { expiry: { type: TimeUnit.UnixMilliseconds, count: atMs } }),
    ["y"],
  );
  assert.deepEqual(await c.hpexpiretime(k, ["a"]), [atMs]);
});
