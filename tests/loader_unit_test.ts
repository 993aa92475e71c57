// The loader's pure parts: file names per platform, where the cache lives, the download URL.
import assert from "node:assert/strict";
import {
  cacheDir,
  denoCacheDir,
  downloadUrl,
  libraryFileName,
  releasedFileName,
  sha256,
  SUPPORTED_PLATFORMS,
  VERSION,
} from "../shared/loader.ts";
import { ConfigurationError } from "../shared/errors.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("loader: every supported platform has its release file name", () => {
  assert.deepEqual(
    SUPPORTED_PLATFORMS.map((p) => releasedFileName(...p.split("-") as [string, string])),
    [
      "libglide_deno.linux-x86_64.so",
      "libglide_deno.linux-aarch64.so",
      "libglide_deno.darwin-x86_64.dylib",
      "libglide_deno.darwin-aarch64.dylib",
      "glide_deno.windows-x86_64.dll",
    ],
  );
  assert.equal(libraryFileName(), releasedFileName());
});

Deno.test("loader: an unsupported platform is refused with the list of supported ones", () => {
  assert.throws(() => releasedFileName("freebsd", "x86_64"), (e: Error) => {
    assert.ok(e instanceof ConfigurationError);
    assert.match(e.message, /freebsd-x86_64/);
    for (const p of SUPPORTED_PLATFORMS) assert.ok(e.message.includes(p), p);
    return true;
  });
});

Deno.test("loader: the cache folder follows GLIDE_DENO_CACHE, DENO_DIR, then the OS", () => {
  assert.equal(cacheDir(env({ GLIDE_DENO_CACHE: "/c", DENO_DIR: "/d" })), "/c");
  assert.equal(cacheDir(env({ DENO_DIR: "/d" })), `/d/glide-deno/${VERSION}`);
  assert.equal(denoCacheDir(env({ HOME: "/h" }), "linux"), "/h/.cache/deno");
  assert.equal(denoCacheDir(env({ HOME: "/h", XDG_CACHE_HOME: "/x" }), "linux"), "/x/deno");
  assert.equal(denoCacheDir(env({ HOME: "/h" }), "darwin"), "/h/Library/Caches/deno");
  assert.ok(denoCacheDir(env({ LOCALAPPDATA: "C:/L" }), "windows")?.endsWith("deno"));
  assert.throws(() => cacheDir(env({}), "linux"), ConfigurationError);
});

Deno.test("loader: the download URL is the version's release unless a mirror is set", () => {
  assert.equal(
    downloadUrl("f.so", env({})),
    `https://github.com/glide-deno/glide/releases/download/v${VERSION}/f.so`,
  );
  assert.equal(
    downloadUrl("f.so", env({ GLIDE_DENO_DOWNLOAD_URL: "http://m/x/" })),
    "http://m/x/f.so",
  );
});

Deno.test("loader: sha256 is lower-case hex", async () => {
  assert.equal(
    await sha256(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
