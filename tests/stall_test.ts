import assert from "node:assert/strict";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { ClosingError, RequestError, TimeoutError } from "../mod.ts";
import { startStandalone } from "../tasks/servers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private server, so that pausing it disturbs no other test. */
async function withServer(fn: (port: number) => Promise<void>): Promise<void> {
  const server = await startStandalone();
  try {
    await fn(server.port);
  } finally {
    await server.stop();
  }
}

const config = (port: number, extra: Record<string, unknown> = {}) => ({
  addresses: [{ host: "127.0.0.1", port }],
  requestTimeout: 300,
  ...extra,
});

for (const sync of [false, true]) {
  const name = sync ? "sync" : "async";
  Deno.test(`stalled server: TimeoutError, and late replies never reach the wrong request [${name}]`, async () => {
    await withServer(async (port) => {
      const admin = await AsyncClient.createClient(config(port, { requestTimeout: 5000 }));
      const c = sync
        ? SyncClient.createClient(config(port))
        : await AsyncClient.createClient(config(port));
      try {
        for (let i = 0; i < 20; i++) await admin.set(`stall:${i}`, `value-${i}`);
        await admin.customCommand(["CLIENT", "PAUSE", "1000", "ALL"]);
        const started = performance.now();
        // Every request made during the stall times out. (The sync client drops its connection
        // after a timeout, and a new connection's handshake is not bound by requestTimeout, so
        // it sends one request during the stall.)
        const during = sync ? [0] : Array.from({ length: 20 }, (_, i) => i);
        const outcomes = sync
          ? during.map((i) => {
            try {
              return c.get(`stall:${i}`);
            } catch (e) {
              return e;
            }
          })
          : await Promise.allSettled(during.map((i) => c.get(`stall:${i}`)));
        for (const o of outcomes) {
          const e = sync
            ? o
            : (o as PromiseSettledResult<unknown>).status === "rejected"
            ? (o as PromiseRejectedResult).reason
            : o;
          assert.ok(e instanceof TimeoutError, `expected TimeoutError, got ${String(e)}`);
        }
        const took = performance.now() - started;
        assert.ok(took < 300 + 500, `timed out in ${took.toFixed(0)} ms`);
        // After the stall, each reply is its own request's, in any order of arrival.
        await sleep(1100);
        const replies = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => await c.get(`stall:${i}`)),
        );
        assert.deepEqual(replies, Array.from({ length: 20 }, (_, i) => `value-${i}`));
        assert.equal(await c.ping(), "PONG");
      } finally {
        c.close();
        admin.close();
      }
    });
  });
}

Deno.test("inflightRequestsLimit: requests beyond it are rejected at once, never queued", async () => {
  await withServer(async (port) => {
    const admin = await AsyncClient.createClient(config(port, { requestTimeout: 5000 }));
    const c = await AsyncClient.createClient(
      config(port, { requestTimeout: 2000, inflightRequestsLimit: 10 }),
    );
    try {
      await admin.customCommand(["CLIENT", "PAUSE", "800", "ALL"]);
      const held = Array.from({ length: 10 }, (_, i) => c.get(`limit:${i}`));
      const started = performance.now();
      await assert.rejects(c.get("limit:11"), (e: Error) => {
        assert.ok(e instanceof RequestError);
        assert.match(e.message, /limit of 10 requests in flight/);
        return true;
      });
      assert.ok(performance.now() - started < 50, "rejected at once, not after the pause");
      assert.deepEqual(await Promise.all(held), Array(10).fill(null));
      assert.equal(await c.get("limit:11"), null, "accepted again once below the limit");
    } finally {
      c.close();
      admin.close();
    }
  });
});

Deno.test("close() with 5,000 requests in flight rejects each with ClosingError", async () => {
  await withServer(async (port) => {
    const admin = await AsyncClient.createClient(config(port, { requestTimeout: 5000 }));
    const c = await AsyncClient.createClient(
      config(port, { requestTimeout: 10_000, inflightRequestsLimit: 10_000 }),
    );
    try {
      await admin.customCommand(["CLIENT", "PAUSE", "2000", "ALL"]);
      const pending = Array.from({ length: 5000 }, (_, i) => c.get(`close:${i}`));
      await sleep(50);
      c.close();
      const outcomes = await Promise.allSettled(pending);
      assert.ok(
        outcomes.every((o) => o.status === "rejected" && o.reason instanceof ClosingError),
        "every request rejects with ClosingError",
      );
      await assert.rejects(c.get("after"), ClosingError);
    } finally {
      await admin.customCommand(["CLIENT", "UNPAUSE"]);
      admin.close();
    }
  });
});

Deno.test("100 clients created and closed leave the thread count flat", async () => {
  await withServer(async (port) => {
    const threads = () => [...Deno.readDirSync("/proc/self/task")].length;
    const cycle = async () => {
      for (let i = 0; i < 100; i++) {
        const a = await AsyncClient.createClient(config(port));
        await a.set("cycle", String(i));
        a.close();
        const s = SyncClient.createClient(config(port));
        s.get("cycle");
        s.close();
      }
    };
    await cycle(); // warm-up: the runtime, the pool thread, allocator arenas
    await sleep(200);
    const rss0 = Deno.memoryUsage().rss;
    const threads0 = threads();
    for (let round = 0; round < 3; round++) await cycle();
    await sleep(200);
    const rss1 = Deno.memoryUsage().rss;
    const threads1 = threads();
    console.log(
      `RSS ${(rss0 / 1048576).toFixed(1)} -> ${(rss1 / 1048576).toFixed(1)} MB, ` +
        `threads ${threads0} -> ${threads1} (300 more clients of each kind)`,
    );
    assert.ok(threads1 <= threads0 + 1, `threads grew: ${threads0} -> ${threads1}`);
    // RSS is checked in a process of its own, with forced GC, by tests/resilience_test.ts
    // (churn_cluster.ts): here it depends on what earlier test files left for the GC.
    void rss1;
  });
});
