/**
 * Opens the Rust core with `Deno.dlopen`, from the path `loader.ts` finds (`GLIDE_DENO_LIB`, a
 * local build, the cache, or a verified download).
 * @module
 */

import { ConfigurationError } from "./errors.ts";
import { type Library, resolveLibrary, resolveLibrarySync } from "./loader.ts";

const symbols = {
  // Completion queues: one per isolate (see native/ABI.md).
  glide_queue_open: { parameters: [], result: "u32" },
  glide_queue_close: { parameters: ["u32"], result: "void" },
  // (queue, config bytes, config length, create request id) -> client handle, 0 on error
  glide_async_create: { parameters: ["u32", "buffer", "u32", "u32"], result: "u32" },
  // (queue, client handle, request records, their length) -> 0
  glide_submit: { parameters: ["u32", "u32", "buffer", "u32"], result: "u32" },
  // (queue, out buffer, its capacity) -> bytes written, or 0x8000_0000 | size needed
  glide_drain: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (queue, timeout ms) -> 1 when records are ready. Takes no buffer: it may still be running
  // when its isolate is gone.
  glide_wait_ready: { parameters: ["u32", "u32"], result: "u32", nonblocking: true },
  // (queue): ends the outstanding glide_wait_ready, and rings the wake-up socket
  glide_wake: { parameters: ["u32"], result: "void" },
  // (queue) -> 1: the isolate owns its async clients' plain TCP sockets from now on (js_io.ts)
  glide_io_enable: { parameters: ["u32"], result: "u32" },
  // (connection id) -> its socket's file descriptor, now JS's; -1 if gone
  glide_io_adopt: { parameters: ["u32"], result: "i64" },
  // (connection id, bytes read, length): replies complete into the queue
  glide_io_feed: { parameters: ["u32", "buffer", "u32"], result: "void" },
  // (connection id): its socket ended
  glide_io_ended: { parameters: ["u32"], result: "void" },
  // (connection id): JS is done with it (after its glide-io-close record)
  glide_io_release: { parameters: ["u32"], result: "void" },
  // (queue, out buffer, capacity) -> bytes to write as (id u32, len u32, bytes) records, or
  // 0x8000_0000 | the length needed
  glide_io_flush: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // () -> the port of the core's wake-up listener on 127.0.0.1, 0 if none
  glide_wakeup_port: { parameters: [], result: "u32" },
  // (queue, out buffer, its capacity) -> 20: the hello that gives a socket to the queue
  glide_wakeup_hello: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (queue, config bytes, config length) -> client handle, 0 on error
  glide_sync_create: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (client handle, request record, its length, out buffer, its capacity) -> record size
  glide_sync_command: { parameters: ["u32", "buffer", "u32", "buffer", "u32"], result: "u32" },
  // (queue, callback or null) -> resolver id, 0 on error (addressResolver)
  glide_resolver_new: { parameters: ["u32", "pointer"], result: "u32" },
  // (resolver id, question token, host, its length, port; 0 keeps the address)
  glide_resolver_answer: { parameters: ["u32", "u32", "buffer", "u32", "u32"], result: "void" },
  // (resolver id): the core never asks it again
  glide_resolver_free: { parameters: ["u32"], result: "void" },
  // (client handle, out buffer, its capacity) -> record size
  glide_sync_take: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (client handle)
  glide_close: { parameters: ["u32"], result: "void" },
  // (out buffer, its capacity) -> bytes written: [status][message]
  glide_last_error: { parameters: ["buffer", "u32"], result: "u32" },
  // (queue, timeout ms) -> 1 when a record is queued (blocks: the sync client's pub/sub wait)
  glide_wait: { parameters: ["u32", "u32"], result: "u32" },
  // (queue) -> 1 when records wait to be drained (a cheap check before glide_drain)
  glide_queue_ready: { parameters: ["u32"], result: "u32" },
  // (sync client handle): its connections read what arrived (invalidations), without waiting
  glide_sync_poll: { parameters: ["u32"], result: "void" },
  // (kind: 0 connections, 1 clients, 2 out-of-sync rounds, 3 last sync ms, 4 timeouts,
  // 5 retries, 6 MOVED replies) -> the count
  glide_statistic: { parameters: ["u32"], result: "f64" },
  // (queue) -> 1 if its isolate exports the process's metrics (the first to ask, until it ends)
  glide_metrics_claim: { parameters: ["u32"], result: "u32" },
  // (level, file name, its length, only if unset) -> the level in force (GLIDE's Logger)
  glide_log_config: { parameters: ["u32", "buffer", "u32", "u32"], result: "u32" },
  // (level, identifier, its length, message, its length): one line through the logger
  glide_log: { parameters: ["u32", "buffer", "u32", "buffer", "u32"], result: "void" },
  // (backend id, level, value, its length, out, its capacity) -> compressed size in out, 0 = keep
  glide_compress: {
    parameters: ["u32", "i32", "buffer", "u32", "buffer", "u32"],
    result: "u32",
  },
  // (stored value, its length, max size) -> decompressed size (kept for glide_decompressed),
  // 0xFFFF_FFFF not a compressed value, 0xFFFF_FFFE larger than max
  glide_decompress: { parameters: ["buffer", "u32", "u32"], result: "u32" },
  // (out, its capacity) -> bytes written: what the last glide_decompress produced
  glide_decompressed: { parameters: ["buffer", "u32"], result: "u32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The core's symbols. @internal */
export type Core = Deno.DynamicLibrary<typeof symbols>["symbols"];

let core: Core | undefined;
let preparing: Promise<Core> | undefined;
let failure: ConfigurationError | undefined;

/**
 * Finds (downloading it if need be, see `loader.ts`) and opens the core, once per isolate; the
 * async clients await it before their first connection. A failure is kept for
 * {@link loadCore}, and the next call tries again.
 *
 * @example
 * ```ts
 * const core = await prepareCore();
 * ```
 * @internal
 */
export function prepareCore(): Promise<Core> {
  if (core) return Promise.resolve(core);
  try {
    if (openNow()) return Promise.resolve(core!);
  } catch (e) {
    failure = e as ConfigurationError;
    return Promise.reject(e);
  }
  return preparing ??= open().then(
    (opened) => {
      failure = undefined;
      return core = opened;
    },
    (e: ConfigurationError) => {
      preparing = undefined;
      failure = e;
      throw e;
    },
  );
}

/** Opens the core if it can be had without waiting (see `resolveLibrarySync`). */
function openNow(): boolean {
  const found = resolveLibrarySync();
  if (found) core = dlopen(found);
  return found !== undefined;
}

async function open(): Promise<Core> {
  return dlopen(await resolveLibrary());
}

function dlopen({ path, source }: Library): Core {
  try {
    return Deno.dlopen(path, symbols).symbols;
  } catch (e) {
    const how = source === "env"
      ? `GLIDE_DENO_LIB points at ${path}, which could not be loaded`
      : `the native library ${path} could not be loaded`;
    throw new ConfigurationError(`glide-deno: ${how} (${(e as Error).message})`, { cause: e });
  }
}

/**
 * The opened core, for code that cannot wait: the sync client, whose module prepares it at
 * import time. Throws the preparation's `ConfigurationError` if it failed.
 *
 * @example
 * ```ts
 * const core = loadCore();
 * ```
 * @internal
 */
export function loadCore(): Core {
  if (core) return core;
  if (!failure && openNow()) return core!;
  throw failure ?? new ConfigurationError(
    "glide-deno: the native library is not loaded yet (await prepareCore() first)",
  );
}

const errorBuf = new Uint8Array(4096);

/** Reads the core's last create error as `[status, message]`. @internal */
export function lastError(c: Core): [number, string] {
  const n = c.glide_last_error(errorBuf, errorBuf.length);
  if (n === 0) return [1, "unknown error"];
  return [errorBuf[0], new TextDecoder().decode(errorBuf.subarray(1, n))];
}

/**
 * Opens the core now if that needs no download; whether it is open. Errors are kept for
 * {@link loadCore}.
 *
 * @example
 * ```ts
 * if (!coreAtHand()) await prepareCore();
 * ```
 * @internal
 */
export function coreAtHand(): boolean {
  if (core) return true;
  try {
    return openNow();
  } catch (e) {
    failure = e as ConfigurationError;
    return true; // nothing to wait for: loadCore() throws the error
  }
}
