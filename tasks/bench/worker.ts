/**
 * Runs one workload for one client in a process of its own (so that its peak RSS is its own),
 * and prints one line: RESULT_PREFIX + JSON of a {@link WorkerResult}.
 *
 *   deno run -A tasks/bench/worker.ts --client ioredis --workload a --port 6379 [--quick]
 *   deno run -A tasks/bench/worker.ts --client ioredis --workload a --cluster --port 7000,7001,...
 */

import { parseArgs } from "node:util";
import { type Adapter, type ClientId, openClient, Unavailable } from "./clients.ts";
import {
  FULL_SIZES,
  type Metrics,
  QUICK_SIZES,
  rss,
  WARMUP_FRACTION,
  type WorkloadId,
  WORKLOADS,
} from "./workloads.ts";

export const RESULT_PREFIX = "BENCH_RESULT ";

export type WorkerResult =
  | { status: "ok"; metrics: Metrics; rssConnected: number; rssPeak: number; mode: string }
  | { status: "n/a" | "unavailable" | "error"; message: string };

async function main(): Promise<WorkerResult> {
  const { values } = parseArgs({
    options: {
      client: { type: "string" },
      workload: { type: "string" },
      port: { type: "string" },
      cluster: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
    },
  });
  const workload = WORKLOADS[values.workload as WorkloadId];
  const n = (values.quick ? QUICK_SIZES : FULL_SIZES)[values.workload as WorkloadId];
  let client: Adapter;
  const target = { cluster: values.cluster, ports: (values.port ?? "").split(",").map(Number) };
  try {
    client = await openClient(values.client as ClientId, target);
  } catch (e) {
    if (e instanceof Unavailable) return { status: "unavailable", message: e.message };
    throw e;
  }
  rss.sample();
  const rssConnected = rss.peak;
  const timer = setInterval(() => rss.sample(), 20); // sync clients are sampled by the loops
  try {
    const warm = await workload.run(client, Math.max(1, Math.ceil(n * WARMUP_FRACTION)), target);
    if (typeof warm === "string") return { status: "n/a", message: warm };
    const metrics = await workload.run(client, n, target);
    if (typeof metrics === "string") return { status: "n/a", message: metrics };
    rss.sample();
    return { status: "ok", metrics, rssConnected, rssPeak: rss.peak, mode: client.pipelineMode };
  } finally {
    clearInterval(timer);
    await client.close();
  }
}

if (import.meta.main) {
  let result: WorkerResult;
  try {
    result = await main();
  } catch (e) {
    result = { status: "error", message: e instanceof Error ? e.message : String(e) };
  }
  console.log(RESULT_PREFIX + JSON.stringify(result));
}
