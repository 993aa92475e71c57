/**
 * The value types that cross the client API: what you pass in and what replies decode to.
 * @module
 */

import type { RequestError } from "./errors.ts";

/**
 * A Valkey string: a JS string (sent as UTF-8) or raw bytes. Replies come back as `string` with
 * {@link Decoder.String} and as `Uint8Array` with {@link Decoder.Bytes}.
 *
 * @example
 * ```ts
 * import type { GlideString } from "@glide-deno/glide";
 * const key: GlideString = "user:1";
 * const blob: GlideString = new Uint8Array([0, 255]);
 * ```
 */
export type GlideString = string | Uint8Array;

/**
 * How bulk and simple string replies are decoded.
 *
 * @example
 * ```ts
 * import { Decoder } from "@glide-deno/glide";
 * // await client.get("key", { decoder: Decoder.Bytes }); // -> Uint8Array | null
 * const d = Decoder.Bytes;
 * ```
 */
export enum Decoder {
  /** Return strings as raw bytes (`Uint8Array`). */
  Bytes = 0,
  /** Return strings as UTF-8-decoded JS strings (the default). */
  String = 1,
}

/**
 * The per-call decoder option accepted by every method that returns strings.
 *
 * @example
 * ```ts
 * import { Decoder, type DecoderOption } from "@glide-deno/glide";
 * const opts: DecoderOption = { decoder: Decoder.Bytes };
 * ```
 */
export interface DecoderOption {
  /** Overrides the client's `defaultDecoder` for this call. */
  decoder?: Decoder;
}

/**
 * A map reply, as an ordered list of entries (keys may be binary, so no JS object is used).
 *
 * @example
 * ```ts
 * import type { GlideRecord } from "@glide-deno/glide";
 * const r: GlideRecord<number> = [{ key: "a", value: 1 }];
 * ```
 */
export type GlideRecord<T> = { key: GlideString; value: T }[];

/**
 * Any reply `customCommand` can return. RESP3 maps become {@link GlideRecord}s, sets become
 * `Set`s, big numbers `bigint`s, and an error inside an array a {@link RequestError} value.
 *
 * @example
 * ```ts
 * import type { GlideReturnType } from "@glide-deno/glide";
 * const v: GlideReturnType = ["OK", 1, null];
 * ```
 */
export type GlideReturnType =
  | "OK"
  | string
  | number
  | null
  | boolean
  | bigint
  | Uint8Array
  | Set<GlideReturnType>
  | { key: GlideString; value: GlideReturnType }[]
  | GlideReturnType[]
  | RequestError;
