/**
 * Geospatial commands (GEOADD, GEOSEARCH ...) of every client.
 * @module
 */

import type { Mode } from "../mode.ts";
import { StreamCommands } from "./streams.ts";

/**
 * The geospatial commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { GeoCommands } from "@glide-deno/glide";
 * type Methods = GeoCommands<"async">;
 * ```
 */
export abstract class GeoCommands<M extends Mode> extends StreamCommands<M> {
}
