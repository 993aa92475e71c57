/**
 * glide-deno: a Valkey/Redis client for Deno over a Rust core, with GLIDE's API.
 *
 * `GlideClient` here is the Promise client (also at `@glide-deno/glide/async`);
 * `GlideSyncClient` is the blocking one (also `GlideClient` at `@glide-deno/glide/sync`).
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide";
 *
 * await using client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * await client.set("k", "v");
 * ```
 * @module
 */

export * from "./async.ts";
export {
  GlideClient as GlideSyncClient,
  GlideClusterClient as GlideSyncClusterClient,
} from "./sync.ts";
