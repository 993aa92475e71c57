/**
 * Bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD) of every client.
 * @module
 */

import * as bitmaps from "../commands/bitmaps.ts";
import type {
  BitFieldGet,
  BitFieldSubCommands,
  BitOffsetOptions,
  BitwiseOperation,
} from "../options/bitmaps.ts";
import type { GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The bitmap commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { BitmapCommands } from "@glide-deno/glide";
 * type Methods = BitmapCommands<"async">;
 * ```
 */
export abstract class BitmapCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Sets or clears the bit at `offset` in the string at `key` (SETBIT), growing the string
   * with zero bytes as needed.
   *
   * @param key - The key (created if missing).
   * @param offset - The bit index, 0 or more (bit 0 is the most significant bit of byte 0).
   * @param value - 0 or 1.
   * @returns The bit's previous value.
   * @example
   * ```ts
   * console.log(await client.setbit("bits", 7, 1)); // 0
   * console.log(await client.get("bits")); // "\x01"
   * ```
   */
  setbit(key: GlideString, offset: number, value: number): Reply<M, number> {
    return this.run(() => bitmaps.setbit(key, offset, value));
  }

  /**
   * The bit at `offset` in the string at `key` (GETBIT); 0 past the end or for a missing key.
   *
   * @param key - The key.
   * @param offset - The bit index, 0 or more.
   * @returns 0 or 1.
   * @example
   * ```ts
   * await client.set("bits", "A"); // 01000001
   * console.log(await client.getbit("bits", 1)); // 1
   * ```
   */
  getbit(key: GlideString, offset: number): Reply<M, number> {
    return this.run(() => bitmaps.getbit(key, offset));
  }

  /**
   * Counts the set bits in the string at `key` (BITCOUNT), optionally within a range.
   *
   * @param key - The key.
   * @param options - {@link BitOffsetOptions}: `start`, `end` and their {@link BitmapIndexType}.
   * @returns The number of bits set to 1; 0 for a missing key.
   * @example
   * ```ts
   * await client.set("bits", "foobar");
   * console.log(await client.bitcount("bits")); // 26
   * console.log(await client.bitcount("bits", { start: 1, end: 1 })); // 6
   * console.log(await client.bitcount("bits", { start: 5, end: 30, indexType: BitmapIndexType.BIT })); // 17
   * ```
   */
  bitcount(key: GlideString, options?: BitOffsetOptions): Reply<M, number> {
    return this.run(() => bitmaps.bitcount(key, options));
  }

  /**
   * The position of the first bit set to `bit` in the string at `key` (BITPOS), optionally
   * within a range.
   *
   * @param key - The key.
   * @param bit - 0 or 1.
   * @param options - {@link BitOffsetOptions}: `start`, `end` and their {@link BitmapIndexType}.
   * @returns The bit position (counted from the start of the string), or -1 when there is no
   *   such bit (looking for 0 without `end` finds the bit just past the string).
   * @example
   * ```ts
   * await client.set("bits", "\xff\xf0\x00");
   * console.log(await client.bitpos("bits", 0)); // 12
   * console.log(await client.bitpos("bits", 1, { start: 2 })); // -1
   * ```
   */
  bitpos(key: GlideString, bit: number, options?: BitOffsetOptions): Reply<M, number> {
    return this.run(() => bitmaps.bitpos(key, bit, options));
  }

  /**
   * Combines the strings at `keys` bit by bit and stores the result at `destination` (BITOP).
   * On the cluster all keys must be in one hash slot.
   *
   * @param operation - A {@link BitwiseOperation}; NOT takes exactly one key.
   * @param destination - Where the result goes.
   * @param keys - The source keys (at least one).
   * @returns The length in bytes of the stored string (that of the longest source).
   * @example
   * ```ts
   * await client.mset({ "{b}1": "abc", "{b}2": "a" });
   * console.log(await client.bitop(BitwiseOperation.AND, "{b}out", ["{b}1", "{b}2"])); // 3
   * ```
   */
  bitop(
    operation: BitwiseOperation,
    destination: GlideString,
    keys: GlideString[],
  ): Reply<M, number> {
    return this.run(() => bitmaps.bitop(operation, destination, keys));
  }

  /**
   * Reads and writes integers of any width at any bit offset of the string at `key`
   * (BITFIELD).
   *
   * @param key - The key (created if a subcommand writes).
   * @param subcommands - {@link BitFieldGet}, {@link BitFieldSet}, {@link BitFieldIncrBy} and
   *   {@link BitFieldOverflow}, run in order.
   * @returns One item per GET (the value), SET (the old value) and INCRBY (the new value, or
   *   `null` when OVERFLOW FAIL stopped it); OVERFLOW adds none.
   * @example
   * ```ts
   * await client.set("bits", "A"); // 01000001
   * console.log(await client.bitfield("bits", [
   *   new BitFieldSet(new UnsignedEncoding(2), new BitOffset(1), 3),
   *   new BitFieldGet(new UnsignedEncoding(2), new BitOffset(1)),
   * ])); // [2, 3]
   * ```
   */
  bitfield(key: GlideString, subcommands: BitFieldSubCommands[]): Reply<M, (number | null)[]> {
    return this.run(() => bitmaps.bitfield(key, subcommands));
  }

  /**
   * Reads integers of any width at any bit offset of the string at `key` (BITFIELD_RO, server
   * 6.0+; allowed on replicas).
   *
   * @param key - The key.
   * @param subcommands - {@link BitFieldGet} subcommands only.
   * @returns One value per subcommand.
   * @example
   * ```ts
   * await client.set("bits", "A"); // 01000001
   * console.log(await client.bitfieldReadOnly("bits", [
   *   new BitFieldGet(new UnsignedEncoding(2), new BitOffset(1)),
   * ])); // [2]
   * ```
   */
  bitfieldReadOnly(key: GlideString, subcommands: BitFieldGet[]): Reply<M, number[]> {
    return this.run(() => bitmaps.bitfieldReadOnly(key, subcommands));
  }
}
