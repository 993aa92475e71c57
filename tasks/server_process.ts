/**
 * One valkey-server / redis-server process on loopback, in its own temp dir, that can be killed
 * and started again on the same port. Used by `tasks/servers.ts`.
 */

import { join } from "node:path";
import { ping } from "./resp.ts";
import { onPath } from "./util.ts";

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

/** Finds valkey-server (preferred) or redis-server on the PATH, and the matching CLI. */
export function binaries(): Promise<Binaries> {
  return detected ??= detect();
}

async function detect(): Promise<Binaries> {
  const server = await onPath("valkey-server") ? "valkey-server" : "redis-server";
  if (!await onPath(server)) {
    throw new Error("neither valkey-server nor redis-server is on the PATH");
  }
  const cli = server === "valkey-server" && await onPath("valkey-cli") ? "valkey-cli" : "redis-cli";
  const out = await new Deno.Command(server, { args: ["--version"], stdout: "piped" }).output();
  const version = /v=(\S+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "0";
  const debugCommand = server === "valkey-server" || Number(version.split(".")[0]) >= 7;
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
  /** Extra server arguments, such as `["--requirepass", "secret"]`. */
  args?: string[];
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
  #bin: Binaries;
  #child: Deno.ChildProcess | undefined;
  #exited: Promise<Deno.CommandStatus> | undefined;

  private constructor(port: number, dir: string, args: string[], bin: Binaries) {
    this.port = port;
    this.dir = dir;
    this.args = args;
    this.#bin = bin;
  }

  /** Starts a server in a new temp dir and waits until it answers PING. */
  static async launch(opts: LaunchOptions = {}): Promise<ServerProcess> {
    const bin = await binaries();
    for (let attempt = 0;; attempt++) {
      const port = opts.port ?? freePort(opts.cluster);
      const dir = await Deno.makeTempDir({ prefix: `glide-server-${port}-` });
      const server = new ServerProcess(port, dir, serverArgs(bin, port, dir, opts), bin);
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
      if (await ping(this.host, this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tail = await Deno.readTextFile(log).catch(() => "");
    await this.kill();
    const why = gone ? "exited" : `did not answer PING within ${timeoutMs} ms`;
    throw new Error(`${this.#bin.server} on ${this.address} ${why}:\n${tail.slice(-2000)}`);
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
  const args = [
    "--port",
    `${port}`,
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
  }
  return [...args, ...(opts.args ?? [])];
}
