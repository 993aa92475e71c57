/**
 * The Search module's commands (valkey-search): `GlideFt`, whose static methods take the client
 * to run on as their first argument.
 * @module
 */

import { type CommandRunner, runCommand } from "../api/runner.ts";
import * as ft from "../commands/ft.ts";
import type { Reply } from "../mode.ts";
import type { DecoderOption, GlideRecord, GlideString } from "../values.ts";
import type {
  Field,
  FtAggregateOptions,
  FtAggregateReturnType,
  FtCreateOptions,
  FtInfoOptions,
  FtInfoReturnType,
  FtSearchOptions,
  FtSearchReturnType,
} from "./ft_options.ts";

/**
 * The Search module's commands: vector, full-text, tag and numeric indexes over hashes and JSON
 * documents, and the queries that read them (FT.CREATE, FT.SEARCH, FT.AGGREGATE ...). The server
 * needs the Search module loaded (valkey-search).
 *
 * Each method takes the client as its first argument and works on every client: async ones
 * (`GlideClient`, `GlideClusterClient`) return a Promise, sync ones (`GlideSyncClient`,
 * `GlideSyncClusterClient`) the value itself; standalone and cluster alike. In a cluster,
 * `list` and `aliaslist` ask every primary; the other commands go to the node of the index name.
 *
 * @example
 * ```ts
 * import { GlideClient, GlideFt } from "@glide-deno/glide";
 *
 * const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1" }] });
 * await GlideFt.create(client, "idx", [{ type: "TEXT", name: "title" }], {
 *   dataType: "HASH",
 *   prefixes: ["doc:"],
 * });
 * await client.hset("doc:1", { title: "hello world" });
 * const [count, docs] = await GlideFt.search(client, "idx", "hello");
 * client.close();
 * ```
 */
export class GlideFt {
  /**
   * Creates an index (FT.CREATE); the keys that exist already are indexed in the background
   * (unless `skipInitialScan`).
   *
   * @param client - The client to run the command on.
   * @param indexName - The name of the new index.
   * @param schema - The fields to index, with their types and attributes.
   * @param options - Which keys are indexed (`dataType`, `prefixes`) and index-wide settings.
   * @returns `"OK"`.
   * @example
   * ```ts
   * await GlideFt.create(client, "idx", [{ type: "TEXT", name: "title" }], { dataType: "HASH", prefixes: ["doc:"] });
   * await GlideFt.create(client, "vectors", [{
   *   type: "VECTOR",
   *   name: "$.vec",
   *   alias: "VEC",
   *   attributes: { algorithm: "HNSW", dimensions: 6, distanceMetric: "L2", numberOfEdges: 32 },
   * }], { dataType: "JSON", prefixes: ["json:"] });
   * ```
   */
  static create<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    schema: Field[],
    options?: FtCreateOptions,
  ): Reply<M, "OK"> {
    return runCommand(client, () => ft.create(indexName, schema, options));
  }

  /**
   * Deletes an index (FT.DROPINDEX). The keys it indexed stay as they are.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index to delete.
   * @returns `"OK"`.
   * @example
   * ```ts
   * await GlideFt.dropindex(client, "idx"); // "OK"
   * ```
   */
  static dropindex<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
  ): Reply<M, "OK"> {
    return runCommand(client, () => ft.dropindex(indexName));
  }

  /**
   * Lists the indexes (FT._LIST); a cluster client asks every primary and joins their lists.
   *
   * @param client - The client to run the command on.
   * @param options - `decoder` for the names.
   * @returns The index names.
   * @example
   * ```ts
   * console.log(await GlideFt.list(client)); // ["idx", "vectors"]
   * ```
   */
  static list<M extends "async" | "sync">(
    client: CommandRunner<M>,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return runCommand(client, () => ft.list(), options);
  }

  /**
   * Runs a query and passes the documents it finds through a pipeline of clauses (GROUPBY,
   * REDUCE, SORTBY, APPLY, FILTER, LIMIT) (FT.AGGREGATE).
   *
   * @param client - The client to run the command on.
   * @param indexName - The index to query.
   * @param query - The query.
   * @param options - What to load, the pipeline's clauses, query flags and `decoder`.
   * @returns The records the last clause produced, each as its properties.
   * @example
   * ```ts
   * const rows = await GlideFt.aggregate(client, "bikes", "*", {
   *   loadFields: ["__key"],
   *   clauses: [{
   *     type: "GROUPBY",
   *     properties: ["@condition"],
   *     reducers: [{ function: "TOLIST", args: ["__key"], name: "bicycles" }],
   *   }],
   * });
   * // [[{ key: "condition", value: "new" }, { key: "bicycles", value: ["bike:0", "bike:5"] }], ...]
   * ```
   */
  static aggregate<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: DecoderOption & FtAggregateOptions,
  ): Reply<M, FtAggregateReturnType> {
    return runCommand(client, () => ft.aggregate(indexName, query, options), options);
  }

  /**
   * Describes an index (FT.INFO): its definition, attributes, size and indexing state.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index.
   * @param options - Which nodes report (cluster) and `decoder`.
   * @returns The index's properties by name (see {@link FtInfoReturnType}).
   * @example
   * ```ts
   * const info = await GlideFt.info(client, "idx");
   * console.log(info.index_name, info.num_docs); // "idx" 3
   * const local = await GlideFt.info(client, "idx", { scope: "LOCAL" });
   * ```
   */
  static info<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    options?: DecoderOption & FtInfoOptions,
  ): Reply<M, FtInfoReturnType> {
    return runCommand(client, () => ft.info(indexName, options), options);
  }

  /**
   * Shows how a query is parsed (FT.EXPLAIN), as one text.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index.
   * @param query - The query, as `search` or `aggregate` would take it.
   * @param options - `decoder` for the text.
   * @returns The query's execution plan.
   * @example
   * ```ts
   * console.log(await GlideFt.explain(client, "idx", "@price:[0 10]")); // "Field {\n\tprice\n\t0\n\t10\n}"
   * ```
   */
  static explain<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: DecoderOption,
  ): Reply<M, GlideString> {
    return runCommand(client, () => ft.explain(indexName, query), options);
  }

  /**
   * Shows how a query is parsed (FT.EXPLAINCLI), one line of the plan per element.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index.
   * @param query - The query, as `search` or `aggregate` would take it.
   * @param options - `decoder` for the lines.
   * @returns The query's execution plan, line by line.
   * @example
   * ```ts
   * console.log(await GlideFt.explaincli(client, "idx", "@price:[0 10]")); // ["Field {", "price", "0", "10", "}"]
   * ```
   */
  static explaincli<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return runCommand(client, () => ft.explaincli(indexName, query), options);
  }

  /**
   * Finds the documents of an index that match a query (FT.SEARCH): how many match, and the
   * ones asked for with their fields.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index to search.
   * @param query - The query (text, tag, numeric, or KNN over a vector field).
   * @param options - Fields to return, sorting, paging, parameters, query flags and `decoder`.
   * @returns `[count, documents]`: each document's key with its fields (an empty list with
   * `nocontent`; `[sortKey, fields]` with `withsortkeys`). With `count`, or a LIMIT of 0
   * documents, the reply is `[count]` alone.
   * @example
   * ```ts
   * const vector = new Uint8Array(24); // 6 float32 numbers
   * const [count, docs] = await GlideFt.search(client, "vectors", "*=>[KNN 2 @VEC $query_vec]", {
   *   params: [{ key: "query_vec", value: vector }],
   * });
   * // 2, [{ key: "json:2", value: [{ key: "__VEC_score", value: "11.11" }, { key: "$", value: "{...}" }] }, ...]
   * ```
   */
  static search<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: FtSearchOptions & DecoderOption,
  ): Reply<M, FtSearchReturnType> {
    return runCommand(client, () => ft.search(indexName, query, options), options);
  }

  /**
   * Runs a search and reports how long its stages took (FT.PROFILE ... SEARCH).
   *
   * @param client - The client to run the command on.
   * @param indexName - The index to search.
   * @param query - The query.
   * @param options - As `search`'s, plus `limited`: a shorter report.
   * @returns `[result, profile]`: the search's reply, as `search` returns it, and the profile's
   * figures by name.
   * @example
   * ```ts
   * const [result, profile] = await GlideFt.profileSearch(client, "idx", "hello", { limited: true });
   * console.log(profile["parse.time"]);
   * ```
   */
  static profileSearch<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: DecoderOption & FtSearchOptions & { limited?: boolean },
  ): Reply<M, [FtSearchReturnType, Record<string, number>]> {
    return runCommand(client, () => ft.profileSearch(indexName, query, options), options);
  }

  /**
   * Runs an aggregation and reports how long its stages took (FT.PROFILE ... AGGREGATE).
   *
   * @param client - The client to run the command on.
   * @param indexName - The index to query.
   * @param query - The query.
   * @param options - As `aggregate`'s, plus `limited`: a shorter report.
   * @returns `[result, profile]`: the aggregation's reply, as `aggregate` returns it, and the
   * profile's figures by name.
   * @example
   * ```ts
   * const [rows, profile] = await GlideFt.profileAggregate(client, "bikes", "*", {
   *   clauses: [{ type: "GROUPBY", properties: ["@condition"], reducers: [{ function: "COUNT", args: [] }] }],
   * });
   * ```
   */
  static profileAggregate<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    query: GlideString,
    options?: DecoderOption & FtAggregateOptions & { limited?: boolean },
  ): Reply<M, [FtAggregateReturnType, Record<string, number>]> {
    return runCommand(client, () => ft.profileAggregate(indexName, query, options), options);
  }

  /**
   * Gives an index a second name (FT.ALIASADD), usable wherever an index name is.
   *
   * @param client - The client to run the command on.
   * @param indexName - The index.
   * @param alias - The new name.
   * @returns `"OK"`.
   * @example
   * ```ts
   * await GlideFt.aliasadd(client, "idx", "current"); // "OK"
   * ```
   */
  static aliasadd<M extends "async" | "sync">(
    client: CommandRunner<M>,
    indexName: GlideString,
    alias: GlideString,
  ): Reply<M, "OK"> {
    return runCommand(client, () => ft.aliasadd(indexName, alias));
  }

  /**
   * Removes an alias (FT.ALIASDEL); the index stays.
   *
   * @param client - The client to run the command on.
   * @param alias - The alias to remove.
   * @returns `"OK"`.
   * @example
   * ```ts
   * await GlideFt.aliasdel(client, "current"); // "OK"
   * ```
   */
  static aliasdel<M extends "async" | "sync">(
    client: CommandRunner<M>,
    alias: GlideString,
  ): Reply<M, "OK"> {
    return runCommand(client, () => ft.aliasdel(alias));
  }

  /**
   * Points an alias at another index (FT.ALIASUPDATE); later queries through the alias read
   * that index.
   *
   * @param client - The client to run the command on.
   * @param alias - The alias.
   * @param indexName - The index it now names.
   * @returns `"OK"`.
   * @example
   * ```ts
   * await GlideFt.aliasupdate(client, "current", "idx_v2"); // "OK"
   * ```
   */
  static aliasupdate<M extends "async" | "sync">(
    client: CommandRunner<M>,
    alias: GlideString,
    indexName: GlideString,
  ): Reply<M, "OK"> {
    return runCommand(client, () => ft.aliasupdate(alias, indexName));
  }

  /**
   * Lists the aliases and the indexes they name (FT._ALIASLIST); a cluster client asks every
   * primary.
   *
   * @param client - The client to run the command on.
   * @param options - `decoder` for the names.
   * @returns Each alias (`key`) with its index (`value`).
   * @example
   * ```ts
   * console.log(await GlideFt.aliaslist(client)); // [{ key: "current", value: "idx_v2" }]
   * ```
   */
  static aliaslist<M extends "async" | "sync">(
    client: CommandRunner<M>,
    options?: DecoderOption,
  ): Reply<M, GlideRecord<GlideString>> {
    return runCommand(client, () => ft.aliaslist(), options);
  }
}
