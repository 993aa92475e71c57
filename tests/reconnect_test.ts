import assert from "node:assert/strict";
import { ConnectionError, TimeoutError } from "../mod.ts";
import { startStandalone } from "../tasks/servers.ts";
import { dispose, VARIANTS } from "./harness.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";

/** Retries `fn` until it succeeds or `ms` pass. */
async function eventually<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

for (const v of VARIANTS) {
  Deno.test(`server restart: typed errors during the outage, then reconnects [${v.name}]`, async () => {
    const server = await startStandalone();
    const config = {
      addresses: [{ host: server.host, port: server.port }],
      protocol: v.protocol,
      requestTimeout: 500,
      connectionBackoff: { numberOfRetries: 3, factor: 50, exponentBase: 2 },
      advancedConfiguration: { connectionTimeout: 500 },
    };
    const c = v.sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
    try {
      assert.equal(await c.set("k", "before"), "OK");
      await server.kill("SIGKILL");
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await assert.rejects(
          async () => await c.get("k"),
          (e: Error) => e instanceof ConnectionError || e instanceof TimeoutError,
        );
        assert.ok(performance.now() - started < 1500, "failed within the timeouts");
      }
      await server.start();
      // A fresh server (no persistence): the key is gone, and the client works again.
      assert.equal(await eventually(async () => await c.get("k"), 5000), null);
      assert.equal(await c.set("k", "after"), "OK");
      assert.equal(await c.get("k"), "after");
    } finally {
      await dispose(c);
      await server.stop();
    }
  });
}
