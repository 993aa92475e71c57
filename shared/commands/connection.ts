/**
 * Connection commands: PING, ECHO, SELECT.
 * @module
 */

import { type Command, command, int } from "../command.ts";
import type { GlideString } from "../values.ts";

/** PING [message]. @internal */
export function ping(message?: GlideString): Command<GlideString> {
  return command(message === undefined ? ["PING"] : ["PING", message]);
}

/** ECHO message. @internal */
export function echo(message: GlideString): Command<GlideString> {
  return command(["ECHO", message]);
}

/** SELECT index. @internal */
export function select(index: number): Command<"OK"> {
  return command(["SELECT", int("index", index)]);
}
