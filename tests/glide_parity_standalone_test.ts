// Standalone behaviours GLIDE Node's GlideClient.test.ts checks that the rest of this suite did
// not: see .scratch/glide_client_tests_audit.md for the case-by-case table.
import assert from "node:assert/strict";
import {
  Batch,
  ClientSideCache,
  type ClientTrackingInfo,
  ClosingError,
  ConfigurationError,
  ConnectionError,
  Decoder,
  FunctionRestorePolicy,
  ProtocolVersion,
  RequestError,
  Script,
} from "../mod.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { startStandalone } from "../tasks/servers.ts";
import { dispose, eachClient, key, keys, makeClient, serverVersion, VARIANTS } from "./harness.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** An address nothing resolves. */
const NO_SUCH_HOST = { host: "no-such-host.glide-parity.invalid", port: 6379 };

// --- configuration ---------------------------------------------------------------------------

Deno.test("clientInfoTag with whitespace (space, tab, newline) is a ConfigurationError", async () => {
  for (const clientInfoTag of ["has space", "has\ttab", "has\nnewline"]) {
    const config = {
      addresses: [{ host: "127.0.0.1", port: 1 }],
      lazyConnect: true,
      clientInfoTag,
    };
    await assert.rejects(AsyncClient.createClient(config), ConfigurationError, clientInfoTag);
    assert.throws(() => SyncClient.createClient(config), ConfigurationError, clientInfoTag);
  }
});

for (const v of VARIANTS) {
  Deno.test(`a host that does not resolve: eager creation fails, lazy creation defers the error to the first command [${v.name}]`, async () => {
    await assert.rejects(
      async () => await makeClient(v, { addresses: [NO_SUCH_HOST], requestTimeout: 1000 }),
      ConnectionError,
    );
    const lazy = await makeClient(v, {
      addresses: [NO_SUCH_HOST],
      requestTimeout: 1000,
      lazyConnect: true,
    });
    try {
      await assert.rejects(async () => await lazy.ping(), ConnectionError);
    } finally {
      await dispose(lazy);
    }
  });
}

Deno.test("connectionTimeout while the server is blocked (DEBUG SLEEP): a short one fails in about its time, a long one waits the block out", async () => {
  const server = await startStandalone();
  const addresses = [{ host: server.host, port: server.port }];
  try {
    for (const v of [VARIANTS[0], VARIANTS[3]]) {
      const blocker = await AsyncClient.createClient({ addresses, requestTimeout: 20_000 });
      try {
        const sleeping = blocker.customCommand(["DEBUG", "SLEEP", "3"]);
        await new Promise((r) => setTimeout(r, 300));
        const started = performance.now();
        await assert.rejects(
          async () =>
            await makeClient(v, {
              addresses,
              connectionBackoff: { exponentBase: 2, factor: 100, numberOfRetries: 1 },
              advancedConfiguration: { connectionTimeout: 1000 },
            }),
          ConnectionError,
        );
        const took = performance.now() - started;
        assert.ok(took >= 800 && took < 2500, `failed after ${took.toFixed(0)} ms`);
        // A connection timeout longer than what is left of the block connects.
        const patient = await makeClient(v, {
          addresses,
          advancedConfiguration: { connectionTimeout: 10_000 },
        });
        try {
          assert.equal(await patient.ping(), "PONG");
        } finally {
          await dispose(patient);
        }
        assert.equal(await sleeping, "OK");
      } finally {
        await blocker[Symbol.asyncDispose]();
      }
    }
  } finally {
    await server.stop();
  }
});

for (const limit of [5, 100]) {
  for (const v of VARIANTS.filter((v) => !v.sync)) {
    Deno.test(`inflightRequestsLimit ${limit} with blocking commands: the next request is refused at once, the blocked ones stay pending [${v.name}]`, async () => {
      const c = await makeClient(v, { inflightRequestsLimit: limit }) as AsyncClient;
      const k = key("nonexistinglist");
      const blocked = Array.from({ length: limit }, () => c.blpop([k], 0));
      const settled = blocked.map((p) => p.then(() => "resolved", (e) => e));
      try {
        const started = performance.now();
        await assert.rejects(c.blpop([k], 0), (e) => {
          assert.ok(e instanceof RequestError, String(e));
          assert.match((e as Error).message, /inflightRequestsLimit/);
          return true;
        });
        assert.ok(performance.now() - started < 500);
        const first = await Promise.race([
          Promise.any(settled),
          new Promise((r) => setTimeout(() => r("pending"), 100)),
        ]);
        assert.equal(first, "pending");
      } finally {
        await dispose(c);
      }
      // Closing the client ends the blocked requests with ClosingError.
      for (const outcome of await Promise.all(settled)) {
        assert.ok(outcome instanceof ClosingError, String(outcome));
      }
    });
  }
}

eachClient("info() without sections is the server's default set", async (c) => {
  const text = await c.info();
  assert.match(text, /# Server/);
  assert.match(text, /# Replication/);
  assert.doesNotMatch(text, /# Latencystats/);
  assert.doesNotMatch(text, /# Commandstats/);
});

// --- client-side cache and tracking ----------------------------------------------------------

for (const sync of [false, true]) {
  Deno.test(`clientTrackingInfo with a server-assisted client-side cache [${sync ? "sync" : "async"}]`, async () => {
    const cache = ClientSideCache.create(1, 60_000, { serverAssisted: true });
    const c = await makeClient(
      { name: "RESP3", sync, protocol: ProtocolVersion.RESP3 },
      { clientSideCache: cache },
    );
    try {
      const info = await c.clientTrackingInfo() as ClientTrackingInfo;
      assert.ok(info.flags.has("on") && info.flags.has("bcast"), [...info.flags].join(","));
      assert.equal(info.redirect, 0);
      assert.deepEqual(info.prefixes, new Set([""]));
    } finally {
      await dispose(c);
    }
  });
}

// --- batches ---------------------------------------------------------------------------------

eachClient("dump in a batch with the Bytes decoder, restore in another", async (c) => {
  for (const atomic of [true, false]) {
    const [a, b] = [key(), key()];
    const first = await c.exec(new Batch(atomic).set(a, "value").dump(a), true, {
      decoder: Decoder.Bytes,
    });
    assert.ok(first !== null);
    assert.equal(first[0], "OK");
    const payload = first[1];
    assert.ok(payload instanceof Uint8Array && payload.length > 0);
    assert.deepEqual(await c.exec(new Batch(atomic).restore(b, 0, payload), true), ["OK"]);
    assert.equal(await c.get(b), "value");
    await c.del([a, b]);
  }
});

eachClient("select, copy with destinationDB and move inside batches", async (c) => {
  const [source, destination] = keys(2, "copydb");
  try {
    for (const atomic of [true, false]) {
      const r = await c.exec(
        new Batch(atomic)
          .select(1)
          .set(source, "v1")
          .copy(source, destination, { destinationDB: 2, replace: true })
          .select(2)
          .get(destination)
          .select(0),
        true,
      );
      assert.deepEqual(r, ["OK", "OK", true, "OK", "v1", "OK"]);
    }
    // MOVE from database 1: false while the key is missing there, true once it exists.
    const moved = await c.exec(
      new Batch(false)
        .select(1)
        .del([source])
        .move(source, 0)
        .set(source, "v2")
        .move(source, 0)
        .select(0)
        .get(source),
      true,
    );
    assert.deepEqual(moved, ["OK", 1, false, "OK", true, "OK", "v2"]);
  } finally {
    await c.del([source]);
    for (const db of [1, 2]) {
      await c.select(db);
      await c.del([source, destination]);
    }
    await c.select(0);
  }
});

eachClient("functionDump and functionRestore inside batches", async (c, v) => {
  if ((await serverVersion(c))[0] < 7) return;
  const lib = `parity_${v.sync ? "s" : "a"}${v.protocol}_${Date.now().toString(36)}`;
  await c.functionLoad(
    `#!lua name=${lib}\nredis.register_function('${lib}_first', function(keys, args) return args[1] end)`,
  );
  try {
    for (const atomic of [true, false]) {
      const dumped = await c.exec(new Batch(atomic).functionDump(), true, {
        decoder: Decoder.Bytes,
      });
      const payload = dumped?.[0];
      assert.ok(payload instanceof Uint8Array && payload.length > 0);
      const r = await c.exec(
        new Batch(atomic)
          .functionRestore(payload, FunctionRestorePolicy.REPLACE)
          .fcall(`${lib}_first`, [], ["meow"]),
        true,
      );
      assert.deepEqual(r, ["OK", "meow"]);
    }
  } finally {
    await c.functionDelete(lib);
  }
});

eachClient("lolwut: Valkey 9's version 9, and lolwut inside batches", async (c) => {
  const version = (await serverVersion(c)).join(".");
  const mentionsVersion = (art: unknown) => {
    const text = art instanceof Uint8Array ? new TextDecoder().decode(art) : String(art);
    assert.ok(text.includes("ver") && text.includes(version), text.slice(-80));
  };
  mentionsVersion(await c.lolwut({ parameters: [] }));
  mentionsVersion(await c.lolwut({ parameters: [50, 20] }));
  if ((await serverVersion(c))[0] >= 9) {
    mentionsVersion(await c.lolwut({ version: 9, parameters: [30, 4] }));
    mentionsVersion(await c.lolwut({ version: 9, parameters: [40, 20, 1, 2] }));
  }
  for (const atomic of [true, false]) {
    const r = await c.exec(
      new Batch(atomic)
        .lolwut()
        .lolwut({ version: 5 })
        .lolwut({ parameters: [1, 2] })
        .lolwut({ version: 6, parameters: [42] }),
      true,
    );
    assert.equal(r?.length, 4);
    for (const art of r!) mentionsVersion(art);
  }
});

// --- WATCH -----------------------------------------------------------------------------------

eachClient(
  "watch: binary keys, an empty list is the server's error, unwatch with nothing watched",
  async (c) => {
    const [a, b, other] = keys(3, "watch");
    assert.equal(await c.unwatch(), "OK");
    assert.equal(await c.watch([a, enc(b)]), "OK");
    assert.deepEqual(await c.exec(new Batch(true).set(a, "1").set(b, "2"), true), ["OK", "OK"]);
    // A watched key that is only read before EXEC does not abort the transaction.
    assert.equal(await c.watch([a]), "OK");
    assert.equal(await c.get(a), "1");
    assert.deepEqual(await c.exec(new Batch(true).set(other, "x"), true), ["OK"]);
    await assert.rejects(async () => await c.watch([]), RequestError);
    await c.del([a, b, other]);
  },
);

// --- killing running scripts and functions ---------------------------------------------------

/** A server of the test's own that reports BUSY after 100 ms of script (default: 5 s). */
async function withBusyServer(
  fn: (addresses: { host: string; port: number }[]) => Promise<void>,
): Promise<void> {
  const server = await startStandalone();
  const addresses = [{ host: server.host, port: server.port }];
  try {
    const admin = await AsyncClient.createClient({ addresses });
    try {
      await admin.configSet({ "busy-reply-threshold": "100" });
    } finally {
      admin.close();
    }
    await fn(addresses);
  } finally {
    await server.stop();
  }
}

/** Lua that spins for `ms` milliseconds of server time, writing `KEYS[1]` first if `write`. */
function spin(ms: number, write: boolean): string {
  return `${write ? "redis.call('SET', KEYS[1], 'x')\n" : ""}` +
    "local function now() local t = redis.call('TIME') return t[1] * 1000 + t[2] / 1000 end\n" +
    `local t0 = now() while now() < t0 + ${ms} do end return 'spun'`;
}

/** Calls `kill` until the server is busy enough to take it (NOTBUSY before the script runs). */
async function killWhenBusy(kill: () => unknown): Promise<unknown> {
  for (let i = 0;; i++) {
    try {
      return await kill();
    } catch (e) {
      if (i < 40 && e instanceof RequestError && /NOTBUSY/.test(e.message)) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      throw e;
    }
  }
}

/** A promise's value or error, whichever it settles with. */
const outcome = (p: Promise<unknown>): Promise<{ value?: unknown; error?: Error }> =>
  p.then((value) => ({ value }), (e: unknown) => ({ error: e as Error }));

// Each kind of client as the killer; sync RESP3 stands for the sync kind.
for (const v of VARIANTS.filter((v) => !v.sync || v.protocol === ProtocolVersion.RESP3)) {
  Deno.test(`functionKill stops a running read-only function; a function that wrote is UNKILLABLE [${v.name}]`, async () => {
    await withBusyServer(async (addresses) => {
      const killer = await makeClient(v, { addresses, requestTimeout: 10_000 });
      const runner = await AsyncClient.createClient({ addresses, requestTimeout: 10_000 });
      try {
        if ((await serverVersion(killer))[0] < 7) return;
        await runner.functionLoad(
          "#!lua name=parity_kill\n" +
            `redis.register_function{function_name='spin_ro', flags={'no-writes'}, callback=function(KEYS, ARGV)\n${
              spin(5000, false)
            }\nend}\n` +
            `redis.register_function{function_name='spin_rw', callback=function(KEYS, ARGV)\n${
              spin(1500, true)
            }\nend}`,
        );
        const ro = outcome(runner.fcall("spin_ro", [], []));
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(await killWhenBusy(() => killer.functionKill()), "OK");
        const killed = await ro;
        assert.ok(killed.error instanceof RequestError, JSON.stringify(killed));
        assert.match(killed.error!.message, /killed/i);

        const rw = outcome(runner.fcall("spin_rw", ["parity:kill"], []));
        await new Promise((r) => setTimeout(r, 200));
        await assert.rejects(
          async () => await killWhenBusy(() => killer.functionKill()),
          (e) => e instanceof RequestError && /UNKILLABLE/.test(e.message),
        );
        // It runs to its end.
        assert.deepEqual(await rw, { value: "spun" });
        await assert.rejects(
          async () => await killer.functionKill(),
          (e) => e instanceof RequestError && /NOTBUSY/.test(e.message),
        );
      } finally {
        await dispose(killer);
        await runner[Symbol.asyncDispose]();
      }
    });
  });

  Deno.test(`scriptKill stops a running read-only script; a script that wrote is UNKILLABLE [${v.name}]`, async () => {
    await withBusyServer(async (addresses) => {
      const killer = await makeClient(v, { addresses, requestTimeout: 10_000 });
      const runner = await AsyncClient.createClient({ addresses, requestTimeout: 10_000 });
      const readOnly = new Script(spin(5000, false));
      const writing = new Script(spin(1500, true));
      try {
        await assert.rejects(
          async () => await killer.scriptKill(),
          (e) => e instanceof RequestError && /No scripts in execution right now/i.test(e.message),
        );
        const ro = outcome(runner.invokeScript(readOnly));
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(await killWhenBusy(() => killer.scriptKill()), "OK");
        const killed = await ro;
        assert.ok(killed.error instanceof RequestError, JSON.stringify(killed));
        assert.match(killed.error!.message, /killed/i);

        const rw = outcome(runner.invokeScript(writing, { keys: ["parity:script"] }));
        await new Promise((r) => setTimeout(r, 200));
        await assert.rejects(
          async () => await killWhenBusy(() => killer.scriptKill()),
          (e) => e instanceof RequestError && /UNKILLABLE/.test(e.message),
        );
        assert.deepEqual(await rw, { value: "spun" });
      } finally {
        readOnly.release();
        writing.release();
        await dispose(killer);
        await runner[Symbol.asyncDispose]();
      }
    });
  });
}
