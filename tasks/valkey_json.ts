/**
 * The JSON module (valkey-json) for the test servers: built once from the source kept in
 * `tests/modules/valkey-json/` (see its README) into a cache directory, with RapidJSON's headers
 * from PyPI's `python-rapidjson` source archive (checksum pinned), since valkey-json needs a
 * newer RapidJSON than Debian ships. Needs a C++17 compiler (`g++`, or `$CXX`).
 *
 *   deno run -A tasks/valkey_json.ts     (builds it if missing, prints the path)
 *
 * As a module: {@link ensureValkeyJson}.
 */

import { join } from "node:path";
import { cacheDir, exists, fetchVerified, runOrThrow } from "./util.ts";

const SOURCE = new URL("../tests/modules/valkey-json/", import.meta.url).pathname;
/** The upstream commit the vendored source is (tests/modules/valkey-json/README.md). */
const COMMIT = "5e2f9fd3161eebffeb18d4fc73bba7c1ded793cd";
const RAPIDJSON = {
  archive: "python_rapidjson-1.25.tar.gz",
  url: "https://files.pythonhosted.org/packages/e1/45/" +
    "7e2c05ef1c9357e22f1fc345fad41c24d50b9dfb6ac8104222987aef1f89/python_rapidjson-1.25.tar.gz",
  sha256: "97c1de449552ec28ac5ae89350c2b53e4c5d21a9b4308d7a1630b1099e5db9fc",
  include: "python_rapidjson-1.25/rapidjson/include",
};
const UNITS = [
  "json.cc",
  "dom.cc",
  "alloc.cc",
  "util.cc",
  "stats.cc",
  "selector.cc",
  "keytable.cc",
  "memory.cc",
  "json_api.cc",
  "shared_api.cc",
];

/** Where it is kept: `$GLIDE_MODULES_CACHE`, or `~/.cache/glide-deno/modules`. */
export function modulesCacheDir(): string {
  return cacheDir("GLIDE_MODULES_CACHE", "modules");
}

/**
 * The path of the built module (`--loadmodule` it into Valkey 8 or newer), building it first
 * when missing. Throws when it cannot be built (no compiler, PyPI unreachable, a checksum that
 * differs, a compile error).
 */
export async function ensureValkeyJson(): Promise<string> {
  const dir = modulesCacheDir();
  const module = join(dir, `valkey-json-${COMMIT.slice(0, 12)}.so`);
  if (await exists(module)) return module;
  await Deno.mkdir(dir, { recursive: true });
  const include = await rapidJson(dir);
  const cxx = Deno.env.get("CXX") ?? "g++";
  const src = join(SOURCE, "src");
  const objects: string[] = [];
  const started = Date.now();
  console.error(`valkey-json: building ${module} (${UNITS.length} units)`);
  // Two units at a time: the machines this runs on have two cores.
  for (let i = 0; i < UNITS.length; i += 2) {
    await Promise.all(
      UNITS.slice(i, i + 2).map(async (unit) => {
        const object = join(dir, `valkey-json-${unit}.o`);
        await runOrThrow(cxx, [
          "-std=c++17",
          "-O2",
          "-fPIC",
          "-march=nehalem",
          "-w",
          // The vendored (modified) RapidJSON headers come before the archive's.
          `-I${src}`,
          `-I${join(src, "include")}`,
          `-I${include}`,
          "-c",
          join(src, "json", unit),
          "-o",
          object,
        ]);
        objects.push(object);
      }),
    );
  }
  const partial = `${module}.partial`;
  await runOrThrow(cxx, ["-shared", "-o", partial, ...objects]);
  await Deno.rename(partial, module);
  for (const o of objects) await Deno.remove(o).catch(() => {});
  console.error(`valkey-json: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return module;
}

/** RapidJSON's include directory, unpacked from the pinned archive into `dir` once. */
async function rapidJson(dir: string): Promise<string> {
  const include = join(dir, RAPIDJSON.include);
  if (await exists(join(include, "rapidjson", "internal", "clzll.h"))) return include;
  const bytes = await fetchVerified(RAPIDJSON.url, RAPIDJSON.sha256);
  const archive = join(dir, RAPIDJSON.archive);
  await Deno.writeFile(archive, bytes);
  await runOrThrow("tar", ["-xzf", archive, "-C", dir, RAPIDJSON.include]);
  await Deno.remove(archive);
  return include;
}

if (import.meta.main) {
  console.log(await ensureValkeyJson());
}
