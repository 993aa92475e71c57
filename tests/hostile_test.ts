/**
 * Hostile input: every public method of every client, fed values of the wrong type, null and
 * undefined, NaN and Infinity, empty arrays, NUL bytes, lone surrogates, throwing objects and
 * option objects whose every field is hostile. Each call must resolve (a server's error arriving
 * as a `RequestError` is fine) or throw / reject with a `ValkeyError`; never a `TypeError`, a
 * crash or a hang, and the client must keep working afterwards.
 *
 * The cases are generated from `tasks/coverage/methods.tsv` and each class's methods: a method's
 * parameter names (from its source) pick a plausible value for each parameter from a small
 * table, and each parameter in turn gets every hostile value while the others keep theirs.
 *
 * Three groups fail until code outside the command builders changes (see the hostile-input
 * report): options objects whose reads throw (read by `CommandRunner.run`, outside the guarded
 * build), lone surrogates (the encoder replaces them with U+FFFD), and configuration objects
 * whose reads throw (a plain Error from `createClient`).
 */

import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ConfigurationError,
  Decoder,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  ProtocolVersion,
  ValkeyError,
} from "../mod.ts";
import { methodNames, parseMethodTable } from "../tasks/coverage/table.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  type AnyClusterClient,
  clusterAddresses,
  dispose,
  disposeCluster,
  key,
  keys,
  makeClient,
  makeClusterClient,
  standaloneAddress,
  VARIANTS,
} from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const TABLE = parseMethodTable(
  await Deno.readTextFile(new URL("../tasks/coverage/methods.tsv", import.meta.url)),
);

/**
 * Methods left out of the generated cases, with the reason. Their hostile values could change
 * the shared test servers (replication, pauses, configuration), send traffic to a host other
 * than loopback (host arguments), wait forever by design, or end the client under test (they
 * get cases of their own below).
 */
const EXCLUDED: Record<string, string> = {
  replicaof: "changes the shared server's replication; its host argument is resolved by the server",
  replicaofNoOne: "changes the shared server's replication",
  failover: "changes the shared cluster's topology",
  clientPause: "a hostile timeout could pause the shared server for a long time",
  configSet: "arbitrary values change the shared server's configuration",
  configRewrite: "rewrites the shared server's configuration file",
  migrate: "its host argument is resolved by the server (no traffic off loopback)",
  getPubSubMessage: "waits for a message by design",
  close: "ends the client (own case below)",
  updateConnectionPassword: "changes the client's credentials (own case below)",
};

/** A value for a parameter, from its name: what the generated calls use when not hostile. */
function plausible(method: string, param: string, ks: string[]): unknown {
  const blocking = /^(bl|br|bz)/.test(method);
  switch (param) {
    case "key":
    case "source":
    case "key1":
      return ks[0];
    case "destination":
    case "newKey":
    case "key2":
      return ks[1];
    case "keys":
    case "sourceKeys":
      return [ks[0], ks[1]];
    case "keys_and_ids":
      return { [ks[2]]: "0" };
    case "keysAndValues":
      return { [ks[0]]: "v" };
    case "fieldsAndValues":
      return { f: "v" };
    case "membersAndScores":
      return { m: 1 };
    case "membersToGeospatialData":
      return new Map([["m", { longitude: 1, latitude: 1 }]]);
    case "values":
      return [["f", "v"]];
    case "fields":
    case "members":
    case "elements":
    case "channels":
    case "patterns":
    case "sha1s":
    case "parameters":
    case "events":
    case "sections":
    case "args":
      return method === "customCommand" ? ["PING"] : method === "configGet" ? ["maxmemory"] : ["a"];
    case "ids":
      return ["0-1"];
    case "timeout":
      return blocking ? 0.01 : 10;
    case "timeoutMs":
      return 1000;
    case "numreplicas":
    case "count":
    case "index":
    case "offset":
    case "amount":
    case "dbIndex":
    case "bit":
    case "seconds":
    case "milliseconds":
    case "minIdleTime":
      return 0;
    case "unixSeconds":
    case "unixMilliseconds":
    case "unixTimestampSeconds":
    case "unixTimestampMilliseconds":
      return 1;
    case "increment":
      return 1.5;
    case "start":
      return /^x/.test(method) ? "-" : 0;
    case "end":
      return /^x/.test(method) ? "+" : -1;
    case "minScore":
    case "maxScore":
      return { value: 0 };
    case "minLex":
    case "maxLex":
      return { value: "a" };
    case "rangeQuery":
      return { start: 0, end: -1 };
    case "searchFrom":
      return { member: "m" };
    case "searchBy":
      return { radius: 1, unit: "km" };
    case "cursor":
      return "0";
    case "options":
    case "decoder":
    case "mode":
    case "policy":
      return undefined;
    case "operation":
      return "AND";
    case "whereFrom":
    case "whereTo":
      return "LEFT";
    case "direction":
      return "LEFT";
    case "modifier":
      return "MIN";
    case "position":
      return "before";
    case "subcommands":
      return [];
    case "ttl":
      return 0;
    case "value":
      return method === "setbit" ? 1 : "v";
    case "payload":
      return new Uint8Array([1, 2, 3]);
    case "batch":
    case "script":
    case "steps":
    case "build":
    case "subs":
      return undefined;
    case "raiseOnError":
    case "immediateAuth":
      return false;
    default:
      return "x";
  }
}

/** An object whose every field (at any depth) reads as `leaf`. */
function everyField(leaf: unknown): object {
  const handler: ProxyHandler<object> = {
    get(_t, p) {
      if (typeof p === "symbol" || p === "then" || p === "toJSON") return undefined;
      if (p === "length") return 1;
      return leaf;
    },
    has: () => true,
  };
  return new Proxy({}, handler);
}

/** An object whose every read throws a plain Error. */
const THROWING = new Proxy({}, {
  get() {
    throw new Error("hostile getter");
  },
  has() {
    throw new Error("hostile has");
  },
  ownKeys() {
    throw new Error("hostile ownKeys");
  },
});

/** The hostile values, by label. */
const HOSTILE: [string, () => unknown][] = [
  ["undefined", () => undefined],
  ["null", () => null],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ["-Infinity", () => -Infinity],
  ["1.5", () => 1.5],
  ["-1", () => -1],
  ["2**64", () => 2 ** 64],
  ["empty string", () => ""],
  ["NUL", () => "\0"],
  ["lone surrogate", () => "\uD800"],
  ["true", () => true],
  ["bigint", () => 1n],
  ["symbol", () => Symbol("hostile")],
  ["function", () => () => 1],
  ["{}", () => ({})],
  ["[]", () => []],
  ["[null]", () => [null]],
  ["[undefined]", () => [undefined]],
  ["[NaN]", () => [NaN]],
  ["[[]]", () => [[]]],
  ["[{}]", () => [{}]],
  ["null prototype", () => Object.create(null)],
  ["Date", () => new Date(0)],
  ["Map", () => new Map<unknown, unknown>([[1, 2]])],
  ["Set", () => new Set([1])],
  ["Uint16Array", () => new Uint16Array(2)],
  ["ArrayBuffer", () => new ArrayBuffer(2)],
  ["array-like of length 1e9", () => ({ length: 1e9 })],
  ["throwing object", () => THROWING],
  ["every field NaN", () => everyField(NaN)],
  ["every field null", () => everyField(null)],
  ["every field -1", () => everyField(-1)],
  ["every field NUL", () => everyField("\0")],
  ["every field {}", () => everyField({})],
];

/** The parameter names of a function, from its source. */
function paramNames(f: (...a: unknown[]) => unknown): string[] {
  const src = f.toString();
  const open = src.indexOf("(");
  let depth = 0;
  let end = open;
  for (let i = open; i < src.length; i++) {
    if ("([{".includes(src[i])) depth++;
    else if (")]}".includes(src[i]) && --depth === 0) {
      end = i;
      break;
    }
  }
  const inner = src.slice(open + 1, end).trim();
  if (!inner) return [];
  return inner.split(",").map((p) => p.split("=")[0].trim().replace(/^\.\.\./, ""));
}

type Method = (...a: unknown[]) => unknown;

/**
 * Diagnostics: with HOSTILE_LOG=<file>, every generated call's outcome (method, variant, `ok`
 * or the error's class and message) is written there as tab-separated lines at exit.
 */
const LOG_FILE = Deno.env.get("HOSTILE_LOG");
const LOG: string[] = [];
if (LOG_FILE) addEventListener("unload", () => Deno.writeTextFileSync(LOG_FILE, LOG.join("\n")));

/** How long one async call may take before it counts as a hang. */
const HANG_MS = 10_000;

/** Runs one call; returns a description of what went wrong, or null if the outcome is allowed. */
async function outcome(call: () => unknown, log?: string): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const r = call();
    if (r instanceof Promise) {
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no outcome within ${HANG_MS} ms`)), HANG_MS);
      });
      await Promise.race([r, hang]);
    }
    if (log && LOG_FILE) LOG.push(`${log}\tok`);
    return null;
  } catch (e) {
    if (log && LOG_FILE) {
      LOG.push(
        `${log}\t${(e as Error)?.constructor?.name}\t${
          String((e as Error)?.message).slice(0, 120)
        }`,
      );
    }
    if (e instanceof ValkeyError) return null;
    return e instanceof Error ? `${e.constructor.name}: ${e.message}` : `threw ${String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** Puts data where a blocking method reads, so that it returns at once whatever its timeout. */
async function feed(c: AnyBaseClient, method: string, ks: string[]): Promise<void> {
  await c.del(ks);
  if (/^xread/.test(method)) {
    // xread and xreadgroup with id 0 return at once, BLOCK or not.
    await c.xadd(ks[2], [["f", "v"]]);
    await c.xgroupCreate(ks[2], "x", "0");
  } else if (/^b[lr]/.test(method)) {
    for (const k of ks.slice(0, 2)) await c.rpush(k, ["a", "b"]);
  } else if (/^bz/.test(method)) {
    for (const k of ks.slice(0, 2)) await c.zadd(k, { a: 1, b: 2 });
  }
}

const BLOCKING = /^(bl|br|bz|xread)/;

/** The methods of a client class that the table lists for it, minus the exclusions. */
function methodsOf(cls: { prototype: object }, cluster: boolean): string[] {
  const scopes = new Set(["base", cluster ? "cluster" : "standalone"]);
  const listed = new Set(TABLE.filter((r) => scopes.has(r.scope)).map((r) => r.method));
  return [...methodNames(cls)].filter((m) => listed.has(m) && !(m in EXCLUDED)).sort();
}

/** Feeds every hostile value to every parameter of every method of `c`; returns the failures. */
async function hostileRun(
  c: AnyBaseClient,
  cls: { prototype: object },
  cluster: boolean,
  pick: (param: string, label: string) => boolean,
): Promise<string[]> {
  const failures: string[] = [];
  const ks = keys(3, "hostile");
  for (const name of methodsOf(cls, cluster)) {
    const f = (c as unknown as Record<string, Method>)[name];
    const names = paramNames(f);
    const arity = Math.max(f.length, names.length, 1);
    const base = Array.from({ length: arity }, (_, i) => plausible(name, names[i] ?? "", ks));
    const variants: [string, unknown[]][] = [];
    if (pick("", "no arguments")) variants.push(["no arguments", []]);
    for (let i = 0; i < arity; i++) {
      for (const [label, make] of HOSTILE) {
        if (!pick(names[i] ?? "", label)) continue;
        const args = [...base];
        args[i] = make();
        variants.push([`${names[i] ?? `#${i}`} = ${label}`, args]);
      }
    }
    for (const [label, args] of variants) {
      if (BLOCKING.test(name)) await feed(c, name, ks);
      const bad = await outcome(() => f.apply(c, args), `${name}\t${label}`);
      if (bad) failures.push(`${name}(${label}): ${bad}`);
    }
    // The client still works: nothing half-written is left in its request stream.
    const probe = key("probe");
    const alive = await outcome(async () => {
      await c.set(probe, "alive");
      assert.equal(await c.get(probe), "alive");
    });
    if (alive) failures.push(`after ${name}: the client no longer works: ${alive}`);
  }
  return failures;
}

const RESP3 = VARIANTS.filter((v) => v.protocol === ProtocolVersion.RESP3);

/** Registers a hostile run on the four RESP3 clients (standalone and cluster, async and sync). */
function eachRun(name: string, pick: (param: string, label: string) => boolean): void {
  for (const v of RESP3) {
    Deno.test(`${name} [standalone ${v.name}]`, async () => {
      const c = await makeClient(v);
      try {
        assert.deepEqual(await hostileRun(c, v.sync ? SyncClient : AsyncClient, false, pick), []);
      } finally {
        await dispose(c);
      }
    });
    Deno.test(`${name} [cluster ${v.name}]`, async () => {
      const c = await makeClusterClient(v);
      try {
        const cls = v.sync ? SyncClusterClient : AsyncClusterClient;
        assert.deepEqual(await hostileRun(c, cls, true, pick), []);
      } finally {
        await disposeCluster(c);
      }
    });
  }
}

/** Parameters that are option objects (read by the method itself as well as by the builder). */
const OPTIONS = /^(options|decoder|mode|policy)$/;

eachRun(
  "hostile arguments to every method",
  (param, label) => !(label === "throwing object" && OPTIONS.test(param)),
);

// An options object whose every read throws: the methods read `options.decoder` (and `route`)
// themselves, outside the command builder, so the engines' conversion of builder errors into
// ConfigurationError does not cover it.
eachRun(
  "an options object whose every read throws",
  (param, label) => label === "throwing object" && OPTIONS.test(param),
);

// ---------------------------------------------------------------------------------------------
// Binary safety: NUL bytes and lone surrogates in keys, values, fields and members.

const NUL_VALUES = ["\0", "a\0b", "\0\0\0", "end\0"];
const SURROGATES = ["\uD800", "x\uDC00y", "\uDBFF", "a\uDFFFb\uD83D"];

/**
 * Round-trips `v` (as key suffix, value, field and member) through several families. Returns
 * normally when every read gives back exactly what was written, or when the write is refused
 * with a ConfigurationError; anything else (an altered string) fails.
 */
async function roundTrip(c: AnyBaseClient, v: string): Promise<void> {
  const [k, h, l, s, z] = keys(5, `rt${v}`);
  try {
    await c.set(k + v, v);
  } catch (e) {
    assert.ok(e instanceof ConfigurationError, `set refused ${JSON.stringify(v)} with ${e}`);
    return;
  }
  const got = await c.get(k + v);
  assert.equal(got, v, `wrote ${JSON.stringify(v)}, read back ${JSON.stringify(got)}`);
  assert.equal(await c.exists([k + v]), 1);
  assert.equal(await c.strlen(k + v), new TextEncoder().encode(v).length);
  await c.hset(h, { [v]: v });
  assert.equal(await c.hget(h, v), v);
  assert.deepEqual(await c.hgetall(h), [{ field: v, value: v }]);
  await c.rpush(l, [v, "x"]);
  assert.deepEqual(await c.lrange(l, 0, -1), [v, "x"]);
  await c.sadd(s, [v]);
  assert.equal(await c.sismember(s, v), true);
  assert.deepEqual([...await c.smembers(s)], [v]);
  await c.zadd(z, { [v]: 1 });
  assert.equal(await c.zscore(z, v), 1);
  assert.deepEqual(await c.zrange(z, { start: 0, end: -1 }), [v]);
  assert.deepEqual(await c.mget([k + v, k]), [v, null]);
  // The bytes sent are the string's UTF-8, and come back as such.
  assert.deepEqual(
    await c.get(k + v, { decoder: Decoder.Bytes }),
    new TextEncoder().encode(v),
  );
  // As Uint8Array, the same bytes, NUL included, round-trip untouched.
  const bytes = new Uint8Array([0, 255, 0, 0xed, 0xa0, 0x80, 0]);
  await c.set(k, bytes);
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), bytes);
}

eachRun2("NUL bytes round-trip through keys, values, fields and members", async (c) => {
  for (const v of NUL_VALUES) await roundTrip(c, v);
});

eachRun2("lone surrogates round-trip exactly or are refused", async (c) => {
  for (const v of SURROGATES) await roundTrip(c, v);
});

/** Runs `fn` on the four RESP3 clients. */
function eachRun2(name: string, fn: (c: AnyBaseClient) => Promise<void>): void {
  for (const v of RESP3) {
    Deno.test(`${name} [standalone ${v.name}]`, async () => {
      const c = await makeClient(v);
      try {
        await fn(c);
      } finally {
        await dispose(c);
      }
    });
    Deno.test(`${name} [cluster ${v.name}]`, async () => {
      const c = await makeClusterClient(v);
      try {
        await fn(c);
      } finally {
        await disposeCluster(c);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Size limits: one argument over 512 MiB is refused before sending; 100 MiB round-trips.

eachRun2("an argument of 512 MiB + 1 byte is refused before sending", async (c) => {
  const k = key("huge");
  let huge: Uint8Array | undefined = new Uint8Array(512 * 1024 * 1024 + 1);
  await assert.rejects(async () => await c.set(k, huge!), ConfigurationError);
  await assert.rejects(async () => await c.rpush(k, ["a", huge!]), ConfigurationError);
  await assert.rejects(
    async () => await c.hset(k, [{ field: "f", value: huge! }]),
    ConfigurationError,
  );
  huge = undefined;
  // Nothing was sent: the key does not exist and the client still works.
  assert.equal(await c.exists([k]), 0);
  await c.set(k, "after");
  assert.equal(await c.get(k), "after");
});

eachRun2("a 100 MiB value round-trips", async (c) => {
  const k = key("big");
  const big = new Uint8Array(100 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
  big[big.length - 1] = 7;
  assert.equal(await c.set(k, big), "OK");
  assert.equal(await c.strlen(k), big.length);
  const back = await c.get(k, { decoder: Decoder.Bytes }) as Uint8Array;
  assert.equal(back.length, big.length);
  assert.ok(back.every((b, i) => b === big[i]));
  await c.del([k]);
  // Small requests after the big one work as before.
  await c.set(k, "small");
  assert.equal(await c.get(k), "small");
});

// ---------------------------------------------------------------------------------------------
// The methods left out of the generated run that end or change the client: close and
// updateConnectionPassword, each on a client of its own.

for (const v of RESP3) {
  for (const cluster of [false, true]) {
    const where = cluster ? "cluster" : "standalone";
    Deno.test(`close and updateConnectionPassword with hostile arguments [${where} ${v.name}]`, async () => {
      const failures: string[] = [];
      for (const [label, make] of HOSTILE) {
        const c = cluster ? await makeClusterClient(v) : await makeClient(v);
        try {
          const bad = await outcome(() =>
            (c as unknown as Record<string, Method>).updateConnectionPassword(make(), false)
          );
          if (bad) failures.push(`updateConnectionPassword(${label}): ${bad}`);
          const bad2 = await outcome(() =>
            (c as unknown as Record<string, Method>).updateConnectionPassword("x", make())
          );
          if (bad2) failures.push(`updateConnectionPassword(immediateAuth = ${label}): ${bad2}`);
          const closed = await outcome(() =>
            (c as unknown as Record<string, Method>).close(make())
          );
          if (closed) failures.push(`close(${label}): ${closed}`);
          // Closed: calls fail with a ValkeyError (ClosingError), never anything else.
          const after = await outcome(() => c.get("k"));
          if (after) failures.push(`get after close(${label}): ${after}`);
        } finally {
          if (cluster) await disposeCluster(c as AnyClusterClient);
          else await dispose(c as AnyClient);
        }
      }
      assert.deepEqual(failures, []);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed configurations: ConfigurationError before any I/O, on all four clients.

type AnyConfig = Record<string, unknown>;

/** Configurations that must be refused, each made from a valid one pointing at `port`. */
const BAD_CONFIGS: [string, (c: AnyConfig, port: number) => unknown][] = [
  ["no addresses", (c) => ({ ...c, addresses: [] })],
  ["addresses missing", (c) => ({ ...c, addresses: undefined })],
  ["addresses null", (c) => ({ ...c, addresses: null })],
  ["addresses a string", (c) => ({ ...c, addresses: "127.0.0.1:6379" })],
  ["an address null", (c) => ({ ...c, addresses: [null] })],
  ["host missing", (c, port) => ({ ...c, addresses: [{ port }] })],
  ["host empty", (c, port) => ({ ...c, addresses: [{ host: "", port }] })],
  ["host a number", (c, port) => ({ ...c, addresses: [{ host: 127, port }] })],
  ["port 0", (c) => ({ ...c, addresses: [{ host: "127.0.0.1", port: 0 }] })],
  ["port 70000", (c) => ({ ...c, addresses: [{ host: "127.0.0.1", port: 70000 }] })],
  ["port -1", (c) => ({ ...c, addresses: [{ host: "127.0.0.1", port: -1 }] })],
  ["port NaN", (c) => ({ ...c, addresses: [{ host: "127.0.0.1", port: NaN }] })],
  ["port 1.5", (c) => ({ ...c, addresses: [{ host: "127.0.0.1", port: 1.5 }] })],
  ["port a string", (c, port) => ({ ...c, addresses: [{ host: "127.0.0.1", port: `${port}` }] })],
  ["requestTimeout -1", (c) => ({ ...c, requestTimeout: -1 })],
  ["requestTimeout NaN", (c) => ({ ...c, requestTimeout: NaN })],
  ["requestTimeout Infinity", (c) => ({ ...c, requestTimeout: Infinity })],
  ["requestTimeout a string", (c) => ({ ...c, requestTimeout: "100" })],
  ["connectionTimeout -1", (c) => ({ ...c, advancedConfiguration: { connectionTimeout: -1 } })],
  ["connectionTimeout NaN", (c) => ({ ...c, advancedConfiguration: { connectionTimeout: NaN } })],
  [
    "connectionTimeout a string",
    (c) => ({ ...c, advancedConfiguration: { connectionTimeout: "1" } }),
  ],
  ["protocol 7", (c) => ({ ...c, protocol: 7 })],
  ["protocol -1", (c) => ({ ...c, protocol: -1 })],
  ["protocol NaN", (c) => ({ ...c, protocol: NaN })],
  ["protocol a string", (c) => ({ ...c, protocol: "RESP3" })],
  ["readFrom unknown", (c) => ({ ...c, readFrom: "bogus" })],
  ["readFrom a number", (c) => ({ ...c, readFrom: 1 })],
  ["readFrom AZAffinity without clientAz", (c) => ({ ...c, readFrom: "AZAffinity" })],
  ["defaultDecoder unknown", (c) => ({ ...c, defaultDecoder: 9 })],
  ["defaultDecoder a string", (c) => ({ ...c, defaultDecoder: "String" })],
  ["inflightRequestsLimit -1", (c) => ({ ...c, inflightRequestsLimit: -1 })],
  ["inflightRequestsLimit NaN", (c) => ({ ...c, inflightRequestsLimit: NaN })],
  ["inflightRequestsLimit 1.5", (c) => ({ ...c, inflightRequestsLimit: 1.5 })],
  ["databaseId -1", (c) => ({ ...c, databaseId: -1 })],
  ["databaseId NaN", (c) => ({ ...c, databaseId: NaN })],
  ["databaseId 1.5", (c) => ({ ...c, databaseId: 1.5 })],
  ["databaseId a string", (c) => ({ ...c, databaseId: "1" })],
  ["clientName a number", (c) => ({ ...c, clientName: 5 })],
  ["credentials without password", (c) => ({ ...c, credentials: {} })],
  ["credentials password a number", (c) => ({ ...c, credentials: { password: 5 } })],
  ["numberOfRetries NaN", (c) => ({
    ...c,
    connectionBackoff: { numberOfRetries: NaN, factor: 1, exponentBase: 2 },
  })],
  ["numberOfRetries -1", (c) => ({
    ...c,
    connectionBackoff: { numberOfRetries: -1, factor: 1, exponentBase: 2 },
  })],
  ["backoff factor Infinity", (c) => ({
    ...c,
    connectionBackoff: { numberOfRetries: 1, factor: Infinity, exponentBase: 2 },
  })],
  ["jitterPercent 500", (c) => ({
    ...c,
    connectionBackoff: { numberOfRetries: 1, factor: 1, exponentBase: 2, jitterPercent: 500 },
  })],
  ["pubsub unknown channel mode", (c) => ({
    ...c,
    pubsubSubscriptions: { channelsAndPatterns: { 9: new Set(["a"]) } },
  })],
  ["pubsub channels null", (c) => ({ ...c, pubsubSubscriptions: { channelsAndPatterns: null } })],
  ["configuration null", () => null],
  ["configuration undefined", () => undefined],
  ["configuration a string", () => "redis://127.0.0.1"],
];

/**
 * Configurations the library accepts today although they are wrong (a host with a NUL byte
 * gets a ConnectionError from the core rather than a ConfigurationError; wrongly typed flags
 * connect; an object whose reads throw escapes as a plain Error): see the hostile-input report.
 * They are checked here only for not crashing or hanging.
 */
const LOOSE_CONFIGS: [string, (c: AnyConfig, port: number) => unknown][] = [
  ["host with a NUL byte", (c, port) => ({ ...c, addresses: [{ host: "127.0.0.1\0", port }] })],
  ["useTLS a string", (c) => ({ ...c, useTLS: "yes" })],
  ["lazyConnect a string", (c) => ({ ...c, lazyConnect: "yes" })],
  ["clientName with a NUL byte", (c) => ({ ...c, clientName: "a\0b" })],
  ["periodicChecks unknown", (c) => ({ ...c, periodicChecks: "bogus" })],
];

const CLIENT_CLASSES = [
  ["async standalone", AsyncClient],
  ["async cluster", AsyncClusterClient],
  ["sync standalone", SyncClient],
  ["sync cluster", SyncClusterClient],
] as const;

type Creator = { createClient(config: unknown): unknown };

for (const [kind, cls] of CLIENT_CLASSES) {
  Deno.test(`malformed configurations are refused before any I/O [${kind}]`, async () => {
    // A listener that counts connections: a refused configuration must open none.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    let accepted = 0;
    const accepting = (async () => {
      try {
        for await (const conn of listener) {
          accepted++;
          conn.close();
        }
      } catch { /* closed */ }
    })();
    const valid: AnyConfig = {
      addresses: [{ host: "127.0.0.1", port }],
      requestTimeout: 300,
      advancedConfiguration: { connectionTimeout: 300 },
      connectionBackoff: { numberOfRetries: 0, factor: 1, exponentBase: 2 },
    };
    const failures: string[] = [];
    try {
      for (const [label, make] of BAD_CONFIGS) {
        const before = accepted;
        try {
          const c = await (cls as unknown as Creator).createClient(make(valid, port));
          failures.push(`${label}: a client was created`);
          await (c as { close(): unknown }).close();
        } catch (e) {
          if (!(e instanceof ConfigurationError)) failures.push(`${label}: ${e}`);
        }
        await new Promise((r) => setTimeout(r, 5));
        if (accepted !== before) failures.push(`${label}: a connection was opened`);
      }
      for (const [label, make] of LOOSE_CONFIGS) {
        try {
          const c = await (cls as unknown as Creator).createClient(make(valid, port));
          await (c as { close(): unknown }).close();
        } catch (e) {
          if (!(e instanceof ValkeyError)) failures.push(`${label}: ${e}`);
        }
      }
    } finally {
      listener.close();
      await accepting;
    }
    assert.deepEqual(failures, []);
  });
}

/** The configuration of a real server, so that a too-lenient check would show as a client. */
function realConfig(cluster: boolean): GlideClientConfiguration | GlideClusterClientConfiguration {
  return withServerTls({
    addresses: cluster ? clusterAddresses() : [standaloneAddress()],
    requestTimeout: 2000,
  });
}

for (const [kind, cls] of CLIENT_CLASSES) {
  Deno.test(`a configuration object whose reads throw is a ConfigurationError [${kind}]`, async () => {
    const cluster = kind.endsWith("cluster");
    const throwing = new Proxy(realConfig(cluster), {
      get() {
        throw new Error("hostile getter");
      },
    });
    await assert.rejects(
      async () => await (cls as unknown as Creator).createClient(throwing),
      ConfigurationError,
    );
  });
}
