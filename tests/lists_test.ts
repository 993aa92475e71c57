import assert from "node:assert/strict";
import { Decoder, InsertPosition, ListDirection, RequestError } from "../mod.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  clusterAddresses,
  dispose,
  disposeCluster,
  eachBase,
  key,
  keys,
  makeClient,
  makeClusterClient,
  standaloneAddress,
  type Variant,
} from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Asserts `fn` throws a RequestError (sent and rejected, or refused before sending). */
async function rejects(fn: () => unknown): Promise<void> {
  await assert.rejects(async () => await fn(), RequestError);
}

/** A key holding a string, for WRONGTYPE cases. */
async function stringKey(c: AnyBaseClient, k = key()): Promise<string> {
  await (c as AnyClient).set(k, "x");
  return k;
}

/** Another client of the same kind, with extra configuration. */
async function other(
  v: Variant & { cluster: boolean },
  extra: { requestTimeout?: number } = {},
): Promise<{ client: AnyBaseClient; close: () => Promise<void> }> {
  if (v.cluster) {
    const client = await makeClusterClient(v, extra);
    return { client, close: () => disposeCluster(client) };
  }
  const client = await makeClient(v, extra);
  return { client, close: () => dispose(client) };
}

eachBase("lpush, rpush, lrange", async (c) => {
  const k = key();
  assert.deepEqual(await c.lrange(k, 0, -1), []);
  assert.equal(await c.lpush(k, ["b", "a"]), 2);
  assert.equal(await c.rpush(k, ["c", "d"]), 4);
  assert.deepEqual(await c.lrange(k, 0, -1), ["a", "b", "c", "d"]);
  assert.deepEqual(await c.lrange(k, 1, 2), ["b", "c"]);
  assert.deepEqual(await c.lrange(k, -2, -1), ["c", "d"]);
  assert.deepEqual(await c.lrange(k, 5, 10), []);
  assert.deepEqual(await c.lrange(k, 0, 0, { decoder: Decoder.Bytes }), [bytes("a")]);
  assert.equal(await c.rpush(k, [new Uint8Array([0, 255])]), 5);
  assert.deepEqual(await c.lrange(k, -1, -1, { decoder: Decoder.Bytes }), [
    new Uint8Array([0, 255]),
  ]);
  await rejects(() => c.lpush(k, []));
  await rejects(() => c.rpush(k, []));
  await rejects(() => c.lrange(k, 0.5, 1));
  await rejects(() => c.lrange(k, 0, Number.NaN));
  const s = await stringKey(c);
  await rejects(() => c.lpush(s, ["a"]));
  await rejects(() => c.rpush(s, ["a"]));
  await rejects(() => c.lrange(s, 0, -1));
});

eachBase("lpushx and rpushx", async (c) => {
  const k = key();
  assert.equal(await c.lpushx(k, ["a"]), 0);
  assert.equal(await c.rpushx(k, ["a"]), 0);
  assert.equal(await c.llen(k), 0);
  await c.rpush(k, ["m"]);
  assert.equal(await c.lpushx(k, ["l1", "l2"]), 3);
  assert.equal(await c.rpushx(k, ["r"]), 4);
  assert.deepEqual(await c.lrange(k, 0, -1), ["l2", "l1", "m", "r"]);
  await rejects(() => c.lpushx(k, []));
  await rejects(() => c.rpushx(k, []));
  const s = await stringKey(c);
  await rejects(() => c.lpushx(s, ["a"]));
  await rejects(() => c.rpushx(s, ["a"]));
});

eachBase("lpop, rpop and their counts", async (c) => {
  const k = key();
  assert.equal(await c.lpop(k), null);
  assert.equal(await c.rpop(k), null);
  assert.equal(await c.lpopCount(k, 2), null);
  assert.equal(await c.rpopCount(k, 2), null);
  await c.rpush(k, ["a", "b", "c", "d", "e", "f"]);
  assert.equal(await c.lpop(k), "a");
  assert.equal(await c.rpop(k), "f");
  assert.deepEqual(await c.lpopCount(k, 2), ["b", "c"]);
  assert.deepEqual(await c.rpopCount(k, 1), ["e"]);
  assert.deepEqual(await c.lpop(k, { decoder: Decoder.Bytes }), bytes("d"));
  assert.equal(await c.llen(k), 0);
  await c.rpush(k, ["x", "y", "z"]);
  assert.deepEqual(await c.rpop(k, { decoder: Decoder.Bytes }), bytes("z"));
  assert.deepEqual(await c.lpopCount(k, 5, { decoder: Decoder.Bytes }), [bytes("x"), bytes("y")]);
  await c.rpush(k, ["x", "y", "z"]);
  assert.deepEqual(await c.rpopCount(k, 10, { decoder: Decoder.Bytes }), [
    bytes("z"),
    bytes("y"),
    bytes("x"),
  ]);
  await rejects(() => c.lpopCount(k, 1.5));
  await rejects(() => c.rpopCount(k, Number.NaN));
  await c.rpush(k, ["x"]);
  await rejects(() => c.lpopCount(k, -1));
  const s = await stringKey(c);
  await rejects(() => c.lpop(s));
  await rejects(() => c.rpop(s));
  await rejects(() => c.lpopCount(s, 1));
  await rejects(() => c.rpopCount(s, 1));
});

eachBase("lindex, lset, llen", async (c) => {
  const k = key();
  assert.equal(await c.lindex(k, 0), null);
  assert.equal(await c.llen(k), 0);
  await rejects(() => c.lset(k, 0, "x"));
  await c.rpush(k, ["a", "b", "c"]);
  assert.equal(await c.llen(k), 3);
  assert.equal(await c.lindex(k, 0), "a");
  assert.equal(await c.lindex(k, -1), "c");
  assert.equal(await c.lindex(k, 3), null);
  assert.deepEqual(await c.lindex(k, 1, { decoder: Decoder.Bytes }), bytes("b"));
  assert.equal(await c.lset(k, 1, "B"), "OK");
  assert.equal(await c.lset(k, -1, new Uint8Array([7])), "OK");
  assert.deepEqual(await c.lrange(k, 0, 1), ["a", "B"]);
  assert.deepEqual(await c.lindex(k, 2, { decoder: Decoder.Bytes }), new Uint8Array([7]));
  await rejects(() => c.lset(k, 10, "x"));
  await rejects(() => c.lindex(k, 0.5));
  await rejects(() => c.lset(k, Number.NaN, "x"));
  const s = await stringKey(c);
  await rejects(() => c.lindex(s, 0));
  await rejects(() => c.lset(s, 0, "x"));
  await rejects(() => c.llen(s));
});

eachBase("lrem and ltrim", async (c) => {
  const k = key();
  assert.equal(await c.lrem(k, 0, "a"), 0);
  assert.equal(await c.ltrim(k, 0, 1), "OK");
  await c.rpush(k, ["a", "b", "a", "c", "a", "a"]);
  assert.equal(await c.lrem(k, 1, "a"), 1);
  assert.deepEqual(await c.lrange(k, 0, -1), ["b", "a", "c", "a", "a"]);
  assert.equal(await c.lrem(k, -2, "a"), 2);
  assert.deepEqual(await c.lrange(k, 0, -1), ["b", "a", "c"]);
  await c.rpush(k, ["a", "a"]);
  assert.equal(await c.lrem(k, 0, "a"), 3);
  assert.equal(await c.lrem(k, 0, "zzz"), 0);
  assert.deepEqual(await c.lrange(k, 0, -1), ["b", "c"]);
  await c.rpush(k, ["d", "e", "f"]);
  assert.equal(await c.ltrim(k, 1, -2), "OK");
  assert.deepEqual(await c.lrange(k, 0, -1), ["c", "d", "e"]);
  assert.equal(await c.ltrim(k, 5, 10), "OK");
  assert.equal(await c.llen(k), 0);
  await rejects(() => c.lrem(k, 1.5, "a"));
  await rejects(() => c.ltrim(k, 0, Infinity));
  const s = await stringKey(c);
  await rejects(() => c.lrem(s, 0, "a"));
  await rejects(() => c.ltrim(s, 0, 1));
});

eachBase("linsert", async (c) => {
  const k = key();
  assert.equal(await c.linsert(k, InsertPosition.Before, "p", "x"), 0);
  await c.rpush(k, ["a", "c"]);
  assert.equal(await c.linsert(k, InsertPosition.Before, "c", "b"), 3);
  assert.equal(await c.linsert(k, InsertPosition.After, "c", "d"), 4);
  assert.equal(await c.linsert(k, InsertPosition.After, "missing", "z"), -1);
  assert.equal(await c.linsert(k, InsertPosition.Before, "a", new Uint8Array([1])), 5);
  assert.deepEqual(await c.lrange(k, 1, -1), ["a", "b", "c", "d"]);
  await rejects(() => c.linsert(k, "middle" as InsertPosition, "a", "z"));
  assert.equal(await c.llen(k), 5);
  const s = await stringKey(c);
  await rejects(() => c.linsert(s, InsertPosition.Before, "a", "b"));
});

eachBase("lpos", async (c) => {
  const k = key();
  assert.equal(await c.lpos(k, "a"), null);
  assert.deepEqual(await c.lpos(k, "a", { count: 0 }), []);
  await c.rpush(k, ["a", "b", "c", "b", "d", "b"]);
  assert.equal(await c.lpos(k, "b"), 1);
  assert.equal(await c.lpos(k, "z"), null);
  assert.equal(await c.lpos(k, "b", { rank: 2 }), 3);
  assert.equal(await c.lpos(k, "b", { rank: -1 }), 5);
  assert.equal(await c.lpos(k, "b", { rank: 4 }), null);
  assert.deepEqual(await c.lpos(k, "b", { count: 2 }), [1, 3]);
  assert.deepEqual(await c.lpos(k, "b", { count: 0 }), [1, 3, 5]);
  assert.deepEqual(await c.lpos(k, "b", { count: 0, rank: -1 }), [5, 3, 1]);
  assert.deepEqual(await c.lpos(k, "z", { count: 0 }), []);
  assert.deepEqual(await c.lpos(k, "b", { count: 0, maxLength: 4 }), [1, 3]);
  assert.equal(await c.lpos(k, "d", { maxLength: 3 }), null);
  assert.equal(await c.lpos(k, "d", { rank: 1, maxLength: 0 }), 4);
  await rejects(() => c.lpos(k, "b", { rank: 0 }));
  await rejects(() => c.lpos(k, "b", { count: -1 }));
  await rejects(() => c.lpos(k, "b", { rank: 1.5 }));
  await rejects(() => c.lpos(k, "b", { maxLength: Number.NaN }));
  const s = await stringKey(c);
  await rejects(() => c.lpos(s, "x"));
});

eachBase("lmove", async (c) => {
  const [src, dst, s] = keys(3);
  assert.equal(await c.lmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT), null);
  assert.equal(await c.llen(dst), 0);
  await c.rpush(src, ["a", "b", "c"]);
  assert.equal(await c.lmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT), "a");
  assert.equal(await c.lmove(src, dst, ListDirection.RIGHT, ListDirection.LEFT), "c");
  assert.deepEqual(
    await c.lmove(src, dst, ListDirection.LEFT, ListDirection.LEFT, { decoder: Decoder.Bytes }),
    bytes("b"),
  );
  assert.deepEqual(await c.lrange(dst, 0, -1), ["b", "c", "a"]);
  assert.equal(await c.llen(src), 0);
  // Rotation of one list.
  assert.equal(await c.lmove(dst, dst, ListDirection.RIGHT, ListDirection.LEFT), "a");
  assert.deepEqual(await c.lrange(dst, 0, -1), ["a", "b", "c"]);
  await rejects(() => c.lmove(dst, src, "UP" as ListDirection, ListDirection.LEFT));
  await rejects(() => c.lmove(dst, src, ListDirection.LEFT, "down" as ListDirection));
  await c.set(s, "x");
  await rejects(() => c.lmove(s, dst, ListDirection.LEFT, ListDirection.LEFT));
  await rejects(() => c.lmove(dst, s, ListDirection.LEFT, ListDirection.LEFT));
  assert.equal(await c.llen(dst), 3);
});

eachBase("blmove", async (c) => {
  const [src, dst, s] = keys(3);
  const t0 = Date.now();
  assert.equal(
    await c.blmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT, 0.2),
    null,
  );
  const waited = Date.now() - t0;
  assert.ok(waited >= 150 && waited < 1500, `waited ${waited} ms`);
  await c.rpush(src, ["a", "b"]);
  assert.equal(await c.blmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT, 1), "a");
  assert.deepEqual(
    await c.blmove(src, dst, ListDirection.RIGHT, ListDirection.LEFT, 0, {
      decoder: Decoder.Bytes,
    }),
    bytes("b"),
  );
  assert.deepEqual(await c.lrange(dst, 0, -1), ["b", "a"]);
  await rejects(() => c.blmove(src, dst, "X" as ListDirection, ListDirection.LEFT, 1));
  await rejects(() => c.blmove(src, dst, ListDirection.LEFT, ListDirection.LEFT, Number.NaN));
  await rejects(() => c.blmove(src, dst, ListDirection.LEFT, ListDirection.LEFT, -1));
  await c.set(s, "x");
  await rejects(() => c.blmove(s, dst, ListDirection.LEFT, ListDirection.LEFT, 0.1));
});

eachBase("blpop and brpop", async (c) => {
  const [a, b, s] = keys(3);
  await c.rpush(b, ["1", "2", "3"]);
  assert.deepEqual(await c.blpop([a, b], 1), [b, "1"]);
  assert.deepEqual(await c.brpop([a, b], 1), [b, "3"]);
  await c.rpush(a, ["x"]);
  assert.deepEqual(await c.brpop([a, b], 0), [a, "x"]);
  assert.deepEqual(await c.blpop([a, b], 0.5, { decoder: Decoder.Bytes }), [
    bytes(b),
    bytes("2"),
  ]);
  let t0 = Date.now();
  assert.equal(await c.blpop([a, b], 0.2), null);
  let waited = Date.now() - t0;
  assert.ok(waited >= 150 && waited < 1500, `waited ${waited} ms`);
  t0 = Date.now();
  assert.equal(await c.brpop([a], 0.25), null);
  waited = Date.now() - t0;
  assert.ok(waited >= 200 && waited < 1500, `waited ${waited} ms`);
  await rejects(() => c.blpop([], 1));
  await rejects(() => c.brpop([], 1));
  await rejects(() => c.blpop([a], Number.NaN));
  await rejects(() => c.brpop([a], Infinity));
  await rejects(() => c.blpop([a], -1));
  await c.set(s, "x");
  await rejects(() => c.blpop([s], 0.1));
  await rejects(() => c.brpop([s], 0.1));
  assert.equal(await c.ping(), "PONG");
});

eachBase("blocking pops outlast a shorter request timeout", async (_c, v) => {
  const { client: c, close } = await other(v, { requestTimeout: 100 });
  try {
    const [a, b, d] = keys(3);
    for (
      const pop of [
        () => c.blpop([a], 0.3),
        () => c.brpop([a], 0.3),
        () => c.blmove(a, b, ListDirection.LEFT, ListDirection.LEFT, 0.3),
        () => c.blmpop([a, d], ListDirection.LEFT, 0.3),
      ]
    ) {
      const t0 = Date.now();
      assert.equal(await pop(), null);
      const waited = Date.now() - t0;
      assert.ok(waited >= 250 && waited < 1500, `waited ${waited} ms`);
    }
    // The client's own timeout still applies to everything else, and the client is usable.
    assert.equal(await c.rpush(a, ["x"]), 1);
    assert.deepEqual(await c.blpop([a], 0.3), [a, "x"]);
  } finally {
    await close();
  }
});

eachBase("a push from another client wakes a blocked pop", async (c, v) => {
  const { client: pusher, close } = await other(v);
  try {
    const [a, b, d] = keys(3);
    const pushLater = (k: string, value: string) =>
      new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          Promise.resolve(pusher.rpush(k, [value])).then(() => resolve(), reject);
        }, 100)
      );
    let t0 = Date.now();
    const [popped] = await Promise.all([c.blpop([a, b], 5), pushLater(b, "woke")]);
    assert.deepEqual(popped, [b, "woke"]);
    assert.ok(Date.now() - t0 < 2000);
    t0 = Date.now();
    const [moved] = await Promise.all([
      c.blmove(a, d, ListDirection.RIGHT, ListDirection.LEFT, 5),
      pushLater(a, "m"),
    ]);
    assert.equal(moved, "m");
    assert.deepEqual(await c.lrange(d, 0, -1), ["m"]);
    const [mpopped] = await Promise.all([
      c.blmpop([a, b], ListDirection.RIGHT, 5, { count: 3 }),
      pushLater(b, "n"),
    ]);
    assert.deepEqual(mpopped, { key: b, elements: ["n"] });
    const [rpopped] = await Promise.all([c.brpop([a], 0), pushLater(a, "z")]);
    assert.deepEqual(rpopped, [a, "z"]);
    assert.ok(Date.now() - t0 < 4000);
  } finally {
    await close();
  }
}, (v) => !v.sync);

eachBase("lmpop", async (c) => {
  const [a, b, s] = keys(3);
  assert.equal(await c.lmpop([a, b], ListDirection.LEFT), null);
  await c.rpush(b, ["1", "2", "3", "4"]);
  assert.deepEqual(await c.lmpop([a, b], ListDirection.LEFT), { key: b, elements: ["1"] });
  assert.deepEqual(await c.lmpop([a, b], ListDirection.RIGHT, { count: 2 }), {
    key: b,
    elements: ["4", "3"],
  });
  await c.rpush(a, ["x"]);
  assert.deepEqual(await c.lmpop([a, b], ListDirection.LEFT, { count: 10 }), {
    key: a,
    elements: ["x"],
  });
  assert.deepEqual(
    await c.lmpop([a, b], ListDirection.LEFT, { count: 5, decoder: Decoder.Bytes }),
    { key: bytes(b), elements: [bytes("2")] },
  );
  assert.equal(await c.lmpop([a, b], ListDirection.LEFT, { count: 5 }), null);
  await rejects(() => c.lmpop([], ListDirection.LEFT));
  await rejects(() => c.lmpop([a], "UP" as ListDirection));
  await rejects(() => c.lmpop([a], ListDirection.LEFT, { count: 1.5 }));
  await rejects(() => c.lmpop([a], ListDirection.LEFT, { count: 0 }));
  await c.set(s, "x");
  await rejects(() => c.lmpop([s], ListDirection.LEFT));
});

eachBase("blmpop", async (c) => {
  const [a, b, s] = keys(3);
  const t0 = Date.now();
  assert.equal(await c.blmpop([a, b], ListDirection.LEFT, 0.2), null);
  const waited = Date.now() - t0;
  assert.ok(waited >= 150 && waited < 1500, `waited ${waited} ms`);
  await c.rpush(b, ["1", "2", "3"]);
  assert.deepEqual(await c.blmpop([a, b], ListDirection.LEFT, 1), { key: b, elements: ["1"] });
  assert.deepEqual(await c.blmpop([a, b], ListDirection.RIGHT, 0, { count: 5 }), {
    key: b,
    elements: ["3", "2"],
  });
  await c.rpush(a, ["x", "y"]);
  assert.deepEqual(
    await c.blmpop([a, b], ListDirection.LEFT, 0.5, { count: 2, decoder: Decoder.Bytes }),
    { key: bytes(a), elements: [bytes("x"), bytes("y")] },
  );
  await rejects(() => c.blmpop([], ListDirection.LEFT, 1));
  await rejects(() => c.blmpop([a], "x" as ListDirection, 1));
  await rejects(() => c.blmpop([a], ListDirection.LEFT, Number.NaN));
  await rejects(() => c.blmpop([a], ListDirection.LEFT, 1, { count: Number.NaN }));
  await c.set(s, "x");
  await rejects(() => c.blmpop([s], ListDirection.LEFT, 0.1));
  assert.equal(await c.ping(), "PONG");
});

/**
 * A pusher in a child process: a blocked sync call holds this thread, so the client that wakes
 * it must run elsewhere. Resolves once the child's client is connected; `push` makes it RPUSH
 * `value` to `k` after `delayMs`, and resolves once the child has the order.
 */
async function childPusher(v: Variant & { cluster: boolean }): Promise<{
  push: (k: string, value: string, delayMs: number) => Promise<void>;
  close: () => Promise<void>;
}> {
  const asyncUrl = new URL("../async.ts", import.meta.url).href;
  const code = `
    import { GlideClient, GlideClusterClient } from ${JSON.stringify(asyncUrl)};
    const [cluster, json] = Deno.args;
    const config = JSON.parse(json);
    const client = cluster === "true"
      ? await GlideClusterClient.createClient(config)
      : await GlideClient.createClient(config);
    const out = (line) => Deno.stdout.write(new TextEncoder().encode(line + "\\n"));
    await out("ready");
    let buffer = "";
    for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\\n")) >= 0) {
        const { key, value, delayMs } = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        await new Promise((r) => setTimeout(r, delayMs));
        await client.rpush(key, [value]);
        await out("pushed");
      }
    }
    client.close();
  `;
  const addresses = v.cluster ? clusterAddresses() : [standaloneAddress()];
  const config = withServerTls({ addresses, protocol: v.protocol });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=js", code, String(v.cluster), JSON.stringify(config)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const readLine = async (): Promise<string> => {
    for (;;) {
      const nl = pending.indexOf("\n");
      if (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return line;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error("the pusher process exited");
      pending += value;
    }
  };
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  assert.equal(await readLine(), "ready");
  let acks = 0;
  return {
    push: async (key, value, delayMs) => {
      acks++;
      await writer.write(encoder.encode(JSON.stringify({ key, value, delayMs }) + "\n"));
    },
    close: async () => {
      for (; acks > 0; acks--) assert.equal(await readLine(), "pushed");
      await writer.close();
      while (!(await lines.read()).done) { /* the child exits once its stdin is closed */ }
      const status = await child.status;
      assert.ok(status.success, `pusher exited with ${status.code}`);
    },
  };
}

eachBase("a push from another process wakes a blocked sync pop", async (c, v) => {
  const p = await childPusher(v);
  try {
    const [a, b, d] = keys(3);
    const cases: [() => unknown, string, unknown][] = [
      [() => c.blpop([a, b], 5), b, [b, "v0"]],
      [() => c.blmove(a, d, ListDirection.RIGHT, ListDirection.LEFT, 0), a, "v1"],
      [() => c.blmpop([a, b], ListDirection.LEFT, 5, { count: 2 }), b, {
        key: b,
        elements: ["v2"],
      }],
      [() => c.brpop([a], 5), a, [a, "v3"]],
    ];
    for (const [i, [pop, target, expected]] of cases.entries()) {
      const t0 = Date.now();
      await p.push(target, `v${i}`, 200);
      assert.deepEqual(await pop(), expected);
      const waited = Date.now() - t0;
      assert.ok(waited >= 150 && waited < 3000, `waited ${waited} ms`);
    }
    assert.deepEqual(await c.lrange(d, 0, -1), ["v1"]);
  } finally {
    await p.close();
  }
}, (v) => v.sync);
