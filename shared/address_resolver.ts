/**
 * `addressResolver` across the boundary: the core asks it before every connection it dials
 * (see `native/src/connections/resolver.rs`). An async client's questions come as message
 * records of kind `resolve`, answered with `glide_resolver_answer`; a sync client's are asked
 * on the calling thread, through a `Deno.UnsafeCallback` the core calls while one of the
 * client's calls waits. Whatever the function does, the core gets an address or "keep it".
 * @module
 */

import type { AddressResolver } from "./config.ts";
import { Logger } from "./logger.ts";
import type { Core } from "./native.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Field 25 of `ConnectionRequest` (`address_resolver`), a varint. */
const FIELD_TAG = [0xc8, 0x01];

/** The configuration bytes with the resolver's id added (a later field wins in protobuf). */
export function withResolverId(bytes: Uint8Array, id: number): Uint8Array {
  const varint: number[] = [];
  for (let v = id >>> 0;; v >>>= 7) {
    if (v < 0x80) {
      varint.push(v);
      break;
    }
    varint.push((v & 0x7f) | 0x80);
  }
  const out = new Uint8Array(bytes.length + FIELD_TAG.length + varint.length);
  out.set(bytes);
  out.set([...FIELD_TAG, ...varint], bytes.length);
  return out;
}

function warn(message: string, err?: unknown): void {
  try {
    Logger.log("warn", "address_resolver", message, err instanceof Error ? err : undefined);
  } catch {
    // Logging must never turn a fallback into a failure.
  }
}

/** `value` as an address, or `undefined` (the address is kept) when it is not one. */
function addressOf(value: unknown, host: string, port: number): [string, number] | undefined {
  if (
    Array.isArray(value) && value.length >= 2 && typeof value[0] === "string" &&
    value[0].length > 0 && Number.isInteger(value[1]) && value[1] > 0 && value[1] <= 0xffff
  ) {
    return [value[0], value[1]];
  }
  warn(`addressResolver gave ${String(value)} for ${host}:${port}; keeping the address`);
  return undefined;
}

/** Calls `resolve`; a throw or a bad answer keeps the address. */
function ask(
  resolve: AddressResolver,
  host: string,
  port: number,
): [string, number] | undefined | Promise<[string, number] | undefined> {
  let value;
  try {
    value = resolve(host, port);
  } catch (e) {
    warn(`addressResolver threw for ${host}:${port}; keeping the address`, e);
    return undefined;
  }
  if (value instanceof Promise) {
    return value.then((v) => addressOf(v, host, port), (e) => {
      warn(`addressResolver rejected for ${host}:${port}; keeping the address`, e);
      return undefined;
    });
  }
  return addressOf(value, host, port);
}

/** An async client's resolver, registered with the core (its questions go to `queue`). */
export class QueuedResolver {
  private constructor(readonly core: Core, readonly id: number, readonly fn: AddressResolver) {}

  /** Registers `fn`; `undefined` if the core refused (the queue is not this isolate's). */
  static register(core: Core, queue: number, fn: AddressResolver): QueuedResolver | undefined {
    const id = core.glide_resolver_new(queue, null);
    return id === 0 ? undefined : new QueuedResolver(core, id, fn);
  }

  /** Answers question `token` about `host:port` (a `resolve` record's values). */
  question(values: unknown[]): void {
    const [token, rawHost, port] = values;
    if (typeof token !== "number" || typeof port !== "number") return;
    const host = typeof rawHost === "string" ? rawHost : decoder.decode(rawHost as Uint8Array);
    const answer = ask(this.fn, host, port);
    if (answer instanceof Promise) answer.then((a) => this.#answer(token, a));
    else this.#answer(token, answer);
  }

  #answer(token: number, address: [string, number] | undefined): void {
    const host = encoder.encode(address?.[0] ?? "");
    this.core.glide_resolver_answer(this.id, token, host, host.length, address?.[1] ?? 0);
  }

  /** The core never asks again. */
  free(): void {
    this.core.glide_resolver_free(this.id);
  }
}

let resolving = 0;

/** Whether a sync client's resolver is running now (it may not use a client). */
export function insideResolver(): boolean {
  return resolving > 0;
}

const CALLBACK = {
  // (host, its length, port, out, its capacity) -> bytes written: port (u16 LE), then host
  parameters: ["pointer", "u32", "u32", "pointer", "u32"],
  result: "u32",
} as const;

/** A sync client's resolver: a callback the core calls on this thread, inside the client's calls. */
export class CallingResolver {
  readonly #callback: Deno.UnsafeCallback<typeof CALLBACK>;

  private constructor(
    readonly core: Core,
    readonly id: number,
    callback: Deno.UnsafeCallback<typeof CALLBACK>,
  ) {
    this.#callback = callback;
  }

  /** Registers `fn`; `undefined` if the core refused. */
  static register(core: Core, queue: number, fn: AddressResolver): CallingResolver | undefined {
    const callback = new Deno.UnsafeCallback(CALLBACK, (hostPtr, hostLen, port, out, cap) => {
      if (hostPtr === null || out === null) return 0;
      const host = decoder.decode(
        new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(hostPtr, hostLen)),
      );
      resolving++;
      let answer;
      try {
        answer = ask(fn, host, port);
      } finally {
        resolving--;
      }
      if (answer instanceof Promise) {
        answer.catch(() => {});
        warn("a sync client's addressResolver must answer synchronously; keeping the address");
        return 0;
      }
      if (answer === undefined) return 0;
      const bytes = encoder.encode(answer[0]);
      if (bytes.length + 2 > cap) return 0;
      const view = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(out, cap));
      view[0] = answer[1] & 0xff;
      view[1] = answer[1] >> 8;
      view.set(bytes, 2);
      return bytes.length + 2;
    });
    const id = core.glide_resolver_new(queue, callback.pointer);
    if (id === 0) {
      callback.close();
      return undefined;
    }
    return new CallingResolver(core, id, callback);
  }

  /** The core never calls it again; then the callback is closed. */
  free(): void {
    this.core.glide_resolver_free(this.id);
    this.#callback.close();
  }
}
