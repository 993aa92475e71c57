/**
 * `deno task fuzz [--seconds 60] [--target config|request]`: fuzzes the Rust core's boundary
 * with cargo fuzz (libFuzzer, nightly toolchain): the configuration decoder and the request
 * parser (commands, batches, pub/sub and password requests). The corpus lives in
 * `native/fuzz/corpus/<target>` (seeded from real records made by the TypeScript encoders, and
 * grown by each run); a crash stops the run and its input is left in
 * `native/fuzz/artifacts/<target>/`. Installs cargo-fuzz when it is missing.
 */

import { parseArgs } from "node:util";
import { encodeConfig } from "../shared/config.ts";
import { RequestWriter } from "../shared/encode.ts";
import { execCommand } from "../shared/batch.ts";
import { Batch } from "../shared/batch.ts";
import { subscriptions } from "../shared/commands/subscriptions.ts";
import { updatePassword } from "../shared/commands/credentials.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    target: { type: "string" },
  },
});
const FUZZ = new URL("../native/fuzz/", import.meta.url).pathname;
const targets = values.target ? [values.target] : ["config", "request"];

async function run(cmd: string, args: string[], cwd = FUZZ): Promise<number> {
  const child = new Deno.Command(cmd, { args, cwd, stdout: "inherit", stderr: "inherit" });
  return (await child.output()).code;
}

async function hasCargoFuzz(): Promise<boolean> {
  try {
    const out = await new Deno.Command("cargo", { args: ["fuzz", "--version"] }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Writes real records as seeds, so that the fuzzer starts deep in the formats. */
async function seed(): Promise<void> {
  const write = (target: string, name: string, bytes: Uint8Array) =>
    Deno.writeFile(`${FUZZ}corpus/${target}/seed-${name}`, bytes);
  await Deno.mkdir(`${FUZZ}corpus/config`, { recursive: true });
  await Deno.mkdir(`${FUZZ}corpus/request`, { recursive: true });
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
  for (const [name, config] of Object.entries(configs)) {
    await write("config", name, encodeConfig(config as never, name === "cluster").bytes);
  }
  const w = new RequestWriter();
  const record = async (name: string, fill: () => void) => {
    w.clear();
    fill();
    await write("request", name, w.bytes.slice(0, w.length));
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
}

if (!(await hasCargoFuzz())) {
  console.log("fuzz: installing cargo-fuzz");
  if (await run("cargo", ["install", "cargo-fuzz"], "/") !== 0) {
    console.error("fuzz: could not install cargo-fuzz");
    Deno.exit(1);
  }
}
await seed();
let failed = false;
for (const target of targets) {
  console.log(`\nfuzz: ${target}, ${values.seconds} s`);
  const code = await run("cargo", [
    "+nightly",
    "fuzz",
    "run",
    target,
    `corpus/${target}`,
    "--",
    `-max_total_time=${values.seconds}`,
    "-print_final_stats=1",
  ]);
  console.log(`fuzz: ${target}: ${code === 0 ? "no crash" : `FAILED (exit ${code})`}`);
  if (code !== 0) failed = true;
}
if (failed) Deno.exit(1);
