/**
 * The benchmark's own throwaway server (or cluster) on loopback, and a minimal RESP connection
 * for the commands the bench itself sends (PING, FLUSHALL, DBSIZE, INFO), one node at a time.
 */

export interface Server {
  port: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

/** Starts a server: via tasks/servers.ts's startStandalone() if that exists, else redis-server. */
export async function startServer(): Promise<Server> {
  return await fromServersTs() ?? await spawnRedisServer();
}

async function fromServersTs(): Promise<Server | null> {
  const url = new URL("../servers.ts", import.meta.url);
  try {
    await Deno.stat(url);
  } catch {
    return null;
  }
  const mod = await import(url.href);
  if (typeof mod.startStandalone !== "function") return null;
  const s = await mod.startStandalone();
  const port = s?.port ?? s?.address?.port ?? s?.addresses?.[0]?.port;
  const stop = s?.stop ?? s?.close ?? s?.[Symbol.asyncDispose];
  if (typeof port !== "number" || typeof stop !== "function") {
    console.error("tasks/servers.ts: startStandalone() result not understood; using redis-server");
    await stop?.call(s);
    return null;
  }
  return { port, stop: async () => await stop.call(s) };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function spawnRedisServer(): Promise<Server> {
  const port = freePort();
  const args = ["--port", `${port}`, "--bind", HOST, "--save", "", "--appendonly", "no"];
  const child = new Deno.Command("redis-server", { args, stdout: "null", stderr: "null" }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
  };
  for (let i = 0; i < 100; i++) {
    try {
      if (await command(port, "PING") === "PONG") return { port, stop };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`redis-server did not answer on ${HOST}:${port}`);
}

/** Sends one command on a fresh connection; returns a simple, integer or bulk reply as text. */
export async function command(port: number, ...args: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: HOST, port });
  try {
    const enc = new TextEncoder();
    const req = `*${args.length}\r\n` +
      args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join("");
    const out = enc.encode(req);
    for (let n = 0; n < out.length;) n += await conn.write(out.subarray(n));
    let text = "";
    const buf = new Uint8Array(64 * 1024);
    const dec = new TextDecoder();
    while (true) {
      const end = text.indexOf("\r\n");
      if (end >= 0) {
        const head = text.slice(0, end);
        if (head[0] === "-") throw new Error(head.slice(1));
        if (head[0] !== "$") return head.slice(1);
        const body = text.slice(end + 2);
        if (body.length >= Number(head.slice(1))) return body.slice(0, Number(head.slice(1)));
      }
      const n = await conn.read(buf);
      if (n === null) throw new Error("connection closed");
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
  } finally {
    conn.close();
  }
}

/** A deployment the workers run against: one standalone server, or a cluster. */
export interface Deployment {
  mode: Mode;
  /** Every node's port (the clients get them all as seeds). */
  ports: number[];
  /** The ports of the primaries: where FLUSHALL and DBSIZE go. */
  primaries: number[];
  stop(): Promise<void>;
}

export type Mode = "standalone" | "cluster";
export const MODES: readonly Mode[] = ["standalone", "cluster"];

/** The shape of the cluster that {@link startClusterDeployment} starts. */
export const CLUSTER_SHAPE = { primaries: 3, replicasPerPrimary: 1 };

export async function startDeployment(mode: Mode): Promise<Deployment> {
  if (mode === "cluster") return await startClusterDeployment();
  const s = await startServer();
  return { mode, ports: [s.port], primaries: [s.port], stop: s.stop };
}

/** A cluster of 3 primaries with a replica each, via tasks/servers.ts's startCluster(). */
async function startClusterDeployment(): Promise<Deployment> {
  const { startCluster } = await import("../servers.ts");
  const cluster = await startCluster(CLUSTER_SHAPE);
  const stop = () => cluster.stop();
  try {
    const ports = cluster.nodes.map((n) => n.port);
    const infos = await Promise.all(ports.map((p) => command(p, "INFO", "replication")));
    const primaries = ports.filter((_, i) => /^role:master\r?$/m.test(infos[i]));
    if (primaries.length !== CLUSTER_SHAPE.primaries) {
      throw new Error(`cluster has ${primaries.length} primaries, not ${CLUSTER_SHAPE.primaries}`);
    }
    return { mode: "cluster", ports, primaries, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** FLUSHALL on every primary (replicas follow through replication). */
export async function flushAll(d: Deployment): Promise<void> {
  await Promise.all(d.primaries.map((p) => command(p, "FLUSHALL")));
}

/** The number of keys over every primary. */
export async function dbSize(d: Deployment): Promise<number> {
  const sizes = await Promise.all(d.primaries.map((p) => command(p, "DBSIZE")));
  return sizes.reduce((sum, n) => sum + Number(n), 0);
}
