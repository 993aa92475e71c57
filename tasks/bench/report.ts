/** Markdown tables from the benchmark's samples: one per workload, then peak RSS. */

import { CLIENT_IDS, type ClientId } from "./clients.ts";
import { fmtMB, fmtRatio, median } from "./stats.ts";
import type { WorkerResult } from "./worker.ts";
import { type Sizes, WARMUP_FRACTION, type WorkloadId, WORKLOADS } from "./workloads.ts";

export interface Sample {
  run: number;
  workload: WorkloadId;
  client: ClientId;
  result: WorkerResult;
}

export interface ReportInput {
  samples: Sample[];
  runs: number;
  sizes: Sizes;
  workloads: WorkloadId[];
  clients: ClientId[];
  labels: Record<ClientId, string>;
  environment: string;
}

const PEERS: ClientId[] = ["ioredis", "node-redis"];

type Ok = Extract<WorkerResult, { status: "ok" }>;

function ok(samples: Sample[], workload: WorkloadId, client: ClientId): Ok[] {
  const mine = samples.filter((s) => s.workload === workload && s.client === client);
  return mine.flatMap((s) => s.result.status === "ok" ? [s.result] : []);
}

function med(results: Ok[], metric: string): number {
  return median(results.map((r) => r.metrics[metric]));
}

/** Why a client has no numbers for a workload, briefly. */
function why(samples: Sample[], workload: WorkloadId, client: ClientId): string {
  const mine = samples.filter((s) => s.client === client);
  const here = mine.find((s) => s.workload === workload)?.result;
  if (here?.status === "n/a") return here.message;
  if (mine.some((s) => s.result.status === "unavailable")) return "unavailable (see notes)";
  return here ? "error (see notes)" : "not run";
}

/** Every distinct failure message, per client. */
function notes(input: ReportInput): string[] {
  const seen = new Set<string>();
  for (const s of input.samples) {
    if (s.result.status !== "unavailable" && s.result.status !== "error") continue;
    seen.add(`- ${input.labels[s.client]}, ${s.result.status}: ${s.result.message}`);
  }
  return seen.size ? ["### Notes", "", ...seen, ""] : [];
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function workloadTable(input: ReportInput, w: WorkloadId): string[] {
  const spec = WORKLOADS[w];
  const peers = PEERS.filter((p) => input.clients.includes(p));
  const head = ["client", ...spec.columns.map((c) => c.label), ...peers.map((p) => `vs ${p}`)];
  if (w === "c") head.push("how");
  const lines = [`### ${spec.title(input.sizes[w])}`, "", row(head), row(head.map(() => "---"))];
  for (const client of input.clients) {
    const mine = ok(input.samples, w, client);
    let name = input.labels[client];
    if (mine.length === 0) {
      lines.push(row([name, why(input.samples, w, client), ...head.slice(2).map(() => "")]));
      continue;
    }
    if (mine.length < input.runs) name += ` (${mine.length} of ${input.runs} runs)`;
    const cells = [name, ...spec.columns.map((col) => col.format(med(mine, col.metric)))];
    for (const peer of peers) {
      const [a, b] = [med(mine, spec.primary), med(ok(input.samples, w, peer), spec.primary)];
      cells.push(peer === client ? "—" : fmtRatio(spec.lowerIsBetter ? b / a : a / b));
    }
    if (w === "c") cells.push(`\`${mine[0].mode}\``);
    lines.push(row(cells));
  }
  return lines;
}

function memoryTable(input: ReportInput): string[] {
  const head = ["client", "connected, idle", ...input.workloads.map((w) => `peak in ${w}`)];
  const lines = [
    "### Peak RSS (Deno.memoryUsage().rss, one process per client and workload)",
    "",
    row(head),
    row(head.map(() => "---")),
  ];
  for (const client of input.clients) {
    const all = input.workloads.map((w) => ok(input.samples, w, client));
    if (all.every((rs) => rs.length === 0)) continue;
    const idle = median(all.flat().map((r) => r.rssConnected));
    const peaks = all.map((rs) => rs.length ? fmtMB(median(rs.map((r) => r.rssPeak))) : "n/a");
    lines.push(row([input.labels[client], fmtMB(idle), ...peaks]));
  }
  return lines;
}

export function renderReport(input: ReportInput): string {
  const out = [
    "## Benchmarks",
    "",
    `${input.environment}.`,
    "",
    `Medians of ${input.runs} run(s), interleaved: each run goes through the workloads, and for`,
    "each workload through the clients in an order rotated per run. Each client runs each workload",
    `in a Deno process of its own, after an untimed warm-up of ${WARMUP_FRACTION * 100}% of the`,
    "workload. Ratios are between these medians; above 1x means faster than that peer (for",
    "latency: lower p50).",
    "",
  ];
  for (const w of input.workloads) out.push(...workloadTable(input, w), "");
  out.push(...memoryTable(input), "", ...notes(input));
  return out.join("\n");
}

/** Keeps the canonical client order (ours first, then the peers). */
export function sortClients(ids: ClientId[]): ClientId[] {
  return CLIENT_IDS.filter((id) => ids.includes(id));
}
