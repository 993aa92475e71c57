/**
 * `deno task cycles`: import cycles, from the import graph of the Rust core (`native/src`: a
 * module's `crate::<module>` paths outside comments and its test module) and of the TypeScript
 * files (`import`/`export ... from "./..."`, type imports included). Prints every cycle (each
 * strongly connected group of files) and exits 1 if either side has any.
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

/** The modules `code` names through `crate::` (plain paths and `crate::{a, b::c}` groups). */
export function rustDeps(code: string): Set<string> {
  const deps = new Set<string>();
  for (const m of code.matchAll(/crate::(\w+)/g)) deps.add(m[1]);
  for (const m of code.matchAll(/crate::\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split("::")[0];
      if (/^\w+$/.test(name)) deps.add(name);
    }
  }
  return deps;
}

/** The module graph of the Rust core's flat `src/` directory. */
export async function rustGraph(src: string): Promise<Graph> {
  const graph: Graph = new Map();
  for await (const e of Deno.readDir(src)) {
    if (!e.isFile || !e.name.endsWith(".rs")) continue;
    const name = e.name.slice(0, -3);
    const deps = rustDeps(rustCode(await Deno.readTextFile(join(src, e.name))));
    deps.delete(name);
    graph.set(name, deps);
  }
  for (const deps of graph.values()) {
    for (const d of deps) if (!graph.has(d)) deps.delete(d);
  }
  return graph;
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
  if (rust.length > 0 || ts.length > 0) Deno.exit(1);
}
