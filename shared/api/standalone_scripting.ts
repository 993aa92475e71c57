/**
 * Function and script management commands of the standalone client (FUNCTION *, SCRIPT EXISTS/FLUSH/KILL).
 * @module
 */

import * as scripting from "../commands/scripting.ts";
import type {
  FunctionListOptions,
  FunctionListResponse,
  FunctionRestorePolicy,
  FunctionStatsFullResponse,
} from "../options/scripting.ts";
import type { FlushMode } from "../options/server.ts";
import type { Mode, Reply } from "../mode.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The function and script management commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneScriptingCommands } from "@glide-deno/glide";
 * type Methods = StandaloneScriptingCommands<"async">;
 * ```
 */
export abstract class StandaloneScriptingCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Loads a library of functions (FUNCTION LOAD).
   *
   * @param libraryCode - The library's source, starting with a `#!lua name=<library>` line.
   * @param options - `replace` an already loaded library of the same name, and `decoder` for
   *   the returned name.
   * @returns The library's name.
   * @example
   * ```ts
   * const code = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)";
   * console.log(await client.functionLoad(code, { replace: true })); // "mylib"
   * ```
   */
  functionLoad(
    libraryCode: GlideString,
    options?: { replace?: boolean } & DecoderOption,
  ): Reply<M, GlideString> {
    return this.run(() => scripting.functionLoad(libraryCode, options?.replace), options);
  }

  /**
   * Lists the loaded libraries and their functions (FUNCTION LIST).
   *
   * @param options - {@link FunctionListOptions} (`libNamePattern`, `withCode`) and `decoder`
   *   for the names, flags and code.
   * @returns One object per library: `library_name`, `engine`, `functions` (`name`,
   *   `description`, `flags`) and, with `withCode`, `library_code`.
   * @example
   * ```ts
   * const libs = await client.functionList({ libNamePattern: "mylib*", withCode: true });
   * console.log(libs[0].library_name); // "mylib"
   * ```
   */
  functionList(
    options?: FunctionListOptions & DecoderOption,
  ): Reply<M, FunctionListResponse> {
    return this.run(() => scripting.functionList(options), options);
  }

  /**
   * Deletes a library and its functions (FUNCTION DELETE).
   *
   * @param libraryCode - The library's name.
   * @returns "OK"; an error when no such library is loaded.
   * @example
   * ```ts
   * await client.functionDelete("mylib"); // "OK"
   * ```
   */
  functionDelete(libraryCode: GlideString): Reply<M, "OK"> {
    return this.run(() => scripting.functionDelete(libraryCode));
  }

  /**
   * Deletes every library (FUNCTION FLUSH).
   *
   * @param mode - {@link FlushMode.SYNC} or {@link FlushMode.ASYNC}; the server's default when
   *   omitted.
   * @returns "OK".
   * @example
   * ```ts
   * await client.functionFlush(FlushMode.SYNC); // "OK"
   * ```
   */
  functionFlush(mode?: FlushMode): Reply<M, "OK"> {
    return this.run(() => scripting.functionFlush(mode));
  }

  /**
   * Serializes every loaded library (FUNCTION DUMP), for {@link functionRestore}.
   *
   * @returns The payload.
   * @example
   * ```ts
   * const payload = await client.functionDump();
   * await client.functionRestore(payload, FunctionRestorePolicy.REPLACE);
   * ```
   */
  functionDump(): Reply<M, Uint8Array> {
    return this.run(() => scripting.functionDump());
  }

  /**
   * Loads the libraries of a {@link functionDump} payload (FUNCTION RESTORE).
   *
   * @param payload - The payload.
   * @param policy - What to do with the loaded libraries ({@link FunctionRestorePolicy});
   *   `APPEND` when omitted.
   * @returns "OK".
   * @example
   * ```ts
   * const payload = await client.functionDump();
   * await client.functionFlush();
   * await client.functionRestore(payload); // "OK"
   * ```
   */
  functionRestore(payload: Uint8Array, policy?: FunctionRestorePolicy): Reply<M, "OK"> {
    return this.run(() => scripting.functionRestore(payload, policy));
  }

  /**
   * The running function, if any, and the libraries and functions of each engine
   * (FUNCTION STATS).
   *
   * @param options - `decoder` for the names.
   * @returns The server's stats by its address (`host:port`): `running_script` (`name`,
   *   `command`, `duration_ms`, or `null`) and `engines` (`libraries_count`,
   *   `functions_count` per engine).
   * @example
   * ```ts
   * const stats = await client.functionStats();
   * for (const [address, s] of Object.entries(stats)) console.log(address, s.engines);
   * ```
   */
  functionStats(options?: DecoderOption): Reply<M, FunctionStatsFullResponse> {
    return this.runSteps(scripting.functionStatsFull(), options);
  }

  /**
   * Kills the running read-only function (FUNCTION KILL).
   *
   * @returns "OK"; an error (`NOTBUSY`) when no function is running.
   * @example
   * ```ts
   * await client.functionKill();
   * ```
   */
  functionKill(): Reply<M, "OK"> {
    return this.run(() => scripting.functionKill());
  }

  /**
   * Tells which scripts are in the script cache (SCRIPT EXISTS).
   *
   * @param sha1s - The scripts' SHA1 digests (at least one).
   * @returns For each digest, whether the script is cached.
   * @example
   * ```ts
   * const script = new Script("return 1");
   * await client.invokeScript(script);
   * console.log(await client.scriptExists([script.getHash(), "0".repeat(40)])); // [true, false]
   * ```
   */
  scriptExists(sha1s: GlideString[]): Reply<M, boolean[]> {
    return this.run(() => scripting.scriptExists(sha1s));
  }

  /**
   * Empties the script cache (SCRIPT FLUSH).
   *
   * @param mode - {@link FlushMode.SYNC} or {@link FlushMode.ASYNC}; the server's default when
   *   omitted.
   * @returns "OK".
   * @example
   * ```ts
   * await client.scriptFlush(FlushMode.SYNC); // "OK"
   * ```
   */
  scriptFlush(mode?: FlushMode): Reply<M, "OK"> {
    return this.run(() => scripting.scriptFlush(mode));
  }

  /**
   * Kills the running script, if it has not written yet (SCRIPT KILL).
   *
   * @returns "OK"; an error (`NOTBUSY`) when no script is running.
   * @example
   * ```ts
   * await client.scriptKill();
   * ```
   */
  scriptKill(): Reply<M, "OK"> {
    return this.run(() => scripting.scriptKill());
  }
}
