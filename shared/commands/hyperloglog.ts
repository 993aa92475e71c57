/**
 * HyperLogLog commands: PFADD, PFCOUNT, PFMERGE.
 * @module
 */

import { type Command, command, nonEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { toBoolean } from "../shape.ts";
import type { GlideString } from "../values.ts";

/** A list argument that may be empty. */
function list(name: string, v: GlideString[]): GlideString[] {
  if (!Array.isArray(v)) throw new ConfigurationError(`${name} must be an array`);
  return v;
}

/** PFADD key [element ...]: true when the estimate changed (or the key was created). @internal */
export function pfadd(key: GlideString, elements: GlideString[]): Command<boolean> {
  return shaped(["PFADD", key, ...list("elements", elements)], toBoolean);
}

/** PFCOUNT key [key ...]. @internal */
export function pfcount(keys: GlideString[]): Command<number> {
  return command(["PFCOUNT", ...nonEmpty("keys", keys)]);
}

/** PFMERGE destkey [sourcekey ...]. @internal */
export function pfmerge(destination: GlideString, sourceKeys: GlideString[]): Command<"OK"> {
  return command(["PFMERGE", destination, ...list("sourceKeys", sourceKeys)]);
}
