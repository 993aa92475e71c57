import assert from "node:assert/strict";
import {
  ConfigurationError,
  Decoder,
  FlushMode,
  FunctionRestorePolicy,
  RequestError,
  Script,
} from "../mod.ts";
import { type AnyClusterClient, eachClusterClient, key, serverRefuses } from "./harness.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function libName(label: string): string {
  return `${label}_${key("").replace(/[^A-Za-z0-9]/g, "_")}`;
}

function libCode(lib: string): string {
  return `#!lua name=${lib}
redis.register_function('${lib}_echo', function(keys, args) return args[1] end)
redis.register_function{function_name='${lib}_ro',
  callback=function(keys, args) return 'ro:' .. args[1] end, flags={'no-writes'}}`;
}

/** The cluster's primaries and all nodes, as `host:port`, from CLUSTER NODES. */
async function topology(c: AnyClusterClient): Promise<{ primaries: string[]; all: string[] }> {
  const text = String(await c.customCommand(["CLUSTER", "NODES"], { route: "randomNode" }));
  const primaries: string[] = [];
  const all: string[] = [];
  for (const line of text.trim().split("\n")) {
    const [, address, flags] = line.split(" ");
    const hostPort = address.split("@")[0];
    all.push(hostPort);
    if (flags.includes("master")) primaries.push(hostPort);
  }
  return { primaries: primaries.sort(), all: all.sort() };
}

/** Retries `fn` until it stops throwing (replication to replicas is asynchronous). */
async function eventually<T>(fn: () => T | Promise<T>): Promise<Awaited<T>> {
  for (let i = 0;; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 50) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

eachClusterClient("fcallWithRoute and fcallReadonlyWithRoute", async (c) => {
  const lib = libName("route");
  const { primaries, all } = await topology(c);
  assert.equal(await c.functionLoad(libCode(lib)), lib);
  try {
    assert.equal(await c.fcallWithRoute(`${lib}_echo`, ["hi"]), "hi");
    assert.equal(await c.fcallWithRoute(`${lib}_echo`, ["hi"], { route: "randomNode" }), "hi");
    const perPrimary = await c.fcallWithRoute(`${lib}_echo`, ["hi"], { route: "allPrimaries" });
    assert.deepEqual(Object.keys(perPrimary as object).sort(), primaries);
    for (const v of Object.values(perPrimary as object)) assert.equal(v, "hi");
    const raw = await c.fcallWithRoute(`${lib}_echo`, ["hi"], {
      route: "allPrimaries",
      decoder: Decoder.Bytes,
    });
    for (const v of Object.values(raw as object)) assert.deepEqual(v, bytes("hi"));
    assert.equal(
      await c.fcallWithRoute(`${lib}_echo`, ["k"], { route: { type: "primarySlotKey", key: "x" } }),
      "k",
    );
    assert.equal(
      await c.fcallWithRoute(`${lib}_echo`, ["s"], { route: { type: "primarySlotId", id: 0 } }),
      "s",
    );
    const [host, port] = primaries[0].split(":");
    assert.equal(
      await c.fcallWithRoute(`${lib}_echo`, ["a"], {
        route: { type: "routeByAddress", host, port: Number(port) },
      }),
      "a",
    );
    assert.equal(await c.fcallReadonlyWithRoute(`${lib}_ro`, ["x"]), "ro:x");
    const everywhere = await eventually(() =>
      c.fcallReadonlyWithRoute(`${lib}_ro`, ["x"], { route: "allNodes" })
    );
    assert.deepEqual(Object.keys(everywhere as object).sort(), all);
    for (const v of Object.values(everywhere as object)) assert.equal(v, "ro:x");
    assert.equal(
      await eventually(() =>
        c.fcallReadonlyWithRoute(`${lib}_ro`, ["r"], {
          route: { type: "replicaSlotKey", key: "x" },
        })
      ),
      "ro:r",
    );
    await assert.rejects(
      async () => await c.fcallReadonlyWithRoute(`${lib}_echo`, ["x"]),
      RequestError,
    );
    await assert.rejects(
      async () => await c.fcallWithRoute(`${lib}_missing`, [], { route: "allPrimaries" }),
      RequestError,
    );
  } finally {
    assert.equal(await c.functionDelete(lib), "OK");
  }
});

eachClusterClient("invokeScriptWithRoute, with NOSCRIPT recovery on each route", async (c) => {
  const { primaries } = await topology(c);
  const script = new Script(`return 'routed ' .. ARGV[1] .. ' ${key()}'`);
  const run = (options: Parameters<AnyClusterClient["invokeScriptWithRoute"]>[1]) =>
    c.invokeScriptWithRoute(script, options);
  const routes = [
    undefined,
    "randomNode",
    "allPrimaries",
    "allNodes",
    { type: "primarySlotKey", key: "some-key" },
    { type: "primarySlotId", id: 16383 },
    { type: "routeByAddress", host: primaries[1] },
  ] as const;
  for (const route of routes) {
    assert.equal(await c.scriptFlush({ mode: FlushMode.SYNC }), "OK");
    const reply = await eventually(() => run({ args: ["x"], route }));
    const values = typeof reply === "string" ? [reply] : Object.values(reply as object);
    if (route === "allPrimaries") assert.equal(values.length, primaries.length);
    if (route === "allNodes") assert.ok(values.length > primaries.length);
    for (const v of values) assert.match(String(v), /^routed x test:/, JSON.stringify(route));
    // Now cached there: runs again without loading.
    await run({ args: ["y"], route });
  }
  const raw = await run({ args: ["z"], route: "allPrimaries", decoder: Decoder.Bytes });
  for (const v of Object.values(raw as object)) assert.ok(v instanceof Uint8Array);
  await assert.rejects(
    async () =>
      await c.invokeScriptWithRoute(new Script("error('routed boom')"), { route: "allPrimaries" }),
    (e) => e instanceof RequestError && /routed boom/.test(e.message),
  );
  await assert.rejects(
    async () => await run({ args: [3 as unknown as string] }),
    ConfigurationError,
  );
  assert.equal(await c.scriptFlush(), "OK");
});

eachClusterClient("invokeScript with keys loads the script on the keys' node only", async (c) => {
  const k = key();
  const script = new Script(`return tostring(KEYS[1]) .. ' ${k}'`);
  await c.scriptFlush({ mode: FlushMode.SYNC });
  assert.equal(await c.invokeScript(script, { keys: [k] }), `${k} ${k}`);
  const owner = { route: { type: "primarySlotKey", key: k } } as const;
  assert.deepEqual(await c.scriptExists([script.getHash()], owner), [true]);
  // Not on every primary (SCRIPT EXISTS on all primaries is true only if each has it).
  assert.deepEqual(await c.scriptExists([script.getHash()]), [false]);
  assert.deepEqual(await c.scriptExists([script.getHash()], { route: "allPrimaries" }), [false]);
  await c.scriptFlush({ mode: FlushMode.ASYNC, route: "allPrimaries" });
  assert.deepEqual(await c.scriptExists([script.getHash()], owner), [false]);
  assert.equal(await c.invokeScript(script, { keys: [k] }), `${k} ${k}`);
  assert.deepEqual(await c.scriptExists([script.getHash()], owner), [true]);
  // Without keys after a flush: loaded on every node, wherever the random node is.
  await c.scriptFlush();
  assert.equal(await c.invokeScript(script, { args: [] }), `nil ${k}`);
  assert.deepEqual(await c.scriptExists([script.getHash()], { route: "allNodes" }), [true]);
  await c.scriptFlush();
});

eachClusterClient("scriptExists, scriptFlush and scriptKill routes", async (c) => {
  const { primaries } = await topology(c);
  const s = new Script(`return '${key()}'`);
  await c.invokeScriptWithRoute(s, { route: "allPrimaries" });
  assert.deepEqual(await c.scriptExists([s.getHash(), "0".repeat(40)]), [true, false]);
  const [host, port] = primaries[0].split(":");
  const one = { route: { type: "routeByAddress", host, port: Number(port) } } as const;
  assert.deepEqual(await c.scriptExists([s.getHash()], one), [true]);
  assert.equal(await c.scriptFlush(one), "OK");
  assert.deepEqual(await c.scriptExists([s.getHash()], one), [false]);
  assert.deepEqual(await c.scriptExists([s.getHash()]), [false]);
  assert.equal(await c.scriptFlush({ route: "allNodes", mode: FlushMode.SYNC }), "OK");
  for (const options of [undefined, one, { route: "allPrimaries" } as const]) {
    await assert.rejects(
      async () => await c.scriptKill(options),
      (e) => e instanceof RequestError && /NOTBUSY/.test(e.message),
    );
    await assert.rejects(
      async () => await c.functionKill(options),
      (e) => e instanceof RequestError && /NOTBUSY/.test(e.message),
    );
  }
  await serverRefuses(() => c.scriptExists([]));
  await assert.rejects(
    async () => await c.scriptFlush({ mode: "NOW" as FlushMode }),
    ConfigurationError,
  );
});

eachClusterClient("functionLoad, functionList, functionDelete with routes", async (c) => {
  const { primaries, all } = await topology(c);
  const lib = libName("clist");
  const [host, port] = primaries[0].split(":");
  const one = { route: { type: "routeByAddress", host, port: Number(port) } } as const;
  try {
    assert.equal(await c.functionLoad(libCode(lib)), lib);
    await assert.rejects(async () => await c.functionLoad(libCode(lib)), RequestError);
    assert.deepEqual(
      await c.functionLoad(libCode(lib), { replace: true, decoder: Decoder.Bytes }),
      bytes(lib),
    );
    const list = await c.functionList({ libNamePattern: lib });
    assert.ok(Array.isArray(list));
    assert.equal(list[0].library_name, lib);
    assert.deepEqual(
      (list[0].functions as Record<string, unknown>[]).map((f) => f.flags).sort(),
      [[], ["no-writes"]],
    );
    const perPrimary = await c.functionList({
      libNamePattern: lib,
      withCode: true,
      route: "allPrimaries",
    });
    assert.deepEqual(Object.keys(perPrimary).sort(), primaries);
    for (const libs of Object.values(perPrimary)) {
      assert.equal(libs[0].library_code, libCode(lib));
    }
    const raw = await c.functionList({ libNamePattern: lib, ...one, decoder: Decoder.Bytes });
    assert.deepEqual((raw as { library_name: unknown }[])[0].library_name, bytes(lib));
    // Delete on one primary only, then on the rest.
    assert.equal(await c.functionDelete(lib, one), "OK");
    assert.deepEqual(await c.functionList({ libNamePattern: lib, ...one }), []);
    await assert.rejects(async () => await c.functionDelete(lib, one), RequestError);
    for (const p of primaries.slice(1)) {
      const [h, pt] = p.split(":");
      const there = { route: { type: "routeByAddress", host: h, port: Number(pt) } } as const;
      assert.equal(await c.functionDelete(lib, there), "OK");
    }
    const gone = await eventually(async () => {
      const r = await c.functionList({ libNamePattern: lib, route: "allNodes" });
      for (const libs of Object.values(r)) assert.deepEqual(libs, []);
      return r;
    });
    assert.deepEqual(Object.keys(gone).sort(), all);
    // Load on one node only.
    assert.equal(await c.functionLoad(libCode(lib), one), lib);
    assert.equal(await c.fcallWithRoute(`${lib}_echo`, ["one"], one), "one");
  } finally {
    assert.equal(await c.functionFlush({ mode: FlushMode.SYNC }), "OK");
  }
  assert.equal(await c.functionFlush(), "OK");
  assert.equal(await c.functionFlush({ route: "allPrimaries", mode: FlushMode.ASYNC }), "OK");
  await assert.rejects(
    async () => await c.functionFlush({ mode: "LATER" as FlushMode }),
    ConfigurationError,
  );
});

eachClusterClient("functionDump and functionRestore with routes", async (c) => {
  const { primaries } = await topology(c);
  const lib = libName("cdump");
  await c.functionLoad(libCode(lib));
  try {
    const payload = await c.functionDump({ route: "randomNode" });
    assert.ok(payload instanceof Uint8Array && payload.length > 0);
    const fromDefault = await c.functionDump();
    assert.ok(fromDefault instanceof Uint8Array);
    const perPrimary = await c.functionDump({ route: "allPrimaries" });
    assert.deepEqual(Object.keys(perPrimary).sort(), primaries);
    for (const p of Object.values(perPrimary)) assert.ok(p instanceof Uint8Array);
    await assert.rejects(async () => await c.functionRestore(payload), RequestError);
    assert.equal(
      await c.functionRestore(payload, { policy: FunctionRestorePolicy.REPLACE }),
      "OK",
    );
    assert.equal(await c.functionFlush({ mode: FlushMode.SYNC }), "OK");
    assert.equal(
      await c.functionRestore(payload, {
        policy: FunctionRestorePolicy.FLUSH,
        route: "allPrimaries",
      }),
      "OK",
    );
    assert.equal(await c.fcallWithRoute(`${lib}_echo`, ["back"]), "back");
    await c.functionFlush();
    assert.equal(await c.functionRestore(payload), "OK");
    assert.equal(
      await c.fcallWithRoute(`${lib}_echo`, ["again"], { route: "allPrimaries" }) ? "ok" : "",
      "ok",
    );
    await assert.rejects(
      async () => await c.functionRestore(payload, { policy: "MERGE" as FunctionRestorePolicy }),
      ConfigurationError,
    );
  } finally {
    await c.functionFlush();
  }
});

eachClusterClient("functionStats with routes", async (c) => {
  const { primaries, all } = await topology(c);
  const lib = libName("cstats");
  await c.functionLoad(libCode(lib));
  try {
    const byNode = await eventually(async () => {
      const r = await c.functionStats() as Record<string, Record<string, unknown>>;
      for (const s of Object.values(r)) {
        assert.deepEqual(s.engines, { LUA: { libraries_count: 1, functions_count: 2 } });
      }
      return r;
    });
    assert.deepEqual(Object.keys(byNode).sort(), all);
    for (const s of Object.values(byNode)) assert.equal(s.running_script, null);
    const perPrimary = await c.functionStats({ route: "allPrimaries", decoder: Decoder.Bytes });
    assert.deepEqual(Object.keys(perPrimary).sort(), primaries);
    const single = await c.functionStats({ route: { type: "primarySlotId", id: 100 } });
    assert.deepEqual(single, {
      running_script: null,
      engines: { LUA: { libraries_count: 1, functions_count: 2 } },
    });
  } finally {
    await c.functionFlush();
  }
});
