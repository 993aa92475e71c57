// Requests that time out in the middle never let a later one run first: 1,500 RPUSHes on one key
// while another connection holds the server asleep past the request timeout. Hundreds of them
// fail with TimeoutError on the client; the ones that ran (a timed-out command may still run)
// are in the list the server built in submit order.
import assert from "node:assert/strict";
import { GlideClient, GlideClusterClient } from "../async.ts";
import { TimeoutError } from "../mod.ts";
import { clusterAddresses, key, standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Client = GlideClient | GlideClusterClient;

/**
 * Pushes 0..1499 onto `k` through `c` (request timeout 100 ms) in three waves: before, during and
 * after a 400 ms server sleep that `asleep` starts. Returns how many timed out, and the list.
 */
async function pushThroughASleep(
  c: Client,
  k: string,
  asleep: () => Promise<unknown>,
): Promise<{ timedOut: number; list: number[] }> {
  // Each call's outcome: undefined, or its error (caught at once: many fail while we wait).
  const calls: Promise<unknown>[] = [];
  const push = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      calls.push(c.rpush(k, [String(i)]).then(() => undefined, (e: unknown) => e));
    }
  };
  push(0, 500);
  const sleeping = asleep();
  await sleep(20);
  push(500, 1000);
  await sleep(150);
  push(1000, 1500);
  await sleeping;
  const failed = (await Promise.all(calls)).filter((e) => e !== undefined);
  for (const e of failed) assert.ok(e instanceof TimeoutError, String(e));
  const list = (await c.lrange(k, 0, -1)).map(Number);
  return { timedOut: failed.length, list };
}

/** Every value at most once, in increasing order: no command ran before an earlier one. */
function assertInSubmitOrder(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    assert.ok(list[i - 1] < list[i], `${list[i]} ran after ${list[i - 1]} (position ${i})`);
  }
}

Deno.test("order: standalone requests timing out in the middle never let a later one run first", async () => {
  const config = withServerTls({ addresses: [standaloneAddress()], requestTimeout: 100 });
  await using c = await GlideClient.createClient(config);
  await using sleeper = await GlideClient.createClient({ ...config, requestTimeout: 5_000 });
  const k = key("order-timeout");
  const { timedOut, list } = await pushThroughASleep(
    c,
    k,
    () => sleeper.customCommand(["DEBUG", "SLEEP", "0.4"]),
  );
  assert.ok(timedOut > 0, "the sleep made some requests time out");
  // Commands written before their caller timed out ran in their place; the timeouts of a
  // connection that read nothing meanwhile made the client reconnect, and requests that timed
  // out waiting for the new connection never ran. Never out of order.
  assert.ok(list.length >= 500, `only ${list.length} ran`);
  assertInSubmitOrder(list);
});

Deno.test("order: cluster requests timing out in the middle never let a later one run first", async () => {
  const config = withServerTls({ addresses: clusterAddresses(), requestTimeout: 100 });
  await using c = await GlideClusterClient.createClient(config);
  await using sleeper = await GlideClusterClient.createClient({
    ...config,
    requestTimeout: 5_000,
  });
  const k = key("order-timeout");
  const route = { type: "primarySlotKey", key: k } as const;
  const { timedOut, list } = await pushThroughASleep(
    c,
    k,
    () => sleeper.customCommand(["DEBUG", "SLEEP", "0.4"], { route }),
  );
  assert.ok(timedOut > 0, "the sleep made some requests time out");
  assertInSubmitOrder(list);
});
