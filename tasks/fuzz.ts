/**
 * `deno task fuzz [--seconds 60] [--target config,request,ffi] [--cmin] [--stable] [-- <libFuzzer
 * flags>]`: fuzzes the Rust core's boundary with cargo fuzz (libFuzzer), each target for
 * `--seconds`:
 *
 * - `config`: the configuration decoder (protobuf `ConnectionRequest` -> settings);
 * - `request`: the request-record parser (commands, batches and their commands, the pub/sub
 *   state query, password changes), then what the core does with a parsed request before any
 *   I/O (cluster routing, the hash slots of a batch's keys, the RESP encoding);
 * - `ffi`: the exported `extern "C"` functions that need no live server (requests to unknown
 *   handles, creates with configurations that do not decode, `glide_drain`, `glide_last_error`).
 *
 * The corpus lives in `native/fuzz/corpus/<target>` (seeded from real records made by the
 * TypeScript encoders, grown by each run; `--cmin` minimises it afterwards). Inputs in
 * `native/fuzz/regressions/<target>/` (crashes found before) are run first. A crash (a panic
 * included: libfuzzer-sys aborts on any panic) fails the task; the crashing input is left in
 * `native/fuzz/artifacts/<target>/` and its path printed. Builds with debug assertions and
 * overflow checks. Uses the nightly toolchain (AddressSanitizer) when it is installed, otherwise
 * stable with `RUSTC_BOOTSTRAP=1` and no sanitizer (or `--stable` to force that). Installs
 * cargo-fuzz when it is missing.
 */

import { parseArgs } from "node:util";
import { encodeConfig } from "../shared/config.ts";
import { RequestWriter } from "../shared/encode.ts";
import { execCommand } from "../shared/batch.ts";
import { Batch } from "../shared/batch.ts";
import { subscriptions } from "../shared/commands/subscriptions.ts";
import { updatePassword } from "../shared/commands/credentials.ts";

const ALL = ["config", "request", "ffi"];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string", default: "60" },
    target: { type: "string" },
    cmin: { type: "boolean", default: false },
    stable: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
if (!Number.isInteger(seconds) || seconds < 1) {
  console.error(`fuzz: --seconds must be a positive integer, not ${values.seconds}`);
  Deno.exit(2);
}
const targets = values.target ? values.target.split(",") : ALL;
for (const t of targets) {
  if (!ALL.includes(t)) {
    console.error(`fuzz: unknown target ${t} (${ALL.join(", ")})`);
    Deno.exit(2);
  }
}
const FUZZ = new URL("../native/fuzz/", import.meta.url).pathname;

async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with its output shown, and returns its exit code and stderr (libFuzzer's). */
async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = FUZZ,
): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command(cmd, { args, cwd, env, stdout: "inherit", stderr: "piped" })
    .spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  for await (const chunk of child.stderr) {
    await Deno.stderr.write(chunk);
    stderr += decoder.decode(chunk, { stream: true });
    // The summary needs only the end (the artifact path, the final stats).
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  }
  return { code: (await child.status).code, stderr };
}

/** Writes real records as seeds, so that the fuzzer starts deep in the formats. */
async function seed(): Promise<void> {
  const write = (target: string, name: string, bytes: Uint8Array) =>
    Deno.writeFile(`${FUZZ}corpus/${target}/seed-${name}`, bytes);
  for (const t of ALL) await Deno.mkdir(`${FUZZ}corpus/${t}`, { recursive: true });
  const configs = {
    standalone: { addresses: [{ host: "127.0.0.1", port: 6379 }], databaseId: 2 },
    cluster: {
      addresses: [{ host: "127.0.0.1", port: 7000 }, { host: "::1", port: 7001 }],
      readFrom: "AZAffinity",
      clientAz: "az-a",
      periodicChecks: { duration_in_sec: 10 },
    },
    tls: {
      addresses: [{ host: "localhost" }],
      useTLS: true,
      credentials: { username: "u", password: "p" },
      advancedConfiguration: { tlsAdvancedConfiguration: { insecure: true } },
    },
  };
  const configBytes: Record<string, Uint8Array> = {};
  for (const [name, config] of Object.entries(configs)) {
    configBytes[name] = encodeConfig(config as never, name === "cluster").bytes;
    await write("config", name, configBytes[name]);
  }
  const w = new RequestWriter();
  const requests: Record<string, Uint8Array> = {};
  const record = async (name: string, fill: () => void) => {
    w.clear();
    fill();
    requests[name] = w.bytes.slice(0, w.length);
    await write("request", name, requests[name]);
  };
  await record("get", () => w.request(1, { args: ["GET", "key"] }));
  await record("set-routed", () =>
    w.request(2, {
      args: ["SET", "k", new Uint8Array([0, 255, 10])],
      route: { type: "primarySlotKey", key: "k" },
      timeoutMs: 100,
    }));
  await record("blpop", () => w.request(3, { args: ["BLPOP", "list", "1.5"] }));
  for (const atomic of [true, false]) {
    // Kind 1 (MULTI/EXEC) and kind 2 (pipeline), three commands each.
    const b = new Batch(atomic).set("a", "1").incr("a").mget(["a", "b"]);
    await record(
      `batch-${atomic ? "atomic" : "pipeline"}`,
      () => w.request(4, execCommand(b, true, undefined, "batch")),
    );
  }
  await record("subscriptions", () => w.request(5, subscriptions()));
  await record("password", () => w.request(6, updatePassword("secret", true)));
  await record("several", () => {
    w.request(7, { args: ["PING"] });
    w.request(8, { args: ["ECHO", "x"], route: "allNodes" });
    w.request(9, {
      args: ["CONFIG", "SET", "a", "b"],
      route: { type: "routeByAddress", host: "h", port: 1 },
    });
  });
  // ffi: [op u8][cap u16][handle u32][payload] (see native/fuzz/fuzz_targets/ffi.rs).
  const call = (op: number, cap: number, handle: number, payload: Uint8Array) => {
    const b = new Uint8Array(7 + payload.length);
    const v = new DataView(b.buffer);
    v.setUint8(0, op);
    v.setUint16(1, cap, true);
    v.setUint32(3, handle, true);
    b.set(payload, 7);
    return b;
  };
  const garbled = (bytes: Uint8Array) => Uint8Array.of(...bytes, 0xff); // wire type 7: invalid
  await write("ffi", "sync-command-get", call(0, 256, 7, requests.get));
  await write("ffi", "sync-command-small-out", call(0, 8, 0, requests["set-routed"]));
  await write("ffi", "submit-several", call(1, 64, 0, requests.several));
  await write("ffi", "submit-batch", call(1, 16, 3, requests["batch-pipeline"]));
  await write("ffi", "async-create-bad", call(2, 128, 1, garbled(configBytes.cluster)));
  await write("ffi", "sync-create-bad", call(3, 4, 0, garbled(configBytes.standalone)));
  await write("ffi", "take-close", call(4, 32, 1, new Uint8Array()));
  await write("ffi", "last-error", call(5, 100, 0, new Uint8Array()));
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** One line about a finished run, from libFuzzer's output. */
function summary(target: string, code: number, out: string, files: [number, number]): string {
  const stat = (name: string) => Number(out.match(new RegExp(`stat::${name}:\\s+(\\d+)`))?.[1]);
  const done = [...out.matchAll(/#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)\/(\S+)/g)].at(-1);
  const last = [...out.matchAll(/#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)\/(\S+)/g)].at(-1);
  const m = done ?? last;
  const runs = stat("number_of_executed_units");
  const parts = [
    Number.isFinite(runs) ? `${fmt(runs)} runs (${fmt(stat("average_exec_per_sec"))}/s)` : "",
    m ? `cov ${m[2]}, ft ${m[3]}, corpus ${m[4]} units/${m[5]}` : "",
    `${files[0]} -> ${files[1]} corpus files`,
    Number.isFinite(stat("peak_rss_mb")) ? `peak rss ${stat("peak_rss_mb")} MB` : "",
  ].filter(Boolean).join(", ");
  if (code === 0) return `fuzz: ${target}: ok, no crash: ${parts}`;
  const input = [...out.matchAll(/Test unit written to (\S+)/g)].at(-1)?.[1];
  const panic = out.match(/panicked at ([^\n]+?):?\n([^\n]*)/);
  return [
    `fuzz: ${target}: CRASH (exit ${code}): ${parts}`,
    panic ? `  panic at ${panic[1]}: ${panic[2]}` : "",
    input
      ? `  crashing input: ${input.startsWith("/") ? input : FUZZ + input.replace(/^\.\//, "")}`
      : "  no crashing input written (build failure or a crash outside libFuzzer?)",
  ].filter(Boolean).join("\n");
}

async function count(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) if (e.isFile) n++;
  return n;
}

if (!(await succeeds("cargo", ["fuzz", "--version"]))) {
  console.log("fuzz: installing cargo-fuzz");
  if ((await run("cargo", ["install", "cargo-fuzz"], {}, "/")).code !== 0) {
    console.error("fuzz: could not install cargo-fuzz");
    Deno.exit(1);
  }
}
const nightly = !values.stable && await succeeds("cargo", ["+nightly", "--version"]);
// cargo fuzz needs nightly only for -Z flags (sanitizers); stable builds its instrumentation
// (-Cpasses=sancov-module, -Cllvm-args=...) when allowed unstable features, without a sanitizer.
const toolchain = nightly ? ["+nightly"] : [];
const sanitizer = nightly ? [] : ["--sanitizer", "none", "--target-dir", "target/stable"];
const env: Record<string, string> = nightly ? {} : { RUSTC_BOOTSTRAP: "1" };
console.log(
  `fuzz: ${nightly ? "nightly, AddressSanitizer" : "stable + RUSTC_BOOTSTRAP=1, no sanitizer"}` +
    `, debug assertions and overflow checks on, ${seconds} s per target`,
);
await seed();
const lines: string[] = [];
let failed = false;
for (const target of targets) {
  console.log(`\nfuzz: ${target}, ${seconds} s`);
  const corpus = `corpus/${target}`;
  const regressions = `regressions/${target}`;
  const before = await count(`${FUZZ}${corpus}`);
  const { code, stderr } = await run("cargo", [
    ...toolchain,
    "fuzz",
    "run",
    "--debug-assertions",
    ...sanitizer,
    target,
    corpus,
    // Loaded (and so run) before fuzzing starts; new inputs go to the first directory only.
    ...(await exists(`${FUZZ}${regressions}`)) ? [regressions] : [],
    "--",
    `-max_total_time=${seconds}`,
    "-print_final_stats=1",
    ...positionals,
  ], env);
  if (code === 0 && values.cmin) {
    const cmin = await run("cargo", [
      ...toolchain,
      "fuzz",
      "cmin",
      "--debug-assertions",
      ...sanitizer,
      target,
      corpus,
    ], env);
    if (cmin.code !== 0) console.error(`fuzz: ${target}: cmin failed (exit ${cmin.code})`);
    await seed(); // the seeds stay, even those the minimised corpus covers
  }
  const line = summary(target, code, stderr, [before, await count(`${FUZZ}${corpus}`)]);
  console.log(line);
  lines.push(line);
  if (code !== 0) failed = true;
}
console.log(`\n${lines.join("\n")}`);
if (failed) Deno.exit(1);
