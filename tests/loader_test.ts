// The loader as a first-time user meets it: no local build, a release served by a loopback HTTP
// server, the package imported from a file: copy of what `deno publish` ships, or over http:.
// Each case runs in child processes with the permissions a user would grant.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { sha256 } from "../shared/loader.ts";
import {
  cachedDigest,
  FILE,
  listDir,
  packageCopy,
  probe,
  type ProbeOptions,
  releaseBytes,
  ReleaseServer,
} from "./loader_fixture.ts";

interface Setup {
  pkg: string;
  cache: string;
  server: ReleaseServer;
  digest: string;
  entry: (name: "mod.ts" | "sync.ts") => string;
  run: (extra?: Partial<ProbeOptions>) => ReturnType<typeof probe>;
}

/** A package copy, an empty cache and a server that serves `served` as the release. */
async function setup(
  t: Deno.TestContext | undefined,
  fn: (s: Setup) => Promise<void>,
  tamper = false,
): Promise<void> {
  const library = await releaseBytes();
  const digest = await sha256(library);
  const served = tamper ? library.slice() : library;
  if (tamper) served[served.length >> 1] ^= 0xff;
  const pkg = await packageCopy(digest);
  const cache = await Deno.makeTempDir({ prefix: "glide-cache-" });
  const server = new ReleaseServer(pkg, served);
  const entry = (name: string) => pathToFileURL(join(pkg, name)).href;
  const run = (extra: Partial<ProbeOptions> = {}) =>
    probe({
      module: entry("mod.ts"),
      cache,
      downloadUrl: server.releaseUrl,
      allowNet: server.host,
      allowRead: pkg,
      ...extra,
    });
  try {
    await fn({ pkg, cache, server, digest, entry, run });
  } finally {
    await server.close();
    await Deno.remove(pkg, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
  void t;
}

/** A port nothing listens on. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function assertOk(r: Awaited<ReturnType<typeof probe>>): void {
  assert.ok(r.ok, `expected a working client, got ${JSON.stringify(r)}`);
  assert.match(r.reply, /^loaded by \d+$/);
}

Deno.test("loader: the first load downloads, verifies and caches the library", async (t) => {
  await setup(t, async ({ cache, server, digest, run }) => {
    assertOk(await run());
    assert.deepEqual(server.downloads, [`/release/${FILE}`]);
    assert.deepEqual(await listDir(cache), [FILE]);
    assert.equal(await cachedDigest(cache), digest);
  });
});

Deno.test("loader: the second load comes from the cache, offline", async (t) => {
  await setup(t, async ({ server, entry, run }) => {
    assertOk(await run());
    const offline = `http://127.0.0.1:${closedPort()}/release`;
    // No --allow-net at all, a download URL nothing answers: the cache must serve it.
    assertOk(await run({ downloadUrl: offline, allowNet: undefined }));
    assertOk(await run({ module: entry("sync.ts"), sync: true, allowNet: undefined }));
    assert.equal(server.downloads.length, 1);
  });
});

Deno.test("loader: a tampered binary is refused and not cached", async (t) => {
  await setup(t, async ({ cache, server, digest, entry, run }) => {
    const actual = await sha256(
      await releaseBytes().then((b) => {
        b[b.length >> 1] ^= 0xff;
        return b;
      }),
    );
    // The sync client's module prepares the library at import time: the import itself
    // succeeds, and createClient throws the ConfigurationError.
    for (const sync of [false, true]) {
      const r = await run({ module: entry(sync ? "sync.ts" : "mod.ts"), sync });
      assert.ok(!r.ok);
      assert.equal(r.name, "ConfigurationError");
      for (const part of [FILE, digest, actual, `${server.releaseUrl}/${FILE}`]) {
        assert.ok(r.message.includes(part), `${r.message} should name ${part}`);
      }
      assert.deepEqual(await listDir(cache), []);
    }
  }, true);
});

Deno.test("loader: 4 processes loading at once with an empty cache all succeed", async (t) => {
  await setup(t, async ({ cache, server, digest, entry, run }) => {
    const results = await Promise.all([
      run(),
      run(),
      run({ module: entry("sync.ts"), sync: true }),
      run({ module: entry("sync.ts"), sync: true }),
    ]);
    for (const r of results) assertOk(r);
    assert.ok(server.downloads.length >= 1 && server.downloads.length <= 4);
    // One complete file, no temporary file left behind.
    assert.deepEqual(await listDir(cache), [FILE]);
    assert.equal(await cachedDigest(cache), digest);
  });
});

Deno.test("loader: no binary and no network gives an actionable error", async (t) => {
  await setup(t, async ({ cache, entry, run }) => {
    const url = `http://127.0.0.1:${closedPort()}/release`;
    const cases: Partial<ProbeOptions>[] = [
      { downloadUrl: url, allowNet: url.slice(7, url.lastIndexOf("/")) }, // nothing listens
      { downloadUrl: url, allowNet: undefined }, // no --allow-net
      { downloadUrl: url, allowNet: undefined, module: entry("sync.ts"), sync: true },
    ];
    for (const c of cases) {
      const r = await run(c);
      assert.ok(!r.ok);
      assert.equal(r.name, "ConfigurationError");
      for (const hint of ["GLIDE_DENO_LIB", "deno task build", "--allow-net=", `${url}/${FILE}`]) {
        assert.ok(r.message.includes(hint), `${r.message} should mention ${hint}`);
      }
    }
    assert.deepEqual(await listDir(cache), []);
  });
});

Deno.test("loader: the package served over http: loads and runs a command", async (t) => {
  await setup(t, async ({ cache, server, run }) => {
    for (const [name, sync] of [["mod.ts", false], ["sync.ts", true]] as const) {
      const module = `http://${server.host}${server.pkgPath}${name}`;
      assertOk(await run({ module, sync, allowImport: server.host }));
    }
    assert.deepEqual(server.downloads, [`/release/${FILE}`]);
    assert.deepEqual(await listDir(cache), [FILE]);
  });
});

Deno.test("loader: a first load works with cargo absent from PATH", async (t) => {
  const path = dirname(Deno.execPath());
  for (const cargo of ["cargo", "cargo.exe"]) {
    await assert.rejects(Deno.stat(join(path, cargo)), Deno.errors.NotFound);
  }
  await setup(t, async ({ cache, server, entry, run }) => {
    assertOk(await run({ path }));
    assertOk(await run({ path, module: entry("sync.ts"), sync: true }));
    assert.deepEqual(server.downloads, [`/release/${FILE}`]);
    assert.deepEqual(await listDir(cache), [FILE]);
  });
});
