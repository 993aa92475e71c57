/**
 * Public option and reply types of the pub/sub introspection commands.
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * One entry of the reply of PUBSUB NUMSUB / PUBSUB SHARDNUMSUB: a channel and how many clients
 * are subscribed to it (pattern subscriptions not counted).
 *
 * @example
 * ```ts
 * import type { PubSubNumSubEntry } from "@glide-deno/glide";
 * const e: PubSubNumSubEntry = { channel: "news", numSub: 2 };
 * ```
 */
export interface PubSubNumSubEntry {
  /** The channel name. */
  channel: GlideString;
  /** The number of subscribers of the channel. */
  numSub: number;
}
