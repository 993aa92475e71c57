/**
 * Administration commands of the cluster client beyond GLIDE's set (CLUSTER INFO/NODES/SHARDS/SLOTS..., ACL, COMMAND, SLOWLOG, ROLE, KEYS, CLIENT LIST/INFO/KILL), PUBLISH (sharded too) and PUBSUB SHARD*.
 * @module
 */

import type { Mode } from "../mode.ts";
import { ClusterScriptingCommands } from "./cluster_scripting.ts";

/**
 * The administration commands of the cluster client, async and sync, with routes where GLIDE has them.
 *
 * @example
 * ```ts
 * import type { ClusterAdminCommands } from "@glide-deno/glide";
 * type Methods = ClusterAdminCommands<"async">;
 * ```
 */
export abstract class ClusterAdminCommands<M extends Mode> extends ClusterScriptingCommands<M> {
}
