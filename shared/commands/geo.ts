/**
 * Geospatial commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE. Distances
 * and coordinates come back as numbers in RESP2 and RESP3 alike.
 * @module
 */

import { type Command, command, finite, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toArray, toNullableNumber, toNumber } from "../shape.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";
import {
  type GeoAddOptions,
  type GeoSearchResultOptions,
  type GeoSearchShape,
  type GeoSearchStoreResultOptions,
  type GeospatialData,
  GeoUnit,
  type SearchOrigin,
} from "../options/geo.ts";
import { SortOrder } from "../options/generic.ts";

const UNITS = new Set<string>(Object.values(GeoUnit));
const ORDERS = new Set<string>(Object.values(SortOrder));

/** A geo search result with WITHDIST / WITHHASH / WITHCOORD. */
type GeoSearchItem = [GlideString, [number?, number?, [number, number]?]?];

function unit(u: GeoUnit): string {
  if (!UNITS.has(u)) throw new ConfigurationError(`unknown GeoUnit: ${String(u)}`);
  return u;
}

/** `[longitude, latitude]` as RESP2 strings or RESP3 doubles → numbers. */
function toPosition(r: GlideReturnType): [number, number] {
  const [lon, lat] = r as GlideReturnType[];
  return [toNumber(lon), toNumber(lat)];
}

/** GEOADD key [NX|XX] [CH] longitude latitude member .... @internal */
export function geoadd(
  key: GlideString,
  membersToGeospatialData: Map<GlideString, GeospatialData>,
  options?: GeoAddOptions,
): Command<number> {
  const args: GlideString[] = ["GEOADD", key];
  if (options?.updateMode !== undefined) {
    if (options.updateMode !== "XX" && options.updateMode !== "NX") {
      throw new ConfigurationError(`unknown updateMode: ${String(options.updateMode)}`);
    }
    args.push(options.updateMode);
  }
  if (options?.changed) args.push("CH");
  // An empty Map is sent as it is (GLIDE does): the server refuses it.
  if (!(membersToGeospatialData instanceof Map)) {
    throw new ConfigurationError("membersToGeospatialData must be a Map");
  }
  for (const [member, position] of membersToGeospatialData) {
    args.push(
      finite("longitude", position?.longitude),
      finite("latitude", position?.latitude),
      member,
    );
  }
  return command(args);
}

/** GEOPOS key member .... @internal */
export function geopos(
  key: GlideString,
  members: GlideString[],
): Command<([number, number] | null)[]> {
  return shaped(
    ["GEOPOS", key, ...mayBeEmpty("members", members)],
    (r) => toArray(r).map((p) => (p === null ? null : toPosition(p))),
  );
}

/** GEODIST key member1 member2 [unit]. @internal */
export function geodist(
  key: GlideString,
  member1: GlideString,
  member2: GlideString,
  geoUnit?: GeoUnit,
): Command<number | null> {
  const args: GlideString[] = ["GEODIST", key, member1, member2];
  if (geoUnit !== undefined) args.push(unit(geoUnit));
  return shaped(args, toNullableNumber);
}

/** GEOHASH key member ... → geohash strings (always text). @internal */
export function geohash(key: GlideString, members: GlideString[]): Command<(string | null)[]> {
  return {
    args: ["GEOHASH", key, ...mayBeEmpty("members", members)],
    decoder: Decoder.String,
    shape: (r) => toArray<string | null>(r),
  };
}

/** FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [WITH...] [STOREDIST] [COUNT n [ANY]] [ASC|DESC]. */
function searchArgs(
  searchFrom: SearchOrigin,
  searchBy: GeoSearchShape,
  options: (GeoSearchResultOptions & GeoSearchStoreResultOptions) | undefined,
): GlideString[] {
  const args: GlideString[] = [];
  if (typeof searchFrom !== "object" || searchFrom === null) {
    throw new ConfigurationError("searchFrom must be { member } or { position }");
  }
  if ("position" in searchFrom) {
    args.push(
      "FROMLONLAT",
      finite("longitude", searchFrom.position?.longitude),
      finite("latitude", searchFrom.position?.latitude),
    );
  } else if ("member" in searchFrom) {
    args.push("FROMMEMBER", searchFrom.member);
  } else {
    throw new ConfigurationError("searchFrom must be { member } or { position }");
  }
  if (typeof searchBy !== "object" || searchBy === null) {
    throw new ConfigurationError("searchBy must be { radius, unit } or { width, height, unit }");
  }
  if ("radius" in searchBy) {
    args.push("BYRADIUS", finite("radius", searchBy.radius), unit(searchBy.unit));
  } else if ("width" in searchBy) {
    args.push(
      "BYBOX",
      finite("width", searchBy.width),
      finite("height", searchBy.height),
      unit(searchBy.unit),
    );
  } else {
    throw new ConfigurationError("searchBy must be { radius, unit } or { width, height, unit }");
  }
  if (options?.withCoord) args.push("WITHCOORD");
  if (options?.withDist) args.push("WITHDIST");
  if (options?.withHash) args.push("WITHHASH");
  if (options?.storeDist) args.push("STOREDIST");
  if (options?.count !== undefined) {
    args.push("COUNT", int("count", options.count));
    if (options.isAny) args.push("ANY");
  } else if (options?.isAny) {
    throw new ConfigurationError("isAny needs count");
  }
  if (options?.sortOrder !== undefined) {
    if (!ORDERS.has(options.sortOrder)) {
      throw new ConfigurationError(`unknown sortOrder: ${String(options.sortOrder)}`);
    }
    args.push(options.sortOrder);
  }
  return args;
}

/**
 * GEOSEARCH key from shape [options]: member names, or with WITHDIST / WITHHASH / WITHCOORD
 * `[member, [distance?, hash?, [longitude, latitude]?]]` per result. @internal
 */
export function geosearch(
  key: GlideString,
  searchFrom: SearchOrigin,
  searchBy: GeoSearchShape,
  options?: GeoSearchResultOptions,
): Command<GlideString[] | GeoSearchItem[]> {
  const args: GlideString[] = ["GEOSEARCH", key, ...searchArgs(searchFrom, searchBy, options)];
  const withDist = !!options?.withDist;
  const withHash = !!options?.withHash;
  const withCoord = !!options?.withCoord;
  if (!withDist && !withHash && !withCoord) return shaped(args, (r) => toArray<GlideString>(r));
  return shaped(args, (r) =>
    toArray<GlideReturnType[]>(r).map((item): GeoSearchItem => {
      const extra: [number?, number?, [number, number]?] = [];
      let i = 1;
      if (withDist) extra.push(toNumber(item[i++]));
      if (withHash) extra.push(toNumber(item[i++]));
      if (withCoord) extra.push(toPosition(item[i++]));
      return [item[0] as GlideString, extra];
    }));
}

/** GEOSEARCHSTORE destination source from shape [options]. @internal */
export function geosearchstore(
  destination: GlideString,
  source: GlideString,
  searchFrom: SearchOrigin,
  searchBy: GeoSearchShape,
  options?: GeoSearchStoreResultOptions,
): Command<number> {
  return command([
    "GEOSEARCHSTORE",
    destination,
    source,
    ...searchArgs(searchFrom, searchBy, options),
  ]);
}
