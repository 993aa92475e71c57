import assert from "node:assert/strict";
import { standaloneAddress } from "./harness.ts";

Deno.test("the process exits once its clients are closed", async () => {
  const { host, port } = standaloneAddress();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fixtures/exit_after_close.ts", import.meta.url).pathname,
      `${host}:${port}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const out = await child.output();
  clearTimeout(timer);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "done");
});

async function runFixture(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { host, port } = standaloneAddress();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`./fixtures/${name}`, import.meta.url).pathname, `${host}:${port}`],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const out = await child.output();
  clearTimeout(timer);
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("an uncaught error with requests in flight exits cleanly (no crash)", async () => {
  for (let i = 0; i < 5; i++) {
    const r = await runFixture("exit_with_requests_in_flight.ts");
    assert.equal(r.code, 1, `run ${i}: exit code ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, /uncaught, with requests in flight/);
  }
});
