import assert from "node:assert/strict";
import {
  ConfigurationError,
  Decoder,
  ExpireOptions,
  type GlideReturnType,
  type GlideString,
  RequestError,
  SortOrder,
} from "../mod.ts";
import { startStandalone } from "../tasks/servers.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  type AnyClusterClient,
  clusterDatabases,
  dispose,
  disposeCluster,
  eachBase,
  key,
  keys,
  makeClient,
  makeClusterClient,
  serverRefuses,
  serverVersion,
  type Variant,
} from "./harness.ts";
import { privateServerTls, withServerTls } from "./server_tls.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Sends a raw command routed by its key (lists, sets ... of other families). */
function raw(c: AnyBaseClient, args: GlideString[]): Promise<GlideReturnType> | GlideReturnType {
  return (c as AnyClient).customCommand(args);
}

/** The `{tag}` of keys from {@link keys}, for BY / GET patterns in the same slot. */
function tagOf(k: string): string {
  return k.slice(0, k.indexOf("}") + 1);
}

eachBase("del and exists", async (c) => {
  const [a, b, missing] = keys(3);
  await c.mset({ [a]: "1", [b]: "2" });
  assert.equal(await c.exists([a, b, missing]), 2);
  assert.equal(await c.exists([a, a]), 2);
  assert.equal(await c.del([a, missing]), 1);
  assert.equal(await c.exists([a]), 0);
  await serverRefuses(() => c.del([]));
  await serverRefuses(() => c.exists([]));
});

eachBase("unlink", async (c) => {
  const [a, b, missing] = keys(3);
  await c.mset({ [a]: "1", [b]: "2" });
  assert.equal(await c.unlink([a, b, missing]), 2);
  assert.equal(await c.exists([a, b]), 0);
  assert.equal(await c.unlink([enc(missing)]), 0);
  await serverRefuses(() => c.unlink([]));
});

eachBase("expire and ttl", async (c) => {
  const k = key();
  assert.equal(await c.ttl(k), -2);
  assert.equal(await c.expire(k, 10), false);
  await c.set(k, "v");
  assert.equal(await c.ttl(k), -1);
  assert.equal(await c.expire(k, 100, { expireOption: ExpireOptions.HasExistingExpiry }), false);
  assert.equal(await c.expire(k, 100, { expireOption: ExpireOptions.HasNoExpiry }), true);
  assert.equal(
    await c.expire(k, 50, { expireOption: ExpireOptions.NewExpiryGreaterThanCurrent }),
    false,
  );
  assert.equal(
    await c.expire(k, 50, { expireOption: ExpireOptions.NewExpiryLessThanCurrent }),
    true,
  );
  const t = await c.ttl(k);
  assert.ok(t > 40 && t <= 50, `ttl ${t}`);
  assert.equal(await c.expire(k, 0), true);
  assert.equal(await c.exists([k]), 0);
  await assert.rejects(
    async () => await c.expire(k, 1, { expireOption: "ZZ" as ExpireOptions }),
    ConfigurationError,
  );
  await assert.rejects(async () => await c.expire(k, 1.5), ConfigurationError);
});

eachBase("pexpire and pttl", async (c) => {
  const k = key();
  assert.equal(await c.pttl(k), -2);
  assert.equal(await c.pexpire(k, 10_000), false);
  await c.set(k, "v");
  assert.equal(await c.pttl(k), -1);
  assert.equal(
    await c.pexpire(k, 100_000, { expireOption: ExpireOptions.HasExistingExpiry }),
    false,
  );
  assert.equal(await c.pexpire(k, 100_000, { expireOption: ExpireOptions.HasNoExpiry }), true);
  assert.equal(
    await c.pexpire(k, 200_000, { expireOption: ExpireOptions.NewExpiryLessThanCurrent }),
    false,
  );
  assert.equal(
    await c.pexpire(k, 200_000, { expireOption: ExpireOptions.NewExpiryGreaterThanCurrent }),
    true,
  );
  const t = await c.pttl(k);
  assert.ok(t > 190_000 && t <= 200_000, `pttl ${t}`);
  assert.equal(await c.ttl(k) <= 200, true);
  assert.equal(await c.pexpire(k, -1), true);
  assert.equal(await c.exists([k]), 0);
  await assert.rejects(async () => await c.pexpire(k, NaN), ConfigurationError);
  await assert.rejects(
    async () => await c.pexpire(k, 1, { expireOption: "nope" as ExpireOptions }),
    ConfigurationError,
  );
});

eachBase("expireAt, pexpireAt, expiretime and pexpiretime", async (c) => {
  const k = key();
  const at = Math.floor(Date.now() / 1000) + 3600;
  assert.equal(await c.expiretime(k), -2);
  assert.equal(await c.pexpiretime(k), -2);
  assert.equal(await c.expireAt(k, at), false);
  await c.set(k, "v");
  assert.equal(await c.expiretime(k), -1);
  assert.equal(await c.pexpiretime(k), -1);
  assert.equal(
    await c.expireAt(k, at, { expireOption: ExpireOptions.HasExistingExpiry }),
    false,
  );
  assert.equal(await c.expireAt(k, at, { expireOption: ExpireOptions.HasNoExpiry }), true);
  assert.equal(await c.expiretime(k), at);
  assert.equal(await c.pexpiretime(k), at * 1000);
  const atMs = at * 1000 + 1234;
  assert.equal(
    await c.pexpireAt(k, atMs, { expireOption: ExpireOptions.NewExpiryLessThanCurrent }),
    false,
  );
  assert.equal(
    await c.pexpireAt(k, atMs, { expireOption: ExpireOptions.NewExpiryGreaterThanCurrent }),
    true,
  );
  assert.equal(await c.pexpiretime(k), atMs);
  assert.equal(await c.expiretime(k), at + 1);
  assert.equal(await c.pexpireAt(k, Date.now() - 1000), true);
  assert.equal(await c.exists([k]), 0);
  assert.equal(await c.pexpireAt(k, atMs), false);
  await assert.rejects(async () => await c.expireAt(k, at + 0.5), ConfigurationError);
  await assert.rejects(
    async () => await c.pexpireAt(k, atMs, { expireOption: "??" as ExpireOptions }),
    ConfigurationError,
  );
});

eachBase("persist", async (c) => {
  const k = key();
  assert.equal(await c.persist(k), false);
  await c.set(k, "v");
  assert.equal(await c.persist(k), false);
  await c.expire(k, 100);
  assert.equal(await c.persist(enc(k)), true);
  assert.equal(await c.ttl(k), -1);
});

eachBase("type", async (c) => {
  const [s, l, st, z, h, x, missing] = Array.from({ length: 7 }, () => key());
  await c.set(s, "v");
  await raw(c, ["RPUSH", l, "a"]);
  await raw(c, ["SADD", st, "a"]);
  await raw(c, ["ZADD", z, "1", "a"]);
  await raw(c, ["HSET", h, "f", "v"]);
  await raw(c, ["XADD", x, "*", "f", "v"]);
  assert.equal(await c.type(s), "string");
  assert.equal(await c.type(enc(l)), "list");
  assert.equal(await c.type(st), "set");
  assert.equal(await c.type(z), "zset");
  assert.equal(await c.type(h), "hash");
  assert.equal(await c.type(x), "stream");
  assert.equal(await c.type(missing), "none");
});

eachBase("rename and renamenx", async (c) => {
  const [a, b, d] = keys(3);
  await assert.rejects(async () => await c.rename(a, b), RequestError);
  await assert.rejects(async () => await c.renamenx(a, b), RequestError);
  await c.set(a, "1");
  await c.set(d, "other");
  assert.equal(await c.rename(a, b), "OK");
  assert.equal(await c.exists([a]), 0);
  assert.equal(await c.get(b), "1");
  assert.equal(await c.renamenx(b, d), false);
  assert.equal(await c.get(d), "other");
  assert.equal(await c.renamenx(enc(b), enc(a)), true);
  assert.equal(await c.get(a), "1");
  assert.equal(await c.rename(a, d), "OK");
  assert.equal(await c.get(d), "1");
});

eachBase("copy", async (c, v) => {
  const [a, b, missing] = keys(3);
  assert.equal(await c.copy(missing, b), false);
  await c.set(a, "1");
  assert.equal(await c.copy(a, b), true);
  assert.equal(await c.get(b), "1");
  await c.set(a, "2");
  assert.equal(await c.copy(a, b), false);
  assert.equal(await c.get(b), "1");
  assert.equal(await c.copy(enc(a), enc(b), { replace: true }), true);
  assert.equal(await c.get(b), "2");
  await assert.rejects(
    async () => await c.copy(a, b, { destinationDB: 1.5 }),
    ConfigurationError,
  );
  if (v.cluster) {
    if ((await serverVersion(c))[0] < 9) {
      await assert.rejects(async () => await c.copy(a, b, { destinationDB: 1 }), RequestError);
    }
    return;
  }
  assert.equal(await c.copy(a, b, { destinationDB: 1 }), true);
  assert.equal(await c.copy(a, b, { destinationDB: 1 }), false);
  await c.set(a, "3");
  assert.equal(await c.copy(a, b, { destinationDB: 1, replace: true }), true);
  const db1 = await makeClient(v, { databaseId: 1 });
  try {
    assert.equal(await db1.get(b), "3");
    await db1.del([b]);
  } finally {
    await dispose(db1);
  }
});

eachBase("move", async (c, v) => {
  const k = key();
  await assert.rejects(async () => await c.move(k, -0.5), ConfigurationError);
  if (v.cluster && await clusterDatabases(c as AnyClusterClient) < 2) {
    await c.set(k, "v");
    await assert.rejects(async () => await c.move(k, 1), RequestError);
    return;
  }
  assert.equal(await c.move(k, 1), false);
  await c.set(k, "v");
  assert.equal(await c.move(enc(k), 1), true);
  assert.equal(await c.exists([k]), 0);
  if (v.cluster) {
    // A cluster client of database 1 (Valkey 9) finds the key there, on every connection.
    const db1 = await makeClusterClient(v, { databaseId: 1 });
    try {
      assert.equal(await db1.get(k), "v");
      assert.equal(await db1.del([k]), 1);
    } finally {
      await disposeCluster(db1);
    }
    return;
  }
  await c.set(k, "here");
  assert.equal(await c.move(k, 1), false, "exists in the destination");
  const db1 = await makeClient(v, { databaseId: 1 });
  try {
    assert.equal(await db1.get(k), "v");
    await db1.del([k]);
  } finally {
    await dispose(db1);
  }
});

eachBase("dump and restore", async (c) => {
  const [k, k2, k3, missing] = keys(4);
  assert.equal(await c.dump(missing), null);
  await c.set(k, "value ✓");
  const data = await c.dump(k);
  assert.ok(data instanceof Uint8Array);
  assert.equal(await c.restore(k2, 0, data), "OK");
  assert.equal(await c.get(k2), "value ✓");
  assert.equal(await c.ttl(k2), -1);
  await assert.rejects(async () => await c.restore(k2, 0, data), RequestError);
  assert.equal(await c.restore(k2, 50_000, data, { replace: true }), "OK");
  const t = await c.pttl(k2);
  assert.ok(t > 40_000 && t <= 50_000, `pttl ${t}`);
  const at = Date.now() + 100_000;
  assert.equal(await c.restore(enc(k3), at, data, { absttl: true }), "OK");
  assert.equal(await c.pexpiretime(k3), at);
  assert.equal(await c.restore(k3, 0, data, { replace: true, idletime: 1000 }), "OK");
  const idle = await c.objectIdletime(k3);
  assert.ok(idle !== null && idle >= 1000, `idle ${idle}`);
  assert.equal(await c.restore(k3, 0, data, { replace: true, frequency: 10 }), "OK");
  await assert.rejects(
    async () => await c.restore(k3, 0, data, { idletime: 1, frequency: 1 }),
    ConfigurationError,
  );
  await assert.rejects(
    async () => await c.restore(k3, 0, "not bytes" as unknown as Uint8Array),
    ConfigurationError,
  );
  await assert.rejects(async () => await c.restore(k3, 1.5, data), ConfigurationError);
  await assert.rejects(
    async () => await c.restore(missing, 0, enc("garbage"), { replace: true }),
    RequestError,
  );
  // A list survives the round trip too.
  await raw(c, ["RPUSH", missing, "x", "y"]);
  assert.equal(await c.restore(k, 0, (await c.dump(missing))!, { replace: true }), "OK");
  assert.deepEqual(await raw(c, ["LRANGE", k, "0", "-1"]), ["x", "y"]);
});

eachBase("touch", async (c) => {
  const [a, b, missing] = keys(3);
  await c.mset({ [a]: "1", [b]: "2" });
  assert.equal(await c.touch([a, b, missing]), 2);
  assert.equal(await c.touch([enc(missing)]), 0);
  await serverRefuses(() => c.touch([]));
});

eachBase("sort, sortReadOnly and sortStore", async (c) => {
  const [l, alpha, dst, str, missing] = keys(5);
  await raw(c, ["RPUSH", l, "3", "1", "2", "10"]);
  await raw(c, ["SADD", alpha, "banana", "apple", "cherry"]);
  await c.set(str, "x");
  for (const sort of [c.sort.bind(c), c.sortReadOnly.bind(c)]) {
    assert.deepEqual(await sort(l), ["1", "2", "3", "10"]);
    assert.deepEqual(await sort(l, { orderBy: SortOrder.DESC }), ["10", "3", "2", "1"]);
    assert.deepEqual(await sort(l, { limit: { offset: 1, count: 2 } }), ["2", "3"]);
    assert.deepEqual(await sort(l, { limit: { offset: 2, count: -1 } }), ["3", "10"]);
    assert.deepEqual(await sort(l, { isAlpha: true }), ["1", "10", "2", "3"]);
    assert.deepEqual(
      await sort(alpha, { isAlpha: true, orderBy: SortOrder.ASC }),
      ["apple", "banana", "cherry"],
    );
    assert.deepEqual(
      await sort(enc(alpha), { isAlpha: true, decoder: Decoder.Bytes }),
      [enc("apple"), enc("banana"), enc("cherry")],
    );
    assert.deepEqual(await sort(missing), []);
    await assert.rejects(async () => await sort(alpha), RequestError);
    await assert.rejects(async () => await sort(str), RequestError);
    await assert.rejects(
      async () => await sort(l, { orderBy: "UP" as SortOrder }),
      ConfigurationError,
    );
    await assert.rejects(
      async () => await sort(l, { limit: { offset: 0.5, count: 1 } }),
      ConfigurationError,
    );
  }
  assert.equal(await c.sortStore(l, dst, { orderBy: SortOrder.DESC }), 4);
  assert.deepEqual(await raw(c, ["LRANGE", dst, "0", "-1"]), ["10", "3", "2", "1"]);
  assert.equal(
    await c.sortStore(enc(alpha), enc(dst), { isAlpha: true, limit: { offset: 0, count: 1 } }),
    1,
  );
  assert.deepEqual(await raw(c, ["LRANGE", dst, "0", "-1"]), ["apple"]);
  assert.equal(await c.sortStore(missing, dst), 0);
  assert.equal(await c.exists([dst]), 0);
  await assert.rejects(async () => await c.sortStore(str, dst), RequestError);
});

eachBase("sort by and get patterns", async (c, v) => {
  const [l, dst] = keys(2);
  const tag = tagOf(l);
  await raw(c, ["RPUSH", l, "a", "b", "c"]);
  await c.mset({
    [`${tag}w_a`]: "3",
    [`${tag}w_b`]: "1",
    [`${tag}w_c`]: "2",
    [`${tag}n_a`]: "Ann",
    [`${tag}n_c`]: "Cid",
  });
  const options = { byPattern: `${tag}w_*`, getPatterns: ["#", `${tag}n_*`] };
  if (v.cluster && (await serverVersion(c))[0] < 8) {
    await assert.rejects(async () => await c.sort(l, options), RequestError);
    await assert.rejects(async () => await c.sortReadOnly(l, options), RequestError);
    await assert.rejects(async () => await c.sortStore(l, dst, options), RequestError);
    return;
  }
  assert.deepEqual(await c.sort(l, { byPattern: `${tag}w_*` }), ["b", "c", "a"]);
  assert.deepEqual(await c.sort(l, options), ["b", null, "c", "Cid", "a", "Ann"]);
  assert.deepEqual(
    await c.sortReadOnly(l, { ...options, orderBy: SortOrder.DESC, decoder: Decoder.Bytes }),
    [enc("a"), enc("Ann"), enc("c"), enc("Cid"), enc("b"), null],
  );
  assert.equal(await c.sortStore(l, dst, { byPattern: enc(`${tag}w_*`) }), 3);
  assert.deepEqual(await raw(c, ["LRANGE", dst, "0", "-1"]), ["b", "c", "a"]);
  await assert.rejects(
    async () => await c.sort(l, { getPatterns: "#" as unknown as string[] }),
    ConfigurationError,
  );
});

eachBase("object encoding, idletime and refcount", async (c) => {
  const [n, s, l, missing] = Array.from({ length: 4 }, () => key());
  await c.set(n, "12345");
  await c.set(s, "hello");
  await raw(c, ["RPUSH", l, "a"]);
  assert.equal(await c.objectEncoding(n), "int");
  assert.equal(await c.objectEncoding(enc(s)), "embstr");
  assert.ok(["listpack", "quicklist", "ziplist"].includes((await c.objectEncoding(l))!));
  assert.equal(await c.objectEncoding(missing), null);
  const idle = await c.objectIdletime(s);
  assert.ok(typeof idle === "number" && idle >= 0 && idle < 100, `idle ${idle}`);
  assert.equal(await c.objectIdletime(missing), null);
  const refs = await c.objectRefcount(s);
  assert.ok(typeof refs === "number" && refs >= 1, `refcount ${refs}`);
  assert.equal(await c.objectRefcount(missing), null);
});

/** Runs `fn` with an LFU maxmemory-policy on the server(s), then puts the old policy back. */
async function withLfu(c: AnyBaseClient, v: { cluster: boolean }, fn: () => Promise<void>) {
  const route = v.cluster ? { route: "allNodes" as const } : {};
  const send = (args: string[]) =>
    v.cluster
      ? (c as AnyClusterClient).customCommand(args, route)
      : (c as AnyClient).customCommand(args);
  const before = await send(["CONFIG", "GET", "maxmemory-policy"]);
  const text = JSON.stringify(before);
  const old =
    /volatile-lfu|allkeys-lfu|volatile-lru|allkeys-lru|volatile-random|allkeys-random|volatile-ttl|noeviction/
      .exec(text)?.[0] ?? "noeviction";
  await send(["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]);
  try {
    await fn();
  } finally {
    await send(["CONFIG", "SET", "maxmemory-policy", old]);
  }
}

eachBase("object freq", async (c, v) => {
  const [k, k2, missing] = keys(3);
  await c.set(k, "v");
  await assert.rejects(async () => await c.objectFreq(k), RequestError);
  await withLfu(c, v, async () => {
    const f = await c.objectFreq(k);
    assert.ok(typeof f === "number" && f >= 0, `freq ${f}`);
    assert.equal(await c.objectFreq(missing), null);
    const data = (await c.dump(k))!;
    assert.equal(await c.restore(k2, 0, data, { frequency: 200 }), "OK");
    assert.equal(await c.objectFreq(enc(k2)), 200);
    await assert.rejects(async () => await c.objectIdletime(k), RequestError);
  });
});

eachBase("wait", async (c, v) => {
  await c.set(key(), "v");
  const none = await c.wait(0, 0);
  assert.ok(typeof none === "number" && none >= 0, `wait ${none}`);
  if (v.cluster) {
    const n = await c.wait(1, 2000);
    assert.ok(n === 0 || n === 1, `wait ${n}`);
  } else {
    assert.equal(await c.wait(1, 100), 0);
  }
  await assert.rejects(async () => await c.wait(1, 0.5), ConfigurationError);
  await assert.rejects(async () => await c.wait(NaN, 10), ConfigurationError);
});

async function withPrivateServer(
  fn: (dest: { host: string; port: number }, check: AnyClient) => Promise<void>,
  v: Variant,
): Promise<void> {
  const server = await startStandalone({ tls: privateServerTls() });
  try {
    const check = await makeClient(
      v,
      withServerTls({ addresses: [{ host: server.host, port: server.port }] }),
    );
    try {
      await fn({ host: server.host, port: server.port }, check);
    } finally {
      await dispose(check);
    }
  } finally {
    await server.stop();
  }
}

eachBase("migrate", async (c, v) => {
  await withPrivateServer(async ({ host, port }, dest) => {
    const [k, k2, missing] = [key(), key(), key()];
    await c.set(k, "v1");
    await c.set(k2, "v2");
    assert.equal(await c.migrate(host, port, missing, 0, 5000), "NOKEY");
    assert.equal(await c.migrate(host, port, k, 0, 5000), "OK");
    assert.equal(await c.exists([k]), 0);
    assert.equal(await dest.get(k), "v1");
    assert.equal(await c.migrate(host, port, enc(k2), 0, 5000, { copy: true }), "OK");
    assert.equal(await c.get(k2), "v2");
    assert.equal(await dest.get(k2), "v2");
    await c.set(k2, "v3");
    await assert.rejects(
      async () => await c.migrate(host, port, k2, 0, 5000, { copy: true }),
      RequestError,
    );
    assert.equal(
      await c.migrate(host, port, k2, 0, 5000, { copy: true, replace: true }),
      "OK",
    );
    assert.equal(await dest.get(k2), "v3");
    // The destination has no password: AUTH there fails.
    await assert.rejects(
      async () => await c.migrate(host, port, k2, 0, 5000, { copy: true, password: "nope" }),
      RequestError,
    );
    await assert.rejects(
      async () => await c.migrate(host, port, k2, 0, 5000, { username: "u", password: "nope" }),
      RequestError,
    );
    assert.equal(await c.get(k2), "v3");
    await assert.rejects(
      async () => await c.migrate(host, port, k2, 0, 5000, { username: "u" }),
      ConfigurationError,
    );
    await assert.rejects(
      async () => await c.migrate(host, 0.5, k2, 0, 5000),
      ConfigurationError,
    );
    await assert.rejects(async () => await c.migrate("", port, k2, 0, 5000), ConfigurationError);
    await c.del([k2]);
  }, v);
});
