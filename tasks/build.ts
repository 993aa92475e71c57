/**
 * `deno task build [--debug]`: builds the Rust core in `native/` (release by default) and copies
 * it to `native/dist/` under its per-OS/arch name (see `tasks/lib_name.ts`).
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { cargoLibraryFileName, libraryFileName } from "./lib_name.ts";
import { exists, message, ROOT, runOrThrow } from "./util.ts";

const NATIVE = join(ROOT, "native");

/** Path of the built library that `shared/native.ts` loads. */
export function distPath(): string {
  return join(NATIVE, "dist", libraryFileName());
}

/** Runs cargo build and installs the library into `native/dist/`; returns its path. */
export async function build(opts: { debug?: boolean } = {}): Promise<string> {
  const profile = opts.debug ? "debug" : "release";
  const args = ["build", "--manifest-path", join(NATIVE, "Cargo.toml")];
  if (!opts.debug) args.push("--release");
  await runOrThrow("cargo", args);
  const targetDir = Deno.env.get("CARGO_TARGET_DIR") ?? join(NATIVE, "target");
  const built = join(targetDir, profile, cargoLibraryFileName());
  const dest = distPath();
  await Deno.mkdir(join(NATIVE, "dist"), { recursive: true });
  // Copy then rename: a process that has the old library mapped keeps a valid file.
  const tmp = `${dest}.${Deno.pid}.tmp`;
  await Deno.copyFile(built, tmp);
  await Deno.rename(tmp, dest);
  console.log(`built ${dest} (${profile})`);
  return dest;
}

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory ? await newestSource(path) : await mtime(path);
    newest = Math.max(newest, time);
  }
  return newest;
}

async function mtime(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Builds (release) unless `native/dist/` already holds a library newer than every file in
 * `native/src/`, `proto/`, `native/Cargo.toml`, `native/Cargo.lock` and `native/build.rs`.
 * Skipped when `GLIDE_DENO_LIB` points at a prebuilt library. Returns the library's path.
 */
export async function ensureBuilt(): Promise<string> {
  const override = Deno.env.get("GLIDE_DENO_LIB");
  if (override) return override;
  const dest = distPath();
  if (await exists(dest)) {
    const sources = Math.max(
      await newestSource(join(NATIVE, "src")),
      await newestSource(join(ROOT, "proto")),
      ...await Promise.all(
        ["Cargo.toml", "Cargo.lock", "build.rs"].map((f) => mtime(join(NATIVE, f))),
      ),
    );
    if (await mtime(dest) >= sources) return dest;
  }
  return await build();
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { debug: { type: "boolean" } } });
  try {
    await build({ debug: values.debug });
  } catch (e) {
    console.error(`build: ${message(e)}`);
    Deno.exit(1);
  }
}
