/**
 * The HTTP workload of `deno task bench --http`: a `deno serve --parallel` app (`DENO_JOBS`
 * isolates, one client each) doing one GET per request, with glide-deno, ioredis and node-redis,
 * interleaved in the same run, and the same app with no client at all (`ceiling`: what the HTTP
 * server and the load generator cost on their own; no client can be faster). Load: 50 requests at
 * once over keep-alive connections for a fixed time, from `wrk` (one thread) when it is installed,
 * else from this process's `fetch` (`--load deno`), which takes more of the two cores from the app
 * under test. Reports requests/s, and the connections each app made to the server (CLIENT LIST).
 * @module
 */

import { command } from "./server.ts";
import { rotate } from "./stats.ts";

/** The apps, by client. */
export const HTTP_APPS = {
  "glide-deno": "glide.ts",
  // The same app, its isolates owning their sockets (shared/js_io.ts).
  "glide-deno-js": "glide.ts",
  ioredis: "ioredis.ts",
  "node-redis": "node_redis.ts",
  ceiling: "ceiling.ts",
} as const;

/** What generates the load: `wrk` (C, one thread) or this process's `fetch`. */
export type HttpLoad = "wrk" | "deno";

/** `wrk` when it is on the PATH, else `deno`. */
export async function defaultLoad(): Promise<HttpLoad> {
  try {
    // `wrk --version` prints its usage and exits 1: being found is what counts.
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return "wrk";
  } catch {
    return "deno";
  }
}

/** One measurement. */
export interface HttpSample {
  client: keyof typeof HTTP_APPS;
  requestsPerSecond: number;
  failed: number;
  connections: number;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

async function connectionCount(valkeyPort: number): Promise<number> {
  const list = await command(valkeyPort, "CLIENT", "LIST");
  return list.split("\n").filter((l) => l.includes("addr=")).length - 1; // less our own
}

interface Load {
  done: number;
  failed: number;
  /** Seconds. */
  elapsed: number;
}

/** `concurrency` loops of `fetch` over keep-alive connections for `seconds`. */
async function fetchLoad(
  url: string,
  http: Deno.HttpClient,
  concurrency: number,
  seconds: number,
): Promise<Load> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let done = 0, failed = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      try {
        const res = await fetch(url, { client: http });
        await res.arrayBuffer();
        if (res.ok) done++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }));
  return { done, failed, elapsed: (performance.now() - started) / 1000 };
}

/** `wrk` with one thread and `concurrency` keep-alive connections for `seconds`. */
async function wrk(url: string, concurrency: number, seconds: number): Promise<Load> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", `-c${concurrency}`, `-d${seconds}s`, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)\b/.exec(text);
  if (!out.success || !total) {
    throw new Error(`wrk failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  const unit = { ms: 1e-3, s: 1, m: 60 }[total[3] as "ms" | "s" | "m"];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = errors ? errors.slice(1).reduce((n, e) => n + Number(e), 0) : 0;
  return {
    done: Number(total[1]) - non2xx,
    failed: non2xx + socketErrors,
    elapsed: Number(total[2]) * unit,
  };
}

/** Runs one app for `seconds` under load; returns its sample. */
export async function runHttp(
  client: keyof typeof HTTP_APPS,
  valkeyPort: number,
  opts: { jobs: number; seconds: number; load: HttpLoad; concurrency?: number },
): Promise<HttpSample> {
  const port = freePort();
  const app = new URL(`./http/${HTTP_APPS[client]}`, import.meta.url).pathname;
  const server = new Deno.Command(Deno.execPath(), {
    args: ["serve", "--parallel", "-A", "--host", "127.0.0.1", "--port", String(port), app],
    env: {
      DENO_JOBS: String(opts.jobs),
      VALKEY_PORT: String(valkeyPort),
      ...(client === "glide-deno-js" ? { GLIDE_DENO_IO: "js" } : {}),
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}/`;
  const http = Deno.createHttpClient({ poolMaxIdlePerHost: opts.concurrency ?? 50 });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(url, { client: http });
        await res.body?.cancel();
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`${client}: deno serve did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const concurrency = opts.concurrency ?? 50;
    const load = (seconds: number) =>
      opts.load === "wrk"
        ? wrk(url, concurrency, seconds)
        : fetchLoad(url, http, concurrency, seconds);
    await load(1); // warm-up
    const { done, failed, elapsed } = await load(opts.seconds);
    return {
      client,
      requestsPerSecond: Math.round(done / elapsed),
      failed,
      connections: await connectionCount(valkeyPort),
    };
  } finally {
    http.close();
    // deno serve shuts down gracefully on SIGTERM, which waits for the isolates' event loops:
    // a peer's open socket keeps them alive, so a server still up after 2 s is killed.
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 2000);
    await server.status;
    clearTimeout(timer);
  }
}

/** Runs every app `runs` times, interleaved; prints a Markdown table of the medians. */
export async function benchHttp(
  valkeyPort: number,
  opts: { jobs: number; seconds: number; runs: number; load: HttpLoad },
): Promise<HttpSample[]> {
  await command(valkeyPort, "SET", "bench:http", "x".repeat(100));
  const samples: HttpSample[] = [];
  for (let r = 0; r < opts.runs; r++) {
    for (const client of rotate(Object.keys(HTTP_APPS) as (keyof typeof HTTP_APPS)[], r)) {
      const s = await runHttp(client, valkeyPort, opts);
      console.error(
        `run ${r + 1}/${opts.runs} http ${client}: ${s.requestsPerSecond} req/s, ` +
          `${s.failed} failed, ${s.connections} connections`,
      );
      samples.push(s);
    }
  }
  const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = (Object.keys(HTTP_APPS) as (keyof typeof HTTP_APPS)[]).map((client) => {
    const mine = samples.filter((s) => s.client === client);
    return {
      client,
      rps: median(mine.map((s) => s.requestsPerSecond)),
      failed: mine.reduce((n, s) => n + s.failed, 0),
      connections: median(mine.map((s) => s.connections)),
    };
  });
  const peer = (c: string) => !c.startsWith("glide-deno") && c !== "ceiling";
  const best = Math.max(...rows.filter((r) => peer(r.client)).map((r) => r.rps));
  const generator = opts.load === "wrk" ? "wrk -t1" : "fetch";
  console.log(
    `\nHTTP: deno serve --parallel, DENO_JOBS=${opts.jobs}, one GET per request, 50 at once ` +
      `(load: ${generator}), ${opts.seconds} s x ${opts.runs} runs (medians)\n`,
  );
  console.log("| client | requests/s | vs best peer | failed | connections |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    const ratio = (r.rps / best).toFixed(2);
    console.log(`| ${r.client} | ${r.rps} | ${ratio}x | ${r.failed} | ${r.connections} |`);
  }
  return samples;
}
