/**
 * `deno task soak [--commands 10000000] [--inflight 100] [--cluster] [--standalone]`: a long run
 * of mixed commands (GET, SET, INCR, HSET, HGET, LPUSH, LPOP, DEL, EXISTS) through the async
 * client against servers it starts itself on loopback (standalone by default; `--cluster` for a
 * local cluster; both flags for one after the other). `inflight` workers each own their keys, so
 * every reply is checked against what that worker wrote.
 *
 * Prints a time series every 10 s (throughput, RSS, V8 heap, native heap, threads), and the same
 * after a forced GC at 1M commands and at the end, and fails (exit 1) on any error, any wrong
 * reply, the native heap (glibc's count of bytes in use: everything outside V8) growing more
 * than 5% from 1M commands to the end (RSS and peak RSS where it can't be read), or any thread
 * started after warm-up (Deno's blocking-pool threads may end, idle). Stops only
 * the servers it started. Not part of `deno task test`.
 */

import { parseArgs } from "node:util";
import { GlideClient, GlideClusterClient } from "../async.ts";
import { type Cluster, startCluster, startStandalone } from "./servers.ts";

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
if (!Number.isSafeInteger(total) || total < 1 || !Number.isSafeInteger(inflight) || inflight < 1) {
  console.error("--commands and --inflight must be positive integers");
  Deno.exit(2);
}
const modes = values.cluster ? (values.standalone ? ["standalone", "cluster"] : ["cluster"]) : [
  "standalone",
];
const WARM_UP = Math.min(1_000_000, Math.floor(total / 2));
const REPORT_MS = 10_000;

type Client = GlideClient | GlideClusterClient;

/** Threads of this process (Deno's and the core's). */
function threads(): number {
  return threadIds().size;
}

/** The ids of this process's threads. */
function threadIds(): Set<string> {
  return new Set([...Deno.readDirSync("/proc/self/task")].map((t) => t.name));
}

/** The names of the threads in `ids` that are still running, counted. */
function namesOf(ids: Iterable<string>): string {
  const names = new Map<string, number>();
  for (const id of ids) {
    try {
      const name = Deno.readTextFileSync(`/proc/self/task/${id}/comm`).trim();
      names.set(name, (names.get(name) ?? 0) + 1);
    } catch { /* ended since */ }
  }
  return [...names].map(([n, c]) => `${n} x${c}`).join(", ");
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Bytes the process's native heap has in use (glibc's `mallinfo2`: the core's allocations and
 * Deno's own, none of the V8 heap), or null where that cannot be read (not Linux with glibc).
 */
const mallinfo: () => BigUint64Array | null = (() => {
  if (Deno.build.os !== "linux") return () => null;
  try {
    const libc = Deno.dlopen("libc.so.6", {
      mallinfo2: { parameters: [], result: { struct: Array(10).fill("usize") } },
    });
    // struct mallinfo2 { arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, ... }
    return () => new BigUint64Array(libc.symbols.mallinfo2().buffer);
  } catch {
    return () => null;
  }
})();

const nativeHeap = (): number | null => {
  const f = mallinfo();
  return f && Number(f[7] + f[4]); // in use: small blocks + mmapped blocks
};

/** Bytes glibc holds from the system for the native heap (in use or free, all arenas). */
const nativeHeld = (): number | null => {
  const f = mallinfo();
  return f && Number(f[0] + f[4]); // arenas + mmapped blocks
};

/**
 * RSS once the V8 heap's garbage is collected (with --v8-flags=--expose-gc, as `deno task soak`
 * runs): what the client holds, not how far the collector let the soak's own garbage pile up.
 */
function settledRss(): number {
  gc?.();
  gc?.();
  return Deno.memoryUsage().rss;
}

/** Peak RSS of this process so far (VmHWM), in bytes. */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) * 1024 : 0;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Names of this process's threads, counted: `tokio-runtime-w x2, V8 Worker x1, ...`. */
function threadNames(): string {
  return namesOf(threadIds());
}

/** RSS, and how much of it the V8 heap and external buffers account for. */
function memory(): string {
  const m = Deno.memoryUsage();
  const native = nativeHeap();
  const held = nativeHeld() ?? 0;
  return `RSS ${mb(m.rss)} (V8 heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, ` +
    `external ${mb(m.external)}${
      native === null ? "" : `, native heap ${mb(native)} in use of ${mb(held)} held`
    })`;
}

/** One worker's keys and what it expects them to hold. */
class Worker {
  #n = 0; // INCR counter
  #str = new Map<number, string>();
  #hash = new Map<number, string>();
  #list: string[] = [];

  constructor(readonly id: number) {}

  #k(kind: string, slot = 0): string {
    // Distinct hash tags, so that a cluster spreads the workers' keys over every shard.
    return `soak:{${this.id}:${slot}}:${kind}`;
  }

  /** Runs command number `i` of this worker; returns a description of a wrong reply, or null. */
  async step(c: Client, i: number): Promise<string | null> {
    const slot = i % 8;
    const check = (what: string, got: unknown, want: unknown) =>
      got === want ? null : `${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    switch (i % 12) {
      case 0:
      case 1:
      case 2: {
        const k = this.#k("s", slot);
        return check(`GET ${k}`, await c.get(k), this.#str.get(slot) ?? null);
      }
      case 3:
      case 4: {
        const k = this.#k("s", slot);
        const v = `v${i}`;
        this.#str.set(slot, v);
        return check(`SET ${k}`, await c.set(k, v), "OK");
      }
      case 5: {
        const k = this.#k("n");
        return check(`INCR ${k}`, await c.incr(k), ++this.#n);
      }
      case 6: {
        const k = this.#k("h", slot);
        const fresh = !this.#hash.has(slot);
        this.#hash.set(slot, String(i));
        return check(`HSET ${k}`, await c.hset(k, { f: String(i) }), fresh ? 1 : 0);
      }
      case 7: {
        const k = this.#k("h", slot);
        return check(`HGET ${k}`, await c.hget(k, "f"), this.#hash.get(slot) ?? null);
      }
      case 8:
      case 9: {
        const k = this.#k("l");
        this.#list.push(String(i));
        return check(`LPUSH ${k}`, await c.lpush(k, [String(i)]), this.#list.length);
      }
      case 10: {
        const k = this.#k("l");
        return check(`LPOP ${k}`, await c.lpop(k), this.#list.pop() ?? null);
      }
      default: {
        const k = this.#k("s", slot);
        if (i % 24 === 11) {
          const had = this.#str.delete(slot);
          return check(`DEL ${k}`, await c.del([k]), had ? 1 : 0);
        }
        return check(`EXISTS ${k}`, await c.exists([k]), this.#str.has(slot) ? 1 : 0);
      }
    }
  }
}

async function soak(mode: string, c: Client): Promise<boolean> {
  console.log(`\n${mode}: ${total.toLocaleString()} commands, ${inflight} in flight`);
  let next = 0;
  let done = 0;
  let errors = 0;
  let wrong = 0;
  const start = performance.now();
  let last = { t: start, done: 0 };
  let atWarmUp:
    | { rss: number; peak: number; native: number | null; threads: Set<string> }
    | undefined;
  const series: number[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const rate = (done - last.done) / ((now - last.t) / 1000);
    series.push(rate);
    last = { t: now, done };
    const elapsed = ((now - start) / 1000).toFixed(0).padStart(4);
    const kops = (rate / 1000).toFixed(1).padStart(6);
    console.log(
      `  ${elapsed} s: ${done.toLocaleString().padStart(12)} done, ${kops}k ops/s, ` +
        `${memory()}, ${threads()} threads`,
    );
  }, REPORT_MS);
  const worker = async (w: Worker) => {
    for (let j = 0; next < total; j++) {
      next++;
      try {
        const problem = await w.step(c, j);
        if (problem && wrong++ < 5) console.error(`  WRONG REPLY (worker ${w.id}): ${problem}`);
      } catch (e) {
        if (errors++ < 5) console.error(`  error: ${e}`);
      }
      if (++done === WARM_UP) {
        const rss = settledRss();
        atWarmUp = { rss, peak: peakRss(), native: nativeHeap(), threads: threadIds() };
        console.log(
          `  at ${WARM_UP.toLocaleString()} (after warm-up): ${memory()} after GC, ` +
            `peak RSS ${mb(atWarmUp.peak)}, ${atWarmUp.threads.size} threads (${threadNames()})`,
        );
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: inflight }, (_, id) => worker(new Worker(id))));
  } finally {
    clearInterval(timer);
  }
  const secs = (performance.now() - start) / 1000;
  const peak = peakRss();
  const rss = settledRss();
  const native = nativeHeap();
  const ids = threadIds();
  const nthreads = ids.size;
  console.log(
    `  end: ${done.toLocaleString()} commands in ${secs.toFixed(1)} s = ` +
      `${(done / secs / 1000).toFixed(1)}k ops/s, ${errors} errors, ${wrong} wrong replies; ` +
      `${memory()} after GC, peak RSS ${mb(peak)}, ${nthreads} threads (${threadNames()})`,
  );
  if (series.length > 0) {
    const sorted = [...series].sort((a, b) => a - b);
    console.log(
      `  throughput per 10 s: min ${(sorted[0] / 1000).toFixed(1)}k, median ` +
        `${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(1)}k, max ` +
        `${(sorted.at(-1)! / 1000).toFixed(1)}k ops/s`,
    );
  }
  let ok = errors === 0 && wrong === 0;
  if (atWarmUp) {
    const pct = (from: number, to: number) => `${((to - from) / from * 100).toFixed(1)}%`;
    // The native heap (the client's memory, outside V8) must stay within 5% (+1 MiB for the
    // buffers of what is in flight). RSS also holds the V8 heap's high-water mark, which the
    // soak's own garbage raises; it is reported, and judged where the native heap can't be read.
    const flat = native !== null && atWarmUp.native !== null
      ? native < atWarmUp.native * 1.05 + 2 ** 20
      : rss < atWarmUp.rss * 1.05 && peak < atWarmUp.peak * 1.05;
    // No thread may start after warm-up; Deno's blocking-pool threads may end (idle 10 s).
    const fresh = [...ids].filter((id) => !atWarmUp!.threads.has(id));
    const nativeGrowth = native !== null && atWarmUp.native !== null
      ? `native heap ${mb(atWarmUp.native)} -> ${mb(native)} (${pct(atWarmUp.native, native)}), `
      : "";
    console.log(
      `  from warm-up to the end: ${nativeGrowth}RSS after GC ${pct(atWarmUp.rss, rss)}, ` +
        `peak RSS ${pct(atWarmUp.peak, peak)}, threads ${atWarmUp.threads.size} -> ${nthreads}, ` +
        `${fresh.length} started since${fresh.length ? ` (${namesOf(fresh)})` : ""} ` +
        (flat && fresh.length === 0 ? "(flat)" : "(GROWING)"),
    );
    ok = ok && flat && fresh.length === 0;
  }
  return ok;
}

const parse = (list: string) =>
  list.split(",").map((hp) => {
    const i = hp.lastIndexOf(":");
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });

let ok = true;
for (const mode of modes) {
  if (mode === "standalone") {
    const server = await startStandalone();
    try {
      const c = await GlideClient.createClient({
        addresses: parse(server.address),
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
    const cluster: Cluster = await startCluster();
    try {
      const c = await GlideClusterClient.createClient({
        addresses: parse(cluster.addresses),
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
console.log(`\nthreads at exit: ${threads()}${ok ? "" : "\nSOAK FAILED"}`);
if (!ok) Deno.exit(1);
