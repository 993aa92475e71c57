import assert from "node:assert/strict";
import { Decoder, RequestError } from "../mod.ts";
import { eachClusterClient, key } from "./harness.ts";

eachClusterClient("randomKey", async (c) => {
  const k = key();
  await c.set(k, "v");
  const any = await c.randomKey();
  assert.equal(typeof any, "string");
  assert.ok(await c.randomKey({ decoder: Decoder.Bytes }) instanceof Uint8Array);
  // The node that holds `k` has at least that key.
  const there = await c.randomKey({ route: { type: "primarySlotKey", key: k } });
  assert.equal(typeof there, "string");
  assert.equal(typeof await c.randomKey({ route: "allPrimaries" }), "string");
  const random = await c.randomKey({ route: "randomNode" });
  assert.ok(random === null || typeof random === "string");
  await assert.rejects(
    async () => await c.randomKey({ route: { type: "primarySlotId", id: 99999 } }),
    RequestError,
  );
});
