import assert from "node:assert/strict";
import { Decoder, RequestError, TimeUnit } from "../mod.ts";
import { eachClient, key } from "./harness.ts";

eachClient("get and set", async (c) => {
  const k = key();
  assert.equal(await c.get(k), null);
  assert.equal(await c.set(k, "value"), "OK");
  assert.equal(await c.get(k), "value");
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new TextEncoder().encode("value"));
  assert.equal(await c.set(k, "ünïcødé ✓"), "OK");
  assert.equal(await c.get(k), "ünïcødé ✓");
});

eachClient("set conditions", async (c) => {
  const k = key();
  assert.equal(await c.set(k, "a", { conditionalSet: "onlyIfExists" }), null);
  assert.equal(await c.set(k, "a", { conditionalSet: "onlyIfDoesNotExist" }), "OK");
  assert.equal(await c.set(k, "b", { conditionalSet: "onlyIfDoesNotExist" }), null);
  assert.equal(await c.set(k, "c", { conditionalSet: "onlyIfExists" }), "OK");
  assert.equal(await c.get(k), "c");
});

eachClient("set returnOldValue", async (c) => {
  const k = key();
  assert.equal(await c.set(k, "one", { returnOldValue: true }), null);
  assert.equal(await c.set(k, "two", { returnOldValue: true }), "one");
  assert.deepEqual(
    await c.set(k, "three", { returnOldValue: true, decoder: Decoder.Bytes }),
    new TextEncoder().encode("two"),
  );
});

eachClient("set expiry", async (c) => {
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

eachClient("set rejects bad options before sending", async (c) => {
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

eachClient("mget and mset", async (c) => {
  const [a, b, missing] = [key(), key(), key()];
  assert.equal(await c.mset({ [a]: "1", [b]: "2" }), "OK");
  assert.deepEqual(await c.mget([a, b, missing]), ["1", "2", null]);
  assert.equal(await c.mset([{ key: a, value: new Uint8Array([0, 1, 2]) }]), "OK");
  assert.deepEqual(await c.mget([a], { decoder: Decoder.Bytes }), [new Uint8Array([0, 1, 2])]);
  await assert.rejects(async () => await c.mget([]), RequestError);
  await assert.rejects(async () => await c.mset({}), RequestError);
});

eachClient("incr, incrBy, decr", async (c) => {
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

eachClient("append and strlen", async (c) => {
  const k = key();
  assert.equal(await c.strlen(k), 0);
  assert.equal(await c.append(k, "ab"), 2);
  assert.equal(await c.append(k, "cd"), 4);
  assert.equal(await c.get(k), "abcd");
  await c.set(k, "héllo");
  assert.equal(await c.strlen(k), 6);
});

eachClient("wrong type error keeps the client usable", async (c) => {
  const k = key();
  await c.customCommand(["LPUSH", k, "x"]);
  await assert.rejects(async () => await c.get(k), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /^WRONGTYPE/);
    return true;
  });
  assert.equal(await c.ping(), "PONG");
});
