/**
 * `deno task demo`: builds the core if needed, starts a throwaway server on loopback, runs a short
 * example with the async and the sync client, and stops the server.
 */

import { GlideClient } from "../async.ts";
import { GlideClient as GlideSyncClient } from "../sync.ts";
import { ensureBuilt } from "./build.ts";
import { startStandalone } from "./servers.ts";
import { message } from "./util.ts";

/** Runs the example against `host:port`. */
export async function demo(host: string, port: number): Promise<void> {
  const addresses = [{ host, port }];

  console.log("async client:");
  const client = await GlideClient.createClient({ addresses });
  try {
    console.log(`  set("greeting", "hello") -> ${await client.set("greeting", "hello")}`);
    console.log(`  get("greeting") -> ${await client.get("greeting")}`);
    const started = performance.now();
    const keys = Array.from({ length: 1000 }, (_, i) => `demo:${i}`);
    await Promise.all(keys.map((k, i) => client.set(k, `${i}`)));
    const values = await Promise.all(keys.map((k) => client.get(k)));
    const ms = (performance.now() - started).toFixed(1);
    console.log(`  2000 concurrent set/get in ${ms} ms; get("demo:999") -> ${values[999]}`);
  } finally {
    client.close();
  }

  console.log("sync client:");
  const sync = GlideSyncClient.createClient({ addresses });
  try {
    console.log(`  set("greeting", "hi from sync") -> ${sync.set("greeting", "hi from sync")}`);
    console.log(`  get("greeting") -> ${sync.get("greeting")}`);
    console.log(`  get("missing") -> ${sync.get("missing")}`);
  } finally {
    sync.close();
  }
}

if (import.meta.main) {
  let code = 0;
  try {
    await ensureBuilt();
    const server = await startStandalone();
    console.log(`server: ${server.address}`);
    try {
      await demo(server.host, server.port);
    } finally {
      await server.stop();
    }
  } catch (e) {
    console.error(`demo: ${message(e)}`);
    code = 1;
  }
  Deno.exit(code);
}
