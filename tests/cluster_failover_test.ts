import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { InfoOptions, RequestError } from "../mod.ts";
import { clusterAddresses, key } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

Deno.test("cluster: failover under a steady write load loses no acknowledged write", async () => {
  const addresses = clusterAddresses();
  const c = await GlideClusterClient.createClient(
    withServerTls({ addresses, requestTimeout: 1000 }),
  );
  const admin = await GlideClusterClient.createClient(
    withServerTls({ addresses, requestTimeout: 5000 }),
  );
  try {
    const tag = key("failover");
    const k = (i: number) => `{${tag}}:${i}`;
    // The replica of the primary that owns our slot.
    const replicaInfo = await admin.info({
      sections: [InfoOptions.Server],
      route: { type: "replicaSlotKey", key: k(0) },
    }) as string;
    const replicaPort = Number(/tcp_port:(\d+)/.exec(replicaInfo)![1]);

    const acked: number[] = [];
    const failures: unknown[] = [];
    let lastOk = performance.now();
    let longestGap = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await c.set(k(i), String(i));
          acked.push(i);
          const now = performance.now();
          longestGap = Math.max(longestGap, now - lastOk);
          lastOk = now;
        } catch (e) {
          failures.push(e);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await admin.customCommand(["CLUSTER", "FAILOVER"], {
      route: { type: "routeByAddress", host: "127.0.0.1", port: replicaPort },
    });
    // Wait until the replica has taken over, then keep writing a while.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = await admin.customCommand(["INFO", "replication"], {
        route: { type: "routeByAddress", host: "127.0.0.1", port: replicaPort },
      }) as string;
      if (text.includes("role:master")) break;
      assert.ok(Date.now() < deadline, "the replica did not take over");
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = acked.length;
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await writer;
    assert.ok(acked.length > before, "writes resumed after the failover");
    for (const e of failures) assert.ok(e instanceof RequestError, String(e));
    for (const i of acked) assert.equal(await c.get(k(i)), String(i));
    console.log(
      `failover: ${acked.length} writes acknowledged, ${failures.length} failed (typed), ` +
        `longest gap between acknowledged writes ${longestGap.toFixed(0)} ms`,
    );
  } finally {
    c.close();
    admin.close();
  }
});
