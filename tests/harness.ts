/**
 * Test harness: finds the servers `deno task test` started (or the user's, via env), and runs
 * one table of test cases against every client kind: async and sync, RESP3 and RESP2. Test
 * bodies `await` every call, which for the sync client simply yields its value.
 */

import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import assert from "node:assert/strict";
import {
  ConfigurationError,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  ProtocolVersion,
  RequestError,
} from "../mod.ts";
import { withServerTls } from "./server_tls.ts";

/** Either standalone client; test bodies await every call. */
export type AnyClient = AsyncClient | SyncClient;

/** host:port of the standalone server under test. */
export function standaloneAddress(): { host: string; port: number } {
  const raw = Deno.env.get("GLIDE_TEST_STANDALONE");
  if (!raw) {
    throw new Error("GLIDE_TEST_STANDALONE is not set: run the tests with `deno task test`");
  }
  const i = raw.lastIndexOf(":");
  return { host: raw.slice(0, i), port: Number(raw.slice(i + 1)) };
}

/** A client kind the table runs against. */
export interface Variant {
  name: string;
  sync: boolean;
  protocol: ProtocolVersion;
}

export const VARIANTS: Variant[] = [
  { name: "async RESP3", sync: false, protocol: ProtocolVersion.RESP3 },
  { name: "async RESP2", sync: false, protocol: ProtocolVersion.RESP2 },
  { name: "sync RESP3", sync: true, protocol: ProtocolVersion.RESP3 },
  { name: "sync RESP2", sync: true, protocol: ProtocolVersion.RESP2 },
];

/** Creates a client of a variant against the test server. */
export async function makeClient(
  v: Variant,
  extra: Partial<GlideClientConfiguration> = {},
): Promise<AnyClient> {
  const config: GlideClientConfiguration = {
    addresses: [standaloneAddress()],
    protocol: v.protocol,
    requestTimeout: 2000,
    ...extra,
  };
  // Servers a test starts itself (given in `extra`) are plain.
  const ready = extra.addresses ? config : withServerTls(config);
  return v.sync ? SyncClient.createClient(ready) : await AsyncClient.createClient(ready);
}

/** Closes a client and waits until the core holds no pending operation for it. */
export async function dispose(c: AnyClient): Promise<void> {
  if (c instanceof AsyncClient) await c[Symbol.asyncDispose]();
  else c.close();
}

let keyCounter = 0;

/** A key no other test uses. */
export function key(label = "k"): string {
  return `test:${label}:${Date.now().toString(36)}:${keyCounter++}`;
}

/**
 * Registers `fn` once per variant (filtered by `only`), each with a fresh client that is closed
 * afterwards.
 */
export function eachClient(
  name: string,
  fn: (c: AnyClient, v: Variant) => Promise<void>,
  only?: (v: Variant) => boolean,
): void {
  for (const v of VARIANTS) {
    if (only && !only(v)) continue;
    Deno.test(`${name} [${v.name}]`, async () => {
      const c = await makeClient(v);
      try {
        await fn(c, v);
      } finally {
        await dispose(c);
      }
    });
  }
}

/** Either cluster client; test bodies await every call. */
export type AnyClusterClient = AsyncClusterClient | SyncClusterClient;

/** Seed addresses of the cluster under test. */
export function clusterAddresses(): { host: string; port: number }[] {
  const raw = Deno.env.get("GLIDE_TEST_CLUSTER");
  if (!raw) throw new Error("GLIDE_TEST_CLUSTER is not set: run the tests with `deno task test`");
  return raw.split(",").map((hp) => {
    const i = hp.lastIndexOf(":");
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });
}

/** Creates a cluster client of a variant. */
export async function makeClusterClient(
  v: Variant,
  extra: Partial<GlideClusterClientConfiguration> = {},
): Promise<AnyClusterClient> {
  const config: GlideClusterClientConfiguration = {
    addresses: clusterAddresses(),
    protocol: v.protocol,
    requestTimeout: 2000,
    ...extra,
  };
  const ready = extra.addresses ? config : withServerTls(config);
  return v.sync
    ? SyncClusterClient.createClient(ready)
    : await AsyncClusterClient.createClient(ready);
}

/** Closes a cluster client and waits until the core holds no pending operation for it. */
export async function disposeCluster(c: AnyClusterClient): Promise<void> {
  if (c instanceof AsyncClusterClient) await c[Symbol.asyncDispose]();
  else c.close();
}

/** Like {@link eachClient}, for the cluster clients. */
export function eachClusterClient(
  name: string,
  fn: (c: AnyClusterClient, v: Variant) => Promise<void>,
  only?: (v: Variant) => boolean,
): void {
  for (const v of VARIANTS) {
    if (only && !only(v)) continue;
    Deno.test(`cluster: ${name} [${v.name}]`, async () => {
      const c = await makeClusterClient(v);
      try {
        await fn(c, v);
      } finally {
        await disposeCluster(c);
      }
    });
  }
}

/** Any client: the methods every client shares (`BaseCommands`) are tested through this. */
export type AnyBaseClient = AnyClient | AnyClusterClient;

/**
 * Registers `fn` once per variant on the standalone client and once per variant on the
 * cluster client (8 runs): the table of cases for a method every client has. Keys used
 * together by one multi-key command must share a slot on the cluster: take them from
 * {@link keys}.
 */
export function eachBase(
  name: string,
  fn: (c: AnyBaseClient, v: Variant & { cluster: boolean }) => Promise<void>,
  only?: (v: Variant & { cluster: boolean }) => boolean,
): void {
  eachClient(
    name,
    (c, v) => fn(c, { ...v, cluster: false }),
    (v) => !only || only({ ...v, cluster: false }),
  );
  eachClusterClient(
    name,
    (c, v) => fn(c, { ...v, cluster: true }),
    (v) => !only || only({ ...v, cluster: true }),
  );
}

/** `n` fresh keys in one hash slot (a shared `{tag}`), for multi-key commands on the cluster. */
export function keys(n: number, label = "k"): string[] {
  const tag = `{${label}:${Date.now().toString(36)}:${keyCounter++}}`;
  return Array.from({ length: n }, (_, i) => `${tag}:${i}`);
}

/** The server's version as [major, minor, patch], for cases that need a newer server. */
export async function serverVersion(c: AnyBaseClient): Promise<[number, number, number]> {
  const info = await (c as AnyClient).customCommand(["INFO", "server"]);
  const text = typeof info === "string"
    ? info
    : Object.values(info as unknown as Record<string, string>)[0] ?? "";
  // Valkey also reports a redis_version (the Redis release it is compatible with): prefer its own.
  const m = /valkey_version:(\d+)\.(\d+)\.(\d+)/.exec(String(text)) ??
    /redis_version:(\d+)\.(\d+)\.(\d+)/.exec(String(text));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/**
 * The call was sent and the server refused it (`RequestError`), not refused by the client before
 * sending (`ConfigurationError`), as GLIDE sends what the server judges.
 */
export async function serverRefuses(call: () => unknown): Promise<void> {
  await assert.rejects(
    async () => await call(),
    (e) => e instanceof RequestError && !(e instanceof ConfigurationError),
  );
}

/** How many databases a cluster's nodes have (`cluster-databases`, Valkey 9; else 1). */
export async function clusterDatabases(c: AnyClusterClient): Promise<number> {
  try {
    const got = await c.configGet(["cluster-databases"], { route: "randomNode" });
    const n = Number((got as Record<string, string>)["cluster-databases"]);
    return Number.isInteger(n) && n > 0 ? n : 1;
  } catch {
    return 1;
  }
}

/**
 * BGSAVE CANCEL is known to the server (8.1+): it cancels, or (Valkey 9, nothing to cancel)
 * says no background save is in progress or scheduled.
 */
export async function bgsaveCancelKnown(cancel: () => unknown): Promise<void> {
  try {
    assert.equal(typeof await cancel(), "string");
  } catch (e) {
    assert.ok(e instanceof RequestError, String(e));
    assert.match(e.message, /not in progress or scheduled/);
  }
}
