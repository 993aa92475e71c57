/**
 * Geospatial commands (GEOADD, GEOSEARCH ...) of every client.
 * @module
 */

import * as geo from "../commands/geo.ts";
import type {
  GeoAddOptions,
  GeoSearchResultOptions,
  GeoSearchShape,
  GeoSearchStoreResultOptions,
  GeospatialData,
  GeoUnit,
  SearchOrigin,
} from "../options/geo.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The geospatial commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { GeoCommands } from "@glide-deno/glide";
 * type Methods = GeoCommands<"async">;
 * ```
 */
export abstract class GeoCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Adds or updates members with their positions in the geospatial index (a sorted set) at
   * `key` (GEOADD).
   *
   * @param key - The key of the sorted set.
   * @param membersToGeospatialData - Member → `{ longitude, latitude }` (at least one).
   * @param options - {@link GeoAddOptions}: `updateMode` (NX / XX) and `changed` (CH).
   * @returns How many members were added (with `changed`: added or moved).
   * @example
   * ```ts
   * const places = new Map([
   *   ["Palermo", { longitude: 13.361389, latitude: 38.115556 }],
   *   ["Catania", { longitude: 15.087269, latitude: 37.502669 }],
   * ]);
   * console.log(await client.geoadd("Sicily", places)); // 2
   * ```
   */
  geoadd(
    key: GlideString,
    membersToGeospatialData: Map<GlideString, GeospatialData>,
    options?: GeoAddOptions,
  ): Reply<M, number> {
    return this.run(() => geo.geoadd(key, membersToGeospatialData, options));
  }

  /**
   * Returns the positions of members of the geospatial index at `key` (GEOPOS).
   *
   * @param key - The key of the sorted set.
   * @param members - The members (at least one).
   * @returns `[longitude, latitude]` per member, or `null` for a missing member or key.
   * @example
   * ```ts
   * console.log(await client.geopos("Sicily", ["Palermo", "Nowhere"]));
   * // [[13.361389338970184, 38.1155563954963], null]
   * ```
   */
  geopos(key: GlideString, members: GlideString[]): Reply<M, ([number, number] | null)[]> {
    return this.run(() => geo.geopos(key, members));
  }

  /**
   * Returns the distance between two members of the geospatial index at `key` (GEODIST).
   *
   * @param key - The key of the sorted set.
   * @param member1 - The first member.
   * @param member2 - The second member.
   * @param options - `unit`: the distance's {@link GeoUnit} (meters by default).
   * @returns The distance, or `null` when a member or the key is missing.
   * @example
   * ```ts
   * console.log(await client.geodist("Sicily", "Palermo", "Catania", { unit: GeoUnit.KILOMETERS }));
   * // 166.2742
   * ```
   */
  geodist(
    key: GlideString,
    member1: GlideString,
    member2: GlideString,
    options?: { unit?: GeoUnit },
  ): Reply<M, number | null> {
    return this.run(() => geo.geodist(key, member1, member2, options?.unit));
  }

  /**
   * Returns the geohash strings of members of the geospatial index at `key` (GEOHASH).
   *
   * @param key - The key of the sorted set.
   * @param members - The members (at least one).
   * @returns An 11-character geohash per member, or `null` for a missing member.
   * @example
   * ```ts
   * console.log(await client.geohash("Sicily", ["Palermo", "Nowhere"])); // ["sqc8b49rny0", null]
   * ```
   */
  geohash(key: GlideString, members: GlideString[]): Reply<M, (string | null)[]> {
    return this.run(() => geo.geohash(key, members));
  }

  /**
   * Searches the geospatial index at `key` for members within a circle or a box around a
   * member or a position (GEOSEARCH).
   *
   * @param key - The key of the sorted set.
   * @param searchFrom - The center: `{ member }` or `{ position: { longitude, latitude } }`.
   * @param searchBy - The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options - {@link GeoSearchResultOptions} (`withDist`, `withHash`, `withCoord`,
   *   `sortOrder`, `count`, `isAny`) and `decoder` for the member names.
   * @returns The member names; with any of `withDist` / `withHash` / `withCoord`,
   *   `[member, [distance?, hash?, [longitude, latitude]?]]` per member (only the requested
   *   items, in that order).
   * @example
   * ```ts
   * console.log(await client.geosearch("Sicily", { member: "Palermo" }, { radius: 200, unit: GeoUnit.KILOMETERS }));
   * // ["Palermo", "Catania"]
   * const near = await client.geosearch(
   *   "Sicily",
   *   { position: { longitude: 15, latitude: 37 } },
   *   { width: 400, height: 400, unit: GeoUnit.KILOMETERS },
   *   { sortOrder: SortOrder.ASC, count: 1, withDist: true },
   * );
   * // [["Catania", [56.4413]]]
   * ```
   */
  geosearch(
    key: GlideString,
    searchFrom: SearchOrigin,
    searchBy: GeoSearchShape,
    options?: GeoSearchResultOptions & DecoderOption,
  ): Reply<M, GlideString[] | [GlideString, [number?, number?, [number, number]?]?][]> {
    return this.run(() => geo.geosearch(key, searchFrom, searchBy, options), options);
  }

  /**
   * Like {@link geosearch}, storing the matching members in the sorted set `destination`
   * (GEOSEARCHSTORE), with geohashes or (`storeDist`) distances as scores.
   *
   * @param destination - The key to store the result at (overwritten).
   * @param source - The key of the geospatial index to search. On the cluster both keys share a
   *   slot.
   * @param searchFrom - The center: `{ member }` or `{ position: { longitude, latitude } }`.
   * @param searchBy - The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options - {@link GeoSearchStoreResultOptions}: `storeDist`, `sortOrder`, `count`,
   *   `isAny`.
   * @returns How many members were stored.
   * @example
   * ```ts
   * await client.geosearchstore("near", "Sicily", { member: "Palermo" }, { radius: 200, unit: GeoUnit.KILOMETERS });
   * ```
   */
  geosearchstore(
    destination: GlideString,
    source: GlideString,
    searchFrom: SearchOrigin,
    searchBy: GeoSearchShape,
    options?: GeoSearchStoreResultOptions,
  ): Reply<M, number> {
    return this.run(() => geo.geosearchstore(destination, source, searchFrom, searchBy, options));
  }
}
