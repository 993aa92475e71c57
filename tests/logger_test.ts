// GLIDE's Logger: the process's one logger, shared by the app's lines and the core's events
// (a refused connection, a failed authentication; never the password), to stderr by default or
// to an hourly file under GLIDE_LOG_DIR. Each case runs in a process of its own.
import assert from "node:assert/strict";
import { GlideClient, Logger } from "../mod.ts";
import { standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";
import { runProgram } from "./support/program.ts";

const program = new URL("./fixtures/logger/program.ts", import.meta.url).pathname;
const SECRET = "s3cret-never-logged";
const USER = `logger-test-${Date.now()}`;

function run(mode: string, port: number, env: Record<string, string> = {}) {
  return runProgram(program, [mode, String(port), SECRET, USER], env);
}

/** A loopback port nothing listens on. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("logger: by default, warnings and errors go to stderr; info and debug do not", async () => {
  const stderr = await run("default", closedPort());
  assert.match(stderr, /ERROR glide_deno: my-app - it broke: Error: because/);
  assert.match(stderr, /ERROR glide_deno: ported-app - GLIDE Node's log/);
  assert.doesNotMatch(stderr, /a debug line through log/);
  assert.match(
    stderr,
    /WARN glide_deno: connection - could not connect to 127\.0\.0\.1:\d+ \(attempt 1\)/,
  );
  assert.doesNotMatch(stderr, /hello from the app|a debug line/);
  assert.match(stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z {2}/m);
});

Deno.test("logger: a file under GLIDE_LOG_DIR at the level set; the first config stays; no password", async () => {
  const dir = await Deno.makeTempDir();
  const { host, port } = standaloneAddress();
  // A user whose password is not SECRET: the program's AUTH with SECRET fails (WRONGPASS).
  await using admin = await GlideClient.createClient(
    withServerTls({ addresses: [{ host, port }] }),
  );
  await admin.customCommand(["ACL", "SETUSER", USER, "on", ">the-right-one", "~*", "+@all"]);
  try {
    assert.equal(host, "127.0.0.1");
    const stderr = await run("file", port, { GLIDE_LOG_DIR: dir });
    assert.doesNotMatch(stderr, /glide_deno:/, "nothing on stderr once a file is set");
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.equal(files.length, 1, files.join());
    assert.match(files[0], /^glide-test\.\d{4}-\d\d-\d\d-\d\d$/);
    const log = await Deno.readTextFile(`${dir}/${files[0]}`);
    assert.match(log, /INFO glide_deno: my-app - hello from the app/);
    assert.doesNotMatch(log, /a debug line/, "init('trace') after setLoggerConfig changed nothing");
    assert.match(log, /ERROR glide_deno: my-app - it broke/);
    // The server has no password: AUTH with one fails, and the log says so without it.
    assert.match(log, /ERROR glide_deno: connection - authentication failed on 127\.0\.0\.1:\d+/);
    assert.ok(!log.includes(SECRET), "the password is never logged");
  } finally {
    await admin.customCommand(["ACL", "DELUSER", USER]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("logger: 'off' writes nothing", async () => {
  const stderr = await run("off", closedPort());
  assert.doesNotMatch(stderr, /glide_deno:/);
});

Deno.test("logger: unknown levels are refused with ConfigurationError", () => {
  assert.throws(() => Logger.init("loud" as "info"), /unknown log level loud/);
  assert.throws(() => Logger.log("toString" as "info", "x", "y"), /unknown log level/);
});
