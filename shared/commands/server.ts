/**
 * Server commands: INFO, DBSIZE, FLUSHALL.
 * @module
 */

import { type Command, command, decodedAs } from "../command.ts";
import { Decoder } from "../values.ts";
import { ConfigurationError } from "../errors.ts";
import { FlushMode, InfoOptions } from "../options/server.ts";

const SECTIONS = new Set<string>(Object.values(InfoOptions));

/** INFO [section ...]. @internal */
export function info(sections?: InfoOptions[]): Command<string> {
  const args = ["INFO"];
  for (const s of sections ?? []) {
    if (!SECTIONS.has(s)) throw new ConfigurationError(`unknown INFO section: ${String(s)}`);
    args.push(s);
  }
  return decodedAs(args, Decoder.String);
}

/** DBSIZE. @internal */
export function dbsize(): Command<number> {
  return command(["DBSIZE"]);
}

/** FLUSHALL [SYNC|ASYNC]. @internal */
export function flushall(mode?: FlushMode): Command<"OK"> {
  if (mode === undefined) return command(["FLUSHALL"]);
  if (mode !== FlushMode.SYNC && mode !== FlushMode.ASYNC) {
    throw new ConfigurationError(`unknown flush mode: ${String(mode)}`);
  }
  return command(["FLUSHALL", mode]);
}
