/**
 * Public option and reply types of the geospatial commands.
 * @module
 */

import type { GlideString } from "../values.ts";
import type { ConditionalChange } from "./sorted_sets.ts";
import type { SortOrder } from "./generic.ts";

/**
 * A position: longitude (-180..180) and latitude (-85.05112878..85.05112878), in degrees.
 *
 * @example
 * ```ts
 * import type { GeospatialData } from "@glide-deno/glide";
 * const palermo: GeospatialData = { longitude: 13.361389, latitude: 38.115556 };
 * ```
 */
export interface GeospatialData {
  /** The longitude, in degrees. */
  longitude: number;
  /** The latitude, in degrees. */
  latitude: number;
}

/**
 * Options of `geoadd`: update only existing or only new members, and count changed members.
 *
 * @example
 * ```ts
 * import { ConditionalChange, type GeoAddOptions } from "@glide-deno/glide";
 * const o: GeoAddOptions = { updateMode: ConditionalChange.ONLY_IF_EXISTS, changed: true };
 * ```
 */
export interface GeoAddOptions {
  /** XX: only update existing members; NX: only add new ones. */
  updateMode?: ConditionalChange;
  /** CH: return the number of members added or moved instead of added. */
  changed?: boolean;
}

/**
 * Distance units.
 *
 * @example
 * ```ts
 * import { GeoUnit } from "@glide-deno/glide";
 * // await client.geodist("places", "a", "b", { unit: GeoUnit.KILOMETERS });
 * const u = GeoUnit.MILES;
 * ```
 */
export enum GeoUnit {
  /** Meters. */
  METERS = "m",
  /** Kilometers. */
  KILOMETERS = "km",
  /** Miles. */
  MILES = "mi",
  /** Feet. */
  FEET = "ft",
}

/**
 * Result options common to `geosearch` and `geosearchstore`: order and count.
 *
 * @example
 * ```ts
 * import { type GeoSearchCommonResultOptions, SortOrder } from "@glide-deno/glide";
 * const o: GeoSearchCommonResultOptions = { sortOrder: SortOrder.ASC, count: 3, isAny: true };
 * ```
 */
export interface GeoSearchCommonResultOptions {
  /** ASC / DESC by distance from the center. */
  sortOrder?: SortOrder;
  /** COUNT: at most this many results. */
  count?: number;
  /** ANY (with `count`): return as soon as `count` matches are found, not the nearest ones. */
  isAny?: boolean;
}

/**
 * Result options of `geosearch`: what each result includes, plus order and count.
 *
 * @example
 * ```ts
 * import type { GeoSearchResultOptions } from "@glide-deno/glide";
 * const o: GeoSearchResultOptions = { withDist: true, withCoord: true, count: 5 };
 * ```
 */
export type GeoSearchResultOptions = GeoSearchCommonResultOptions & {
  /** WITHCOORD: include each result's `[longitude, latitude]`. */
  withCoord?: boolean;
  /** WITHDIST: include each result's distance from the center, in the shape's unit. */
  withDist?: boolean;
  /** WITHHASH: include each result's geohash as an integer. */
  withHash?: boolean;
};

/**
 * Result options of `geosearchstore`: whether distances are stored as scores, plus order and
 * count.
 *
 * @example
 * ```ts
 * import type { GeoSearchStoreResultOptions } from "@glide-deno/glide";
 * const o: GeoSearchStoreResultOptions = { storeDist: true, count: 10 };
 * ```
 */
export type GeoSearchStoreResultOptions = GeoSearchCommonResultOptions & {
  /** STOREDIST: store distances from the center as scores, not geohashes. */
  storeDist?: boolean;
};

/**
 * A circle to search in: a radius in a unit.
 *
 * @example
 * ```ts
 * import { type GeoCircleShape, GeoUnit } from "@glide-deno/glide";
 * const s: GeoCircleShape = { radius: 200, unit: GeoUnit.KILOMETERS };
 * ```
 */
export interface GeoCircleShape {
  /** The radius. */
  radius: number;
  /** The radius's unit. */
  unit: GeoUnit;
}

/**
 * An axis-aligned rectangle to search in, centered on the search origin.
 *
 * @example
 * ```ts
 * import { type GeoBoxShape, GeoUnit } from "@glide-deno/glide";
 * const s: GeoBoxShape = { width: 400, height: 300, unit: GeoUnit.MILES };
 * ```
 */
export interface GeoBoxShape {
  /** The width (east-west). */
  width: number;
  /** The height (north-south). */
  height: number;
  /** The unit of width and height. */
  unit: GeoUnit;
}

/**
 * The area a geo search covers: a circle (BYRADIUS) or a box (BYBOX).
 *
 * @example
 * ```ts
 * import { type GeoSearchShape, GeoUnit } from "@glide-deno/glide";
 * const s: GeoSearchShape = { radius: 10, unit: GeoUnit.METERS };
 * ```
 */
export type GeoSearchShape = GeoCircleShape | GeoBoxShape;

/**
 * A search centered on a position (FROMLONLAT).
 *
 * @example
 * ```ts
 * import type { CoordOrigin } from "@glide-deno/glide";
 * const o: CoordOrigin = { position: { longitude: 15, latitude: 37 } };
 * ```
 */
export interface CoordOrigin {
  /** The center of the search. */
  position: GeospatialData;
}

/**
 * A search centered on an existing member (FROMMEMBER).
 *
 * @example
 * ```ts
 * import type { MemberOrigin } from "@glide-deno/glide";
 * const o: MemberOrigin = { member: "Palermo" };
 * ```
 */
export interface MemberOrigin {
  /** The member whose position is the center of the search. */
  member: GlideString;
}

/**
 * Where a geo search is centered: a position or a member.
 *
 * @example
 * ```ts
 * import type { SearchOrigin } from "@glide-deno/glide";
 * const o: SearchOrigin = { member: "Palermo" };
 * ```
 */
export type SearchOrigin = CoordOrigin | MemberOrigin;
