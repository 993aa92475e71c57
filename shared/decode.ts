/**
 * Decodes completion records and reply values written by the Rust core (native/ABI.md) into JS
 * values. One reader walks a buffer with a cursor; strings follow the call's {@link Decoder}.
 * @module
 */

import { errorFromStatus, RequestError, type ValkeyError } from "./errors.ts";
import { Decoder, type GlideReturnType } from "./values.ts";

const utf8 = new TextDecoder();

/** Value tags of the wire format. @internal */
export const Tag = {
  Nil: 0,
  Int: 1,
  Double: 2,
  Bool: 3,
  Bulk: 4,
  Simple: 5,
  Verbatim: 6,
  BigNumber: 7,
  Array: 8,
  Map: 9,
  Set: 10,
  Push: 11,
  Error: 12,
  Okay: 13,
  NodeReplies: 14,
  Untracked: 15,
} as const;

/**
 * Marks of the reply being decoded: `untracked` when the core read it over a connection that
 * does not track keys for a server-assisted cache (the cluster link), so the cache does not keep
 * it. Reset before each record's value is read. @internal
 */
export const replyMarks = { untracked: false };

/** Replies of a command sent to several cluster nodes, by node address. @internal */
export class NodeReplies {
  constructor(readonly byAddress: Record<string, GlideReturnType>) {}
}

/**
 * Applies a command's reply shaping to a decoded reply; for per-node replies, to each node's
 * reply, giving GLIDE's `Record<address, T>`. @internal
 */
export function finish(
  value: GlideReturnType | NodeReplies,
  shape: ((reply: GlideReturnType) => unknown) | undefined,
): unknown {
  if (value instanceof NodeReplies) {
    const out: Record<string, unknown> = {};
    for (const [address, reply] of Object.entries(value.byAddress)) {
      out[address] = shape ? shape(reply) : reply;
    }
    return out;
  }
  return shape ? shape(value) : value;
}

/** A RESP3 push message (pub/sub delivery, invalidation...). */
export interface PushValue {
  /** The push kind, e.g. `message`, `pmessage`, `smessage`. */
  kind: string;
  /** The push's elements. */
  values: GlideReturnType[];
}

/** A cursor over a buffer of records from the core. @internal */
export class ReplyReader {
  #bytes: Uint8Array;
  #view: DataView;
  /** Current read offset. */
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Points the reader at a new buffer (after the caller grew it). */
  reset(bytes: Uint8Array): void {
    if (bytes !== this.#bytes) {
      this.#bytes = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.pos = 0;
  }

  u32(): number {
    const v = this.#view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u8(): number {
    return this.#bytes[this.pos++];
  }

  /** Reads a length-prefixed UTF-8 string. */
  text(): string {
    const len = this.u32();
    const start = this.pos;
    this.pos += len;
    return decodeText(this.#bytes, start, this.pos);
  }

  /** Reads the error part of a completion (after a non-zero status). */
  error(status: number): ValkeyError {
    return errorFromStatus(status, this.text());
  }

  /** Reads one value, decoding strings with `decoder`. */
  value(decoder: Decoder): GlideReturnType {
    const tag = this.#bytes[this.pos++];
    switch (tag) {
      case Tag.Nil:
        return null;
      case Tag.Untracked:
        replyMarks.untracked = true;
        return this.value(decoder);
      case Tag.Int: {
        const v = this.#view.getBigInt64(this.pos, true);
        this.pos += 8;
        return Number(v);
      }
      case Tag.Double: {
        const v = this.#view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case Tag.Bool:
        return this.#bytes[this.pos++] !== 0;
      case Tag.Bulk:
      case Tag.Simple:
        return this.string(decoder);
      case Tag.Verbatim: {
        const formatLen = this.u32();
        this.pos += formatLen; // the format ("txt", "mkd") is dropped, as GLIDE does
        return this.string(decoder);
      }
      case Tag.BigNumber:
        return BigInt(this.text());
      case Tag.Array:
        return this.list(decoder);
      case Tag.Map: {
        const n = this.u32();
        const out: { key: GlideReturnType; value: GlideReturnType }[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const key = this.value(decoder);
          out[i] = { key, value: this.value(decoder) };
        }
        return out as GlideReturnType;
      }
      case Tag.Set:
        return new Set(this.list(decoder));
      case Tag.Push: {
        const kind = this.text();
        return { kind, values: this.list(decoder) } as unknown as GlideReturnType;
      }
      case Tag.Error:
        return new RequestError(this.text());
      case Tag.Okay:
        return "OK";
      case Tag.NodeReplies: {
        const n = this.u32();
        const byAddress: Record<string, GlideReturnType> = {};
        for (let i = 0; i < n; i++) {
          const address = this.text();
          byAddress[address] = this.value(decoder);
        }
        return new NodeReplies(byAddress) as unknown as GlideReturnType;
      }
      default:
        throw new RequestError(`glide-deno: unknown reply tag ${tag} from the core`);
    }
  }

  /**
   * Reads a batch's reply: an array whose elements are decoded each with its command's
   * decoder (or `decoder`), or nil (a transaction aborted by WATCH).
   */
  items(decoder: Decoder, decoders: readonly (Decoder | undefined)[]): GlideReturnType {
    if (this.#bytes[this.pos] !== Tag.Array) return this.value(decoder);
    this.pos++;
    const n = this.u32();
    const out: GlideReturnType[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.value(decoders[i] ?? decoder);
    return out;
  }

  list(decoder: Decoder): GlideReturnType[] {
    const n = this.u32();
    const out: GlideReturnType[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.value(decoder);
    return out;
  }

  string(decoder: Decoder): string | Uint8Array {
    const len = this.u32();
    const start = this.pos;
    this.pos += len;
    return decoder === Decoder.Bytes
      ? this.#bytes.slice(start, this.pos)
      : decodeText(this.#bytes, start, this.pos);
  }
}

/** Decodes UTF-8, with a fast path for short ASCII strings. */
function decodeText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c > 0x7f) return utf8.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(bytes.subarray(start, end));
}
