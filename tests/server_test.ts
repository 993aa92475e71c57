import assert from "node:assert/strict";
import { ConfigurationError, Decoder, FlushMode, InfoOptions, RequestError } from "../mod.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { ServerProcess } from "../tasks/server_process.ts";
import {
  type AnyClient,
  bgsaveCancelKnown,
  dispose,
  eachClient,
  key,
  makeClient,
  serverRefuses,
  serverVersion,
  type Variant,
  VARIANTS,
} from "./harness.ts";

eachClient("ping and echo", async (c) => {
  assert.equal(await c.ping(), "PONG");
  assert.equal(await c.ping({ message: "hi" }), "hi");
  assert.deepEqual(
    await c.ping({ message: "hi", decoder: Decoder.Bytes }),
    new TextEncoder().encode("hi"),
  );
  assert.equal(await c.echo("hello"), "hello");
  assert.deepEqual(
    await c.echo(new Uint8Array([0, 255])),
    new TextDecoder().decode(new Uint8Array([0, 255])),
  );
  assert.deepEqual(
    await c.echo(new Uint8Array([0, 255]), { decoder: Decoder.Bytes }),
    new Uint8Array([0, 255]),
  );
});

eachClient("select, dbsize, flushall", async (c) => {
  const k = key();
  assert.equal(await c.select(3), "OK");
  await c.flushall(FlushMode.SYNC);
  assert.equal(await c.dbsize(), 0);
  await c.set(k, "v");
  assert.equal(await c.dbsize(), 1);
  assert.equal(await c.select(0), "OK");
  assert.equal(await c.get(k), null);
  assert.equal(await c.select(3), "OK");
  assert.equal(await c.get(k), "v");
  assert.equal(await c.flushall(FlushMode.ASYNC), "OK");
  assert.equal(await c.flushall(), "OK");
  await assert.rejects(async () => await c.select(100000), RequestError);
  await assert.rejects(async () => await c.select(-1.5), RequestError);
});

eachClient("info", async (c) => {
  const all = await c.info();
  assert.match(all, /# Server/);
  const some = await c.info([InfoOptions.Server, InfoOptions.Memory]);
  assert.match(some, /# Memory/);
  assert.doesNotMatch(some, /# Keyspace/);
  await assert.rejects(async () => await c.info(["nope" as InfoOptions]), RequestError);
});

eachClient("customCommand", async (c) => {
  const k = key();
  assert.equal(await c.customCommand(["SET", k, "1"]), "OK");
  assert.equal(await c.customCommand(["INCR", k]), 2);
  assert.deepEqual(await c.customCommand(["MGET", k, key()]), ["2", null]);
  await assert.rejects(async () => await c.customCommand(["NOSUCHCOMMAND"]), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /unknown command/i);
    return true;
  });
});

Deno.test("databaseId and clientName from the configuration", async () => {
  for (const v of VARIANTS) {
    const c = await makeClient(v, { databaseId: 5, clientName: "glide-test" });
    try {
      const k = key();
      await c.set(k, "v");
      assert.equal(await c.customCommand(["CLIENT", "GETNAME"]), "glide-test");
      const info = await c.customCommand(["CLIENT", "INFO"]);
      assert.match(String(info), /db=5/);
    } finally {
      await dispose(c);
    }
  }
});

/** Waits until no background save or AOF rewrite runs or is scheduled. */
async function persistenceIdle(c: AnyClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const text = await c.info([InfoOptions.Persistence]);
    if (
      /rdb_bgsave_in_progress:0/.test(text) && /aof_rewrite_in_progress:0/.test(text) &&
      /aof_rewrite_scheduled:0/.test(text)
    ) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("background persistence did not finish");
}

const enc = new TextEncoder();

eachClient("flushdb keeps the other databases", async (c) => {
  const [a, b] = [key(), key()];
  try {
    await c.select(4);
    await c.set(a, "1");
    await c.select(5);
    await c.set(b, "2");
    assert.equal(await c.flushdb(), "OK");
    assert.equal(await c.dbsize(), 0);
    assert.equal(await c.flushdb(FlushMode.SYNC), "OK");
    await c.select(4);
    assert.equal(await c.get(a), "1");
    assert.equal(await c.flushdb(FlushMode.ASYNC), "OK");
    assert.equal(await c.get(a), null);
    await assert.rejects(async () => await c.flushdb("LAZY" as FlushMode), ConfigurationError);
    await assert.rejects(async () => await c.flushall("LAZY" as FlushMode), ConfigurationError);
  } finally {
    await c.select(0);
  }
});

eachClient("configGet", async (c) => {
  const one = await c.configGet(["maxmemory-policy"]);
  assert.deepEqual(one, { "maxmemory-policy": "noeviction" });
  const many = await c.configGet(["slowlog-max-len", "slowlog-log-slower-than", "timeout"]);
  assert.deepEqual(Object.keys(many).sort(), [
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "timeout",
  ]);
  assert.equal(typeof many["timeout"], "string");
  const pattern = await c.configGet(["slowlog-*"]);
  assert.ok("slowlog-max-len" in pattern);
  assert.deepEqual(await c.configGet(["no-such-parameter"]), {});
  assert.deepEqual(await c.configGet(["maxmemory-policy"], { decoder: Decoder.Bytes }), {
    "maxmemory-policy": enc.encode("noeviction"),
  });
  await serverRefuses(() => c.configGet([]));
});

eachClient("configSet, restored afterwards", async (c) => {
  const before = await c.configGet(["slowlog-max-len", "slowlog-log-slower-than"]);
  try {
    assert.equal(await c.configSet({ "slowlog-max-len": "321" }), "OK");
    assert.deepEqual(await c.configGet(["slowlog-max-len"]), { "slowlog-max-len": "321" });
    assert.equal(
      await c.configSet({
        "slowlog-max-len": enc.encode("322"),
        "slowlog-log-slower-than": "12345",
      }),
      "OK",
    );
    assert.deepEqual(await c.configGet(["slowlog-max-len", "slowlog-log-slower-than"]), {
      "slowlog-max-len": "322",
      "slowlog-log-slower-than": "12345",
    });
    await assert.rejects(async () => await c.configSet({ "no-such-parameter": "1" }), RequestError);
    await assert.rejects(async () => await c.configSet({ "slowlog-max-len": "x" }), RequestError);
    await serverRefuses(() => c.configSet({}));
  } finally {
    await c.configSet(before);
  }
  assert.deepEqual(await c.configGet(["slowlog-max-len", "slowlog-log-slower-than"]), before);
});

eachClient("configResetStat and configRewrite", async (c) => {
  await c.get(key());
  assert.equal(await c.configResetStat(), "OK");
  const stats = await c.info([InfoOptions.Stats]);
  assert.match(stats, /keyspace_misses:0/);
  // The test server runs without a config file: the server's refusal is a RequestError.
  await assert.rejects(async () => await c.configRewrite(), (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /config/i);
    return true;
  });
  assert.equal(await c.ping(), "PONG");
});

eachClient("time and lastsave", async (c) => {
  const t = await c.time();
  assert.equal(t.length, 2);
  assert.match(t[0], /^\d+$/);
  assert.match(t[1], /^\d+$/);
  assert.ok(Math.abs(Number(t[0]) - Date.now() / 1000) < 60);
  assert.ok(Number(t[1]) < 1_000_000);
  const last = await c.lastsave();
  assert.equal(typeof last, "number");
  assert.ok(last > 1_600_000_000 && last <= Number(t[0]) + 1);
});

eachClient("lolwut", async (c) => {
  assert.match(await c.lolwut(), /ver\. \d+/);
  assert.match(await c.lolwut({ version: 5 }), /ver\. \d+/);
  const six = await c.lolwut({ version: 6, parameters: [20, 5] });
  assert.match(six, /ver\. \d+/);
  assert.match(await c.lolwut({ version: 5, parameters: [30, 4, 4] }), /ver\. \d+/);
  await assert.rejects(async () => await c.lolwut({ version: 1.5 }), ConfigurationError);
  await assert.rejects(async () => await c.lolwut({ parameters: [NaN] }), ConfigurationError);
});

eachClient("save, bgsave, bgsaveSchedule, bgsaveCancel, bgrewriteaof", async (c) => {
  await c.set(key(), "v");
  await persistenceIdle(c);
  const before = await c.lastsave();
  assert.equal(await c.save(), "OK");
  assert.ok(await c.lastsave() >= before);
  await persistenceIdle(c);
  assert.match(await c.bgsave(), /Background saving started/);
  // A second BGSAVE while the first runs is refused; SCHEDULE queues one instead.
  await persistenceIdle(c);
  assert.match(await c.bgsaveSchedule(), /Background saving (started|scheduled)/);
  await persistenceIdle(c);
  const [major, minor] = await serverVersion(c);
  if (major > 8 || (major === 8 && minor >= 1)) {
    await bgsaveCancelKnown(() => c.bgsaveCancel());
  } else {
    await assert.rejects(async () => await c.bgsaveCancel(), RequestError);
  }
  assert.match(await c.bgrewriteaof(), /Background append only file rewriting/);
  await persistenceIdle(c);
  assert.equal(await c.ping(), "PONG");
});

eachClient("memory commands", async (c) => {
  await c.set(key(), "v");
  assert.ok((await c.memoryDoctor()).length > 0);
  assert.ok((await c.memoryMallocStats()).length > 0);
  assert.equal(await c.memoryPurge(), "OK");
  const s = await c.memoryStats();
  for (
    const f of [
      "allocatorActive",
      "allocatorAllocated",
      "allocatorResident",
      "aofBuffer",
      "clientsNormal",
      "datasetBytes",
      "keysCount",
      "overheadTotal",
      "peakAllocated",
      "startupAllocated",
      "totalAllocated",
      "fragmentation",
      "datasetPercentage",
      "peakPercentage",
      "rssOverheadRatio",
    ] as const
  ) {
    assert.equal(typeof s[f], "number", f);
    assert.ok(Number.isFinite(s[f]), f);
  }
  assert.ok(s.totalAllocated > 0);
  assert.ok(s.keysCount >= 1);
  assert.ok(s.db[0] !== undefined);
  assert.equal(typeof s.db[0].overheadHashtableMain, "number");
  assert.equal(typeof s.db[0].overheadHashtableExpires, "number");
  assert.equal(typeof s.functionsCaches, "number"); // Redis 7+
});

eachClient("latency commands", async (c) => {
  const before = await c.configGet(["latency-monitor-threshold"]);
  try {
    await c.configSet({ "latency-monitor-threshold": "1" });
    await c.latencyReset();
    assert.deepEqual(await c.latencyHistory("command"), []);
    await c.customCommand(["DEBUG", "SLEEP", "0.02"]);
    const latest = await c.latencyLatest();
    const cmd = latest.find((e) => e.eventName === "command");
    assert.ok(cmd, JSON.stringify(latest));
    assert.ok(cmd.latestDuration >= 1 && cmd.maxDuration >= cmd.latestDuration);
    assert.ok(Math.abs(cmd.latestTime - Date.now() / 1000) < 60);
    const history = await c.latencyHistory("command");
    assert.equal(history.length, 1);
    assert.ok(history[0].latency >= 1);
    assert.equal(history[0].time, cmd.latestTime);
    assert.deepEqual(await c.latencyHistory("no-such-event"), []);
    assert.equal(await c.latencyReset(["no-such-event"]), 0);
    assert.equal(await c.latencyReset([enc.encode("command")]), 1);
    assert.deepEqual(await c.latencyHistory("command"), []);
    assert.equal(typeof await c.latencyReset(), "number");
  } finally {
    await c.configSet(before);
  }
});

/** A client of variant `v` on a server of this test's own. */
async function privateClient(v: Variant, server: ServerProcess): Promise<AnyClient> {
  const config = {
    addresses: [{ host: server.host, port: server.port }],
    protocol: v.protocol,
    requestTimeout: 5000,
  };
  return v.sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const role = async (c: AnyClient) =>
  /role:(\w+)/.exec(await c.info([InfoOptions.Replication]))?.[1];

Deno.test("replicaof, failover and replicaofNoOne on servers of the test's own", async () => {
  for (const v of VARIANTS) {
    const a = await ServerProcess.launch();
    const b = await ServerProcess.launch();
    const clients: AnyClient[] = [];
    try {
      const primary = await privateClient(v, a);
      clients.push(primary);
      const replica = await privateClient(v, b);
      clients.push(replica);
      const k = key();
      await primary.set(k, "v");
      assert.equal(await replica.replicaof(a.host, a.port), "OK");
      await waitFor("replication", async () => (await replica.get(k)) === "v");
      assert.equal(await role(replica), "slave");
      await waitFor(
        "the replica to be online",
        async () => /slave0:.*state=online/.test(await primary.info([InfoOptions.Replication])),
      );

      // Nothing to abort yet.
      await assert.rejects(async () => await primary.failover({ abort: true }), RequestError);
      await assert.rejects(
        async () => await primary.failover({ to: { host: b.host, port: 1.5 } }),
        ConfigurationError,
      );
      assert.equal(
        await primary.failover({ to: { host: b.host, port: b.port }, timeoutMs: 5000 }),
        "OK",
      );
      await waitFor("the roles to swap", async () => (await role(primary)) === "slave");
      await waitFor("the new primary", async () => (await role(replica)) === "master");

      assert.equal(await primary.replicaofNoOne(), "OK");
      assert.equal(await role(primary), "master");
      assert.equal(await primary.get(k), "v");
      assert.equal(await primary.set(k, "w"), "OK");
      // The replica of a primary that is itself a replica again, then a primary.
      assert.equal(await replica.replicaof(a.host, a.port), "OK");
      await waitFor("replication again", async () => (await replica.get(k)) === "w");
      await assert.rejects(async () => await replica.failover(), RequestError);
      assert.equal(await replica.replicaofNoOne(), "OK");
      await assert.rejects(async () => await replica.replicaof(a.host, 0.5), ConfigurationError);
    } catch (e) {
      throw new Error(`[${v.name}] ${(e as Error).message}`, { cause: e });
    } finally {
      for (const c of clients) await dispose(c);
      await a.stop();
      await b.stop();
    }
  }
});
