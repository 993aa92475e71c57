/**
 * Public option and reply types of the bitmaps commands: BITOP's operations, BITCOUNT/BITPOS
 * ranges, and the BITFIELD subcommands as GLIDE models them.
 * @module
 */

import { ConfigurationError } from "../errors.ts";

/** Validates an integer in [min, max]; rendered as a string. */
function bounded(name: string, v: number, min: number, max: number): string {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new ConfigurationError(
      `${name} must be an integer in [${min}, ${max}], got ${String(v)}`,
    );
  }
  return String(v);
}

/**
 * The bitwise operation `bitop` performs between its source keys.
 *
 * @example
 * ```ts
 * import { BitwiseOperation } from "@glide-deno/glide";
 * // await client.bitop(BitwiseOperation.AND, "dest", ["a", "b"]);
 * const op = BitwiseOperation.XOR;
 * ```
 */
export enum BitwiseOperation {
  /** Bitwise AND of all sources. */
  AND = "AND",
  /** Bitwise OR of all sources. */
  OR = "OR",
  /** Bitwise XOR of all sources. */
  XOR = "XOR",
  /** Bitwise NOT of the one source. */
  NOT = "NOT",
}

/**
 * Whether the `start`/`end` of {@link BitOffsetOptions} count bytes (the default) or bits
 * (server 7.0+).
 *
 * @example
 * ```ts
 * import { BitmapIndexType } from "@glide-deno/glide";
 * // await client.bitcount("k", { start: 0, end: 5, indexType: BitmapIndexType.BIT });
 * const t = BitmapIndexType.BIT;
 * ```
 */
export enum BitmapIndexType {
  /** Offsets are byte indexes. */
  BYTE = "BYTE",
  /** Offsets are bit indexes. */
  BIT = "BIT",
}

/**
 * A range for `bitcount` and `bitpos`: `start` and `end` (inclusive, negative counts from the
 * end), in bytes unless `indexType` says bits. `indexType` needs `end`.
 *
 * @example
 * ```ts
 * import { BitmapIndexType, type BitOffsetOptions } from "@glide-deno/glide";
 * const firstByte: BitOffsetOptions = { start: 0, end: 0 };
 * const lastFiveBits: BitOffsetOptions = { start: -5, end: -1, indexType: BitmapIndexType.BIT };
 * ```
 */
export interface BitOffsetOptions {
  /** The first index. */
  start: number;
  /** The last index (inclusive); the end of the string when absent (BITCOUNT needs Valkey 8). */
  end?: number;
  /** BYTE or BIT indexes; only with `end`. */
  indexType?: BitmapIndexType;
}

/**
 * A BITFIELD integer encoding: signed (`i1`..`i64`) or unsigned (`u1`..`u63`).
 *
 * @example
 * ```ts
 * import { type BitEncoding, UnsignedEncoding } from "@glide-deno/glide";
 * const e: BitEncoding = new UnsignedEncoding(8);
 * console.log(e.toArg()); // "u8"
 * ```
 */
export interface BitEncoding {
  /** The encoding as BITFIELD's argument, e.g. `"i8"`. */
  toArg(): string;
}

/**
 * A signed BITFIELD encoding of 1 to 64 bits (`iN`).
 *
 * @example
 * ```ts
 * import { SignedEncoding } from "@glide-deno/glide";
 * console.log(new SignedEncoding(16).toArg()); // "i16"
 * ```
 */
export class SignedEncoding implements BitEncoding {
  readonly #arg: string;

  /**
   * Creates the encoding `i<encodingLength>`.
   *
   * @param encodingLength - The number of bits, 1 to 64.
   * @throws ConfigurationError for another length.
   */
  constructor(encodingLength: number) {
    this.#arg = `i${bounded("encodingLength", encodingLength, 1, 64)}`;
  }

  /** The encoding as BITFIELD's argument. */
  toArg(): string {
    return this.#arg;
  }
}

/**
 * An unsigned BITFIELD encoding of 1 to 63 bits (`uN`).
 *
 * @example
 * ```ts
 * import { UnsignedEncoding } from "@glide-deno/glide";
 * console.log(new UnsignedEncoding(4).toArg()); // "u4"
 * ```
 */
export class UnsignedEncoding implements BitEncoding {
  readonly #arg: string;

  /**
   * Creates the encoding `u<encodingLength>`.
   *
   * @param encodingLength - The number of bits, 1 to 63.
   * @throws ConfigurationError for another length.
   */
  constructor(encodingLength: number) {
    this.#arg = `u${bounded("encodingLength", encodingLength, 1, 63)}`;
  }

  /** The encoding as BITFIELD's argument. */
  toArg(): string {
    return this.#arg;
  }
}

/**
 * Where a BITFIELD subcommand reads or writes: a bit index ({@link BitOffset}) or a multiple
 * of the encoding's width ({@link BitOffsetMultiplier}).
 *
 * @example
 * ```ts
 * import { BitOffset, type BitFieldOffset } from "@glide-deno/glide";
 * const o: BitFieldOffset = new BitOffset(3);
 * console.log(o.toArg()); // "3"
 * ```
 */
export interface BitFieldOffset {
  /** The offset as BITFIELD's argument, e.g. `"3"` or `"#2"`. */
  toArg(): string;
}

/**
 * A BITFIELD offset in bits: with `01101001`, offset 1 and `u4` read `1101` (13).
 *
 * @example
 * ```ts
 * import { BitOffset } from "@glide-deno/glide";
 * console.log(new BitOffset(1).toArg()); // "1"
 * ```
 */
export class BitOffset implements BitFieldOffset {
  readonly #arg: string;

  /**
   * Creates a bit offset.
   *
   * @param offset - The bit index, 0 or more (a negative one is the server's error to report,
   *   as in GLIDE).
   * @throws ConfigurationError for a non-integer offset.
   */
  constructor(offset: number) {
    this.#arg = bounded("offset", offset, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  /** The offset as BITFIELD's argument. */
  toArg(): string {
    return this.#arg;
  }
}

/**
 * A BITFIELD offset in units of the encoding's width (`#N`): with `01101001`, multiplier 1 and
 * `u4` read `1001` (9).
 *
 * @example
 * ```ts
 * import { BitOffsetMultiplier } from "@glide-deno/glide";
 * console.log(new BitOffsetMultiplier(2).toArg()); // "#2"
 * ```
 */
export class BitOffsetMultiplier implements BitFieldOffset {
  readonly #arg: string;

  /**
   * Creates an offset of `offset` encoding widths.
   *
   * @param offset - How many encoding widths from the start, 0 or more (a negative one is the
   *   server's error to report, as in GLIDE).
   * @throws ConfigurationError for a non-integer offset.
   */
  constructor(offset: number) {
    this.#arg = `#${bounded("offset", offset, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)}`;
  }

  /** The offset as BITFIELD's argument. */
  toArg(): string {
    return this.#arg;
  }
}

/**
 * One BITFIELD subcommand: {@link BitFieldGet}, {@link BitFieldSet}, {@link BitFieldIncrBy}
 * or {@link BitFieldOverflow}.
 *
 * @example
 * ```ts
 * import { BitFieldGet, type BitFieldSubCommands, BitOffset, SignedEncoding } from "@glide-deno/glide";
 * const sub: BitFieldSubCommands = new BitFieldGet(new SignedEncoding(8), new BitOffset(0));
 * console.log(sub.toArgs()); // ["GET", "i8", "0"]
 * ```
 */
export interface BitFieldSubCommands {
  /** The subcommand's arguments. */
  toArgs(): string[];
}

/**
 * BITFIELD GET: reads the integer at an offset.
 *
 * @example
 * ```ts
 * import { BitFieldGet, BitOffset, UnsignedEncoding } from "@glide-deno/glide";
 * // await client.bitfield("k", [new BitFieldGet(new UnsignedEncoding(2), new BitOffset(1))]);
 * const get = new BitFieldGet(new UnsignedEncoding(2), new BitOffset(1));
 * ```
 */
export class BitFieldGet implements BitFieldSubCommands {
  readonly #args: string[];

  /**
   * Creates a GET subcommand.
   *
   * @param encoding - The integer's encoding.
   * @param offset - Where it starts.
   */
  constructor(encoding: BitEncoding, offset: BitFieldOffset) {
    this.#args = ["GET", encoding.toArg(), offset.toArg()];
  }

  /** The subcommand's arguments. */
  toArgs(): string[] {
    return [...this.#args];
  }
}

/**
 * BITFIELD SET: writes an integer at an offset; its reply is the old value.
 *
 * @example
 * ```ts
 * import { BitFieldSet, BitOffset, UnsignedEncoding } from "@glide-deno/glide";
 * const set = new BitFieldSet(new UnsignedEncoding(2), new BitOffset(1), 3);
 * ```
 */
export class BitFieldSet implements BitFieldSubCommands {
  readonly #args: string[];

  /**
   * Creates a SET subcommand.
   *
   * @param encoding - The integer's encoding.
   * @param offset - Where it starts.
   * @param value - The value to write (a safe integer).
   * @throws ConfigurationError when `value` is not a safe integer.
   */
  constructor(encoding: BitEncoding, offset: BitFieldOffset, value: number) {
    this.#args = [
      "SET",
      encoding.toArg(),
      offset.toArg(),
      bounded("value", value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    ];
  }

  /** The subcommand's arguments. */
  toArgs(): string[] {
    return [...this.#args];
  }
}

/**
 * BITFIELD INCRBY: adds to the integer at an offset; its reply is the new value (or `null`
 * when {@link BitOverflowControl.FAIL} stopped it).
 *
 * @example
 * ```ts
 * import { BitFieldIncrBy, BitOffsetMultiplier, SignedEncoding } from "@glide-deno/glide";
 * const inc = new BitFieldIncrBy(new SignedEncoding(8), new BitOffsetMultiplier(1), -5);
 * ```
 */
export class BitFieldIncrBy implements BitFieldSubCommands {
  readonly #args: string[];

  /**
   * Creates an INCRBY subcommand.
   *
   * @param encoding - The integer's encoding.
   * @param offset - Where it starts.
   * @param increment - How much to add (a safe integer, may be negative).
   * @throws ConfigurationError when `increment` is not a safe integer.
   */
  constructor(encoding: BitEncoding, offset: BitFieldOffset, increment: number) {
    this.#args = [
      "INCRBY",
      encoding.toArg(),
      offset.toArg(),
      bounded("increment", increment, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    ];
  }

  /** The subcommand's arguments. */
  toArgs(): string[] {
    return [...this.#args];
  }
}

/**
 * What BITFIELD SET and INCRBY do on overflow or underflow.
 *
 * @example
 * ```ts
 * import { BitFieldOverflow, BitOverflowControl } from "@glide-deno/glide";
 * const saturate = new BitFieldOverflow(BitOverflowControl.SAT);
 * ```
 */
export enum BitOverflowControl {
  /** Wrap around (modulo for unsigned; from the other extreme for signed). The default. */
  WRAP = "WRAP",
  /** Saturate at the minimum or maximum value. */
  SAT = "SAT",
  /** Do nothing and reply `null` for that subcommand. */
  FAIL = "FAIL",
}

/**
 * BITFIELD OVERFLOW: sets the overflow behaviour for the SET and INCRBY subcommands after it.
 * It adds no item to the reply.
 *
 * @example
 * ```ts
 * import { BitFieldOverflow, BitOverflowControl } from "@glide-deno/glide";
 * const fail = new BitFieldOverflow(BitOverflowControl.FAIL);
 * console.log(fail.toArgs()); // ["OVERFLOW", "FAIL"]
 * ```
 */
export class BitFieldOverflow implements BitFieldSubCommands {
  readonly #args: string[];

  /**
   * Creates an OVERFLOW subcommand.
   *
   * @param overflowControl - The behaviour.
   * @throws ConfigurationError for an unknown value.
   */
  constructor(overflowControl: BitOverflowControl) {
    if (!(Object.values(BitOverflowControl) as string[]).includes(overflowControl)) {
      throw new ConfigurationError(`unknown overflowControl: ${String(overflowControl)}`);
    }
    this.#args = ["OVERFLOW", overflowControl];
  }

  /** The subcommand's arguments. */
  toArgs(): string[] {
    return [...this.#args];
  }
}
