// The import-cycle check of `deno task lint` (tasks/cycles.ts): cycles found, Rust paths read.
import assert from "node:assert/strict";
import {
  cycles,
  type Graph,
  protocolBreaches,
  rustDeps,
  rustGraph,
  tsDeps,
} from "../tasks/cycles.ts";

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
  assert.deepEqual([...rustDeps(code)].sort(), [
    "errors::Failure",
    "pipe::Pipe",
    "runtime::get",
    "tls",
  ]);
  assert.deepEqual(
    tsDeps('import type { A } from "./a.ts";\nexport { B } from "../b.ts";\nimport "npm:x";'),
    ["./a.ts", "../b.ts"],
  );
});

Deno.test("cycles: the Rust core's layers, and a protocol layer with no threads, sockets or clocks", async () => {
  const src = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${src}/protocol`);
    await Deno.mkdir(`${src}/connections`);
    await Deno.writeTextFile(`${src}/protocol/mod.rs`, "pub mod slots;\npub mod order;\n");
    await Deno.writeTextFile(`${src}/protocol/slots.rs`, "pub fn slot_of() {}\n");
    await Deno.writeTextFile(
      `${src}/protocol/order.rs`,
      "use crate::protocol::slots::slot_of;\nuse crate::connections::pipe::Pipe;\nuse tokio::time::Instant;\n",
    );
    await Deno.writeTextFile(`${src}/connections/mod.rs`, "pub mod pipe;\n");
    await Deno.writeTextFile(`${src}/connections/pipe.rs`, "use crate::protocol::order;\n");
    const graph = await rustGraph(src);
    assert.deepEqual([...graph.get("protocol::order")!].sort(), [
      "connections::pipe",
      "protocol::slots",
    ]);
    assert.deepEqual(cycles(graph), [["connections::pipe", "protocol::order"]]);
    assert.deepEqual(await protocolBreaches(src), [
      "protocol::order uses connections::pipe",
      "protocol::order uses tokio::",
    ]);
  } finally {
    await Deno.remove(src, { recursive: true });
  }
});
