/**
 * `deno task cycles`: import cycles, from the import graph of the Rust core (`native/src`: a
 * module's `crate::<path>` paths outside comments and its test module, each naming the deepest
 * module it reaches) and of the TypeScript files (`import`/`export ... from "./..."`, type
 * imports included). Prints every cycle (each strongly connected group of files) and exits 1 if
 * either side has any. Also holds the Rust core's protocol layer (`native/src/protocol/`) to what
 * it promises: it uses no other layer, and no threads, sockets or clocks.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./util.ts";

/** A directed graph: each node's direct dependencies. */
export type Graph = Map<string, Set<string>>;

/** The strongly connected groups of more than one node (Tarjan's algorithm), sorted. */
export function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Rust source without comments, and without its `#[cfg(test)]` module. */
function rustCode(text: string): string {
  const test = text.search(/#\[cfg\(test\)\]\s*mod\s+\w+/);
  const body = test < 0 ? text : text.slice(0, test);
  return body.split("\n").map((line) => line.replace(/\/\/.*$/, "")).join("\n");
}

/** The paths `code` names through `crate::` (plain paths and `crate::{a, b::c}` groups). */
export function rustDeps(code: string): Set<string> {
  const deps = new Set<string>();
  for (const m of code.matchAll(/crate::(\w+(?:::\w+)*)/g)) deps.add(m[1]);
  for (const m of code.matchAll(/crate::\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(" ")[0];
      if (/^\w+(::\w+)*$/.test(name)) deps.add(name);
    }
  }
  return deps;
}

/** The Rust core's modules (`a::b` for `src/a/b.rs`, `a` for `src/a/mod.rs`) and their code. */
async function rustModules(src: string, prefix = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(src)) {
    const path = join(src, e.name);
    if (e.isDirectory) {
      for (const [k, v] of await rustModules(path, `${prefix}${e.name}::`)) out.set(k, v);
    } else if (e.isFile && e.name.endsWith(".rs")) {
      const name = e.name === "mod.rs" ? prefix.slice(0, -2) : `${prefix}${e.name.slice(0, -3)}`;
      out.set(name, rustCode(await Deno.readTextFile(path)));
    }
  }
  return out;
}

/** The deepest module of `modules` that `path` names, if any. */
function moduleOf(path: string, modules: Map<string, unknown>): string | undefined {
  const parts = path.split("::");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join("::");
    if (modules.has(name)) return name;
  }
  return undefined;
}

/** The module graph of the Rust core's `src/` directory (a layer's `mod.rs` left out). */
export async function rustGraph(src: string): Promise<Graph> {
  const modules = await rustModules(src);
  const graph: Graph = new Map();
  for (const [name, code] of modules) {
    if (code.split("\n").every((l) => /^\s*(pub mod \w+;)?\s*$/.test(l))) continue;
    const deps = new Set<string>();
    for (const path of rustDeps(code)) {
      const m = moduleOf(path, modules);
      if (m && m !== name) deps.add(m);
    }
    graph.set(name, deps);
  }
  for (const deps of graph.values()) {
    for (const d of deps) if (!graph.has(d)) deps.delete(d);
  }
  return graph;
}

/** What the protocol layer must not use: threads, sockets, clocks, the async runtime. */
const IMPURE = /\b(tokio::|std::thread|std::net|Instant\b|SystemTime\b|std::sync::Condvar)/;

/** Where `native/src/protocol/` uses another layer, or threads, sockets or clocks. */
export async function protocolBreaches(src: string): Promise<string[]> {
  const modules = await rustModules(src);
  const graph = await rustGraph(src);
  const out: string[] = [];
  for (const [name, code] of modules) {
    if (!name.startsWith("protocol")) continue;
    for (const d of graph.get(name) ?? []) {
      if (!d.startsWith("protocol") && d !== "proto") out.push(`${name} uses ${d}`);
    }
    const impure = IMPURE.exec(code);
    if (impure) out.push(`${name} uses ${impure[1]}`);
  }
  return out.sort();
}

/** The relative `.ts` files `text` imports or re-exports (type-only ones included). */
export function tsDeps(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*["'](\.{1,2}\/[^"']+\.ts)["']/g;
  for (const m of text.matchAll(re)) out.push(m[1]);
  for (const m of text.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+\.ts)["']\s*\)/g)) out.push(m[1]);
  return out;
}

async function tsFiles(dir: string, out: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "native") continue;
    const path = join(dir, e.name);
    if (e.isDirectory) await tsFiles(path, out);
    else if (e.isFile && e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The import graph of the repository's TypeScript files (paths relative to `root`). */
export async function tsGraph(root: string): Promise<Graph> {
  const graph: Graph = new Map();
  for (const file of await tsFiles(root)) {
    const deps = new Set<string>();
    for (const spec of tsDeps(await Deno.readTextFile(file))) {
      deps.add(relative(root, resolve(dirname(file), spec)));
    }
    graph.set(relative(root, file), deps);
  }
  return graph;
}

if (import.meta.main) {
  const rust = cycles(await rustGraph(join(ROOT, "native", "src")));
  const ts = cycles(await tsGraph(ROOT));
  const show = (what: string, groups: string[][]) => {
    console.log(`${what}: ${groups.length} cycle(s)`);
    for (const g of groups) console.log(`  ${g.length} files: ${g.join(" <-> ")}`);
  };
  show("native/src", rust);
  show("TypeScript", ts);
  const breaches = await protocolBreaches(join(ROOT, "native", "src"));
  console.log(`native/src/protocol: ${breaches.length} breach(es) of the layer`);
  for (const b of breaches) console.log(`  ${b}`);
  if (rust.length > 0 || ts.length > 0 || breaches.length > 0) Deno.exit(1);
}
