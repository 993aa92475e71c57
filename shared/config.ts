/**
 * Client configuration, as in GLIDE's TypeScript client, validated before any I/O and encoded
 * once into the `ConnectionRequest` protobuf the core decodes (proto/connection.proto).
 * @module
 */

import { encodeConnectionRequest } from "./connection_request.ts";
import { ConfigurationError } from "./errors.ts";
import { CircuitBreaker, type ClientCircuitBreakerConfiguration } from "./circuit_breaker.ts";
import { type CompressionConfiguration, compressionSettings } from "./compression.ts";
import type { CompressionSettings } from "./compression.ts";
import { type CacheStore, cacheStore, type ClientSideCache } from "./client_side_cache.ts";
import { Decoder } from "./values.ts";
import { checkIamConfig, IamAuth, type IamAuthConfig } from "./iam.ts";
import type { SpanTarget } from "./opentelemetry.ts";
import type {
  ClusterPubSubChannelModes,
  PubSubChannelModes,
  PubSubSubscriptions,
} from "./pubsub.ts";

/**
 * The RESP protocol version spoken to the server.
 *
 * @example
 * ```ts
 * import { ProtocolVersion } from "@glide-deno/glide";
 * const config = { addresses: [{ host: "127.0.0.1" }], protocol: ProtocolVersion.RESP2 };
 * ```
 */
export enum ProtocolVersion {
  /** RESP3 (the default): maps, sets, doubles, booleans, big numbers, pushes. */
  RESP3 = 0,
  /** RESP2: the older protocol, for servers or proxies that lack RESP3. */
  RESP2 = 1,
}

/**
 * Which nodes serve reads.
 *
 * @example
 * ```ts
 * import type { ReadFrom } from "@glide-deno/glide";
 * const r: ReadFrom = "preferReplica";
 * ```
 */
export type ReadFrom =
  | "primary"
  | "preferReplica"
  | "AZAffinity"
  | "AZAffinityReplicasAndPrimary"
  | "allNodes";

/**
 * How a standalone client learns which of its `addresses` is the primary (GLIDE's values).
 *
 * - `Standard`: asks each address for its role (`INFO REPLICATION`) and uses only the given
 *   addresses; the primary takes writes, the others serve reads per `readFrom`.
 * - `Static`: trusts the addresses as given: the first is the primary, the others replicas
 *   (for a proxy, or a fixed topology).
 * - `DiscoverAll`: as `Standard`, then also connects to the replicas the primary lists (and to
 *   the primary a replica names): give any one node.
 *
 * @example
 * ```ts
 * import { GlideClient, NodeDiscoveryMode } from "@glide-deno/glide";
 * const client = await GlideClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 *   readFrom: "preferReplica",
 *   nodeDiscoveryMode: NodeDiscoveryMode.DiscoverAll,
 * });
 * client.close();
 * ```
 */
export enum NodeDiscoveryMode {
  /** Ask each given address for its role; use only the given addresses. */
  Standard = 0,
  /** Trust the addresses: the first is the primary. */
  Static = 1,
  /** Also connect to the replicas (or primary) the nodes name. */
  DiscoverAll = 2,
}

/**
 * A server address. The port defaults to 6379.
 *
 * @example
 * ```ts
 * import type { NodeAddress } from "@glide-deno/glide";
 * const a: NodeAddress = { host: "127.0.0.1", port: 6379 };
 * ```
 */
export interface NodeAddress {
  /** Host name or IP address. */
  host: string;
  /** TCP port (default 6379). */
  port?: number;
}

/**
 * GLIDE's `addressResolver`: the `[host, port]` to dial for an address a client was given or a
 * cluster announced (see {@link BaseClientConfiguration.addressResolver}). An async client's
 * may return a Promise.
 *
 * @example
 * ```ts
 * import type { AddressResolver } from "@glide-deno/glide";
 * const viaTunnel: AddressResolver = (host, port) => ["127.0.0.1", port + 10000];
 * ```
 */
export type AddressResolver = (
  host: string,
  port: number,
) => [string, number] | Promise<[string, number]>;

/**
 * Credentials for AUTH: a password, with an ACL username or the `default` user; or, for
 * ElastiCache / MemoryDB, a username and `iamConfig` (the client signs its own short-lived
 * tokens with the environment's AWS credentials and refreshes them, see {@link IamAuthConfig}).
 *
 * @example
 * ```ts
 * import { type ServerCredentials, ServiceType } from "@glide-deno/glide";
 * const c: ServerCredentials = { username: "app", password: "secret" };
 * const iam: ServerCredentials = {
 *   username: "app",
 *   iamConfig: { clusterName: "my-cluster", service: ServiceType.Elasticache, region: "us-east-1" },
 * };
 * ```
 */
export type ServerCredentials = {
  /** ACL user name; the `default` user when absent. */
  username?: string;
  /** The password. It is never kept in JS after the client is created. */
  password: string;
} | {
  /** ACL user name (required: AUTH <username> <token>). */
  username: string;
  /** IAM authentication (instead of a password). */
  iamConfig: IamAuthConfig;
};

/**
 * Reconnect backoff: the delay before attempt `n` is `factor * exponentBase ^ n` ms (with
 * `jitterPercent` of jitter), growing for `numberOfRetries` attempts and then staying there.
 *
 * @example
 * ```ts
 * import type { ConnectionBackoffStrategy } from "@glide-deno/glide";
 * const b: ConnectionBackoffStrategy = { numberOfRetries: 5, factor: 100, exponentBase: 2 };
 * ```
 */
export interface ConnectionBackoffStrategy {
  /** Attempts over which the delay grows. */
  numberOfRetries: number;
  /** Base delay in milliseconds. */
  factor: number;
  /** Growth factor per attempt. */
  exponentBase: number;
  /** Random jitter, as a percentage of the delay (default 20). */
  jitterPercent?: number;
}

/**
 * TLS settings beyond `useTLS`.
 *
 * @example
 * ```ts
 * import type { TlsAdvancedConfiguration } from "@glide-deno/glide";
 * const t: TlsAdvancedConfiguration = { insecure: true };
 * ```
 */
export interface TlsAdvancedConfiguration {
  /** Accept any server certificate (development only). */
  insecure?: boolean;
  /** PEM CA certificates the server certificate must chain to, instead of the system roots. */
  rootCertificates?: string | Uint8Array;
  /** PEM client certificate chain, for mutual TLS. */
  clientCertificate?: string | Uint8Array;
  /** PEM client private key, for mutual TLS. */
  clientKey?: string | Uint8Array;
}

/**
 * Settings most applications leave at their defaults.
 *
 * @example
 * ```ts
 * import type { AdvancedBaseClientConfiguration } from "@glide-deno/glide";
 * const a: AdvancedBaseClientConfiguration = { connectionTimeout: 500 };
 * ```
 */
export interface AdvancedBaseClientConfiguration {
  /** Milliseconds allowed to establish a connection (default 2000). */
  connectionTimeout?: number;
  /** TLS options. */
  tlsAdvancedConfiguration?: TlsAdvancedConfiguration;
  /**
   * TCP_NODELAY on every connection (default true): commands leave at once. `false` lets the
   * kernel hold small writes back (Nagle's algorithm): fewer packets, up to 40 ms more latency.
   */
  tcpNoDelay?: boolean;
  /**
   * How often (ms) a subscribing client compares the subscriptions it asked for with those the
   * server confirmed, and subscribes again to what was lost (GLIDE's reconciliation); default
   * 3000. `getStatistics()` reports its rounds.
   */
  pubsubReconciliationIntervalMs?: number;
}

/**
 * Configuration shared by the standalone and cluster clients.
 *
 * @example
 * ```ts
 * import type { BaseClientConfiguration } from "@glide-deno/glide";
 * const c: BaseClientConfiguration = { addresses: [{ host: "127.0.0.1", port: 6379 }] };
 * ```
 */
export interface BaseClientConfiguration {
  /** Seed addresses: the server (standalone) or any cluster nodes. */
  addresses: NodeAddress[];
  /** Connect with TLS. */
  useTLS?: boolean;
  /** AUTH credentials. */
  credentials?: ServerCredentials;
  /**
   * The logical database to SELECT on every connection (default 0). A cluster client needs
   * Valkey 9 or later with `cluster-databases` above it; older servers refuse the connection.
   */
  databaseId?: number;
  /** Milliseconds a request may take, from send to reply (default 250). */
  requestTimeout?: number;
  /** RESP version (default RESP3). */
  protocol?: ProtocolVersion;
  /** CLIENT SETNAME on every connection. */
  clientName?: string;
  /**
   * The library name every connection reports with `CLIENT SETINFO LIB-NAME` (Valkey 7.2+,
   * shown by `CLIENT INFO` / `CLIENT LIST`) instead of `glide-deno`; empty means the default.
   * Printable ASCII `!`..`~` without `(` and `)`, as the server requires.
   */
  libName?: string;
  /**
   * A tag appended to the library name in parentheses: `glide-deno(my-app:1.2)`. Same characters
   * as `libName`; empty means none.
   */
  clientInfoTag?: string;
  /** How string replies are decoded unless a call says otherwise (default String). */
  defaultDecoder?: Decoder;
  /**
   * Requests allowed in flight at once; more are rejected at once (default 1000, at most
   * 1,048,576).
   */
  inflightRequestsLimit?: number;
  /** The client's availability zone, for AZ-affinity reads. */
  clientAz?: string;
  /** Which nodes serve reads (default `primary`). */
  readFrom?: ReadFrom;
  /** Connect on the first command instead of at creation. */
  lazyConnect?: boolean;
  /** Reconnect backoff. */
  connectionBackoff?: ConnectionBackoffStrategy;
  /** Advanced settings. */
  advancedConfiguration?: AdvancedBaseClientConfiguration;
  /**
   * The client-wide circuit breaker: when set, a sustained rate of connection failures makes
   * the client reject requests at once with `CircuitBreakerError` for a while (see
   * {@link ClientCircuitBreakerConfiguration}). Off when not set.
   */
  clientCircuitBreaker?: ClientCircuitBreakerConfiguration;
  /**
   * Maps an address before the client dials it: every seed address and every node a cluster's
   * topology names (a cluster announcing addresses this host cannot reach: a NAT, a tunnel, a
   * container network). Called on every connection attempt with the address as given or
   * announced; returns the `[host, port]` to connect to. A resolver that throws, answers
   * something that is not a host and a port, or does not answer within `connectionTimeout`,
   * leaves the address as it was (the last answer for it, if any). With TLS, the server's
   * certificate is still checked against the address as given (except for a standalone
   * client's pub/sub connection, which checks the resolved one).
   *
   * The async client also takes a resolver that returns a Promise (`Deno.resolveDns`, say);
   * the sync client calls it on the calling thread while one of its calls waits, so it must
   * answer synchronously and must not use the client.
   *
   * @example
   * ```ts
   * const config: GlideClusterClientConfiguration = {
   *   addresses: [{ host: "redis.example", port: 6379 }],
   *   addressResolver: (host, port) => host.startsWith("10.") ? ["127.0.0.1", port + 10000] : [host, port],
   * };
   * ```
   */
  addressResolver?: AddressResolver;
  /**
   * Transparent compression of string values, in GLIDE's stored format (see
   * {@link CompressionConfiguration}): `{ enabled: true }` compresses with zstd values of 64
   * bytes or more. Off when not set.
   */
  compression?: CompressionConfiguration;
  /**
   * A client-side cache for GET, HGETALL and SMEMBERS (see {@link ClientSideCache}); clients
   * given the same one share it. Off when not set.
   */
  clientSideCache?: ClientSideCache;
}

/**
 * Configuration of the standalone `GlideClient`.
 *
 * @example
 * ```ts
 * import type { GlideClientConfiguration } from "@glide-deno/glide";
 * const c: GlideClientConfiguration = { addresses: [{ host: "127.0.0.1" }], databaseId: 1 };
 * ```
 */
export interface GlideClientConfiguration extends BaseClientConfiguration {
  /**
   * Channels and patterns to subscribe to when the client connects, and how their messages
   * are delivered (a callback, or `getPubSubMessage` / `messages()`). Needs RESP3.
   */
  pubsubSubscriptions?: PubSubSubscriptions<PubSubChannelModes>;
  /**
   * Read-only mode: no primary is needed; every address serves reads (`readFrom` defaults to
   * `"preferReplica"`), and write commands are refused with a `RequestError` before they are
   * sent. Not with the AZ-affinity `readFrom` modes nor `NodeDiscoveryMode.DiscoverAll`.
   * Default false.
   */
  readOnly?: boolean;
  /**
   * How the client learns which address is the primary ({@link NodeDiscoveryMode}); default
   * `NodeDiscoveryMode.Standard`.
   */
  nodeDiscoveryMode?: NodeDiscoveryMode;
}

/**
 * Periodic topology checks of the cluster client: the default interval (60 s), none, or a
 * given interval.
 *
 * @example
 * ```ts
 * import type { PeriodicChecks } from "@glide-deno/glide";
 * const p: PeriodicChecks = { duration_in_sec: 30 };
 * ```
 */
export type PeriodicChecks = "enabledDefaultConfigs" | "disabled" | { duration_in_sec: number };

/**
 * Advanced settings of the cluster client.
 *
 * @example
 * ```ts
 * import type { AdvancedGlideClusterClientConfiguration } from "@glide-deno/glide";
 * const a: AdvancedGlideClusterClientConfiguration = { refreshTopologyFromInitialNodes: true };
 * ```
 */
export interface AdvancedGlideClusterClientConfiguration extends AdvancedBaseClientConfiguration {
  /**
   * Topology checks ask the seed `addresses` (resolved again each time, so a DNS name that
   * follows the cluster keeps working) instead of a node the client learnt, and also run at once
   * after a request fails with a connection error or a timeout. When the slot map changed, the
   * connection is rebuilt from the seeds. Default false.
   */
  refreshTopologyFromInitialNodes?: boolean;
}

/**
 * Configuration of `GlideClusterClient`.
 *
 * @example
 * ```ts
 * import type { GlideClusterClientConfiguration } from "@glide-deno/glide";
 * const c: GlideClusterClientConfiguration = {
 *   addresses: [{ host: "127.0.0.1", port: 7000 }],
 *   readFrom: "preferReplica",
 * };
 * ```
 */
export interface GlideClusterClientConfiguration extends BaseClientConfiguration {
  /** Periodic topology checks (default every 60 s). */
  periodicChecks?: PeriodicChecks;
  /** Advanced settings. */
  advancedConfiguration?: AdvancedGlideClusterClientConfiguration;
  /**
   * Channels, patterns and sharded channels to subscribe to when the client connects, and how
   * their messages are delivered. Needs RESP3.
   */
  pubsubSubscriptions?: PubSubSubscriptions<ClusterPubSubChannelModes>;
}

function periodicMs(p: PeriodicChecks | undefined): number | undefined {
  if (p === undefined || p === "enabledDefaultConfigs") return undefined;
  if (p === "disabled") return 0;
  if (typeof p === "object" && p !== null) {
    const s = checkUint("periodicChecks.duration_in_sec", p.duration_in_sec, 1, 86_400);
    if (s !== undefined) return s * 1000;
  }
  return fail(`periodicChecks must be "enabledDefaultConfigs", "disabled" or { duration_in_sec }`);
}

/**
 * A client as its engine's `open` sees it: it can close, and make the subscriptions its
 * configuration lists (a protected method of the client classes). @internal
 */
export interface Subscribing<R> {
  close(): void;
  subscribeFromConfig(subs: PubSubSubscriptions<number>, timeoutMs: number): R;
}

/** What the TS side keeps of a validated configuration. @internal */
export interface ClientSettings {
  decoder: Decoder;
  /** The first address and the database, for the spans' attributes (OpenTelemetry). */
  target: SpanTarget;
  /** IAM authentication, if the credentials have an `iamConfig` (it refreshes the token). */
  iam?: IamAuth;
  /** The `addressResolver`, if any (the connection registers it with the core). */
  resolver?: AddressResolver;
  inflightLimit: number;
  requestTimeout: number;
  connectionTimeout: number;
  /** The subscriptions to make once connected, validated. */
  subscriptions: PubSubSubscriptions<number> | undefined;
  /** The circuit breaker's settings, validated; each connection has its own breaker. */
  breaker: ClientCircuitBreakerConfiguration | undefined;
  /** Compression, validated; undefined when off. */
  compression: CompressionSettings | undefined;
  /** The client-side cache's entries (shared by the clients given the same cache). */
  cache: CacheStore | undefined;
  /** The server invalidates the cache's entries (`serverAssisted`). */
  cacheTracking: boolean;
  /** How a reply is handed to the caller, if not as decoded (node.ts: bytes as `Buffer`s). */
  convert?: (reply: unknown) => unknown;
}

/** Validates `pubsubSubscriptions` (RESP3 only; sharded only on the cluster client). */
function checkSubscriptions(
  subs: unknown,
  protocol: ProtocolVersion,
  clusterMode: boolean,
): PubSubSubscriptions<number> | undefined {
  if (subs === undefined) return undefined;
  if (typeof subs !== "object" || subs === null) fail("pubsubSubscriptions must be an object");
  const { channelsAndPatterns, callback } = subs as PubSubSubscriptions<number>;
  if (typeof channelsAndPatterns !== "object" || channelsAndPatterns === null) {
    fail("pubsubSubscriptions.channelsAndPatterns must be an object of mode to Set of names");
  }
  if (callback !== undefined && typeof callback !== "function") {
    fail("pubsubSubscriptions.callback must be a function");
  }
  const maxMode = clusterMode ? 2 : 1;
  let any = false;
  for (const [mode, names] of Object.entries(channelsAndPatterns)) {
    const m = Number(mode);
    if (!Number.isInteger(m) || m < 0 || m > maxMode) {
      fail(
        clusterMode
          ? `unknown pub/sub mode ${mode} (ClusterPubSubChannelModes: 0, 1, 2)`
          : `unknown pub/sub mode ${mode} (PubSubChannelModes: 0 exact, 1 pattern; sharded ` +
            "channels need the cluster client)",
      );
    }
    if (!(names instanceof Set)) fail(`pubsubSubscriptions mode ${mode} must be a Set of names`);
    for (const n of names) {
      if (typeof n !== "string" && !(n instanceof Uint8Array)) {
        fail("channel names must be strings or Uint8Arrays");
      }
    }
    if (names.size > 0) any = true;
  }
  if (any && protocol !== ProtocolVersion.RESP3) {
    fail("pub/sub subscriptions need RESP3 (protocol: ProtocolVersion.RESP3)");
  }
  return subs as PubSubSubscriptions<number>;
}

const READ_FROM: Record<ReadFrom, number> = {
  primary: 0,
  preferReplica: 1,
  AZAffinity: 2,
  AZAffinityReplicasAndPrimary: 3,
  allNodes: 4,
};

const MAX_U32 = 0xffff_ffff;

function fail(message: string): never {
  throw new ConfigurationError(message);
}

/**
 * The largest `inflightRequestsLimit`: a bound on the replies one client may await (each holds
 * a slot in its connection's queue, `native/src/connections/pipe.rs`, until answered or discarded).
 */
const MAX_INFLIGHT_REQUESTS = 1 << 20;

function checkUint(name: string, v: unknown, min = 0, max = MAX_U32 - 1): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    fail(`${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

function checkString(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") fail(`${name} must be a string`);
  return v;
}

function pem(name: string, v: unknown): Uint8Array | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return new TextEncoder().encode(v);
  if (v instanceof Uint8Array) return v;
  return fail(`${name} must be a PEM string or Uint8Array`);
}

/** The library name a client reports (`libName`, `clientInfoTag`), validated. */
function effectiveLibName(name: unknown, tag: unknown): string {
  const attr = (field: string, v: unknown): string => {
    if (v === undefined || v === "") return "";
    if (typeof v !== "string" || !/^[!-'*-~]+$/.test(v)) {
      fail(`${field} must be printable ASCII (! to ~) without "(" or ")", got ${String(v)}`);
    }
    return v;
  };
  const base = attr("libName", name) || "glide-deno";
  const t = attr("clientInfoTag", tag);
  return t ? `${base}(${t})` : base;
}

/**
 * Validates a configuration and encodes it for the core. Throws {@link ConfigurationError}
 * before any I/O. @internal
 */
export function encodeConfig(
  input: GlideClientConfiguration | GlideClusterClientConfiguration,
  clusterMode: boolean,
  monitor = false,
): { bytes: Uint8Array; settings: ClientSettings } {
  const config = input as
    & Omit<GlideClientConfiguration, "pubsubSubscriptions">
    & Omit<GlideClusterClientConfiguration, "pubsubSubscriptions">
    & { pubsubSubscriptions?: unknown };
  if (typeof config !== "object" || config === null) fail("configuration must be an object");
  const { addresses } = config;
  if (!Array.isArray(addresses) || addresses.length === 0) {
    fail("addresses must be a non-empty array of { host, port? }");
  }
  const nodes = addresses.map((a, i) => {
    if (typeof a !== "object" || a === null) fail(`addresses[${i}] must be an object`);
    if (typeof a.host !== "string" || a.host.length === 0) {
      fail(`addresses[${i}].host must be a non-empty string`);
    }
    if (a.host.includes("\0") || !a.host.isWellFormed()) {
      fail(`addresses[${i}].host must not contain NUL or lone surrogates`);
    }
    return { host: a.host, port: checkUint(`addresses[${i}].port`, a.port, 1, 65535) ?? 6379 };
  });
  const protocol = config.protocol ?? ProtocolVersion.RESP3;
  if (protocol !== ProtocolVersion.RESP3 && protocol !== ProtocolVersion.RESP2) {
    fail(`protocol must be ProtocolVersion.RESP3 or RESP2, got ${String(protocol)}`);
  }
  const decoder = config.defaultDecoder ?? Decoder.String;
  if (decoder !== Decoder.String && decoder !== Decoder.Bytes) {
    fail(`defaultDecoder must be Decoder.String or Decoder.Bytes, got ${String(decoder)}`);
  }
  const readOnly = clusterMode ? undefined : config.readOnly;
  if (readOnly !== undefined && typeof readOnly !== "boolean") fail("readOnly must be a boolean");
  const discovery = clusterMode ? undefined : config.nodeDiscoveryMode;
  if (discovery !== undefined && !(discovery in NodeDiscoveryMode)) {
    fail(`unknown nodeDiscoveryMode: ${String(discovery)}`);
  }
  const readFrom = config.readFrom ?? (readOnly ? "preferReplica" : "primary");
  if (!(readFrom in READ_FROM)) fail(`unknown readFrom: ${String(readFrom)}`);
  if (readFrom.startsWith("AZ") && !config.clientAz) fail(`readFrom ${readFrom} needs clientAz`);
  if (readOnly && readFrom.startsWith("AZ")) {
    fail("readOnly is not compatible with the AZAffinity readFrom modes");
  }
  if (readOnly && discovery === NodeDiscoveryMode.DiscoverAll) {
    fail("readOnly is not compatible with NodeDiscoveryMode.DiscoverAll");
  }
  const requestTimeout = checkUint("requestTimeout", config.requestTimeout, 1);
  const inflightLimit = checkUint(
    "inflightRequestsLimit",
    config.inflightRequestsLimit,
    1,
    MAX_INFLIGHT_REQUESTS,
  );
  const adv = config.advancedConfiguration ?? {};
  const connectionTimeout = checkUint("connectionTimeout", adv.connectionTimeout, 1);
  const given = config.credentials as
    | { username?: string; password?: string; iamConfig?: unknown }
    | undefined;
  let creds: { username?: string; password: string } | undefined;
  let iam: IamAuth | undefined;
  if (given !== undefined) {
    if (typeof given !== "object" || given === null) {
      fail("credentials must be { username?, password } or { username, iamConfig }");
    }
    checkString("credentials.username", given.username);
    if (given.iamConfig !== undefined) {
      if (given.password !== undefined) {
        fail("credentials: password and iamConfig are mutually exclusive");
      }
      iam = new IamAuth(checkIamConfig(given.iamConfig, given.username), given.username!);
      creds = { username: given.username, password: iam.token() };
    } else if (typeof given.password !== "string") {
      fail("credentials must be { username?, password } or { username, iamConfig }");
    } else {
      creds = { username: given.username, password: given.password };
    }
  }
  const backoff = config.connectionBackoff;
  if (backoff !== undefined && (typeof backoff !== "object" || backoff === null)) {
    fail("connectionBackoff must be an object");
  }
  const tls = adv.tlsAdvancedConfiguration;
  if (adv.tcpNoDelay !== undefined && typeof adv.tcpNoDelay !== "boolean") {
    fail("advancedConfiguration.tcpNoDelay must be a boolean");
  }
  const subscriptions = checkSubscriptions(config.pubsubSubscriptions, protocol, clusterMode);
  for (const flag of ["useTLS", "lazyConnect"] as const) {
    if (config[flag] !== undefined && typeof config[flag] !== "boolean") {
      fail(`${flag} must be a boolean`);
    }
  }
  if (tls !== undefined && config.useTLS !== true) {
    fail("tlsAdvancedConfiguration needs useTLS: true");
  }
  const libName = effectiveLibName(config.libName, config.clientInfoTag);
  const breaker = config.clientCircuitBreaker;
  if (breaker !== undefined) new CircuitBreaker(breaker); // validates it
  const resolver = config.addressResolver;
  if (resolver !== undefined && typeof resolver !== "function") {
    fail("addressResolver must be a function (host, port) => [host, port]");
  }
  const compression = compressionSettings(config.compression);
  const cache = cacheStore(config.clientSideCache);
  const cacheTracking = cache !== undefined && config.clientSideCache!.serverAssisted;
  if (cacheTracking && protocol !== ProtocolVersion.RESP3) {
    fail("clientSideCache with serverAssisted needs RESP3: invalidations are pushes");
  }
  const name = config.clientName;
  if (typeof name === "string" && (name.includes("\0") || !name.isWellFormed())) {
    fail("clientName must not contain NUL or lone surrogates");
  }

  const bytes = encodeConnectionRequest({
    addresses: nodes,
    clusterMode,
    databaseId: checkUint("databaseId", config.databaseId) ?? 0,
    clientName: checkString("clientName", config.clientName),
    protocol,
    requestTimeoutMs: requestTimeout,
    connectionTimeoutMs: connectionTimeout,
    credentials: creds && { username: creds.username, password: creds.password },
    connectionBackoff: backoff && {
      numberOfRetries: checkUint("connectionBackoff.numberOfRetries", backoff.numberOfRetries),
      factorMs: checkUint("connectionBackoff.factor", backoff.factor),
      exponentBase: checkUint("connectionBackoff.exponentBase", backoff.exponentBase, 1),
      jitterPercent: checkUint("connectionBackoff.jitterPercent", backoff.jitterPercent, 0, 100),
    },
    inflightRequestsLimit: inflightLimit ?? 0,
    lazyConnect: config.lazyConnect === true,
    useTls: config.useTLS === true,
    tls: tls && {
      insecure: tls.insecure === true,
      rootCertificates: tls.rootCertificates === undefined
        ? []
        : [pem("rootCertificates", tls.rootCertificates)!],
      clientCertificate: pem("clientCertificate", tls.clientCertificate),
      clientKey: pem("clientKey", tls.clientKey),
    },
    readFrom: READ_FROM[readFrom],
    clientAz: checkString("clientAz", config.clientAz),
    periodicChecksIntervalMs: clusterMode ? periodicMs(config.periodicChecks) : undefined,
    refreshTopologyFromInitialNodes: clusterMode &&
      config.advancedConfiguration?.refreshTopologyFromInitialNodes === true,
    monitor,
    libName,
    clientTracking: cacheTracking,
    tcpNodelay: adv.tcpNoDelay,
    pubsubReconciliationIntervalMs: checkUint(
      "advancedConfiguration.pubsubReconciliationIntervalMs",
      adv.pubsubReconciliationIntervalMs,
      1,
    ),
    readOnly: readOnly === true,
    nodeDiscoveryMode: (discovery ?? 0) as number,
  });
  return {
    bytes,
    settings: {
      decoder,
      resolver,
      iam,
      target: {
        host: nodes[0]?.host ?? "",
        port: nodes[0]?.port ?? 6379,
        database: config.databaseId ?? 0,
      },
      inflightLimit: inflightLimit ?? 1000,
      requestTimeout: requestTimeout ?? 250,
      connectionTimeout: connectionTimeout ?? 2000,
      subscriptions,
      breaker,
      compression,
      cache,
      cacheTracking,
    },
  };
}

/**
 * {@link encodeConfig}, with any error it meets (a configuration object whose properties throw
 * when read, say) reported as a `ConfigurationError`. @internal
 */
export function validated(
  input: GlideClientConfiguration | GlideClusterClientConfiguration,
  clusterMode: boolean,
  monitor = false,
): { bytes: Uint8Array; settings: ClientSettings } {
  try {
    return encodeConfig(input, clusterMode, monitor);
  } catch (e) {
    if (e instanceof ConfigurationError) throw e;
    throw new ConfigurationError(`invalid configuration: ${e instanceof Error ? e.message : e}`);
  }
}
