/**
 * A Valkey 8.1 server for tests that need Valkey-only features (such as the `availability-zone`
 * setting), built once from Debian trixie's source package into a cache directory.
 *
 *   deno run -A tasks/valkey.ts     (builds it if missing, prints the paths)
 *
 * As a module: {@link ensureValkey}. The build needs `apt-get` (Debian or Ubuntu), a C compiler
 * and `make`; it uses a private apt configuration (its own source list and package lists in the
 * cache directory), so the system's apt setup is left alone. About 80 s on two cores.
 */

import { join } from "node:path";
import type { Binaries } from "./server_process.ts";
import { exists, onPath } from "./util.ts";

/** The Debian suite whose source package is built (trixie ships Valkey 8.1). */
const SUITE = "trixie";
/** The version the cached build must report. */
const WANTED = /^8\.1\./;

/** Where the build is kept: `$GLIDE_VALKEY_CACHE`, or `~/.cache/glide-deno/valkey-8.1`. */
export function valkeyCacheDir(): string {
  const own = Deno.env.get("GLIDE_VALKEY_CACHE");
  if (own) return own;
  const base = Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/tmp", ".cache");
  return join(base, "glide-deno", "valkey-8.1");
}

/** `valkey-server` and `valkey-cli` of the cached build, with what {@link Binaries} needs. */
export type ValkeyBinaries = Binaries;

/**
 * The cached Valkey 8.1 `valkey-server` and `valkey-cli`, built first if they are missing.
 * Resolves to null only when the source cannot be fetched (no `apt-get`, or Debian's archive is
 * unreachable); a failed build throws.
 */
export async function ensureValkey(): Promise<ValkeyBinaries | null> {
  const bin = join(valkeyCacheDir(), "bin");
  const found = await cached(bin);
  if (found) return found;
  const tarball = await fetchSource();
  if (!tarball) return null;
  await build(tarball, bin);
  const built = await cached(bin);
  if (!built) throw new Error(`the Valkey build in ${bin} does not report version 8.1`);
  return built;
}

/** The cached binaries, if both are there and the server is an 8.1. */
async function cached(bin: string): Promise<ValkeyBinaries | null> {
  const server = join(bin, "valkey-server");
  const cli = join(bin, "valkey-cli");
  if (!await exists(server) || !await exists(cli)) return null;
  try {
    const out = await new Deno.Command(server, { args: ["--version"], stdout: "piped" }).output();
    const version = /v=(\S+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "";
    if (!out.success || !WANTED.test(version)) return null;
    return { server, cli, version, debugCommand: true };
  } catch {
    return null;
  }
}

/** Runs a program, capturing its output; the output is part of the error if it fails. */
async function sh(cmd: string, args: string[], cwd: string): Promise<{ ok: boolean; log: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { ok: out.success, log: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

/**
 * Downloads Debian's `valkey` source (the upstream tarball is all that is used) with a private
 * apt configuration. Returns the tarball's path, or null if it could not be fetched.
 */
async function fetchSource(): Promise<string | null> {
  if (!await onPath("apt-get")) {
    console.error("ensureValkey: apt-get is not available, cannot fetch the Valkey source");
    return null;
  }
  const dir = join(valkeyCacheDir(), "source");
  await Deno.mkdir(join(dir, "lists", "partial"), { recursive: true });
  await Deno.mkdir(join(dir, "cache", "archives", "partial"), { recursive: true });
  const list = join(dir, "sources.list");
  await Deno.writeTextFile(list, `deb-src http://deb.debian.org/debian ${SUITE} main\n`);
  const apt = [
    "-q",
    "-o",
    `Dir::Etc::SourceList=${list}`,
    "-o",
    "Dir::Etc::SourceParts=/dev/null",
    "-o",
    `Dir::State::Lists=${join(dir, "lists")}`,
    "-o",
    `Dir::Cache=${join(dir, "cache")}`,
    // As root apt would drop to the _apt user, which cannot write to this directory.
    ...(Deno.uid() === 0 ? ["-o", "APT::Sandbox::User=root"] : []),
  ];
  const update = await sh("apt-get", [...apt, "update"], dir);
  if (!update.ok) {
    console.error(`ensureValkey: apt-get update failed:\n${update.log.slice(-2000)}`);
    return null;
  }
  // Only the upstream tarball is needed: a missing .dsc or Debian diff is no reason to give up.
  const source = await sh("apt-get", [...apt, "source", "--download-only", "valkey"], dir);
  const tarball = await findTarball(dir);
  if (!tarball) {
    console.error(`ensureValkey: no Valkey 8.1 source tarball:\n${source.log.slice(-2000)}`);
  }
  return tarball;
}

async function findTarball(dir: string): Promise<string | null> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && /^valkey_8\.1[^_]*\.orig\.tar\.(xz|gz|bz2)$/.test(e.name)) {
      return join(dir, e.name);
    }
  }
  return null;
}

/** Unpacks and builds the tarball, and installs the two programs into `bin`. */
async function build(tarball: string, bin: string): Promise<void> {
  const work = await Deno.makeTempDir({ dir: valkeyCacheDir(), prefix: "build-" });
  try {
    const untar = await sh("tar", ["xf", tarball], work);
    if (!untar.ok) throw new Error(`ensureValkey: cannot unpack ${tarball}:\n${untar.log}`);
    let top = "";
    for await (const e of Deno.readDir(work)) if (e.isDirectory) top = join(work, e.name);
    if (!top) throw new Error(`ensureValkey: ${tarball} holds no source directory`);
    const jobs = Math.max(1, Math.min(navigator.hardwareConcurrency ?? 2, 8));
    console.error(`ensureValkey: building Valkey 8.1 in ${top} (make -j${jobs})...`);
    const make = await sh("make", ["MALLOC=libc", "BUILD_TLS=no", `-j${jobs}`], top);
    if (!make.ok) {
      throw new Error(`ensureValkey: the Valkey build failed:\n${make.log.slice(-4000)}`);
    }
    await Deno.mkdir(bin, { recursive: true });
    // Copy under a temporary name, then rename: a concurrent caller never sees half a file.
    for (const name of ["valkey-server", "valkey-cli"]) {
      const tmp = join(bin, `.${name}.${Deno.pid}`);
      await Deno.copyFile(join(top, "src", name), tmp);
      await Deno.chmod(tmp, 0o755);
      await Deno.rename(tmp, join(bin, name));
    }
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const found = await ensureValkey();
  if (!found) {
    console.error("the Valkey source could not be fetched");
    Deno.exit(1);
  }
  console.log(`${found.server}\n${found.cli}\n(valkey ${found.version})`);
}
