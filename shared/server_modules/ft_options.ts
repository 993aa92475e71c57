/**
 * Options and reply types of `GlideFt`, the Search module's commands: index schemas (fields and
 * their attributes), FT.CREATE, FT.SEARCH, FT.AGGREGATE (and its pipeline clauses) and FT.INFO
 * options, and the shapes their replies are returned in.
 * @module
 */

import type { SortOrder } from "../options/generic.ts";
import type { GlideRecord, GlideReturnType, GlideString } from "../values.ts";

/**
 * What every field of an index schema has: the name it is read from, an optional alias it goes
 * by in queries, and whether it is sortable.
 *
 * @example
 * ```ts
 * import type { BaseField } from "@glide-deno/glide";
 * const f: BaseField = { name: "$.title", alias: "title", sortable: true };
 * ```
 */
export interface BaseField {
  /** The hash field or JSON path the field is read from. */
  name: GlideString;
  /** The name queries use for the field (`AS alias`). */
  alias?: GlideString;
  /** SORTABLE: results can be sorted by this field (TEXT, TAG and NUMERIC fields). */
  sortable?: boolean;
}

/**
 * A full-text field: its words are indexed for text queries.
 *
 * @example
 * ```ts
 * import type { TextField } from "@glide-deno/glide";
 * const f: TextField = { type: "TEXT", name: "title", nostem: true, weight: 1 };
 * ```
 */
export type TextField = BaseField & {
  /** The field type. */
  type: "TEXT";
  /** NOSTEM: words of this field are indexed as written, not reduced to their stem. */
  nostem?: boolean;
  /** WEIGHT: how much a match in this field counts in a result's score (1 by default). */
  weight?: number;
  /** WITHSUFFIXTRIE: keep a suffix trie, for suffix and contains queries (not with `nosuffixtrie`). */
  withsuffixtrie?: boolean;
  /** NOSUFFIXTRIE: keep no suffix trie for this field (not with `withsuffixtrie`). */
  nosuffixtrie?: boolean;
};

/**
 * A tag field: its value is a list of tags split at a separator character, matched exactly.
 * Hash fields split at `,` unless told otherwise; JSON fields have no default separator.
 *
 * @example
 * ```ts
 * import type { TagField } from "@glide-deno/glide";
 * const f: TagField = { type: "TAG", name: "colors", separator: "|", caseSensitive: true };
 * ```
 */
export type TagField = BaseField & {
  /** The field type. */
  type: "TAG";
  /** SEPARATOR: the one character tags are split at. */
  separator?: GlideString;
  /** CASESENSITIVE: keep the tags' letter case (they are lowercased otherwise). */
  caseSensitive?: boolean;
};

/**
 * A numeric field, for range queries.
 *
 * @example
 * ```ts
 * import type { NumericField } from "@glide-deno/glide";
 * const f: NumericField = { type: "NUMERIC", name: "price", sortable: true };
 * ```
 */
export type NumericField = BaseField & {
  /** The field type. */
  type: "NUMERIC";
};

/**
 * A vector field, for nearest-neighbour (KNN) queries, with the algorithm that indexes it.
 *
 * @example
 * ```ts
 * import type { VectorField } from "@glide-deno/glide";
 * const f: VectorField = {
 *   type: "VECTOR",
 *   name: "embedding",
 *   attributes: { algorithm: "FLAT", dimensions: 4, distanceMetric: "COSINE" },
 * };
 * ```
 */
export type VectorField = BaseField & {
  /** The field type. */
  type: "VECTOR";
  /** The indexing algorithm and its parameters, sent after the algorithm's name. */
  attributes: VectorFieldAttributesFlat | VectorFieldAttributesHnsw;
};

/**
 * The parameters every vector algorithm takes.
 *
 * @example
 * ```ts
 * import type { VectorFieldAttributes } from "@glide-deno/glide";
 * const a: VectorFieldAttributes = { dimensions: 128, distanceMetric: "L2", initialCap: 2048 };
 * ```
 */
export interface VectorFieldAttributes {
  /** DIM: how many numbers each vector has. */
  dimensions: number;
  /** DISTANCE_METRIC: how the distance between two vectors is measured. */
  distanceMetric: "L2" | "IP" | "COSINE";
  /** TYPE: the vectors' element type; FLOAT32, the only one, is sent when this is left out. */
  type?: "FLOAT32";
  /** INITIAL_CAP: how many vectors the index makes room for at first (1024 by default). */
  initialCap?: number;
}

/**
 * FLAT (brute force): every vector is compared with the query's, so answers are exact.
 *
 * @example
 * ```ts
 * import type { VectorFieldAttributesFlat } from "@glide-deno/glide";
 * const a: VectorFieldAttributesFlat = { algorithm: "FLAT", dimensions: 3, distanceMetric: "IP" };
 * ```
 */
export type VectorFieldAttributesFlat = VectorFieldAttributes & {
  /** The algorithm's name. */
  algorithm: "FLAT";
};

/**
 * HNSW (Hierarchical Navigable Small World): an approximate answer, found much faster.
 *
 * @example
 * ```ts
 * import type { VectorFieldAttributesHnsw } from "@glide-deno/glide";
 * const a: VectorFieldAttributesHnsw = {
 *   algorithm: "HNSW",
 *   dimensions: 3,
 *   distanceMetric: "L2",
 *   numberOfEdges: 32,
 *   vectorsExaminedOnConstruction: 400,
 *   vectorsExaminedOnRuntime: 20,
 * };
 * ```
 */
export type VectorFieldAttributesHnsw = VectorFieldAttributes & {
  /** The algorithm's name. */
  algorithm: "HNSW";
  /** M: the most outgoing edges a node has in each layer of the graph (16 by default, at most 512). */
  numberOfEdges?: number;
  /** EF_CONSTRUCTION: vectors examined while the index is built (200 by default, at most 4096). */
  vectorsExaminedOnConstruction?: number;
  /** EF_RUNTIME: vectors examined by a query (10 by default, at most 4096). */
  vectorsExaminedOnRuntime?: number;
};

/**
 * One field of an index schema.
 *
 * @example
 * ```ts
 * import type { Field } from "@glide-deno/glide";
 * const schema: Field[] = [
 *   { type: "TEXT", name: "title" },
 *   { type: "NUMERIC", name: "year" },
 *   { type: "TAG", name: "genre" },
 * ];
 * ```
 */
export type Field = TextField | TagField | NumericField | VectorField;

/**
 * Options of `GlideFt.create` (FT.CREATE) other than the schema.
 *
 * @example
 * ```ts
 * import type { FtCreateOptions } from "@glide-deno/glide";
 * const o: FtCreateOptions = { dataType: "JSON", prefixes: ["movie:"], noStopWords: true };
 * ```
 */
export interface FtCreateOptions {
  /** ON: whether hashes or JSON documents are indexed. */
  dataType: "JSON" | "HASH";
  /** PREFIX: only keys starting with one of these are indexed. */
  prefixes?: GlideString[];
  /** SCORE: the documents' default score (1.0 by default). */
  score?: number;
  /** LANGUAGE: the documents' default language. */
  language?: string;
  /** SKIPINITIALSCAN: keys that exist already are not indexed, only later writes. */
  skipInitialScan?: boolean;
  /** MINSTEMSIZE: shorter words are not stemmed. */
  minStemSize?: number;
  /** WITHOFFSETS: keep where each term occurs in the fields (not with `noOffsets`). */
  withOffsets?: boolean;
  /** NOOFFSETS: keep no term offsets (not with `withOffsets`). */
  noOffsets?: boolean;
  /** NOSTOPWORDS: index every word, stop words too (not with `stopWords`). */
  noStopWords?: boolean;
  /** STOPWORDS: the words left out of the index, instead of the default list (not with `noStopWords`). */
  stopWords?: GlideString[];
  /** PUNCTUATION: the characters that split text into words. */
  punctuation?: GlideString;
}

/**
 * Options of `GlideFt.aggregate` (FT.AGGREGATE) and `GlideFt.profileAggregate`: query flags,
 * what to load, parameters, and the pipeline of clauses. `loadAll` and `loadFields` exclude each
 * other.
 *
 * @example
 * ```ts
 * import type { FtAggregateOptions } from "@glide-deno/glide";
 * const o: FtAggregateOptions = {
 *   loadFields: ["@title"],
 *   clauses: [{ type: "LIMIT", offset: 0, count: 5 }],
 *   dialect: 2,
 * };
 * ```
 */
export type FtAggregateOptions =
  & {
    /** TIMEOUT: the most time the query may take, in milliseconds. */
    timeout?: number;
    /**
     * The pipeline: LIMIT, FILTER, GROUPBY, SORTBY and APPLY clauses in any number and order,
     * each working on the records the one before it produced.
     */
    clauses?: (
      | FtAggregateLimit
      | FtAggregateFilter
      | FtAggregateGroupBy
      | FtAggregateSortBy
      | FtAggregateApply
    )[];
    /** PARAMS: values the query refers to as `$name`. */
    params?: GlideRecord<GlideString>;
    /** VERBATIM: query terms are not stemmed. */
    verbatim?: boolean;
    /** INORDER: the terms of a proximity match must appear in the query's order. */
    inorder?: boolean;
    /** SLOP: how many other words may stand between the terms of a proximity match. */
    slop?: number;
    /** DIALECT: the query syntax version. */
    dialect?: number;
  }
  & ({
    /** LOAD: the fields to load for each record. */
    loadFields?: GlideString[];
    /** Excluded by `loadFields`. */
    loadAll?: never;
  } | {
    /** LOAD *: load every field of the index. */
    loadAll?: boolean;
    /** Excluded by `loadAll`. */
    loadFields?: never;
  });

/**
 * LIMIT clause: keeps `count` records, starting at `offset`.
 *
 * @example
 * ```ts
 * import type { FtAggregateLimit } from "@glide-deno/glide";
 * const c: FtAggregateLimit = { type: "LIMIT", offset: 10, count: 10 };
 * ```
 */
export interface FtAggregateLimit {
  /** The clause. */
  type: "LIMIT";
  /** How many records to skip. */
  offset: number;
  /** How many records to keep. */
  count: number;
}

/**
 * FILTER clause: keeps the records for which an expression over their properties holds.
 *
 * @example
 * ```ts
 * import type { FtAggregateFilter } from "@glide-deno/glide";
 * const c: FtAggregateFilter = { type: "FILTER", expression: "@year > 2000" };
 * ```
 */
export interface FtAggregateFilter {
  /** The clause. */
  type: "FILTER";
  /** The expression a record must satisfy. */
  expression: GlideString;
}

/**
 * GROUPBY clause: one record per distinct combination of the properties, made by the reducers.
 *
 * @example
 * ```ts
 * import type { FtAggregateGroupBy } from "@glide-deno/glide";
 * const c: FtAggregateGroupBy = {
 *   type: "GROUPBY",
 *   properties: ["@genre"],
 *   reducers: [{ function: "COUNT", args: [], name: "movies" }],
 * };
 * ```
 */
export interface FtAggregateGroupBy {
  /** The clause. */
  type: "GROUPBY";
  /** The properties the records are grouped by. */
  properties: GlideString[];
  /** How each group is reduced to values of its record. */
  reducers: FtAggregateReducer[];
}

/**
 * REDUCE: a function that makes one value of a group's records (COUNT, SUM, AVG, TOLIST ...).
 *
 * @example
 * ```ts
 * import type { FtAggregateReducer } from "@glide-deno/glide";
 * const r: FtAggregateReducer = { function: "AVG", args: ["@rating"], name: "avg_rating" };
 * ```
 */
export interface FtAggregateReducer {
  /** The reducer's name. */
  function: string;
  /** Its arguments. */
  args: GlideString[];
  /** AS: the property the value is stored in. */
  name?: GlideString;
}

/**
 * SORTBY clause: sorts the records by properties.
 *
 * @example
 * ```ts
 * import { type FtAggregateSortBy, SortOrder } from "@glide-deno/glide";
 * const c: FtAggregateSortBy = {
 *   type: "SORTBY",
 *   properties: [{ property: "@year", order: SortOrder.DESC }],
 *   max: 10,
 * };
 * ```
 */
export interface FtAggregateSortBy {
  /** The clause. */
  type: "SORTBY";
  /** The properties to sort by, first one first, each with its order. */
  properties: FtAggregateSortProperty[];
  /** MAX: only the first `max` records need to be sorted. */
  max?: number;
}

/**
 * One property of a SORTBY clause, and its order.
 *
 * @example
 * ```ts
 * import { type FtAggregateSortProperty, SortOrder } from "@glide-deno/glide";
 * const p: FtAggregateSortProperty = { property: "@price", order: SortOrder.ASC };
 * ```
 */
export interface FtAggregateSortProperty {
  /** The property. */
  property: GlideString;
  /** ASC or DESC. */
  order: SortOrder;
}

/**
 * APPLY clause: computes an expression for each record and stores it as a property (a new one,
 * or one it replaces).
 *
 * @example
 * ```ts
 * import type { FtAggregateApply } from "@glide-deno/glide";
 * const c: FtAggregateApply = { type: "APPLY", expression: "ceil(@rating)", name: "r" };
 * ```
 */
export interface FtAggregateApply {
  /** The clause. */
  type: "APPLY";
  /** The expression. */
  expression: GlideString;
  /** AS: the property the result is stored in. */
  name: GlideString;
}

/**
 * Options of `GlideFt.search` (FT.SEARCH) and `GlideFt.profileSearch`. `limit` and `count`
 * exclude each other; `sortbyOrder` and `withsortkeys` need `sortby`.
 *
 * @example
 * ```ts
 * import { type FtSearchOptions, SortOrder } from "@glide-deno/glide";
 * const o: FtSearchOptions = {
 *   returnFields: [{ fieldIdentifier: "title" }, { fieldIdentifier: "$.year", alias: "year" }],
 *   sortby: "year",
 *   sortbyOrder: SortOrder.DESC,
 *   limit: { offset: 0, count: 20 },
 * };
 * ```
 */
export type FtSearchOptions =
  & {
    /** TIMEOUT: the most time the query may take, in milliseconds. */
    timeout?: number;
    /** RETURN: the fields each result returns (each under its alias, if given). */
    returnFields?: {
      /** The field's name or JSON path. */
      fieldIdentifier: GlideString;
      /** The name it is returned under. */
      alias?: GlideString;
    }[];
    /** PARAMS: values the query refers to as `$name` (vectors as bytes, for KNN queries). */
    params?: GlideRecord<GlideString>;
    /** NOCONTENT: return the documents' keys only; their field lists are empty. */
    nocontent?: boolean;
    /** DIALECT: the query syntax version (valkey-search knows dialect 2 only). */
    dialect?: number;
    /** VERBATIM: text terms of the query are not stemmed. */
    verbatim?: boolean;
    /** INORDER: the text terms of a proximity match must appear in the query's order. */
    inorder?: boolean;
    /** SLOP: how many other words may stand between the text terms of a proximity match. */
    slop?: number;
    /** SORTBY: the field the results are sorted by, before LIMIT applies. */
    sortby?: GlideString;
    /** The order of `sortby` (needs `sortby`). */
    sortbyOrder?: SortOrder | "ASC" | "DESC";
    /**
     * WITHSORTKEYS (needs `sortby`): each document's value becomes `[sortKey, fields]`, the sort
     * key being the value sorted by (`null` when the document lacks it).
     */
    withsortkeys?: boolean;
    /**
     * Cluster: ALLSHARDS (the default) fails on a timeout unless every shard answered;
     * SOMESHARDS answers with what the shards that did answer found.
     */
    shardScope?: "ALLSHARDS" | "SOMESHARDS";
    /**
     * Cluster: CONSISTENT (the default) fails while the cluster is inconsistent; INCONSISTENT
     * answers as well as it can.
     */
    consistency?: "CONSISTENT" | "INCONSISTENT";
  }
  & ({
    /** LIMIT: which documents to return (the first 10 by default). */
    limit?: {
      /** How many documents to skip. */
      offset: number;
      /** How many to return. */
      count: number;
    };
    /** Excluded by `limit`. */
    count?: never;
  } | {
    /** COUNT: return only how many documents match. */
    count?: boolean;
    /** Excluded by `count`. */
    limit?: never;
  });

/**
 * Options of `GlideFt.info` (FT.INFO): which nodes' view of the index is reported (cluster).
 *
 * @example
 * ```ts
 * import type { FtInfoOptions } from "@glide-deno/glide";
 * const o: FtInfoOptions = { scope: "PRIMARY", shardScope: "SOMESHARDS" };
 * ```
 */
export interface FtInfoOptions {
  /** LOCAL: the node asked; PRIMARY / CLUSTER: every primary / every node (needs the coordinator). */
  scope?: "LOCAL" | "PRIMARY" | "CLUSTER";
  /** ALLSHARDS or SOMESHARDS: whether every shard must answer. */
  shardScope?: "ALLSHARDS" | "SOMESHARDS";
  /** CONSISTENT or INCONSISTENT: whether an inconsistent cluster is an error. */
  consistency?: "CONSISTENT" | "INCONSISTENT";
}

/**
 * `GlideFt.info`'s reply: the index's properties by name. Nested maps of the reply are objects
 * too; lists the module sends as flat lists (`index_definition`, `attributes`) stay lists.
 *
 * @example
 * ```ts
 * import type { FtInfoReturnType } from "@glide-deno/glide";
 * const info: FtInfoReturnType = { index_name: "idx", num_docs: 3, key_type: "HASH" };
 * ```
 */
export type FtInfoReturnType = Record<
  string,
  | GlideString
  | number
  | GlideString[]
  | Record<string, GlideString | Record<string, GlideString | number>[]>
>;

/**
 * `GlideFt.search`'s reply: how many documents matched, and the documents returned, each key
 * with its fields. With `count` (or a LIMIT of 0 documents) only the number comes back.
 *
 * @example
 * ```ts
 * import type { FtSearchReturnType } from "@glide-deno/glide";
 * const r: FtSearchReturnType = [1, [{ key: "doc:1", value: [{ key: "title", value: "Heat" }] }]];
 * ```
 */
export type FtSearchReturnType = [number, GlideRecord<GlideRecord<GlideString>>];

/**
 * `GlideFt.aggregate`'s reply: the records the pipeline's last stage produced, each as its
 * properties.
 *
 * @example
 * ```ts
 * import type { FtAggregateReturnType } from "@glide-deno/glide";
 * const r: FtAggregateReturnType = [[{ key: "genre", value: "Drama" }, { key: "n", value: "1" }]];
 * ```
 */
export type FtAggregateReturnType = GlideRecord<GlideReturnType>[];
