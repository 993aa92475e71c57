/**
 * Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
 * @module
 */

import { type Command, command, int, mayBeEmpty } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import type { GlideString } from "../values.ts";
import {
  BitFieldGet,
  type BitFieldSubCommands,
  BitmapIndexType,
  type BitOffsetOptions,
  BitwiseOperation,
} from "../options/bitmaps.ts";

const INDEX_TYPES = new Set<string>(Object.values(BitmapIndexType));
const OPERATIONS = new Set<string>(Object.values(BitwiseOperation));

/** A bit value: 0 or 1. */
function bit(name: string, v: number): string {
  if (v !== 0 && v !== 1) throw new ConfigurationError(`${name} must be 0 or 1, got ${String(v)}`);
  return String(v);
}

/** `start [end [BYTE|BIT]]` of BITCOUNT and BITPOS. */
function range(options: BitOffsetOptions | undefined): string[] {
  if (options === undefined) return [];
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError("options must be { start, end?, indexType? }");
  }
  const args = [int("start", options.start)];
  if (options.end !== undefined) args.push(int("end", options.end));
  if (options.indexType !== undefined) {
    if (!INDEX_TYPES.has(options.indexType)) {
      throw new ConfigurationError(`unknown indexType: ${String(options.indexType)}`);
    }
    if (options.end === undefined) throw new ConfigurationError("indexType needs end");
    args.push(options.indexType);
  }
  return args;
}

/** The arguments of a list of BITFIELD subcommands. */
function subcommandArgs(subcommands: readonly BitFieldSubCommands[]): string[] {
  if (!Array.isArray(subcommands)) throw new ConfigurationError("subcommands must be an array");
  const args: string[] = [];
  for (const sub of subcommands) {
    if (typeof sub?.toArgs !== "function") {
      throw new ConfigurationError("each subcommand must be a BitField* subcommand");
    }
    args.push(...sub.toArgs());
  }
  return args;
}

/** SETBIT key offset value: the bit's old value. @internal */
export function setbit(key: GlideString, offset: number, value: number): Command<number> {
  return command(["SETBIT", key, int("offset", offset), bit("value", value)]);
}

/** GETBIT key offset. @internal */
export function getbit(key: GlideString, offset: number): Command<number> {
  return command(["GETBIT", key, int("offset", offset)]);
}

/** BITCOUNT key [start [end [BYTE|BIT]]]. @internal */
export function bitcount(key: GlideString, options?: BitOffsetOptions): Command<number> {
  return command(["BITCOUNT", key, ...range(options)]);
}

/** BITPOS key bit [start [end [BYTE|BIT]]]. @internal */
export function bitpos(key: GlideString, b: number, options?: BitOffsetOptions): Command<number> {
  return command(["BITPOS", key, bit("bit", b), ...range(options)]);
}

/** BITOP operation destkey key [key ...]: the length of the result. @internal */
export function bitop(
  operation: BitwiseOperation,
  destination: GlideString,
  keys: GlideString[],
): Command<number> {
  if (!OPERATIONS.has(operation)) {
    throw new ConfigurationError(`unknown bitwise operation: ${String(operation)}`);
  }
  return command(["BITOP", operation, destination, ...mayBeEmpty("keys", keys)]);
}

/** BITFIELD key [GET|SET|INCRBY|OVERFLOW ...]: one item per GET/SET/INCRBY. @internal */
export function bitfield(
  key: GlideString,
  subcommands: BitFieldSubCommands[],
): Command<(number | null)[]> {
  return command(["BITFIELD", key, ...subcommandArgs(subcommands)]);
}

/** BITFIELD_RO key [GET encoding offset ...]. @internal */
export function bitfieldReadOnly(key: GlideString, subcommands: BitFieldGet[]): Command<number[]> {
  if (Array.isArray(subcommands) && subcommands.some((s) => !(s instanceof BitFieldGet))) {
    throw new ConfigurationError("bitfieldReadOnly takes only BitFieldGet subcommands");
  }
  return command(["BITFIELD_RO", key, ...subcommandArgs(subcommands)]);
}
