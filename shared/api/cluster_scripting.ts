/**
 * Function and script management commands of the cluster client (FUNCTION *, SCRIPT *, FCALL with a route).
 * @module
 */

import * as scripting from "../commands/scripting.ts";
import type {
  FunctionListOptions,
  FunctionListResponse,
  FunctionRestorePolicy,
  FunctionStatsSingleResponse,
} from "../options/scripting.ts";
import type { Script } from "../commands/scripting.ts";
import type { FlushMode } from "../options/server.ts";
import { deferred, type Mode, type Reply } from "../mode.ts";
import type { ClusterResponse, RouteOption } from "../routes.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The function and script management commands of the cluster client, async and sync, with routes where GLIDE has them.
 *
 * @example
 * ```ts
 * import type { ClusterScriptingCommands } from "@glide-deno/glide";
 * type Methods = ClusterScriptingCommands<"async">;
 * ```
 */
export abstract class ClusterScriptingCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Calls a function of a loaded library (FCALL) without keys, on the routed node(s).
   *
   * @param func - The function's name.
   * @param args - The function's arguments.
   * @param options - `route` (a random node by default), and `decoder` for strings in the reply.
   * @returns What the function returns: one value for a single-node route, or a record of
   *   node address to value.
   * @example
   * ```ts
   * const r = await cluster.fcallWithRoute("echo", ["hi"], { route: "allPrimaries" });
   * // { "127.0.0.1:7000": "hi", "127.0.0.1:7001": "hi", ... }
   * ```
   */
  fcallWithRoute(
    func: GlideString,
    args: GlideString[],
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<GlideReturnType>> {
    return this.run(() => scripting.fcall(func, [], args, false, options?.route), options);
  }

  /**
   * Calls a read-only function of a loaded library (FCALL_RO) without keys, on the routed
   * node(s).
   *
   * @param func - The function's name.
   * @param args - The function's arguments.
   * @param options - `route` (a random node by default), and `decoder` for strings in the reply.
   * @returns What the function returns: one value for a single-node route, or a record of
   *   node address to value.
   * @example
   * ```ts
   * const r = await cluster.fcallReadonlyWithRoute("count", [], { route: "allNodes" });
   * ```
   */
  fcallReadonlyWithRoute(
    func: GlideString,
    args: GlideString[],
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<GlideReturnType>> {
    return this.run(() => scripting.fcall(func, [], args, true, options?.route), options);
  }

  /**
   * Runs a Lua script without keys (EVALSHA) on the routed node(s); on NOSCRIPT the script is
   * loaded on the same node(s) (on every node for a random route) and run again.
   *
   * @param script - The {@link Script} to run.
   * @param options - `args` (`ARGV`), `route` (a random node by default), and `decoder` for
   *   strings in the reply.
   * @returns What the script returns: one value for a single-node route, or a record of node
   *   address to value.
   * @example
   * ```ts
   * const script = new Script("return ARGV[1]");
   * const r = await cluster.invokeScriptWithRoute(script, { args: ["x"], route: "allPrimaries" });
   * // { "127.0.0.1:7000": "x", ... }
   * ```
   */
  invokeScriptWithRoute(
    script: Script,
    options?: { args?: GlideString[] } & DecoderOption & RouteOption,
  ): Reply<M, ClusterResponse<GlideReturnType>> {
    return this.runSteps(
      deferred(() => scripting.invokeScript(script, [], options?.args, options?.route)),
      options,
    );
  }

  /**
   * Loads a library of functions (FUNCTION LOAD), on every primary by default.
   *
   * @param libraryCode - The library's source, starting with a `#!lua name=<library>` line.
   * @param options - `replace` an already loaded library of the same name, `route`, and
   *   `decoder` for the returned name.
   * @returns The library's name.
   * @example
   * ```ts
   * const code = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)";
   * console.log(await cluster.functionLoad(code, { replace: true })); // "mylib"
   * ```
   */
  functionLoad(
    libraryCode: GlideString,
    options?: { replace?: boolean } & RouteOption & DecoderOption,
  ): Reply<M, GlideString> {
    return this.run(
      () => scripting.functionLoad(libraryCode, options?.replace, options?.route),
      options,
    );
  }

  /**
   * Lists the loaded libraries and their functions (FUNCTION LIST), on a random node by
   * default.
   *
   * @param options - {@link FunctionListOptions} (`libNamePattern`, `withCode`), `route`, and
   *   `decoder` for the names, flags and code.
   * @returns One object per library (`library_name`, `engine`, `functions`, and with
   *   `withCode` `library_code`); per node address for a multi-node route.
   * @example
   * ```ts
   * const libs = await cluster.functionList({ libNamePattern: "mylib*", route: "randomNode" });
   * ```
   */
  functionList(
    options?: FunctionListOptions & DecoderOption & RouteOption,
  ): Reply<M, ClusterResponse<FunctionListResponse>> {
    return this.run(() => scripting.functionList(options, options?.route), options);
  }

  /**
   * Deletes a library and its functions (FUNCTION DELETE), on every primary by default.
   *
   * @param libraryCode - The library's name.
   * @param options - `route`.
   * @returns "OK"; an error when no such library is loaded.
   * @example
   * ```ts
   * await cluster.functionDelete("mylib"); // "OK"
   * ```
   */
  functionDelete(libraryCode: GlideString, options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => scripting.functionDelete(libraryCode, options?.route));
  }

  /**
   * Deletes every library (FUNCTION FLUSH), on every primary by default.
   *
   * @param options - `mode` ({@link FlushMode}; the server's default when omitted) and `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await cluster.functionFlush({ mode: FlushMode.SYNC, route: "allPrimaries" }); // "OK"
   * ```
   */
  functionFlush(options?: { mode?: FlushMode } & RouteOption): Reply<M, "OK"> {
    return this.run(() => scripting.functionFlush(options?.mode, options?.route));
  }

  /**
   * The running function, if any, and the libraries and functions of each engine
   * (FUNCTION STATS), on every node by default.
   *
   * @param options - `route`, and `decoder` for the names.
   * @returns `running_script` (`name`, `command`, `duration_ms`, or `null`) and `engines`
   *   (`libraries_count`, `functions_count` per engine); per node address for a multi-node
   *   route.
   * @example
   * ```ts
   * const stats = await cluster.functionStats({ route: "allPrimaries" });
   * ```
   */
  functionStats(
    options?: RouteOption & DecoderOption,
  ): Reply<M, ClusterResponse<FunctionStatsSingleResponse>> {
    return this.run(() => scripting.functionStats(options?.route), options);
  }

  /**
   * Kills the running read-only function (FUNCTION KILL), on every node by default.
   *
   * @param options - `route`.
   * @returns "OK"; an error (`NOTBUSY`) when no function is running.
   * @example
   * ```ts
   * await cluster.functionKill({ route: "allNodes" });
   * ```
   */
  functionKill(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => scripting.functionKill(options?.route));
  }

  /**
   * Serializes every loaded library (FUNCTION DUMP), on a random node by default.
   *
   * @param options - `route`.
   * @returns The payload; per node address for a multi-node route.
   * @example
   * ```ts
   * const payload = await cluster.functionDump({ route: "randomNode" });
   * ```
   */
  functionDump(options?: RouteOption): Reply<M, ClusterResponse<Uint8Array>> {
    return this.run(() => scripting.functionDump(options?.route));
  }

  /**
   * Loads the libraries of a {@link functionDump} payload (FUNCTION RESTORE), on every primary
   * by default.
   *
   * @param payload - The payload.
   * @param options - `policy` ({@link FunctionRestorePolicy}; `APPEND` when omitted) and
   *   `route`.
   * @returns "OK".
   * @example
   * ```ts
   * const payload = await cluster.functionDump({ route: "randomNode" }) as Uint8Array;
   * await cluster.functionRestore(payload, { policy: FunctionRestorePolicy.REPLACE });
   * ```
   */
  functionRestore(
    payload: Uint8Array,
    options?: { policy?: FunctionRestorePolicy } & RouteOption,
  ): Reply<M, "OK"> {
    return this.run(() => scripting.functionRestore(payload, options?.policy, options?.route));
  }

  /**
   * Tells which scripts are in the script cache (SCRIPT EXISTS), on every primary by default
   * (a script counts as cached when every node has it).
   *
   * @param sha1s - The scripts' SHA1 digests (at least one).
   * @param options - `route`.
   * @returns For each digest, whether the script is cached.
   * @example
   * ```ts
   * console.log(await cluster.scriptExists([script.getHash()])); // [true]
   * ```
   */
  scriptExists(sha1s: GlideString[], options?: RouteOption): Reply<M, ClusterResponse<boolean[]>> {
    return this.run(() => scripting.scriptExists(sha1s, options?.route));
  }

  /**
   * Empties the script cache (SCRIPT FLUSH), on every node by default.
   *
   * @param options - `mode` ({@link FlushMode}; the server's default when omitted) and `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await cluster.scriptFlush({ mode: FlushMode.ASYNC }); // "OK"
   * ```
   */
  scriptFlush(options?: { mode?: FlushMode } & RouteOption): Reply<M, "OK"> {
    return this.run(() => scripting.scriptFlush(options?.mode, options?.route));
  }

  /**
   * Kills the running script, if it has not written yet (SCRIPT KILL), on every node by
   * default.
   *
   * @param options - `route`.
   * @returns "OK"; an error (`NOTBUSY`) when no script is running.
   * @example
   * ```ts
   * await cluster.scriptKill();
   * ```
   */
  scriptKill(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => scripting.scriptKill(options?.route));
  }
}
