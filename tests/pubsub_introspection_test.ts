import assert from "node:assert/strict";
import { ConfigurationError, Decoder } from "../mod.ts";
import {
  type AnyBaseClient,
  clusterAddresses,
  eachBase,
  eachClusterClient,
  key,
  standaloneAddress,
} from "./harness.ts";
import { connectRaw } from "./server_tls.ts";

const enc = new TextEncoder();

/** A raw RESP subscriber on 127.0.0.1: sends the command and waits for its confirmation. */
async function rawSubscriber(
  port: number,
  verb: "SUBSCRIBE" | "SSUBSCRIBE" | "PSUBSCRIBE",
  channel: string,
): Promise<Deno.Conn> {
  const conn = await connectRaw(port);
  try {
    const parts = [verb, channel];
    let msg = `*${parts.length}\r\n`;
    for (const p of parts) msg += `$${enc.encode(p).length}\r\n${p}\r\n`;
    await conn.write(enc.encode(msg));
    const buf = new Uint8Array(256);
    let got = "";
    while (!got.includes(channel)) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("subscriber closed");
      got += new TextDecoder().decode(buf.subarray(0, n));
    }
    return conn;
  } catch (e) {
    conn.close();
    throw e;
  }
}

/** The port of the node serving a channel's slot (cluster), or the standalone port. */
async function portFor(c: AnyBaseClient, cluster: boolean, channel: string): Promise<number> {
  if (!cluster) return standaloneAddress().port;
  const slot = await (c as { customCommand(a: string[]): Promise<unknown> }).customCommand([
    "CLUSTER",
    "KEYSLOT",
    channel,
  ]) as number;
  const slots = await (c as { customCommand(a: string[]): Promise<unknown> }).customCommand([
    "CLUSTER",
    "SLOTS",
  ]) as unknown[][];
  for (const r of slots) {
    if ((r[0] as number) <= slot && slot <= (r[1] as number)) return Number((r[2] as unknown[])[1]);
  }
  return clusterAddresses()[0].port;
}

eachBase("pubsubChannels, pubsubNumSub and publish see a subscriber", async (c, v) => {
  const ch = key("chan");
  const sub = await rawSubscriber(await portFor(c, v.cluster, ch), "SUBSCRIBE", ch);
  try {
    assert.ok((await c.pubsubChannels()).includes(ch));
    assert.deepEqual(await c.pubsubChannels({ pattern: ch }), [ch]);
    assert.deepEqual(await c.pubsubChannels({ pattern: ch + ":nope*" }), []);
    const other = ch + ":none";
    assert.deepEqual(await c.pubsubNumSub([ch, other]), [
      { channel: ch, numSub: 1 },
      { channel: other, numSub: 0 },
    ]);
    assert.deepEqual(await c.pubsubNumSub([]), []);
    const bytes = await c.pubsubNumSub([ch], { decoder: Decoder.Bytes });
    assert.deepEqual(bytes, [{ channel: enc.encode(ch), numSub: 1 }]);
    const chans = await c.pubsubChannels({ pattern: ch, decoder: Decoder.Bytes });
    assert.deepEqual(chans, [enc.encode(ch)]);
    if (!v.cluster) assert.equal(await c.publish("hi", ch), 1);
    else assert.equal(await c.publish("hi", ch), 1);
    assert.equal(await c.publish("hi", other), 0);
  } finally {
    sub.close();
  }
});

eachBase("pubsubNumPat counts a pattern subscriber", async (c, v) => {
  const pat = key("pat") + ":*";
  const before = await c.pubsubNumPat();
  const sub = await rawSubscriber(await portFor(c, v.cluster, pat), "PSUBSCRIBE", pat);
  try {
    assert.ok(await c.pubsubNumPat() >= before + 1);
  } finally {
    sub.close();
  }
});

eachBase("pubsubNumSub rejects a non-array", async (c) => {
  await assert.rejects(
    async () => await c.pubsubNumSub("x" as unknown as string[]),
    ConfigurationError,
  );
});

eachClusterClient("sharded publish, pubsubShardChannels and pubsubShardNumSub", async (c) => {
  const ch = key("shard");
  const slot = await c.customCommand(["CLUSTER", "KEYSLOT", ch]) as number;
  const slots = await c.customCommand(["CLUSTER", "SLOTS"]) as unknown[][];
  const range = slots.find((r) => (r[0] as number) <= slot && slot <= (r[1] as number))!;
  const port = Number((range[2] as unknown[])[1]);
  const sub = await rawSubscriber(port, "SSUBSCRIBE", ch);
  try {
    assert.ok((await c.pubsubShardChannels()).includes(ch));
    assert.deepEqual(await c.pubsubShardChannels({ pattern: ch }), [ch]);
    assert.deepEqual(await c.pubsubShardChannels({ pattern: ch, decoder: Decoder.Bytes }), [
      enc.encode(ch),
    ]);
    assert.deepEqual(await c.pubsubShardNumSub([ch, ch + ":x"]), [
      { channel: ch, numSub: 1 },
      { channel: ch + ":x", numSub: 0 },
    ]);
    assert.deepEqual(await c.pubsubShardNumSub([]), []);
    assert.equal(await c.publish("hi", ch, true), 1);
    assert.equal(await c.publish("hi", ch + ":x", true), 0);
    // A plain PUBLISH does not reach shard subscribers.
    assert.equal(await c.publish("hi", ch), 0);
  } finally {
    sub.close();
  }
});
