/**
 * Transaction helpers: WATCH and UNWATCH (MULTI/EXEC themselves are sent by `exec`).
 * @module
 */

import { type Command, command, mayBeEmpty } from "../command.ts";
import type { GlideString } from "../values.ts";

/** WATCH key [key ...]. @internal */
export function watch(keys: GlideString[]): Command<"OK"> {
  return command(["WATCH", ...mayBeEmpty("keys", keys)]);
}

/** UNWATCH. @internal */
export function unwatch(): Command<"OK"> {
  return command(["UNWATCH"]);
}
