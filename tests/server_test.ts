import assert from "node:assert/strict";
import { Decoder, FlushMode, InfoOptions, RequestError } from "../mod.ts";
import { dispose, eachClient, key, makeClient, VARIANTS } from "./harness.ts";

eachClient("ping and echo", async (c) => {
  assert.equal(await c.ping(), "PONG");
  assert.equal(await c.ping({ message: "hi" }), "hi");
  assert.deepEqual(
    await c.ping({ message: "hi", decoder: Decoder.Bytes }),
    new TextEncoder().encode("hi"),
  );
  assert.equal(await c.echo("hello"), "hello");
  assert.deepEqual(
    await c.echo(new Uint8Array([0, 255])),
    new TextDecoder().decode(new Uint8Array([0, 255])),
  );
  assert.deepEqual(
    await c.echo(new Uint8Array([0, 255]), { decoder: Decoder.Bytes }),
    new Uint8Array([0, 255]),
  );
});

eachClient("select, dbsize, flushall", async (c) => {
  const k = key();
  assert.equal(await c.select(3), "OK");
  await c.flushall(FlushMode.SYNC);
  assert.equal(await c.dbsize(), 0);
  await c.set(k, "v");
  assert.equal(await c.dbsize(), 1);
  assert.equal(await c.select(0), "OK");
  assert.equal(await c.get(k), null);
  assert.equal(await c.select(3), "OK");
  assert.equal(await c.get(k), "v");
  assert.equal(await c.flushall(FlushMode.ASYNC), "OK");
  assert.equal(await c.flushall(), "OK");
  await assert.rejects(async () => await c.select(100000), RequestError);
  await assert.rejects(async () => await c.select(-1.5), RequestError);
});

eachClient("info", async (c) => {
  const all = await c.info();
  assert.match(all, /# Server/);
  const some = await c.info([InfoOptions.Server, InfoOptions.Memory]);
  assert.match(some, /# Memory/);
  assert.doesNotMatch(some, /# Keyspace/);
  await assert.rejects(async () => await c.info(["nope" as InfoOptions]), RequestError);
});

eachClient("customCommand", async (c) => {
  const k = key();
  assert.equal(await c.customCommand(["SET", k, "1"]), "OK");
  assert.equal(await c.customCommand(["INCR", k]), 2);
  assert.deepEqual(await c.customCommand(["MGET", k, key()]), ["2", null]);
  await assert.rejects(async () => await c.customCommand(["NOSUCHCOMMAND"]), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /unknown command/i);
    return true;
  });
});

Deno.test("databaseId and clientName from the configuration", async () => {
  for (const v of VARIANTS) {
    const c = await makeClient(v, { databaseId: 5, clientName: "glide-test" });
    try {
      const k = key();
      await c.set(k, "v");
      assert.equal(await c.customCommand(["CLIENT", "GETNAME"]), "glide-test");
      const info = await c.customCommand(["CLIENT", "INFO"]);
      assert.match(String(info), /db=5/);
    } finally {
      await dispose(c);
    }
  }
});
