/**
 * HyperLogLog commands: PFADD, PFCOUNT, PFMERGE.
 * @module
 */

import { type Command, command, mayBeEmpty, shaped } from "../command.ts";
import { toBoolean } from "../shape.ts";
import type { GlideString } from "../values.ts";

/** PFADD key [element ...]: true when the estimate changed (or the key was created). @internal */
export function pfadd(key: GlideString, elements: GlideString[]): Command<boolean> {
  return shaped(["PFADD", key, ...mayBeEmpty("elements", elements)], toBoolean);
}

/** PFCOUNT key [key ...]. @internal */
export function pfcount(keys: GlideString[]): Command<number> {
  return command(["PFCOUNT", ...mayBeEmpty("keys", keys)]);
}

/** PFMERGE destkey [sourcekey ...]. @internal */
export function pfmerge(destination: GlideString, sourceKeys: GlideString[]): Command<"OK"> {
  return command(["PFMERGE", destination, ...mayBeEmpty("sourceKeys", sourceKeys)]);
}
