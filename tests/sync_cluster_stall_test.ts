import assert from "node:assert/strict";
import { GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { TimeoutError } from "../mod.ts";
import { clusterAddresses, key } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

Deno.test("sync cluster: a stalled primary gives TimeoutError, and the command runs once", async () => {
  const admin = await AsyncClusterClient.createClient(withServerTls({
    addresses: clusterAddresses(),
    requestTimeout: 5000,
  }));
  const c = SyncClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses(), requestTimeout: 300 }),
  );
  const k = `{${key("stall")}}n`;
  try {
    assert.equal(c.incr(k), 1);
    await admin.customCommand(["CLIENT", "PAUSE", "1500", "WRITE"], {
      route: { type: "primarySlotKey", key: k },
    });
    const started = performance.now();
    assert.throws(() => c.incr(k), TimeoutError);
    const took = performance.now() - started;
    assert.ok(took < 800, `timed out in ${took.toFixed(0)} ms`);
    await new Promise((r) => setTimeout(r, 1700));
    // The timed-out INCR ran at most once (when the pause ended), never again.
    const n = Number(await admin.get(k));
    assert.ok(n === 1 || n === 2, `counter ${n}`);
    assert.equal(c.incr(k), n + 1);
  } finally {
    await admin.del([k]);
    c.close();
    admin.close();
  }
});
