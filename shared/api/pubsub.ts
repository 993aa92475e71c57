/**
 * Pub/sub introspection commands of every client (PUBSUB CHANNELS, NUMPAT, NUMSUB).
 * @module
 */

import type { Mode } from "../mode.ts";
import { ScriptingCommands } from "./scripting.ts";

/**
 * The pub/sub commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { PubSubCommands } from "@glide-deno/glide";
 * type Methods = PubSubCommands<"async">;
 * ```
 */
export abstract class PubSubCommands<M extends Mode> extends ScriptingCommands<M> {
}
