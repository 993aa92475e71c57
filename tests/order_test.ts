// Replies resolve in the order their commands were sent, at any depth: 10,000 INCRs on one key
// issued at once (and a mix of keys and batches) must come back as 1..10,000, on the standalone
// and the cluster client, RESP2 and RESP3; and sync clients in Workers beside them.
import assert from "node:assert/strict";
import { GlideClient, GlideClusterClient } from "../async.ts";
import { Batch, ClusterBatch, ProtocolVersion } from "../mod.ts";
import { clusterAddresses, key, standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";
import { workerReply } from "./support/worker_reply.ts";

const DEPTH = 10_000;

/** The first index where `got` is not 1..n, with what was there, or -1. */
function firstOutOfOrder(got: unknown[]): string | undefined {
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== i + 1) return `reply ${i} is ${got[i]}, expected ${i + 1}`;
  }
  return undefined;
}

type Client = GlideClient | GlideClusterClient;

async function orderAtDepth(c: Client): Promise<void> {
  const k = key("order");
  const replies = await Promise.all(Array.from({ length: DEPTH }, () => c.incr(k)));
  const bad = firstOutOfOrder(replies);
  if (bad) {
    const final = await c.get(k);
    const distinct = new Set(replies).size;
    const i = replies.findIndex((v, j) => v !== j + 1);
    throw new Error(
      `${bad}; final ${final}, distinct ${distinct}, around: ${replies.slice(i - 3, i + 6)}`,
    );
  }
  // Interleaved keys: each key's own replies stay in order, and every value reaches its caller.
  const keys = Array.from({ length: 7 }, (_, i) => key(`order{${i}}`));
  const calls = Array.from({ length: DEPTH }, (_, i) => c.incr(keys[i % keys.length]));
  const mixed = await Promise.all(calls);
  mixed.forEach((v, i) => assert.equal(v, Math.floor(i / keys.length) + 1, `call ${i}`));
}

async function orderWithBatches(c: Client, cluster: boolean): Promise<void> {
  const k = key("order-batch");
  const pending: Promise<unknown>[] = [];
  let expected = 0;
  const want: unknown[] = [];
  for (let i = 0; i < 500; i++) {
    if (i % 10 === 0) {
      const b = cluster ? new ClusterBatch(false) : new Batch(false);
      b.incr(k).incr(k);
      pending.push(c.exec(b as never, true));
      want.push([++expected, ++expected]);
    } else {
      pending.push(c.incr(k));
      want.push(++expected);
    }
  }
  assert.deepEqual(await Promise.all(pending), want);
}

for (const protocol of [ProtocolVersion.RESP3, ProtocolVersion.RESP2]) {
  const p = protocol === ProtocolVersion.RESP3 ? "RESP3" : "RESP2";
  Deno.test(`order: standalone async ${p}, ${DEPTH} in flight on one key`, async () => {
    await using c = await GlideClient.createClient(
      withServerTls({
        addresses: [standaloneAddress()],
        protocol,
        requestTimeout: 10_000,
        inflightRequestsLimit: 4 * DEPTH,
      }),
    );
    await orderAtDepth(c);
    await orderWithBatches(c, false);
  });
  Deno.test(`order: cluster async ${p}, ${DEPTH} in flight on one key`, async () => {
    await using c = await GlideClusterClient.createClient(
      withServerTls({
        addresses: clusterAddresses(),
        protocol,
        requestTimeout: 10_000,
        inflightRequestsLimit: 4 * DEPTH,
      }),
    );
    await orderAtDepth(c);
    await orderWithBatches(c, true);
  });
}

/** INCRs on one key (to its primary) interleaved with GETs of other keys (to replicas). */
async function orderBesideReplicaReads(c: GlideClusterClient): Promise<void> {
  const k = key("order-replicas");
  const others = Array.from({ length: 7 }, (_, i) => key(`order-read{${i}}`));
  const incrs: Promise<number>[] = [];
  const reads: Promise<unknown>[] = [];
  for (let i = 0; i < DEPTH; i++) {
    incrs.push(c.incr(k));
    reads.push(c.get(others[i % others.length]));
  }
  const bad = firstOutOfOrder(await Promise.all(incrs));
  assert.equal(bad, undefined, bad ?? "");
  assert.equal((await Promise.all(reads)).length, DEPTH);
}

for (const readFrom of ["preferReplica", "AZAffinity"] as const) {
  Deno.test(`order: cluster async readFrom ${readFrom}, ${DEPTH} in flight on one key beside replica reads`, async () => {
    await using c = await GlideClusterClient.createClient(
      withServerTls({
        addresses: clusterAddresses(),
        readFrom,
        clientAz: "order-az",
        requestTimeout: 10_000,
        inflightRequestsLimit: 4 * DEPTH,
      }),
    );
    await orderBesideReplicaReads(c);
    await orderAtDepth(c);
  });
}

Deno.test(`order: sync clients in 4 Workers and an async one beside them, ${DEPTH} each`, async () => {
  const worker = new URL("./fixtures/order/sync_worker.ts", import.meta.url);
  const jobs = [false, false, true, true].map((cluster, i) =>
    workerReply<string | null>(
      worker,
      { cluster, key: key(`order-w${i}`), count: DEPTH },
      `worker ${i}`,
    )
  );
  await using c = await GlideClusterClient.createClient(
    withServerTls({
      addresses: clusterAddresses(),
      requestTimeout: 10_000,
      inflightRequestsLimit: 4 * DEPTH,
    }),
  );
  await orderAtDepth(c);
  assert.deepEqual(await Promise.all(jobs), [null, null, null, null]);
});
