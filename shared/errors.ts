/**
 * The error types every client method can throw, and their mapping from the core's status codes.
 * @module
 */

/**
 * Base class of every error glide-deno throws.
 *
 * @example
 * ```ts
 * import { ValkeyError } from "@glide-deno/glide";
 * try { throw new ValkeyError("x"); } catch (e) { console.log(e instanceof ValkeyError); }
 * ```
 */
export class ValkeyError extends Error {
  /** Creates the error with the given message (and `options.cause`, the error behind it). */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The client is closed (or was closed while the request was in flight).
 *
 * @example
 * ```ts
 * import { ClosingError } from "@glide-deno/glide";
 * const e = new ClosingError("client closed");
 * console.log(e.name); // "ClosingError"
 * ```
 */
export class ClosingError extends ValkeyError {}

/**
 * The server rejected the request; the message is the server's error text
 * (e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`).
 *
 * @example
 * ```ts
 * import { RequestError } from "@glide-deno/glide";
 * const e = new RequestError("ERR syntax error");
 * console.log(e.message);
 * ```
 */
export class RequestError extends ValkeyError {}

/**
 * The request did not complete within its timeout.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@glide-deno/glide";
 * console.log(new TimeoutError("timed out") instanceof Error);
 * ```
 */
export class TimeoutError extends RequestError {}

/**
 * A MULTI/EXEC transaction was aborted by the server.
 *
 * @example
 * ```ts
 * import { ExecAbortError } from "@glide-deno/glide";
 * console.log(new ExecAbortError("EXECABORT").name);
 * ```
 */
export class ExecAbortError extends RequestError {}

/**
 * The connection to the server failed or was lost.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "@glide-deno/glide";
 * console.log(new ConnectionError("refused").name);
 * ```
 */
export class ConnectionError extends RequestError {}

/**
 * The configuration (or a call's arguments) are invalid; raised before any I/O.
 *
 * @example
 * ```ts
 * import { ConfigurationError } from "@glide-deno/glide";
 * console.log(new ConfigurationError("no addresses").name);
 * ```
 */
export class ConfigurationError extends RequestError {}

/** The core's status codes (see native/ABI.md). @internal */
export const Status = {
  Ok: 0,
  Request: 1,
  Timeout: 2,
  Connection: 3,
  Closing: 4,
  ExecAbort: 5,
  Configuration: 6,
} as const;

const byStatus: Record<number, new (message: string) => ValkeyError> = {
  [Status.Request]: RequestError,
  [Status.Timeout]: TimeoutError,
  [Status.Connection]: ConnectionError,
  [Status.Closing]: ClosingError,
  [Status.ExecAbort]: ExecAbortError,
  [Status.Configuration]: ConfigurationError,
};

/** Builds the typed error for a core status code. @internal */
export function errorFromStatus(status: number, message: string): ValkeyError {
  const Type = byStatus[status] ?? RequestError;
  return new Type(message);
}

/** What a call on a closed client rejects with (GLIDE's words). @internal */
export const CLIENT_CLOSED =
  "Unable to execute requests; the client is closed. Please create a new client.";

/**
 * An error thrown while a command was being built from its arguments, as the typed error a
 * caller gets: library errors pass through; anything else (a `TypeError` from an argument of
 * the wrong type, say) becomes a `ConfigurationError`. Nothing has been sent. @internal
 */
export function asArgumentError(e: unknown): ValkeyError {
  if (e instanceof ValkeyError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new ConfigurationError(`invalid arguments: ${detail}`);
}
