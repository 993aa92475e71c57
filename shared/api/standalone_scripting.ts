/**
 * Function and script management commands of the standalone client (FUNCTION *, SCRIPT EXISTS/FLUSH/KILL).
 * @module
 */

import type { Mode } from "../mode.ts";
import { StandaloneKeyCommands } from "./standalone_keys.ts";

/**
 * The function and script management commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneScriptingCommands } from "@glide-deno/glide";
 * type Methods = StandaloneScriptingCommands<"async">;
 * ```
 */
export abstract class StandaloneScriptingCommands<M extends Mode> extends StandaloneKeyCommands<M> {
}
