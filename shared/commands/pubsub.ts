/**
 * Pub/sub builders: PUBLISH, SPUBLISH, PUBSUB CHANNELS / NUMPAT / NUMSUB / SHARDCHANNELS /
 * SHARDNUMSUB.
 * @module
 */

import { type Command, command, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import type { PubSubNumSubEntry } from "../options/pubsub.ts";
import { toArray, toNumber, toRecord } from "../shape.ts";
import type { GlideReturnType, GlideString } from "../values.ts";

/** A node's error inside a per-node reply is thrown. */
function checked(r: GlideReturnType): GlideReturnType {
  if (r instanceof Error) throw r;
  return r;
}

function channelList(channels: GlideString[]): GlideString[] {
  if (!Array.isArray(channels)) throw new ConfigurationError("channels must be an array");
  return channels;
}

const text = (s: GlideString): string => typeof s === "string" ? s : new TextDecoder().decode(s);

/**
 * A NUMSUB reply (RESP3 map, RESP2 flat array, or the core's combined map) → entries, in the
 * order the channels were asked for when the reply allows it.
 */
function numSub(r: GlideReturnType, asked: GlideString[]): PubSubNumSubEntry[] {
  const entries = toRecord(checked(r), toNumber).map(({ key, value }) => ({
    channel: key,
    numSub: value,
  }));
  const order = new Map(asked.map((c, i) => [text(c), i]));
  return entries.sort((a, b) =>
    (order.get(text(a.channel)) ?? Infinity) - (order.get(text(b.channel)) ?? Infinity)
  );
}

/** PUBLISH channel message, or SPUBLISH shardchannel message when sharded. @internal */
export function publish(
  message: GlideString,
  channel: GlideString,
  sharded?: boolean,
): Command<number> {
  return command([sharded ? "SPUBLISH" : "PUBLISH", channel, message]);
}

/** PUBSUB CHANNELS [pattern]. @internal */
export function pubsubChannels(pattern?: GlideString): Command<GlideString[]> {
  const args: GlideString[] = ["PUBSUB", "CHANNELS"];
  if (pattern !== undefined) args.push(pattern);
  return shaped(args, (r) => toArray<GlideString>(checked(r)));
}

/** PUBSUB SHARDCHANNELS [pattern]. @internal */
export function pubsubShardChannels(pattern?: GlideString): Command<GlideString[]> {
  const args: GlideString[] = ["PUBSUB", "SHARDCHANNELS"];
  if (pattern !== undefined) args.push(pattern);
  return shaped(args, (r) => toArray<GlideString>(checked(r)));
}

/** PUBSUB NUMPAT. @internal */
export function pubsubNumPat(): Command<number> {
  return shaped(["PUBSUB", "NUMPAT"], (r) => toNumber(checked(r)));
}

/** PUBSUB NUMSUB [channel ...]. @internal */
export function pubsubNumSub(channels: GlideString[]): Command<PubSubNumSubEntry[]> {
  const list = channelList(channels);
  return shaped(["PUBSUB", "NUMSUB", ...list], (r) => numSub(r, list));
}

/** PUBSUB SHARDNUMSUB [shardchannel ...]. @internal */
export function pubsubShardNumSub(channels: GlideString[]): Command<PubSubNumSubEntry[]> {
  const list = channelList(channels);
  return shaped(["PUBSUB", "SHARDNUMSUB", ...list], (r) => numSub(r, list));
}
