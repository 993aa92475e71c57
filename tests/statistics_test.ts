// getStatistics() and getClientId(), GLIDE's client statistics: clients and connections counted
// across the process, compression counted per isolate, on all four clients.
import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { type ClientStatistics, CompressionBackend } from "../mod.ts";
import { clusterAddresses, key, standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const KEYS = [
  "total_connections",
  "total_clients",
  "total_values_compressed",
  "total_values_decompressed",
  "total_original_bytes",
  "total_bytes_compressed",
  "total_bytes_decompressed",
  "compression_skipped_count",
  "subscription_out_of_sync_count",
  "subscription_last_sync_timestamp",
];

const n = (s: ClientStatistics, k: keyof ClientStatistics) => Number(s[k]);

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

for (const sync of [false, true]) {
  Deno.test(`getStatistics and getClientId [${sync ? "sync" : "async"}]: clients, connections, compression`, async () => {
    const config = withServerTls({
      addresses: [standaloneAddress()],
      compression: { enabled: true, backend: CompressionBackend.LZ4 },
    });
    const open = async () =>
      sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
    const a = await open();
    const before = a.getStatistics();
    assert.deepEqual(Object.keys(before).sort(), [...KEYS].sort());
    for (const v of Object.values(before)) assert.match(v, /^\d+$/);
    const b = await open();
    try {
      await b.ping();
      const mid = a.getStatistics();
      assert.equal(n(mid, "total_clients"), n(before, "total_clients") + 1, "one more client");
      assert.ok(n(mid, "total_connections") >= n(before, "total_connections") + 1);
      assert.ok(a.getClientId() > 0 && b.getClientId() > 0);
      assert.notEqual(a.getClientId(), b.getClientId());

      const k = key("stats");
      const value = "abcdefgh".repeat(128); // 1 KiB, compressible
      await a.set(k, value);
      await a.set(`${k}:short`, "x");
      assert.equal(await a.get(k), value);
      const after = a.getStatistics();
      const d = (f: keyof ClientStatistics) => n(after, f) - n(mid, f);
      assert.equal(d("total_values_compressed"), 1);
      assert.equal(d("total_original_bytes"), 1024);
      assert.ok(d("total_bytes_compressed") > 0 && d("total_bytes_compressed") < 1024);
      assert.equal(d("total_values_decompressed"), 1);
      assert.equal(d("total_bytes_decompressed"), 1024);
      assert.equal(d("compression_skipped_count"), 1, "the short value");
      await a.del([k, `${k}:short`]);
    } finally {
      b.close();
    }
    await eventually(
      () => n(a.getStatistics(), "total_clients") === n(before, "total_clients"),
      "the closed client is no longer counted",
    );
    a.close();
  });
}

Deno.test("getStatistics and getClientId on the cluster clients", async () => {
  const config = withServerTls({ addresses: clusterAddresses() });
  const clients = [
    await AsyncClusterClient.createClient(config),
    SyncClusterClient.createClient(config),
  ];
  try {
    for (const c of clients) {
      await c.set(key("stats"), "v");
      const s = c.getStatistics();
      assert.deepEqual(Object.keys(s).sort(), [...KEYS].sort());
      assert.ok(n(s, "total_clients") >= 2 && n(s, "total_connections") >= 1);
      assert.ok(c.getClientId() > 0);
    }
  } finally {
    for (const c of clients) c.close();
  }
});
