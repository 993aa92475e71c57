/**
 * Fixtures of the loader tests: a copy of the package as `deno publish` would ship it (its
 * `publish.include` minus `exclude`, so without `native/dist/`), whose `native/checksums.json`
 * holds the digest of the library built for this test run; a loopback HTTP server that serves
 * that copy and the library as a release; and a child process that imports the package from
 * either, as a first-time user would.
 */

import { dirname, join, relative } from "node:path";
import { libraryFileName, sha256 } from "../shared/loader.ts";
import { distPath } from "../tasks/build.ts";
import { ROOT } from "../tasks/util.ts";
import { standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

/** The library file name for this machine. */
export const FILE: string = libraryFileName();

/** The library the test run built (or GLIDE_DENO_LIB), as the release would serve it. */
export async function releaseBytes(): Promise<Uint8Array<ArrayBuffer>> {
  return await Deno.readFile(Deno.env.get("GLIDE_DENO_LIB") || distPath());
}

async function copyTree(from: string, to: string, skip: Set<string>): Promise<void> {
  const info = await Deno.stat(from);
  if (skip.has(relative(ROOT, from))) return;
  if (!info.isDirectory) {
    await Deno.mkdir(dirname(to), { recursive: true });
    await Deno.copyFile(from, to);
    return;
  }
  for await (const entry of Deno.readDir(from)) {
    await copyTree(join(from, entry.name), join(to, entry.name), skip);
  }
}

/** A temporary copy of the published files, with checksums.json holding `digest` for FILE. */
export async function packageCopy(digest: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const include: string[] = config.publish.include;
  const skip = new Set<string>(
    (config.publish.exclude ?? []).map((p: string) => p.replace(/\/$/, "")),
  );
  const dir = await Deno.makeTempDir({ prefix: "glide-pkg-" });
  for (const path of include) {
    await copyTree(join(ROOT, path), join(dir, path), skip);
  }
  await Deno.writeTextFile(
    join(dir, "native", "checksums.json"),
    JSON.stringify({ [FILE]: digest }),
  );
  return dir;
}

/**
 * A loopback HTTP server: `/pkg-<id>/...` is the package copy, `/release/<FILE>` the library.
 * The package's path is new for each server: Deno caches remote modules by URL (checksums.json
 * included) across runs, and a later server may get an earlier one's port.
 */
export class ReleaseServer {
  /** Paths requested under /release/, in order. */
  readonly downloads: string[] = [];
  /** Where the package copy is served: `/pkg-<id>/`. */
  readonly pkgPath = `/pkg-${crypto.randomUUID()}/`;
  #server: Deno.HttpServer<Deno.NetAddr>;

  constructor(pkg: string, library: Uint8Array<ArrayBuffer>) {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      if (path.startsWith("/release/")) {
        this.downloads.push(path);
        if (path !== `/release/${FILE}`) return new Response("not found", { status: 404 });
        return new Response(library);
      }
      if (!path.startsWith(this.pkgPath) || path.includes("..")) {
        return new Response("not found", { status: 404 });
      }
      try {
        const body = await Deno.readFile(join(pkg, path.slice(this.pkgPath.length)));
        const type = path.endsWith(".json") ? "application/json" : "application/typescript";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
  }

  /** host:port of the server. */
  get host(): string {
    return `127.0.0.1:${this.#server.addr.port}`;
  }

  /** The GLIDE_DENO_DOWNLOAD_URL that points at this server's release. */
  get releaseUrl(): string {
    return `http://${this.host}/release`;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}

/** What a probe child printed. */
export type ProbeResult =
  | { ok: true; reply: string }
  | { ok: false; name: string; message: string };

/** How to run a probe child. */
export interface ProbeOptions {
  /** URL of the entry point to import (`file:` of the copy's mod.ts / sync.ts, or `http:`). */
  module: string;
  /** Use the sync client (whose module prepares the library at import time). */
  sync?: boolean;
  /** GLIDE_DENO_CACHE. */
  cache: string;
  /** GLIDE_DENO_DOWNLOAD_URL. */
  downloadUrl: string;
  /** Hosts for --allow-net; none when undefined. */
  allowNet?: string;
  /** Hosts for --allow-import (an http: package). */
  allowImport?: string;
  /** PATH of the child; the parent's when undefined. */
  path?: string;
  /** A folder the child may read besides the cache (a `file:` package copy). */
  allowRead?: string;
}

const PROBE = new URL("./fixtures/load_probe.ts", import.meta.url);

/** The parent's environment without any GLIDE_DENO_* setting. */
function cleanEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of Object.keys(env)) if (name.startsWith("GLIDE_DENO_")) delete env[name];
  return env;
}

/**
 * Runs the probe with only the permissions a user grants: --allow-ffi, --allow-env, read and
 * write of the cache folder, and the net / import hosts given.
 */
export async function probe(opts: ProbeOptions): Promise<ProbeResult> {
  // A lockfile of its own, so that the http: modules it records do not land in the checkout's.
  const work = await Deno.makeTempDir({ prefix: "glide-probe-" });
  try {
    await Deno.copyFile(join(ROOT, "deno.lock"), join(work, "deno.lock"));
    return await runProbe(opts, work);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

async function runProbe(opts: ProbeOptions, work: string): Promise<ProbeResult> {
  const args = [
    "run",
    "--config",
    join(ROOT, "deno.json"),
    `--lock=${join(work, "deno.lock")}`,
    "--allow-ffi",
    "--allow-env",
    `--allow-read=${[opts.cache, opts.allowRead].filter(Boolean).join(",")}`,
    `--allow-write=${opts.cache}`,
  ];
  if (opts.allowNet) args.push(`--allow-net=${opts.allowNet}`);
  if (opts.allowImport) args.push(`--allow-import=${opts.allowImport}`);
  args.push(PROBE.href, opts.module, opts.sync ? "sync" : "async");
  const config = withServerTls({ addresses: [standaloneAddress()], requestTimeout: 2000 });
  const env = {
    ...cleanEnv(),
    GLIDE_DENO_CACHE: opts.cache,
    GLIDE_DENO_DOWNLOAD_URL: opts.downloadUrl,
    GLIDE_PROBE_CONFIG: JSON.stringify(config),
    ...(opts.path === undefined ? {} : { PATH: opts.path }),
  };
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    clearEnv: true,
    cwd: work,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  const line = stdout.split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as ProbeResult;
  } catch {
    const stderr = new TextDecoder().decode(out.stderr);
    throw new Error(`probe exited with ${out.code} without a result:\n${stdout}\n${stderr}`);
  }
}

/** The names in a folder, sorted. */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** The digest of the library cached in `dir`. */
export async function cachedDigest(dir: string): Promise<string> {
  return await sha256(await Deno.readFile(join(dir, FILE)));
}
