// Reply order through topology changes: 1,000 INCRs on one key kept in flight while its slot is
// migrated (MIGRATE, then ASK, then MOVED) and while its primary fails over. Every reply equals
// its position in submit order: a request may fail (typed), but never runs out of order.
import assert from "node:assert/strict";
import { GlideClusterClient } from "../async.ts";
import { InfoOptions, RequestError } from "../mod.ts";
import { at, SlotMove } from "./cluster_admin.ts";
import { clusterAddresses, key } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const IN_FLIGHT = 1_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps `IN_FLIGHT` INCRs of `k` outstanding (a new one as each settles) until `stop()`. */
function pump(c: GlideClusterClient, k: string) {
  const replies: (number | Error)[] = [];
  let issued = 0;
  let stopped = false;
  const all: Promise<void>[] = [];
  const issue = () => {
    const i = issued++;
    all.push(
      c.incr(k).then((v) => {
        replies[i] = v;
      }, (e) => {
        replies[i] = e;
      }).then(() => {
        if (!stopped) issue();
      }),
    );
  };
  for (let i = 0; i < IN_FLIGHT; i++) issue();
  return {
    get issued() {
      return issued;
    },
    async stop(): Promise<(number | Error)[]> {
      stopped = true;
      // Settle everything, including what settling issued before `stopped` was seen.
      for (let n = 0; n < all.length; n = all.length) await Promise.all(all.slice(n));
      return replies;
    },
  };
}

/** Successful replies strictly increase in submit order; failures are typed. */
function assertInOrder(replies: (number | Error)[]): { ok: number; failed: number } {
  let last = 0;
  let failed = 0;
  replies.forEach((r, i) => {
    if (r instanceof Error) {
      assert.ok(r instanceof RequestError, `request ${i}: ${r}`);
      failed++;
      return;
    }
    assert.ok(r > last, `request ${i} got ${r} after a reply of ${last}`);
    last = r;
  });
  return { ok: replies.length - failed, failed };
}

async function connect(requestTimeout: number): Promise<GlideClusterClient> {
  return await GlideClusterClient.createClient(
    withServerTls({ addresses: clusterAddresses(), requestTimeout }),
  );
}

Deno.test(`order: ${IN_FLIGHT} in flight on one key while its slot migrates (ASK, then MOVED)`, async () => {
  await using c = await connect(10_000);
  await using admin = await connect(10_000);
  const k = key("order-reshard");
  await c.set(k, "0");
  const load = pump(c, k);
  await sleep(100);
  const move = await SlotMove.begin(admin, k);
  await admin.customCommand(["CONFIG", "RESETSTAT"], { route: at(move.source) });
  await sleep(100);
  // The key moves: the source answers ASK for it until the slot is handed over.
  await move.moveKeys([k]);
  await sleep(200);
  await move.finish();
  // Now the source answers MOVED until the client learns the new owner.
  await sleep(300);
  const replies = await load.stop();
  // Nothing fails here: every request reaches the key where it is, in order.
  const bad = replies.findIndex((r, i) => r !== i + 1);
  assert.equal(
    bad,
    -1,
    `request ${bad} got ${replies[bad]}; around: ${replies.slice(bad - 3, bad + 6)}`,
  );
  assert.equal(
    await admin.customCommand(["GET", k], { route: at(move.target) }),
    String(replies.length),
  );
  const stats = await admin.info({ sections: [InfoOptions.Errorstats], route: at(move.source) });
  const count = (code: string) =>
    Number(new RegExp(`errorstat_${code}:count=(\\d+)`).exec(stats as string)?.[1] ?? 0);
  assert.ok(count("ASK") > 0 && count("MOVED") > 0, `the load met no ASK or MOVED: ${stats}`);
  console.log(
    `reshard: ${replies.length} INCRs in submit order across ${count("ASK")} ASK and ` +
      `${count("MOVED")} MOVED replies`,
  );
});

Deno.test(`order: ${IN_FLIGHT} in flight on one key while its primary fails over`, async () => {
  await using c = await connect(2_000);
  await using admin = await connect(5_000);
  const k = key("order-failover");
  await c.set(k, "0");
  const replicaInfo = await admin.info({
    sections: [InfoOptions.Server],
    route: { type: "replicaSlotKey", key: k },
  }) as string;
  const replica = `127.0.0.1:${/tcp_port:(\d+)/.exec(replicaInfo)![1]}`;
  const load = pump(c, k);
  await sleep(200);
  await admin.customCommand(["CLUSTER", "FAILOVER"], { route: at(replica) });
  const deadline = Date.now() + 10_000;
  while (
    !(await admin.customCommand(["INFO", "replication"], { route: at(replica) }) as string)
      .includes("role:master")
  ) {
    assert.ok(Date.now() < deadline, "the replica did not take over");
    await sleep(50);
  }
  const before = load.issued;
  await sleep(500);
  const replies = await load.stop();
  assert.ok(replies.length > before, "requests went on after the failover");
  const { ok, failed } = assertInOrder(replies);
  const last = replies.findLast((r) => !(r instanceof Error));
  assert.ok(typeof last === "number" && last >= ok, `last reply ${last}, ${ok} succeeded`);
  console.log(`failover: ${ok} INCRs in submit order, ${failed} failed (typed)`);
});
