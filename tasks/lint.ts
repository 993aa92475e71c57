/**
 * `deno task lint`: every static check, run one after another, each reported, with a summary at
 * the end; exits non-zero if any failed.
 */

import { join } from "node:path";
import { ROOT, run } from "./util.ts";

/** One check: a name and the command that performs it. */
export interface Check {
  /** Shown in the report. */
  name: string;
  /** Program to run. */
  cmd: string;
  /** Its arguments. */
  args: string[];
  /** Working directory; the repository root by default. */
  cwd?: string;
}

const NATIVE = join(ROOT, "native");
const ENTRY_POINTS = ["mod.ts", "async.ts", "sync.ts", "node.ts"];

/** The checks `deno task lint` runs, in order. */
export const CHECKS: Check[] = [
  { name: "deno fmt --check", cmd: Deno.execPath(), args: ["fmt", "--check"] },
  { name: "deno lint", cmd: Deno.execPath(), args: ["lint"] },
  {
    name: "deno check",
    cmd: Deno.execPath(),
    args: ["check", ...ENTRY_POINTS, "tests/", "tasks/"],
  },
  { name: "deno doc --lint", cmd: Deno.execPath(), args: ["doc", "--lint", ...ENTRY_POINTS] },
  {
    name: "import cycles (native/src and TypeScript)",
    cmd: Deno.execPath(),
    args: ["run", "--allow-read", "tasks/cycles.ts"],
  },
  { name: "cargo fmt --check", cmd: "cargo", args: ["fmt", "--all", "--check"], cwd: NATIVE },
  {
    name: "cargo clippy",
    cmd: "cargo",
    args: ["clippy", "--all-targets", "--", "-D", "warnings"],
    cwd: NATIVE,
  },
];

/** Runs every check and returns the names of those that failed. */
export async function lint(checks: Check[] = CHECKS): Promise<string[]> {
  const results: [string, boolean, number][] = [];
  for (const check of checks) {
    console.log(`\n=== ${check.name}`);
    const started = Date.now();
    const code = await run(check.cmd, check.args, { cwd: check.cwd ?? ROOT });
    results.push([check.name, code === 0, Date.now() - started]);
  }
  console.log("\n=== summary");
  for (const [name, ok, ms] of results) {
    console.log(`${ok ? "ok    " : "FAILED"} ${name} (${(ms / 1000).toFixed(1)} s)`);
  }
  return results.filter(([, ok]) => !ok).map(([name]) => name);
}

if (import.meta.main) {
  const failed = await lint();
  console.log(failed.length ? `\n${failed.length} check(s) failed` : "\nall checks passed");
  Deno.exit(failed.length ? 1 : 0);
}
