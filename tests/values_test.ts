import assert from "node:assert/strict";
import { Decoder, ProtocolVersion, RequestError } from "../mod.ts";
import { eachClient, key } from "./harness.ts";

const resp3 = (v: { protocol: ProtocolVersion }) => v.protocol === ProtocolVersion.RESP3;
const resp2 = (v: { protocol: ProtocolVersion }) => v.protocol === ProtocolVersion.RESP2;
const debug = (type: string) => ["DEBUG", "PROTOCOL", type];

eachClient("every RESP3 reply type decodes", async (c) => {
  assert.equal(await c.customCommand(debug("string")), "Hello World");
  assert.equal(await c.customCommand(debug("integer")), 12345);
  assert.equal(await c.customCommand(debug("double")), 3.141);
  assert.equal(await c.customCommand(debug("bignum")), 1234567999999999999999999999999999999n);
  assert.equal(await c.customCommand(debug("null")), null);
  assert.deepEqual(await c.customCommand(debug("array")), [0, 1, 2]);
  assert.deepEqual(await c.customCommand(debug("set")), new Set([0, 1, 2]));
  assert.deepEqual(await c.customCommand(debug("map")), [
    { key: 0, value: false },
    { key: 1, value: true },
    { key: 2, value: false },
  ]);
  assert.equal(await c.customCommand(debug("true")), true);
  assert.equal(await c.customCommand(debug("false")), false);
  assert.equal(await c.customCommand(debug("verbatim")), "This is a verbatim\nstring");
  assert.equal(
    await c.customCommand(debug("attrib")),
    "Some real reply following the attribute",
  );
  assert.deepEqual(
    await c.customCommand(debug("verbatim"), { decoder: Decoder.Bytes }),
    new TextEncoder().encode("This is a verbatim\nstring"),
  );
}, resp3);

eachClient("doubles: infinities and NaN", async (c) => {
  const lua = (expr: string) => ["EVAL", `redis.setresp(3); return {double = ${expr}}`, "0"];
  assert.equal(await c.customCommand(lua("math.huge")), Infinity);
  assert.equal(await c.customCommand(lua("-math.huge")), -Infinity);
  assert.ok(Number.isNaN(await c.customCommand(lua("0/0"))));
  assert.equal(await c.customCommand(lua("1.5")), 1.5);
}, resp3);

eachClient("RESP2 replies", async (c) => {
  assert.equal(await c.customCommand(debug("double")), "3.141");
  assert.equal(await c.customCommand(debug("true")), 1);
  assert.deepEqual(await c.customCommand(debug("map")), [0, 0, 1, 1, 2, 0]);
  assert.deepEqual(await c.customCommand(debug("set")), [0, 1, 2]);
  assert.equal(await c.customCommand(debug("null")), null);
}, resp2);

eachClient("an error inside an array is a RequestError value", async (c) => {
  const reply = await c.customCommand([
    "EVAL",
    "return {1, redis.error_reply('ERR boom'), 'three'}",
    "0",
  ]) as unknown[];
  assert.equal(reply.length, 3);
  assert.equal(reply[0], 1);
  assert.ok(reply[1] instanceof RequestError);
  assert.match((reply[1] as Error).message, /boom/);
  assert.equal(reply[2], "three");
});

eachClient("binary safety: all byte values, empty values, 16 MiB", async (c) => {
  const k = key();
  const all = new Uint8Array(256).map((_, i) => i);
  await c.set(k, all);
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), all);
  const binKey = new Uint8Array([0, 10, 13, 255, 32]);
  await c.set(binKey, "v");
  assert.equal(await c.get(binKey), "v");
  await c.del([binKey]);
  await c.set(k, "");
  assert.equal(await c.get(k), "");
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new Uint8Array());
  const big = new Uint8Array(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
  big[big.length - 1] = 7;
  await c.set(k, big);
  const back = await c.get(k, { decoder: Decoder.Bytes }) as Uint8Array;
  assert.equal(back.length, big.length);
  assert.ok(back.every((b, i) => b === big[i]));
  assert.equal(await c.strlen(k), big.length);
  const text = "x".repeat(1 << 20) + "é";
  await c.set(k, text);
  assert.equal(await c.get(k), text);
});
