/**
 * The client half of the hostile-server tests, run in a child process (so that a crash of the
 * client is caught as the child's exit). Its one argument is a JSON {@link ChildPlan}; it prints
 * one JSON {@link ChildReport} line and exits 0, whatever the scenarios did.
 */

import {
  GlideClient as AsyncClient,
  GlideClusterClient as AsyncClusterClient,
} from "../../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../../sync.ts";
import { ClusterBatch, ProtocolVersion, TimeoutError, ValkeyError } from "../../mod.ts";
import type { Scenario } from "./hostile_server.ts";

/** What one child runs. */
export interface ChildPlan {
  sync: boolean;
  resp3: boolean;
  cluster: boolean;
  /** The misbehaving server, and servers silent / resetting on accept (with control ports). */
  port: number;
  silent: [number, number];
  rst: [number, number];
  scenarios: Scenario[];
  requestTimeout: number;
  connectionTimeout: number;
}

/** One scenario's outcome. */
export interface Outcome {
  scenario: string;
  /** How long the hostile call took. */
  ms: number;
  /** "value <json>" or the error's class name and message. */
  result: string;
  /** Why the scenario failed, if it did. */
  failure?: string;
  /** How long the client took to serve correct replies again. */
  recoveredMs?: number;
}

/** What the child prints. */
export interface ChildReport {
  outcomes: Outcome[];
  rssMb: number;
}

type Client = {
  get(key: string): unknown;
  close(): void;
};

const plan: ChildPlan = JSON.parse(Deno.args[0]);

async function connect(port: number, extra: Record<string, unknown> = {}): Promise<Client> {
  const config = {
    addresses: [{ host: "127.0.0.1", port }],
    protocol: plan.resp3 ? ProtocolVersion.RESP3 : ProtocolVersion.RESP2,
    requestTimeout: plan.requestTimeout,
    advancedConfiguration: { connectionTimeout: plan.connectionTimeout },
    ...extra,
  };
  if (plan.cluster) {
    return plan.sync
      ? SyncClusterClient.createClient(config)
      : await AsyncClusterClient.createClient(config);
  }
  return plan.sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

async function attempt(work: () => unknown): Promise<{ ms: number; v?: unknown; e?: unknown }> {
  const t = performance.now();
  try {
    const v = await work();
    return { ms: performance.now() - t, v };
  } catch (e) {
    return { ms: performance.now() - t, e };
  }
}

function show(r: { v?: unknown; e?: unknown }): string {
  if (r.e === undefined) return `value ${JSON.stringify(r.v)?.slice(0, 80)}`;
  const e = r.e as Error;
  return `${e?.constructor?.name}: ${String(e?.message).slice(0, 120)}`;
}

/** Gets correct replies again within 3 s; any reply that is not the caller's own fails. */
async function recover(c: Client, tag: string): Promise<{ ms?: number; failure?: string }> {
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 3000) {
    const key = `ok:${tag}:${n++}`;
    const r = await attempt(() => c.get(key));
    if (r.e === undefined) {
      if (r.v !== `v:${key}`) return { failure: `misattributed: ${key} got ${show(r)}` };
      // Two more in a row, each its own.
      for (let i = 0; i < 2; i++) {
        const k = `ok:${tag}:${n++}`;
        const again = await attempt(() => c.get(k));
        if (again.v !== `v:${k}`) return { failure: `after recovery ${k} got ${show(again)}` };
      }
      return { ms: performance.now() - t };
    }
    if (!(r.e instanceof ValkeyError)) return { failure: `untyped error ${show(r)}` };
    await new Promise((res) => setTimeout(res, 50));
  }
  return { failure: "did not recover within 3 s" };
}

/** Checks one hostile call's outcome against what its scenario allows. */
function judge(s: Scenario, key: string, r: { ms: number; v?: unknown; e?: unknown }) {
  const bound = plan.requestTimeout + 300;
  if (r.e !== undefined && !(r.e instanceof ValkeyError)) return `untyped error ${show(r)}`;
  if (r.ms > bound) return `took ${r.ms.toFixed(0)} ms (bound ${bound})`;
  if (typeof r.v === "string" && r.v !== `v:${key}`) return `misattributed: got ${show(r)}`;
  switch (s) {
    case "ok":
    case "pushflood":
    case "extra":
    case "unasked":
      return r.v === `v:${key}` ? undefined : `expected its own value, got ${show(r)}`;
    case "silence":
    case "halfopen":
    case "late":
    case "drip":
    case "endless":
    case "hugelen":
    case "junk":
      return r.e instanceof TimeoutError ? undefined : `expected TimeoutError, got ${show(r)}`;
    case "deep":
      return undefined; // a valid (absurd) frame: a value or a typed error, no crash
    case "neglen":
      // RESP allows no length below -1: not a nil, an error saying what the server sent.
      return r.e instanceof ValkeyError && /protocol error/.test(r.e.message)
        ? undefined
        : `expected a protocol error, got ${show(r)}`;
    default:
      return r.e instanceof ValkeyError ? undefined : `expected a typed error, got ${show(r)}`;
  }
}

const outcomes: Outcome[] = [];

for (const [name, [port, control]] of [["accept-silent", plan.silent], ["accept-rst", plan.rst]]) {
  const r = await attempt(() => connect(port as number));
  const bound = plan.connectionTimeout + 300;
  let failure: string | undefined;
  if (r.e === undefined) failure = "connected to a server that never answers";
  else if (!(r.e instanceof ValkeyError)) failure = `untyped error ${show(r)}`;
  else if (r.ms > bound) failure = `createClient took ${r.ms.toFixed(0)} ms (bound ${bound})`;
  if (r.v) (r.v as Client).close();
  (await Deno.connect({ hostname: "127.0.0.1", port: control as number })).close();
  await new Promise((res) => setTimeout(res, 50));
  const c = await attempt(() => connect(port as number));
  let recoveredMs: number | undefined;
  if (c.e !== undefined) failure ??= `no client once the server behaves: ${show(c)}`;
  else {
    const rec = await recover(c.v as Client, name as string);
    failure ??= rec.failure;
    recoveredMs = rec.ms;
    (c.v as Client).close();
  }
  outcomes.push({ scenario: name as string, ms: r.ms, result: show(r), failure, recoveredMs });
}

const client = await connect(plan.port);
for (const s of plan.scenarios) {
  const key = `${s}:${crypto.randomUUID()}`;
  const r = await attempt(() => client.get(key));
  const failure = judge(s, key, r);
  // The unasked reply comes while the client is idle: it must not answer the next request.
  if (s === "unasked") await new Promise((res) => setTimeout(res, 100));
  const rec = await recover(client, s);
  outcomes.push({
    scenario: s,
    ms: r.ms,
    result: show(r),
    failure: failure ?? rec.failure,
    recoveredMs: rec.ms,
  });
}
// A cluster batch holding a keyless command goes through the crate's cluster connection (the
// link), whose node connections read the same faults through the same check.
if (plan.cluster) {
  for (const s of ["neglen", "badtype"] as const) {
    const key = `${s}:${crypto.randomUUID()}`;
    const batch = new ClusterBatch(false).ping().get(key);
    const cluster = client as unknown as {
      exec(batch: ClusterBatch, raiseOnError: boolean): unknown;
    };
    const r = await attempt(() => cluster.exec(batch, true));
    let failure = judge(s, key, r);
    if (Array.isArray(r.v) && r.v[1] !== `v:${key}`) {
      failure ??= `expected a typed error, got ${show(r)}`;
    }
    const rec = await recover(client, `link-${s}`);
    outcomes.push({
      scenario: `${s} (batch on the link)`,
      ms: r.ms,
      result: show(r),
      failure: failure ?? rec.failure,
      recoveredMs: rec.ms,
    });
  }
}
client.close();

// A pub/sub message whose payload has the length -5 (RESP3): never delivered (as a null
// message or otherwise); the connection ends and is made again, its subscriptions too, and the
// good channel's messages keep coming on each new connection.
if (plan.resp3 && !plan.sync) {
  const [good, bad] = [`ok:${crypto.randomUUID()}`, `neglen:${crypto.randomUUID()}`];
  const got: { channel: unknown; message: unknown }[] = [];
  const subscriptions = {
    channelsAndPatterns: { 0: new Set([good, bad]) },
    callback: (m: { channel: unknown; message: unknown }) => got.push(m),
  };
  const r = await attempt(() => connect(plan.port, { pubsubSubscriptions: subscriptions }));
  let failure: string | undefined;
  if (r.e !== undefined) failure = `no subscriber: ${show(r)}`;
  else {
    await new Promise((res) => setTimeout(res, 1000));
    (r.v as Client).close();
    const wrong = got.filter((m) => m.channel !== good || m.message !== "hello");
    if (wrong.length > 0) failure = `delivered ${JSON.stringify(wrong[0])}`;
    else if (got.length < 1) failure = "no good message";
  }
  outcomes.push({
    scenario: "neglen (pub/sub message)",
    ms: r.ms,
    result: `${got.length} messages`,
    failure,
  });
}

const report: ChildReport = { outcomes, rssMb: Deno.memoryUsage().rss / 2 ** 20 };
console.log(JSON.stringify(report));
