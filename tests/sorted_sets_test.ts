import assert from "node:assert/strict";
import {
  ConditionalChange,
  Decoder,
  InfBoundary,
  type KeyWeight,
  ProtocolVersion,
  RequestError,
  ScoreFilter,
  UpdateByScore,
} from "../mod.ts";
import {
  dispose,
  disposeCluster,
  eachBase,
  key,
  keys,
  makeClient,
  makeClusterClient,
  serverVersion,
} from "./harness.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Whether the server is at least `major.minor`. */
function atLeast(v: [number, number, number], major: number, minor = 0): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

eachBase("zadd, zscore, zcard, zmscore", async (c) => {
  const k = key();
  assert.equal(await c.zcard(k), 0);
  assert.equal(await c.zscore(k, "a"), null);
  assert.equal(await c.zadd(k, { a: 1, b: 2.5 }), 2);
  assert.equal(
    await c.zadd(k, [{ element: "c", score: "+inf" }, { element: enc("d"), score: "-inf" }]),
    2,
  );
  assert.equal(await c.zadd(k, { a: 3 }), 0);
  assert.equal(await c.zcard(k), 4);
  assert.equal(await c.zscore(k, "a"), 3);
  assert.equal(await c.zscore(k, "b"), 2.5);
  assert.equal(await c.zscore(k, "c"), Infinity);
  assert.equal(await c.zscore(enc(k), enc("d")), -Infinity);
  assert.equal(await c.zscore(k, "missing"), null);
  assert.deepEqual(await c.zmscore(k, ["a", "missing", "c", "d"]), [3, null, Infinity, -Infinity]);
  assert.deepEqual(await c.zmscore(key(), ["a"]), [null]);
  await assert.rejects(async () => await c.zadd(k, {}), RequestError);
  await assert.rejects(async () => await c.zadd(k, { a: Number.NaN }), RequestError);
  await assert.rejects(async () => await c.zmscore(k, []), RequestError);
});

eachBase("zadd options", async (c) => {
  const k = key();
  await c.zadd(k, { a: 5 });
  const xx = { conditionalChange: ConditionalChange.ONLY_IF_EXISTS };
  const nx = { conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST };
  assert.equal(await c.zadd(k, { b: 1 }, xx), 0);
  assert.equal(await c.zscore(k, "b"), null);
  assert.equal(await c.zadd(k, { a: 6 }, { ...xx, changed: true }), 1);
  assert.equal(await c.zadd(k, { a: 7, b: 1 }, nx), 1);
  assert.equal(await c.zscore(k, "a"), 6);
  const gt = { updateOptions: UpdateByScore.GREATER_THAN, changed: true };
  const lt = { updateOptions: UpdateByScore.LESS_THAN, changed: true };
  assert.equal(await c.zadd(k, { a: 4 }, gt), 0);
  assert.equal(await c.zadd(k, { a: 9 }, gt), 1);
  assert.equal(await c.zadd(k, { a: 10 }, lt), 0);
  assert.equal(await c.zadd(k, { a: 2, c: 3 }, lt), 2);
  assert.deepEqual(await c.zmscore(k, ["a", "b", "c"]), [2, 1, 3]);
  await assert.rejects(
    async () => await c.zadd(k, { a: 1 }, { conditionalChange: "ZZ" as ConditionalChange }),
    RequestError,
  );
  await assert.rejects(
    async () => await c.zadd(k, { a: 1 }, { updateOptions: "EQ" as UpdateByScore }),
    RequestError,
  );
  // NX with GT is a server-side error.
  await assert.rejects(async () => await c.zadd(k, { a: 1 }, { ...nx, ...gt }), RequestError);
});

eachBase("zaddIncr and zincrby", async (c) => {
  const k = key();
  assert.equal(await c.zaddIncr(k, "a", 2.5), 2.5);
  assert.equal(await c.zaddIncr(k, "a", -1), 1.5);
  assert.equal(
    await c.zaddIncr(k, "a", 1, { conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST }),
    null,
  );
  assert.equal(
    await c.zaddIncr(k, "b", 1, { conditionalChange: ConditionalChange.ONLY_IF_EXISTS }),
    null,
  );
  assert.equal(await c.zaddIncr(k, "a", -5, { updateOptions: UpdateByScore.GREATER_THAN }), null);
  assert.equal(await c.zincrby(k, 10, "a"), 11.5);
  assert.equal(await c.zincrby(k, -0.5, enc("new")), -0.5);
  assert.equal(await c.zincrby(k, Number.MAX_VALUE, "big"), Number.MAX_VALUE);
  await assert.rejects(async () => await c.zincrby(k, Number.NaN, "a"), RequestError);
  await assert.rejects(async () => await c.zaddIncr(k, "a", Infinity), RequestError);
});

eachBase("zrem", async (c) => {
  const k = key();
  assert.equal(await c.zrem(k, ["a"]), 0);
  await c.zadd(k, { a: 1, b: 2, c: 3 });
  assert.equal(await c.zrem(k, ["a", "x", enc("b")]), 2);
  assert.equal(await c.zcard(k), 1);
  await assert.rejects(async () => await c.zrem(k, []), RequestError);
});

eachBase("zcount and zlexcount", async (c) => {
  const k = key();
  assert.equal(await c.zcount(k, InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity), 0);
  await c.zadd(k, { a: 1, b: 2, c: 3 });
  assert.equal(await c.zcount(k, InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity), 3);
  assert.equal(await c.zcount(k, { value: 1 }, { value: 3 }), 3);
  assert.equal(await c.zcount(k, { value: 1, isInclusive: false }, { value: 3 }), 2);
  assert.equal(
    await c.zcount(k, { value: 1, isInclusive: false }, { value: 3, isInclusive: false }),
    1,
  );
  assert.equal(await c.zcount(k, { value: 5 }, { value: 1 }), 0);
  const lex = key();
  await c.zadd(lex, { a: 0, b: 0, c: 0, d: 0 });
  assert.equal(
    await c.zlexcount(lex, InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity),
    4,
  );
  assert.equal(await c.zlexcount(lex, { value: "b" }, InfBoundary.PositiveInfinity), 3);
  assert.equal(await c.zlexcount(lex, { value: enc("b"), isInclusive: false }, { value: "d" }), 2);
  assert.equal(await c.zlexcount(key(), { value: "a" }, { value: "z" }), 0);
  await assert.rejects(
    async () => await c.zcount(k, { value: Number.NaN }, InfBoundary.PositiveInfinity),
    RequestError,
  );
  await assert.rejects(
    async () => await c.zlexcount(lex, "x" as InfBoundary, InfBoundary.PositiveInfinity),
    RequestError,
  );
});

eachBase("zrank and zrevrank", async (c) => {
  const k = key();
  assert.equal(await c.zrank(k, "a"), null);
  assert.equal(await c.zrevrank(k, "a"), null);
  await c.zadd(k, { a: 1, b: 2.5, c: 3 });
  assert.equal(await c.zrank(k, "a"), 0);
  assert.equal(await c.zrank(k, enc("c")), 2);
  assert.equal(await c.zrank(k, "x"), null);
  assert.equal(await c.zrevrank(k, "a"), 2);
  assert.equal(await c.zrevrank(k, "c"), 0);
  if (atLeast(await serverVersion(c), 7, 2)) {
    assert.deepEqual(await c.zrankWithScore(k, "b"), [1, 2.5]);
    assert.deepEqual(await c.zrevrankWithScore(k, "a"), [2, 1]);
    assert.equal(await c.zrankWithScore(k, "x"), null);
    assert.equal(await c.zrevrankWithScore(key(), "x"), null);
  } else {
    await assert.rejects(async () => await c.zrankWithScore(k, "b"), RequestError);
    await assert.rejects(async () => await c.zrevrankWithScore(k, "b"), RequestError);
  }
  assert.equal(await c.zcard(k), 3);
});

eachBase("zrange by index, score and lex", async (c) => {
  const k = key();
  assert.deepEqual(await c.zrange(k, { start: 0, end: -1 }), []);
  assert.deepEqual(await c.zrangeWithScores(k, { start: 0, end: -1 }), []);
  await c.zadd(k, { a: 1, b: 2, c: 3, d: 4 });
  assert.deepEqual(await c.zrange(k, { start: 0, end: -1 }), ["a", "b", "c", "d"]);
  assert.deepEqual(await c.zrange(k, { start: 1, end: 2 }), ["b", "c"]);
  assert.deepEqual(await c.zrange(k, { start: 0, end: 1 }, { reverse: true }), ["d", "c"]);
  assert.deepEqual(
    await c.zrange(k, { start: 0, end: 0 }, { decoder: Decoder.Bytes }),
    [enc("a")],
  );
  assert.deepEqual(
    await c.zrange(k, {
      type: "byScore",
      start: { value: 1, isInclusive: false },
      end: InfBoundary.PositiveInfinity,
    }),
    ["b", "c", "d"],
  );
  assert.deepEqual(
    await c.zrange(k, {
      type: "byScore",
      start: InfBoundary.NegativeInfinity,
      end: InfBoundary.PositiveInfinity,
      limit: { offset: 1, count: 2 },
    }),
    ["b", "c"],
  );
  assert.deepEqual(
    await c.zrange(k, {
      type: "byScore",
      start: { value: 3 },
      end: InfBoundary.NegativeInfinity,
    }, { reverse: true }),
    ["c", "b", "a"],
  );
  assert.deepEqual(
    await c.zrangeWithScores(k, { start: 0, end: -1 }),
    [
      { element: "a", score: 1 },
      { element: "b", score: 2 },
      { element: "c", score: 3 },
      { element: "d", score: 4 },
    ],
  );
  assert.deepEqual(
    await c.zrangeWithScores(k, {
      type: "byScore",
      start: InfBoundary.PositiveInfinity,
      end: { value: 3 },
      limit: { offset: 0, count: 1 },
    }, { reverse: true, decoder: Decoder.Bytes }),
    [{ element: enc("d"), score: 4 }],
  );
  const lex = key();
  await c.zadd(lex, { a: 0, b: 0, c: 0, d: 0 });
  assert.deepEqual(
    await c.zrange(lex, {
      type: "byLex",
      start: { value: "b" },
      end: InfBoundary.PositiveInfinity,
    }),
    ["b", "c", "d"],
  );
  assert.deepEqual(
    await c.zrange(lex, {
      type: "byLex",
      start: { value: enc("c"), isInclusive: false },
      end: InfBoundary.NegativeInfinity,
      limit: { offset: 0, count: 1 },
    }, { reverse: true }),
    ["b"],
  );
  await assert.rejects(async () => await c.zrange(k, { start: 0.5, end: 1 }), RequestError);
  await assert.rejects(
    async () =>
      await c.zrange(k, {
        type: "byRank",
        start: 0,
        end: 1,
      } as unknown as { start: number; end: number }),
    RequestError,
  );
  await assert.rejects(
    async () =>
      await c.zrange(k, {
        type: "byScore",
        start: InfBoundary.NegativeInfinity,
        end: InfBoundary.PositiveInfinity,
        limit: { offset: 0, count: 1.5 },
      }),
    RequestError,
  );
});

eachBase("zrangeStore", async (c) => {
  const [src, dst] = keys(2);
  assert.equal(await c.zrangeStore(dst, src, { start: 0, end: -1 }), 0);
  await c.zadd(src, { a: 1, b: 2, c: 3 });
  assert.equal(await c.zrangeStore(dst, src, { start: 0, end: 1 }), 2);
  assert.deepEqual(await c.zrange(dst, { start: 0, end: -1 }), ["a", "b"]);
  assert.equal(
    await c.zrangeStore(dst, src, {
      type: "byScore",
      start: InfBoundary.PositiveInfinity,
      end: { value: 2 },
    }, true),
    2,
  );
  assert.deepEqual(await c.zrange(dst, { start: 0, end: -1 }), ["b", "c"]);
  assert.equal(
    await c.zrangeStore(dst, src, {
      type: "byLex",
      start: InfBoundary.NegativeInfinity,
      end: InfBoundary.PositiveInfinity,
      limit: { offset: 2, count: 5 },
    }),
    1,
  );
  assert.deepEqual(await c.zrangeWithScores(dst, { start: 0, end: -1 }), [
    { element: "c", score: 3 },
  ]);
});

eachBase("zremRangeByRank, ByScore, ByLex", async (c) => {
  const k = key();
  assert.equal(await c.zremRangeByRank(k, 0, -1), 0);
  await c.zadd(k, { a: 1, b: 2, c: 3, d: 4, e: 5 });
  assert.equal(await c.zremRangeByRank(k, 0, 1), 2);
  assert.equal(await c.zremRangeByScore(k, { value: 3, isInclusive: false }, { value: 4 }), 1);
  assert.deepEqual(await c.zrange(k, { start: 0, end: -1 }), ["c", "e"]);
  assert.equal(
    await c.zremRangeByScore(k, InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity),
    2,
  );
  assert.equal(await c.zcard(k), 0);
  await c.zadd(k, { a: 0, b: 0, c: 0, d: 0 });
  assert.equal(await c.zremRangeByLex(k, { value: "a", isInclusive: false }, { value: "c" }), 2);
  assert.equal(
    await c.zremRangeByLex(k, InfBoundary.NegativeInfinity, InfBoundary.PositiveInfinity),
    2,
  );
  await assert.rejects(async () => await c.zremRangeByRank(k, 0, 1.1), RequestError);
});

eachBase("zpopmin and zpopmax", async (c) => {
  const k = key();
  assert.deepEqual(await c.zpopmin(k), []);
  assert.deepEqual(await c.zpopmax(k, { count: 2 }), []);
  await c.zadd(k, { a: 1, b: 2, c: 3, d: 4, e: "+inf" });
  assert.deepEqual(await c.zpopmin(k), [{ element: "a", score: 1 }]);
  assert.deepEqual(await c.zpopmax(k), [{ element: "e", score: Infinity }]);
  assert.deepEqual(await c.zpopmin(k, { count: 1, decoder: Decoder.Bytes }), [
    { element: enc("b"), score: 2 },
  ]);
  assert.deepEqual(await c.zpopmax(k, { count: 5 }), [
    { element: "d", score: 4 },
    { element: "c", score: 3 },
  ]);
  assert.equal(await c.zcard(k), 0);
  await assert.rejects(async () => await c.zpopmin(k, { count: 1.5 }), RequestError);
});

eachBase("bzpopmin and bzpopmax", async (c) => {
  const [k1, k2] = keys(2);
  await c.zadd(k2, { a: 1, b: 2, c: 3 });
  assert.deepEqual(await c.bzpopmin([k1, k2], 0.5), [k2, "a", 1]);
  assert.deepEqual(await c.bzpopmax([k1, k2], 0.5), [k2, "c", 3]);
  assert.deepEqual(await c.bzpopmin([k1, k2], 0.5, { decoder: Decoder.Bytes }), [
    enc(k2),
    enc("b"),
    2,
  ]);
  // Empty: the server answers null when the timeout passes (longer than nothing, shorter
  // than the client's request timeout would allow were it not for the core's own timeout).
  const started = Date.now();
  assert.equal(await c.bzpopmin([k1, k2], 0.2), null);
  assert.equal(await c.bzpopmax([k1], 0.2), null);
  assert.ok(Date.now() - started >= 350);
  await assert.rejects(async () => await c.bzpopmin([], 0.1), RequestError);
  await assert.rejects(async () => await c.bzpopmax([k1], Number.NaN), RequestError);
});

eachBase(
  "blocking pops outlive the request timeout and wake on a write",
  async (c, v) => {
    const [k1, k2] = keys(2);
    // The client's requestTimeout is 2 s: the core gives the command its own timeout.
    const started = Date.now();
    assert.equal(await c.bzpopmin([k1], 2.3), null);
    assert.ok(Date.now() - started >= 2200);
    const other = v.cluster ? await makeClusterClient(v) : await makeClient(v);
    try {
      const popped = c.bzpopmax([k1], 0);
      const multi = (async () => {
        await new Promise((r) => setTimeout(r, 100));
        await other.zadd(k1, { a: 1, b: 2 });
        await other.zadd(k2, { c: 3 });
      })();
      assert.deepEqual(await popped, [k1, "b", 2]);
      await multi;
      assert.deepEqual(await c.bzmpop([k1, k2], ScoreFilter.MIN, 0, { count: 5 }), [k1, [
        { element: "a", score: 1 },
      ]]);
    } finally {
      if (v.cluster) await disposeCluster(other as Awaited<ReturnType<typeof makeClusterClient>>);
      else await dispose(other as Awaited<ReturnType<typeof makeClient>>);
    }
  },
  (v) => !v.sync && v.protocol === ProtocolVersion.RESP3,
);

eachBase("zmpop and bzmpop", async (c) => {
  const [k1, k2] = keys(2);
  assert.equal(await c.zmpop([k1, k2], ScoreFilter.MIN), null);
  await c.zadd(k2, { a: 1, b: 2, c: 3, d: 4 });
  assert.deepEqual(await c.zmpop([k1, k2], ScoreFilter.MIN), [k2, [{ element: "a", score: 1 }]]);
  assert.deepEqual(await c.zmpop([k1, k2], ScoreFilter.MAX, { count: 2 }), [k2, [
    { element: "d", score: 4 },
    { element: "c", score: 3 },
  ]]);
  assert.deepEqual(
    await c.bzmpop([k1, k2], ScoreFilter.MAX, 0.5, { decoder: Decoder.Bytes }),
    [enc(k2), [{ element: enc("b"), score: 2 }]],
  );
  assert.equal(await c.bzmpop([k1, k2], ScoreFilter.MIN, 0.2, { count: 3 }), null);
  await c.zadd(k1, { x: 10, y: 20 });
  assert.deepEqual(await c.bzmpop([k1, k2], ScoreFilter.MIN, 0.5, { count: 3 }), [k1, [
    { element: "x", score: 10 },
    { element: "y", score: 20 },
  ]]);
  await assert.rejects(async () => await c.zmpop([k1], "MID" as ScoreFilter), RequestError);
  await assert.rejects(async () => await c.zmpop([], ScoreFilter.MIN), RequestError);
  await assert.rejects(
    async () => await c.bzmpop([k1], ScoreFilter.MIN, 0.1, { count: -0.5 }),
    RequestError,
  );
});

eachBase("zdiff, zdiffWithScores, zdiffstore", async (c) => {
  const [k1, k2, k3, dst] = keys(4);
  assert.deepEqual(await c.zdiff([k1, k2]), []);
  assert.deepEqual(await c.zdiffWithScores([k1, k2]), []);
  await c.zadd(k1, { a: 1, b: 2, c: 3 });
  await c.zadd(k2, { b: 5 });
  await c.zadd(k3, { c: 7 });
  assert.deepEqual(await c.zdiff([k1, k2, k3]), ["a"]);
  assert.deepEqual(await c.zdiff([k1, k2], { decoder: Decoder.Bytes }), [enc("a"), enc("c")]);
  assert.deepEqual(await c.zdiffWithScores([k1, k2]), [
    { element: "a", score: 1 },
    { element: "c", score: 3 },
  ]);
  assert.equal(await c.zdiffstore(dst, [k1, k3]), 2);
  assert.deepEqual(await c.zrange(dst, { start: 0, end: -1 }), ["a", "b"]);
  await assert.rejects(async () => await c.zdiff([]), RequestError);
  await assert.rejects(async () => await c.zdiffstore(dst, []), RequestError);
});

eachBase("zinter, zinterWithScores, zinterstore, zintercard", async (c) => {
  const [k1, k2, dst] = keys(3);
  assert.deepEqual(await c.zinter([k1, k2]), []);
  assert.equal(await c.zintercard([k1, k2]), 0);
  await c.zadd(k1, { a: 1, b: 2, c: 3 });
  await c.zadd(k2, { b: 10, c: 20, d: 30 });
  assert.deepEqual(await c.zinter([k1, k2]), ["b", "c"]);
  assert.deepEqual(await c.zinter([k1, k2], { decoder: Decoder.Bytes }), [enc("b"), enc("c")]);
  assert.deepEqual(await c.zinterWithScores([k1, k2]), [
    { element: "b", score: 12 },
    { element: "c", score: 23 },
  ]);
  assert.deepEqual(await c.zinterWithScores([k1, k2], { aggregationType: "MIN" }), [
    { element: "b", score: 2 },
    { element: "c", score: 3 },
  ]);
  const weighted: KeyWeight[] = [[k1, 10], [k2, 0.5]];
  assert.deepEqual(await c.zinterWithScores(weighted, { aggregationType: "MAX" }), [
    { element: "b", score: 20 },
    { element: "c", score: 30 },
  ]);
  assert.equal(await c.zinterstore(dst, [k1, k2]), 2);
  assert.deepEqual(await c.zmscore(dst, ["b", "c"]), [12, 23]);
  assert.equal(await c.zinterstore(dst, weighted, { aggregationType: "SUM" }), 2);
  assert.deepEqual(await c.zmscore(dst, ["b", "c"]), [25, 40]);
  assert.equal(await c.zintercard([k1, k2]), 2);
  assert.equal(await c.zintercard([k1, k2], { limit: 1 }), 1);
  assert.equal(await c.zintercard([k1, k2], { limit: 0 }), 2);
  await assert.rejects(async () => await c.zinter([]), RequestError);
  await assert.rejects(async () => await c.zintercard([]), RequestError);
  await assert.rejects(
    async () => await c.zinterWithScores([k1, k2], { aggregationType: "AVG" as "SUM" }),
    RequestError,
  );
  await assert.rejects(
    async () => await c.zinterstore(dst, [[k1, Number.NaN]] as KeyWeight[]),
    RequestError,
  );
  await assert.rejects(
    async () => await c.zinterstore(dst, [k1, [k2, 1]] as unknown as KeyWeight[]),
    RequestError,
  );
});

eachBase("zunion, zunionWithScores, zunionstore", async (c) => {
  const [k1, k2, dst] = keys(3);
  assert.deepEqual(await c.zunion([k1, k2]), []);
  await c.zadd(k1, { a: 1, b: 2 });
  await c.zadd(k2, { b: 3, c: 4 });
  assert.deepEqual(await c.zunion([k1, k2]), ["a", "c", "b"]);
  assert.deepEqual(await c.zunionWithScores([k1, k2]), [
    { element: "a", score: 1 },
    { element: "c", score: 4 },
    { element: "b", score: 5 },
  ]);
  assert.deepEqual(
    await c.zunionWithScores([[k1, 2], [k2, 1]], {
      aggregationType: "MAX",
      decoder: Decoder.Bytes,
    }),
    [
      { element: enc("a"), score: 2 },
      { element: enc("b"), score: 4 },
      { element: enc("c"), score: 4 },
    ],
  );
  assert.equal(await c.zunionstore(dst, [k1, k2], { aggregationType: "MIN" }), 3);
  assert.deepEqual(await c.zmscore(dst, ["a", "b", "c"]), [1, 2, 4]);
  assert.equal(await c.zunionstore(dst, [[k1, -1], [k2, 1]]), 3);
  assert.deepEqual(await c.zmscore(dst, ["a", "b", "c"]), [-1, 1, 4]);
  await assert.rejects(async () => await c.zunion([]), RequestError);
  await assert.rejects(async () => await c.zunionstore(dst, []), RequestError);
});

eachBase("zrandmember family", async (c) => {
  const k = key();
  assert.equal(await c.zrandmember(k), null);
  assert.deepEqual(await c.zrandmemberWithCount(k, 3), []);
  assert.deepEqual(await c.zrandmemberWithCountWithScores(k, 3), []);
  await c.zadd(k, { a: 1, b: 2, c: "-inf" });
  const scores: Record<string, number> = { a: 1, b: 2, c: -Infinity };
  assert.ok(["a", "b", "c"].includes(await c.zrandmember(k) as string));
  assert.deepEqual(await c.zrandmember(k, { decoder: Decoder.Bytes }) instanceof Uint8Array, true);
  assert.deepEqual([...(await c.zrandmemberWithCount(k, 5))].sort(), ["a", "b", "c"]);
  const repeated = await c.zrandmemberWithCount(k, -7);
  assert.equal(repeated.length, 7);
  const pairs = await c.zrandmemberWithCountWithScores(k, 3);
  assert.equal(pairs.length, 3);
  for (const [m, s] of pairs) assert.equal(s, scores[m as string]);
  const one = await c.zrandmemberWithCountWithScores(k, -1, { decoder: Decoder.Bytes });
  assert.equal(one.length, 1);
  assert.ok(one[0][0] instanceof Uint8Array);
  assert.equal(one[0][1], scores[new TextDecoder().decode(one[0][0] as Uint8Array)]);
  await assert.rejects(async () => await c.zrandmemberWithCount(k, 1.5), RequestError);
});

eachBase("zscan", async (c) => {
  const k = key();
  assert.deepEqual(await c.zscan(k, "0"), ["0", []]);
  const members: Record<string, number> = {};
  for (let i = 0; i < 200; i++) members[`m${i}`] = i;
  await c.zadd(k, members);
  const seen = new Map<string, string>();
  let cursor = "0";
  do {
    const [next, items] = await c.zscan(k, cursor, { count: 50 });
    assert.equal(typeof next, "string");
    assert.equal(items.length % 2, 0);
    for (let i = 0; i < items.length; i += 2) {
      seen.set(items[i] as string, items[i + 1] as string);
    }
    cursor = next;
  } while (cursor !== "0");
  assert.equal(seen.size, 200);
  assert.equal(seen.get("m42"), "42");
  const [, matched] = await c.zscan(k, "0", { match: "m1?", count: 1000 });
  assert.equal(matched.length, 20);
  const [cur, bytes] = await c.zscan(k, "0", {
    match: "m7",
    count: 1000,
    decoder: Decoder.Bytes,
  });
  assert.equal(cur, "0");
  assert.deepEqual(bytes, [enc("m7"), enc("7")]);
  if (atLeast(await serverVersion(c), 8)) {
    const [, names] = await c.zscan(k, "0", { match: "m7", count: 1000, noScores: true });
    assert.deepEqual(names, ["m7"]);
  } else {
    await assert.rejects(async () => await c.zscan(k, "0", { noScores: true }), RequestError);
  }
  await assert.rejects(async () => await c.zscan(k, "0", { count: 0.5 }), RequestError);
});

eachBase("sorted-set commands on a string are WRONGTYPE", async (c) => {
  const k = key();
  await c.set(k, "x");
  const wrongType = (e: Error) => {
    assert.ok(e instanceof RequestError);
    assert.match(e.message, /WRONGTYPE/);
    return true;
  };
  await assert.rejects(async () => await c.zadd(k, { a: 1 }), wrongType);
  await assert.rejects(async () => await c.zscore(k, "a"), wrongType);
  await assert.rejects(async () => await c.zrange(k, { start: 0, end: -1 }), wrongType);
  await assert.rejects(async () => await c.zrangeWithScores(k, { start: 0, end: -1 }), wrongType);
  await assert.rejects(async () => await c.zpopmin(k), wrongType);
  await assert.rejects(async () => await c.zcard(k), wrongType);
  await assert.rejects(async () => await c.zrandmember(k), wrongType);
  await assert.rejects(async () => await c.zscan(k, "0"), wrongType);
  assert.equal(await c.get(k), "x");
});
