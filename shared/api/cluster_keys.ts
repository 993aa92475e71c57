/**
 * Key commands with a cluster-only shape (RANDOMKEY with a route, cluster-wide SCAN).
 * @module
 */

import {
  clusterScan,
  type ClusterScanCursor,
  type ClusterScanOptions,
} from "../commands/cluster_scan.ts";
import * as generic from "../commands/generic.ts";
import type { Mode, Reply } from "../mode.ts";
import { routed, type RouteOption } from "../routes.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The cluster-only key commands of the cluster client, async and sync, with routes where GLIDE has them.
 *
 * @example
 * ```ts
 * import type { ClusterKeyCommands } from "@glide-deno/glide";
 * type Methods = ClusterKeyCommands<"async">;
 * ```
 */
export abstract class ClusterKeyCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * One page of a scan of the whole cluster (SCAN on each shard in turn). Start with a new
   * {@link ClusterScanCursor}; keep passing the returned cursor until `isFinished()`. Slots
   * that move between calls are scanned again on their new owner, so a key present for the
   * whole scan is returned at least once (exactly once on a stable cluster).
   *
   * @param cursor - Where the scan stands.
   * @param options - `match`, `count`, `type`, and `decoder` for the keys.
   * @returns The next cursor and this page's keys.
   * @example
   * ```ts
   * let cursor = new ClusterScanCursor();
   * const keys = [];
   * while (!cursor.isFinished()) {
   *   const [next, page] = await cluster.scan(cursor, { match: "user:*", count: 100 });
   *   keys.push(...page);
   *   cursor = next;
   * }
   * ```
   */
  scan(
    cursor: ClusterScanCursor,
    options?: ClusterScanOptions & DecoderOption,
  ): Reply<M, [ClusterScanCursor, GlideString[]]> {
    return this.runSteps(clusterScan(cursor, options), options);
  }

  /**
   * A random key of the cluster (RANDOMKEY), from a random primary unless `route` says where.
   *
   * @param options - `route` (a single node gives a key of that node) and `decoder` for the key.
   * @returns A key, or `null` when the node asked holds no key.
   * @example
   * ```ts
   * console.log(await cluster.randomKey()); // "user:42"
   * console.log(await cluster.randomKey({ route: { type: "primarySlotKey", key: "user:1" } }));
   * ```
   */
  randomKey(options?: DecoderOption & RouteOption): Reply<M, GlideString | null> {
    return this.run(() => routed(generic.randomKey(), options?.route), options);
  }
}
