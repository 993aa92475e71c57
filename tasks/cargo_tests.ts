/**
 * Runs the Rust core's tests (`cargo test --release` in native/): unit tests, and integration
 * tests that drive the C ABI against the same servers as the TypeScript suite.
 */

import type { Totals } from "./totals.ts";

/**
 * Sums cargo's `test result: ok. 12 passed; 0 failed; 1 ignored; ...` lines. Returns null when
 * there are none.
 */
export function parseCargoResults(output: string): Totals | null {
  const lines = output.match(/^test result: \w+\. .*$/gm);
  if (!lines) return null;
  const totals: Totals = { passed: 0, failed: 0, ignored: 0 };
  for (const line of lines) {
    const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
    totals.passed += n("passed");
    totals.failed += n("failed");
    totals.ignored += n("ignored");
  }
  return totals;
}

/** Runs `cargo test --release` with `env`, streaming its output; resolves to its totals. */
export async function runCargoTests(env: Record<string, string>): Promise<Totals> {
  const manifest = new URL("../native/Cargo.toml", import.meta.url).pathname;
  const child = new Deno.Command("cargo", {
    args: ["test", "--release", "--manifest-path", manifest],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = await new Response(child.stdout).text();
  await Deno.stdout.write(new TextEncoder().encode(out));
  const status = await child.status;
  const totals = parseCargoResults(out);
  if (!totals) return { passed: 0, failed: 1, ignored: 0 };
  if (!status.success && totals.failed === 0) return { ...totals, failed: 1 };
  return totals;
}
