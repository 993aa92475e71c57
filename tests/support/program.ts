/**
 * Runs a fixture program in a process of its own (for what is set up once per process or
 * isolate: the logger, OpenTelemetry): `deno run -A <program> <args>` with `env` added. It must
 * succeed and print `done`; returns its stderr.
 */

import assert from "node:assert/strict";

export async function runProgram(
  program: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", program, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.ok(out.success, text(out.stderr));
  assert.match(text(out.stdout), /done/);
  return text(out.stderr);
}
