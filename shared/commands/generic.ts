/**
 * Generic key commands: DEL, EXISTS, EXPIRE, TTL.
 * @module
 */

import { type Command, command, int, nonEmpty, shaped } from "../command.ts";
import { toBoolean } from "../shape.ts";
import { ConfigurationError } from "../errors.ts";
import type { GlideString } from "../values.ts";
import { ExpireOptions } from "../options/generic.ts";

const EXPIRE_OPTIONS = new Set<string>(Object.values(ExpireOptions));

/** DEL key [key ...]. @internal */
export function del(keys: GlideString[]): Command<number> {
  return command(["DEL", ...nonEmpty("keys", keys)]);
}

/** EXISTS key [key ...]. @internal */
export function exists(keys: GlideString[]): Command<number> {
  return command(["EXISTS", ...nonEmpty("keys", keys)]);
}

/** EXPIRE key seconds [NX|XX|GT|LT]. @internal */
export function expire(
  key: GlideString,
  seconds: number,
  option?: ExpireOptions,
): Command<boolean> {
  const args: GlideString[] = ["EXPIRE", key, int("seconds", seconds)];
  if (option !== undefined) {
    if (!EXPIRE_OPTIONS.has(option)) {
      throw new ConfigurationError(`unknown expire option: ${String(option)}`);
    }
    args.push(option);
  }
  return shaped(args, toBoolean);
}

/** TTL key. @internal */
export function ttl(key: GlideString): Command<number> {
  return command(["TTL", key]);
}
