import assert from "node:assert/strict";
import { standaloneAddress } from "./harness.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const fixture = new URL("./fixtures/wakeup_modes.ts", import.meta.url).pathname;

/** Runs the fixture with `permissions` and `env`; returns its report. */
async function run(permissions: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, fixture],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, text(out.stderr));
  return JSON.parse(text(out.stdout).trim().split("\n").at(-1)!) as {
    open: number | null;
    afterClose: number | null;
    wrong: number;
  };
}

Deno.test({
  name: "wake-up socket: used when loopback is permitted, closed with the last client",
  fn: async () => {
    const r = await run(["-A"]);
    assert.deepEqual(r, { open: 1, afterClose: 0, wrong: 0 });
  },
});

Deno.test({
  name: "wake-up socket: GLIDE_DENO_WAKEUP=poll keeps the long poll, replies the same",
  fn: async () => {
    const r = await run(["-A"], { GLIDE_DENO_WAKEUP: "poll" });
    assert.deepEqual(r, { open: 0, afterClose: 0, wrong: 0 });
  },
});

Deno.test({
  name: "wake-up socket: not used (and never prompted for) when only the server's port is allowed",
  fn: async () => {
    const { port } = standaloneAddress();
    const r = await run([
      "--allow-ffi",
      "--allow-env",
      "--allow-read",
      `--allow-net=127.0.0.1:${port}`,
      "--no-prompt",
    ]);
    // The socket can't be counted without --allow-all; a Deno.connect it was not allowed would
    // have thrown NotCapable under --no-prompt, and the long poll answered every reply.
    assert.deepEqual(r, { open: null, afterClose: null, wrong: 0 });
  },
});
