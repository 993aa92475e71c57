// Cluster behaviours GLIDE Node's GlideClusterClient.test.ts checks that the rest of this suite
// did not: see .scratch/glide_client_tests_audit.md for the case-by-case table.
import assert from "node:assert/strict";
import {
  BitwiseOperation,
  ClosingError,
  ClusterBatch,
  ConfigurationError,
  ConnectionError,
  Decoder,
  FunctionRestorePolicy,
  GeoUnit,
  InfoOptions,
  ListDirection,
  RequestError,
  ScoreFilter,
} from "../mod.ts";
import { GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  type AnyClusterClient,
  clusterAddresses,
  clusterDatabases,
  disposeCluster,
  eachClusterClient,
  key,
  keys,
  makeClusterClient,
  serverVersion,
  VARIANTS,
} from "./harness.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const text = (v: unknown) => v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);

/** An address nothing resolves. */
const NO_SUCH_HOST = { host: "no-such-host.glide-parity.invalid", port: 7000 };

// --- configuration ---------------------------------------------------------------------------

Deno.test("cluster: clientInfoTag with whitespace (space, tab, newline) is a ConfigurationError", async () => {
  for (const clientInfoTag of ["has space", "has\ttab", "has\nnewline"]) {
    const config = {
      addresses: [{ host: "127.0.0.1", port: 1 }],
      lazyConnect: true,
      clientInfoTag,
    };
    await assert.rejects(
      AsyncClusterClient.createClient(config),
      ConfigurationError,
      clientInfoTag,
    );
    assert.throws(() => SyncClusterClient.createClient(config), ConfigurationError, clientInfoTag);
  }
});

for (const v of VARIANTS) {
  Deno.test(`cluster: a seed host that does not resolve: eager creation fails, lazy creation defers the error to the first command [${v.name}]`, async () => {
    await assert.rejects(
      async () => await makeClusterClient(v, { addresses: [NO_SUCH_HOST], requestTimeout: 1000 }),
      ConnectionError,
    );
    const lazy = await makeClusterClient(v, {
      addresses: [NO_SUCH_HOST],
      requestTimeout: 1000,
      lazyConnect: true,
    });
    try {
      // GLIDE's message names the connection; here the request times out (TimeoutError) while
      // the client still looks for its seed: both are RequestErrors.
      await assert.rejects(async () => await lazy.ping(), RequestError);
    } finally {
      await disposeCluster(lazy);
    }
  });

  Deno.test(`cluster: lazyConnect opens no connection until the first command [${v.name}]`, async () => {
    const name = `lazy_${v.sync ? "s" : "a"}${v.protocol}_${Date.now().toString(36)}`;
    const monitor = await makeClusterClient(v);
    try {
      const seen = async () => {
        const lists = await monitor.customCommand(["CLIENT", "LIST"], { route: "allNodes" });
        return Object.values(lists as Record<string, string>)
          .filter((l) => text(l).includes(`name=${name} `)).length;
      };
      const lazy = await makeClusterClient(v, { lazyConnect: true, clientName: name });
      try {
        assert.equal(await seen(), 0, "connected before the first command");
        assert.equal(await lazy.ping(), "PONG");
        assert.ok(await seen() >= 1, "no connection after the first command");
      } finally {
        await disposeCluster(lazy);
      }
    } finally {
      await disposeCluster(monitor);
    }
  });
}

Deno.test("cluster: connectionTimeout while every node is blocked (DEBUG SLEEP): a short one fails, a long one waits the block out", async () => {
  for (const v of [VARIANTS[0], VARIANTS[3]]) {
    const blocker = await AsyncClusterClient.createClient({
      addresses: clusterAddresses(),
      requestTimeout: 20_000,
    });
    try {
      const sleeping = blocker.customCommand(["DEBUG", "SLEEP", "2"], { route: "allNodes" });
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      await assert.rejects(
        async () =>
          await makeClusterClient(v, { advancedConfiguration: { connectionTimeout: 500 } }),
        ConnectionError,
      );
      assert.ok(performance.now() - started < 1700, "failed only once the block ended");
      const patient = await makeClusterClient(v, {
        advancedConfiguration: { connectionTimeout: 10_000 },
      });
      try {
        assert.equal(await patient.ping(), "PONG");
      } finally {
        await disposeCluster(patient);
      }
      const perNode = await sleeping as Record<string, string>;
      assert.equal(Object.keys(perNode).length, 6);
      assert.ok(Object.values(perNode).every((r) => r === "OK"));
    } finally {
      await blocker[Symbol.asyncDispose]();
    }
  }
});

for (const limit of [5, 100]) {
  for (const v of VARIANTS.filter((v) => !v.sync)) {
    Deno.test(`cluster: inflightRequestsLimit ${limit} with blocking commands: the next request is refused at once, the blocked ones stay pending [${v.name}]`, async () => {
      const c = await makeClusterClient(v, { inflightRequestsLimit: limit }) as AsyncClusterClient;
      const k = `{nonexistinglist}:${key()}`;
      const settled = Array.from({ length: limit }, () => c.blpop([k], 0))
        .map((p) => p.then(() => "resolved", (e) => e));
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
        await disposeCluster(c);
      }
      for (const outcome of await Promise.all(settled)) {
        assert.ok(outcome instanceof ClosingError, String(outcome));
      }
    });
  }
}

for (const v of VARIANTS) {
  Deno.test(`cluster: readFrom allNodes spreads a shard's reads over its primary and its replica [${v.name}]`, async () => {
    const c = await makeClusterClient(v, { readFrom: "allNodes" });
    try {
      const k = key("allnodes");
      await c.set(k, "v");
      await c.configResetStat({ route: "allNodes" });
      const reads = 60;
      for (let i = 0; i < reads; i++) assert.equal(await c.get(k), "v");
      const info = await c.info({
        sections: [InfoOptions.Replication, InfoOptions.Commandstats],
        route: "allNodes",
      }) as Record<string, string>;
      let total = 0;
      const roles = new Set<string>();
      for (const node of Object.values(info)) {
        const calls = Number(/cmdstat_get:calls=(\d+)/.exec(node)?.[1] ?? 0);
        total += calls;
        if (calls > 0) roles.add(/role:(\w+)/.exec(node)![1]);
      }
      assert.equal(total, reads);
      assert.deepEqual([...roles].sort(), ["master", "slave"]);
    } finally {
      await disposeCluster(c);
    }
  });
}

// --- routing ---------------------------------------------------------------------------------

eachClusterClient(
  "info without a route: one reply per primary; randomNode: one node's text",
  async (c) => {
    const server = await c.info({ sections: [InfoOptions.Server] }) as Record<string, string>;
    assert.equal(typeof server, "object");
    assert.equal(Object.keys(server).length, 3);
    for (const t of Object.values(server)) assert.match(t, /# Server/);
    const replication = await c.info({ sections: [InfoOptions.Replication] });
    for (const t of Object.values(replication as Record<string, string>)) {
      assert.match(t, /# Replication/);
      assert.match(t, /role:master/);
    }
    const one = await c.info({ sections: [InfoOptions.Server], route: "randomNode" });
    assert.equal(typeof one, "string");
    assert.match(one as string, /# Server/);
    assert.doesNotMatch(one as string, /# Errorstats/);
  },
);

eachClusterClient(
  "routeByAddress without a port is refused as a RequestError (a rejected promise on the async client)",
  async (c, v) => {
    const route = { type: "routeByAddress", host: "foo" } as const;
    if (!v.sync) {
      const pending = (c as AsyncClusterClient).info({ route });
      assert.ok(pending instanceof Promise, "threw instead of returning a promise");
      await assert.rejects(pending, RequestError);
    } else {
      assert.throws(() => (c as SyncClusterClient).info({ route }), RequestError);
    }
    assert.equal(await c.ping(), "PONG");
  },
);

eachClusterClient("typed multi-key commands over several slots are CROSSSLOT errors", async (c) => {
  const [a, b, d] = ["abc", "zxy", "lkn"]; // three different slots
  const calls: [string, () => unknown][] = [
    ["blpop", () => c.blpop([a, b, d], 0.1)],
    ["brpop", () => c.brpop([a, b, d], 0.1)],
    ["rename", () => c.rename(a, b)],
    ["renamenx", () => c.renamenx(a, b)],
    ["msetnx", () => c.msetnx({ [a]: "1", [b]: "2", [d]: "3" })],
    ["bitop", () => c.bitop(BitwiseOperation.AND, a, [b, d])],
    ["smove", () => c.smove(a, b, "m")],
    ["sinter", () => c.sinter([a, b, d])],
    ["sinterstore", () => c.sinterstore(a, [b, d])],
    ["sunion", () => c.sunion([a, b, d])],
    ["sunionstore", () => c.sunionstore(a, [b, d])],
    ["sdiff", () => c.sdiff([a, b, d])],
    ["sdiffstore", () => c.sdiffstore(a, [b, d])],
    ["zinterstore", () => c.zinterstore(a, [b, d])],
    ["zunionstore", () => c.zunionstore(a, [b, d])],
    ["pfcount", () => c.pfcount([a, b, d])],
    ["pfmerge", () => c.pfmerge(a, [b, d])],
    ["sortStore", () => c.sortStore(a, b)],
    ["sortStore alpha", () => c.sortStore(a, b, { isAlpha: true })],
    ["bzpopmax", () => c.bzpopmax([a, b], 0.1)],
    ["bzpopmin", () => c.bzpopmin([a, b], 0.1)],
    ["xread", () => c.xread({ [a]: "0-0", [b]: "0-0", [d]: "0-0" })],
    ["xreadgroup", () => c.xreadgroup("g", "c", { [a]: ">", [b]: ">", [d]: ">" })],
    ["blmove", () => c.blmove(a, b, ListDirection.LEFT, ListDirection.LEFT, 0.1)],
    ["zdiff", () => c.zdiff([a, b, d])],
    ["zdiffWithScores", () => c.zdiffWithScores([a, b, d])],
    ["zdiffstore", () => c.zdiffstore(a, [b, d])],
    ["copy", () => c.copy(a, b, { replace: true })],
    [
      "geosearchstore",
      () => c.geosearchstore(a, b, { member: "m" }, { radius: 5, unit: GeoUnit.METERS }),
    ],
    ["zrangeStore", () => c.zrangeStore(a, b, { start: 0, end: -1 })],
    ["zinter", () => c.zinter([a, b, d])],
    ["zinterWithScores", () => c.zinterWithScores([a, b, d])],
    ["zunion", () => c.zunion([a, b, d])],
    ["zunionWithScores", () => c.zunionWithScores([a, b, d])],
    ["sintercard", () => c.sintercard([a, b, d])],
    ["zintercard", () => c.zintercard([a, b, d])],
    ["zmpop", () => c.zmpop([a, b, d], ScoreFilter.MAX)],
    ["bzmpop", () => c.bzmpop([a, b, d], ScoreFilter.MAX, 0.1)],
    ["lcs", () => c.lcs(a, b)],
    ["lcsLen", () => c.lcsLen(a, b)],
    ["lcsIdx", () => c.lcsIdx(a, b)],
    ["lmpop", () => c.lmpop([a, b], ListDirection.LEFT, { count: 1 })],
    ["blmpop", () => c.blmpop([a, b], ListDirection.RIGHT, 0.1, { count: 1 })],
  ];
  for (const [name, call] of calls) {
    await assert.rejects(
      async () => await call(),
      (e) => e instanceof RequestError && /CROSSSLOT/i.test(e.message),
      name,
    );
  }
  assert.equal(await c.ping(), "PONG");
});

eachClusterClient(
  "multi-key commands GLIDE splits by slot: exists, touch, mget, mset, unlink, del",
  async (c) => {
    const [a, b, d] = [key("split-a"), key("split-b"), key("split-c")];
    assert.equal(await c.mset({ [a]: "1", [b]: "2", [d]: "3" }), "OK");
    assert.equal(await c.exists([a, b, d]), 3);
    assert.equal(await c.touch([a, b, d]), 3);
    assert.deepEqual(await c.mget([d, a, b]), ["3", "1", "2"]);
    assert.equal(await c.unlink([a, b]), 2);
    assert.equal(await c.del([a, b, d]), 1);
  },
);

eachClusterClient(
  "customCommand DUMP with the Bytes decoder, RESTORE with the payload as an argument",
  async (c) => {
    const k = key("dump");
    await c.set(k, "value");
    const payload = await c.customCommand(["DUMP", k], { decoder: Decoder.Bytes });
    assert.ok(payload instanceof Uint8Array);
    assert.equal(await c.del([k]), 1);
    assert.equal(await c.get(k), null);
    assert.equal(
      await c.customCommand(["RESTORE", k, "0", payload], { decoder: Decoder.Bytes }),
      "OK",
    );
    assert.equal(await c.get(k), "value");
    assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), enc("value"));
    await c.del([k]);
  },
);

eachClusterClient("unwatch on every primary; a pipeline takes a retry strategy", async (c) => {
  const [a, b] = keys(2, "unwatch");
  assert.equal(await c.unwatch(), "OK");
  assert.equal(await c.watch([a, b]), "OK");
  assert.equal(await c.set(b, "hello"), "OK");
  assert.equal(await c.unwatch(), "OK");
  assert.equal(await c.unwatch({ route: "allPrimaries" }), "OK");
  assert.deepEqual(
    await c.exec(new ClusterBatch(true).set(a, "foobar").set(b, "foobar"), true),
    ["OK", "OK"],
  );
  const retryStrategy = { retryConnectionError: true, retryServerError: true };
  assert.deepEqual(
    await c.exec(new ClusterBatch(false).set(a, "value").get(a), true, { retryStrategy }),
    ["OK", "value"],
  );
  await assert.rejects(
    async () => await c.exec(new ClusterBatch(true).get(a), true, { retryStrategy }),
    RequestError,
  );
  await c.del([a, b]);
});

// In a transaction (one node) and in a pipeline: CONFIG SET goes to every node, CONFIG GET to
// any one, after it (keyless commands of a pipeline run one after the other, in order).
for (const atomic of [true, false]) {
  eachClusterClient(
    `configSet and configGet inside a cluster ${atomic ? "transaction" : "pipeline"}`,
    async (c) => {
      const before = await c.configGet(["timeout"]) as Record<string, string>;
      try {
        for (const timeout of ["1000", "1001", "0"]) {
          const r = await c.exec(
            new ClusterBatch(atomic).configSet({ timeout }).configGet(["timeout"]),
            true,
          );
          assert.deepEqual(r, ["OK", { timeout }]);
        }
      } finally {
        await c.configSet(before);
      }
    },
  );
}

eachClusterClient(
  "lolwut on every node and one node, Valkey 9's version 9, lolwut in batches",
  async (c) => {
    const version = (await serverVersion(c)).join(".");
    const check = (art: unknown) => {
      const values = art !== null && typeof art === "object" && !(art instanceof Uint8Array)
        ? Object.values(art as Record<string, unknown>)
        : [art];
      assert.ok(values.length > 0);
      for (const one of values) {
        assert.ok(text(one).includes("ver") && text(one).includes(version), text(one).slice(-80));
      }
    };
    const all = await c.lolwut({ route: "allNodes" });
    assert.equal(Object.keys(all as Record<string, string>).length, 6);
    check(all);
    check(await c.lolwut({ version: 2, parameters: [10, 20], route: "allNodes" }));
    const one = await c.lolwut({ route: "randomNode" });
    assert.equal(typeof one, "string");
    check(one);
    check(await c.lolwut({ version: 2, parameters: [10, 20], route: "randomNode" }));
    if ((await serverVersion(c))[0] >= 9) {
      check(await c.lolwut({ version: 9, parameters: [30, 4], route: "allNodes" }));
      check(await c.lolwut({ version: 9, parameters: [40, 20, 1, 2], route: "randomNode" }));
    }
    for (const atomic of [true, false]) {
      const r = await c.exec(
        new ClusterBatch(atomic)
          .lolwut()
          .lolwut({ version: 5 })
          .lolwut({ parameters: [1, 2] })
          .lolwut({ version: 6, parameters: [42] }),
        true,
      );
      assert.equal(r?.length, 4);
      for (const art of r!) check(art);
    }
  },
);

eachClusterClient(
  "copy with destinationDB across databases (Valkey 9 cluster databases)",
  async (c, v) => {
    if (await clusterDatabases(c) < 3) return; // copy_test's cluster case pins the refusal
    const [source, destination] = keys(2, "copydb");
    const db1 = await makeClusterClient(v, { databaseId: 1 });
    const db2 = await makeClusterClient(v, { databaseId: 2 });
    const dbs = [c, db1, db2] as AnyClusterClient[];
    try {
      assert.equal(await c.copy(source, destination, { destinationDB: 1 }), false);
      await c.set(source, "v1");
      assert.equal(await c.copy(source, destination, { destinationDB: 1, replace: false }), true);
      assert.equal(await db1.get(destination), "v1");
      await c.set(source, "v2");
      assert.equal(await c.copy(enc(source), destination, { destinationDB: 1 }), false);
      assert.equal(await c.copy(source, enc(destination), { destinationDB: 2 }), true);
      assert.equal(await db1.get(destination), "v1");
      assert.equal(await db2.get(destination), "v2");
      assert.equal(
        await c.copy(enc(source), enc(destination), { destinationDB: 1, replace: true }),
        true,
      );
      assert.equal(await db1.get(destination), "v2");
      for (const atomic of [true, false]) {
        const r = await c.exec(
          new ClusterBatch(atomic)
            .set(source, "v3")
            .copy(source, destination, { destinationDB: 1, replace: true }),
          true,
        );
        assert.deepEqual(r, ["OK", true]);
        assert.equal(await db1.get(destination), "v3");
      }
    } finally {
      for (const db of dbs) await db.del([source, destination]);
      await disposeCluster(db1);
      await disposeCluster(db2);
    }
  },
);

// GLIDE checks CLIENT INFO on every node. Here every connection of the client is checked: those
// that serve keyed commands and the cluster link's (named and announced as the client's too).
eachClusterClient(
  "libName and clientInfoTag reach every connection of the client, the cluster link's included",
  async (monitor, v) => {
    for (
      const [libName, clientInfoTag, expected] of [
        ["custom-client", undefined, "custom-client"],
        [undefined, "framework:1.2", "glide-deno(framework:1.2)"],
        ["custom-client", "framework:1.2", "custom-client(framework:1.2)"],
      ] as const
    ) {
      const name = `libname_${v.sync ? "s" : "a"}${v.protocol}_${Date.now().toString(36)}`;
      const c = await makeClusterClient(v, { libName, clientInfoTag, clientName: name });
      try {
        for (let i = 0; i < 40; i++) await c.get(key(`lib${i}`)); // every shard, surely
        const lists = await monitor.customCommand(["CLIENT", "LIST"], { route: "allNodes" });
        const named = Object.values(lists as Record<string, string>)
          .flatMap((l) => text(l).split("\n"))
          .filter((line) => line.includes(`name=${name} `));
        const served = named.filter((line) => / cmd=get /.test(line));
        assert.ok(served.length >= 3, served.join("\n"));
        assert.ok(named.length > served.length, `the link's connections: ${named.join("\n")}`);
        for (const line of named) {
          // Redis before 7.2 refuses CLIENT SETINFO, which is not an error: no lib-name there.
          const shown = /lib-name=(\S*)/.exec(line)?.[1];
          if (shown !== undefined) assert.equal(shown, expected, line);
        }
      } finally {
        await disposeCluster(c);
      }
    }
  },
);

eachClusterClient(
  "functionDump and functionRestore inside cluster batches routed by a key",
  async (c, v) => {
    if ((await serverVersion(c))[0] < 7) return;
    const lib = `parity_c${v.sync ? "s" : "a"}${v.protocol}_${Date.now().toString(36)}`;
    const k = key("fn");
    const route = { type: "primarySlotKey", key: k } as const;
    await c.functionLoad(
      `#!lua name=${lib}\nredis.register_function('${lib}_first', function(keys, args) return args[1] end)`,
      { route },
    );
    try {
      for (const atomic of [true, false]) {
        const dumped = await c.exec(new ClusterBatch(atomic).functionDump(), true, {
          route,
          decoder: Decoder.Bytes,
        });
        const payload = dumped?.[0];
        assert.ok(payload instanceof Uint8Array && payload.length > 0);
        const r = await c.exec(
          new ClusterBatch(atomic)
            .functionRestore(payload, { policy: FunctionRestorePolicy.REPLACE })
            .fcall(`${lib}_first`, [k], ["meow"]),
          true,
          { route },
        );
        assert.deepEqual(r, ["OK", "meow"]);
      }
    } finally {
      await c.functionDelete(lib, { route });
    }
  },
);

// GLIDE splits a WATCH of several slots by slot; each part goes to its slot's node connection,
// where that slot's transaction goes too.
eachClusterClient("watch over keys of several slots, then a transaction on one", async (c) => {
  const a = `{a}${key("watch")}`, b = `{a}${key("watch")}`; // slots 15495 and 3300
  assert.equal(await c.watch([a, b]), "OK");
  assert.deepEqual(await c.exec(new ClusterBatch(true).set(a, "1"), true), ["OK"]);
  // Another client changes a watched key: the transaction does not run.
  const other = await makeClusterClient(VARIANTS[0]);
  try {
    assert.equal(await c.watch([b, a]), "OK");
    await other.set(a, "2");
    assert.equal(await c.exec(new ClusterBatch(true).set(a, "3"), true), null);
    assert.equal(await c.get(a), "2");
  } finally {
    await disposeCluster(other);
  }
});
