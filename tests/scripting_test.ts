import assert from "node:assert/strict";
import {
  ConfigurationError,
  Decoder,
  FlushMode,
  FunctionRestorePolicy,
  RequestError,
  Script,
} from "../mod.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  type AnyClusterClient,
  eachBase,
  eachClient,
  key,
  keys,
  serverRefuses,
  serverVersion,
} from "./harness.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** A library name no other case uses (library names are identifiers). */
function libName(label: string): string {
  return `${label}_${key("").replace(/[^A-Za-z0-9]/g, "_")}`;
}

/** Library code with an echo function, a writing function and a read-only function. */
function libCode(lib: string, ret = "args[1]"): string {
  return `#!lua name=${lib}
redis.register_function('${lib}_echo', function(keys, args) return ${ret} end)
redis.register_function('${lib}_set', function(keys, args)
  redis.call('SET', keys[1], args[1]); return redis.call('GET', keys[1]) end)
redis.register_function{function_name='${lib}_get',
  callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}`;
}

/** SCRIPT EXISTS on the node that owns `k` (cluster) or the server. */
async function cached(c: AnyBaseClient, cluster: boolean, hash: string, k?: string) {
  if (!cluster) return await (c as AnyClient).scriptExists([hash]);
  return await (c as AnyClusterClient).scriptExists(
    [hash],
    k === undefined ? {} : { route: { type: "primarySlotKey", key: k } },
  );
}

/** FUNCTION LOAD on every primary (the cluster default) or the server. */
async function load(c: AnyBaseClient, code: string, replace = false) {
  return await (c as AnyClient).functionLoad(code, { replace });
}

async function drop(c: AnyBaseClient, lib: string) {
  await (c as AnyClient).functionDelete(lib);
}

eachBase("invokeScript with keys and args", async (c) => {
  const [k1, k2] = keys(2);
  const script = new Script("return { KEYS[1], KEYS[2], ARGV[1], ARGV[2] }");
  assert.deepEqual(
    await c.invokeScript(script, { keys: [k1, k2], args: ["a", "b"] }),
    [k1, k2, "a", "b"],
  );
  assert.deepEqual(
    await c.invokeScript(script, {
      keys: [k1, k2],
      args: ["a", bytes("b")],
      decoder: Decoder.Bytes,
    }),
    [bytes(k1), bytes(k2), bytes("a"), bytes("b")],
  );
  const write = new Script(
    "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
  );
  assert.equal(await c.invokeScript(write, { keys: [k1], args: ["value"] }), "value");
  assert.equal(await c.get(k1), "value");
  const noKeys = new Script("return 42");
  assert.equal(await c.invokeScript(noKeys), 42);
  assert.equal(await c.invokeScript(new Script("return nil")), null);
  assert.equal(await c.invokeScript(new Script("return redis.status_reply('FINE')")), "FINE");
  assert.deepEqual(await c.invokeScript(new Script("return {1, 'x', {2}}")), [1, "x", [2]]);
  script.release();
  script.release();
  write.release();
  noKeys.release();
});

eachBase("Script hash", async (c, v) => {
  const s = new Script("return 1");
  assert.equal(s.getHash(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  const b = new Script(bytes("return 1"));
  assert.equal(b.getHash(), s.getHash());
  const unicode = new Script("return 'ünï ✓'");
  assert.equal(await c.invokeScript(unicode), "ünï ✓");
  // The digest matches the server's own.
  const k = key();
  assert.deepEqual(
    await cached(c, v.cluster, unicode.getHash(), undefined),
    v.cluster ? [true] : [true],
  );
  assert.equal(await c.invokeScript(b, { keys: [k] }), 1);
  assert.deepEqual(await cached(c, v.cluster, b.getHash(), k), [true]);
  assert.throws(() => new Script(42 as unknown as string), ConfigurationError);
});

eachBase("invokeScript loads the script again after SCRIPT FLUSH (NOSCRIPT)", async (c, v) => {
  const k = key();
  const script = new Script(`return 'flushed ' .. ARGV[1] .. ' ${k}'`);
  const hash = script.getHash();
  assert.deepEqual(await cached(c, v.cluster, hash, k), [false]);
  assert.equal(await c.invokeScript(script, { keys: [k], args: ["1"] }), `flushed 1 ${k}`);
  assert.deepEqual(await cached(c, v.cluster, hash, k), [true]);
  if (v.cluster) await (c as AnyClusterClient).scriptFlush({ mode: FlushMode.SYNC });
  else await (c as AnyClient).scriptFlush(FlushMode.SYNC);
  assert.deepEqual(await cached(c, v.cluster, hash, k), [false]);
  assert.equal(await c.invokeScript(script, { keys: [k], args: ["2"] }), `flushed 2 ${k}`);
  // Loaded on the node that runs the keys' slot.
  assert.deepEqual(await cached(c, v.cluster, hash, k), [true]);
  // Without keys: loaded wherever it runs.
  if (v.cluster) await (c as AnyClusterClient).scriptFlush();
  else await (c as AnyClient).scriptFlush(FlushMode.ASYNC);
  assert.equal(await c.invokeScript(script, { args: ["3"] }), `flushed 3 ${k}`);
  assert.equal(await c.invokeScript(script, { args: ["4"] }), `flushed 4 ${k}`);
  if (v.cluster) await (c as AnyClusterClient).scriptFlush();
  else await (c as AnyClient).scriptFlush();
});

eachBase("invokeScript errors are RequestErrors", async (c) => {
  const k = key();
  await c.set(k, "text");
  await assert.rejects(
    async () =>
      await c.invokeScript(new Script("return redis.call('INCR', KEYS[1])"), { keys: [k] }),
    RequestError,
  );
  await assert.rejects(
    async () => await c.invokeScript(new Script("error('boom')")),
    (e) => e instanceof RequestError && /boom/.test(e.message),
  );
  await assert.rejects(
    async () => await c.invokeScript(new Script("return redis.error_reply('MYERR custom')")),
    (e) => e instanceof RequestError && /MYERR custom/.test(e.message),
  );
  await assert.rejects(
    async () => await c.invokeScript(new Script("this is not lua")),
    RequestError,
  );
  // Wrong WRONGTYPE-style error from a command inside the script.
  await assert.rejects(
    async () =>
      await c.invokeScript(new Script("return redis.call('LPUSH', KEYS[1], 'x')"), { keys: [k] }),
    (e) => e instanceof RequestError && /WRONGTYPE/.test(e.message),
  );
  // Bad arguments never reach the server.
  const s = new Script("return 1");
  await assert.rejects(
    async () => await c.invokeScript(s, { keys: "k" as unknown as string[] }),
    ConfigurationError,
  );
  await assert.rejects(
    async () => await c.invokeScript(s, { args: [1 as unknown as string] }),
    ConfigurationError,
  );
  await assert.rejects(
    async () => await c.invokeScript({} as unknown as Script),
    ConfigurationError,
  );
  // The client still works.
  assert.equal(await c.invokeScript(s), 1);
});

eachBase("scriptShow", async (c) => {
  const script = new Script("return 'shown'");
  assert.equal(await c.invokeScript(script), "shown");
  const [major] = await serverVersion(c);
  if (major >= 8) {
    assert.equal(await c.scriptShow(script.getHash()), "return 'shown'");
    assert.deepEqual(
      await c.scriptShow(script.getHash(), { decoder: Decoder.Bytes }),
      bytes("return 'shown'"),
    );
    await assert.rejects(async () => await c.scriptShow("0".repeat(40)), RequestError);
  } else {
    await assert.rejects(async () => await c.scriptShow(script.getHash()), RequestError);
  }
  assert.equal(await c.invokeScript(script), "shown");
});

eachBase("fcall and fcallReadonly", async (c) => {
  const lib = libName("fc");
  const [k] = keys(1);
  assert.equal(await load(c, libCode(lib)), lib);
  try {
    assert.equal(await c.fcall(`${lib}_echo`, [], ["hello"]), "hello");
    assert.deepEqual(
      await c.fcall(`${lib}_echo`, [], [bytes("hi")], { decoder: Decoder.Bytes }),
      bytes("hi"),
    );
    assert.equal(await c.fcall(`${lib}_set`, [k], ["v1"]), "v1");
    assert.equal(await c.get(k), "v1");
    assert.equal(await c.fcallReadonly(`${lib}_get`, [k], []), "v1");
    assert.deepEqual(
      await c.fcallReadonly(`${lib}_get`, [k], [], { decoder: Decoder.Bytes }),
      bytes("v1"),
    );
    assert.equal(await c.fcall(`${lib}_get`, [k], []), "v1");
    // A writing function is refused by FCALL_RO.
    await assert.rejects(
      async () => await c.fcallReadonly(`${lib}_set`, [k], ["v2"]),
      RequestError,
    );
    await assert.rejects(async () => await c.fcall(`${lib}_missing`, [], []), RequestError);
    await assert.rejects(
      async () => await c.fcall(`${lib}_echo`, "k" as unknown as string[], []),
      ConfigurationError,
    );
    // WRONGTYPE from inside the function.
    const h = key();
    await c.hset(h, { f: "v" });
    await assert.rejects(
      async () => await c.fcallReadonly(`${lib}_get`, [h], []),
      (e) => e instanceof RequestError && /WRONGTYPE/.test(e.message),
    );
  } finally {
    await drop(c, lib);
  }
  await assert.rejects(async () => await c.fcall(`${lib}_echo`, [], ["x"]), RequestError);
});

// ---- standalone-only management commands ----

eachClient("functionLoad, functionList and functionDelete", async (c) => {
  const lib = libName("ls");
  const code = libCode(lib);
  assert.equal(await c.functionLoad(code), lib);
  try {
    await assert.rejects(async () => await c.functionLoad(code), RequestError);
    assert.deepEqual(
      await c.functionLoad(libCode(lib, "'replaced'"), { replace: true, decoder: Decoder.Bytes }),
      bytes(lib),
    );
    assert.equal(await c.fcall(`${lib}_echo`, [], ["x"]), "replaced");
    const list = await c.functionList({ libNamePattern: lib });
    assert.equal(list.length, 1);
    const [info] = list;
    assert.equal(info.library_name, lib);
    assert.equal(info.engine, "LUA");
    assert.equal(info.library_code, undefined);
    const fns = (info.functions as Record<string, unknown>[])
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    assert.deepEqual(fns, [
      { name: `${lib}_echo`, description: null, flags: [] },
      { name: `${lib}_get`, description: null, flags: ["no-writes"] },
      { name: `${lib}_set`, description: null, flags: [] },
    ]);
    const withCode = await c.functionList({ libNamePattern: `${lib}*`, withCode: true });
    assert.equal(withCode[0].library_code, libCode(lib, "'replaced'"));
    const raw = await c.functionList({ libNamePattern: lib, decoder: Decoder.Bytes });
    assert.deepEqual(raw[0].library_name, bytes(lib));
    const all = await c.functionList();
    assert.ok(all.some((l) => l.library_name === lib));
    assert.deepEqual(await c.functionList({ libNamePattern: `${lib}_nope*` }), []);
    assert.equal(await c.functionDelete(lib), "OK");
    assert.deepEqual(await c.functionList({ libNamePattern: lib }), []);
  } finally {
    await c.functionFlush(FlushMode.SYNC);
  }
  await assert.rejects(async () => await c.functionDelete(lib), RequestError);
  await assert.rejects(async () => await c.functionLoad("not a library"), RequestError);
});

eachClient("functionDump and functionRestore", async (c) => {
  const lib = libName("dump");
  await c.functionLoad(libCode(lib));
  try {
    const payload = await c.functionDump();
    assert.ok(payload instanceof Uint8Array && payload.length > 0);
    // A library of the same name is a collision under APPEND (the default).
    await assert.rejects(async () => await c.functionRestore(payload), RequestError);
    await assert.rejects(
      async () => await c.functionRestore(payload, FunctionRestorePolicy.APPEND),
      RequestError,
    );
    assert.equal(await c.functionRestore(payload, FunctionRestorePolicy.REPLACE), "OK");
    assert.equal(await c.functionRestore(payload, FunctionRestorePolicy.FLUSH), "OK");
    assert.equal(await c.functionFlush(FlushMode.ASYNC), "OK");
    assert.deepEqual(await c.functionList(), []);
    assert.equal(await c.functionRestore(payload), "OK");
    assert.equal(await c.fcall(`${lib}_echo`, [], ["back"]), "back");
    await assert.rejects(
      async () => await c.functionRestore(payload, "MERGE" as FunctionRestorePolicy),
      ConfigurationError,
    );
    await assert.rejects(async () => await c.functionRestore(bytes("garbage")), RequestError);
  } finally {
    assert.equal(await c.functionFlush(), "OK");
  }
  // An empty server dumps an (empty) payload too.
  assert.ok((await c.functionDump()) instanceof Uint8Array);
  await assert.rejects(
    async () => await c.functionFlush("LATER" as FlushMode),
    ConfigurationError,
  );
});

eachClient("functionStats", async (c) => {
  const lib = libName("stats");
  await c.functionLoad(libCode(lib));
  try {
    const stats = await c.functionStats();
    const addresses = Object.keys(stats);
    assert.equal(addresses.length, 1);
    assert.match(addresses[0], /:\d+$/);
    const node = stats[addresses[0]];
    assert.equal(node.running_script, null);
    assert.deepEqual(node.engines, { LUA: { libraries_count: 1, functions_count: 3 } });
    const raw = await c.functionStats({ decoder: Decoder.Bytes });
    assert.deepEqual(Object.values(raw)[0], node);
  } finally {
    await c.functionFlush();
  }
  const empty = Object.values(await c.functionStats())[0];
  assert.deepEqual(empty.engines, { LUA: { libraries_count: 0, functions_count: 0 } });
});

eachClient("functionKill and scriptKill with nothing running are NOTBUSY", async (c) => {
  await assert.rejects(
    async () => await c.functionKill(),
    (e) => e instanceof RequestError && /NOTBUSY/.test(e.message),
  );
  await assert.rejects(
    async () => await c.scriptKill(),
    (e) => e instanceof RequestError && /NOTBUSY/.test(e.message),
  );
  assert.equal(await c.ping(), "PONG");
});

eachClient("scriptExists and scriptFlush", async (c) => {
  const a = new Script(`return '${key()}'`);
  const b = new Script(`return '${key()}'`);
  await c.invokeScript(a);
  assert.deepEqual(await c.scriptExists([a.getHash(), b.getHash()]), [true, false]);
  assert.deepEqual(await c.scriptExists([bytes(a.getHash())]), [true]);
  assert.equal(await c.scriptFlush(), "OK");
  assert.deepEqual(await c.scriptExists([a.getHash()]), [false]);
  assert.equal(await c.scriptFlush(FlushMode.SYNC), "OK");
  await serverRefuses(() => c.scriptExists([]));
  await assert.rejects(async () => await c.scriptFlush("NOW" as FlushMode), ConfigurationError);
});
