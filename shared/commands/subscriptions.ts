/**
 * Subscription commands (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UN- forms) and the
 * subscription-state query. The core runs them on the client's pub/sub connection.
 * @module
 */

import { type Command, int } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { NO_TIMEOUT } from "../encode.ts";
import { type PubSubState, toState } from "../pubsub.ts";
import type { GlideString } from "../values.ts";

/** The subscription commands. @internal */
export type SubscriptionCommand =
  | "SUBSCRIBE"
  | "PSUBSCRIBE"
  | "SSUBSCRIBE"
  | "UNSUBSCRIBE"
  | "PUNSUBSCRIBE"
  | "SUNSUBSCRIBE";

const done = (): void => undefined;

/**
 * A (un)subscription. `channels` null or empty (unsubscribe only): all of that kind.
 * `timeoutMs`: how long to wait for the server's confirmation; 0 = no limit; undefined = the
 * client's request timeout. @internal
 */
export function subscription(
  name: SubscriptionCommand,
  channels: Iterable<GlideString> | null | undefined,
  timeoutMs?: number,
): Command<void> {
  const list: GlideString[] = [];
  if (channels !== null && channels !== undefined) {
    if (typeof channels === "string" || typeof channels[Symbol.iterator] !== "function") {
      throw new ConfigurationError("channels must be an iterable (a Set or an array) of names");
    }
    for (const c of channels) {
      if (typeof c !== "string" && !(c instanceof Uint8Array)) {
        throw new ConfigurationError("each channel must be a string or a Uint8Array");
      }
      list.push(c);
    }
  }
  if (!name.startsWith("UN") && !name.startsWith("PUN") && !name.startsWith("SUN")) {
    if (list.length === 0) throw new ConfigurationError(`${name} needs at least one channel`);
  }
  let timeout: number | undefined;
  if (timeoutMs !== undefined) {
    int("timeoutMs", timeoutMs);
    if (timeoutMs < 0) throw new ConfigurationError("timeoutMs must not be negative");
    timeout = timeoutMs === 0 ? NO_TIMEOUT : timeoutMs;
  }
  return { args: [name, ...list], shape: done, timeoutMs: timeout };
}

/** The client's desired and actual subscriptions. @internal */
export function subscriptions<Modes extends number>(): Command<PubSubState<Modes>> {
  return { args: ["GETSUBSCRIPTIONS"], query: "subscriptions", shape: toState<Modes> };
}
