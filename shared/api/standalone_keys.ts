/**
 * Key commands with a standalone-only shape (RANDOMKEY, SCAN with a numeric cursor, MOVE, COPY to a database ...).
 * @module
 */

import type { Mode } from "../mode.ts";
import { BaseCommands } from "../base_commands.ts";

/**
 * The standalone-only key commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneKeyCommands } from "@glide-deno/glide";
 * type Methods = StandaloneKeyCommands<"async">;
 * ```
 */
export abstract class StandaloneKeyCommands<M extends Mode> extends BaseCommands<M> {
}
