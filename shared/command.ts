/**
 * A command as both clients (and batches) run it: its arguments, plus how its reply is shaped
 * into the type the method returns. Builders in `commands/` produce these; nothing else
 * knows a command's arguments.
 * @module
 */

import { ConfigurationError } from "./errors.ts";
import type { Routes } from "./routes.ts";
import type { Decoder, GlideReturnType, GlideString } from "./values.ts";

/**
 * One command, ready to send: its arguments and how its reply is shaped. The clients' methods
 * build these; it is public only so that the clients' types can name it.
 *
 * @example
 * ```ts
 * import type { Command } from "@glide-deno/glide";
 * const ping: Command<string> = { args: ["PING"] };
 * ```
 */
export interface Command<T> {
  /** argv, command name first. */
  readonly args: GlideString[];
  /** Turns the decoded reply into the method's return type; identity when absent. */
  readonly shape?: (reply: GlideReturnType) => T;
  /** A timeout of its own (blocking commands), in ms; 0 = the client's. */
  readonly timeoutMs?: number;
  /** Where to send it (cluster). */
  readonly route?: Routes;
  /** A decoder the reply always uses, whatever the call or client says (e.g. INFO text). */
  readonly decoder?: Decoder;
  /** Set when this is a whole batch (`exec`): its commands, sent as one request. */
  readonly batch?: BatchBody;
  /** A question to the core itself rather than a command (`getSubscriptions`). */
  readonly query?: "subscriptions";
  /** A password change for the client's connections (`updateConnectionPassword`). */
  readonly password?: { readonly value: string | null; readonly immediate: boolean };
  /** Sent by `customCommand` (its span is named `CustomCommand`, as GLIDE names it). */
  readonly custom?: boolean;
}

/**
 * The commands of a batch as `exec` sends them. Public only so that {@link Command} can name
 * it.
 *
 * @example
 * ```ts
 * import type { BatchBody } from "@glide-deno/glide";
 * const body: BatchBody = { atomic: true, commands: [{ args: ["INCR", "n"] }], decoders: [] };
 * ```
 */
export interface BatchBody {
  /** MULTI/EXEC rather than a plain pipeline. */
  readonly atomic: boolean;
  /** The commands, in order. */
  readonly commands: readonly Command<unknown>[];
  /** Each command's decoder (from its method's `decoder` option), if it has one. */
  readonly decoders: readonly (Decoder | undefined)[];
  /** Cluster pipelines: retry commands hit by TRYAGAIN and similar server errors. */
  readonly retryServerError?: boolean;
  /** Cluster pipelines: retry commands whose node connection failed. */
  readonly retryConnectionError?: boolean;
}

/** Builds a command whose reply needs no shaping. @internal */
export function command<T>(args: GlideString[]): Command<T> {
  return { args };
}

/**
 * `customCommand`'s command: the reply as the server sends it, except HELLO's, which is a map
 * whatever the protocol (RESP2 sends it as a flat array), as GLIDE returns it. @internal
 */
export function custom(args: GlideString[]): Command<GlideReturnType> {
  const name = args?.[0];
  const hello = typeof name === "string"
    ? name.toUpperCase() === "HELLO"
    : name instanceof Uint8Array && new TextDecoder().decode(name).toUpperCase() === "HELLO";
  return hello ? { args, shape: helloMap, custom: true } : { args, custom: true };
}

/** HELLO's reply as a `{ key, value }` map (RESP2 sends `[k1, v1, ...]`). */
function helloMap(r: GlideReturnType): GlideReturnType {
  if (!Array.isArray(r) || r.length === 0 || (typeof r[0] === "object" && r[0] !== null)) {
    return r;
  }
  const list = r as GlideReturnType[];
  const out: { key: GlideReturnType; value: GlideReturnType }[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push({ key: list[i], value: list[i + 1] });
  return out as unknown as GlideReturnType;
}

/** Builds a command whose reply is always decoded with `decoder`. @internal */
export function decodedAs<T>(args: GlideString[], decoder: Decoder): Command<T> {
  return { args, decoder };
}

/** Builds a command with a reply-shaping function. @internal */
export function shaped<T>(args: GlideString[], shape: (reply: GlideReturnType) => T): Command<T> {
  return { args, shape };
}

/** Validates an integer argument and renders it as the server expects. @internal */
export function int(name: string, v: number): string {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new ConfigurationError(`${name} must be a safe integer, got ${String(v)}`);
  }
  return String(v);
}

/**
 * Validates a list that may be empty: an empty one is sent as it is and the server answers
 * (an empty reply, or its "wrong number of arguments" error), as GLIDE sends it. @internal
 */
export function mayBeEmpty<T>(name: string, items: readonly T[]): readonly T[] {
  if (!Array.isArray(items)) throw new ConfigurationError(`${name} must be an array`);
  return items;
}

/** Validates a finite number (scores, increments, coordinates) and renders it. @internal */
export function finite(name: string, v: number): string {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ConfigurationError(`${name} must be a finite number, got ${String(v)}`);
  }
  return String(v);
}
