/**
 * Function and script management commands of the cluster client (FUNCTION *, SCRIPT *, FCALL with a route).
 * @module
 */

import type { Mode } from "../mode.ts";
import { ClusterKeyCommands } from "./cluster_keys.ts";

/**
 * The function and script management commands of the cluster client, async and sync, with routes where GLIDE has them.
 *
 * @example
 * ```ts
 * import type { ClusterScriptingCommands } from "@glide-deno/glide";
 * type Methods = ClusterScriptingCommands<"async">;
 * ```
 */
export abstract class ClusterScriptingCommands<M extends Mode> extends ClusterKeyCommands<M> {
}
