/**
 * Cluster routes: where a command is sent. Same shapes as GLIDE's TypeScript client.
 * @module
 */

import { ConfigurationError } from "./errors.ts";
import type { GlideString } from "./values.ts";

/**
 * Send to one node chosen by a key's slot or a slot id, on the primary or a replica.
 *
 * @example
 * ```ts
 * import type { SingleNodeRoute } from "@glide-deno/glide";
 * const r: SingleNodeRoute = { type: "primarySlotKey", key: "user:1" };
 * ```
 */
export type SingleNodeRoute =
  | "randomNode"
  | { type: "primarySlotKey" | "replicaSlotKey"; key: GlideString }
  | { type: "primarySlotId" | "replicaSlotId"; id: number }
  | { type: "routeByAddress"; host: string; port?: number };

/**
 * Any route: every node, every primary, or a single node.
 *
 * @example
 * ```ts
 * import type { Routes } from "@glide-deno/glide";
 * const r: Routes = "allPrimaries";
 * ```
 */
export type Routes = "allNodes" | "allPrimaries" | SingleNodeRoute;

/** The subset of the request writer that routes need. @internal */
export interface RouteSink {
  u8(v: number): void;
  u32(v: number): void;
  arg(a: GlideString): void;
}

/** Writes the route byte (and its payload) of a request record. @internal */
export function encodeRoute(w: RouteSink, route: Routes | undefined): void {
  if (route === undefined) return w.u8(0);
  if (route === "allNodes") return w.u8(1);
  if (route === "allPrimaries") return w.u8(2);
  if (route === "randomNode") return w.u8(3);
  if (typeof route === "object" && route !== null) {
    switch (route.type) {
      case "primarySlotKey":
        w.u8(4);
        return w.arg(route.key);
      case "replicaSlotKey":
        w.u8(5);
        return w.arg(route.key);
      case "primarySlotId":
      case "replicaSlotId":
        if (!Number.isInteger(route.id) || route.id < 0 || route.id > 16383) {
          throw new ConfigurationError(`slot id must be an integer in 0..16383, got ${route.id}`);
        }
        w.u8(route.type === "primarySlotId" ? 6 : 7);
        return w.u32(route.id);
      case "routeByAddress": {
        let { host, port } = route;
        if (port === undefined) {
          const i = host.lastIndexOf(":");
          if (i < 0) throw new ConfigurationError("routeByAddress needs a port or host:port");
          port = Number(host.slice(i + 1));
          host = host.slice(0, i);
        }
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          throw new ConfigurationError(`invalid port in route: ${port}`);
        }
        w.u8(8);
        w.arg(host);
        return w.u32(port);
      }
    }
  }
  throw new ConfigurationError(`unknown route: ${JSON.stringify(route)}`);
}

/**
 * A reply from a command that may run on several nodes: one value, or a record of node address
 * (`host:port`) to that node's value.
 *
 * @example
 * ```ts
 * import type { ClusterResponse } from "@glide-deno/glide";
 * const r: ClusterResponse<number> = { "127.0.0.1:7000": 1, "127.0.0.1:7001": 2 };
 * ```
 */
export type ClusterResponse<T> = T | Record<string, T>;

/**
 * The `route` option of cluster commands.
 *
 * @example
 * ```ts
 * import type { RouteOption } from "@glide-deno/glide";
 * const o: RouteOption = { route: "allPrimaries" };
 * ```
 */
export interface RouteOption {
  /** Where to send the command; by default the command's keys, or GLIDE's default for it. */
  route?: Routes;
}

/** Gives a command a route, when one is set. @internal */
export function routed<C extends { readonly route?: Routes }>(
  cmd: C,
  route: Routes | undefined,
): C {
  return route === undefined ? cmd : { ...cmd, route };
}
