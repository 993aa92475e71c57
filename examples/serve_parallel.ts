/**
 * An HTTP backend for `deno serve --parallel`: every isolate (one per core, or `DENO_JOBS`) makes
 * its own async client when it loads this module, and each request counts a hit.
 *
 * ```sh
 * DENO_JOBS=4 deno serve --parallel --port 8000 -A examples/serve_parallel.ts
 * curl http://127.0.0.1:8000/   # hits: 1
 * ```
 *
 * `VALKEY_HOST` / `VALKEY_PORT` name the server (default 127.0.0.1:6379); `VALKEY_TLS_CA`, a PEM
 * file, turns on TLS with that certificate authority. With N isolates this makes N connections
 * (one per client), whatever the number of requests in flight.
 * @module
 */

import { GlideClient, type GlideClientConfiguration } from "../mod.ts";

function config(): GlideClientConfiguration {
  const host = Deno.env.get("VALKEY_HOST") ?? "127.0.0.1";
  const port = Number(Deno.env.get("VALKEY_PORT") ?? 6379);
  const ca = Deno.env.get("VALKEY_TLS_CA");
  return {
    addresses: [{ host, port }],
    requestTimeout: 2000,
    ...(ca && {
      useTLS: true,
      advancedConfiguration: {
        tlsAdvancedConfiguration: { rootCertificates: Deno.readTextFileSync(ca) },
      },
    }),
  };
}

// One client per isolate, made at module load: top-level await finishes before the isolate
// serves its first request.
const client = await GlideClient.createClient(config());

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const hits = await client.incr("hits");
    await client.set("last-path", path);
    return new Response(`hits: ${hits}\n`);
  },
} satisfies Deno.ServeDefaultExport;
