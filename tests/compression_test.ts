// Transparent compression in GLIDE's stored format: round trips per backend on every client,
// batches, the commands it refuses, the decompression bound, corrupt values, and interop with
// GLIDE's own Node client (run in a process of its own) both ways.
import assert from "node:assert/strict";
import {
  Batch,
  ClusterBatch,
  CompressionBackend,
  type CompressionConfiguration,
  ConfigurationError,
  Decoder,
  GlideClient,
  GlideClusterClient,
  RequestError,
} from "../mod.ts";
import {
  type AnyBaseClient,
  dispose,
  disposeCluster,
  key,
  keys,
  makeClient,
  makeClusterClient,
  standaloneAddress,
  VARIANTS,
} from "./harness.ts";
import { GlideClient as SyncClient } from "../sync.ts";

const BACKENDS = [
  ["zstd", CompressionBackend.ZSTD, 1],
  ["lz4", CompressionBackend.LZ4, 2],
] as const;

/** A 64 KiB JSON-like document: compresses well, as real documents do. */
function json(bytes: number): string {
  const items: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const item = `{"id":${i},"name":"user-${i}","email":"user${i}@example.com","active":${
      i % 3 === 0
    }}`;
    items.push(item);
    size += item.length + 1;
  }
  return `[${items.join(",")}]`.slice(0, bytes);
}

/** Bytes no compressor can shrink (a xorshift stream). */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const DOC = json(4096);

/** Every client kind with `compression`, and a plain client of the same kind beside it. */
function eachCompressed(
  name: string,
  compression: CompressionConfiguration,
  fn: (c: AnyBaseClient, plain: AnyBaseClient, cluster: boolean) => Promise<void>,
): void {
  for (const cluster of [false, true]) {
    for (const v of VARIANTS) {
      Deno.test(`${cluster ? "cluster: " : ""}${name} [${v.name}]`, async () => {
        const make = (extra: { compression?: CompressionConfiguration }) =>
          cluster ? makeClusterClient(v, extra) : makeClient(v, extra);
        const c = await make({ compression });
        const plain = await make({});
        const close = (x: AnyBaseClient) =>
          cluster ? disposeCluster(x as never) : dispose(x as never);
        try {
          await fn(c, plain, cluster);
        } finally {
          await close(c);
          await close(plain);
        }
      });
    }
  }
}

async function stored(plain: AnyBaseClient, k: string): Promise<Uint8Array> {
  return await plain.get(k, { decoder: Decoder.Bytes }) as Uint8Array;
}

for (const [label, backend, id] of BACKENDS) {
  eachCompressed(
    `compression ${label}: SET family stores GLIDE's format, GET family reads it back`,
    { enabled: true, backend },
    async (c, plain) => {
      const [a, b, d, e] = keys(4, `cz:${label}`);
      assert.equal(await c.set(a, DOC), "OK");
      const raw = await stored(plain, a);
      assert.deepEqual([...raw.subarray(0, 5)], [0, 1, 2, 0, id]);
      assert.ok(raw.length < DOC.length / 2, `${raw.length} bytes stored for ${DOC.length}`);
      assert.equal(await c.get(a), DOC);
      assert.deepEqual(
        await c.get(a, { decoder: Decoder.Bytes }),
        new TextEncoder().encode(DOC),
      );
      // MSET / MGET, with a missing key and a short value among them.
      assert.equal(await c.mset({ [b]: DOC, [d]: "short" }), "OK");
      assert.deepEqual(await c.mget([b, e, d, a]), [DOC, null, "short", DOC]);
      assert.equal(new TextDecoder().decode(await stored(plain, d)), "short");
      // GETEX, GETDEL, SET ... GET (the old value), and customCommand by name, any case.
      assert.equal(await c.getex(a), DOC);
      assert.equal(await c.set(a, DOC + "!", { returnOldValue: true }), DOC);
      assert.equal(await c.getdel(a), DOC + "!");
      assert.equal(await c.get(a), null);
      assert.equal(await c.customCommand(["set", e, DOC]), "OK");
      assert.deepEqual([...(await stored(plain, e)).subarray(0, 3)], [0, 1, 2]);
      assert.equal(await c.customCommand(["GET", e]), DOC);
      assert.equal(await c.customCommand(["GETSET", e, "x".repeat(500)]), DOC);
      assert.ok((await stored(plain, e)).length < 500);
      assert.equal(await c.get(e), "x".repeat(500));
      // SETEX / PSETEX / SETNX compress too.
      for (const cmd of [["SETEX", a, "100", DOC], ["PSETEX", b, "100000", DOC]]) {
        assert.equal(await c.customCommand(cmd), "OK");
      }
      assert.equal(await c.customCommand(["SETNX", d + ":nx", DOC]), 1);
      for (const k of [a, b, d + ":nx"]) {
        assert.deepEqual([...(await stored(plain, k)).subarray(0, 5)], [0, 1, 2, 0, id]);
        assert.equal(await c.get(k), DOC);
      }
      await plain.del([d + ":nx"]);
    },
  );
}

eachCompressed(
  "compression: small, incompressible and plain values are stored and read as they are",
  { enabled: true, minCompressionSize: 100 },
  async (c, plain) => {
    const [small, rand, other, looks] = keys(4, "cz:plain");
    const ninetyNine = "a".repeat(99);
    await c.set(small, ninetyNine);
    assert.equal(new TextDecoder().decode(await stored(plain, small)), ninetyNine);
    const random = noise(1000);
    await c.set(rand, random);
    assert.deepEqual(await stored(plain, rand), random);
    assert.deepEqual(await c.get(rand, { decoder: Decoder.Bytes }), random);
    // Values written by a client without compression read back unchanged, even one that starts
    // like the header but is not a valid compressed value (GLIDE returns those as stored).
    await plain.set(other, DOC);
    assert.equal(await c.get(other), DOC);
    const lookalike = new Uint8Array([0, 1, 2, 0, 1, 0xde, 0xad, 0xbe, 0xef, 7, 7, 7]);
    await plain.set(looks, lookalike);
    assert.deepEqual(await c.get(looks, { decoder: Decoder.Bytes }), lookalike);
    const lz4Lie = new Uint8Array([0, 1, 2, 0, 2, 0x10, 0, 0, 0, 0x50, 1, 2]); // 16 bytes claimed
    await plain.set(looks, lz4Lie);
    assert.deepEqual(await c.get(looks, { decoder: Decoder.Bytes }), lz4Lie);
    assert.deepEqual(await c.mget([looks, other], { decoder: Decoder.Bytes }), [
      lz4Lie,
      new TextEncoder().encode(DOC),
    ]);
  },
);

eachCompressed(
  "compression: commands that work on the stored bytes are refused with RequestError",
  { enabled: true },
  async (c) => {
    const k = key("cz:refused");
    await c.set(k, "10");
    const calls: [string, () => unknown][] = [
      ["APPEND", () => c.append(k, "x")],
      ["GETRANGE", () => c.getrange(k, 0, 1)],
      ["SETRANGE", () => c.setrange(k, 0, "x")],
      ["STRLEN", () => c.strlen(k)],
      ["INCR", () => c.incr(k)],
      ["INCRBY", () => c.incrBy(k, 2)],
      ["INCRBYFLOAT", () => c.incrByFloat(k, 2)],
      ["DECR", () => c.decr(k)],
      ["DECRBY", () => c.decrBy(k, 2)],
      ["GETBIT", () => c.getbit(k, 0)],
      ["SETBIT", () => c.setbit(k, 0, 1)],
      ["BITCOUNT", () => c.bitcount(k)],
      ["BITPOS", () => c.bitpos(k, 1)],
      ["INCR", () => c.customCommand(["incr", k])],
    ];
    for (const [name, call] of calls) {
      await assert.rejects(
        async () => await call(),
        (e: Error) =>
          e instanceof RequestError && e.message.includes(`'${name}'`) &&
          /incompatible with compression/.test(e.message),
        name,
      );
    }
    assert.equal(await c.get(k), "10"); // nothing ran
  },
);

eachCompressed(
  "compression: batches compress and restore each command's value in its place",
  { enabled: true, backend: CompressionBackend.LZ4 },
  async (c, plain, cluster) => {
    const [a, b, n] = keys(3, "cz:batch");
    for (const atomic of [true, false]) {
      const batch = cluster ? new ClusterBatch(atomic) : new Batch(atomic);
      batch.set(a, DOC).mset({ [b]: DOC }).get(a).mget([a, b]).get(n).del([b]).getdel(a);
      const r = await (c as GlideClient).exec(batch as Batch, true);
      assert.deepEqual(r, ["OK", "OK", DOC, [DOC, DOC], null, 1, DOC]);
      // Bytes for one command only, the batch's default for the others.
      const bytes = cluster ? new ClusterBatch(atomic) : new Batch(atomic);
      bytes.set(a, DOC).get(a, { decoder: Decoder.Bytes }).get(a);
      const r2 = await (c as GlideClient).exec(bytes as Batch, true);
      assert.deepEqual(r2, ["OK", new TextEncoder().encode(DOC), DOC]);
      assert.deepEqual([...(await stored(plain, a)).subarray(0, 5)], [0, 1, 2, 0, 2]);
    }
    const refused = (cluster ? new ClusterBatch(false) : new Batch(false)).get(a).incr(n);
    await assert.rejects(
      async () => await (c as GlideClient).exec(refused as Batch, true),
      (e: Error) => e instanceof RequestError && /'INCR' is incompatible/.test(e.message),
    );
  },
);

eachCompressed(
  "compression: maxDecompressedSize fails a larger stored value with RequestError",
  { enabled: true, maxDecompressedSize: 1000 },
  async (c, plain, cluster) => {
    const [big, small] = keys(2, "cz:bomb");
    await c.set(big, DOC); // 4 KiB stored in a few hundred bytes
    await c.set(small, "y".repeat(900));
    assert.ok((await stored(plain, big)).length < 1000);
    const tooLarge = (e: Error) =>
      e instanceof RequestError && /size limit exceeded/i.test(e.message);
    await assert.rejects(async () => await c.get(big), tooLarge);
    await assert.rejects(async () => await c.mget([small, big]), tooLarge);
    assert.equal(await c.get(small), "y".repeat(900));
    // In a batch that does not raise, the error takes the command's place.
    const batch = (cluster ? new ClusterBatch(false) : new Batch(false)).get(small).get(big);
    const r = await (c as GlideClient).exec(batch as Batch, false);
    assert.equal(r?.[0], "y".repeat(900));
    assert.ok(r?.[1] instanceof RequestError && tooLarge(r[1]));
    // An lz4 header claiming 4 GiB is refused before anything is allocated.
    await plain.set(big, new Uint8Array([0, 1, 2, 0, 2, 0xff, 0xff, 0xff, 0xff, 0x10, 0x61]));
    await assert.rejects(async () => await c.get(big), tooLarge);
  },
);

Deno.test("compression: invalid configurations are ConfigurationErrors; enabled: false is off", async () => {
  const addresses = [standaloneAddress()];
  const bad: unknown[] = [
    "zstd",
    { backend: CompressionBackend.ZSTD },
    { enabled: "yes" },
    { enabled: true, backend: 7 },
    { enabled: true, compressionLevel: 23 },
    { enabled: true, compressionLevel: 1.5 },
    { enabled: true, backend: CompressionBackend.LZ4, compressionLevel: 13 },
    { enabled: true, minCompressionSize: 5 },
    { enabled: true, maxDecompressedSize: 0 },
    { enabled: true, maxDecompressedSize: -1 },
  ];
  for (const compression of bad) {
    const config = { addresses, compression } as never;
    await assert.rejects(() => GlideClient.createClient(config), ConfigurationError);
    await assert.rejects(() => GlideClusterClient.createClient(config), ConfigurationError);
    assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  }
  const off = await GlideClient.createClient({
    addresses,
    compression: { enabled: false, backend: CompressionBackend.LZ4, compressionLevel: -128 },
  });
  try {
    const k = key("cz:off");
    await off.set(k, DOC);
    assert.equal(await off.strlen(k), DOC.length); // stored as is, and STRLEN is allowed
    await off.del([k]);
  } finally {
    off.close();
  }
});

/** Runs GLIDE's Node client (tasks/bench/glide_node_peer.ts) in a process of its own. */
async function glideNode(args: string[]): Promise<unknown> {
  const peer = new URL("../tasks/bench/glide_node_peer.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", peer, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, `GLIDE Node failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

for (const [label, backend, id] of BACKENDS) {
  Deno.test(`compression ${label}: values round-trip with GLIDE's Node client both ways`, async () => {
    const { host, port } = standaloneAddress();
    const [ours, theirs] = [key(`cz:ours:${label}`), key(`cz:theirs:${label}`)];
    const doc = json(64 * 1024);
    const file = await Deno.makeTempFile();
    const c = await GlideClient.createClient({
      addresses: [{ host, port }],
      compression: { enabled: true, backend },
    });
    try {
      await Deno.writeTextFile(file, doc);
      // GLIDE Node writes, glide-deno reads.
      assert.equal(await glideNode(["set", host, String(port), label, theirs, file]), "OK");
      assert.equal(await c.get(theirs), doc);
      // glide-deno writes, GLIDE Node reads.
      await c.set(ours, doc);
      assert.equal(await glideNode(["get", host, String(port), label, ours]), doc);
      const plain = await GlideClient.createClient({ addresses: [{ host, port }] });
      try {
        for (const k of [ours, theirs]) {
          const stored = await plain.get(k, { decoder: Decoder.Bytes }) as Uint8Array;
          assert.deepEqual([...stored.subarray(0, 5)], [0, 1, 2, 0, id]);
        }
      } finally {
        plain.close();
      }
      await c.del([ours, theirs]);
    } finally {
      c.close();
      await Deno.remove(file);
    }
  });
}
