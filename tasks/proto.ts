/**
 * `deno task proto`: regenerates `shared/generated/connection_pb.ts` from
 * `proto/connection.proto` with buf and protoc-gen-es (see `buf.gen.yaml`).
 *
 * The two npm tools are installed once into a cache directory outside the repository
 * (`$GLIDE_TOOLS_DIR`, else `~/.cache/glide-deno/`), never into the git tree.
 */

import { join } from "node:path";
import { exists, message, ROOT, runOrThrow } from "./util.ts";

/** Exact tool versions; protoc-gen-es matches the `@bufbuild/protobuf` runtime in deno.lock. */
export const TOOLS = { "@bufbuild/buf": "1.75.0", "@bufbuild/protoc-gen-es": "2.17.0" };

/** The file this task writes, relative to the repository root. */
export const OUTPUT = "shared/generated/connection_pb.ts";

/** Directory holding the installed tools, one per set of versions. */
export function toolsDir(): string {
  const home = Deno.env.get("HOME") ?? "/tmp";
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache");
  const base = Deno.env.get("GLIDE_TOOLS_DIR") ?? join(cache, "glide-deno");
  return join(base, `proto-tools-${Object.values(TOOLS).join("-")}`);
}

/** Installs buf and protoc-gen-es into {@link toolsDir} unless present; returns their bin dir. */
export async function installTools(): Promise<string> {
  const dir = toolsDir();
  const bin = join(dir, "node_modules", ".bin");
  if (await exists(join(bin, "buf")) && await exists(join(bin, "protoc-gen-es"))) return bin;
  await Deno.mkdir(dir, { recursive: true });
  const specs = Object.entries(TOOLS).map(([name, version]) => `${name}@${version}`);
  console.log(`installing ${specs.join(" ")} into ${dir}`);
  await runOrThrow("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", ...specs]);
  return bin;
}

/** Runs `buf generate` with the repository's `buf.gen.yaml`, writing {@link OUTPUT}. */
export async function generate(): Promise<void> {
  const bin = await installTools();
  const PATH = `${bin}:${Deno.env.get("PATH") ?? ""}`;
  await runOrThrow(join(bin, "buf"), ["generate", "--template", "buf.gen.yaml"], {
    cwd: ROOT,
    env: { PATH },
  });
  console.log(`generated ${OUTPUT}`);
}

if (import.meta.main) {
  try {
    await generate();
  } catch (e) {
    console.error(`proto: ${message(e)}`);
    Deno.exit(1);
  }
}
