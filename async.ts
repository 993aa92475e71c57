/**
 * The Promise API of glide-deno: `GlideClient` for a standalone Valkey/Redis server. Commands
 * made in the same tick are sent to the Rust core in one call; replies come back in batches.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide/async";
 *
 * await using client = await GlideClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 * });
 * await client.set("greeting", "hello");
 * console.log(await client.get("greeting")); // "hello"
 * ```
 * @module
 */

import { AsyncConnection } from "./shared/async_core.ts";
import { ClusterClientCommands } from "./shared/cluster_client.ts";
import type { GlideClientConfiguration, GlideClusterClientConfiguration } from "./shared/config.ts";
import { StandaloneClientCommands } from "./shared/standalone_client.ts";

export * from "./shared/public.ts";
export { GlideMonitorClient, parseMonitorLine } from "./shared/monitor.ts";
export type { MonitorLine } from "./shared/monitor.ts";

/**
 * A client for a standalone Valkey/Redis server whose methods return Promises.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide/async";
 *
 * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * try {
 *   await client.incr("visits");
 * } finally {
 *   client.close();
 * }
 * ```
 */
export class GlideClient extends StandaloneClientCommands<"async"> implements AsyncDisposable {
  readonly #conn: AsyncConnection;

  /** Clients are made by `createClient` (node.ts's extend this one). @ignore */
  protected constructor(conn: AsyncConnection) {
    super(conn);
    this.#conn = conn;
  }

  /**
   * Creates a client and connects it (unless `lazyConnect`). Rejects with
   * `ConfigurationError` for a bad configuration (before any I/O), `ConnectionError` when the
   * server cannot be reached within the connection timeout.
   *
   * @param config - Addresses, credentials, timeouts... (see {@link GlideClientConfiguration}).
   * @returns The connected client.
   * @example
   * ```ts
   * const client = await GlideClient.createClient({
   *   addresses: [{ host: "127.0.0.1", port: 6379 }],
   *   requestTimeout: 500,
   * });
   * ```
   */
  static createClient(config: GlideClientConfiguration): Promise<GlideClient> {
    return AsyncConnection.open(config, false, (conn) => new GlideClient(conn));
  }

  /**
   * Closes the client. Requests in flight reject with `ClosingError`, and so does every later
   * call.
   *
   * @param errorMessage - The message of those `ClosingError`s.
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(errorMessage?: string): void {
    this.#conn.close(errorMessage);
  }

  /**
   * Closes the client at the end of an `await using` block.
   *
   * @example
   * ```ts
   * {
   *   await using client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
   *   await client.ping();
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * A client for a Valkey/Redis cluster whose methods return Promises. The core discovers the
 * topology from the seed addresses, routes each command to its slot's node, follows MOVED/ASK
 * redirects and reconnects; multi-key commands are split per slot.
 *
 * @example
 * ```ts
 * import { GlideClusterClient } from "@glide-deno/glide/async";
 *
 * await using client = await GlideClusterClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 7000 }],
 * });
 * await client.set("user:1", "ada");
 * console.log(await client.info({ route: "allPrimaries" }));
 * ```
 */
export class GlideClusterClient extends ClusterClientCommands<"async"> implements AsyncDisposable {
  readonly #conn: AsyncConnection;

  /** Clients are made by `createClient` (node.ts's extend this one). @ignore */
  protected constructor(conn: AsyncConnection) {
    super(conn);
    this.#conn = conn;
  }

  /**
   * Creates a cluster client and connects it. Rejects with `ConfigurationError` for a bad
   * configuration, `ConnectionError` when no seed can be reached.
   *
   * @param config - Seed addresses, readFrom, periodicChecks... (see
   *   {@link GlideClusterClientConfiguration}).
   * @returns The connected client.
   * @example
   * ```ts
   * const client = await GlideClusterClient.createClient({
   *   addresses: [{ host: "127.0.0.1", port: 7000 }],
   *   readFrom: "preferReplica",
   * });
   * ```
   */
  static createClient(config: GlideClusterClientConfiguration): Promise<GlideClusterClient> {
    return AsyncConnection.open(config, true, (conn) => new GlideClusterClient(conn));
  }

  /**
   * Closes the client. Requests in flight reject with `ClosingError`, and so does every later
   * call.
   *
   * @param errorMessage - The message of those `ClosingError`s.
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(errorMessage?: string): void {
    this.#conn.close(errorMessage);
  }

  /**
   * Closes the client at the end of an `await using` block.
   *
   * @example
   * ```ts
   * {
   *   await using client = await GlideClusterClient.createClient({
   *     addresses: [{ host: "127.0.0.1", port: 7000 }],
   *   });
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
