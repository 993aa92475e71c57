import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { ConnectionError, InfoOptions, RequestError, TimeoutError } from "../mod.ts";
import { startCluster } from "../tasks/servers.ts";
import { key } from "./harness.ts";

Deno.test("cluster: a primary killed under write load; the client recovers, acknowledged writes survive", async () => {
  const cluster = await startCluster(); // a cluster of its own: this test kills a node
  const addresses = cluster.nodes.map((n) => ({ host: n.host, port: n.port }));
  const c = await GlideClusterClient.createClient({ addresses, requestTimeout: 1000 });
  let seeded: GlideClusterClient | undefined;
  try {
    const tag = key("kill");
    const k = (i: number) => `{${tag}}:${i}`;
    const route = { type: "primarySlotKey" as const, key: k(0) };
    const info = await c.info({ sections: [InfoOptions.Server], route }) as string;
    const port = Number(/tcp_port:(\d+)/.exec(info)![1]);
    const primary = cluster.nodes.find((n) => n.port === port)!;

    // A second client seeded with one node of another shard, refreshing its topology from that
    // seed only (periodic checks off): its connection errors make it ask the seed at once,
    // over a connection of its own, which the seed counts.
    let seed = cluster.nodes[0];
    for (const n of cluster.nodes) {
      const repl = String(await n.command(["INFO", "replication"]));
      if (n !== primary && repl.includes("role:master")) seed = n;
    }
    seeded = await GlideClusterClient.createClient({
      addresses: [{ host: seed.host, port: seed.port }],
      requestTimeout: 1000,
      periodicChecks: "disabled",
      advancedConfiguration: { refreshTopologyFromInitialNodes: true },
    });
    const connectionsTo = async (n: typeof seed) =>
      Number(
        /total_connections_received:(\d+)/.exec(String(await n.command(["INFO", "stats"])))![1],
      );

    // Before the kill a write counts as acknowledged once its replica has it too (WAIT 1):
    // after a hard kill, that is what a failover can promise to keep.
    const acked: number[] = [];
    // How each acknowledged write was acknowledged, for the message of one found missing.
    const how = new Map<number, string>();
    const failures: unknown[] = [];
    let killedAt = 0;
    let recoveredAt = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const afterKill = killedAt !== 0;
          const sent = performance.now();
          await c.set(k(i), String(i));
          if (afterKill) {
            // After the kill the promoted replica has no replica of its own: a write it
            // confirms is acknowledged.
            acked.push(i);
            const at = (t: number) => (t - killedAt).toFixed(0);
            how.set(i, `sent ${at(sent)} ms after the kill, OK ${at(performance.now())} ms after`);
            if (!recoveredAt) recoveredAt = performance.now();
          } else {
            const replicas = await c.customCommand(["WAIT", "1", "500"], { route }) as number;
            if (replicas >= 1) {
              acked.push(i);
              how.set(
                i,
                `WAIT 1 = ${replicas}, ${(performance.now() - sent).toFixed(0)} ms after its SET`,
              );
            }
          }
        } catch (e) {
          failures.push(e);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    const seededFailures: unknown[] = [];
    const seededWriter = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await seeded!.set(`{${tag}}:s${i}`, "v");
        } catch (e) {
          seededFailures.push(e);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const seedConnectionsBefore = await connectionsTo(seed);
    killedAt = performance.now();
    await primary.kill("SIGKILL");
    // Until the failover, a command with no key routed to the slot runs on no other node: WAIT
    // would count another shard's replicas (and acknowledge a write the dead primary never
    // replicated: how this test once lost write 622).
    await assert.rejects(
      c.customCommand(["WAIT", "0", "0"], { route }),
      (e) => e instanceof ConnectionError || e instanceof TimeoutError,
    );
    const deadline = Date.now() + 30_000;
    while (!recoveredAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await writer;
    await seededWriter;
    // Each INFO stats counts its own connection.
    const seedChecks = await connectionsTo(seed) - seedConnectionsBefore - 1;
    assert.ok(recoveredAt, "writes never resumed after the kill");
    assert.ok(failures.length > 0, "the outage was noticed");
    for (const e of failures) assert.ok(e instanceof RequestError, String(e));
    for (const e of seededFailures) assert.ok(e instanceof RequestError, String(e));
    console.log(
      `seeded client: ${seededFailures.length} failures (${[
        ...new Set(seededFailures.map((e) => (e as Error).name)),
      ]}), ${seedChecks} connections to its seed`,
    );
    assert.ok(seedChecks >= 1, "the seeded client asked its seed after its connection errors");
    // After it, the slot's new primary answers.
    assert.equal(typeof await c.customCommand(["WAIT", "0", "0"], { route }), "number");
    for (const i of acked) {
      const note = killedAt
        ? `, ${(performance.now() - killedAt).toFixed(0)} ms after the kill`
        : "";
      assert.equal(
        await c.get(k(i)),
        String(i),
        `acknowledged write ${i} (${how.get(i)}; of ${acked.length} acknowledged${note})`,
      );
    }
    console.log(
      `hard kill: recovered ${(recoveredAt - killedAt).toFixed(0)} ms after SIGKILL ` +
        `(cluster-node-timeout 2000 ms); ${acked.length} writes acknowledged and readable, ` +
        `${failures.length} failed with typed errors`,
    );
  } finally {
    c.close();
    seeded?.close();
    await cluster.stop();
  }
});
