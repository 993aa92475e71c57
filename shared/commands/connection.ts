/**
 * Connection commands: PING, ECHO, SELECT, RESET and the CLIENT subcommands about this
 * connection (ID, GETNAME, PAUSE, UNPAUSE, TRACKINGINFO).
 * @module
 */

import { type Command, command, decodedAs, int } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { ClientPauseMode, type ClientTrackingInfo } from "../options/connection.ts";
import { toObject, toSet } from "../shape.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";

/**
 * A node's error inside a per-node reply (cluster, multi-node route) is thrown, as the error of
 * a single-node reply is.
 */
function checked(r: GlideReturnType): GlideReturnType {
  if (r instanceof Error) throw r;
  return r;
}

/** A command whose reply is used as decoded, node errors thrown. */
function plain<T>(args: GlideString[]): Command<T> {
  return { args, shape: (r) => checked(r) as T };
}

/** PING [message]. @internal */
export function ping(message?: GlideString): Command<GlideString> {
  return command(message === undefined ? ["PING"] : ["PING", message]);
}

/** ECHO message. @internal */
export function echo(message: GlideString): Command<GlideString> {
  return plain(["ECHO", message]);
}

/** SELECT index. @internal */
export function select(index: number): Command<"OK"> {
  return command(["SELECT", int("index", index)]);
}

/** RESET. @internal */
export function reset(): Command<"RESET"> {
  return decodedAs(["RESET"], Decoder.String);
}

/** CLIENT ID. @internal */
export function clientId(): Command<number> {
  return plain(["CLIENT", "ID"]);
}

/** CLIENT GETNAME. @internal */
export function clientGetName(): Command<GlideString | null> {
  return plain(["CLIENT", "GETNAME"]);
}

/** CLIENT PAUSE timeout [ALL|WRITE]. @internal */
export function clientPause(timeout: number, mode?: ClientPauseMode): Command<"OK"> {
  const args = ["CLIENT", "PAUSE", int("timeout", timeout)];
  if (mode !== undefined) {
    if (mode !== ClientPauseMode.ALL && mode !== ClientPauseMode.WRITE) {
      throw new ConfigurationError(`unknown client pause mode: ${String(mode)}`);
    }
    args.push(mode);
  }
  return plain(args);
}

/** CLIENT UNPAUSE. @internal */
export function clientUnpause(): Command<"OK"> {
  return plain(["CLIENT", "UNPAUSE"]);
}

/** CLIENT TRACKINGINFO → {@link ClientTrackingInfo}. @internal */
export function clientTrackingInfo(): Command<ClientTrackingInfo> {
  return {
    args: ["CLIENT", "TRACKINGINFO"],
    decoder: Decoder.String,
    shape: (r) => {
      const o = toObject(checked(r));
      return {
        flags: toSet<string>(o["flags"] ?? null),
        redirect: Number(o["redirect"]),
        prefixes: toSet<string>(o["prefixes"] ?? null),
      };
    },
  };
}
