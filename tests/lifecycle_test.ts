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
