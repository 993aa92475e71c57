/**
 * Administration commands of the standalone client beyond GLIDE's set (ACL, COMMAND, SLOWLOG, ROLE, KEYS, CLIENT LIST/INFO/KILL) and PUBLISH.
 * @module
 */

import type { Mode } from "../mode.ts";
import { StandaloneScriptingCommands } from "./standalone_scripting.ts";

/**
 * The administration commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneAdminCommands } from "@glide-deno/glide";
 * type Methods = StandaloneAdminCommands<"async">;
 * ```
 */
export abstract class StandaloneAdminCommands<M extends Mode>
  extends StandaloneScriptingCommands<M> {
}
