/**
 * `deno task release [--target TRIPLE] [--sums-only]`: builds the core in release mode for the
 * host (or for a cargo target triple), copies it to `native/release/<per-platform file name>`,
 * then writes `native/release/SHA256SUMS` (sha256sum format) and `native/checksums.json` (file
 * name -> SHA-256), which the package ships and the loader verifies downloads against. Both list
 * exactly the libraries in `native/release/`.
 *
 * `--sums-only` skips the build: the release workflow downloads every platform's library into
 * `native/release/` and writes the sums of all of them.
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { sha256 } from "../shared/loader.ts";
import { cargoLibraryFileName, libraryFileName } from "./lib_name.ts";
import { message, ROOT, runOrThrow } from "./util.ts";

const NATIVE = join(ROOT, "native");
const RELEASE = join(NATIVE, "release");

/** The cargo target triples a library is released for, with their Deno `os` and `arch`. */
export const TARGETS: Record<string, { os: string; arch: string }> = {
  "x86_64-unknown-linux-gnu": { os: "linux", arch: "x86_64" },
  "aarch64-unknown-linux-gnu": { os: "linux", arch: "aarch64" },
  "x86_64-apple-darwin": { os: "darwin", arch: "x86_64" },
  "aarch64-apple-darwin": { os: "darwin", arch: "aarch64" },
  "x86_64-pc-windows-msvc": { os: "windows", arch: "x86_64" },
};

/** The file names of every released library. */
export const RELEASE_FILES: string[] = Object.values(TARGETS).map((t) =>
  libraryFileName(t.os, t.arch)
);

/** Builds for `target` (the host when undefined) and copies the library into native/release/. */
export async function buildRelease(target?: string): Promise<string> {
  const platform = target ? TARGETS[target] : { os: Deno.build.os, arch: Deno.build.arch };
  if (!platform) {
    throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(", ")}`);
  }
  const args = ["build", "--release", "--manifest-path", join(NATIVE, "Cargo.toml")];
  if (target) args.push("--target", target);
  await runOrThrow("cargo", args);
  const targetDir = Deno.env.get("CARGO_TARGET_DIR") ?? join(NATIVE, "target");
  const built = join(
    targetDir,
    ...(target ? [target] : []),
    "release",
    cargoLibraryFileName(platform.os),
  );
  const dest = join(RELEASE, libraryFileName(platform.os, platform.arch));
  await Deno.mkdir(RELEASE, { recursive: true });
  const tmp = `${dest}.${Deno.pid}.tmp`;
  await Deno.copyFile(built, tmp);
  await Deno.rename(tmp, dest);
  console.log(`release: ${dest}`);
  return dest;
}

/** Digests of the released libraries present in native/release/, by file name. */
export async function releaseDigests(dir: string = RELEASE): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const file of [...RELEASE_FILES].sort()) {
    try {
      digests[file] = await sha256(await Deno.readFile(join(dir, file)));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return digests;
}

/** `SHA256SUMS` text (as `sha256sum` prints it) for some digests. */
export function sha256sums(digests: Record<string, string>): string {
  return Object.entries(digests).map(([file, hex]) => `${hex}  ${file}\n`).join("");
}

/** Writes native/release/SHA256SUMS and native/checksums.json; returns the digests. */
export async function writeSums(): Promise<Record<string, string>> {
  const digests = await releaseDigests();
  if (Object.keys(digests).length === 0) throw new Error(`no released library in ${RELEASE}`);
  await Deno.mkdir(RELEASE, { recursive: true });
  await Deno.writeTextFile(join(RELEASE, "SHA256SUMS"), sha256sums(digests));
  await Deno.writeTextFile(
    join(NATIVE, "checksums.json"),
    JSON.stringify(digests, null, 2) + "\n",
  );
  for (const [file, hex] of Object.entries(digests)) console.log(`${hex}  ${file}`);
  return digests;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { target: { type: "string" }, "sums-only": { type: "boolean" } },
  });
  try {
    if (!values["sums-only"]) await buildRelease(values.target);
    await writeSums();
  } catch (e) {
    console.error(`release: ${message(e)}`);
    Deno.exit(1);
  }
}
