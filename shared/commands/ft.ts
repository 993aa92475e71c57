/**
 * Search module commands (valkey-search): FT.CREATE, FT.DROPINDEX, FT._LIST, FT.SEARCH,
 * FT.AGGREGATE, FT.INFO, FT.EXPLAIN, FT.EXPLAINCLI, FT.PROFILE and the FT.ALIAS* family. The
 * module answers with flat arrays in RESP2 and RESP3 alike; the shapers below turn them into
 * GLIDE's reply shapes, and take RESP3 maps too (a server that sends them).
 * @module
 */

import { type Command, finite, int, mayBeEmpty } from "../command.ts";
import { ConfigurationError, RequestError } from "../errors.ts";
import { SortOrder } from "../options/generic.ts";
import { isEntry, toArray, toNumber } from "../shape.ts";
import { Decoder, type GlideRecord, type GlideReturnType, type GlideString } from "../values.ts";
import type {
  Field,
  FtAggregateOptions,
  FtAggregateReturnType,
  FtCreateOptions,
  FtInfoOptions,
  FtInfoReturnType,
  FtSearchOptions,
  FtSearchReturnType,
  VectorField,
} from "../server_modules/ft_options.ts";

const text = new TextDecoder();
const ORDERS = new Set<string>(Object.values(SortOrder));

// ---------------------------------------------------------------------------------------------
// Arguments

/** Refuses a value outside `allowed` (the option's union type). */
function oneOf<T extends string>(name: string, v: T, allowed: readonly T[]): T {
  if (!allowed.includes(v)) {
    throw new ConfigurationError(`${name} must be one of ${allowed.join(", ")}, got ${String(v)}`);
  }
  return v;
}

/** Refuses two options that exclude each other. */
function exclusive(a: string, hasA: unknown, b: string, hasB: unknown): void {
  if (hasA && hasB) throw new ConfigurationError(`${a} and ${b} are mutually exclusive`);
}

/** `PARAMS 2n name value ...`. */
function params(list: GlideRecord<GlideString>): GlideString[] {
  const out: GlideString[] = ["PARAMS", String(2 * mayBeEmpty("params", list).length)];
  for (const p of list) out.push(p?.key, p?.value);
  return out;
}

/** A vector field's `HNSW|FLAT n attr value ...`. */
function vectorArgs(f: VectorField): GlideString[] {
  const a = f.attributes;
  if (typeof a !== "object" || a === null) {
    throw new ConfigurationError("a VECTOR field needs its attributes");
  }
  const attrs: GlideString[] = [];
  if (a.dimensions) attrs.push("DIM", int("dimensions", a.dimensions));
  if (a.distanceMetric) {
    attrs.push(
      "DISTANCE_METRIC",
      oneOf("distanceMetric", a.distanceMetric, ["L2", "IP", "COSINE"]),
    );
  }
  attrs.push("TYPE", a.type ? oneOf("type", a.type, ["FLOAT32"]) : "FLOAT32");
  if (a.initialCap) attrs.push("INITIAL_CAP", int("initialCap", a.initialCap));
  if ("numberOfEdges" in a && a.numberOfEdges) {
    attrs.push("M", int("numberOfEdges", a.numberOfEdges));
  }
  if ("vectorsExaminedOnConstruction" in a && a.vectorsExaminedOnConstruction) {
    attrs.push(
      "EF_CONSTRUCTION",
      int("vectorsExaminedOnConstruction", a.vectorsExaminedOnConstruction),
    );
  }
  if ("vectorsExaminedOnRuntime" in a && a.vectorsExaminedOnRuntime) {
    attrs.push("EF_RUNTIME", int("vectorsExaminedOnRuntime", a.vectorsExaminedOnRuntime));
  }
  return [oneOf("algorithm", a.algorithm, ["HNSW", "FLAT"]), String(attrs.length), ...attrs];
}

/** One schema field: `name [AS alias] TYPE attributes...`. */
function fieldArgs(f: Field): GlideString[] {
  if (typeof f !== "object" || f === null) {
    throw new ConfigurationError("each schema field must be an object");
  }
  const out: GlideString[] = [f.name];
  if (f.alias) out.push("AS", f.alias);
  switch (f.type) {
    case "TEXT":
      exclusive("withsuffixtrie", f.withsuffixtrie, "nosuffixtrie", f.nosuffixtrie);
      out.push("TEXT");
      if (f.nostem) out.push("NOSTEM");
      if (f.weight !== undefined) out.push("WEIGHT", finite("weight", f.weight));
      if (f.withsuffixtrie) out.push("WITHSUFFIXTRIE");
      else if (f.nosuffixtrie) out.push("NOSUFFIXTRIE");
      if (f.sortable) out.push("SORTABLE");
      break;
    case "TAG":
      out.push("TAG");
      if (f.separator) out.push("SEPARATOR", f.separator);
      if (f.caseSensitive) out.push("CASESENSITIVE");
      if (f.sortable) out.push("SORTABLE");
      break;
    case "NUMERIC":
      out.push("NUMERIC");
      if (f.sortable) out.push("SORTABLE");
      break;
    case "VECTOR":
      out.push("VECTOR", ...vectorArgs(f));
      break;
    default:
      throw new ConfigurationError(
        `unknown field type: ${String((f as { type?: unknown }).type)}`,
      );
  }
  return out;
}

/** FT.CREATE's index options, in GLIDE's order. */
function createOptionArgs(o: FtCreateOptions): GlideString[] {
  const out: GlideString[] = [];
  if (o.dataType !== undefined) out.push("ON", oneOf("dataType", o.dataType, ["HASH", "JSON"]));
  if (o.prefixes) {
    out.push("PREFIX", String(mayBeEmpty("prefixes", o.prefixes).length), ...o.prefixes);
  }
  if (o.score !== undefined) out.push("SCORE", finite("score", o.score));
  if (o.language) out.push("LANGUAGE", o.language);
  if (o.skipInitialScan) out.push("SKIPINITIALSCAN");
  if (o.minStemSize !== undefined) out.push("MINSTEMSIZE", int("minStemSize", o.minStemSize));
  exclusive("withOffsets", o.withOffsets, "noOffsets", o.noOffsets);
  exclusive("noStopWords", o.noStopWords, "stopWords", o.stopWords);
  if (o.withOffsets) out.push("WITHOFFSETS");
  else if (o.noOffsets) out.push("NOOFFSETS");
  if (o.noStopWords) out.push("NOSTOPWORDS");
  else if (o.stopWords) {
    out.push("STOPWORDS", String(mayBeEmpty("stopWords", o.stopWords).length), ...o.stopWords);
  }
  if (o.punctuation) out.push("PUNCTUATION", o.punctuation);
  return out;
}

/** FT.SEARCH's options (also FT.PROFILE ... SEARCH's), in GLIDE's order. */
function searchOptionArgs(o: FtSearchOptions | undefined): GlideString[] {
  if (!o) return [];
  if (!o.sortby && o.sortbyOrder) throw new ConfigurationError("sortbyOrder requires sortby");
  if (!o.sortby && o.withsortkeys) throw new ConfigurationError("withsortkeys requires sortby");
  exclusive("limit", o.limit, "count", o.count);
  const out: GlideString[] = [];
  if (o.shardScope) out.push(oneOf("shardScope", o.shardScope, ["ALLSHARDS", "SOMESHARDS"]));
  if (o.consistency) {
    out.push(oneOf("consistency", o.consistency, ["CONSISTENT", "INCONSISTENT"]));
  }
  if (o.nocontent) out.push("NOCONTENT");
  if (o.verbatim) out.push("VERBATIM");
  if (o.inorder) out.push("INORDER");
  if (o.slop !== undefined) out.push("SLOP", int("slop", o.slop));
  if (o.returnFields) {
    const fields: GlideString[] = [];
    for (const f of mayBeEmpty("returnFields", o.returnFields)) {
      if (typeof f !== "object" || f === null) {
        throw new ConfigurationError("each returnFields entry must be { fieldIdentifier, alias? }");
      }
      fields.push(f.fieldIdentifier);
      if (f.alias) fields.push("AS", f.alias);
    }
    out.push("RETURN", String(fields.length), ...fields);
  }
  if (o.sortby) {
    out.push("SORTBY", o.sortby);
    if (o.sortbyOrder) out.push(oneOf("sortbyOrder", o.sortbyOrder, ["ASC", "DESC"]));
  }
  if (o.withsortkeys) out.push("WITHSORTKEYS");
  if (o.timeout) out.push("TIMEOUT", int("timeout", o.timeout));
  if (o.params) out.push(...params(o.params));
  if (o.limit) {
    out.push("LIMIT", int("limit.offset", o.limit.offset), int("limit.count", o.limit.count));
  }
  if (o.count) out.push("COUNT");
  if (o.dialect !== undefined) out.push("DIALECT", int("dialect", o.dialect));
  return out;
}

/** One clause of an FT.AGGREGATE pipeline. */
function clauseArgs(c: NonNullable<FtAggregateOptions["clauses"]>[number]): GlideString[] {
  switch (c?.type) {
    case "LIMIT":
      return ["LIMIT", int("LIMIT offset", c.offset), int("LIMIT count", c.count)];
    case "FILTER":
      return ["FILTER", c.expression];
    case "GROUPBY": {
      const out: GlideString[] = [
        "GROUPBY",
        String(mayBeEmpty("GROUPBY properties", c.properties).length),
        ...c.properties,
      ];
      for (const r of mayBeEmpty("GROUPBY reducers", c.reducers)) {
        const args = mayBeEmpty("reducer args", r?.args);
        out.push("REDUCE", r.function, String(args.length), ...args);
        if (r.name) out.push("AS", r.name);
      }
      return out;
    }
    case "SORTBY": {
      const props = mayBeEmpty("SORTBY properties", c.properties);
      const out: GlideString[] = ["SORTBY", String(2 * props.length)];
      for (const p of props) {
        if (!ORDERS.has(p?.order)) {
          throw new ConfigurationError(`unknown SORTBY order: ${String(p?.order)}`);
        }
        out.push(p.property, p.order);
      }
      if (c.max) out.push("MAX", int("SORTBY max", c.max));
      return out;
    }
    case "APPLY":
      return ["APPLY", c.expression, "AS", c.name];
    default:
      throw new ConfigurationError(
        `unknown clause type in FtAggregateOptions: ${String((c as { type?: unknown })?.type)}`,
      );
  }
}

/** FT.AGGREGATE's options (also FT.PROFILE ... AGGREGATE's), in GLIDE's order. */
function aggregateOptionArgs(o: FtAggregateOptions | undefined): GlideString[] {
  if (!o) return [];
  exclusive("loadAll", o.loadAll, "loadFields", o.loadFields);
  const out: GlideString[] = [];
  if (o.verbatim) out.push("VERBATIM");
  if (o.inorder) out.push("INORDER");
  if (o.slop !== undefined) out.push("SLOP", int("slop", o.slop));
  if (o.loadAll) out.push("LOAD", "*");
  else if (o.loadFields) {
    out.push("LOAD", String(mayBeEmpty("loadFields", o.loadFields).length), ...o.loadFields);
  }
  if (o.timeout) out.push("TIMEOUT", int("timeout", o.timeout));
  if (o.params) out.push(...params(o.params));
  for (const c of o.clauses ? mayBeEmpty("clauses", o.clauses) : []) out.push(...clauseArgs(c));
  if (o.dialect !== undefined) out.push("DIALECT", int("dialect", o.dialect));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Replies

/** A reply that is not what the command sends: a typed error, not a crash. */
function malformed(command: string, r: GlideReturnType): never {
  const what = r === null ? "null" : Array.isArray(r) ? "an array" : typeof r;
  throw new RequestError(`unexpected ${command} reply (${what})`);
}

/** A string of the reply (simple or bulk, text or bytes). */
function isString(v: GlideReturnType): v is GlideString {
  return typeof v === "string" || v instanceof Uint8Array;
}

/** A map key as a JS property name. */
function keyName(k: GlideReturnType): string {
  return k instanceof Uint8Array ? text.decode(k) : String(k);
}

/**
 * A map as the module sends it, as `{ key, value }` entries: a RESP3 map, a flat array
 * `[k1, v1, ...]`, or an array of `[k, v]` pairs (what FT.PROFILE sends); nil keys are skipped.
 */
function entries(command: string, r: GlideReturnType): GlideRecord<GlideReturnType> {
  if (r === null) return [];
  if (!Array.isArray(r)) malformed(command, r);
  const list = r as GlideReturnType[];
  const out: GlideRecord<GlideReturnType> = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as unknown;
    if (isEntry(item)) {
      out.push({ key: item.key as GlideString, value: item.value });
    } else if (Array.isArray(item)) {
      if (item.length !== 2) malformed(command, r);
      out.push({ key: item[0] as GlideString, value: item[1] });
    } else if (item !== null) {
      if (i + 1 >= list.length) malformed(command, r);
      out.push({ key: item as GlideString, value: list[++i] });
    }
  }
  return out;
}

/** Whether a value is a (non-empty) map decoded from RESP3: `{ key, value }` entries. */
function isRecord(v: unknown): v is GlideRecord<GlideReturnType> {
  return Array.isArray(v) && v.length > 0 && isEntry(v[0]);
}

/** Maps (entries) inside a value, and lists of maps, as objects keyed by name, recursively. */
function objects(v: GlideReturnType): unknown {
  if (isRecord(v)) return toObject(v);
  if (Array.isArray(v) && isRecord(v[0])) return v.map(objects);
  return v;
}

function toObject(record: GlideRecord<GlideReturnType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of record) out[keyName(key)] = objects(value);
  return out;
}

/** FT.INFO: the reply as an object; `fields` (and their `vector_params`) as objects too. */
function infoShape(r: GlideReturnType): FtInfoReturnType {
  const top = entries("FT.INFO", r);
  for (const e of top) {
    if (keyName(e.key) !== "fields" || !Array.isArray(e.value)) continue;
    e.value = (e.value as GlideReturnType[]).map((field) => {
      const params = entries("FT.INFO", field);
      for (const p of params) {
        if (keyName(p.key) === "vector_params") {
          p.value = entries("FT.INFO", p.value) as unknown as GlideReturnType;
        }
      }
      return params as unknown as GlideReturnType;
    });
  }
  return toObject(top) as FtInfoReturnType;
}

/**
 * FT.SEARCH: `[count, key1, fields1, ...]` → `[count, [{ key, value: fields }]]`; NOCONTENT's
 * `[count, key1, ...]` gives empty field lists; `[count]` alone (COUNT) stays as it is.
 */
function searchShape(r: GlideReturnType): FtSearchReturnType {
  if (!Array.isArray(r) || r.length === 0 || isEntry(r[0])) malformed("FT.SEARCH", r);
  const [first, ...rest] = r as GlideReturnType[];
  const count = toNumber(first);
  if (rest.length === 0) return [count] as unknown as FtSearchReturnType;
  const docs: GlideRecord<GlideRecord<GlideString>> = [];
  if (rest.every(isString)) {
    for (const key of rest) docs.push({ key: key as GlideString, value: [] });
  } else {
    for (const { key, value } of entries("FT.SEARCH", rest)) {
      docs.push({ key, value: entries("FT.SEARCH", value) as GlideRecord<GlideString> });
    }
  }
  return [count, docs];
}

/**
 * FT.SEARCH WITHSORTKEYS: `[count, key, sortKey, fields, ...]` → each document's value is
 * `[sortKey, fields]`; without field lists (NOCONTENT), `[count, key, sortKey, ...]`.
 */
function searchWithSortKeysShape(r: GlideReturnType): FtSearchReturnType {
  if (!Array.isArray(r) || r.length === 0 || isEntry(r[0])) malformed("FT.SEARCH", r);
  const [first, ...rest] = r as GlideReturnType[];
  const count = toNumber(first);
  if (rest.length === 0) return [count] as unknown as FtSearchReturnType;
  const step = rest.some((v) => Array.isArray(v)) ? 3 : 2;
  if (rest.length % step !== 0) malformed("FT.SEARCH WITHSORTKEYS", r);
  const docs: { key: GlideString; value: unknown }[] = [];
  for (let i = 0; i < rest.length; i += step) {
    const fields = step === 3 ? entries("FT.SEARCH", rest[i + 2]) : [];
    docs.push({ key: rest[i] as GlideString, value: [rest[i + 1], fields] });
  }
  return [count, docs as unknown as GlideRecord<GlideRecord<GlideString>>];
}

/** FT.AGGREGATE: `[count, row1, ...]` → one record per row (the count is dropped). */
function aggregateShape(r: GlideReturnType): FtAggregateReturnType {
  if (!Array.isArray(r) || r.length === 0 || isEntry(r[0])) malformed("FT.AGGREGATE", r);
  return (r as GlideReturnType[]).slice(1).map((row) => {
    if (!Array.isArray(row)) malformed("FT.AGGREGATE", r);
    return entries("FT.AGGREGATE", row);
  });
}

/** FT.PROFILE: `[result, profile]` → the result shaped as its query's, the profile as numbers. */
function profileShape<T>(
  query: (r: GlideReturnType) => T,
): (r: GlideReturnType) => [T, Record<string, number>] {
  return (r) => {
    if (!Array.isArray(r) || r.length !== 2 || isEntry(r[0])) malformed("FT.PROFILE", r);
    const [result, profile] = r as GlideReturnType[];
    const times: Record<string, number> = {};
    for (const { key, value } of entries("FT.PROFILE", profile)) {
      if (typeof value !== "number" && !isString(value)) malformed("FT.PROFILE", profile);
      times[keyName(key)] = toNumber(value);
    }
    return [query(result), times];
  };
}

/** A text reply that must be a string (FT.EXPLAIN). */
function stringShape(r: GlideReturnType): GlideString {
  if (!isString(r)) malformed("FT.EXPLAIN", r);
  return r;
}

/** A reply that must be a list of strings (FT._LIST, FT.EXPLAINCLI; a RESP3 set too). */
function stringsShape(command: string): (r: GlideReturnType) => GlideString[] {
  return (r) => {
    if (r !== null && !Array.isArray(r) && !(r instanceof Set)) malformed(command, r);
    return toArray<GlideString>(r);
  };
}

/** A command answered `OK`, read as text whatever the caller's decoder. */
function ok(args: GlideString[]): Command<"OK"> {
  return { args, decoder: Decoder.String };
}

// ---------------------------------------------------------------------------------------------
// Builders

/** FT.CREATE index [options] SCHEMA field .... @internal */
export function create(
  indexName: GlideString,
  schema: Field[],
  options?: FtCreateOptions,
): Command<"OK"> {
  const args: GlideString[] = ["FT.CREATE", indexName];
  if (options) args.push(...createOptionArgs(options));
  args.push("SCHEMA");
  for (const f of mayBeEmpty("schema", schema)) args.push(...fieldArgs(f));
  return ok(args);
}

/** FT.DROPINDEX index. @internal */
export function dropindex(indexName: GlideString): Command<"OK"> {
  return ok(["FT.DROPINDEX", indexName]);
}

/** FT._LIST. @internal */
export function list(): Command<GlideString[]> {
  return { args: ["FT._LIST"], shape: stringsShape("FT._LIST") };
}

/** FT.SEARCH index query [options]. @internal */
export function search(
  indexName: GlideString,
  query: GlideString,
  options?: FtSearchOptions,
): Command<FtSearchReturnType> {
  return {
    args: ["FT.SEARCH", indexName, query, ...searchOptionArgs(options)],
    shape: options?.withsortkeys ? searchWithSortKeysShape : searchShape,
  };
}

/** FT.AGGREGATE index query [options] [clauses]. @internal */
export function aggregate(
  indexName: GlideString,
  query: GlideString,
  options?: FtAggregateOptions,
): Command<FtAggregateReturnType> {
  return {
    args: ["FT.AGGREGATE", indexName, query, ...aggregateOptionArgs(options)],
    shape: aggregateShape,
  };
}

/** FT.INFO index [scope] [shard scope] [consistency]. @internal */
export function info(indexName: GlideString, options?: FtInfoOptions): Command<FtInfoReturnType> {
  const args: GlideString[] = ["FT.INFO", indexName];
  if (options?.scope) args.push(oneOf("scope", options.scope, ["LOCAL", "PRIMARY", "CLUSTER"]));
  if (options?.shardScope) {
    args.push(oneOf("shardScope", options.shardScope, ["ALLSHARDS", "SOMESHARDS"]));
  }
  if (options?.consistency) {
    args.push(oneOf("consistency", options.consistency, ["CONSISTENT", "INCONSISTENT"]));
  }
  return { args, shape: infoShape };
}

/** FT.EXPLAIN index query. @internal */
export function explain(indexName: GlideString, query: GlideString): Command<GlideString> {
  return { args: ["FT.EXPLAIN", indexName, query], shape: stringShape };
}

/** FT.EXPLAINCLI index query. @internal */
export function explaincli(indexName: GlideString, query: GlideString): Command<GlideString[]> {
  return { args: ["FT.EXPLAINCLI", indexName, query], shape: stringsShape("FT.EXPLAINCLI") };
}

/** FT.PROFILE index SEARCH [LIMITED] QUERY query [options]. @internal */
export function profileSearch(
  indexName: GlideString,
  query: GlideString,
  options?: FtSearchOptions & { limited?: boolean },
): Command<[FtSearchReturnType, Record<string, number>]> {
  const args: GlideString[] = ["FT.PROFILE", indexName, "SEARCH"];
  if (options?.limited) args.push("LIMITED");
  args.push("QUERY", query, ...searchOptionArgs(options));
  return {
    args,
    shape: profileShape(options?.withsortkeys ? searchWithSortKeysShape : searchShape),
  };
}

/** FT.PROFILE index AGGREGATE [LIMITED] QUERY query [options]. @internal */
export function profileAggregate(
  indexName: GlideString,
  query: GlideString,
  options?: FtAggregateOptions & { limited?: boolean },
): Command<[FtAggregateReturnType, Record<string, number>]> {
  const args: GlideString[] = ["FT.PROFILE", indexName, "AGGREGATE"];
  if (options?.limited) args.push("LIMITED");
  args.push("QUERY", query, ...aggregateOptionArgs(options));
  return { args, shape: profileShape(aggregateShape) };
}

/** FT.ALIASADD alias index. @internal */
export function aliasadd(indexName: GlideString, alias: GlideString): Command<"OK"> {
  return ok(["FT.ALIASADD", alias, indexName]);
}

/** FT.ALIASDEL alias. @internal */
export function aliasdel(alias: GlideString): Command<"OK"> {
  return ok(["FT.ALIASDEL", alias]);
}

/** FT.ALIASUPDATE alias index. @internal */
export function aliasupdate(alias: GlideString, indexName: GlideString): Command<"OK"> {
  return ok(["FT.ALIASUPDATE", alias, indexName]);
}

/** FT._ALIASLIST: alias → index, as a map (RESP3) or a flat array (RESP2). @internal */
export function aliaslist(): Command<GlideRecord<GlideString>> {
  return {
    args: ["FT._ALIASLIST"],
    shape: (r) => entries("FT._ALIASLIST", r) as GlideRecord<GlideString>,
  };
}
