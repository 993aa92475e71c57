/**
 * Scripting and function commands shared by every client (FCALL, FCALL_RO, EVALSHA via Script objects, SCRIPT SHOW).
 * @module
 */

import * as scripting from "../commands/scripting.ts";
import type { Script } from "../commands/scripting.ts";
import { deferred, type Mode, type Reply } from "../mode.ts";
import type { DecoderOption, GlideReturnType, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The scripting and function commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { ScriptingCommands } from "@glide-deno/glide";
 * type Methods = ScriptingCommands<"async">;
 * ```
 */
export abstract class ScriptingCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Runs a Lua script (EVALSHA with the script's digest). When the server does not have the
   * script cached (NOSCRIPT), the script is loaded (SCRIPT LOAD, on the node that answered:
   * on the cluster, the owner of the keys' slot) and run again. On the cluster all `keys`
   * must map to one hash slot; without keys the script runs on any node.
   *
   * @param script - The {@link Script} to run.
   * @param options - `keys` the script accesses (`KEYS`), `args` (`ARGV`), and `decoder` for
   *   strings in the reply.
   * @returns What the script returns.
   * @example
   * ```ts
   * const script = new Script("return { KEYS[1], ARGV[1] }");
   * console.log(await client.invokeScript(script, { keys: ["foo"], args: ["bar"] }));
   * // ["foo", "bar"]
   * ```
   */
  invokeScript(
    script: Script,
    options?: { keys?: GlideString[]; args?: GlideString[] } & DecoderOption,
  ): Reply<M, GlideReturnType> {
    return this.runSteps(
      deferred(() => scripting.invokeScript(script, options?.keys, options?.args)),
      options,
    );
  }

  /**
   * Returns the source of a cached script (SCRIPT SHOW; Valkey 8.0+).
   *
   * @param sha1 - The script's SHA1 digest.
   * @param options - `decoder` for the source.
   * @returns The script's source code; an error when it is not in the cache.
   * @example
   * ```ts
   * const script = new Script("return 1");
   * await client.invokeScript(script);
   * console.log(await client.scriptShow(script.getHash())); // "return 1"
   * ```
   */
  scriptShow(sha1: GlideString, options?: DecoderOption): Reply<M, GlideString> {
    return this.run(() => scripting.scriptShow(sha1), options);
  }

  /**
   * Calls a function of a loaded library (FCALL). On the cluster all `keys` must map to one
   * hash slot.
   *
   * @param func - The function's name.
   * @param keys - The keys the function accesses.
   * @param args - The function's other arguments (not key names).
   * @param options - `decoder` for strings in the reply.
   * @returns What the function returns.
   * @example
   * ```ts
   * await client.functionLoad(
   *   "#!lua name=mylib\nredis.register_function('echo', function(keys, args) return args[1] end)",
   * );
   * console.log(await client.fcall("echo", [], ["hello"])); // "hello"
   * ```
   */
  fcall(
    func: GlideString,
    keys: GlideString[],
    args: GlideString[],
    options?: DecoderOption,
  ): Reply<M, GlideReturnType> {
    return this.run(() => scripting.fcall(func, keys, args, false), options);
  }

  /**
   * Calls a read-only function of a loaded library (FCALL_RO): one registered with the
   * `no-writes` flag. On the cluster all `keys` must map to one hash slot.
   *
   * @param func - The function's name.
   * @param keys - The keys the function accesses.
   * @param args - The function's other arguments (not key names).
   * @param options - `decoder` for strings in the reply.
   * @returns What the function returns.
   * @example
   * ```ts
   * await client.functionLoad(
   *   "#!lua name=rolib\nredis.register_function{function_name='get', " +
   *     "callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
   * );
   * console.log(await client.fcallReadonly("get", ["k"], [])); // the value of "k"
   * ```
   */
  fcallReadonly(
    func: GlideString,
    keys: GlideString[],
    args: GlideString[],
    options?: DecoderOption,
  ): Reply<M, GlideReturnType> {
    return this.run(() => scripting.fcall(func, keys, args, true), options);
  }
}
