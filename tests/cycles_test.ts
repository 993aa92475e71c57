// The import-cycle check of `deno task lint` (tasks/cycles.ts): cycles found, Rust paths read.
import assert from "node:assert/strict";
import { cycles, type Graph, rustDeps, tsDeps } from "../tasks/cycles.ts";

const graph = (edges: Record<string, string[]>): Graph =>
  new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

Deno.test("cycles: every strongly connected group, and none in a tree", () => {
  assert.deepEqual(cycles(graph({ a: ["b"], b: ["c"], c: [] })), []);
  assert.deepEqual(
    cycles(graph({ a: ["b"], b: ["a", "c"], c: ["d"], d: ["e"], e: ["c"], f: ["a"] })),
    [["a", "b"], ["c", "d", "e"]],
  );
});

Deno.test("cycles: crate paths and grouped uses count, comments do not", () => {
  const code =
    "use crate::errors::Failure;\nuse crate::{pipe::Pipe, tls};\nlet x = crate::runtime::get();";
  assert.deepEqual([...rustDeps(code)].sort(), ["errors", "pipe", "runtime", "tls"]);
  assert.deepEqual(
    tsDeps('import type { A } from "./a.ts";\nexport { B } from "../b.ts";\nimport "npm:x";'),
    ["./a.ts", "../b.ts"],
  );
});
