/**
 * Scripting and function commands shared by every client (FCALL, FCALL_RO, EVALSHA via Script objects, SCRIPT SHOW).
 * @module
 */

import type { Mode } from "../mode.ts";
import { GeoCommands } from "./geo.ts";

/**
 * The scripting and function commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { ScriptingCommands } from "@glide-deno/glide";
 * type Methods = ScriptingCommands<"async">;
 * ```
 */
export abstract class ScriptingCommands<M extends Mode> extends GeoCommands<M> {
}
