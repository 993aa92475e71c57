// Resilience against real servers this file starts, stalls and kills itself. It goes beyond
// reconnect_test.ts (a killed standalone server), cluster_kill_test.ts / cluster_failover_test.ts
// (async writes across a failover) and stall_test.ts (CLIENT PAUSE on a standalone server):
// the reconnect schedule against connectionBackoff, a port that accepts but never answers,
// requests in flight when the server dies, a cluster primary killed under both clients while the
// other shards keep serving, DEBUG SLEEP stalls, late replies against distinct keys, the
// in-flight limit on the cluster client (rejected requests never reach the server), close()
// under load in a process that must then exit on its own, and cluster-client churn.

import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ConnectionError,
  InfoOptions,
  ProtocolVersion,
  RequestError,
  TimeoutError,
} from "../mod.ts";
import {
  type Cluster,
  type ServerProcess,
  startCluster,
  startStandalone,
  waitClusterReady,
} from "../tasks/servers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const typed = (e: unknown) => e instanceof ConnectionError || e instanceof TimeoutError;
const describe = (e: unknown) =>
  e instanceof Error ? `${e.constructor.name}: ${e.message}` : `${e}`;

/** The outcome of a call: its value, or the error it threw / rejected with. */
async function outcome<T>(
  fn: () => T | Promise<T>,
): Promise<{ ok: boolean; v: unknown; ms: number }> {
  const t = performance.now();
  try {
    const v = await fn();
    return { ok: true, v, ms: performance.now() - t };
  } catch (e) {
    return { ok: false, v: e, ms: performance.now() - t };
  }
}

const standaloneConfig = (s: ServerProcess, extra: Record<string, unknown> = {}) => ({
  addresses: [{ host: s.host, port: s.port }],
  ...extra,
});

const clusterConfig = (c: Cluster, extra: Record<string, unknown> = {}) => ({
  addresses: c.nodes.map((n) => ({ host: n.host, port: n.port })),
  ...extra,
});

// ---------------------------------------------------------------------------------------------
// Standalone: the reconnect schedule, a port that never answers, requests in flight at the kill.

for (
  const [name, protocol] of [["RESP3", ProtocolVersion.RESP3], [
    "RESP2",
    ProtocolVersion.RESP2,
  ]] as const
) {
  Deno.test(`standalone SIGKILL: in-flight requests fail typed, reconnect attempts follow connectionBackoff, recovery [async ${name}]`, async () => {
    const server = await startStandalone();
    const backoff = { numberOfRetries: 3, factor: 100, exponentBase: 2, jitterPercent: 0 };
    const requestTimeout = 500;
    const c = await AsyncClient.createClient(standaloneConfig(server, {
      protocol,
      requestTimeout,
      connectionBackoff: backoff,
      advancedConfiguration: { connectionTimeout: 300 },
    }));
    const admin = await AsyncClient.createClient(
      standaloneConfig(server, { requestTimeout: 5000 }),
    );
    let listener: Deno.Listener | undefined;
    try {
      assert.equal(await c.set("k", "before"), "OK");
      // 50 requests held by a pause are in flight when the server dies.
      await admin.customCommand(["CLIENT", "PAUSE", "10000", "ALL"]);
      const held = Array.from({ length: 50 }, (_, i) => outcome(() => c.get(`held:${i}`)));
      await sleep(50);
      const killedAt = performance.now();
      await server.kill("SIGKILL");
      admin.close();
      const heldOutcomes = await Promise.all(held);
      for (const o of heldOutcomes) {
        assert.ok(!o.ok && typed(o.v), `in-flight request: ${describe(o.v)}`);
      }
      const heldDone = performance.now() - killedAt;
      assert.ok(heldDone < requestTimeout + 300, `in-flight requests ended ${heldDone} ms after`);

      // The port now accepts and hangs up at once: every accept is one reconnect attempt.
      listener = Deno.listen({ hostname: server.host, port: server.port });
      const attempts: number[] = [];
      const accepting = (async () => {
        for await (const conn of listener!) {
          attempts.push(performance.now());
          conn.close();
        }
      })();
      // Requests every 10 ms for 3.5 s: each fails typed and at once, and some of them trigger
      // the attempts, no sooner than the backoff allows.
      let worst = 0;
      const errors = new Map<string, number>();
      const until = performance.now() + 3500;
      while (performance.now() < until) {
        const o = await outcome(() => c.get("k"));
        assert.ok(!o.ok && typed(o.v), `during the outage: ${describe(o.v)}`);
        const name = (o.v as Error).constructor.name;
        errors.set(name, (errors.get(name) ?? 0) + 1);
        worst = Math.max(worst, o.ms);
        await sleep(10);
      }
      listener.close();
      await accepting.catch(() => {});
      listener = undefined;
      assert.ok(worst < requestTimeout + 200, `a request during the outage took ${worst} ms`);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
      // Delay before attempt n+1: factor * base^min(n, numberOfRetries), i.e. 100, 200, 400,
      // 800, 800, ... (the first failures may have been seen before the listener was up).
      const delay = (n: number) => backoff.factor * backoff.exponentBase ** Math.min(n, 3);
      console.log(
        `outage: ${[...errors].map(([k, n]) => `${n} ${k}`).join(", ")}, worst ${
          worst.toFixed(0)
        } ms; ` +
          `reconnect attempts ${attempts.length}, gaps ${
            gaps.map((g) => g.toFixed(0)).join(" ")
          } ms`,
      );
      assert.ok(attempts.length >= 4, `only ${attempts.length} reconnect attempts in 3.5 s`);
      assert.ok(attempts.length <= 12, `${attempts.length} reconnect attempts: backoff ignored`);
      for (const g of gaps) assert.ok(g >= delay(0) - 5, `attempts ${g.toFixed(0)} ms apart`);
      // Once capped, attempts are 800 ms apart (plus at most a polling step and scheduling).
      const last = gaps.slice(-2);
      for (const g of last) {
        assert.ok(g >= delay(3) - 5 && g < delay(3) + 300, `capped gap ${g.toFixed(0)} ms`);
      }
      // Growth: each gap at least the one before it (within scheduling noise).
      for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] > gaps[i - 1] - 60, `gaps ${gaps}`);

      await server.start();
      const restartedAt = performance.now();
      let value: unknown;
      for (;;) {
        const o = await outcome(() => c.get("k"));
        if (o.ok) {
          value = o.v;
          break;
        }
        assert.ok(typed(o.v), describe(o.v));
        assert.ok(performance.now() - restartedAt < 5000, "no recovery within 5 s");
        await sleep(10);
      }
      const recovery = performance.now() - restartedAt;
      console.log(`recovered ${recovery.toFixed(0)} ms after the restart (cap 800 ms)`);
      assert.ok(recovery < delay(3) + 500, `recovered ${recovery} ms after the restart`);
      assert.equal(value, null, "a fresh server (no persistence)");
      const replies = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          await c.set(`after:${i}`, `v${i}`);
          return await c.get(`after:${i}`);
        }),
      );
      assert.deepEqual(replies, Array.from({ length: 100 }, (_, i) => `v${i}`));
    } finally {
      listener?.close();
      c.close();
      admin.close();
      await server.stop();
    }
  });
}

for (const sync of [false, true]) {
  Deno.test(`a port that accepts but never answers: requests fail typed within connectionTimeout, then recover [${sync ? "sync" : "async"}]`, async () => {
    const server = await startStandalone();
    const config = standaloneConfig(server, {
      requestTimeout: 300,
      connectionBackoff: { numberOfRetries: 2, factor: 50, exponentBase: 2, jitterPercent: 0 },
      advancedConfiguration: { connectionTimeout: 400 },
    });
    const c = sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
    // Never accepted: the kernel completes the handshake, nobody ever reads or answers.
    let listener: Deno.Listener | undefined;
    try {
      assert.equal(await c.set("k", "v"), "OK");
      await server.kill("SIGKILL");
      listener = Deno.listen({ hostname: server.host, port: server.port });
      let worst = 0;
      for (let i = 0; i < 6; i++) {
        const o = await outcome(() => c.get("k"));
        assert.ok(!o.ok && typed(o.v), describe(o.v));
        worst = Math.max(worst, o.ms);
        await sleep(100);
      }
      console.log(`black hole: worst request ${worst.toFixed(0)} ms (connectionTimeout 400 ms)`);
      // The async client bounds the attempt by the request timeout. The sync client takes about
      // three connectionTimeouts per attempt (one per handshake read), so only its typing and
      // its recovery are asserted here (that bound is a known gap of the sync client).
      if (!sync) assert.ok(worst < 400 + 300, `a request took ${worst} ms`);
      listener.close();
      listener = undefined;
      await server.start();
      const deadline = Date.now() + 5000;
      for (;;) {
        const o = await outcome(() => c.set("k", "again"));
        if (o.ok) break;
        assert.ok(typed(o.v), describe(o.v));
        assert.ok(Date.now() < deadline, "no recovery within 5 s");
        await sleep(20);
      }
      assert.equal(await c.get("k"), "again");
    } finally {
      listener?.close();
      c.close();
      await server.stop();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Stalls: DEBUG SLEEP on a standalone server, CLIENT PAUSE on one cluster primary. Requests time
// out as TimeoutError; replies that arrive late never reach another request (every key has its
// own value, and requests are sent before, during and just before the end of the stall).

/** Stores `${prefix}:${i}` = `${prefix}-value-${i}` for i < n. */
async function seed(
  c: AsyncClient | AsyncClusterClient,
  prefix: string,
  n: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) => c.set(`${prefix}:${i}`, `${prefix}-value-${i}`)),
  );
}

/** Asserts an outcome is its own key's value, or (when `mayFail`) a TimeoutError. */
function ownReply(
  o: { ok: boolean; v: unknown },
  prefix: string,
  i: number,
  mayFail: (e: unknown) => boolean,
): void {
  if (o.ok) assert.equal(o.v, `${prefix}-value-${i}`, `reply for ${prefix}:${i}`);
  else assert.ok(mayFail(o.v), `${prefix}:${i}: ${describe(o.v)}`);
}

for (
  const [name, protocol] of [["RESP3", ProtocolVersion.RESP3], [
    "RESP2",
    ProtocolVersion.RESP2,
  ]] as const
) {
  Deno.test(`DEBUG SLEEP 1: TimeoutError during the stall, late replies never misrouted [async ${name}]`, async () => {
    const server = await startStandalone();
    const admin = await AsyncClient.createClient(
      standaloneConfig(server, { requestTimeout: 5000 }),
    );
    const c = await AsyncClient.createClient(
      standaloneConfig(server, { protocol, requestTimeout: 300 }),
    );
    try {
      for (const p of ["a", "b", "c"]) await seed(admin, p, 50);
      const sleeping = admin.customCommand(["DEBUG", "SLEEP", "1"]);
      await sleep(30);
      const t0 = performance.now();
      const during = await Promise.all(
        Array.from({ length: 50 }, (_, i) => outcome(() => c.get(`a:${i}`))),
      );
      for (const o of during) {
        assert.ok(!o.ok && o.v instanceof TimeoutError, describe(o.v));
        assert.ok(o.ms < 300 + 200, `timed out after ${o.ms} ms`);
      }
      // Sent ~150 ms before the server wakes: their replies come right after the 50 late ones.
      await sleep(Math.max(0, 820 - (performance.now() - t0)));
      const edge = await Promise.all(
        Array.from({ length: 50 }, (_, i) => outcome(() => c.get(`b:${i}`))),
      );
      edge.forEach((o, i) => ownReply(o, "b", i, (e) => e instanceof TimeoutError));
      assert.equal(await sleeping, "OK");
      const after = await Promise.all(
        Array.from({ length: 50 }, (_, i) => outcome(() => c.get(`c:${i}`))),
      );
      after.forEach((o, i) => ownReply(o, "c", i, () => false));
      assert.equal(await c.incr("counter"), 1);
      assert.equal(await c.ping(), "PONG");
      console.log(`edge of the stall: ${edge.filter((o) => o.ok).length}/50 answered in time`);
    } finally {
      c.close();
      admin.close();
      await server.stop();
    }
  });

  Deno.test(`DEBUG SLEEP 1: TimeoutError during the stall, late replies never misrouted [sync ${name}]`, async () => {
    const server = await startStandalone();
    const admin = await AsyncClient.createClient(
      standaloneConfig(server, { requestTimeout: 5000 }),
    );
    const c = SyncClient.createClient(
      standaloneConfig(server, {
        protocol,
        requestTimeout: 300,
        advancedConfiguration: { connectionTimeout: 300 },
      }),
    );
    try {
      for (const p of ["a", "c"]) await seed(admin, p, 50);
      const sleeping = admin.customCommand(["DEBUG", "SLEEP", "1"]);
      await sleep(30);
      const t0 = performance.now();
      const first = await outcome(() => c.get("a:0"));
      assert.ok(!first.ok && first.v instanceof TimeoutError, describe(first.v));
      assert.ok(first.ms < 300 + 200, `timed out after ${first.ms} ms`);
      // Until well after the stall: each reply is its own key's, or a typed error.
      let answered = 0;
      for (let i = 1; performance.now() - t0 < 1500; i++) {
        const o = await outcome(() => c.get(`a:${i % 50}`));
        ownReply(o, "a", i % 50, typed);
        if (o.ok) answered++;
      }
      assert.equal(await sleeping, "OK");
      for (let i = 0; i < 50; i++) assert.equal(c.get(`c:${i}`), `c-value-${i}`);
      assert.equal(c.incr("counter"), 1);
      assert.equal(c.ping(), "PONG");
      assert.ok(answered > 0, "requests were answered again after the stall");
    } finally {
      c.close();
      admin.close();
      await server.stop();
    }
  });
}

/** The port of the primary that owns `key`'s slot. */
async function primaryPort(admin: AsyncClusterClient, key: string): Promise<number> {
  const info = await admin.info({
    sections: [InfoOptions.Server],
    route: { type: "primarySlotKey", key },
  }) as string;
  return Number(/tcp_port:(\d+)/.exec(info)![1]);
}

/** Hash tags whose slots are owned by distinct primaries, with those primaries' ports. */
async function tagsOnDistinctPrimaries(
  admin: AsyncClusterClient,
  n: number,
): Promise<{ tag: string; port: number }[]> {
  const found: { tag: string; port: number }[] = [];
  for (let i = 0; found.length < n; i++) {
    assert.ok(i < 1000, "not enough primaries");
    const tag = `{t${i}}`;
    const port = await primaryPort(admin, tag);
    if (!found.some((f) => f.port === port)) found.push({ tag, port });
  }
  return found;
}

Deno.test("cluster: CLIENT PAUSE 1500 ALL on one primary; its requests time out, other shards keep serving, no reply misrouted [async]", async () => {
  const cluster = await startCluster();
  const admin = await AsyncClusterClient.createClient(
    clusterConfig(cluster, { requestTimeout: 5000 }),
  );
  try {
    const [paused, other] = await tagsOnDistinctPrimaries(admin, 2);
    const A = (p: string) => `${paused.tag}${p}`;
    const O = (p: string) => `${other.tag}${p}`;
    for (const p of ["a", "b", "c"]) await seed(admin, A(p), 30);
    await seed(admin, O("o"), 30);
    const pause = () =>
      admin.customCommand(["CLIENT", "PAUSE", "1500", "ALL"], {
        route: { type: "routeByAddress", host: "127.0.0.1", port: paused.port },
      });

    // async
    {
      const c = await AsyncClusterClient.createClient(
        clusterConfig(cluster, { requestTimeout: 300 }),
      );
      try {
        assert.equal(await c.get(A("a:0")), `${A("a")}-value-0`);
        await pause();
        const t0 = performance.now();
        const [during, elsewhere] = await Promise.all([
          Promise.all(Array.from({ length: 30 }, (_, i) => outcome(() => c.get(A(`a:${i}`))))),
          Promise.all(Array.from({ length: 30 }, (_, i) => outcome(() => c.get(O(`o:${i}`))))),
        ]);
        for (const o of during) {
          assert.ok(!o.ok && o.v instanceof TimeoutError, describe(o.v));
          assert.ok(o.ms < 300 + 200, `timed out after ${o.ms} ms`);
        }
        elsewhere.forEach((o, i) => ownReply(o, O("o"), i, () => false));
        await sleep(Math.max(0, 1350 - (performance.now() - t0)));
        const edge = await Promise.all(
          Array.from({ length: 30 }, (_, i) => outcome(() => c.get(A(`b:${i}`)))),
        );
        edge.forEach((o, i) => ownReply(o, A("b"), i, (e) => e instanceof TimeoutError));
        await sleep(Math.max(0, 1600 - (performance.now() - t0)));
        const after = await Promise.all(
          Array.from({ length: 30 }, (_, i) => outcome(() => c.get(A(`c:${i}`)))),
        );
        after.forEach((o, i) => ownReply(o, A("c"), i, () => false));
        console.log(
          `async: edge of the pause ${edge.filter((o) => o.ok).length}/30 answered in time`,
        );
      } finally {
        c.close();
      }
    }

    // The sync cluster client is left out: it does not honour requestTimeout against a paused
    // primary (the request blocks until the pause ends) and re-sends the timed-out command on
    // new connections, so one INCR during a 4 s pause was applied 13 times; a known bug.
  } finally {
    admin.close();
    await cluster.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// A cluster primary killed: requests to its shard fail typed within the request timeout, the
// other shards keep serving throughout, the replica takes over and the client recovers; the
// killed node comes back as a replica and nothing breaks.

type AnyCluster = AsyncClusterClient | SyncClusterClient;

async function killPrimaryUnderLoad(
  cluster: Cluster,
  c: AnyCluster,
  dead: { tag: string; port: number },
  alive: { tag: string; port: number },
  requestTimeout: number,
): Promise<string> {
  const node = cluster.nodes.find((n) => n.port === dead.port)!;
  const D = (i: number) => `${dead.tag}k:${i}`;
  const L = (i: number) => `${alive.tag}k:${i}`;
  assert.equal(await c.set(D(0), "0"), "OK");
  const killedAt = performance.now();
  await node.kill("SIGKILL");
  const failures = new Map<string, number>();
  let aliveFailures = 0;
  const aliveErrors: string[] = [];
  let aliveOk = 0;
  let worst = 0;
  let recoveredAt = 0;
  for (let i = 1; !recoveredAt; i++) {
    assert.ok(performance.now() - killedAt < 30_000, "the shard did not recover within 30 s");
    const o = await outcome(() => c.set(D(i), String(i)));
    if (o.ok) {
      recoveredAt = performance.now();
      break;
    }
    assert.ok(o.v instanceof RequestError, describe(o.v));
    const name = (o.v as Error).constructor.name;
    failures.set(name, (failures.get(name) ?? 0) + 1);
    worst = Math.max(worst, o.ms);
    const l = await outcome(() => c.set(L(i), String(i)));
    if (l.ok) aliveOk++;
    else {
      aliveFailures++;
      assert.ok(l.v instanceof RequestError, describe(l.v));
      aliveErrors.push(`${describe(l.v)} after ${l.ms.toFixed(0)} ms`);
    }
    await sleep(20);
  }
  // The promoted replica serves reads and writes; the other shard never stopped.
  for (let i = 0; i < 20; i++) {
    assert.equal(await c.set(D(1000 + i), `d${i}`), "OK");
    assert.equal(await c.get(D(1000 + i)), `d${i}`);
    assert.equal(await c.set(L(1000 + i), `l${i}`), "OK");
    assert.equal(await c.get(L(1000 + i)), `l${i}`);
  }
  const summary =
    `recovered ${(recoveredAt - killedAt).toFixed(0)} ms after SIGKILL; dead shard: ` +
    `${[...failures].map(([k, n]) => `${n} ${k}`).join(", ")}, worst ${worst.toFixed(0)} ms; ` +
    `other shard ${aliveOk} ok / ${aliveFailures} failed meanwhile ${aliveErrors.join("; ")}`;
  assert.ok(failures.size > 0, "the outage was noticed");
  assert.ok(worst < requestTimeout + 300, `a failed request took ${worst} ms: ${summary}`);
  assert.ok(aliveOk > 0, summary);
  return summary;
}

Deno.test("cluster: one primary SIGKILLed under each client; typed errors in time, other shards keep serving, recovery [async, sync]", async () => {
  const cluster = await startCluster();
  const admin = await AsyncClusterClient.createClient(
    clusterConfig(cluster, { requestTimeout: 5000 }),
  );
  try {
    const [first, second, third] = await tagsOnDistinctPrimaries(admin, 3);
    const requestTimeout = 500;
    const backoff = { numberOfRetries: 3, factor: 50, exponentBase: 2 };
    const asyncClient = await AsyncClusterClient.createClient(
      clusterConfig(cluster, { requestTimeout, connectionBackoff: backoff }),
    );
    try {
      console.log(
        `async: ${await killPrimaryUnderLoad(cluster, asyncClient, first, third, requestTimeout)}`,
      );
    } finally {
      asyncClient.close();
    }
    // The killed node restarts and rejoins as a replica; the cluster settles again.
    const node = cluster.nodes.find((n) => n.port === first.port)!;
    await node.start();
    await waitClusterReady(cluster.nodes, { primaries: 3, replicasPerPrimary: 1 }, 60_000);

    const syncClient = SyncClusterClient.createClient(clusterConfig(cluster, {
      requestTimeout,
      connectionBackoff: backoff,
      advancedConfiguration: { connectionTimeout: 500 },
    }));
    try {
      console.log(
        `sync: ${await killPrimaryUnderLoad(cluster, syncClient, second, third, requestTimeout)}`,
      );
    } finally {
      syncClient.close();
    }
  } finally {
    admin.close();
    await cluster.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// One primary stopped (SIGSTOP) for less than the cluster's node timeout: no failover, its
// requests time out, and its reconnect attempts fail. The other shards answer throughout: the
// slot table the client re-reads meanwhile (through the crate's cluster connection, which may be
// waiting on the stopped node) never holds their requests.

Deno.test("cluster: one primary stopped under the node timeout; every other shard answers throughout, its own requests fail typed [async, sync]", async () => {
  const cluster = await startCluster();
  const admin = await AsyncClusterClient.createClient(
    clusterConfig(cluster, { requestTimeout: 5000 }),
  );
  const node = () => cluster.nodes.find((n) => n.port === stopped.port)!;
  const [stopped, other] = await tagsOnDistinctPrimaries(admin, 2);
  const S = `${stopped.tag}k`, O = `${other.tag}k`;
  const config = clusterConfig(cluster, {
    requestTimeout: 300,
    advancedConfiguration: { connectionTimeout: 300 },
  });
  try {
    for (const sync of [false, true]) {
      const c: AnyCluster = sync
        ? SyncClusterClient.createClient(config)
        : await AsyncClusterClient.createClient(config);
      try {
        assert.equal(await c.set(S, "s"), "OK");
        assert.equal(await c.set(O, "o"), "OK");
        Deno.kill(node().pid!, "SIGSTOP");
        const t0 = performance.now();
        const otherFailures: string[] = [];
        let otherOk = 0;
        let stoppedFailures = 0;
        const askStopped = async () => {
          const o = await outcome(() => c.get(S));
          if (!o.ok) {
            assert.ok(typed(o.v), describe(o.v));
            assert.ok(o.ms < 300 + 300, `a request to the stopped shard took ${o.ms} ms`);
            stoppedFailures++;
          }
        };
        const askOther = async () => {
          const o = await outcome(() => c.get(O));
          if (o.ok) otherOk++;
          else otherFailures.push(`${describe(o.v)} at +${(performance.now() - t0).toFixed(0)} ms`);
        };
        if (sync) {
          // The caller's thread waits out each request to the stopped shard, then asks the other.
          while (performance.now() - t0 < 1800) {
            await askStopped();
            await askOther();
          }
        } else {
          const stoppedLoop = (async () => {
            while (performance.now() - t0 < 1800) {
              await askStopped();
              await sleep(10);
            }
          })();
          while (performance.now() - t0 < 1800) {
            await askOther();
            await sleep(20);
          }
          await stoppedLoop;
        }
        Deno.kill(node().pid!, "SIGCONT");
        const name = sync ? "sync" : "async";
        console.log(
          `${name}: other shard ${otherOk} ok, ${otherFailures.length} failed; ` +
            `stopped shard ${stoppedFailures} failed`,
        );
        assert.deepEqual(otherFailures, [], name);
        assert.ok(otherOk > 0 && stoppedFailures > 0, name);
        // The stopped node serves again once continued.
        const back = performance.now();
        while ((await outcome(() => c.get(S))).v !== "s") {
          assert.ok(performance.now() - back < 5000, "the continued node serves again");
          await sleep(50);
        }
      } finally {
        Deno.kill(node().pid!, "SIGCONT");
        c.close();
      }
    }
  } finally {
    admin.close();
    await cluster.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// inflightRequestsLimit: beyond it, requests reject at once and are never sent (an INCR counter
// on the server shows it); slots come back when held requests time out.

for (const mode of ["standalone", "cluster"] as const) {
  Deno.test(`inflightRequestsLimit 10: the 11th and 1,000 more reject at once and never reach the server; timeouts free slots [async ${mode}]`, async () => {
    const server = mode === "standalone" ? await startStandalone() : undefined;
    const cluster = mode === "cluster" ? await startCluster() : undefined;
    const config = (extra: Record<string, unknown>) =>
      server ? standaloneConfig(server, extra) : clusterConfig(cluster!, extra);
    const admin = server
      ? await AsyncClient.createClient(config({ requestTimeout: 5000 }))
      : await AsyncClusterClient.createClient(config({ requestTimeout: 5000 }));
    const c = server
      ? await AsyncClient.createClient(config({ requestTimeout: 400, inflightRequestsLimit: 10 }))
      : await AsyncClusterClient.createClient(
        config({ requestTimeout: 400, inflightRequestsLimit: 10 }),
      );
    const counter = "{limit}counter";
    try {
      await admin.customCommand(
        ["CLIENT", "PAUSE", "1500", "ALL"],
        ...(server ? [] : [{ route: "allNodes" as const }]) as [],
      );
      const pausedAt = performance.now();
      const held = Array.from({ length: 10 }, () => outcome(() => c.incr(counter)));
      const t = performance.now();
      const extra = await Promise.all(
        Array.from({ length: 1001 }, () => outcome(() => c.incr(counter))),
      );
      const took = performance.now() - t;
      for (const o of extra) {
        assert.ok(
          !o.ok && o.v instanceof RequestError && !(o.v instanceof TimeoutError),
          describe(o.v),
        );
        assert.match((o.v as Error).message, /limit of 10 requests in flight/);
      }
      console.log(`${mode}: 1,001 requests over the limit rejected in ${took.toFixed(1)} ms`);
      assert.ok(took < 100, `rejections took ${took} ms (request timeout 400 ms)`);
      // The held ones time out (the server is still paused), and their slots are free again.
      for (const o of await Promise.all(held)) {
        assert.ok(!o.ok && o.v instanceof TimeoutError, describe(o.v));
      }
      assert.ok(
        performance.now() - pausedAt < 1200,
        "the held requests timed out during the pause",
      );
      const again = Array.from({ length: 10 }, () => outcome(() => c.incr(counter)));
      const rejected = await outcome(() => c.incr(counter));
      assert.ok(
        !rejected.ok && /limit of 10/.test((rejected.v as Error).message),
        describe(rejected.v),
      );
      for (const o of await Promise.all(again)) {
        assert.ok(!o.ok && o.v instanceof TimeoutError, describe(o.v));
      }
      // After the pause: the 1,002 rejected INCRs never ran. The 20 accepted ones ran, except
      // those on a connection the client replaced because it gave no reply at all during the
      // timeouts (a half-open connection looks the same): the server drops them. (The cluster
      // client's single-slot commands use one such connection per primary.)
      await sleep(Math.max(0, 1700 - (performance.now() - pausedAt)));
      const executed = Number(await admin.get(counter));
      assert.ok(executed <= 20, `executed ${executed}`);
      assert.equal(await c.incr(counter), executed + 1);
    } finally {
      c.close();
      admin.close();
      await server?.stop();
      await cluster?.stop();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// close() with 5,000 requests in flight (server paused), in a child process that must then exit
// on its own while the server is still paused.

for (const mode of ["standalone", "cluster"] as const) {
  Deno.test(`close() with 5,000 requests in flight: each rejects with ClosingError, the process exits on its own [async ${mode}]`, async () => {
    const server = mode === "standalone" ? await startStandalone() : undefined;
    const cluster = mode === "cluster" ? await startCluster() : undefined;
    const addresses = server ? server.address : cluster!.addresses;
    try {
      const started = performance.now();
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("./fixtures/close_under_load.ts", import.meta.url).pathname,
          mode,
          addresses,
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const out = await child.output();
      clearTimeout(timer);
      const took = performance.now() - started;
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `exit ${out.code} signal ${out.signal}\n${stderr}`);
      const report = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      console.log(
        `${mode}: ${JSON.stringify(report)}; the child ran and exited in ${took.toFixed(0)} ms`,
      );
      assert.equal(report.closing, 5000, JSON.stringify(report));
      assert.ok(report.closeMs < 500, `close() and the rejections took ${report.closeMs} ms`);
      // From the end of its work to its exit, with the server still paused for seconds.
      assert.ok(took < report.workMs + 4000, `the child exited ${took} ms after starting`);
      assert.ok(report.pauseLeftMs > 2000, "the server was still paused when the child ended");
    } finally {
      await server?.stop();
      await cluster?.stop();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Cluster-client churn (stall_test.ts covers the standalone one).

Deno.test("100 cluster clients of each kind created and closed, round after round, leave RSS and threads flat", async () => {
  const cluster = await startCluster();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc",
        new URL("./fixtures/churn_cluster.ts", import.meta.url).pathname,
        cluster.addresses,
        "9",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!) as {
      rss: number[];
      threads: number[];
      ms: number[];
      gc: boolean;
    };
    const mib = (b: number) => (b / 1048576).toFixed(1);
    console.log(
      `RSS after each round of 100 + 100 clients: ${r.rss.map(mib).join(", ")} MB; ` +
        `threads ${r.threads.join(", ")}; ms per round ${r.ms.join(", ")}`,
    );
    assert.ok(r.gc, "the child could run the GC");
    // Four rounds of warm-up (runtime, pools, allocator arenas; Deno's own TCP connect and
    // close, which the async clients' wake-up sockets use, alone grows RSS by ~5 MB over its
    // first 400 connections, then stays flat), then flat. RSS swings by ~10 MB from round to
    // round either way (the allocator hands pages back, or not): the base is the highest of the
    // warm-up rounds after the first, not one sample that may sit in a dip (78.7 MB between 86.8
    // and 87.0 in one CI run). A leak grows round after round and passes it all the same.
    const base = Math.max(...r.rss.slice(1, 4));
    for (const [i, rss] of r.rss.entries()) {
      if (i > 3) assert.ok(rss < base * 1.05, `round ${i + 1}: RSS ${mib(base)} -> ${mib(rss)} MB`);
    }
    // No round adds a thread (idle pool threads may exit: fewer is fine).
    for (const n of r.threads.slice(1)) assert.ok(n <= r.threads[1], `threads ${r.threads}`);
  } finally {
    await cluster.stop();
  }
});
