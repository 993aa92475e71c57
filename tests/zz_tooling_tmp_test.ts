import assert from "node:assert/strict";
import { clusterAddresses, standaloneAddress } from "./harness.ts";
async function ping(host: string, port: number): Promise<string> {
  const c = await Deno.connect({ hostname: host, port });
  await c.write(new TextEncoder().encode("PING\r\n"));
  const b = new Uint8Array(64);
  const n = await c.read(b);
  c.close();
  return new TextDecoder().decode(b.subarray(0, n ?? 0));
}
Deno.test("standalone reachable", async () => {
  const { host, port } = standaloneAddress();
  assert.equal(await ping(host, port), "+PONG\r\n");
});
Deno.test("cluster reachable", async (t) => {
  for (const a of clusterAddresses()) {
    await t.step(`${a.port}`, async () => assert.equal(await ping(a.host, a.port), "+PONG\r\n"));
  }
});
Deno.test("tls flag", () => assert.equal(Deno.env.get("GLIDE_TEST_TLS"), undefined));
Deno.test({ name: "skipped one", ignore: true, fn: () => {} });
Deno.test("fails on purpose", () => assert.equal(1, 2));
