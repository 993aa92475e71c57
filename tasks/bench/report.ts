/**
 * Markdown tables from the benchmark's samples: per mode (standalone, cluster) one per workload,
 * then peak RSS; with both modes, the cost of cluster mode for our async client.
 */

import { CLIENT_IDS, type ClientId } from "./clients.ts";
import { CLUSTER_SHAPE, type Mode, MODES } from "./server.ts";
import { fmtMB, fmtRatio, median } from "./stats.ts";
import type { WorkerResult } from "./worker.ts";
import { type Sizes, WARMUP_FRACTION, type WorkloadId, WORKLOADS } from "./workloads.ts";

export interface Sample {
  /** Absent in the JSON of runs from before cluster mode: standalone. */
  mode?: Mode;
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

const modeOf = (s: Sample): Mode => s.mode ?? "standalone";

function workloadTable(input: ReportInput, w: WorkloadId, mode: Mode): string[] {
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
    if (w === "c") {
      const keys = mode === "cluster" ? ", one slot per batch (keys `{c<batch>}:<i>`)" : "";
      cells.push(`\`${mine[0].mode}\`${keys}`);
    }
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

/** `text` wrapped at 100 columns, as deno fmt would leave it in a Markdown file. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function section(input: ReportInput, mode: Mode, both: boolean): string[] {
  const out: string[] = [];
  const order = both
    ? "each workload through both modes and, in each, through the clients"
    : "each workload through the clients";
  if (mode === "standalone" || !both) {
    out.push(
      mode === "cluster" ? "## Benchmarks, cluster mode" : "## Benchmarks",
      "",
      `${input.environment}.`,
      "",
      ...wrap(
        `Medians of ${input.runs} run(s), interleaved: each run goes through the workloads, and for
        ${order} in an order rotated per run. Each client runs each workload in a Deno process of
        its own, after an untimed warm-up of ${WARMUP_FRACTION * 100}% of the workload. Ratios are
        between these medians; above 1x means faster than that peer (for latency: lower p50).`,
      ),
      "",
    );
  }
  if (mode === "cluster") {
    const { primaries, replicasPerPrimary: r } = CLUSTER_SHAPE;
    if (both) out.push("## Benchmarks, cluster mode", "");
    out.push(
      ...wrap(
        `${both ? "Same method, against a" : "A"} cluster of ${primaries} primaries with ${r}
        ${r === 1 ? "replica" : "replicas"} each on 127.0.0.1 (tasks/servers.ts's startCluster());
        every node is given as a seed, reads and writes go to the primaries, FLUSHALL goes to every
        primary between workers. Each batch of workload c uses one hash tag (\`{c<batch>}:<i>\`,
        in both modes) so that every client's pipeline is single-slot.`,
      ),
      "",
    );
  }
  for (const w of input.workloads) out.push(...workloadTable(input, w, mode), "");
  out.push(...memoryTable(input), "", ...notes(input));
  return out;
}

/** Per workload, our async client's primary metric in both modes. */
function clusterCost(all: ReportInput, by: Record<Mode, Sample[]>): string[] {
  const client: ClientId = "async";
  const head = ["workload", "metric", "standalone", "cluster", "cluster vs standalone"];
  const rows: string[] = [];
  for (const w of all.workloads) {
    const spec = WORKLOADS[w];
    const [s, c] = MODES.map((m) => ok(by[m], w, client)).map((rs) => med(rs, spec.primary));
    if (!Number.isFinite(s) || !Number.isFinite(c)) continue;
    const col = spec.columns.find((x) => x.metric === spec.primary)!;
    const change = (c / s - 1) * 100;
    const sign = change >= 0 ? "+" : "−";
    const better = spec.lowerIsBetter ? change <= 0 : change >= 0;
    const what = `${sign}${Math.abs(change).toFixed(0)}% (${better ? "faster" : "slower"})`;
    rows.push(row([w, col.label, col.format(s), col.format(c), what]));
  }
  if (rows.length === 0) return [];
  return [
    `## Cost of cluster mode (${all.labels[client]})`,
    "",
    ...wrap(
      `Its medians in the two modes, from the same invocation; the change is of the metric itself
      (for a: p50 latency, lower is better; for b-f: throughput, higher is better).`,
    ),
    "",
    row(head),
    row(head.map(() => "---")),
    ...rows,
    "",
  ];
}

export function renderReport(input: ReportInput): string {
  const by = Object.fromEntries(
    MODES.map((m) => [m, input.samples.filter((s) => modeOf(s) === m)]),
  ) as Record<Mode, Sample[]>;
  const modes = MODES.filter((m) => by[m].length > 0);
  const both = modes.length > 1;
  const out: string[] = [];
  for (const mode of modes) {
    const clients = sortClients([...new Set(by[mode].map((s) => s.client))]);
    out.push(...section({ ...input, samples: by[mode], clients }, mode, both));
  }
  if (both) out.push(...clusterCost(input, by));
  return out.join("\n");
}

/** Keeps the canonical client order (ours first, then the peers). */
export function sortClients(ids: ClientId[]): ClientId[] {
  return CLIENT_IDS.filter((id) => ids.includes(id));
}
