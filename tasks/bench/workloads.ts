/**
 * The workloads. Each takes a connected adapter and a size, and returns its metrics, or a
 * string saying why it does not apply to that client. Sync clients run plain loops (no await).
 */

import type { Adapter, AsyncAdapter, ReplicaReader, Target } from "./clients.ts";
import { command } from "./server.ts";
import { fmtCount, fmtMicros, percentile } from "./stats.ts";

export const WORKLOAD_IDS = ["a", "b", "c", "d", "e", "f", "g"] as const;
export type WorkloadId = typeof WORKLOAD_IDS[number];
export type Metrics = Record<string, number>;
export type Sizes = Record<WorkloadId, number>;

export const FULL_SIZES: Sizes = {
  a: 20_000,
  b: 200_000,
  c: 100,
  d: 2_000,
  e: 100_000,
  f: 2_000,
  g: 200_000,
};
export const QUICK_SIZES: Sizes = {
  a: 2_000,
  b: 20_000,
  c: 10,
  d: 200,
  e: 10_000,
  f: 200,
  g: 20_000,
};
/** Each timed run follows an untimed one of this fraction of its size (JIT, GC heap sizing). */
export const WARMUP_FRACTION = 0.5;

export interface Workload {
  title(n: number): string;
  /** Metric the ratios to the peers are computed from. */
  primary: string;
  lowerIsBetter: boolean;
  columns: { metric: string; label: string; format(v: number): string }[];
  /** Runs the workload on `c`, connected to `target` (a few workloads look at its servers). */
  run(c: Adapter, n: number, target: Target): Promise<Metrics | string>;
  /** Keys on the server after a run of size `n`: a sanity check that every write landed. */
  keysAfter(n: number): number;
}

/** Peak resident set size of this process, sampled by the workloads' loops. */
export const rss = {
  peak: 0,
  sample(): void {
    this.peak = Math.max(this.peak, Deno.memoryUsage().rss);
  },
};

const pattern = "0123456789abcdefghijklmnopqrstuvwxyz";
const VALUE_100B = pattern.repeat(3).slice(0, 100);
const VALUE_100KIB = pattern.repeat(2845).slice(0, 100 * 1024);
const IN_FLIGHT = 100;
/** A 64 KiB JSON document of similar records, as applications store them. */
const DOC_64KIB = (() => {
  const items: string[] = [];
  for (let i = 0; items.join(",").length < 64 * 1024; i++) {
    items.push(
      `{"id":${i},"user":"user-${i}","email":"user${i}@example.com","plan":"${
        ["free", "pro", "team"][i % 3]
      }","active":${i % 2 === 0},"score":${(i * 7919) % 1000}}`,
    );
  }
  return `[${items.join(",")}]`.slice(0, 64 * 1024);
})();
const BATCH = 1_000;

const keyRing = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}:${i}`);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmtK = (ops: number) => `${fmtCount(ops)} ops/s`;

function check(reply: unknown, length: number): void {
  if ((reply as { length?: number } | null)?.length !== length) {
    throw new Error(`GET returned ${String(reply).slice(0, 40)}, not ${length} bytes`);
  }
}

/** `n` sequential SET+GET pairs over `ring`; the latency of each pair in ms. */
async function pairs(c: Adapter, n: number, value: string, ring: string[]) {
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = ring[i % ring.length];
    const t0 = performance.now();
    let got;
    if (c.sync) {
      c.set(key, value);
      got = c.get(key);
    } else {
      await c.set(key, value);
      got = await c.get(key);
    }
    lat[i] = performance.now() - t0;
    check(got, value.length);
    if ((i & 63) === 0) rss.sample();
  }
  return lat.sort();
}

/** Runs `op(0..n-1)` with IN_FLIGHT workers, each awaiting its previous op. */
async function inFlight(n: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await op(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function mixed(c: AsyncAdapter, n: number): Promise<Metrics> {
  const ring = keyRing("b", 10_000);
  await inFlight(ring.length, (i) => c.set(ring[i], VALUE_100B)); // untimed: fill the keyspace
  const t0 = performance.now();
  await inFlight(n, (i) => {
    const key = ring[(i * 7919) % ring.length];
    return i % 5 === 0 ? c.set(key, VALUE_100B) : c.get(key);
  });
  return { opsPerSec: n / seconds(t0) };
}

/**
 * The keys of batch `b`: `{c<b>}:<i>`, one hash tag per batch, so that every batch is valid in
 * cluster mode for every client (ioredis' Cluster refuses a pipeline that spans slots). The same
 * keys are used in standalone mode, where the tag changes nothing, so the two modes compare.
 */
const batchKeys = (b: number) => keyRing(`{c${b}}`, BATCH);

async function batches(c: Adapter, n: number): Promise<Metrics | string> {
  const all = Array.from({ length: n }, (_, b) => batchKeys(b));
  const t0 = performance.now();
  if (c.sync) {
    if (!c.pipelineSets) return `n/a (${c.pipelineMode})`;
    for (const keys of all) {
      c.pipelineSets(keys, VALUE_100B);
      rss.sample();
    }
  } else {
    for (const keys of all) {
      await c.pipelineSets(keys, VALUE_100B);
      rss.sample();
    }
  }
  return { opsPerSec: (n * BATCH) / seconds(t0) };
}

const percent = (v: number) => Number.isNaN(v) ? "n/a" : `${Math.round(v * 100)}%`;
const ratioOrNa = (v: number) => Number.isNaN(v) ? "n/a" : `${v.toFixed(2)}x`;

/** GETs the replicas among `ports` have served so far (INFO commandstats), in all. */
async function replicaGets(ports: number[]): Promise<number> {
  let gets = 0;
  for (const port of ports) {
    if (!(await command(port, "INFO", "replication")).includes("role:slave")) continue;
    const stats = await command(port, "INFO", "commandstats");
    gets += Number(/cmdstat_get:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  }
  return gets;
}

/**
 * Workload g: the same GETs, 100 in flight, from the client reading primaries and from the same
 * kind of client reading replicas (cluster only), with the share of the replica reads the
 * replicas served.
 */
async function replicaReads(c: Adapter, n: number, t: Target): Promise<Metrics | string> {
  if (!t.cluster) return "n/a (cluster only)";
  if (c.sync) return "n/a (sync: one in flight)";
  if (!c.replicas) return "n/a (no replica reads)";
  const ring = keyRing("g", 10_000);
  await inFlight(ring.length, (i) => c.set(ring[i], VALUE_100B));
  await new Promise((r) => setTimeout(r, 200)); // replication on loopback: well within this
  const key = (i: number) => ring[(i * 7919) % ring.length];
  let t0 = performance.now();
  await inFlight(n, async (i) => check(await c.get(key(i)), VALUE_100B.length));
  const primaryOpsPerSec = n / seconds(t0);
  const r = await c.replicas();
  try {
    const before = await replicaGets(t.ports);
    t0 = performance.now();
    await inFlight(n, async (i) => check(await r.get(key(i)), VALUE_100B.length));
    const opsPerSec = n / seconds(t0);
    const onReplicas = (await replicaGets(t.ports) - before) / n;
    const az = c.azReplicas && await azReads(c.azReplicas, n, t.ports, key);
    return {
      opsPerSec,
      primaryOpsPerSec,
      ratio: opsPerSec / primaryOpsPerSec,
      onReplicas,
      ...(az && { azRatio: az.opsPerSec / primaryOpsPerSec, azOnReplicas: az.onReplicas }),
    };
  } finally {
    await r.close();
  }
}

/** The zone workload g gives the replicas and the client (the primaries get another). */
const BENCH_AZ = "bench-az";

/**
 * Workload g's reads with AZ affinity, where the servers know zones (Valkey >= 8: CONFIG SET
 * availability-zone): every replica in the client's zone, the primaries in another. Undefined
 * where they do not (Redis 7). The zones are cleared afterwards.
 */
async function azReads(
  open: (zone: string) => Promise<ReplicaReader>,
  n: number,
  ports: number[],
  key: (i: number) => string,
): Promise<{ opsPerSec: number; onReplicas: number } | undefined> {
  const zone = async (port: number, az: string) => {
    try {
      await command(port, "CONFIG", "SET", "availability-zone", az);
      return true;
    } catch {
      return false; // no such parameter
    }
  };
  try {
    for (const port of ports) {
      const replica = (await command(port, "INFO", "replication")).includes("role:slave");
      if (!await zone(port, replica ? BENCH_AZ : `${BENCH_AZ}-primaries`)) return undefined;
    }
    const r = await open(BENCH_AZ);
    try {
      const before = await replicaGets(ports);
      const t0 = performance.now();
      await inFlight(n, async (i) => check(await r.get(key(i)), VALUE_100B.length));
      const opsPerSec = n / seconds(t0);
      return { opsPerSec, onReplicas: (await replicaGets(ports) - before) / n };
    } finally {
      await r.close();
    }
  } finally {
    for (const port of ports) await zone(port, "");
  }
}

export const WORKLOADS: Record<WorkloadId, Workload> = {
  a: {
    title: (n) => `a. ${n.toLocaleString("en")} sequential SET+GET of 100 B, 1 in flight`,
    primary: "p50Us",
    lowerIsBetter: true,
    columns: [
      { metric: "p50Us", label: "p50 per SET+GET", format: fmtMicros },
      { metric: "p99Us", label: "p99 per SET+GET", format: fmtMicros },
    ],
    async run(c, n) {
      const lat = await pairs(c, n, VALUE_100B, keyRing("a", 1_000));
      return { p50Us: percentile(lat, 50) * 1000, p99Us: percentile(lat, 99) * 1000 };
    },
    keysAfter: (n) => Math.min(n, 1_000),
  },
  b: {
    title: (n) => `b. ${n.toLocaleString("en")} ops, 80% GET / 20% SET of 100 B, 100 in flight`,
    primary: "opsPerSec",
    lowerIsBetter: false,
    columns: [{ metric: "opsPerSec", label: "throughput", format: fmtK }],
    run: async (c, n) => c.sync ? "n/a (sync: one in flight)" : await mixed(c, n),
    keysAfter: () => 10_000,
  },
  c: {
    title: (n) => `c. ${n} batches of ${BATCH.toLocaleString("en")} SETs of 100 B`,
    primary: "opsPerSec",
    lowerIsBetter: false,
    columns: [{ metric: "opsPerSec", label: "throughput", format: fmtK }],
    run: batches,
    keysAfter: (n) => n * BATCH,
  },
  d: {
    title: (n) => `d. ${n.toLocaleString("en")} sequential SET+GET of 100 KiB`,
    primary: "mbPerSec",
    lowerIsBetter: false,
    columns: [{
      metric: "mbPerSec",
      label: "MB/s (SET + GET payload)",
      format: (v) => `${v.toFixed(0)} MB/s`,
    }],
    async run(c, n) {
      const t0 = performance.now();
      await pairs(c, n, VALUE_100KIB, keyRing("d", 100));
      return { mbPerSec: (2 * VALUE_100KIB.length * n) / seconds(t0) / 1e6 };
    },
    keysAfter: (n) => Math.min(n, 100),
  },
  e: {
    title: (n) =>
      `e. ${n.toLocaleString("en")} ops on 1,000 hot keys, 1 in flight: 90% GET through the ` +
      "client's server-assisted client-side cache (where it has one), 10% SET by a second client",
    primary: "getP50Us",
    lowerIsBetter: true,
    columns: [
      { metric: "getP50Us", label: "GET p50", format: fmtMicros },
      { metric: "getP99Us", label: "GET p99", format: fmtMicros },
      { metric: "opsPerSec", label: "throughput", format: fmtK },
      { metric: "cached", label: "client-side cache", format: (v) => (v ? "on" : "none") },
    ],
    async run(c, n) {
      const ring = keyRing("e", 1_000);
      const z = c.cached ? await c.cached() : { ...c, close() {} };
      try {
        for (const k of ring) await z.set(k, VALUE_100B);
        const lat = new Float64Array(n);
        let gets = 0;
        let x = 12345;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          const key = ring[x % ring.length];
          if (i % 10 === 9) {
            await z.set(key, VALUE_100B);
            continue;
          }
          const s = performance.now();
          const got = z.sync ? z.get(key) : await z.get(key);
          lat[gets++] = performance.now() - s;
          check(got, VALUE_100B.length);
          if ((i & 1023) === 0) rss.sample();
        }
        const secs = seconds(t0);
        const sorted = lat.subarray(0, gets).sort();
        return {
          getP50Us: percentile(sorted, 50) * 1000,
          getP99Us: percentile(sorted, 99) * 1000,
          opsPerSec: n / secs,
          cached: c.cached ? 1 : 0,
        };
      } finally {
        await z.close();
      }
    },
    keysAfter: () => 1_000,
  },
  f: {
    title: (n) =>
      `f. ${n.toLocaleString("en")} sequential SET+GET of a 64 KiB JSON document, ` +
      "compression on where the client has it (GLIDE's, zstd level 3)",
    primary: "mbPerSec",
    lowerIsBetter: false,
    columns: [
      { metric: "mbPerSec", label: "MB/s", format: (v) => `${v.toFixed(0)} MB/s` },
      { metric: "storedBytes", label: "bytes stored", format: (v) => v.toLocaleString("en") },
      {
        metric: "mbPerSecPlain",
        label: "MB/s, compression off",
        format: (v) => `${v.toFixed(0)} MB/s`,
      },
    ],
    async run(c, n) {
      const ring = keyRing("f", 100);
      const mb = (t0: number) => (2 * DOC_64KIB.length * n) / seconds(t0) / 1e6;
      let t0 = performance.now();
      await pairs(c, n, DOC_64KIB, ring);
      const mbPerSecPlain = mb(t0);
      if (!c.compressed) {
        return { mbPerSec: mbPerSecPlain, storedBytes: DOC_64KIB.length, mbPerSecPlain };
      }
      const z = await c.compressed();
      try {
        t0 = performance.now();
        await pairs(z, n, DOC_64KIB, ring);
        return { mbPerSec: mb(t0), storedBytes: await z.stored(ring[0]), mbPerSecPlain };
      } finally {
        await z.close();
      }
    },
    keysAfter: (n) => Math.min(n, 100),
  },
  g: {
    title: (n) =>
      `g. ${n.toLocaleString("en")} GETs of 100 B, 100 in flight, read from replicas (cluster ` +
      "only: glide-deno and GLIDE Node readFrom preferReplica, ioredis scaleReads slave, " +
      "node-redis useReplicas; AZAffinity where the servers know zones, Valkey >= 8)",
    primary: "opsPerSec",
    lowerIsBetter: false,
    columns: [
      { metric: "opsPerSec", label: "replica reads", format: fmtK },
      { metric: "primaryOpsPerSec", label: "primary reads", format: fmtK },
      { metric: "ratio", label: "replica / primary", format: ratioOrNa },
      { metric: "onReplicas", label: "served by replicas", format: percent },
      { metric: "azRatio", label: "AZAffinity / primary", format: ratioOrNa },
      { metric: "azOnReplicas", label: "AZAffinity served by replicas", format: percent },
    ],
    run: replicaReads,
    keysAfter: () => 10_000,
  },
};
