/**
 * `deno task soak [--commands 10000000] [--inflight 100] [--cluster] [--standalone]`: a long run
 * of mixed commands through the async client against servers it starts itself on loopback
 * (standalone, cluster, or both in turn; standalone by default). Prints throughput every 10 s,
 * RSS and the process's thread count at 1M commands and at the end, and checks that RSS stays
 * flat (within 10%) after warm-up. Stops only what it started. Not part of `deno task test`.
 */

import { parseArgs } from "node:util";
import { GlideClient, GlideClusterClient } from "../async.ts";
import { startCluster, startStandalone } from "./servers.ts";

const { values } = parseArgs({
  options: {
    commands: { type: "string", default: "10000000" },
    inflight: { type: "string", default: "100" },
    cluster: { type: "boolean", default: false },
    standalone: { type: "boolean", default: false },
  },
});
const total = Number(values.commands);
const inflight = Number(values.inflight);
const modes = values.cluster ? (values.standalone ? ["standalone", "cluster"] : ["cluster"]) : [
  "standalone",
];

type Client = GlideClient | GlideClusterClient;

/** Threads of this process (Deno's and the core's). */
function threads(): number {
  let n = 0;
  for (const _ of Deno.readDirSync("/proc/self/task")) n++;
  return n;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One mixed command; its reply is checked where it is cheap to. */
async function step(c: Client, i: number): Promise<void> {
  const k = `soak:${i % 10_000}`;
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
      await c.get(k);
      break;
    case 3:
    case 4:
      await c.set(k, `v${i}`);
      break;
    case 5:
      await c.incr(`soak:n:${i % 100}`);
      break;
    case 6:
      await c.hset(`soak:h:${i % 100}`, { f: String(i) });
      break;
    case 7:
      await c.hget(`soak:h:${i % 100}`, "f");
      break;
    case 8:
      await c.lpush(`soak:l:${i % 100}`, [String(i)]);
      break;
    default:
      await c.rpop(`soak:l:${i % 100}`);
  }
}

async function soak(mode: string, c: Client): Promise<boolean> {
  console.log(`\n${mode}: ${total.toLocaleString()} commands, ${inflight} in flight`);
  let next = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  let lastReport = start;
  let lastDone = 0;
  let rssAt1M = 0;
  let peakRss = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      try {
        await step(c, i);
      } catch (e) {
        if (errors++ < 5) console.error(`  error: ${e}`);
      }
      done++;
      if (done % 100_000 === 0) {
        const rss = Deno.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        if (done === 1_000_000) {
          rssAt1M = rss;
          console.log(`  at 1M: RSS ${mb(rss)}, ${threads()} threads`);
        }
        const now = performance.now();
        if (now - lastReport >= 10_000) {
          const rate = ((done - lastDone) / (now - lastReport)) * 1000;
          console.log(
            `  ${((now - start) / 1000).toFixed(0)} s: ${done.toLocaleString()} done, ` +
              `${(rate / 1000).toFixed(1)}k ops/s, RSS ${mb(rss)}`,
          );
          lastReport = now;
          lastDone = done;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const secs = (performance.now() - start) / 1000;
  const rss = Deno.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  console.log(
    `  end: ${done.toLocaleString()} commands in ${secs.toFixed(1)} s = ` +
      `${(done / secs / 1000).toFixed(1)}k ops/s, ${errors} errors; RSS ${mb(rss)} ` +
      `(peak ${mb(peakRss)}), ${threads()} threads`,
  );
  if (rssAt1M === 0) return errors === 0;
  const growth = (rss - rssAt1M) / rssAt1M;
  const flat = growth < 0.1;
  console.log(
    `  RSS from 1M to the end: ${(growth * 100).toFixed(1)}% ${flat ? "(flat)" : "(GROWING)"}`,
  );
  return flat && errors === 0;
}

let ok = true;
for (const mode of modes) {
  if (mode === "standalone") {
    const server = await startStandalone();
    try {
      const c = await GlideClient.createClient({
        addresses: [{ host: server.host, port: server.port }],
        requestTimeout: 5000,
      });
      try {
        ok = (await soak(mode, c)) && ok;
      } finally {
        c.close();
      }
    } finally {
      await server.stop();
    }
  } else {
    const cluster = await startCluster();
    try {
      const c = await GlideClusterClient.createClient({
        addresses: cluster.addresses.split(",").map((hp) => {
          const [host, port] = hp.split(":");
          return { host, port: Number(port) };
        }),
        requestTimeout: 5000,
      });
      try {
        ok = (await soak(mode, c)) && ok;
      } finally {
        c.close();
      }
    } finally {
      await cluster.stop();
    }
  }
}
console.log(`\nthreads at exit: ${threads()}`);
if (!ok) Deno.exit(1);
