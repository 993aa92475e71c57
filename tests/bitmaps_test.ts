import assert from "node:assert/strict";
import {
  BitFieldGet,
  BitFieldIncrBy,
  BitFieldOverflow,
  BitFieldSet,
  BitmapIndexType,
  BitOffset,
  BitOffsetMultiplier,
  BitOverflowControl,
  BitwiseOperation,
  Decoder,
  RequestError,
  SignedEncoding,
  UnsignedEncoding,
} from "../mod.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  eachBase,
  key,
  keys,
  serverVersion,
} from "./harness.ts";

/** Asserts `fn` fails with a RequestError (rejected by the server, or refused before sending). */
async function rejects(fn: () => unknown): Promise<void> {
  await assert.rejects(async () => await fn(), RequestError);
}

/** A key holding a list, for WRONGTYPE cases. */
async function listKey(c: AnyBaseClient, k = key()): Promise<string> {
  await (c as AnyClient).customCommand(["LPUSH", k, "x"]);
  return k;
}

const u2 = new UnsignedEncoding(2);

eachBase("setbit and getbit", async (c) => {
  const k = key();
  assert.equal(await c.getbit(k, 0), 0);
  assert.equal(await c.setbit(k, 7, 1), 0);
  assert.equal(await c.setbit(k, 7, 1), 1);
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new Uint8Array([1]));
  assert.equal(await c.getbit(k, 7), 1);
  assert.equal(await c.getbit(k, 6), 0);
  assert.equal(await c.getbit(k, 1000), 0);
  assert.equal(await c.setbit(k, 7, 0), 1);
  assert.equal(await c.setbit(k, 17, 1), 0);
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new Uint8Array([0, 0, 0x40]));
  await rejects(() => c.setbit(k, 0, 2));
  await rejects(() => c.setbit(k, 1.5, 1));
  await rejects(() => c.getbit(k, Number.NaN));
  await rejects(() => c.setbit(k, -1, 1)); // the server refuses
  await rejects(() => c.getbit(k, -1));
  assert.deepEqual(await c.get(k, { decoder: Decoder.Bytes }), new Uint8Array([0, 0, 0x40]));
  const l = await listKey(c);
  await rejects(() => c.setbit(l, 0, 1));
  await rejects(() => c.getbit(l, 0));
});

eachBase("bitcount", async (c) => {
  const k = key();
  assert.equal(await c.bitcount(k), 0);
  assert.equal(await c.bitcount(k, { start: 0, end: -1 }), 0);
  await c.set(k, "foobar");
  assert.equal(await c.bitcount(k), 26);
  assert.equal(await c.bitcount(k, { start: 0, end: 0 }), 4);
  assert.equal(await c.bitcount(k, { start: 1, end: 1 }), 6);
  assert.equal(await c.bitcount(k, { start: -2, end: -1 }), 7);
  assert.equal(await c.bitcount(k, { start: 1, end: 1, indexType: BitmapIndexType.BYTE }), 6);
  assert.equal(await c.bitcount(k, { start: 5, end: 30, indexType: BitmapIndexType.BIT }), 17);
  assert.equal(await c.bitcount(k, { start: -1, end: -1, indexType: BitmapIndexType.BIT }), 0);
  assert.equal(await c.bitcount(k, { start: 10, end: 20 }), 0);
  // `start` alone needs Valkey 8.
  const [major] = await serverVersion(c);
  if (major >= 8) assert.equal(await c.bitcount(k, { start: 1 }), 22);
  else await rejects(() => c.bitcount(k, { start: 1 }));
  // Refused before sending.
  await rejects(() => c.bitcount(k, { start: 0.5, end: 1 }));
  await rejects(() => c.bitcount(k, { start: 0, end: Number.NaN }));
  await rejects(() => c.bitcount(k, { start: 0, indexType: BitmapIndexType.BIT }));
  await rejects(() => c.bitcount(k, { start: 0, end: 1, indexType: "BITS" as BitmapIndexType }));
  await rejects(async () => c.bitcount(await listKey(c)));
});

eachBase("bitpos", async (c) => {
  const k = key();
  assert.equal(await c.bitpos(k, 1), -1);
  assert.equal(await c.bitpos(k, 0), 0);
  await c.set(k, new Uint8Array([0xff, 0xf0, 0x00]));
  assert.equal(await c.bitpos(k, 0), 12);
  assert.equal(await c.bitpos(k, 1), 0);
  assert.equal(await c.bitpos(k, 1, { start: 1 }), 8);
  assert.equal(await c.bitpos(k, 1, { start: 2 }), -1);
  assert.equal(await c.bitpos(k, 0, { start: 0, end: 0 }), -1);
  assert.equal(await c.bitpos(k, 0, { start: -2, end: -1 }), 12);
  assert.equal(await c.bitpos(k, 0, { start: 1, end: 1, indexType: BitmapIndexType.BYTE }), 12);
  assert.equal(await c.bitpos(k, 1, { start: 7, end: 15, indexType: BitmapIndexType.BIT }), 7);
  assert.equal(await c.bitpos(k, 0, { start: 0, end: 11, indexType: BitmapIndexType.BIT }), -1);
  assert.equal(await c.bitpos(k, 0, { start: 0, end: 12, indexType: BitmapIndexType.BIT }), 12);
  await rejects(() => c.bitpos(k, 2));
  await rejects(() => c.bitpos(k, 1, { start: 1.5 }));
  await rejects(() => c.bitpos(k, 1, { start: 0, indexType: BitmapIndexType.BYTE }));
  await rejects(() => c.bitpos(k, 1, { start: 0, end: 1, indexType: "bad" as BitmapIndexType }));
  const l = await listKey(c);
  await rejects(() => c.bitpos(l, 1));
});

eachBase("bitop", async (c) => {
  const [a, b, dest, missing] = keys(4);
  const bytes = async () => await c.get(dest, { decoder: Decoder.Bytes });
  await c.set(a, new Uint8Array([0xff, 0x0f]));
  await c.set(b, new Uint8Array([0x0f]));
  assert.equal(await c.bitop(BitwiseOperation.AND, dest, [a, b]), 2);
  assert.deepEqual(await bytes(), new Uint8Array([0x0f, 0x00]));
  assert.equal(await c.bitop(BitwiseOperation.OR, dest, [a, b]), 2);
  assert.deepEqual(await bytes(), new Uint8Array([0xff, 0x0f]));
  assert.equal(await c.bitop(BitwiseOperation.XOR, dest, [a, b]), 2);
  assert.deepEqual(await bytes(), new Uint8Array([0xf0, 0x0f]));
  assert.equal(await c.bitop(BitwiseOperation.NOT, dest, [a]), 2);
  assert.deepEqual(await bytes(), new Uint8Array([0x00, 0xf0]));
  assert.equal(await c.bitop(BitwiseOperation.OR, dest, [a, missing]), 2);
  assert.deepEqual(await bytes(), new Uint8Array([0xff, 0x0f]));
  // Only missing sources: the destination is deleted.
  assert.equal(await c.bitop(BitwiseOperation.AND, dest, [missing]), 0);
  assert.equal(await c.get(dest), null);
  await rejects(() => c.bitop(BitwiseOperation.NOT, dest, [a, b])); // the server refuses
  await rejects(() => c.bitop(BitwiseOperation.AND, dest, []));
  await rejects(() => c.bitop("NAND" as BitwiseOperation, dest, [a, b]));
  await listKey(c, missing);
  await rejects(() => c.bitop(BitwiseOperation.AND, dest, [a, missing]));
});

eachBase("bitfield", async (c) => {
  const k = key();
  await c.set(k, "A"); // 01000001
  assert.deepEqual(
    await c.bitfield(k, [
      new BitFieldSet(u2, new BitOffset(1), 3),
      new BitFieldGet(u2, new BitOffset(1)),
    ]),
    [2, 3],
  );
  assert.equal(await c.get(k), "a"); // 01100001
  assert.deepEqual(await c.bitfield(k, []), []);
  // Signed values and offsets in encoding widths.
  const s = key();
  const i8 = new SignedEncoding(8);
  assert.deepEqual(
    await c.bitfield(s, [
      new BitFieldSet(i8, new BitOffsetMultiplier(1), -5),
      new BitFieldGet(i8, new BitOffset(8)),
      new BitFieldIncrBy(i8, new BitOffsetMultiplier(1), 10),
      new BitFieldGet(new UnsignedEncoding(8), new BitOffsetMultiplier(0)),
    ]),
    [0, -5, 5, 0],
  );
  assert.deepEqual(await c.get(s, { decoder: Decoder.Bytes }), new Uint8Array([0, 5]));
  // Overflow controls; OVERFLOW adds no item.
  const o = key();
  const at0 = new BitOffset(0);
  assert.deepEqual(
    await c.bitfield(o, [
      new BitFieldSet(u2, at0, 3),
      new BitFieldIncrBy(u2, at0, 1),
      new BitFieldOverflow(BitOverflowControl.WRAP),
      new BitFieldIncrBy(u2, at0, 5),
      new BitFieldOverflow(BitOverflowControl.SAT),
      new BitFieldIncrBy(u2, at0, 5),
      new BitFieldOverflow(BitOverflowControl.FAIL),
      new BitFieldIncrBy(u2, at0, 1),
      new BitFieldSet(u2, at0, 1),
      new BitFieldGet(u2, at0),
    ]),
    [0, 0, 1, 3, null, 3, 1],
  );
  // Refused before sending (the subcommands themselves check their arguments).
  assert.throws(() => new UnsignedEncoding(64), RequestError);
  assert.throws(() => new UnsignedEncoding(0), RequestError);
  assert.throws(() => new SignedEncoding(65), RequestError);
  assert.throws(() => new SignedEncoding(1.5), RequestError);
  assert.throws(() => new BitOffset(1.5), RequestError);
  // A negative offset is the server's to refuse, as with GLIDE.
  await rejects(() => c.bitfield(k, [new BitFieldGet(u2, new BitOffset(-1))]));
  assert.throws(() => new BitOffsetMultiplier(Number.NaN), RequestError);
  assert.throws(() => new BitFieldSet(u2, at0, 0.5), RequestError);
  assert.throws(() => new BitFieldIncrBy(u2, at0, Infinity), RequestError);
  assert.throws(() => new BitFieldOverflow("NONE" as BitOverflowControl), RequestError);
  await rejects(() => c.bitfield(k, [{} as BitFieldGet]));
  assert.equal(await c.get(k), "a");
  // The server refuses an offset past 2^32 bits.
  await rejects(() => c.bitfield(k, [new BitFieldSet(u2, new BitOffset(2 ** 32), 1)]));
  assert.equal(await c.get(k), "a");
  const l = await listKey(c);
  await rejects(() => c.bitfield(l, [new BitFieldGet(u2, at0)]));
});

eachBase("bitfieldReadOnly", async (c) => {
  const k = key();
  assert.deepEqual(await c.bitfieldReadOnly(k, [new BitFieldGet(u2, new BitOffset(1))]), [0]);
  await c.set(k, "A"); // 01000001
  assert.deepEqual(
    await c.bitfieldReadOnly(k, [
      new BitFieldGet(u2, new BitOffset(1)),
      new BitFieldGet(new UnsignedEncoding(8), new BitOffsetMultiplier(0)),
      new BitFieldGet(new SignedEncoding(4), new BitOffset(4)),
    ]),
    [2, 65, 1],
  );
  assert.deepEqual(await c.bitfieldReadOnly(k, []), []);
  await rejects(() =>
    c.bitfieldReadOnly(k, [new BitFieldSet(u2, new BitOffset(0), 1) as unknown as BitFieldGet])
  );
  assert.equal(await c.get(k), "A");
  const l = await listKey(c);
  await rejects(() => c.bitfieldReadOnly(l, [new BitFieldGet(u2, new BitOffset(0))]));
});
