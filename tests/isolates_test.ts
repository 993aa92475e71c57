import assert from "node:assert/strict";
import { GlideClient } from "../async.ts";
import { standaloneAddress } from "./harness.ts";
import { serversUseTls, withServerTls } from "./server_tls.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs a fixture of tests/fixtures/isolates/ in a child process (a crash is its exit code). */
async function fixture(name: string, args: string[] = [], limitMs = 120_000) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`./fixtures/isolates/${name}`, import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const out = await child.output();
  clearTimeout(timer);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("8 Workers, each with async standalone, async cluster and sync clients, at once", async () => {
  const r = await fixture("load.ts");
  assert.equal(r.code, 0, r.stderr);
  const { results } = JSON.parse(r.stdout);
  assert.equal(results.length, 8);
  for (const w of results) assert.deepEqual(w.wrong, [0, 0, 0], `worker ${w.index}`);
});

Deno.test("pub/sub in 4 Workers at once: every message reaches its subscriber only", async () => {
  const r = await fixture("pubsub.ts");
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  for (const l of lines) {
    assert.deepEqual(l, { index: l.index, foreign: 0, missedOwn: 0, missedShared: 0 });
  }
});

Deno.test("Workers terminated mid-flight 50 times: no crash, no leak, the main client works", async () => {
  const r = await fixture("terminate.ts", ["50"], 240_000);
  assert.equal(r.code, 0, r.stderr);
  const { warm, end, left, mainOk, rounds } = JSON.parse(r.stdout);
  assert.equal(mainOk, rounds + 1);
  assert.equal(left, 0, "connections of terminated Workers' clients are still open");
  assert.ok(end.threads <= warm.threads + 4, `threads ${warm.threads} -> ${end.threads}`);
  // 40 Worker isolates come and go after the warm-up; the allocator keeps some of their pages.
  assert.ok(end.rss <= warm.rss * 1.5, `RSS ${warm.rss} -> ${end.rss}`);
});

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

Deno.test("deno serve --parallel (DENO_JOBS=4): 5,000 requests, 50 at once, all answered", async () => {
  const { host, port } = standaloneAddress();
  const counter = await GlideClient.createClient(withServerTls({ addresses: [{ host, port }] }));
  try {
    await counter.del(["hits"]);
    const httpPort = freePort();
    const env: Record<string, string> = {
      DENO_JOBS: "4",
      VALKEY_HOST: host,
      VALKEY_PORT: String(port),
    };
    const ca = Deno.env.get("GLIDE_TEST_TLS_CA");
    if (serversUseTls() && ca) env.VALKEY_TLS_CA = ca;
    const server = new Deno.Command(Deno.execPath(), {
      args: [
        "serve",
        "--parallel",
        "-A",
        "--host",
        "127.0.0.1",
        "--port",
        String(httpPort),
        new URL("../examples/serve_parallel.ts", import.meta.url).pathname,
      ],
      env,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const url = `http://127.0.0.1:${httpPort}/`;
    try {
      let warmed = 0;
      const deadline = Date.now() + 30_000;
      while (warmed === 0) {
        assert.ok(Date.now() < deadline, "deno serve did not answer within 30 s");
        try {
          const res = await fetch(url);
          await res.body?.cancel();
          if (res.ok) warmed++;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const REQUESTS = 5000;
      let next = 0;
      let failed = 0;
      let answered = 0;
      const client = Deno.createHttpClient({ poolMaxIdlePerHost: 50 });
      const loop = async () => {
        while (next < REQUESTS) {
          next++;
          try {
            const res = await fetch(url, { client, signal: AbortSignal.timeout(5000) });
            const body = await res.text();
            if (res.ok && /^hits: \d+/.test(body)) answered++;
            else failed++;
          } catch {
            failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: 50 }, loop));
      client.close();
      assert.equal(failed, 0);
      assert.equal(answered, REQUESTS);
      assert.equal(await counter.get("hits"), String(REQUESTS + warmed));
    } finally {
      server.kill("SIGTERM");
      const out = await server.output();
      assert.doesNotMatch(text(out.stderr), /panicked|Segmentation|error: Uncaught/);
    }
  } finally {
    counter.close();
  }
});
