// A Worker with a server-assisted client-side cache of its own (tests/client_side_cache_test.ts):
// reads `key` until it is cached, says so, then, told the key changed, reads it until it shows
// `want` and reports how long that took.
/// <reference lib="deno.worker" />
import { ClientSideCache, GlideClient } from "../../mod.ts";

self.onmessage = async (e: MessageEvent) => {
  const { host, port, key, first, want, sync } = e.data;
  const cache = ClientSideCache.create(64, 0, { enableMetrics: true, serverAssisted: true });
  const { GlideClient: SyncClient } = await import("../../sync.ts");
  const config = { addresses: [{ host, port }], clientSideCache: cache };
  const c = sync ? SyncClient.createClient(config) : await GlideClient.createClient(config);
  try {
    for (let i = 0; i < 3; i++) {
      if (await c.get(key) !== first) throw new Error("not the first value");
    }
    const hits = await c.getCacheHitRate();
    self.onmessage = async () => {
      const t0 = performance.now();
      let v;
      while ((v = await c.get(key)) !== want) {
        if (performance.now() - t0 > 1000) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      const ms = performance.now() - t0;
      c.close();
      self.postMessage({ seen: v, ms });
    };
    self.postMessage({ cached: true, hits });
  } catch (err) {
    c.close();
    self.postMessage({ error: String(err) });
  }
};
