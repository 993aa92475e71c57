/**
 * Benchmarks glide-deno's clients against ioredis, node-redis and GLIDE's Node client on a
 * throwaway redis-server on loopback, and prints Markdown tables of the medians.
 *
 *   deno task bench [--runs 5] [--only a,b,c,d,e,f,g] [--clients async,sync,ioredis,node-redis,glide-node]
 *                   [--quick] [--json out.json] [--cluster [--standalone]]
 *
 * --cluster runs against a local cluster of 3 primaries with a replica each instead; with
 * --standalone too, it runs both (interleaved) and adds the cost of cluster mode for our async
 * client.
 *   deno task bench --report out.json   # re-prints the tables of an earlier --json run
 *   deno task bench --http [--jobs 2] [--seconds 5] [--runs 3] [--load wrk|deno]
 *
 * --http runs the HTTP workload instead: a `deno serve --parallel` app (DENO_JOBS=--jobs
 * isolates, one client each, one GET per request) per peer, under 50 requests at once, from
 * `wrk` when it is installed (`apt-get install wrk`), else from `fetch` in this process.
 */

import { parseArgs } from "node:util";
import { CLIENT_IDS, CLIENT_NAMES, CLIENT_PACKAGES, type ClientId } from "./bench/clients.ts";
import { renderReport, type Sample, sortClients } from "./bench/report.ts";
import {
  command,
  dbSize,
  type Deployment,
  flushAll,
  type Mode,
  startDeployment,
} from "./bench/server.ts";
import { fmtMB, rotate } from "./bench/stats.ts";
import { benchHttp, defaultLoad } from "./bench/http.ts";
import { RESULT_PREFIX, type WorkerResult } from "./bench/worker.ts";
import {
  FULL_SIZES,
  QUICK_SIZES,
  WORKLOAD_IDS,
  type WorkloadId,
  WORKLOADS,
} from "./bench/workloads.ts";

const ROOT = new URL("..", import.meta.url);
const WORKER = new URL("./bench/worker.ts", import.meta.url).pathname;
const WORKER_TIMEOUT_MS = 300_000;
const EXIT_GRACE_MS = 10_000;

class UsageError extends Error {}

function list<T extends string>(raw: string | undefined, all: readonly T[], what: string): T[] {
  if (!raw) return [...all];
  const ids = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((id) => !all.includes(id as T));
  if (bad.length) {
    throw new UsageError(`unknown ${what}: ${bad.join(", ")} (known: ${all.join(", ")})`);
  }
  return ids as T[];
}

/** Runs one workload for one client in a child process (see bench/worker.ts). */
async function runWorker(client: ClientId, w: WorkloadId, d: Deployment, quick: boolean) {
  const args = ["run", "-A", WORKER, "--client", client, "--workload", w];
  args.push("--port", d.ports.join(","));
  if (d.mode === "cluster") args.push("--cluster");
  if (quick) args.push("--quick");
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  const stderr = new Response(child.stderr).text();
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
  };
  const timers = [setTimeout(kill, WORKER_TIMEOUT_MS)];
  let stdout = "", result: WorkerResult | undefined, lingered = false;
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    stdout += chunk;
    const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX) && l.endsWith("}"));
    if (line && !result) {
      result = JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerResult;
      timers.push(setTimeout(() => {
        lingered = true;
        kill();
      }, EXIT_GRACE_MS));
    }
  }
  const status = await child.status;
  timers.forEach(clearTimeout);
  const errText = (await stderr).trim().split("\n").slice(-3).join(" / ");
  if (!result) {
    return { status: "error", message: `worker exited (code ${status.code}): ${errText}` } as const;
  }
  if (lingered) console.error(`  ! ${client} did not exit ${EXIT_GRACE_MS / 1000}s after close()`);
  return result;
}

async function describeEnvironment(d: Deployment): Promise<string> {
  const port = d.ports[0];
  const info = await command(port, "INFO", "server");
  const field = (name: string) => info.match(new RegExp(`^${name}:(.*)$`, "m"))?.[1]?.trim();
  const server = field("valkey_version") ? "valkey-server" : "redis-server";
  const version = field("valkey_version") ?? field("redis_version");
  const { os, arch } = Deno.build;
  const cpus = navigator.hardwareConcurrency;
  return `Deno ${Deno.version.deno}, ${server} ${version} on 127.0.0.1, ${os} ${arch}, ${cpus} CPUs`;
}

/** "ioredis 5.11.1" etc., versions from deno.lock. */
async function clientLabels(): Promise<Record<ClientId, string>> {
  const labels = { ...CLIENT_NAMES };
  try {
    const lock = JSON.parse(await Deno.readTextFile(new URL("deno.lock", ROOT)));
    for (const [id, pkg] of Object.entries(CLIENT_PACKAGES)) {
      const key = Object.keys(lock.specifiers ?? {}).find((k) => k.startsWith(`npm:${pkg}@`));
      if (key) labels[id as ClientId] += ` ${lock.specifiers[key]}`;
    }
  } catch { /* no lock file: no versions */ }
  return labels;
}

function describe(r: WorkerResult): string {
  if (r.status === "n/a") return r.message;
  if (r.status !== "ok") return `${r.status}: ${r.message}`;
  const m = Object.entries(r.metrics).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
  return `${m}; rss ${fmtMB(r.rssPeak)}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string" },
      only: { type: "string" },
      clients: { type: "string" },
      quick: { type: "boolean", default: false },
      cluster: { type: "boolean", default: false },
      standalone: { type: "boolean", default: false },
      json: { type: "string" },
      report: { type: "string" },
      http: { type: "boolean", default: false },
      jobs: { type: "string" },
      seconds: { type: "string" },
      load: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(Deno.readTextFileSync(new URL(import.meta.url)).split("*/")[0]);
    return;
  }
  if (values.report) {
    const data = JSON.parse(await Deno.readTextFile(values.report));
    const samples: Sample[] = data.samples;
    const workloads = WORKLOAD_IDS.filter((w) => samples.some((s) => s.workload === w));
    const clients = sortClients(samples.map((s) => s.client));
    console.log(renderReport({ ...data, samples, workloads, clients }));
    return;
  }
  if (values.http) {
    const runs = Number(values.runs ?? 3), jobs = Number(values.jobs ?? 2);
    const seconds = Number(values.seconds ?? (values.quick ? 2 : 5));
    for (const [flag, n] of [["--runs", runs], ["--jobs", jobs], ["--seconds", seconds]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: not a positive integer`);
    }
    const load = values.load ?? await defaultLoad();
    if (load !== "wrk" && load !== "deno") throw new UsageError("--load: wrk or deno");
    const d = await startDeployment("standalone");
    try {
      await benchHttp(d.ports[0], { jobs, seconds, runs, load });
    } finally {
      await d.stop();
    }
    return;
  }
  const quick = values.quick;
  const runs = Number(values.runs ?? (quick ? 1 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError("--runs: not a positive integer");
  const workloads = list(values.only, WORKLOAD_IDS, "workload");
  const clients = sortClients(list(values.clients, CLIENT_IDS, "client"));
  const sizes = quick ? QUICK_SIZES : FULL_SIZES;

  const modes: Mode[] = values.cluster
    ? (values.standalone ? ["standalone", "cluster"] : ["cluster"])
    : ["standalone"];

  const deployments: Deployment[] = [];
  const stopAll = () => Promise.all(deployments.map((d) => d.stop()));
  const onSigint = () => stopAll().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onSigint);
  const samples: Sample[] = [];
  let environment = "";
  try {
    for (const mode of modes) {
      const d = await startDeployment(mode);
      deployments.push(d);
      console.error(`${mode}: ports ${d.ports.join(",")} (primaries ${d.primaries.join(",")})`);
    }
    environment = await describeEnvironment(deployments[0]);
    console.error(environment);
    const active = Object.fromEntries(modes.map((m) => [m, [...clients]]));
    for (let run = 0; run < runs; run++) {
      for (const w of workloads) {
        for (const d of deployments) {
          for (const client of rotate(active[d.mode], run)) {
            await flushAll(d);
            const result = await runWorker(client, w, d, quick);
            const tag = modes.length > 1 ? ` ${d.mode}` : "";
            console.error(`run ${run + 1}/${runs}${tag} ${w} ${client}: ${describe(result)}`);
            if (result.status === "unavailable") {
              console.error(`  ! skipping ${client} from now on`);
              active[d.mode] = active[d.mode].filter((c) => c !== client);
            }
            if (result.status === "ok") {
              const keys = await dbSize(d);
              const want = WORKLOADS[w].keysAfter(sizes[w]);
              if (keys !== want) console.error(`  ! ${client} left ${keys} keys, expected ${want}`);
            }
            samples.push({ mode: d.mode, run, workload: w, client, result });
          }
        }
      }
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    await stopAll();
  }
  const labels = await clientLabels();
  const report = renderReport({ samples, runs, sizes, workloads, clients, labels, environment });
  console.log(report);
  if (values.json) {
    const data = { environment, runs, sizes, labels, samples };
    await Deno.writeTextFile(values.json, JSON.stringify(data, null, 2) + "\n");
    console.error(`wrote ${values.json}`);
  }
}

try {
  await main();
} catch (e) {
  const parseError = String((e as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
  if (!(e instanceof UsageError) && !parseError) throw e;
  console.error(`bench: ${(e as Error).message} (see --help)`);
  Deno.exit(2);
}
