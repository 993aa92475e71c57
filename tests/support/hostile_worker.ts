/**
 * A hostile server (hostile_server.ts, accepting normally) run in a Worker, so that a sync client
 * blocking the test's thread is still answered. Posts `{ type: "port", port }` once listening;
 * `{ type: "received", key }` is answered with `{ type: "received", count }`.
 */

/// <reference lib="deno.worker" />

import { startHostileServer } from "./hostile_server.ts";

const server = startHostileServer("normal");
self.onmessage = (e: MessageEvent<{ type: "received"; key: string }>) => {
  self.postMessage({ type: "received", count: server.received(e.data.key) });
};
self.postMessage({ type: "port", port: server.port });
