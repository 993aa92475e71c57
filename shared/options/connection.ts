/**
 * Public option and reply types of the connection commands.
 * @module
 */

/**
 * What CLIENT PAUSE suspends.
 *
 * @example
 * ```ts
 * import { ClientPauseMode } from "@glide-deno/glide";
 * // await client.clientPause(500, ClientPauseMode.WRITE);
 * const m = ClientPauseMode.ALL;
 * ```
 */
export enum ClientPauseMode {
  /** Every command of every client. */
  ALL = "ALL",
  /** Only commands that may write. */
  WRITE = "WRITE",
}

/**
 * The reply of CLIENT TRACKINGINFO: this connection's client-side caching state.
 *
 * @example
 * ```ts
 * import type { ClientTrackingInfo } from "@glide-deno/glide";
 * const off: ClientTrackingInfo = { flags: new Set(["off"]), redirect: -1, prefixes: new Set() };
 * ```
 */
export interface ClientTrackingInfo {
  /** Tracking flags, such as `off`, `on`, `bcast`, `optin`, `noloop`. */
  readonly flags: Set<string>;
  /** The client id invalidations are redirected to, `0` or `-1` when not redirected. */
  readonly redirect: number;
  /** Key prefixes tracked in broadcast mode. */
  readonly prefixes: Set<string>;
}
