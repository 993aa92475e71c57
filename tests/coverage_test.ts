import assert from "node:assert/strict";
import * as asyncApi from "../async.ts";
import * as syncApi from "../sync.ts";
import { methodNames, parseMethodTable } from "../tasks/coverage/table.ts";

const rows = parseMethodTable(
  await Deno.readTextFile(new URL("../tasks/coverage/methods.tsv", import.meta.url)),
);
const INTERNAL = new Set(["run", "runSteps", "subscribeFromConfig"]);

for (
  const [name, cls, scope] of [
    ["async GlideClient", asyncApi.GlideClient, "standalone"],
    ["sync GlideClient", syncApi.GlideClient, "standalone"],
    ["async GlideClusterClient", asyncApi.GlideClusterClient, "cluster"],
    ["sync GlideClusterClient", syncApi.GlideClusterClient, "cluster"],
  ] as const
) {
  Deno.test(`every public method of ${name} is in tasks/coverage/methods.tsv`, () => {
    const listed = new Set(
      rows.filter((r) => r.scope === "base" || r.scope === scope).map((r) => r.method),
    );
    const unlisted = [...methodNames(cls)].filter((m) => !INTERNAL.has(m) && !listed.has(m));
    assert.deepEqual(unlisted, [], "add these methods to tasks/coverage/methods.tsv");
  });
}

Deno.test("the async and sync clients have the same methods", () => {
  assert.deepEqual(
    [...methodNames(asyncApi.GlideClient)].sort(),
    [...methodNames(syncApi.GlideClient)].sort(),
  );
  assert.deepEqual(
    [...methodNames(asyncApi.GlideClusterClient)].sort(),
    [...methodNames(syncApi.GlideClusterClient)].sort(),
  );
});
