/**
 * Loads the Rust core with `Deno.dlopen`: `GLIDE_DENO_LIB` first, then the library built by
 * `deno task build` (named per OS and arch), else a clear error saying how to build it.
 * @module
 */

import { ConfigurationError } from "./errors.ts";

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
  // (queue): ends the outstanding glide_wait_ready
  glide_wake: { parameters: ["u32"], result: "void" },
  // (queue, config bytes, config length) -> client handle, 0 on error
  glide_sync_create: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (client handle, request record, its length, out buffer, its capacity) -> record size
  glide_sync_command: { parameters: ["u32", "buffer", "u32", "buffer", "u32"], result: "u32" },
  // (client handle, out buffer, its capacity) -> record size
  glide_sync_take: { parameters: ["u32", "buffer", "u32"], result: "u32" },
  // (client handle)
  glide_close: { parameters: ["u32"], result: "void" },
  // (out buffer, its capacity) -> bytes written: [status][message]
  glide_last_error: { parameters: ["buffer", "u32"], result: "u32" },
  // (queue, timeout ms) -> 1 when a record is queued (blocks: the sync client's pub/sub wait)
  glide_wait: { parameters: ["u32", "u32"], result: "u32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The core's symbols. @internal */
export type Core = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** The library file name for an OS and architecture, as `deno task build` writes it. */
export function libraryFileName(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string {
  switch (os) {
    case "windows":
      return `glide_deno.windows-${arch}.dll`;
    case "darwin":
      return `libglide_deno.darwin-${arch}.dylib`;
    default:
      return `libglide_deno.${os}-${arch}.so`;
  }
}

function envPath(): string | undefined {
  try {
    return Deno.env.get("GLIDE_DENO_LIB") || undefined;
  } catch {
    return undefined; // no --allow-env: fall through to the built library
  }
}

function builtPath(): string {
  const url = new URL(`../native/dist/${libraryFileName()}`, import.meta.url);
  return url.protocol === "file:" ? decodeURIComponent(url.pathname) : url.href;
}

let core: Core | undefined;

/** The loaded core, opened on first use and kept for the life of the process. @internal */
export function loadCore(): Core {
  if (core) return core;
  const override = envPath();
  const path = override ?? builtPath();
  try {
    core = Deno.dlopen(path, symbols).symbols;
  } catch (e) {
    const how = override
      ? `GLIDE_DENO_LIB points at ${path}, which could not be loaded`
      : `the native library was not found at ${path}; build it with \`deno task build\` ` +
        "(needs Rust), or set GLIDE_DENO_LIB to a prebuilt library";
    throw new ConfigurationError(`glide-deno: ${how} (${(e as Error).message})`);
  }
  return core;
}

const errorBuf = new Uint8Array(4096);

/** Reads the core's last create error as `[status, message]`. @internal */
export function lastError(c: Core): [number, string] {
  const n = c.glide_last_error(errorBuf, errorBuf.length);
  if (n === 0) return [1, "unknown error"];
  return [errorBuf[0], new TextDecoder().decode(errorBuf.subarray(1, n))];
}
