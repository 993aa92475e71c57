import assert from "node:assert/strict";
import { ConfigurationError, Decoder, type GlideString, ObjectType, RequestError } from "../mod.ts";
import { startStandalone } from "../tasks/servers.ts";
import { type AnyClient, dispose, eachClient, key, makeClient } from "./harness.ts";
import { privateServerTls, withServerTls } from "./server_tls.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: GlideString) => typeof b === "string" ? b : new TextDecoder().decode(b);

/** Every key `scan` returns for these options, following the cursor to the end. */
async function scanAll(
  c: AnyClient,
  options: Parameters<AnyClient["scan"]>[1] = {},
): Promise<string[]> {
  const found: string[] = [];
  let cursor: GlideString = "0";
  do {
    const [next, page]: [GlideString, GlideString[]] = await c.scan(cursor, options);
    found.push(...page.map(dec));
    cursor = next;
  } while (dec(cursor) !== "0");
  return found.sort();
}

eachClient("randomKey", async (c, v) => {
  const k = key();
  await c.set(k, "v");
  const some = await c.randomKey();
  assert.equal(typeof some, "string");
  assert.ok(await c.randomKey({ decoder: Decoder.Bytes }) instanceof Uint8Array);
  // An empty database answers null: a private server has one.
  const server = await startStandalone();
  try {
    const empty = await makeClient(v, { addresses: [{ host: server.host, port: server.port }] });
    try {
      assert.equal(await empty.randomKey(), null);
      await empty.set("only", "v");
      assert.equal(await empty.randomKey(), "only");
      assert.deepEqual(await empty.randomKey({ decoder: Decoder.Bytes }), enc("only"));
    } finally {
      await dispose(empty);
    }
  } finally {
    await server.stop();
  }
});

eachClient("scan", async (c) => {
  const prefix = key("scan");
  const strings = Array.from({ length: 25 }, (_, i) => `${prefix}:s${i}`);
  const hashes = Array.from({ length: 5 }, (_, i) => `${prefix}:h${i}`);
  for (const s of strings) await c.set(s, "v");
  for (const h of hashes) await c.hset(h, { f: "v" });
  const all = [...strings, ...hashes].sort();
  assert.deepEqual(await scanAll(c, { match: `${prefix}:*` }), all);
  assert.deepEqual(await scanAll(c, { match: `${prefix}:*`, count: 3 }), all);
  assert.deepEqual(
    await scanAll(c, { match: `${prefix}:*`, type: ObjectType.HASH, count: 1000 }),
    hashes.sort(),
  );
  assert.deepEqual(
    await scanAll(c, { match: enc(`${prefix}:s*`), type: ObjectType.STRING }),
    strings.sort(),
  );
  assert.deepEqual(await scanAll(c, { match: `${prefix}:nothing*`, count: 1000 }), []);
  // Bytes for the cursor and the keys.
  const [cursor, page] = await c.scan("0", {
    match: `${prefix}:*`,
    count: 1000,
    decoder: Decoder.Bytes,
  });
  assert.ok(cursor instanceof Uint8Array);
  assert.ok(page.every((k) => k instanceof Uint8Array));
  // A numeric cursor works too.
  const [next] = await c.scan(0, { count: 5 });
  assert.equal(typeof next, "string");
  await assert.rejects(async () => await c.scan("0", { count: 1.5 }), ConfigurationError);
  await assert.rejects(async () => await c.scan(-1), ConfigurationError);
  await assert.rejects(
    async () => await c.scan("0", { type: "Bogus" as ObjectType }),
    ConfigurationError,
  );
  await assert.rejects(async () => await c.scan("not-a-cursor"), RequestError);
  await c.del([...strings, ...hashes]);
});

eachClient("migrate several keys", async (c, v) => {
  const server = await startStandalone({ tls: privateServerTls() });
  try {
    const dest = await makeClient(
      v,
      withServerTls({ addresses: [{ host: server.host, port: server.port }] }),
    );
    try {
      const [a, b, missing] = [key(), key(), key()];
      await c.mset({ [a]: "1", [b]: "2" });
      assert.equal(await c.migrate(server.host, server.port, [missing], 0, 5000), "NOKEY");
      assert.equal(
        await c.migrate(server.host, server.port, [a, enc(b), missing], 0, 5000, { copy: true }),
        "OK",
      );
      assert.deepEqual(await dest.mget([a, b]), ["1", "2"]);
      assert.equal(await c.exists([a, b]), 2);
      await c.set(a, "one");
      await assert.rejects(
        async () => await c.migrate(server.host, server.port, [a], 0, 5000),
        RequestError,
      );
      assert.equal(
        await c.migrate(server.host, server.port, [a, b], 3, 5000, { replace: true }),
        "OK",
      );
      assert.equal(await c.exists([a, b]), 0);
      const db3 = await makeClient(
        v,
        withServerTls({ addresses: [{ host: server.host, port: server.port }], databaseId: 3 }),
      );
      try {
        assert.deepEqual(await db3.mget([a, b]), ["one", "2"]);
      } finally {
        await dispose(db3);
      }
      // No keys is sent as it is (GLIDE does): the server answers that it had none to move.
      assert.equal(await c.migrate(server.host, server.port, [], 0, 5000), "NOKEY");
      // The single-key form still works on the standalone client.
      await c.set(a, "single");
      assert.equal(await c.migrate(server.host, server.port, a, 0, 5000, { replace: true }), "OK");
      assert.equal(await dest.get(a), "single");
    } finally {
      await dispose(dest);
    }
  } finally {
    await server.stop();
  }
});
