import assert from "node:assert/strict";
import {
  ClosingError,
  ConfigurationError,
  ConnectionError,
  type GlideClientConfiguration,
  ProtocolVersion,
  RequestError,
  TimeoutError,
} from "../mod.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { dispose, eachClient, key, makeClient, standaloneAddress, VARIANTS } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

/** A loopback port with nothing listening on it. */
function deadPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function create(sync: boolean, config: GlideClientConfiguration) {
  return sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

Deno.test("bad configurations throw ConfigurationError before any I/O", async () => {
  const good = standaloneAddress();
  const bad: unknown[] = [
    undefined,
    {},
    { addresses: [] },
    { addresses: [{ host: "" }] },
    { addresses: [{ host: "127.0.0.1", port: 0 }] },
    { addresses: [{ host: "127.0.0.1", port: 70000 }] },
    { addresses: [{ host: "127.0.0.1", port: 1.5 }] },
    { addresses: [good], requestTimeout: -1 },
    { addresses: [good], requestTimeout: Number.NaN },
    { addresses: [good], protocol: 7 },
    { addresses: [good], defaultDecoder: 9 },
    { addresses: [good], databaseId: -1 },
    { addresses: [good], inflightRequestsLimit: 0 },
    { addresses: [good], inflightRequestsLimit: 2 ** 20 + 1 },
    { addresses: [good], readFrom: "nowhere" },
    { addresses: [good], credentials: { username: "u" } },
    { addresses: [good], advancedConfiguration: { connectionTimeout: -5 } },
  ];
  for (const sync of [false, true]) {
    for (const config of bad) {
      await assert.rejects(
        async () => await create(sync, config as GlideClientConfiguration),
        ConfigurationError,
        JSON.stringify(config),
      );
    }
  }
});

Deno.test("nothing listening: ConnectionError within the connection timeout", async () => {
  for (const sync of [false, true]) {
    const started = performance.now();
    await assert.rejects(
      async () =>
        await create(sync, {
          addresses: [{ host: "127.0.0.1", port: deadPort() }],
          advancedConfiguration: { connectionTimeout: 500 },
        }),
      ConnectionError,
    );
    const took = performance.now() - started;
    assert.ok(took < 3000, `took ${took} ms`);
  }
});

eachClient(
  "a request past its timeout is a TimeoutError; the late reply goes nowhere",
  async (_, v) => {
    const c = await makeClient(v, { requestTimeout: 200 });
    try {
      const k = key();
      await assert.rejects(
        async () => await c.customCommand(["DEBUG", "SLEEP", "0.6"]),
        TimeoutError,
      );
      // DEBUG SLEEP's "OK" arrives later: it must not be taken as this PING's reply.
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(await c.ping(), "PONG");
      assert.equal(await c.set(k, "v"), "OK");
      assert.equal(await c.get(k), "v");
    } finally {
      await dispose(c);
    }
  },
);

eachClient("calls after close() throw ClosingError", async (_, v) => {
  const c = await makeClient(v);
  await dispose(c);
  await assert.rejects(async () => await c.get("x"), ClosingError);
  await assert.rejects(async () => await c.ping(), ClosingError);
  await dispose(c); // idempotent
});

Deno.test("close() with requests in flight rejects them with ClosingError", async () => {
  for (const protocol of [ProtocolVersion.RESP3, ProtocolVersion.RESP2]) {
    const c = await AsyncClient.createClient(withServerTls({
      addresses: [standaloneAddress()],
      protocol,
      inflightRequestsLimit: 5000,
    }));
    const k = key();
    const calls = Array.from({ length: 3000 }, (_, i) => c.set(`${k}:${i}`, "v"));
    const blocked = c.customCommand(["BLPOP", key(), "0"]);
    await new Promise((r) => setTimeout(r, 1));
    c.close("closing now");
    const results = await Promise.allSettled([...calls, blocked]);
    for (const r of results) {
      if (r.status === "rejected") {
        assert.ok(r.reason instanceof ClosingError, String(r.reason));
        assert.equal(r.reason.message, "closing now");
      } else {
        assert.equal(r.value, "OK");
      }
    }
    assert.equal(results[results.length - 1].status, "rejected");
    await c[Symbol.asyncDispose]();
  }
});

Deno.test("inflightRequestsLimit rejects at once beyond the limit", async () => {
  const c = await AsyncClient.createClient(withServerTls({
    addresses: [standaloneAddress()],
    inflightRequestsLimit: 10,
  }));
  try {
    const k = key();
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => c.incr(k)),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    assert.equal(rejected.length, 15);
    for (const r of rejected) {
      assert.ok((r as PromiseRejectedResult).reason instanceof RequestError);
      assert.match((r as PromiseRejectedResult).reason.message, /inflightRequestsLimit/);
    }
    assert.equal(await c.get(k), "10");
  } finally {
    await c[Symbol.asyncDispose]();
  }
});

Deno.test("10,000 concurrent requests on one client all resolve correctly", async () => {
  for (const v of VARIANTS.filter((v) => !v.sync)) {
    const c = await makeClient(v, { inflightRequestsLimit: 20_000 }) as AsyncClient;
    try {
      const k = key();
      const n = 10_000;
      const sets = await Promise.all(
        Array.from({ length: n }, (_, i) => c.set(`${k}:${i}`, `value-${i}`)),
      );
      assert.ok(sets.every((r) => r === "OK"));
      const gets = await Promise.all(Array.from({ length: n }, (_, i) => c.get(`${k}:${i}`)));
      gets.forEach((g, i) => assert.equal(g, `value-${i}`));
      const counter = key();
      await Promise.all(Array.from({ length: n }, () => c.incr(counter)));
      assert.equal(await c.get(counter), String(n));
    } finally {
      await dispose(c);
    }
  }
});

eachClient("blocking commands get their block time, not the request timeout", async (_, v) => {
  const c = await makeClient(v, { requestTimeout: 200 });
  try {
    const started = performance.now();
    assert.equal(await c.customCommand(["BLPOP", key(), "0.5"]), null);
    assert.ok(performance.now() - started >= 450);
  } finally {
    await dispose(c);
  }
});
