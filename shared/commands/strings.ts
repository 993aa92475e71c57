/**
 * String commands: GET, SET (with GLIDE's SetOptions), MGET, MSET, INCR/INCRBY/DECR, APPEND,
 * STRLEN.
 * @module
 */

import { type Command, command, int, nonEmpty } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import type { GlideRecord, GlideString } from "../values.ts";
import { type SetOptions, TimeUnit } from "../options/strings.ts";

const TIME_UNITS = new Set<string>(Object.values(TimeUnit));

/** GET key. @internal */
export function get(key: GlideString): Command<GlideString | null> {
  return command(["GET", key]);
}

/** SET key value [NX|XX|IFEQ v] [GET] [EX|PX|EXAT|PXAT n|KEEPTTL]. @internal */
export function set(
  key: GlideString,
  value: GlideString,
  options?: SetOptions,
): Command<"OK" | GlideString | null> {
  const args: GlideString[] = ["SET", key, value];
  if (options) {
    switch (options.conditionalSet) {
      case undefined:
        break;
      case "onlyIfExists":
        args.push("XX");
        break;
      case "onlyIfDoesNotExist":
        args.push("NX");
        break;
      case "onlyIfEqual":
        args.push("IFEQ", options.comparisonValue);
        break;
      default:
        throw new ConfigurationError(
          `unknown conditionalSet: ${
            String((options as { conditionalSet?: unknown }).conditionalSet)
          }`,
        );
    }
    if (options.returnOldValue) args.push("GET");
    const expiry = options.expiry;
    if (expiry === "keepExisting") {
      args.push("KEEPTTL");
    } else if (expiry !== undefined) {
      if (typeof expiry !== "object" || expiry === null || !TIME_UNITS.has(expiry.type)) {
        throw new ConfigurationError("expiry must be 'keepExisting' or { type: TimeUnit, count }");
      }
      args.push(expiry.type, int("expiry.count", expiry.count));
    }
  }
  return command(args);
}

/** MGET key [key ...]. @internal */
export function mget(keys: GlideString[]): Command<(GlideString | null)[]> {
  return command(["MGET", ...nonEmpty("keys", keys)]);
}

/** MSET key value [key value ...], from a record or a list of entries. @internal */
export function mset(
  keysAndValues: Record<string, GlideString> | GlideRecord<GlideString>,
): Command<"OK"> {
  const args: GlideString[] = ["MSET"];
  if (Array.isArray(keysAndValues)) {
    for (const { key, value } of keysAndValues) args.push(key, value);
  } else if (typeof keysAndValues === "object" && keysAndValues !== null) {
    for (const key of Object.keys(keysAndValues)) args.push(key, keysAndValues[key]);
  }
  if (args.length === 1) throw new ConfigurationError("mset needs at least one key and value");
  return command(args);
}

/** INCR key. @internal */
export function incr(key: GlideString): Command<number> {
  return command(["INCR", key]);
}

/** INCRBY key amount. @internal */
export function incrBy(key: GlideString, amount: number): Command<number> {
  return command(["INCRBY", key, int("amount", amount)]);
}

/** DECR key. @internal */
export function decr(key: GlideString): Command<number> {
  return command(["DECR", key]);
}

/** APPEND key value. @internal */
export function append(key: GlideString, value: GlideString): Command<number> {
  return command(["APPEND", key, value]);
}

/** STRLEN key. @internal */
export function strlen(key: GlideString): Command<number> {
  return command(["STRLEN", key]);
}
