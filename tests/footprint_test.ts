// What importing the Deno entry points loads: no `node:` module and no protobuf reflection
// runtime. Either costs a process (and each isolate, under `deno serve --parallel` or in
// Workers) about 10 MB of memory (shared/digest.ts, shared/connection_request.ts).
import assert from "node:assert/strict";

interface Dependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}
interface Module {
  specifier: string;
  dependencies?: Dependency[];
}

/** The external modules (`node:`, `npm:`) that importing `entry` evaluates. */
async function loadedExternals(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(out.success, `deno info ${entry}`);
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: Module[] };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    if (!specifier.startsWith("file:")) {
      externals.add(specifier.replace(/@[\^~]?[\d.]+/, ""));
      return;
    }
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      // Type-only imports have no code; dynamic ones load when they run.
      if (dep.code && !dep.isDynamic) visit(dep.code.specifier);
    }
  };
  visit(new URL(`../${entry}`, import.meta.url).href);
  return [...externals].sort();
}

for (const entry of ["mod.ts", "async.ts", "sync.ts"]) {
  Deno.test(`footprint: importing ${entry} loads no node: module and no protobuf reflection`, async () => {
    assert.deepEqual(await loadedExternals(entry), ["npm:/@bufbuild/protobuf/wire"]);
  });
}
