// GlideJson and JsonBatch against a server with the JSON module (valkey-json), on every client
// kind: async and sync, RESP3 and RESP2, standalone and cluster. Skipped (with a note) where
// the server has no JSON module, e.g. Redis 7.0.
import assert from "node:assert/strict";
import {
  Batch,
  ClusterBatch,
  ConditionalChange,
  ConfigurationError,
  Decoder,
  GlideJson,
  JsonBatch,
  RequestError,
} from "../mod.ts";
import {
  type AnyBaseClient,
  type AnyClient,
  type AnyClusterClient,
  eachBase,
  eachClusterClient,
  key,
  keys,
  serverRefuses,
} from "./harness.ts";

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);
const text = (v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);

/** Whether the server (each kind, asked once) has the JSON module: MODULE LIST names it. */
const hasModule = new Map<boolean, boolean>();
async function jsonLoaded(c: AnyBaseClient, cluster: boolean): Promise<boolean> {
  let known = hasModule.get(cluster);
  if (known === undefined) {
    const list = await (c as AnyClient).customCommand(["MODULE", "LIST"]);
    const flat = JSON.stringify(list, (_k, v) => text(v));
    // RESP2: [..., "name", "json", ...]; RESP3: {"key":"name","value":"json"}.
    known = /"name",(?:"value":)?"(json|rejson)"/i.test(flat);
    hasModule.set(cluster, known);
  }
  if (!known) console.log(`  (skipped: no JSON module on the ${cluster ? "cluster" : "server"})`);
  return known;
}

/** Like eachBase, skipping where the module is absent. */
function eachJson(
  name: string,
  fn: (c: AnyBaseClient, v: { cluster: boolean; sync: boolean }) => Promise<void>,
): void {
  eachBase(`json: ${name}`, async (c, v) => {
    if (await jsonLoaded(c, v.cluster)) await fn(c, v);
  });
}

/** The call fails with a RequestError refused before sending (a ConfigurationError). */
async function refusedBeforeSending(call: () => unknown): Promise<void> {
  await assert.rejects(async () => await call(), ConfigurationError);
}

const DOC = {
  a: 1,
  b: [1, 2, "x"],
  c: { a: [3], t: true, s: "hi" },
  f: 1.5,
  n: null,
};

eachJson("set and get, JSONPath and legacy paths", async (c) => {
  const k = key("json");
  assert.equal(await GlideJson.get(c, k), null);
  assert.equal(await GlideJson.set(c, k, "$", JSON.stringify(DOC)), "OK");
  assert.deepEqual(JSON.parse(await GlideJson.get(c, k) as string), DOC);
  assert.equal(await GlideJson.get(c, k, { path: "$.a" }), "[1]");
  assert.equal(await GlideJson.get(c, k, { path: "$..a" }), "[1,[3]]");
  assert.equal(await GlideJson.get(c, k, { path: ".c.s" }), '"hi"');
  assert.equal(await GlideJson.get(c, k, { path: "b" }), '[1,2,"x"]');
  assert.equal(await GlideJson.get(c, k, { path: "$.nope" }), "[]");
  await serverRefuses(() => GlideJson.get(c, k, { path: ".nope" }));
  assert.deepEqual(
    JSON.parse(await GlideJson.get(c, k, { path: ["$.a", "$.f"] }) as string),
    { "$.a": [1], "$.f": [1.5] },
  );
  // Formatting.
  assert.equal(
    await GlideJson.get(c, k, { path: ".c.a", indent: "  ", newline: "\n", space: " " }),
    "[\n  3\n]",
  );
  assert.equal(await GlideJson.get(c, k, { path: "$.f", noescape: true }), "[1.5]");
  // NX / XX.
  const nx = { conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST };
  const xx = { conditionalChange: ConditionalChange.ONLY_IF_EXISTS };
  assert.equal(await GlideJson.set(c, k, "$.a", "2", nx), null);
  assert.equal(await GlideJson.set(c, k, "$.z", "2", xx), null);
  assert.equal(await GlideJson.set(c, k, "$.a", "2", xx), "OK");
  assert.equal(await GlideJson.set(c, k, ".z", '"new"', nx), "OK");
  assert.equal(await GlideJson.get(c, k, { path: "$.a" }), "[2]");
  assert.equal(await GlideJson.get(c, k, { path: ".z" }), '"new"');
  // Binary keys, paths and values; replies as bytes with the Bytes decoder.
  const bk = bytes(key("json-bin"));
  assert.equal(await GlideJson.set(c, bk, bytes("$"), bytes('{"v":"\u00e9"}')), "OK");
  assert.equal(await GlideJson.get(c, bk, { path: bytes(".v") }), '"\u00e9"');
  assert.deepEqual(
    await GlideJson.get(c, bk, { path: ".v", decoder: Decoder.Bytes }),
    bytes('"\u00e9"'),
  );
  assert.deepEqual(
    await GlideJson.get(c, bk, { path: ["$.v"], decoder: Decoder.Bytes }),
    bytes(
      '["\u00e9"]',
    ),
  );
  // A new document must start at the root.
  await serverRefuses(() => GlideJson.set(c, key("json"), "$.a", "1"));
  await serverRefuses(() => GlideJson.set(c, k, "$", "{not json"));
});

eachJson("mget in one slot", async (c) => {
  const [a, b, missing] = keys(3, "json-mget");
  await GlideJson.set(c, a, "$", JSON.stringify({ x: 1, y: [1] }));
  await GlideJson.set(c, b, "$", JSON.stringify({ x: 2 }));
  assert.deepEqual(await GlideJson.mget(c, [a, b, missing], "$.x"), ["[1]", "[2]", null]);
  assert.deepEqual(await GlideJson.mget(c, [a, b], "$.y"), ["[[1]]", "[]"]);
  assert.deepEqual(await GlideJson.mget(c, [a, b, missing], ".y"), ["[1]", null, null]);
  assert.deepEqual(await GlideJson.mget(c, [a], "$.x", { decoder: Decoder.Bytes }), [
    bytes("[1]"),
  ]);
  await serverRefuses(() => GlideJson.mget(c, [], "$"));
});

eachClusterClient("json: mget across slots", async (c: AnyClusterClient) => {
  if (!await jsonLoaded(c, true)) return;
  // key() gives keys with no shared tag: they fall in different slots (and nodes).
  const docs = Array.from({ length: 6 }, (_, i) => key(`json-x${i}`));
  for (const [i, k] of docs.entries()) {
    await GlideJson.set(c, k, "$", JSON.stringify({ i }));
  }
  const missing = key("json-x-missing");
  assert.deepEqual(
    await GlideJson.mget(c, [...docs, missing], "$.i"),
    [...docs.map((_, i) => `[${i}]`), null],
  );
  assert.deepEqual(await GlideJson.mget(c, [missing, ...docs.slice(0, 2)], ".i"), [
    null,
    "0",
    "1",
  ]);
});

eachJson("arrays: append, insert, len, index, trim, pop", async (c) => {
  const k = key("json-arr");
  await GlideJson.set(c, k, "$", JSON.stringify({ a: [1, 2], b: { a: "no" }, e: [] }));
  assert.deepEqual(await GlideJson.arrappend(c, k, "$..a", ["3", '"four"']), [4, null]);
  assert.equal(await GlideJson.arrappend(c, k, ".e", ["null"]), 1);
  assert.deepEqual(await GlideJson.arrappend(c, k, "$.nope", ["1"]), []);
  assert.deepEqual(await GlideJson.arrinsert(c, k, "$.a", 0, ["0"]), [5]);
  assert.equal(await GlideJson.arrinsert(c, k, ".a", -1, ["true"]), 6);
  assert.equal(await GlideJson.get(c, k, { path: ".a" }), '[0,1,2,3,true,"four"]');
  await serverRefuses(() => GlideJson.arrinsert(c, k, ".a", 99, ["1"]));
  await serverRefuses(() => GlideJson.arrappend(c, k, ".a", []));
  // Lengths.
  assert.deepEqual(await GlideJson.arrlen(c, k, { path: "$..a" }), [6, null]);
  assert.equal(await GlideJson.arrlen(c, k, { path: ".a" }), 6);
  assert.equal(await GlideJson.arrlen(c, key("json-none"), { path: "$" }), null);
  await serverRefuses(() => GlideJson.arrlen(c, k));
  // Index: scalars of every kind, and a range.
  assert.deepEqual(await GlideJson.arrindex(c, k, "$..a", 2), [2, null]);
  assert.equal(await GlideJson.arrindex(c, k, ".a", true), 4);
  assert.equal(await GlideJson.arrindex(c, k, ".a", '"four"'), 5);
  assert.equal(await GlideJson.arrindex(c, k, ".e", null), 0);
  assert.equal(await GlideJson.arrindex(c, k, ".a", false), -1);
  assert.deepEqual(await GlideJson.arrindex(c, k, "$.a", 1, { start: 2 }), [-1]);
  assert.deepEqual(await GlideJson.arrindex(c, k, "$.a", 3, { start: 1, end: 3 }), [-1]);
  assert.deepEqual(await GlideJson.arrindex(c, k, "$.a", 3, { start: 1, end: 4 }), [3]);
  // Pop: the last by default, index 0 pops the first, the Bytes decoder gives bytes.
  assert.deepEqual(await GlideJson.arrpop(c, k, { path: "$.a" }), ['"four"']);
  assert.deepEqual(await GlideJson.arrpop(c, k, { path: "$.a", index: 0 }), ["0"]);
  assert.equal(await GlideJson.arrpop(c, k, { path: ".a", index: -1 }), "true");
  assert.deepEqual(
    await GlideJson.arrpop(c, k, { path: ".a", index: 1, decoder: Decoder.Bytes }),
    bytes("2"),
  );
  assert.deepEqual(await GlideJson.arrpop(c, k, { path: "$..a" }), ["3", null]);
  assert.equal(await GlideJson.get(c, k, { path: ".a" }), "[1]");
  // Trim.
  await GlideJson.set(c, k, "$.a", "[0,1,2,3,4]");
  assert.deepEqual(await GlideJson.arrtrim(c, k, "$.a", 1, 3), [3]);
  assert.equal(await GlideJson.get(c, k, { path: ".a" }), "[1,2,3]");
  assert.equal(await GlideJson.arrtrim(c, k, ".a", -5, 10), 3);
  assert.equal(await GlideJson.arrtrim(c, k, ".a", 2, 1), 0);
  // Popping an empty array gives null; the root, when it is an array.
  assert.deepEqual(await GlideJson.arrpop(c, k, { path: "$.a" }), [null]);
  const root = key("json-arr-root");
  await GlideJson.set(c, root, "$", "[[], [1]]");
  assert.equal(await GlideJson.arrpop(c, root), "[1]");
  assert.equal(await GlideJson.arrlen(c, root), 1);
  // Arguments refused before sending.
  await refusedBeforeSending(() => GlideJson.arrinsert(c, k, "$.a", 0.5, ["1"]));
  await refusedBeforeSending(() => GlideJson.arrtrim(c, k, "$.a", 0, NaN));
  await refusedBeforeSending(() => GlideJson.arrindex(c, k, "$.a", Infinity));
  await refusedBeforeSending(() =>
    GlideJson.arrpop(c, k, { index: 1 } as unknown as { path: string })
  );
});

eachJson("toggle, type, clear, del, forget", async (c) => {
  const k = key("json-misc");
  await GlideJson.set(c, k, "$", JSON.stringify({ t: true, c: { t: false }, n: 5, s: "x" }));
  assert.deepEqual(await GlideJson.toggle(c, k, { path: "$..t" }), [false, true]);
  // Every member: only the boolean is flipped.
  assert.deepEqual(await GlideJson.toggle(c, k, { path: "$.*" }), [true, null, null, null]);
  assert.equal(await GlideJson.toggle(c, k, { path: ".t" }), false);
  assert.equal(await GlideJson.toggle(c, k, { path: "c.t" }), false);
  assert.deepEqual(await GlideJson.toggle(c, k, { path: "$.nope" }), []);
  await serverRefuses(() => GlideJson.toggle(c, k, { path: ".n" }));
  await serverRefuses(() => GlideJson.toggle(c, key("json-none"), { path: "$" }));
  const bool = key("json-bool");
  await GlideJson.set(c, bool, "$", "false");
  assert.equal(await GlideJson.toggle(c, bool), true);
  assert.equal(await GlideJson.toggle(c, bytes(bool)), false);
  // Types.
  assert.deepEqual(await GlideJson.type(c, k, { path: "$.*" }), [
    "boolean",
    "object",
    "integer",
    "string",
  ]);
  assert.equal(await GlideJson.type(c, k), "object");
  assert.equal(await GlideJson.type(c, k, { path: ".s" }), "string");
  assert.equal(await GlideJson.type(c, k, { path: ".nope" }), null);
  assert.deepEqual(await GlideJson.type(c, k, { path: "$.nope" }), []);
  assert.equal(await GlideJson.type(c, key("json-none")), null);
  // Clear.
  // t is already false: it does not count.
  assert.equal(await GlideJson.clear(c, k, { path: "$.*" }), 3);
  assert.equal(await GlideJson.get(c, k), '{"t":false,"c":{},"n":0,"s":""}');
  assert.equal(await GlideJson.clear(c, k, { path: "$.*" }), 0);
  assert.equal(await GlideJson.clear(c, k), 1);
  assert.equal(await GlideJson.get(c, k), "{}");
  await serverRefuses(() => GlideJson.clear(c, key("json-none")));
  // Del / forget.
  await GlideJson.set(c, k, "$", JSON.stringify({ a: 1, b: { a: 2 }, c: 3 }));
  assert.equal(await GlideJson.del(c, k, { path: "$..a" }), 2);
  assert.equal(await GlideJson.forget(c, k, { path: ".c" }), 1);
  assert.equal(await GlideJson.del(c, k, { path: "$.nope" }), 0);
  assert.equal(await GlideJson.get(c, k), '{"b":{}}');
  assert.equal(await GlideJson.forget(c, k), 1);
  assert.equal(await GlideJson.get(c, k), null);
  assert.equal(await GlideJson.del(c, k), 0);
});

eachJson("strings, numbers and objects", async (c) => {
  const k = key("json-str");
  await GlideJson.set(c, k, "$", JSON.stringify({ s: "foo", o: { s: "ab", n: 2 }, n: 1 }));
  assert.deepEqual(await GlideJson.strlen(c, k, { path: "$..s" }), [3, 2]);
  assert.deepEqual(await GlideJson.strlen(c, k, { path: "$.*" }), [3, null, null]);
  assert.equal(await GlideJson.strlen(c, k, { path: ".s" }), 3);
  assert.equal(await GlideJson.strlen(c, key("json-none")), null);
  assert.deepEqual(await GlideJson.strappend(c, k, '"!"', { path: "$..s" }), [4, 3]);
  assert.equal(await GlideJson.strappend(c, k, '"?"', { path: ".s" }), 5);
  assert.equal(await GlideJson.get(c, k, { path: ".s" }), '"foo!?"');
  await serverRefuses(() => GlideJson.strappend(c, k, '"x"', { path: ".n" }));
  await serverRefuses(() => GlideJson.strappend(c, k, "not json", { path: ".s" }));
  // Numbers: the reply is JSON text.
  assert.equal(await GlideJson.numincrby(c, k, "$..n", 2), "[3,4]");
  assert.equal(await GlideJson.numincrby(c, k, "$.*", 1), "[null,null,4]");
  assert.equal(await GlideJson.numincrby(c, k, ".n", -0.5), "3.5");
  assert.equal(await GlideJson.nummultby(c, k, "$..n", 2), "[7,8]");
  assert.equal(await GlideJson.nummultby(c, k, ".o.n", 0.5), "4");
  assert.equal(await GlideJson.numincrby(c, k, "$.nope", 1), "[]");
  await serverRefuses(() => GlideJson.numincrby(c, k, ".s", 1));
  await serverRefuses(() => GlideJson.nummultby(c, key("json-none"), "$", 2));
  await refusedBeforeSending(() => GlideJson.numincrby(c, k, "$.n", NaN));
  // Objects.
  assert.equal(await GlideJson.objlen(c, k), 3);
  assert.deepEqual(await GlideJson.objlen(c, k, { path: "$.*" }), [null, 2, null]);
  assert.equal(await GlideJson.objlen(c, k, { path: ".o" }), 2);
  assert.equal(await GlideJson.objlen(c, key("json-none")), null);
  await serverRefuses(() => GlideJson.objlen(c, k, { path: ".s" }));
  assert.deepEqual(await GlideJson.objkeys(c, k), ["s", "o", "n"]);
  assert.deepEqual(await GlideJson.objkeys(c, k, { path: "$.*" }), [[], ["s", "n"], []]);
  assert.deepEqual(await GlideJson.objkeys(c, k, { path: ".o", decoder: Decoder.Bytes }), [
    bytes("s"),
    bytes("n"),
  ]);
  assert.equal(await GlideJson.objkeys(c, key("json-none")), null);
});

eachJson("resp and debug", async (c) => {
  const k = key("json-resp");
  await GlideJson.set(c, k, "$", JSON.stringify({ a: [1, 2], b: { t: true }, f: 1.5, n: null }));
  assert.deepEqual(await GlideJson.resp(c, k), [
    "{",
    ["a", ["[", 1, 2]],
    ["b", ["{", ["t", "true"]]],
    ["f", "1.5"],
    ["n", null],
  ]);
  assert.deepEqual(await GlideJson.resp(c, k, { path: "$.*" }), [
    ["[", 1, 2],
    ["{", ["t", "true"]],
    "1.5",
    null,
  ]);
  assert.deepEqual(await GlideJson.resp(c, k, { path: ".a" }), ["[", 1, 2]);
  assert.deepEqual(await GlideJson.resp(c, k, { path: "$.nope" }), []);
  assert.deepEqual(
    await GlideJson.resp(c, k, { path: ".f", decoder: Decoder.Bytes }),
    bytes(
      "1.5",
    ),
  );
  assert.equal(await GlideJson.resp(c, key("json-none")), null);
  await serverRefuses(() => GlideJson.resp(c, k, { path: ".nope" }));
  // Debug.
  const total = await GlideJson.debugMemory(c, k);
  assert.equal(typeof total, "number");
  assert.ok((total as number) > 0);
  const each = await GlideJson.debugMemory(c, k, { path: "$.*" }) as number[];
  assert.equal(each.length, 4);
  assert.ok(each.every((n) => typeof n === "number" && n > 0));
  assert.equal(typeof await GlideJson.debugMemory(c, k, { path: ".a" }), "number");
  assert.equal(await GlideJson.debugMemory(c, key("json-none")), null);
  assert.equal(await GlideJson.debugFields(c, k), 7);
  assert.deepEqual(await GlideJson.debugFields(c, k, { path: "$.*" }), [2, 1, 1, 1]);
  assert.equal(await GlideJson.debugFields(c, k, { path: ".a" }), 2);
  assert.deepEqual(await GlideJson.debugFields(c, k, { path: "$.nope" }), []);
  assert.equal(await GlideJson.debugFields(c, key("json-none")), null);
});

eachJson("errors are RequestErrors", async (c) => {
  const plain = key("json-plain");
  await (c as AnyClient).customCommand(["SET", plain, "not a document"]);
  // A key of another type, a path the parser refuses, JSON text the parser refuses.
  await serverRefuses(() => GlideJson.get(c, plain));
  await serverRefuses(() => GlideJson.arrappend(c, plain, "$", ["1"]));
  const k = key("json-err");
  await GlideJson.set(c, k, "$", '{"a":[1]}');
  await serverRefuses(() => GlideJson.get(c, k, { path: "$[" }));
  await serverRefuses(() => GlideJson.arrappend(c, k, "$.a", ["{oops"]));
  await serverRefuses(() => GlideJson.arrinsert(c, k, ".nope", 0, ["1"]));
  // Arguments refused before sending, for async (a rejection) and sync (a throw) alike.
  await refusedBeforeSending(() =>
    GlideJson.set(c, k, "$", "1", { conditionalChange: "GT" as ConditionalChange })
  );
  await refusedBeforeSending(() => GlideJson.mget(c, "a" as unknown as string[], "$"));
  await assert.rejects(
    async () => await GlideJson.arrtrim(c, k, "$.a", 0.5, 1),
    RequestError,
  );
  // The document is unchanged.
  assert.equal(await GlideJson.get(c, k), '{"a":[1]}');
});

/** A batch of every JSON command, on one document, with the replies it gives. */
function fillBatch<B extends Batch | ClusterBatch>(batch: B, k: string): unknown[] {
  JsonBatch.set(batch, k, "$", JSON.stringify({ a: [1, 2], s: "x", n: 1, t: true, o: { p: 1 } }));
  JsonBatch.set(batch, k, "$.a", "[]", {
    conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST,
  });
  JsonBatch.get(batch, k, { path: "$.a" });
  JsonBatch.get(batch, k, { path: [".s", ".n"], indent: "", space: "" });
  JsonBatch.mget(batch, [k], ".s");
  JsonBatch.arrinsert(batch, k, "$.a", 0, ["0"]);
  JsonBatch.arrappend(batch, k, ".a", ["3"]);
  JsonBatch.arrlen(batch, k, { path: "$.a" });
  JsonBatch.arrindex(batch, k, ".a", 2, { start: 0 });
  JsonBatch.arrpop(batch, k, { path: "$.a", index: 0 });
  JsonBatch.arrtrim(batch, k, ".a", 0, 1);
  JsonBatch.toggle(batch, k, { path: "$.t" });
  JsonBatch.toggle(batch, k, { path: ".t" });
  JsonBatch.type(batch, k, { path: "$.o" });
  JsonBatch.resp(batch, k, { path: ".a" });
  JsonBatch.strlen(batch, k, { path: ".s" });
  JsonBatch.strappend(batch, k, '"y"', { path: "$.s" });
  JsonBatch.numincrby(batch, k, "$.n", 2);
  JsonBatch.nummultby(batch, k, ".n", 3);
  JsonBatch.objlen(batch, k, { path: "$.o" });
  JsonBatch.objkeys(batch, k, { path: ".o" });
  JsonBatch.debugFields(batch, k, { path: "$.a" });
  JsonBatch.debugMemory(batch, k);
  JsonBatch.clear(batch, k, { path: "$.o" });
  JsonBatch.forget(batch, k, { path: ".s" });
  JsonBatch.del(batch, k);
  JsonBatch.get(batch, k);
  return [
    "OK",
    null,
    "[[1,2]]",
    '{".s":"x",".n":1}',
    ['"x"'],
    [3],
    4,
    [4],
    2,
    ["0"],
    2,
    [false],
    true,
    ["object"],
    ["[", 1, 2],
    1,
    [2],
    "[3]",
    "9",
    [1],
    ["p"],
    [2],
    "number", // JSON.DEBUG MEMORY: checked by type
    1,
    1,
    1,
    null,
  ];
}

for (const atomic of [true, false]) {
  eachJson(`JsonBatch, ${atomic ? "atomic" : "not atomic"}`, async (c, v) => {
    const k = key("json-batch");
    const batch = v.cluster ? new ClusterBatch(atomic) : new Batch(atomic);
    const expected = fillBatch(batch, k);
    assert.equal(batch.length, expected.length);
    const got = v.cluster
      ? await (c as AnyClusterClient).exec(batch as ClusterBatch, true)
      : await (c as AnyClient).exec(batch as Batch, true);
    assert.ok(got);
    const memory = expected.indexOf("number");
    assert.equal(typeof got[memory], "number");
    assert.deepEqual(
      got.map((r, i) => (i === memory ? "number" : r)),
      expected,
    );
  });
}

eachJson("JsonBatch: a failing command's error in its place", async (c, v) => {
  const k = key("json-batch-err");
  const batch = v.cluster ? new ClusterBatch(false) : new Batch(false);
  JsonBatch.set(batch, k, "$", '{"a":1}');
  JsonBatch.arrappend(batch, k, ".a", ["1"]);
  JsonBatch.get(batch, k, { path: ".a" });
  const got = v.cluster
    ? await (c as AnyClusterClient).exec(batch as ClusterBatch, false)
    : await (c as AnyClient).exec(batch as Batch, false);
  assert.ok(got);
  assert.equal(got[0], "OK");
  assert.ok(got[1] instanceof RequestError);
  assert.equal(got[2], "1");
  // Refused at once: nothing is added.
  assert.throws(() => JsonBatch.numincrby(batch, k, "$", NaN), ConfigurationError);
  assert.equal(batch.length, 3);
});
