/**
 * One adapter per benchmarked client: set / get / pipelineSets / close over a common shape.
 * Every client library is imported dynamically, so a process loads only the one it measures and
 * a client that fails to load or connect is reported instead of failing the benchmark.
 */

export const CLIENT_IDS = [
  "async",
  "async-js",
  "sync",
  "ioredis",
  "node-redis",
  "glide-node",
] as const;
export type ClientId = typeof CLIENT_IDS[number];

/** Display names; the peers' versions are appended from deno.lock by the report. */
export const CLIENT_NAMES: Record<ClientId, string> = {
  "async": "glide-deno async",
  "async-js": "glide-deno async (GLIDE_DENO_IO=js)",
  "sync": "glide-deno sync",
  "ioredis": "ioredis",
  "node-redis": "node-redis",
  "glide-node": "GLIDE Node",
};

/** npm package of each peer (for its version). */
export const CLIENT_PACKAGES: Partial<Record<ClientId, string>> = {
  "ioredis": "ioredis",
  "node-redis": "redis",
  "glide-node": "@valkey/valkey-glide",
};

export interface AsyncAdapter {
  sync: false;
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  /** Sends `keys.length` SETs as one pipeline (or as concurrent sends, see `pipelineMode`). */
  pipelineSets(keys: string[], value: string): Promise<void>;
  pipelineMode: string;
  close(): Promise<void> | void;
}

export interface SyncAdapter {
  sync: true;
  set(key: string, value: string): unknown;
  get(key: string): unknown;
  /** null while the sync client has no Batch API. */
  pipelineSets: ((keys: string[], value: string) => void) | null;
  pipelineMode: string;
  close(): void;
}

/** Optional for any adapter: the same client with GLIDE's compression on (zstd, defaults). */
interface Compressible {
  /** A second client of the same kind with compression on, and how to read stored sizes. */
  compressed?: () => Promise<Compressed>;
  /** The client with a server-assisted client-side cache, if it has one. */
  cached?: () => Promise<Cached>;
  /** A second client of the same kind reading from replicas (cluster mode), if it can. */
  replicas?: () => Promise<ReplicaReader>;
  /** The same, reading with AZ affinity (`readFrom: "AZAffinity"`) from zone `clientAz`. */
  azReplicas?: (clientAz: string) => Promise<ReplicaReader>;
}

/** A client that sends its reads to replicas. */
export type ReplicaReader = {
  get(key: string): Promise<unknown>;
  close(): Promise<void> | void;
};

/**
 * The client with its client-side cache on (server-assisted, as each client offers it) for
 * GETs, and a second, plain client of the same kind for SETs: the other writer the cache must
 * hear about.
 */
export type Cached = {
  get(key: string): unknown;
  set(key: string, value: string): unknown;
  sync: boolean;
  close(): Promise<void> | void;
};

/** A client with compression on; `stored(key)` is the key's size on the server (STRLEN). */
export type Compressed = (AsyncAdapter | SyncAdapter) & { stored(key: string): Promise<number> };

export type Adapter = (AsyncAdapter | SyncAdapter) & Compressible;

/** Thrown when a client cannot be loaded or connected: the bench skips it. */
export class Unavailable extends Error {}

const HOST = "127.0.0.1";

/** Where a client connects: one standalone server, or a cluster's seed nodes. */
export interface Target {
  cluster: boolean;
  /** The standalone server's port, or every cluster node's port (all are given as seeds). */
  ports: number[];
}

/** Imports, creates and connects client `id` to `target` on 127.0.0.1. */
export async function openClient(id: ClientId, target: Target): Promise<Adapter> {
  const open = {
    "async": ourAsync,
    // The async client whose isolate owns its sockets (shared/js_io.ts).
    "async-js": (t: Target) => {
      Deno.env.set("GLIDE_DENO_IO", "js");
      return ourAsync(t);
    },
    "sync": ourSync,
    ioredis,
    "node-redis": nodeRedis,
    "glide-node": glideNode,
  }[id];
  try {
    return await open(target);
  } catch (e) {
    throw new Unavailable(e instanceof Error ? e.message.split("\n")[0] : String(e));
  }
}

function expectLength(replies: unknown[] | null, n: number, who: string): void {
  if (!replies || replies.length !== n) {
    throw new Error(`${who}: expected ${n} replies, got ${replies?.length}`);
  }
}

const seeds = (t: Target) => t.ports.map((port) => ({ host: HOST, port }));

async function ioredis(t: Target): Promise<Adapter> {
  const { Cluster, Redis } = await import("ioredis");
  const client = t.cluster
    ? new Cluster(seeds(t), { lazyConnect: true, clusterRetryStrategy: () => null })
    : new Redis({ host: HOST, port: t.ports[0], lazyConnect: true, retryStrategy: () => null });
  await client.connect();
  return {
    sync: false,
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    async pipelineSets(keys, value) {
      const pipeline = client.pipeline();
      for (const k of keys) pipeline.set(k, value);
      const replies = await pipeline.exec();
      expectLength(replies, keys.length, "ioredis");
      const failed = replies!.find(([err]) => err);
      if (failed) throw failed[0];
    },
    pipelineMode: "pipeline().exec()",
    close: async () => void await client.quit(),
    replicas: t.cluster
      ? async () => {
        const z = new Cluster(seeds(t), {
          lazyConnect: true,
          clusterRetryStrategy: () => null,
          scaleReads: "slave",
        });
        await z.connect();
        return { get: (k: string) => z.get(k), close: async () => void await z.quit() };
      }
      : undefined,
  };
}

async function nodeRedis(t: Target): Promise<Adapter> {
  const { createClient, createCluster } = await import("redis");
  const client = t.cluster
    ? createCluster({
      rootNodes: t.ports.map((port) => ({ url: `redis://${HOST}:${port}` })),
      defaults: { socket: { reconnectStrategy: false } },
    })
    : createClient({ socket: { host: HOST, port: t.ports[0], reconnectStrategy: false } });
  client.on("error", () => {}); // connect() rejects on its own; avoid unhandled "error" events
  await client.connect();
  return {
    sync: false,
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    async pipelineSets(keys, value) {
      const multi = client.multi();
      for (const k of keys) multi.set(k, value);
      expectLength(await multi.execAsPipeline(), keys.length, "node-redis");
    },
    pipelineMode: "multi().execAsPipeline()",
    close: () => client.close(),
    replicas: t.cluster
      ? async () => {
        const z = createCluster({
          rootNodes: t.ports.map((port) => ({ url: `redis://${HOST}:${port}` })),
          defaults: { socket: { reconnectStrategy: false } },
          useReplicas: true,
        });
        z.on("error", () => {});
        await z.connect();
        return { get: (k: string) => z.get(k), close: () => z.close() };
      }
      : undefined,
    cached: t.cluster ? undefined : async () => {
      const z = createClient({
        RESP: 3,
        clientSideCache: { ttl: 0, maxEntries: 0, evictPolicy: "LRU" },
        socket: { host: HOST, port: t.ports[0], reconnectStrategy: false },
      });
      z.on("error", () => {});
      await z.connect();
      return {
        sync: false,
        get: (k: string) => z.get(k),
        set: (k: string, v: string) => client.set(k, v),
        close: () => z.close(),
      };
    },
  };
}

/** The client-side caches' size (KiB): room for every hot key of workload e. */
const CACHE_KB = 4096;

/** GLIDE's compression with its defaults (zstd level 3, values of 64 bytes or more). */
const COMPRESSED = { compression: { enabled: true } };

/** An async client with compression on, measured by `pairs` only. */
function compressedAsync(
  z: {
    set(k: string, v: string): Promise<unknown>;
    get(k: string): Promise<unknown>;
    close(): void;
  },
  stored: (key: string) => Promise<number>,
): Compressed {
  return {
    sync: false,
    set: (k, v) => z.set(k, v),
    get: (k) => z.get(k),
    pipelineSets: () => Promise.reject(new Error("not measured")),
    pipelineMode: "",
    close: () => z.close(),
    stored,
  };
}

async function glideNode(t: Target): Promise<Adapter> {
  const { Batch, ClusterBatch, GlideClient, GlideClusterClient } = await import(
    "@valkey/valkey-glide"
  );
  const addresses = seeds(t);
  const Client = t.cluster ? GlideClusterClient : GlideClient;
  const client = await Client.createClient({ addresses });
  const BatchClass = t.cluster ? ClusterBatch : Batch;
  return {
    sync: false,
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    async pipelineSets(keys, value) {
      const batch = new BatchClass(false);
      for (const k of keys) batch.set(k, value);
      // deno-lint-ignore no-explicit-any
      expectLength(await client.exec(batch as any, true), keys.length, "GLIDE Node");
    },
    pipelineMode: `exec(new ${BatchClass.name}(false))`,
    close: () => client.close(),
    replicas: t.cluster
      ? async () => {
        const z = await Client.createClient({ addresses, readFrom: "preferReplica" });
        return { get: (k: string) => z.get(k), close: () => z.close() };
      }
      : undefined,
    azReplicas: t.cluster
      ? async (clientAz) => {
        const z = await Client.createClient({ addresses, readFrom: "AZAffinity", clientAz });
        return { get: (k: string) => z.get(k), close: () => z.close() };
      }
      : undefined,
    compressed: async () =>
      compressedAsync(
        await Client.createClient({ addresses, ...COMPRESSED }),
        async (k) => Number(await client.strlen(k)),
      ),
    async cached() {
      const { ClientSideCache } = await import("@valkey/valkey-glide");
      const z = await Client.createClient({
        addresses,
        clientSideCache: ClientSideCache.create(CACHE_KB, 0, { serverAssisted: true }),
      });
      return {
        sync: false,
        get: (k: string) => z.get(k),
        set: (k: string, v: string) => client.set(k, v),
        close: () => z.close(),
      };
    },
  };
}

// Our clients are typed structurally and imported by a computed URL, so that the bench checks
// and runs while their modules are still being written.

interface OurBatch {
  set(key: string, value: string): unknown;
}

interface OurModule<Client> {
  GlideClient: { createClient(config: unknown): Client };
  GlideClusterClient?: { createClient(config: unknown): Client };
  Batch?: new (isAtomic: boolean) => OurBatch;
  ClusterBatch?: new (isAtomic: boolean) => OurBatch;
  ClientSideCache: {
    create(maxCacheKb: number, entryTtlMs: number, options: { serverAssisted: boolean }): unknown;
  };
  OpenTelemetry?: { init(config: unknown): void };
}

interface OurAsyncClient {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  strlen(key: string): Promise<number>;
  exec?(batch: OurBatch, raiseOnError: boolean): Promise<unknown[] | null>;
  close(): void;
}

interface OurSyncClient {
  set(key: string, value: string): unknown;
  get(key: string): unknown;
  strlen(key: string): number;
  exec?(batch: OurBatch, raiseOnError: boolean): unknown[] | null;
  close(): void;
}

/** Our module `file`, its client class and batch class for `t`'s mode. */
async function ourModule<Client>(file: string, t: Target) {
  const mod: OurModule<Client> = await import(new URL(`../../${file}`, import.meta.url).href);
  // GLIDE_BENCH_OTEL=<percentage>: spans for that share of our commands, exported to a file
  // (what tracing costs the client; the file is made under the system's temp directory).
  const otel = Deno.env.get("GLIDE_BENCH_OTEL");
  if (otel !== undefined && mod.OpenTelemetry) {
    const dir = await Deno.makeTempDir({ prefix: "glide-bench-otel-" });
    mod.OpenTelemetry.init({
      traces: { endpoint: `file://${dir}/spans.json`, samplePercentage: Number(otel) },
    });
  }
  const Client = t.cluster ? mod.GlideClusterClient : mod.GlideClient;
  if (!Client) throw new Error(`${file} has no GlideClusterClient`);
  const Batch = t.cluster ? mod.ClusterBatch : mod.Batch;
  const config = { addresses: seeds(t) };
  const cache = () => mod.ClientSideCache.create(CACHE_KB, 0, { serverAssisted: true });
  return {
    create: (extra: Record<string, unknown> = {}) => Client.createClient({ ...config, ...extra }),
    Batch,
    batchName: Batch?.name ?? "",
    cached: () => Client.createClient({ ...config, clientSideCache: cache() }),
  };
}

async function ourAsync(t: Target): Promise<Adapter> {
  const { create, Batch, batchName, cached } = await ourModule<Promise<OurAsyncClient>>(
    "async.ts",
    t,
  );
  const client = await create();
  const exec = client.exec?.bind(client);
  return {
    sync: false,
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    pipelineSets: Batch && exec
      ? async (keys, value) => {
        const batch = new Batch(false);
        for (const k of keys) batch.set(k, value);
        expectLength(await exec(batch, true), keys.length, "glide-deno async");
      }
      : async (keys, value) => void await Promise.all(keys.map((k) => client.set(k, value))),
    pipelineMode: Batch && exec
      ? `exec(new ${batchName}(false))`
      : "concurrent set() + Promise.all",
    close: () => client.close(),
    replicas: t.cluster
      ? async () => {
        const z = await create({ readFrom: "preferReplica" });
        return { get: (k: string) => z.get(k), close: () => z.close() };
      }
      : undefined,
    azReplicas: t.cluster
      ? async (clientAz) => {
        const z = await create({ readFrom: "AZAffinity", clientAz });
        return { get: (k: string) => z.get(k), close: () => z.close() };
      }
      : undefined,
    compressed: async () => compressedAsync(await create(COMPRESSED), (k) => client.strlen(k)),
    async cached() {
      const z = await cached();
      return {
        sync: false,
        get: (k: string) => z.get(k),
        set: (k: string, v: string) => client.set(k, v),
        close: () => z.close(),
      };
    },
  };
}

async function ourSync(t: Target): Promise<Adapter> {
  const { create, Batch, batchName, cached } = await ourModule<OurSyncClient>("sync.ts", t);
  const client = create();
  const exec = client.exec?.bind(client);
  return {
    sync: true,
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    pipelineSets: Batch && exec
      ? (keys, value) => {
        const batch = new Batch(false);
        for (const k of keys) batch.set(k, value);
        expectLength(exec(batch, true), keys.length, "glide-deno sync");
      }
      : null,
    pipelineMode: Batch && exec ? `exec(new ${batchName}(false))` : "no Batch API yet",
    close: () => client.close(),
    cached() {
      const z = cached();
      return Promise.resolve({
        sync: true,
        get: (k: string) => z.get(k),
        set: (k: string, v: string) => client.set(k, v),
        close: () => z.close(),
      });
    },
    compressed() {
      const z = create(COMPRESSED);
      return Promise.resolve({
        sync: true,
        set: (k: string, v: string) => z.set(k, v),
        get: (k: string) => z.get(k),
        pipelineSets: null,
        pipelineMode: "",
        close: () => z.close(),
        stored: (k: string) => Promise.resolve(client.strlen(k)),
      });
    },
  };
}
