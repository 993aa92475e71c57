import assert from "node:assert/strict";
import { ExpireOptions, RequestError } from "../mod.ts";
import { eachClient, key } from "./harness.ts";

eachClient("del and exists", async (c) => {
  const [a, b, missing] = [key(), key(), key()];
  await c.mset({ [a]: "1", [b]: "2" });
  assert.equal(await c.exists([a, b, missing]), 2);
  assert.equal(await c.exists([a, a]), 2);
  assert.equal(await c.del([a, missing]), 1);
  assert.equal(await c.exists([a]), 0);
  await assert.rejects(async () => await c.del([]), RequestError);
  await assert.rejects(async () => await c.exists([]), RequestError);
});

eachClient("expire and ttl", async (c) => {
  const k = key();
  assert.equal(await c.ttl(k), -2);
  assert.equal(await c.expire(k, 10), false);
  await c.set(k, "v");
  assert.equal(await c.ttl(k), -1);
  assert.equal(await c.expire(k, 100, { expireOption: ExpireOptions.HasExistingExpiry }), false);
  assert.equal(await c.expire(k, 100, { expireOption: ExpireOptions.HasNoExpiry }), true);
  assert.equal(
    await c.expire(k, 50, { expireOption: ExpireOptions.NewExpiryGreaterThanCurrent }),
    false,
  );
  assert.equal(
    await c.expire(k, 50, { expireOption: ExpireOptions.NewExpiryLessThanCurrent }),
    true,
  );
  const t = await c.ttl(k);
  assert.ok(t > 40 && t <= 50, `ttl ${t}`);
  assert.equal(await c.expire(k, 0), true);
  assert.equal(await c.exists([k]), 0);
  await assert.rejects(
    async () => await c.expire(k, 1, { expireOption: "ZZ" as ExpireOptions }),
    RequestError,
  );
});
