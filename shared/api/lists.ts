/**
 * List commands (LPUSH, LPOP, LRANGE, BLPOP, LMPOP ...) of every client.
 * @module
 */

import * as lists from "../commands/lists.ts";
import type {
  InsertPosition,
  ListDirection,
  ListPopResult,
  LPosOptions,
} from "../options/lists.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import type { Mode, Reply } from "../mode.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The list commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { ListCommands } from "@glide-deno/glide";
 * type Methods = ListCommands<"async">;
 * ```
 */
export abstract class ListCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Inserts elements at the head of the list at `key`, one after the other, so the last one
   * ends up first (LPUSH). The list is created if missing.
   *
   * @param key - The key of the list.
   * @param elements - The elements to insert (at least one).
   * @returns The length of the list afterwards.
   * @example
   * ```ts
   * console.log(await client.lpush("list", ["a", "b"])); // 2
   * console.log(await client.lrange("list", 0, -1)); // ["b", "a"]
   * ```
   */
  lpush(key: GlideString, elements: GlideString[]): Reply<M, number> {
    return this.run(() => lists.lpush(key, elements));
  }

  /**
   * Like {@link lpush}, only when the list at `key` already exists (LPUSHX).
   *
   * @param key - The key of the list.
   * @param elements - The elements to insert (at least one).
   * @returns The length of the list afterwards; 0 when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.lpushx("missing", ["a"])); // 0
   * ```
   */
  lpushx(key: GlideString, elements: GlideString[]): Reply<M, number> {
    return this.run(() => lists.lpushx(key, elements));
  }

  /**
   * Inserts elements at the tail of the list at `key`, in order (RPUSH). The list is created if
   * missing.
   *
   * @param key - The key of the list.
   * @param elements - The elements to append (at least one).
   * @returns The length of the list afterwards.
   * @example
   * ```ts
   * console.log(await client.rpush("list", ["a", "b"])); // 2
   * console.log(await client.lrange("list", 0, -1)); // ["a", "b"]
   * ```
   */
  rpush(key: GlideString, elements: GlideString[]): Reply<M, number> {
    return this.run(() => lists.rpush(key, elements));
  }

  /**
   * Like {@link rpush}, only when the list at `key` already exists (RPUSHX).
   *
   * @param key - The key of the list.
   * @param elements - The elements to append (at least one).
   * @returns The length of the list afterwards; 0 when the key does not exist.
   * @example
   * ```ts
   * console.log(await client.rpushx("missing", ["a"])); // 0
   * ```
   */
  rpushx(key: GlideString, elements: GlideString[]): Reply<M, number> {
    return this.run(() => lists.rpushx(key, elements));
  }

  /**
   * Removes and returns the first element of the list at `key` (LPOP).
   *
   * @param key - The key of the list.
   * @param options - `decoder` for the element.
   * @returns The element, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b"]);
   * console.log(await client.lpop("list")); // "a"
   * ```
   */
  lpop(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => lists.lpop(key), options);
  }

  /**
   * Removes and returns up to `count` elements from the head of the list at `key` (LPOP with a
   * count).
   *
   * @param key - The key of the list.
   * @param count - How many elements to pop (a non-negative integer).
   * @param options - `decoder` for the elements.
   * @returns The popped elements, head first, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "c"]);
   * console.log(await client.lpopCount("list", 2)); // ["a", "b"]
   * ```
   */
  lpopCount(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[] | null> {
    return this.run(() => lists.lpopCount(key, count), options);
  }

  /**
   * Removes and returns the last element of the list at `key` (RPOP).
   *
   * @param key - The key of the list.
   * @param options - `decoder` for the element.
   * @returns The element, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b"]);
   * console.log(await client.rpop("list")); // "b"
   * ```
   */
  rpop(key: GlideString, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => lists.rpop(key), options);
  }

  /**
   * Removes and returns up to `count` elements from the tail of the list at `key` (RPOP with a
   * count).
   *
   * @param key - The key of the list.
   * @param count - How many elements to pop (a non-negative integer).
   * @param options - `decoder` for the elements.
   * @returns The popped elements, tail first, or `null` when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "c"]);
   * console.log(await client.rpopCount("list", 2)); // ["c", "b"]
   * ```
   */
  rpopCount(
    key: GlideString,
    count: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[] | null> {
    return this.run(() => lists.rpopCount(key, count), options);
  }

  /**
   * Gets the elements of the list at `key` between two positions, both inclusive (LRANGE).
   * Negative positions count from the tail (-1 is the last element).
   *
   * @param key - The key of the list.
   * @param start - The first position.
   * @param end - The last position.
   * @param options - `decoder` for the elements.
   * @returns The elements; `[]` when the key does not exist or the range is empty.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "c"]);
   * console.log(await client.lrange("list", 0, -1)); // ["a", "b", "c"]
   * console.log(await client.lrange("list", -2, -1)); // ["b", "c"]
   * ```
   */
  lrange(
    key: GlideString,
    start: number,
    end: number,
    options?: DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => lists.lrange(key, start, end), options);
  }

  /**
   * Gets the element at position `index` of the list at `key` (LINDEX). Negative positions
   * count from the tail.
   *
   * @param key - The key of the list.
   * @param index - The position.
   * @param options - `decoder` for the element.
   * @returns The element, or `null` when the position is out of range or the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b"]);
   * console.log(await client.lindex("list", -1)); // "b"
   * ```
   */
  lindex(key: GlideString, index: number, options?: DecoderOption): Reply<M, GlideString | null> {
    return this.run(() => lists.lindex(key, index), options);
  }

  /**
   * Replaces the element at position `index` of the list at `key` (LSET).
   *
   * @param key - The key of the list.
   * @param index - The position; negative positions count from the tail.
   * @param element - The new element.
   * @returns "OK". Rejects when the position is out of range or the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b"]);
   * await client.lset("list", 0, "z"); // "OK"
   * ```
   */
  lset(key: GlideString, index: number, element: GlideString): Reply<M, "OK"> {
    return this.run(() => lists.lset(key, index, element));
  }

  /**
   * Gets the length of the list at `key` (LLEN).
   *
   * @param key - The key of the list.
   * @returns The length; 0 when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b"]);
   * console.log(await client.llen("list")); // 2
   * ```
   */
  llen(key: GlideString): Reply<M, number> {
    return this.run(() => lists.llen(key));
  }

  /**
   * Removes occurrences of `element` from the list at `key` (LREM): the first `count` from the
   * head when `count` is positive, the last `-count` from the tail when negative, all when 0.
   *
   * @param key - The key of the list.
   * @param count - How many occurrences to remove, and from which end.
   * @param element - The element to remove.
   * @returns How many elements were removed.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "a", "a"]);
   * console.log(await client.lrem("list", -2, "a")); // 2
   * console.log(await client.lrange("list", 0, -1)); // ["a", "b"]
   * ```
   */
  lrem(key: GlideString, count: number, element: GlideString): Reply<M, number> {
    return this.run(() => lists.lrem(key, count, element));
  }

  /**
   * Trims the list at `key` to the elements between two positions, both inclusive (LTRIM).
   * Negative positions count from the tail; an empty range deletes the key.
   *
   * @param key - The key of the list.
   * @param start - The first position to keep.
   * @param end - The last position to keep.
   * @returns "OK", also when the key does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "c"]);
   * await client.ltrim("list", 1, -1);
   * console.log(await client.lrange("list", 0, -1)); // ["b", "c"]
   * ```
   */
  ltrim(key: GlideString, start: number, end: number): Reply<M, "OK"> {
    return this.run(() => lists.ltrim(key, start, end));
  }

  /**
   * Inserts `element` before or after the first occurrence of `pivot` in the list at `key`
   * (LINSERT).
   *
   * @param key - The key of the list.
   * @param position - {@link InsertPosition.Before} or {@link InsertPosition.After}.
   * @param pivot - The element to insert next to.
   * @param element - The element to insert.
   * @returns The length of the list afterwards; -1 when `pivot` was not found; 0 when the key
   *   does not exist.
   * @example
   * ```ts
   * await client.rpush("list", ["a", "c"]);
   * console.log(await client.linsert("list", InsertPosition.Before, "c", "b")); // 3
   * ```
   */
  linsert(
    key: GlideString,
    position: InsertPosition,
    pivot: GlideString,
    element: GlideString,
  ): Reply<M, number> {
    return this.run(() => lists.linsert(key, position, pivot, element));
  }

  /**
   * Finds the position of `element` in the list at `key` (LPOS).
   *
   * @param key - The key of the list.
   * @param element - The element to look for.
   * @param options - {@link LPosOptions}: `rank` (which match), `count` (how many matches, as
   *   an array), `maxLength` (how many elements to compare at most).
   * @returns The position of the match, or `null` when there is none; with `count`, an array of
   *   positions (empty when there is none).
   * @example
   * ```ts
   * await client.rpush("list", ["a", "b", "c", "b"]);
   * console.log(await client.lpos("list", "b")); // 1
   * console.log(await client.lpos("list", "b", { rank: -1 })); // 3
   * console.log(await client.lpos("list", "b", { count: 0 })); // [1, 3]
   * ```
   */
  lpos(
    key: GlideString,
    element: GlideString,
    options?: LPosOptions,
  ): Reply<M, number | number[] | null> {
    return this.run(() => lists.lpos(key, element, options));
  }

  /**
   * Pops an element from one end of the list at `source` and pushes it to one end of the list
   * at `destination` (LMOVE). `source` and `destination` may be the same list (a rotation).
   *
   * @param source - The key of the list to pop from.
   * @param destination - The key of the list to push to.
   * @param whereFrom - The end of `source` to pop from.
   * @param whereTo - The end of `destination` to push to.
   * @param options - `decoder` for the element.
   * @returns The moved element, or `null` when `source` does not exist.
   * @example
   * ```ts
   * await client.rpush("src", ["a", "b"]);
   * await client.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT); // "a"
   * ```
   */
  lmove(
    source: GlideString,
    destination: GlideString,
    whereFrom: ListDirection,
    whereTo: ListDirection,
    options?: DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(() => lists.lmove(source, destination, whereFrom, whereTo), options);
  }

  /**
   * The blocking {@link lmove}: waits up to `timeout` seconds for `source` to hold an element
   * (BLMOVE). The request waits as long as the block, whatever the client's request timeout.
   *
   * @param source - The key of the list to pop from.
   * @param destination - The key of the list to push to.
   * @param whereFrom - The end of `source` to pop from.
   * @param whereTo - The end of `destination` to push to.
   * @param timeout - Seconds to wait (fractions allowed); 0 waits forever.
   * @param options - `decoder` for the element.
   * @returns The moved element, or `null` when the timeout passed first.
   * @example
   * ```ts
   * await client.blmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT, 0.5); // null
   * ```
   */
  blmove(
    source: GlideString,
    destination: GlideString,
    whereFrom: ListDirection,
    whereTo: ListDirection,
    timeout: number,
    options?: DecoderOption,
  ): Reply<M, GlideString | null> {
    return this.run(
      () => lists.blmove(source, destination, whereFrom, whereTo, timeout),
      options,
    );
  }

  /**
   * Pops the first element of the first non-empty list among `keys`, waiting up to `timeout`
   * seconds for one (BLPOP). The request waits as long as the block, whatever the client's
   * request timeout.
   *
   * @param keys - The keys of the lists, checked in order (one hash slot in cluster mode).
   * @param timeout - Seconds to wait (fractions allowed); 0 waits forever.
   * @param options - `decoder` for the key and the element.
   * @returns `[key, element]`, or `null` when the timeout passed first.
   * @example
   * ```ts
   * await client.rpush("{q}:b", ["job"]);
   * console.log(await client.blpop(["{q}:a", "{q}:b"], 1)); // ["{q}:b", "job"]
   * ```
   */
  blpop(
    keys: GlideString[],
    timeout: number,
    options?: DecoderOption,
  ): Reply<M, [GlideString, GlideString] | null> {
    return this.run(() => lists.blpop(keys, timeout), options);
  }

  /**
   * Pops the last element of the first non-empty list among `keys`, waiting up to `timeout`
   * seconds for one (BRPOP). The request waits as long as the block, whatever the client's
   * request timeout.
   *
   * @param keys - The keys of the lists, checked in order (one hash slot in cluster mode).
   * @param timeout - Seconds to wait (fractions allowed); 0 waits forever.
   * @param options - `decoder` for the key and the element.
   * @returns `[key, element]`, or `null` when the timeout passed first.
   * @example
   * ```ts
   * await client.rpush("{q}:a", ["x", "y"]);
   * console.log(await client.brpop(["{q}:a"], 1)); // ["{q}:a", "y"]
   * ```
   */
  brpop(
    keys: GlideString[],
    timeout: number,
    options?: DecoderOption,
  ): Reply<M, [GlideString, GlideString] | null> {
    return this.run(() => lists.brpop(keys, timeout), options);
  }

  /**
   * Pops elements from one end of the first non-empty list among `keys` (LMPOP).
   *
   * @param keys - The keys of the lists, checked in order (one hash slot in cluster mode).
   * @param direction - The end to pop from.
   * @param options - `count`: pop up to this many elements (default 1); `decoder` for the key
   *   and the elements.
   * @returns `{ key, elements }`, or `null` when every list is empty.
   * @example
   * ```ts
   * await client.rpush("{q}:b", ["1", "2", "3"]);
   * await client.lmpop(["{q}:a", "{q}:b"], ListDirection.LEFT, { count: 2 });
   * // { key: "{q}:b", elements: ["1", "2"] }
   * ```
   */
  lmpop(
    keys: GlideString[],
    direction: ListDirection,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, ListPopResult | null> {
    return this.run(() => lists.lmpop(keys, direction, options?.count), options);
  }

  /**
   * The blocking {@link lmpop}: waits up to `timeout` seconds for one of the lists to hold an
   * element (BLMPOP). The request waits as long as the block, whatever the client's request
   * timeout.
   *
   * @param keys - The keys of the lists, checked in order (one hash slot in cluster mode).
   * @param direction - The end to pop from.
   * @param timeout - Seconds to wait (fractions allowed); 0 waits forever.
   * @param options - `count`: pop up to this many elements (default 1); `decoder` for the key
   *   and the elements.
   * @returns `{ key, elements }`, or `null` when the timeout passed first.
   * @example
   * ```ts
   * await client.blmpop(["{q}:a", "{q}:b"], ListDirection.RIGHT, 0.1); // null
   * ```
   */
  blmpop(
    keys: GlideString[],
    direction: ListDirection,
    timeout: number,
    options?: { count?: number } & DecoderOption,
  ): Reply<M, ListPopResult | null> {
    return this.run(() => lists.blmpop(keys, direction, timeout, options?.count), options);
  }
}
