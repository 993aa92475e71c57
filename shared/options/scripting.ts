/**
 * Public option and reply types of the scripting and function commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * Options of `functionList` (FUNCTION LIST).
 *
 * @example
 * ```ts
 * import type { FunctionListOptions } from "@glide-deno/glide";
 * const o: FunctionListOptions = { libNamePattern: "mylib*", withCode: true };
 * // await client.functionList(o);
 * ```
 */
export interface FunctionListOptions {
  /** LIBRARYNAME: only libraries whose name matches this glob pattern. */
  libNamePattern?: GlideString;
  /** WITHCODE: include each library's source code (`library_code`). */
  withCode?: boolean;
}

/**
 * The reply of `functionList`: one object per library, with the keys `library_name`, `engine`,
 * `functions` (each with `name`, `description` and `flags`) and, with `withCode`,
 * `library_code`.
 *
 * @example
 * ```ts
 * import type { FunctionListResponse } from "@glide-deno/glide";
 * const r: FunctionListResponse = [{
 *   library_name: "mylib",
 *   engine: "LUA",
 *   functions: [{ name: "myfunc", description: null, flags: ["no-writes"] }],
 * }];
 * ```
 */
export type FunctionListResponse = Record<
  string,
  GlideString | Record<string, GlideString | null | GlideString[]>[]
>[];

/**
 * The reply of `functionStats` for one node: `running_script` (the running function's `name`,
 * `command` and `duration_ms`, or `null`) and `engines` (per engine, `libraries_count` and
 * `functions_count`).
 *
 * @example
 * ```ts
 * import type { FunctionStatsSingleResponse } from "@glide-deno/glide";
 * const r: FunctionStatsSingleResponse = {
 *   running_script: null,
 *   engines: { LUA: { libraries_count: 1, functions_count: 2 } },
 * };
 * ```
 */
export type FunctionStatsSingleResponse = Record<
  string,
  | null
  | Record<string, GlideString | GlideString[] | number>
  | Record<string, Record<string, number>>
>;

/**
 * The reply of the standalone `functionStats`: each node's {@link FunctionStatsSingleResponse}
 * by its address (`host:port`).
 *
 * @example
 * ```ts
 * import type { FunctionStatsFullResponse } from "@glide-deno/glide";
 * const r: FunctionStatsFullResponse = {
 *   "127.0.0.1:6379": { running_script: null, engines: { LUA: { libraries_count: 0, functions_count: 0 } } },
 * };
 * ```
 */
export type FunctionStatsFullResponse = Record<string, FunctionStatsSingleResponse>;

/**
 * What `functionRestore` does with the libraries already loaded.
 *
 * @example
 * ```ts
 * import { FunctionRestorePolicy } from "@glide-deno/glide";
 * // await client.functionRestore(payload, FunctionRestorePolicy.REPLACE);
 * const p = FunctionRestorePolicy.FLUSH;
 * ```
 */
export enum FunctionRestorePolicy {
  /** Add the restored libraries; fail if a library name is taken (the server's default). */
  APPEND = "APPEND",
  /** Delete every loaded library first. */
  FLUSH = "FLUSH",
  /** Add the restored libraries, replacing loaded libraries of the same name. */
  REPLACE = "REPLACE",
}
