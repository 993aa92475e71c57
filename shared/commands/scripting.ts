/**
 * Builders of the scripting and function commands (EVALSHA via {@link Script}, FCALL,
 * FUNCTION *, SCRIPT *), and the {@link Script} class itself.
 * @module
 */

import { hex, sha1 } from "../digest.ts";
import { type Command, command, decodedAs, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError, RequestError } from "../errors.ts";
import type { Steps } from "../mode.ts";
import { FlushMode } from "../options/server.ts";
import type {
  FunctionListOptions,
  FunctionListResponse,
  FunctionRestorePolicy,
  FunctionStatsFullResponse,
  FunctionStatsSingleResponse,
} from "../options/scripting.ts";
import { routed, type Routes } from "../routes.ts";
import { toArray, toBooleans, toObject } from "../shape.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";

/** Each script's source code, kept out of the public object. */
const codes = new WeakMap<Script, GlideString>();

/**
 * A Lua script to run with `invokeScript`. Its SHA1 digest is computed once, when it is
 * created; the client sends EVALSHA with it and loads the script on the server only when the
 * server does not know it yet.
 *
 * @example
 * ```ts
 * import { Script } from "@glide-deno/glide";
 * const script = new Script("return { KEYS[1], ARGV[1] }");
 * console.log(script.getHash()); // 40 hex digits
 * // await client.invokeScript(script, { keys: ["k"], args: ["v"] }); // ["k", "v"]
 * script.release();
 * ```
 */
export class Script {
  readonly #hash: string;

  /**
   * Creates a script from its source code.
   *
   * @param code - The Lua source, as text or UTF-8 bytes.
   */
  constructor(code: GlideString) {
    if (typeof code !== "string" && !(code instanceof Uint8Array)) {
      throw new ConfigurationError("script code must be a string or a Uint8Array");
    }
    this.#hash = hex(sha1(code));
    codes.set(this, typeof code === "string" ? code : code.slice());
  }

  /**
   * The script's SHA1 digest (lowercase hex), as EVALSHA and SCRIPT EXISTS take it.
   *
   * @returns The digest.
   */
  getHash(): string {
    return this.#hash;
  }

  /**
   * Kept for compatibility with GLIDE, whose scripts live in native memory and must be
   * released. Here a script is an ordinary object that the garbage collector frees; calling
   * this is harmless (any number of times) and the script stays usable.
   */
  release(): void {}
}

function flushMode(mode: FlushMode | undefined): GlideString[] {
  if (mode === undefined) return [];
  if (!Object.values(FlushMode).includes(mode)) {
    throw new ConfigurationError(`unknown flush mode: ${String(mode)}`);
  }
  return [mode];
}

function strings(name: string, list: readonly GlideString[] | undefined): readonly GlideString[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigurationError(`${name} must be an array`);
  for (const v of list) {
    if (typeof v !== "string" && !(v instanceof Uint8Array)) {
      throw new ConfigurationError(`${name} must hold strings or Uint8Arrays`);
    }
  }
  return list;
}

/**
 * A reply shaper that throws a node's error reply. A command sent to several cluster nodes
 * can come back as a record of each node's reply, with a failing node's error as a value;
 * GLIDE fails the call with that error, and so does this. @internal
 */
function failed<T>(shape: (r: GlideReturnType) => T = (r) => r as T) {
  return (r: GlideReturnType): T => {
    if (r instanceof RequestError) throw r;
    return shape(r);
  };
}

/** Whether an error is the server's "script not in the cache". */
function isNoScript(e: unknown): boolean {
  return e instanceof RequestError && /^\s*NOSCRIPT\b|NoScript/i.test(e.message);
}

/**
 * EVALSHA of `script`; when the server answers NOSCRIPT, SCRIPT LOAD on the node(s) the
 * EVALSHA went to (the keys' slot owner, or the route; every node when the node is random),
 * then EVALSHA again. @internal
 */
export function* invokeScript(
  script: Script,
  keys: readonly GlideString[] | undefined,
  args: readonly GlideString[] | undefined,
  route?: Routes,
): Steps<GlideReturnType> {
  const code = codes.get(script);
  if (code === undefined) throw new ConfigurationError("not a Script");
  const k = strings("keys", keys);
  const a = strings("args", args);
  const evalsha = routed(
    shaped(["EVALSHA", script.getHash(), String(k.length), ...k, ...a], failed()),
    route,
  );
  try {
    return (yield evalsha) as GlideReturnType;
  } catch (e) {
    if (!isNoScript(e)) throw e;
  }
  // Where the script must be loaded: where EVALSHA goes. A random node cannot be named again,
  // so the script is then loaded everywhere (SCRIPT LOAD's default route on the cluster).
  let loadRoute: Routes | undefined = route;
  if (route === undefined || route === "randomNode") {
    loadRoute = k.length > 0 ? { type: "primarySlotKey", key: k[0] } : undefined;
  }
  yield routed(decodedAs<string>(["SCRIPT", "LOAD", code], Decoder.String), loadRoute);
  return (yield evalsha) as GlideReturnType;
}

/** SCRIPT SHOW sha1 (Valkey 8+). @internal */
export function scriptShow(sha1: GlideString): Command<GlideString> {
  return command(["SCRIPT", "SHOW", sha1]);
}

/** SCRIPT EXISTS sha1... @internal */
export function scriptExists(sha1s: GlideString[], route?: Routes): Command<boolean[]> {
  const list = mayBeEmpty("sha1s", strings("sha1s", sha1s));
  return routed(shaped(["SCRIPT", "EXISTS", ...list], failed(toBooleans)), route);
}

/** SCRIPT FLUSH [SYNC|ASYNC]. @internal */
export function scriptFlush(mode?: FlushMode, route?: Routes): Command<"OK"> {
  return routed(command(["SCRIPT", "FLUSH", ...flushMode(mode)]), route);
}

/** SCRIPT KILL. @internal */
export function scriptKill(route?: Routes): Command<"OK"> {
  return routed(command(["SCRIPT", "KILL"]), route);
}

/** FCALL / FCALL_RO function numkeys key... arg... @internal */
export function fcall(
  func: GlideString,
  keys: GlideString[],
  args: GlideString[],
  readonly: boolean,
  route?: Routes,
): Command<GlideReturnType> {
  const k = strings("keys", keys);
  const a = strings("args", args);
  return routed(
    shaped([readonly ? "FCALL_RO" : "FCALL", func, String(k.length), ...k, ...a], failed()),
    route,
  );
}

/** FUNCTION LOAD [REPLACE] code → the library name. @internal */
export function functionLoad(
  code: GlideString,
  replace?: boolean,
  route?: Routes,
): Command<GlideString> {
  return routed(command(["FUNCTION", "LOAD", ...(replace ? ["REPLACE"] : []), code]), route);
}

/** FUNCTION DELETE library. @internal */
export function functionDelete(library: GlideString, route?: Routes): Command<"OK"> {
  return routed(command(["FUNCTION", "DELETE", library]), route);
}

/** FUNCTION FLUSH [SYNC|ASYNC]. @internal */
export function functionFlush(mode?: FlushMode, route?: Routes): Command<"OK"> {
  return routed(command(["FUNCTION", "FLUSH", ...flushMode(mode)]), route);
}

/** One library of a FUNCTION LIST reply, as GLIDE shapes it. */
function library(lib: GlideReturnType): FunctionListResponse[number] {
  return toObject(
    lib,
    (v, k) =>
      k === "functions"
        ? toArray(v).map((f) => toObject(f, (fv, fk) => fk === "flags" ? toArray(fv) : fv))
        : v,
  ) as FunctionListResponse[number];
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. @internal */
export function functionList(
  options?: FunctionListOptions,
  route?: Routes,
): Command<FunctionListResponse> {
  const args: GlideString[] = ["FUNCTION", "LIST"];
  if (options?.libNamePattern !== undefined) args.push("LIBRARYNAME", options.libNamePattern);
  if (options?.withCode) args.push("WITHCODE");
  return routed(shaped(args, failed((r) => toArray(r).map(library))), route);
}

/** One node's FUNCTION STATS reply, as GLIDE shapes it. */
function stats(r: GlideReturnType): FunctionStatsSingleResponse {
  return toObject(r, (v, k) => {
    if (k === "running_script") {
      return v === null ? null : toObject(v, (x, xk) => xk === "command" ? toArray(x) : x);
    }
    if (k === "engines") return toObject(v, (e) => toObject(e));
    return v;
  }) as FunctionStatsSingleResponse;
}

/** FUNCTION STATS, one node's reply per node. @internal */
export function functionStats(route?: Routes): Command<FunctionStatsSingleResponse> {
  return routed(shaped(["FUNCTION", "STATS"], failed(stats)), route);
}

/**
 * FUNCTION STATS on the standalone server, by the server's address (its side of the
 * connection, from CLIENT INFO), as GLIDE's standalone client returns it. @internal
 */
export function* functionStatsFull(): Steps<FunctionStatsFullResponse> {
  const single = (yield functionStats()) as FunctionStatsSingleResponse;
  let address = "";
  try {
    const info = (yield decodedAs<string>(["CLIENT", "INFO"], Decoder.String)) as string;
    address = /(?:^|\s)laddr=(\S+)/.exec(String(info))?.[1] ?? "";
  } catch (e) {
    // CLIENT INFO may be denied (ACL); the stats are still worth returning.
    if (!(e instanceof RequestError)) throw e;
  }
  return { [address]: single };
}

/** FUNCTION KILL. @internal */
export function functionKill(route?: Routes): Command<"OK"> {
  return routed(command(["FUNCTION", "KILL"]), route);
}

/** FUNCTION DUMP → the payload, always bytes. @internal */
export function functionDump(route?: Routes): Command<Uint8Array> {
  return routed(
    { ...shaped(["FUNCTION", "DUMP"], failed<Uint8Array>()), decoder: Decoder.Bytes },
    route,
  );
}

/** The values of {@link FunctionRestorePolicy} (not imported: options/ re-exports Script). */
const RESTORE_POLICIES: string[] = ["APPEND", "FLUSH", "REPLACE"];

/** FUNCTION RESTORE payload [APPEND|FLUSH|REPLACE]. @internal */
export function functionRestore(
  payload: Uint8Array,
  policy?: FunctionRestorePolicy,
  route?: Routes,
): Command<"OK"> {
  if (!(payload instanceof Uint8Array) && typeof payload !== "string") {
    throw new ConfigurationError("payload must be a Uint8Array");
  }
  const args: GlideString[] = ["FUNCTION", "RESTORE", payload];
  if (policy !== undefined) {
    if (!RESTORE_POLICIES.includes(policy)) {
      throw new ConfigurationError(`unknown restore policy: ${String(policy)}`);
    }
    args.push(policy);
  }
  return routed(command(args), route);
}
