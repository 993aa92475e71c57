/**
 * Finds the core's native library for this OS and arch, in this order:
 *
 * 1. `GLIDE_DENO_LIB`, a path to the library;
 * 2. a local build in `native/dist/` (`deno task build`), only when this module was loaded from
 *    a `file:` checkout;
 * 3. the cache: `GLIDE_DENO_CACHE`, else `glide-deno/<version>/` under Deno's cache directory;
 * 4. a download from `${GLIDE_DENO_DOWNLOAD_URL}/<file name>` (by default this version's GitHub
 *    release), verified against the SHA-256 digest in `native/checksums.json`, which ships with
 *    the code, then written to a temporary file and renamed into the cache.
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };
import checksums from "../native/checksums.json" with { type: "json" };
import { ConfigurationError } from "./errors.ts";
import { hex, sha256 as sha256Now } from "./digest.ts";

/** This package's version, read from its `deno.json`. @internal */
export const VERSION: string = denoJson.version;

/** Where the release binaries are downloaded from unless `GLIDE_DENO_DOWNLOAD_URL` is set. */
const RELEASES = "https://github.com/glide-deno/glide/releases/download";

/** How long one download may take before the loader gives up. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** The platforms (`os-arch`) a prebuilt library is released for. @internal */
export const SUPPORTED_PLATFORMS: readonly string[] = [
  "linux-x86_64",
  "linux-aarch64",
  "darwin-x86_64",
  "darwin-aarch64",
  "windows-x86_64",
];

/**
 * The library file name for an OS and architecture, as `deno task build` and the release use it.
 *
 * @example
 * ```ts
 * libraryFileName("linux", "aarch64"); // "libglide_deno.linux-aarch64.so"
 * ```
 * @internal
 */
export function libraryFileName(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string {
  switch (os) {
    case "windows":
      return `glide_deno.windows-${arch}.dll`;
    case "darwin":
      return `libglide_deno.darwin-${arch}.dylib`;
    default:
      return `libglide_deno.${os}-${arch}.so`;
  }
}

/**
 * The released library's file name for an OS and architecture; a `ConfigurationError` listing
 * the supported platforms when none is released for them.
 *
 * @example
 * ```ts
 * releasedFileName("darwin", "aarch64"); // "libglide_deno.darwin-aarch64.dylib"
 * ```
 * @internal
 */
export function releasedFileName(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string {
  const platform = `${os}-${arch}`;
  if (!SUPPORTED_PLATFORMS.includes(platform)) {
    throw new ConfigurationError(
      `glide-deno: no prebuilt native library for ${platform}; prebuilt ones exist for ` +
        `${
          SUPPORTED_PLATFORMS.join(", ")
        }. Build the core from a checkout with \`deno task build\` ` +
        "and set GLIDE_DENO_LIB to the library it writes",
    );
  }
  return libraryFileName(os, arch);
}

/** Reads an environment variable; unset, empty or not permitted (no `--allow-env`) all read as undefined. */
type EnvReader = (name: string) => string | undefined;

const readEnv: EnvReader = (name) => {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
};

/**
 * Deno's cache directory, as Deno itself picks it: `DENO_DIR`, else the OS's cache folder.
 *
 * @example
 * ```ts
 * denoCacheDir((n) => ({ HOME: "/home/ada" })[n], "linux"); // "/home/ada/.cache/deno"
 * ```
 * @internal
 */
export function denoCacheDir(
  env: EnvReader = readEnv,
  os: string = Deno.build.os,
): string | undefined {
  const denoDir = env("DENO_DIR");
  if (denoDir) return denoDir;
  const home = env("HOME");
  switch (os) {
    case "windows": {
      const local = env("LOCALAPPDATA");
      return local ? join(local, "deno") : undefined;
    }
    case "darwin":
      return home ? join(home, "Library", "Caches", "deno") : undefined;
    default: {
      const xdg = env("XDG_CACHE_HOME") ?? (home ? join(home, ".cache") : undefined);
      return xdg ? join(xdg, "deno") : undefined;
    }
  }
}

/**
 * The folder the downloaded library is cached in: `GLIDE_DENO_CACHE`, else
 * `glide-deno/<version>` under Deno's cache directory.
 *
 * @example
 * ```ts
 * cacheDir((n) => ({ DENO_DIR: "/tmp/deno" })[n]); // "/tmp/deno/glide-deno/0.1.0"
 * ```
 * @internal
 */
export function cacheDir(env: EnvReader = readEnv, os: string = Deno.build.os): string {
  const own = env("GLIDE_DENO_CACHE");
  if (own) return own;
  const deno = denoCacheDir(env, os);
  if (!deno) {
    throw new ConfigurationError(
      "glide-deno: cannot tell where to cache the native library (no DENO_DIR, HOME or " +
        "LOCALAPPDATA); set GLIDE_DENO_CACHE to a writable folder, or GLIDE_DENO_LIB to the library",
    );
  }
  return join(deno, "glide-deno", VERSION);
}

/**
 * The URL the library for this platform is downloaded from.
 *
 * @example
 * ```ts
 * downloadUrl("libglide_deno.linux-x86_64.so");
 * // "https://github.com/glide-deno/glide/releases/download/v0.1.0/libglide_deno.linux-x86_64.so"
 * ```
 * @internal
 */
export function downloadUrl(file: string, env: EnvReader = readEnv): string {
  const base = env("GLIDE_DENO_DOWNLOAD_URL")?.replace(/\/+$/, "") ?? `${RELEASES}/v${VERSION}`;
  return `${base}/${file}`;
}

/** The path separator of the OS this runs on. */
const SEP = Deno.build.os === "windows" ? "\\" : "/";

/**
 * Joins path parts with the OS's separator (a separator ending one part or starting the next is
 * not doubled). The paths here are made of folders the environment names and fixed names, so
 * nothing more is needed (and `node:path` would cost the process Node's compatibility layer).
 */
function join(first: string, ...rest: string[]): string {
  const parts = [first.length > 1 ? first.replace(/[\\/]+$/, "") : first];
  for (const part of rest) parts.push(part.replace(/^[\\/]+|[\\/]+$/g, ""));
  return parts.join(SEP);
}

/** The file path of a `file:` URL, as the OS writes it. */
function pathOf(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  if (Deno.build.os !== "windows") return path;
  const win = path.replaceAll("/", "\\");
  // file://server/share/x is \\server\share\x; file:///C:/x is C:\x.
  return url.hostname ? `\\\\${url.hostname}${win}` : win.replace(/^\\([A-Za-z]:)/, "$1");
}

/** The SHA-256 digest of a release file, from the `native/checksums.json` shipped with the code. */
function expectedDigest(file: string): string | undefined {
  return (checksums as Record<string, string | undefined>)[file];
}

/** Lower-case hex SHA-256 of some bytes. @internal */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The library to open, and where it was found. @internal */
export interface Library {
  /** Its path on this machine. */
  path: string;
  /** `env`: GLIDE_DENO_LIB; `build`: native/dist; `cache`: cached earlier; `download`: just now. */
  source: "env" | "build" | "cache" | "download";
}

/**
 * The native library to open, downloaded into the cache when needed. Rejects with
 * `ConfigurationError` saying what to do when no library can be had.
 *
 * @example
 * ```ts
 * const { path } = await resolveLibrary();
 * Deno.dlopen(path, symbols);
 * ```
 * @internal
 */
export async function resolveLibrary(): Promise<Library> {
  const override = readEnv("GLIDE_DENO_LIB");
  if (override) return { path: override, source: "env" };
  const local = await localBuild();
  if (local) return { path: local, source: "build" };

  const file = releasedFileName();
  const expected = expectedDigest(file);
  if (!expected) {
    throw new ConfigurationError(
      `glide-deno ${VERSION} ships no checksum for ${file} (native/checksums.json), so it will ` +
        "not download it; set GLIDE_DENO_LIB to a library you built or downloaded, or build it " +
        "in a checkout with `deno task build`",
    );
  }
  const dir = cacheDir();
  const dest = join(dir, file);
  if (await holds(dest, expected)) return { path: dest, source: "cache" };
  const url = downloadUrl(file);
  const bytes = await download(url, file, dir);
  const actual = await sha256(bytes);
  if (actual !== expected) {
    throw new ConfigurationError(
      `glide-deno: the download of ${file} from ${url} does not match its checksum: expected ` +
        `sha256 ${expected}, got ${actual}; it was not cached`,
    );
  }
  await install(bytes, dir, dest, expected);
  return { path: dest, source: "download" };
}

/**
 * The library when it can be had without waiting: `GLIDE_DENO_LIB`, a local build, or a
 * verified copy in the cache; `undefined` when it must be downloaded first. Lets the sync client
 * load without a top-level await (which would delay the importing module, for example a
 * Worker's `onmessage` set-up, and lose the messages sent meanwhile).
 *
 * @example
 * ```ts
 * const found = resolveLibrarySync();
 * if (found) Deno.dlopen(found.path, symbols);
 * ```
 * @internal
 */
export function resolveLibrarySync(): Library | undefined {
  const override = readEnv("GLIDE_DENO_LIB");
  if (override) return { path: override, source: "env" };
  const local = localBuildPath();
  if (local) {
    try {
      if (Deno.statSync(local).isFile) return { path: local, source: "build" };
    } catch { /* not built: look further */ }
  }
  const file = releasedFileName();
  const expected = expectedDigest(file);
  if (!expected) return undefined; // resolveLibrary() explains
  const dest = join(cacheDir(), file);
  try {
    const digest = hex(sha256Now(Deno.readFileSync(dest)));
    return digest === expected ? { path: dest, source: "cache" } : undefined;
  } catch {
    return undefined; // not cached (or not readable): resolveLibrary() downloads or explains
  }
}

/** The path of `native/dist/<file>` next to this module, when it was loaded from `file:`. */
function localBuildPath(): string | undefined {
  const url = new URL(`../native/dist/${libraryFileName()}`, import.meta.url);
  return url.protocol === "file:" ? pathOf(url) : undefined;
}

/** `native/dist/<file>` next to this module, when it was loaded from a `file:` checkout. */
async function localBuild(): Promise<string | undefined> {
  const path = localBuildPath();
  if (!path) return undefined;
  try {
    return (await Deno.stat(path)).isFile ? path : undefined;
  } catch {
    return undefined; // not built (or not readable): look further
  }
}

/** Whether `path` exists with the expected digest (a stale or damaged file does not count). */
async function holds(path: string, expected: string): Promise<boolean> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new ConfigurationError(
      `glide-deno: cannot read the cached native library ${path} (allow reading it with ` +
        "--allow-read, or set GLIDE_DENO_CACHE or GLIDE_DENO_LIB)",
      { cause: e },
    );
  }
  return await sha256(bytes) === expected;
}

/** Fetches the library, or throws the error that lists every way to get one. */
async function download(url: string, file: string, dir: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    const host = new URL(url).host;
    const hosts = host === "github.com" ? `${host},release-assets.githubusercontent.com` : host;
    throw new ConfigurationError(
      `glide-deno: no native library for ${Deno.build.os}-${Deno.build.arch}: GLIDE_DENO_LIB is ` +
        `not set, the cache ${dir} has no ${file}, and downloading ${url} failed ` +
        `(${(e as Error).message}). Either set GLIDE_DENO_LIB to the path of ${file} (from the ` +
        "release page, or built with `deno task build` in a checkout), or allow the download " +
        `with --allow-net=${hosts} (or point GLIDE_DENO_DOWNLOAD_URL at a mirror)`,
      { cause: e },
    );
  }
}

/**
 * Writes verified bytes to a temporary file next to `dest` and renames it into place, so that a
 * process never sees a partial file. When several processes race, each renames its own copy of
 * the same bytes; one whose rename fails (Windows, when another process has the file open) uses
 * the winner's copy if it is complete.
 */
async function install(
  bytes: Uint8Array,
  dir: string,
  dest: string,
  expected: string,
): Promise<void> {
  const tmp = `${dest}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(tmp, bytes, { mode: 0o755 });
    await Deno.rename(tmp, dest);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    if (await holds(dest, expected).catch(() => false)) return;
    throw new ConfigurationError(
      `glide-deno: cannot write the native library into the cache ${dest} (allow it with ` +
        "--allow-write, or set GLIDE_DENO_CACHE to a writable folder)",
      { cause: e },
    );
  }
}
