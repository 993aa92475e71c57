/**
 * Throwaway valkey-server / redis-server instances on loopback for tests, the demo and benches.
 *
 * As a module: {@link startStandalone}, {@link startCluster}, {@link restart}.
 *
 * As a CLI:
 *   deno task servers start [--standalone] [--cluster]   (both when neither flag is given)
 *   deno task servers status
 *   deno task servers stop
 * `start` prints the endpoints and records the pids in `.servers/state.json` (or
 * `$GLIDE_SERVERS_STATE`); `stop` stops what that file lists.
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { command, infoFields, RespError, type RespValue, text } from "./resp.ts";
import {
  type Binaries,
  binaries,
  type Endpoint,
  type LaunchOptions,
  ServerProcess,
} from "./server_process.ts";
import { message, ROOT, runOrThrow } from "./util.ts";

export { type Endpoint, ServerProcess } from "./server_process.ts";

/** A standalone server: `host`, `port`, `stop()`, plus `kill()` / `start()` on the same port. */
export type StandaloneServer = ServerProcess;

/** Options of {@link startStandalone}. */
export type StandaloneOptions = Omit<LaunchOptions, "cluster">;

/** Starts a standalone server on a free loopback port and waits until it answers. */
export async function startStandalone(opts: StandaloneOptions = {}): Promise<StandaloneServer> {
  return await ServerProcess.launch({ ...opts, cluster: false });
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Number of primaries (at least 3, a limit of `redis-cli --cluster create`). Default 3. */
  primaries?: number;
  /** Replicas of each primary. Default 1. */
  replicasPerPrimary?: number;
  /** Extra server arguments for every node. */
  args?: string[];
  /** How long to wait for the cluster to settle. Default 60 s. */
  timeoutMs?: number;
  /** The server and CLI to run instead of the ones on the PATH (e.g. `ensureValkey()`'s). */
  binaries?: Binaries;
}

/** A running cluster. */
export interface Cluster {
  /** Every node, primaries and replicas; each can be `kill()`ed and `start()`ed again. */
  nodes: ServerProcess[];
  /** `host:port,host:port,...` of every node. */
  addresses: string;
  /** Stops every node and removes their temp dirs. */
  stop(): Promise<void>;
}

/**
 * Starts a cluster of `primaries * (1 + replicasPerPrimary)` nodes with
 * `redis-cli --cluster create` and waits until every node reports `cluster_state:ok`, all agree on
 * `CLUSTER SLOTS`, and every replica is in sync.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const primaries = opts.primaries ?? 3;
  const replicas = opts.replicasPerPrimary ?? 1;
  if (primaries < 3) throw new Error("startCluster: redis-cli needs at least 3 primaries");
  const count = primaries * (1 + replicas);
  const launched = await Promise.allSettled(
    Array.from(
      { length: count },
      () => ServerProcess.launch({ cluster: true, args: opts.args, binaries: opts.binaries }),
    ),
  );
  const nodes = launched.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    const failed = launched.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const { cli } = opts.binaries ?? await binaries();
    const args = ["--cluster", "create", ...nodes.map((n) => n.address)];
    await runOrThrow(cli, [...args, "--cluster-replicas", `${replicas}`, "--cluster-yes"], {
      quiet: true,
    });
    await waitClusterReady(nodes, { primaries, replicasPerPrimary: replicas }, opts.timeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, addresses: nodes.map((n) => n.address).join(","), stop };
}

/** Kills a node (SIGKILL by default) and starts it again on the same port. */
export async function restart(node: ServerProcess, signal: Deno.Signal = "SIGKILL"): Promise<void> {
  await node.kill(signal);
  await node.start();
}

/** The expected shape of a cluster, for {@link waitClusterReady}. */
export interface ClusterShape {
  /** Number of primaries. */
  primaries: number;
  /** Replicas of each primary. */
  replicasPerPrimary: number;
}

/**
 * Polls until the cluster is consistent (see {@link startCluster}); throws with the last problem
 * seen after `timeoutMs` (default 60 s).
 */
export async function waitClusterReady(
  nodes: Endpoint[],
  shape: ClusterShape,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let problem: string | null = "not checked";
  while (Date.now() < deadline) {
    problem = await clusterProblem(nodes, shape).catch((e) => message(e));
    if (problem === null) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`cluster not ready after ${timeoutMs} ms: ${problem}`);
}

/** Returns what is not yet right with the cluster, or null when it is settled. */
async function clusterProblem(nodes: Endpoint[], shape: ClusterShape): Promise<string | null> {
  let slots: string | undefined;
  let masters = 0;
  for (const { host, port } of nodes) {
    const at = `${host}:${port}`;
    const info = infoFields(await text(host, port, ["CLUSTER", "INFO"]));
    if (info.get("cluster_state") !== "ok") {
      return `${at}: cluster_state ${info.get("cluster_state")}`;
    }
    if (info.get("cluster_known_nodes") !== `${nodes.length}`) return `${at}: not all nodes known`;
    const table = await text(host, port, ["CLUSTER", "NODES"]);
    if (/\b(fail\??|handshake|noaddr)\b/.test(table)) return `${at}: a node is failing or joining`;
    const ranges = slotRanges(await command(host, port, ["CLUSTER", "SLOTS"]));
    if (ranges.some((r) => r.length - 3 !== shape.replicasPerPrimary)) {
      return `${at}: CLUSTER SLOTS does not list every replica yet`;
    }
    const mine = JSON.stringify(ranges);
    if (slots !== undefined && mine !== slots) return `${at}: CLUSTER SLOTS differs`;
    slots = mine;
    const repl = infoFields(await text(host, port, ["INFO", "replication"]));
    if (repl.get("role") === "master") {
      masters++;
      const connected = Number(repl.get("connected_slaves"));
      if (connected !== shape.replicasPerPrimary) return `${at}: ${connected} replicas connected`;
    } else if (
      repl.get("master_link_status") !== "up" || repl.get("master_sync_in_progress") !== "0"
    ) {
      return `${at}: replica not in sync`;
    }
  }
  return masters === shape.primaries ? null : `${masters} primaries, not ${shape.primaries}`;
}

/** CLUSTER SLOTS in canonical form: `[start, end, primary, ...replicas]`, all sorted. */
function slotRanges(reply: RespValue): (string | number)[][] {
  if (reply instanceof RespError || !Array.isArray(reply)) throw new Error("bad CLUSTER SLOTS");
  const node = (n: RespValue) => Array.isArray(n) ? n.slice(0, 3).join(":") : String(n);
  const ranges = reply.map((r) => {
    const [start, end, primary, ...replicas] = r as RespValue[];
    return [Number(start), Number(end), node(primary), ...replicas.map(node).sort()];
  });
  return ranges.sort((a, b) => Number(a[0]) - Number(b[0]));
}

// ---------------------------------------------------------------------------------------------
// CLI

/** `$GLIDE_SERVERS_STATE`, else `.servers/state.json` in the repository. */
const STATE_FILE = Deno.env.get("GLIDE_SERVERS_STATE") ?? join(ROOT, ".servers", "state.json");

/** What `deno task servers start` records. */
interface State {
  standalone?: string;
  cluster?: string;
  processes: { pid: number; port: number; dir: string }[];
}

async function readState(): Promise<State | null> {
  try {
    return JSON.parse(await Deno.readTextFile(STATE_FILE)) as State;
  } catch {
    return null;
  }
}

async function cliStart(standalone: boolean, cluster: boolean): Promise<void> {
  if (await readState()) {
    throw new Error(`${STATE_FILE} exists: run \`deno task servers stop\` first`);
  }
  const state: State = { processes: [] };
  const started: ServerProcess[] = [];
  try {
    if (standalone) {
      const s = await startStandalone();
      started.push(s);
      state.standalone = s.address;
    }
    if (cluster) {
      const c = await startCluster();
      started.push(...c.nodes);
      state.cluster = c.addresses;
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.stop()));
    throw e;
  }
  state.processes = started.map((s) => ({ pid: s.pid!, port: s.port, dir: s.dir }));
  await Deno.mkdir(dirname(STATE_FILE), { recursive: true });
  await Deno.writeTextFile(STATE_FILE, JSON.stringify(state, null, 2) + "\n");
  for (const s of started) s.detach();
  if (state.standalone) console.log(`standalone: ${state.standalone}`);
  if (state.cluster) console.log(`cluster: ${state.cluster}`);
  const flags = [
    state.standalone ? `--standalone-endpoints=${state.standalone}` : "",
    state.cluster ? `--cluster-endpoints=${state.cluster}` : "",
  ].filter(Boolean);
  console.log(`run the tests against them: deno task test ${flags.join(" ")}`);
}

/** Whether `pid` is still a server listening on `port` (so a reused pid is never signalled). */
async function isOurServer(pid: number, port: number): Promise<boolean> {
  try {
    const cmdline = Deno.build.os === "linux"
      ? await Deno.readTextFile(`/proc/${pid}/cmdline`)
      : new TextDecoder().decode(
        (await new Deno.Command("ps", { args: ["-p", `${pid}`, "-o", "command="] }).output())
          .stdout,
      );
    return cmdline.includes(`:${port}`) || cmdline.includes(`${port}\0`);
  } catch {
    return false;
  }
}

async function cliStop(): Promise<void> {
  const state = await readState();
  if (!state) {
    console.log("no servers recorded");
    return;
  }
  await Promise.all(state.processes.map(async ({ pid, port, dir }) => {
    if (await isOurServer(pid, port)) {
      Deno.kill(pid, "SIGTERM");
      for (let i = 0; i < 100 && await isOurServer(pid, port); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      if (await isOurServer(pid, port)) Deno.kill(pid, "SIGKILL");
      console.log(`stopped pid ${pid} (port ${port})`);
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }));
  await Deno.remove(STATE_FILE);
}

async function cliStatus(): Promise<void> {
  const state = await readState();
  if (!state) {
    console.log("no servers recorded");
    return;
  }
  if (state.standalone) console.log(`standalone: ${state.standalone}`);
  if (state.cluster) console.log(`cluster: ${state.cluster}`);
  for (const { pid, port } of state.processes) {
    console.log(`pid ${pid} port ${port}: ${await isOurServer(pid, port) ? "running" : "gone"}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { standalone: { type: "boolean" }, cluster: { type: "boolean" } },
  });
  const [cmd] = positionals;
  if (cmd === "start") {
    const neither = !values.standalone && !values.cluster;
    await cliStart(neither || !!values.standalone, neither || !!values.cluster);
  } else if (cmd === "stop") {
    await cliStop();
  } else if (cmd === "status") {
    await cliStatus();
  } else {
    throw new Error("usage: deno task servers start [--standalone] [--cluster] | status | stop");
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`servers: ${message(e)}`);
    Deno.exit(1);
  }
}
