/**
 * The blocking API of glide-deno: `GlideClient` with the same methods as the async client, but
 * each call runs on the calling thread and returns its value directly. It blocks the event
 * loop while it waits for the server, as a sync API does: use it in scripts, CLIs and workers.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide/sync";
 *
 * using client = GlideClient.createClient({ addresses: [{ host: "127.0.0.1", port: 6379 }] });
 * client.set("greeting", "hello");
 * console.log(client.get("greeting")); // "hello"
 * ```
 * @module
 */

import { ClusterClientCommands } from "./shared/cluster_client.ts";
import type { GlideClientConfiguration, GlideClusterClientConfiguration } from "./shared/config.ts";
import { StandaloneClientCommands } from "./shared/standalone_client.ts";
import { SyncConnection } from "./shared/sync_core.ts";

export * from "./shared/public.ts";

/**
 * A client for a standalone Valkey/Redis server whose methods block and return values.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide/sync";
 *
 * const client = GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * try {
 *   client.incr("visits");
 * } finally {
 *   client.close();
 * }
 * ```
 */
export class GlideClient extends StandaloneClientCommands<"sync"> implements Disposable {
  readonly #conn: SyncConnection;

  private constructor(conn: SyncConnection) {
    super(conn);
    this.#conn = conn;
  }

  /**
   * Creates a client and connects it on the calling thread (unless `lazyConnect`). Throws
   * `ConfigurationError` for a bad configuration (before any I/O), `ConnectionError` when the
   * server cannot be reached within the connection timeout.
   *
   * @param config - Addresses, credentials, timeouts... (see {@link GlideClientConfiguration}).
   * @returns The connected client.
   * @example
   * ```ts
   * const client = GlideClient.createClient({ addresses: [{ host: "127.0.0.1", port: 6379 }] });
   * ```
   */
  static createClient(config: GlideClientConfiguration): GlideClient {
    return SyncConnection.open(config, false, (conn) => new GlideClient(conn));
  }

  /**
   * Closes the client; later calls throw `ClosingError`.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void {
    this.#conn.close();
  }

  /**
   * Closes the client at the end of a `using` block.
   *
   * @example
   * ```ts
   * {
   *   using client = GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
   *   client.ping();
   * } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * A client for a Valkey/Redis cluster whose methods block and return values.
 *
 * @example
 * ```ts
 * import { GlideClusterClient } from "@glide-deno/glide/sync";
 *
 * using client = GlideClusterClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 7000 }],
 * });
 * client.set("user:1", "ada");
 * ```
 */
export class GlideClusterClient extends ClusterClientCommands<"sync"> implements Disposable {
  readonly #conn: SyncConnection;

  private constructor(conn: SyncConnection) {
    super(conn);
    this.#conn = conn;
  }

  /**
   * Creates a cluster client and connects it on the calling thread.
   *
   * @param config - Seed addresses and options (see {@link GlideClusterClientConfiguration}).
   * @returns The connected client.
   * @example
   * ```ts
   * const client = GlideClusterClient.createClient({
   *   addresses: [{ host: "127.0.0.1", port: 7000 }],
   * });
   * ```
   */
  static createClient(config: GlideClusterClientConfiguration): GlideClusterClient {
    return SyncConnection.open(config, true, (conn) => new GlideClusterClient(conn));
  }

  /**
   * Closes the client; later calls throw `ClosingError`.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void {
    this.#conn.close();
  }

  /**
   * Closes the client at the end of a `using` block.
   *
   * @example
   * ```ts
   * {
   *   using client = GlideClusterClient.createClient({
   *     addresses: [{ host: "127.0.0.1", port: 7000 }],
   *   });
   * } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}
