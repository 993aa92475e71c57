import assert from "node:assert/strict";
import {
  ALL_CHANNELS,
  ALL_PATTERNS,
  ALL_SHARDED_CHANNELS,
  ClosingError,
  ClusterPubSubChannelModes,
  ConfigurationError,
  Decoder,
  InfoOptions,
  ProtocolVersion,
  PubSubChannelModes,
  type PubSubMsg,
} from "../mod.ts";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import {
  type AnyClient,
  type AnyClusterClient,
  key,
  makeClient,
  makeClusterClient,
  type Variant,
  VARIANTS,
} from "./harness.ts";

/** A pub/sub-capable client of either kind. */
type Sub = AnyClient | AnyClusterClient;
type Kind = Variant & { cluster: boolean };

const RESP3 = VARIANTS.filter((v) => v.protocol === ProtocolVersion.RESP3);

function make(v: Kind, extra: Record<string, unknown> = {}): Promise<Sub> {
  return v.cluster ? makeClusterClient(v, extra) : makeClient(v, extra);
}

/** One test per RESP3 client kind (async/sync × standalone/cluster). */
function eachSubscriber(
  name: string,
  fn: (v: Kind) => Promise<void>,
  only?: (v: Kind) => boolean,
): void {
  for (const cluster of [false, true]) {
    for (const base of RESP3) {
      const v = { ...base, cluster };
      if (only && !only(v)) continue;
      Deno.test(`${cluster ? "cluster: " : ""}pub/sub: ${name} [${v.name}]`, () => fn(v));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes through `c` (PUBLISH, or SPUBLISH for a sharded channel). */
async function publish(
  c: Sub,
  channel: string,
  message: string | Uint8Array,
  sharded = false,
): Promise<number> {
  return await (c as AnyClient).customCommand([
    sharded ? "SPUBLISH" : "PUBLISH",
    channel,
    message,
  ]) as number;
}

/** Waits (letting the event loop run) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The next message: awaited (async) or blocking (sync). */
async function next(c: Sub): Promise<PubSubMsg> {
  return await (c as AnyClient).getPubSubMessage();
}

function close(...clients: Sub[]) {
  for (const c of clients) c.close();
}

eachSubscriber("configured subscriptions deliver to the callback", async (v) => {
  const [ch, pattern] = [key("cb"), `${key("cbp")}.*`];
  const got: { msg: PubSubMsg; ctx: unknown }[] = [];
  const c = await make(v, {
    pubsubSubscriptions: {
      channelsAndPatterns: {
        [PubSubChannelModes.Exact]: new Set([ch]),
        [PubSubChannelModes.Pattern]: new Set([pattern]),
      },
      callback: (msg: PubSubMsg, ctx: unknown) => got.push({ msg, ctx }),
      context: "ctx",
    },
  });
  const pub = await make(v);
  try {
    const state = await (c as AnyClient).getSubscriptions();
    assert.deepEqual(state.actualSubscriptions[PubSubChannelModes.Exact], new Set([ch]));
    assert.deepEqual(state.desiredSubscriptions[PubSubChannelModes.Pattern], new Set([pattern]));
    await publish(pub, ch, "one");
    const matched = pattern.replace("*", "x");
    await publish(pub, matched, "two");
    await until(() => got.length === 2, "two messages");
    assert.deepEqual(got[0], { msg: { channel: ch, message: "one", pattern: null }, ctx: "ctx" });
    assert.deepEqual(got[1].msg, { pattern, channel: matched, message: "two" });
    assert.equal((c as AnyClient).tryGetPubSubMessage(), null, "a callback takes every message");
  } finally {
    close(c, pub);
  }
});

eachSubscriber("polling: getPubSubMessage and tryGetPubSubMessage", async (v) => {
  const ch = key("poll");
  const c = await make(v);
  try {
    assert.equal((c as AnyClient).tryGetPubSubMessage(), null);
    await (c as AnyClient).subscribe(new Set([ch]), 2000);
    assert.equal(await publish(c, ch, "first"), 1);
    assert.deepEqual(await next(c), { channel: ch, message: "first", pattern: null });
    await publish(c, ch, "second");
    await until(() => {
      const m = (c as AnyClient).tryGetPubSubMessage(Decoder.Bytes);
      if (m) assert.deepEqual(m.message, new TextEncoder().encode("second"));
      return m !== null;
    }, "the second message");
  } finally {
    close(c);
  }
});

eachSubscriber("the messages() iterator, ended by close()", async (v) => {
  const ch = key("iter");
  const c = await make(v);
  const pub = await make(v);
  try {
    await (c as AnyClient).subscribe([ch], 2000);
    for (const m of ["a", "b", "c"]) await publish(pub, ch, m);
    const seen: string[] = [];
    if (c instanceof AsyncClient || c instanceof AsyncClusterClient) {
      for await (const msg of c.messages()) {
        seen.push(msg.message as string);
        if (seen.length === 3) break;
      }
      // A reader waiting when the client closes ends instead of hanging.
      const pending = c.getPubSubMessage();
      const iterator = c.messages();
      const ended = iterator.next();
      c.close();
      await assert.rejects(pending, ClosingError);
      assert.deepEqual(await ended, { done: true, value: undefined });
    } else {
      for (const msg of (c as AnyClient).messages() as Iterable<PubSubMsg>) {
        seen.push(msg.message as string);
        if (seen.length === 3) break;
      }
    }
    assert.deepEqual(seen, ["a", "b", "c"]);
  } finally {
    close(c, pub);
  }
});

eachSubscriber("1,000 messages arrive in order", async (v) => {
  const ch = key("order");
  const c = await make(v);
  const pub = await make(v);
  try {
    await (c as AnyClient).subscribe([ch], 2000);
    // Published in order (each acknowledged before the next), received in that order.
    for (let i = 0; i < 1000; i++) await publish(pub, ch, String(i));
    for (let i = 0; i < 1000; i++) assert.equal((await next(c)).message, String(i));
  } finally {
    close(c, pub);
  }
});

eachSubscriber("a 10 MiB message", async (v) => {
  const ch = key("big");
  const c = await make(v, { defaultDecoder: Decoder.Bytes, requestTimeout: 10_000 });
  try {
    await (c as AnyClient).subscribe([ch], 2000);
    const payload = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = i & 0xff;
    await publish(c, ch, payload);
    const m = await next(c);
    assert.deepEqual(m.channel, new TextEncoder().encode(ch));
    assert.equal((m.message as Uint8Array).length, payload.length);
    assert.deepEqual(m.message, payload);
  } finally {
    close(c);
  }
});

eachSubscriber("many channels, then unsubscribe from all", async (v) => {
  const channels = Array.from({ length: 300 }, (_, i) => key(`many${i}`));
  const pattern = `${key("allp")}*`;
  const c = await make(v);
  const pub = await make(v);
  try {
    await (c as AnyClient).subscribe(channels, 5000);
    await (c as AnyClient).psubscribe([pattern], 2000);
    let state = await (c as AnyClient).getSubscriptions();
    assert.equal(state.actualSubscriptions[PubSubChannelModes.Exact]!.size, 300);
    await publish(pub, channels[299], "last");
    assert.equal((await next(c)).channel, channels[299]);
    await (c as AnyClient).unsubscribe(ALL_CHANNELS, 5000);
    await (c as AnyClient).punsubscribe(ALL_PATTERNS, 2000);
    state = await (c as AnyClient).getSubscriptions();
    assert.equal(state.desiredSubscriptions[PubSubChannelModes.Exact]!.size, 0);
    assert.equal(state.actualSubscriptions[PubSubChannelModes.Exact]!.size, 0);
    assert.equal(state.actualSubscriptions[PubSubChannelModes.Pattern]!.size, 0);
    assert.equal(await publish(pub, channels[0], "nobody"), 0);
  } finally {
    close(c, pub);
  }
});

eachSubscriber("lazy variants take effect without being awaited", async (v) => {
  const ch = key("lazy");
  const c = await make(v);
  try {
    await (c as AnyClient).subscribeLazy([ch]);
    await until(async () => {
      const s = await (c as AnyClient).getSubscriptions();
      return s.actualSubscriptions[PubSubChannelModes.Exact]!.has(ch);
    }, "the lazy subscription");
    await (c as AnyClient).unsubscribeLazy([ch]);
    await until(async () => {
      const s = await (c as AnyClient).getSubscriptions();
      return !s.actualSubscriptions[PubSubChannelModes.Exact]!.has(ch);
    }, "the lazy unsubscription");
  } finally {
    close(c);
  }
});

eachSubscriber("subscriptions come back after CLIENT KILL TYPE pubsub", async (v) => {
  const ch = key("killed");
  const c = await make(v);
  const admin = await make(v);
  try {
    await (c as AnyClient).subscribe([ch], 2000);
    const kill = ["CLIENT", "KILL", "TYPE", "pubsub"];
    if (v.cluster) await (admin as AnyClusterClient).customCommand(kill, { route: "allNodes" });
    else await (admin as AnyClient).customCommand(kill);
    // Published after the client subscribed again: it must arrive.
    await until(async () => (await publish(admin, ch, "probe")) > 0, "the re-subscription");
    const m = await next(c);
    assert.equal(m.channel, ch);
    assert.equal(m.message, "probe");
  } finally {
    close(c, admin);
  }
});

eachSubscriber("bad subscriptions are refused", async (v) => {
  const c = await make(v);
  try {
    await assert.rejects(async () => await (c as AnyClient).subscribe([], 100), ConfigurationError);
    await assert.rejects(
      async () => await (c as AnyClient).subscribe("not-a-set" as never, 100),
      ConfigurationError,
    );
    await assert.rejects(
      async () => await (c as AnyClient).subscribe(["x"], -1),
      ConfigurationError,
    );
  } finally {
    close(c);
  }
});

Deno.test("pub/sub needs RESP3: RESP2 configurations and clients are refused", async () => {
  const resp2 = VARIANTS.find((v) => v.protocol === ProtocolVersion.RESP2 && !v.sync)!;
  await assert.rejects(
    () =>
      makeClient(resp2, {
        pubsubSubscriptions: {
          channelsAndPatterns: { [PubSubChannelModes.Exact]: new Set(["x"]) },
        },
      }),
    ConfigurationError,
  );
  await assert.rejects(
    () =>
      makeClient(RESP3[0], {
        pubsubSubscriptions: {
          channelsAndPatterns: { [2]: new Set(["sharded-on-standalone"]) },
        } as never,
      }),
    ConfigurationError,
  );
  const c = await makeClient(resp2);
  try {
    await assert.rejects(async () => await c.subscribe(["x"], 500), ConfigurationError);
  } finally {
    c.close();
  }
});

eachSubscriber("sharded channels on every primary", async (v) => {
  const channels = Array.from({ length: 40 }, (_, i) => key(`shard${i}`));
  const c = await make(v, {
    pubsubSubscriptions: {
      channelsAndPatterns: { [ClusterPubSubChannelModes.Sharded]: new Set(channels.slice(0, 20)) },
    },
  }) as AnyClusterClient;
  try {
    await c.ssubscribe(channels.slice(20), 5000);
    const state = await c.getSubscriptions();
    assert.equal(state.actualSubscriptions[ClusterPubSubChannelModes.Sharded]!.size, 40);
    for (const ch of channels) assert.equal(await publish(c, ch, `m:${ch}`, true), 1);
    const got = new Set<string>();
    for (let i = 0; i < 40; i++) got.add((await next(c)).message as string);
    assert.deepEqual(got, new Set(channels.map((ch) => `m:${ch}`)));
    await c.sunsubscribe(ALL_SHARDED_CHANNELS, 5000);
    assert.equal(await publish(c, channels[0], "nobody", true), 0);
  } finally {
    close(c);
  }
}, (v) => v.cluster);

Deno.test("cluster: pub/sub: sharded subscriptions follow a failover", async () => {
  const ch = key("failover-shard");
  const c = await makeClusterClient(RESP3[0], { requestTimeout: 3000 }) as AsyncClusterClient;
  const admin = await makeClusterClient(RESP3[0], { requestTimeout: 5000 }) as AsyncClusterClient;
  try {
    await c.ssubscribe([ch], 3000);
    const replicaInfo = await admin.info({
      sections: [InfoOptions.Server],
      route: { type: "replicaSlotKey", key: ch },
    }) as string;
    const port = Number(/tcp_port:(\d+)/.exec(replicaInfo)![1]);
    const replica = { type: "routeByAddress", host: "127.0.0.1", port } as const;
    await admin.customCommand(["CLUSTER", "FAILOVER"], { route: replica });
    await until(
      async () => {
        const text = await admin.customCommand(["INFO", "replication"], { route: replica });
        return String(text).includes("role:master");
      },
      "the replica to take over",
      10_000,
    );
    // The slot's new primary must have our subscription back: publish until it is delivered.
    await until(
      async () => {
        try {
          return (await publish(admin, ch, "after failover", true)) > 0;
        } catch {
          return false; // the publisher's own view may lag: try again
        }
      },
      "the sharded re-subscription",
      15_000,
    );
    const m = await c.getPubSubMessage();
    assert.equal(m.channel, ch);
    assert.equal(m.message, "after failover");
  } finally {
    close(c, admin);
  }
});

eachSubscriber("reconciliation rounds run every pubsubReconciliationIntervalMs", async (v) => {
  const c = await make(v, { advancedConfiguration: { pubsubReconciliationIntervalMs: 50 } });
  try {
    const ch = key("reconcile");
    await (c as AnyClient).subscribe([ch], 2000);
    const start = Date.now();
    await until(
      () => Number(c.getStatistics().subscription_last_sync_timestamp) >= start,
      "a reconciliation round that finds the subscriptions in sync",
      2000,
    );
    assert.match(c.getStatistics().subscription_out_of_sync_count, /^\d+$/);
  } finally {
    c.close();
  }
});

Deno.test("pub/sub: pubsubReconciliationIntervalMs must be a positive integer", async () => {
  for (const ms of [0, -1, 1.5, "5"]) {
    await assert.rejects(
      () =>
        AsyncClient.createClient({
          addresses: [{ host: "127.0.0.1", port: 1 }],
          advancedConfiguration: { pubsubReconciliationIntervalMs: ms as number },
        }),
      ConfigurationError,
    );
  }
});
