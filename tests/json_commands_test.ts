// The JSON module's commands without a server: the arguments each builder sends, the arguments
// it refuses, and how replies (as valkey-json sends them, in RESP2 and RESP3) are shaped.
import assert from "node:assert/strict";
import * as json from "../shared/commands/json.ts";
import type { Command } from "../shared/command.ts";
import {
  Batch,
  ClusterBatch,
  ConditionalChange,
  ConfigurationError,
  GlideClient,
  GlideJson,
  JsonBatch,
  RequestError,
} from "../mod.ts";
import type { GlideClient as SyncClient } from "../sync.ts";
import type { GlideReturnType, GlideString } from "../shared/values.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** The reply as the method returns it, from a recorded server reply. */
function shape<T>(cmd: Command<T>, reply: GlideReturnType): T {
  return cmd.shape ? cmd.shape(reply) : reply as T;
}

/** The builder refuses its arguments before anything is sent. */
function refuses(build: () => unknown, message?: RegExp): void {
  assert.throws(build, (e) => {
    assert.ok(e instanceof ConfigurationError, String(e));
    if (message) assert.match(e.message, message);
    return true;
  });
}

Deno.test("json: set sends key, path, value and NX / XX", () => {
  assert.deepEqual(json.set("k", "$", '{"a":1}').args, ["JSON.SET", "k", "$", '{"a":1}']);
  assert.deepEqual(
    json.set("k", ".a", "2", { conditionalChange: ConditionalChange.ONLY_IF_EXISTS }).args,
    ["JSON.SET", "k", ".a", "2", "XX"],
  );
  assert.deepEqual(
    json.set("k", "$.b", "3", { conditionalChange: ConditionalChange.ONLY_IF_DOES_NOT_EXIST })
      .args,
    ["JSON.SET", "k", "$.b", "3", "NX"],
  );
  assert.deepEqual(json.set("k", "$", "1", {}).args, ["JSON.SET", "k", "$", "1"]);
  const k = bytes("k");
  assert.deepEqual(json.set(k, "$", "1").args, ["JSON.SET", k, "$", "1"]);
  refuses(
    () => json.set("k", "$", "1", { conditionalChange: "GT" as ConditionalChange }),
    /conditionalChange/,
  );
  // Replies as sent.
  assert.equal(shape(json.set("k", "$", "1"), "OK"), "OK");
  assert.equal(shape(json.set("k", "$", "1"), null), null);
});

Deno.test("json: get sends its paths and formatting in order", () => {
  assert.deepEqual(json.get("k").args, ["JSON.GET", "k"]);
  assert.deepEqual(json.get("k", {}).args, ["JSON.GET", "k"]);
  assert.deepEqual(json.get("k", { path: "$.a" }).args, ["JSON.GET", "k", "$.a"]);
  assert.deepEqual(json.get("k", { path: ["$.a", ".b"] }).args, ["JSON.GET", "k", "$.a", ".b"]);
  assert.deepEqual(json.get("k", { path: [] }).args, ["JSON.GET", "k"]);
  assert.deepEqual(
    json.get("k", { path: ["$.a", "$.b"], indent: "  ", newline: "\n", space: " ", noescape: true })
      .args,
    ["JSON.GET", "k", "$.a", "$.b", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "NOESCAPE"],
  );
  assert.deepEqual(json.get("k", { space: " ", noescape: false }).args, [
    "JSON.GET",
    "k",
    "SPACE",
    " ",
  ]);
  const p = bytes("$");
  assert.deepEqual(json.get("k", { path: p }).args, ["JSON.GET", "k", p]);
  assert.equal(shape(json.get("k"), '{"a":1}'), '{"a":1}');
  assert.equal(shape(json.get("k"), null), null);
});

Deno.test("json: mget sends the keys, then the path", () => {
  assert.deepEqual(json.mget(["a", "b", "c"], "$.x").args, ["JSON.MGET", "a", "b", "c", "$.x"]);
  // No keys: sent as it is, for the server to refuse.
  assert.deepEqual(json.mget([], "$").args, ["JSON.MGET", "$"]);
  refuses(() => json.mget("a" as unknown as string[], "$"), /keys/);
  assert.deepEqual(shape(json.mget(["a", "b"], "$"), ["[1]", null]), ["[1]", null]);
});

Deno.test("json: arrinsert, arrappend, arrtrim render their numbers", () => {
  assert.deepEqual(json.arrinsert("k", "$.a", -1, ["1", '"x"']).args, [
    "JSON.ARRINSERT",
    "k",
    "$.a",
    "-1",
    "1",
    '"x"',
  ]);
  assert.deepEqual(json.arrappend("k", ".a", ["1", "2"]).args, [
    "JSON.ARRAPPEND",
    "k",
    ".a",
    "1",
    "2",
  ]);
  assert.deepEqual(json.arrappend("k", ".a", []).args, ["JSON.ARRAPPEND", "k", ".a"]);
  assert.deepEqual(json.arrtrim("k", "$.a", 0, -1).args, ["JSON.ARRTRIM", "k", "$.a", "0", "-1"]);
  refuses(() => json.arrinsert("k", "$", 1.5, ["1"]), /index/);
  refuses(() => json.arrinsert("k", "$", 0, "1" as unknown as string[]), /values/);
  refuses(() => json.arrappend("k", "$", null as unknown as string[]), /values/);
  refuses(() => json.arrtrim("k", "$", NaN, 1), /start/);
  refuses(() => json.arrtrim("k", "$", 0, "1" as unknown as number), /end/);
  assert.deepEqual(shape(json.arrappend("k", "$..a", ["1"]), [3, null]), [3, null]);
  assert.equal(shape(json.arrtrim("k", ".a", 0, 1), 2), 2);
});

Deno.test("json: arrpop sends path, then index (0 included)", () => {
  assert.deepEqual(json.arrpop("k").args, ["JSON.ARRPOP", "k"]);
  assert.deepEqual(json.arrpop("k", { path: "$.a" }).args, ["JSON.ARRPOP", "k", "$.a"]);
  assert.deepEqual(json.arrpop("k", { path: "$.a", index: 0 }).args, [
    "JSON.ARRPOP",
    "k",
    "$.a",
    "0",
  ]);
  assert.deepEqual(json.arrpop("k", { path: ".a", index: -2 }).args, [
    "JSON.ARRPOP",
    "k",
    ".a",
    "-2",
  ]);
  refuses(() => json.arrpop("k", { path: "$", index: 0.5 }), /index/);
  refuses(() => json.arrpop("k", { index: 1 } as unknown as { path: string }), /index needs path/);
  assert.deepEqual(shape(json.arrpop("k"), [null, '"x"']), [null, '"x"']);
  assert.equal(shape(json.arrpop("k"), "3"), "3");
});

Deno.test("json: arrindex renders its scalar and range", () => {
  const sent = (scalar: GlideString | number | boolean | null) =>
    json.arrindex("k", "$", scalar).args.slice(3);
  assert.deepEqual(sent('"x"'), ['"x"']);
  assert.deepEqual(sent(2.5), ["2.5"]);
  assert.deepEqual(sent(-3), ["-3"]);
  assert.deepEqual(sent(true), ["true"]);
  assert.deepEqual(sent(false), ["false"]);
  assert.deepEqual(sent(null), ["null"]);
  assert.deepEqual(sent(bytes("1")), [bytes("1")]);
  assert.deepEqual(json.arrindex("k", "$.a", 1, { start: 2 }).args, [
    "JSON.ARRINDEX",
    "k",
    "$.a",
    "1",
    "2",
  ]);
  assert.deepEqual(json.arrindex("k", ".a", 1, { start: 0, end: -1 }).args, [
    "JSON.ARRINDEX",
    "k",
    ".a",
    "1",
    "0",
    "-1",
  ]);
  refuses(() => json.arrindex("k", "$", NaN), /scalar/);
  refuses(() => json.arrindex("k", "$", Infinity), /scalar/);
  refuses(() => json.arrindex("k", "$", undefined as unknown as null), /scalar/);
  refuses(() => json.arrindex("k", "$", {} as unknown as null), /scalar/);
  refuses(() => json.arrindex("k", "$", 1, { start: 1.5 }), /start/);
  refuses(() => json.arrindex("k", "$", 1, { start: 0, end: 0.5 }), /end/);
  refuses(() => json.arrindex("k", "$", 1, { end: 2 }), /end needs start/);
  assert.deepEqual(shape(json.arrindex("k", "$..a", 1), [null, -1, 0]), [null, -1, 0]);
});

Deno.test("json: the commands that take key [path]", () => {
  const cases: [string[], (o?: { path: GlideString }) => Command<unknown>][] = [
    [["JSON.ARRLEN"], (o) => json.arrlen("k", o)],
    [["JSON.TOGGLE"], (o) => json.toggle("k", o)],
    [["JSON.DEL"], (o) => json.del("k", o)],
    [["JSON.FORGET"], (o) => json.forget("k", o)],
    [["JSON.TYPE"], (o) => json.type("k", o)],
    [["JSON.CLEAR"], (o) => json.clear("k", o)],
    [["JSON.RESP"], (o) => json.resp("k", o)],
    [["JSON.STRLEN"], (o) => json.strlen("k", o)],
    [["JSON.DEBUG", "MEMORY"], (o) => json.debugMemory("k", o)],
    [["JSON.DEBUG", "FIELDS"], (o) => json.debugFields("k", o)],
    [["JSON.OBJLEN"], (o) => json.objlen("k", o)],
    [["JSON.OBJKEYS"], (o) => json.objkeys("k", o)],
  ];
  for (const [name, build] of cases) {
    assert.deepEqual(build().args, [...name, "k"]);
    assert.deepEqual(build({} as { path: string }).args, [...name, "k"]);
    assert.deepEqual(build({ path: "$..a" }).args, [...name, "k", "$..a"]);
    assert.deepEqual(build({ path: ".a" }).args, [...name, "k", ".a"]);
  }
});

Deno.test("json: strappend puts the path before the value", () => {
  assert.deepEqual(json.strappend("k", '"x"').args, ["JSON.STRAPPEND", "k", '"x"']);
  assert.deepEqual(json.strappend("k", '"x"', { path: "$.s" }).args, [
    "JSON.STRAPPEND",
    "k",
    "$.s",
    '"x"',
  ]);
});

Deno.test("json: numincrby and nummultby render the number, and return the reply text", () => {
  assert.deepEqual(json.numincrby("k", "$.n", 2).args, ["JSON.NUMINCRBY", "k", "$.n", "2"]);
  assert.deepEqual(json.numincrby("k", ".n", -0.5).args, ["JSON.NUMINCRBY", "k", ".n", "-0.5"]);
  assert.deepEqual(json.nummultby("k", "$..n", 1e3).args, ["JSON.NUMMULTBY", "k", "$..n", "1000"]);
  refuses(() => json.numincrby("k", "$", NaN), /num/);
  refuses(() => json.nummultby("k", "$", Infinity), /num/);
  refuses(() => json.nummultby("k", "$", "2" as unknown as number), /num/);
  assert.equal(shape(json.numincrby("k", "$.n", 1), "[3,null]"), "[3,null]");
  assert.equal(shape(json.nummultby("k", ".n", 2), "6"), "6");
});

Deno.test("json: toggle's replies become booleans in either protocol and decoder", () => {
  const cmd = json.toggle("k", { path: "$..t" });
  // JSONPath: 1 / 0 per match, null for a non-boolean (valkey-json, RESP2 and RESP3).
  assert.deepEqual(shape(cmd, [1, 0, null]), [true, false, null]);
  assert.deepEqual(shape(cmd, []), []);
  // Legacy path: "true" / "false", as text or bytes.
  assert.equal(shape(cmd, "true"), true);
  assert.equal(shape(cmd, "false"), false);
  assert.equal(shape(cmd, bytes("true")), true);
  assert.equal(shape(cmd, bytes("false")), false);
  // RedisJSON in RESP3 sends numbers (and a RESP3 boolean is taken as is).
  assert.equal(shape(cmd, 1), true);
  assert.equal(shape(cmd, 0), false);
  assert.deepEqual(shape(cmd, [true, false]), [true, false]);
  assert.equal(shape(cmd, null), null);
  assert.throws(() => shape(cmd, "maybe"), RequestError);
  assert.throws(() => shape(cmd, [2]), RequestError);
});

Deno.test("json: the other replies are returned as the module sends them", () => {
  const respReply: GlideReturnType = ["{", ["a", ["[", 1, 2]], ["b", "true"], ["n", null]];
  assert.deepEqual(shape(json.resp("k"), respReply), respReply);
  assert.deepEqual(shape(json.type("k", { path: "$.*" }), ["integer", "array"]), [
    "integer",
    "array",
  ]);
  assert.equal(shape(json.type("k"), "object"), "object");
  assert.deepEqual(shape(json.objkeys("k", { path: "$.*" }), [[], ["a", "b"]]), [[], ["a", "b"]]);
  assert.equal(shape(json.del("k"), 1), 1);
  assert.equal(shape(json.debugMemory("k"), 88), 88);
});

Deno.test("json: GlideJson refuses a batch, JsonBatch refuses a client", () => {
  const batch = new Batch(false);
  assert.throws(
    () => GlideJson.get(batch as unknown as SyncClient, "k"),
    (e) => e instanceof ConfigurationError && /JsonBatch/.test(e.message),
  );
  assert.equal(batch.length, 0);
  const notABatch = {} as unknown as Batch;
  assert.throws(() => JsonBatch.get(notABatch, "k"), ConfigurationError);
  // A client object is refused too, before anything is sent (no connection needed).
  const client = Object.create(GlideClient.prototype) as GlideClient;
  assert.throws(() => JsonBatch.get(client as unknown as Batch, "k"), ConfigurationError);
});

Deno.test("json: JsonBatch adds each command to the batch and chains", () => {
  for (const batch of [new Batch(true), new ClusterBatch(false)]) {
    const same = JsonBatch.set(batch, "k", "$", '{"a":[1],"s":"x","n":1,"t":true}');
    assert.equal(same, batch);
    JsonBatch.get(batch, "k", { path: "$.a" });
    JsonBatch.mget(batch, ["k"], "$.a");
    JsonBatch.arrinsert(batch, "k", "$.a", 0, ["0"]);
    JsonBatch.arrpop(batch, "k", { path: "$.a" });
    JsonBatch.arrlen(batch, "k", { path: "$.a" });
    JsonBatch.arrtrim(batch, "k", "$.a", 0, 1);
    JsonBatch.arrindex(batch, "k", "$.a", 1, { start: 0 });
    JsonBatch.toggle(batch, "k", { path: "$.t" });
    JsonBatch.type(batch, "k");
    JsonBatch.clear(batch, "k", { path: "$.n" });
    JsonBatch.resp(batch, "k");
    JsonBatch.strlen(batch, "k", { path: "$.s" });
    JsonBatch.strappend(batch, "k", '"y"', { path: "$.s" });
    JsonBatch.arrappend(batch, "k", "$.a", ["2"]);
    JsonBatch.debugMemory(batch, "k");
    JsonBatch.debugFields(batch, "k");
    JsonBatch.numincrby(batch, "k", "$.n", 1);
    JsonBatch.nummultby(batch, "k", "$.n", 2);
    JsonBatch.objlen(batch, "k");
    JsonBatch.objkeys(batch, "k");
    JsonBatch.forget(batch, "k", { path: "$.s" });
    JsonBatch.del(batch, "k");
    assert.equal(batch.length, 23);
    // A bad argument is refused at once, and nothing is added.
    assert.throws(() => JsonBatch.arrtrim(batch, "k", "$", 0.5, 1), ConfigurationError);
    assert.equal(batch.length, 23);
  }
});

Deno.test("json: GlideJson's result types follow the client's mode", () => {
  // Compile-time checks only: async clients give Promises, sync ones the values.
  const _types = (a: GlideClient, s: SyncClient) => {
    const p: Promise<"OK" | null> = GlideJson.set(a, "k", "$", "1");
    const v: "OK" | null = GlideJson.set(s, "k", "$", "1");
    const n: Promise<number> = GlideJson.del(a, "k");
    const m: number = GlideJson.del(s, "k");
    const b: Batch = JsonBatch.del(new Batch(true), "k");
    const c: ClusterBatch = JsonBatch.del(new ClusterBatch(true), "k");
    return [p, v, n, m, b, c];
  };
  assert.equal(typeof _types, "function");
});
