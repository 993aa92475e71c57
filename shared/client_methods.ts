/**
 * The methods both clients have beyond their commands, written once: pub/sub message
 * consumption (`getPubSubMessage`, `tryGetPubSubMessage`, `messages`) and
 * `updateConnectionPassword`. Composed into `StandaloneClientCommands` and
 * `ClusterClientCommands` (see `api/compose.ts`).
 * @module
 */

import { CommandRunner } from "./api/runner.ts";
import { updatePassword } from "./commands/credentials.ts";
import type { Reply } from "./mode.ts";
import type { PubSubMsg } from "./pubsub.ts";
import { iterate, type MessageIterator, nextMessage, tryMessage } from "./subscriber.ts";
import type { Decoder } from "./values.ts";

/**
 * Pub/sub message consumption and password rotation, on both clients (async and sync).
 *
 * @example
 * ```ts
 * import type { ClientMethods } from "@glide-deno/glide";
 * type Next = ReturnType<ClientMethods<"async">["getPubSubMessage"]>; // Promise<PubSubMsg>
 * ```
 */
export abstract class ClientMethods<M extends "async" | "sync"> extends CommandRunner<M> {
  /**
   * The next pub/sub message (when the configuration has no callback): a Promise that
   * resolves when one arrives (async), or a blocking wait (sync). Rejects with `ClosingError`
   * when the client closes.
   *
   * @returns The message.
   * @example
   * ```ts
   * const msg = await client.getPubSubMessage();
   * console.log(msg.channel, msg.message);
   * ```
   */
  getPubSubMessage(): Reply<M, PubSubMsg> {
    return nextMessage(this.engine);
  }

  /**
   * The next pub/sub message if one has arrived, else `null`; never waits.
   *
   * @param decoder - How to decode it (default: the client's).
   * @returns The message, or `null`.
   * @example
   * ```ts
   * const msg = client.tryGetPubSubMessage();
   * if (msg) console.log(msg.message);
   * ```
   */
  tryGetPubSubMessage(decoder?: Decoder): PubSubMsg | null {
    return tryMessage(this.engine, decoder);
  }

  /**
   * Pub/sub messages as they arrive, until the client closes: an async iterator for the async
   * client, a (blocking) iterator for the sync one.
   *
   * @returns The iterator.
   * @example
   * ```ts
   * for await (const msg of client.messages()) {
   *   console.log(msg.channel, msg.message);
   *   if (msg.message === "bye") break;
   * }
   * ```
   */
  messages(): MessageIterator<M> {
    return iterate(this.engine);
  }

  /**
   * Changes the password the client authenticates with. Reconnections use the new one; with
   * `immediateAuth`, the client re-authenticates now (standalone: AUTH on its connection;
   * cluster: its connections to every node are remade), so a wrong password is this call's error. Rotate the server's password first (e.g.
   * `CONFIG SET requirepass` or ACL SETUSER), then call this. The password never appears in
   * errors or logs. Subscriptions keep the connection (and password) they were made with.
   *
   * @param password - The new password, or `null` to stop authenticating.
   * @param immediateAuth - Re-authenticate now (default: on the next reconnection).
   * @returns "OK".
   * @example
   * ```ts
   * await client.updateConnectionPassword("n3w-s3cret", true);
   * ```
   */
  updateConnectionPassword(password: string | null, immediateAuth = false): Reply<M, "OK"> {
    return this.run(() => updatePassword(password, immediateAuth));
  }
}
