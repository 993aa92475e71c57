/**
 * `deno task coverage [--missing]`: how many of the methods in `tasks/coverage/methods.tsv` each client
 * has, per family; `--missing` lists the ones left.
 */

import { parseArgs } from "node:util";
import * as asyncApi from "../async.ts";
import * as syncApi from "../sync.ts";
import { methodNames, parseMethodTable } from "./coverage/table.ts";

const { values } = parseArgs({ options: { missing: { type: "boolean" } } });
const rows = parseMethodTable(
  await Deno.readTextFile(new URL("./coverage/methods.tsv", import.meta.url)),
);
const has = {
  standalone: [asyncApi.GlideClient, syncApi.GlideClient].map(methodNames),
  cluster: [asyncApi.GlideClusterClient, syncApi.GlideClusterClient].map(methodNames),
};
const families = new Map<string, { done: number; total: number; missing: string[] }>();
let done = 0;
for (const row of rows) {
  const sets = row.scope === "base" ? [...has.standalone, ...has.cluster] : has[row.scope];
  const ok = sets.every((s) => s.has(row.method));
  const f = families.get(row.family) ?? { done: 0, total: 0, missing: [] };
  f.total++;
  if (ok) {
    f.done++;
    done++;
  } else f.missing.push(`${row.scope}:${row.method}`);
  families.set(row.family, f);
}
for (const [family, f] of [...families].sort()) {
  console.log(`${family.padEnd(24)} ${String(f.done).padStart(3)} / ${f.total}`);
  if (values.missing && f.missing.length) console.log(`  missing: ${f.missing.join(" ")}`);
}
console.log(`${"total".padEnd(24)} ${String(done).padStart(3)} / ${rows.length}`);
