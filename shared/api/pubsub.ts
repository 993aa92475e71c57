/**
 * Pub/sub introspection commands of every client (PUBSUB CHANNELS, NUMPAT, NUMSUB).
 * @module
 */

import * as pubsub from "../commands/pubsub.ts";
import type { Mode, Reply } from "../mode.ts";
import type { PubSubNumSubEntry } from "../options/pubsub.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The pub/sub commands of every client, standalone and cluster, async and sync.
 *
 * @example
 * ```ts
 * import type { PubSubCommands } from "@glide-deno/glide";
 * type Methods = PubSubCommands<"async">;
 * ```
 */
export abstract class PubSubCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Lists the active channels (PUBSUB CHANNELS): channels with at least one subscriber,
   * pattern subscribers not counted. On the cluster the lists of every node are combined.
   *
   * @param options - `pattern` (a glob-style pattern the channels must match), and `decoder`.
   * @returns The active channels.
   * @example
   * ```ts
   * console.log(await client.pubsubChannels({ pattern: "news.*" })); // ["news.sports"]
   * ```
   */
  pubsubChannels(
    options?: { pattern?: GlideString } & DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => pubsub.pubsubChannels(options?.pattern), options);
  }

  /**
   * The number of unique patterns clients are subscribed to (PUBSUB NUMPAT), summed over the
   * nodes on the cluster.
   *
   * @returns The number of patterns.
   * @example
   * ```ts
   * console.log(await client.pubsubNumPat()); // 0
   * ```
   */
  pubsubNumPat(): Reply<M, number> {
    return this.run(() => pubsub.pubsubNumPat());
  }

  /**
   * The number of subscribers of each channel (PUBSUB NUMSUB), pattern subscribers not counted.
   * On the cluster the counts of every node are added up.
   *
   * @param channels - The channels to count; an empty list gives an empty reply.
   * @param options - `decoder` for the channel names.
   * @returns One `{ channel, numSub }` per channel, in the order asked.
   * @example
   * ```ts
   * console.log(await client.pubsubNumSub(["news", "sports"]));
   * // [{ channel: "news", numSub: 1 }, { channel: "sports", numSub: 0 }]
   * ```
   */
  pubsubNumSub(
    channels: GlideString[],
    options?: DecoderOption,
  ): Reply<M, PubSubNumSubEntry[]> {
    return this.run(() => pubsub.pubsubNumSub(channels), options);
  }
}
