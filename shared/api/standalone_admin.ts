/**
 * Administration commands of the standalone client beyond GLIDE's set (ACL, COMMAND, SLOWLOG, ROLE, KEYS, CLIENT LIST/INFO/KILL) and PUBLISH.
 * @module
 */

import * as admin from "../commands/admin.ts";
import * as pubsub from "../commands/pubsub.ts";
import type {
  AclLogEntry,
  AclLogOptions,
  AclUser,
  ClientInfo,
  ClientKillFilters,
  ClientListOptions,
  CommandDoc,
  CommandInfo,
  CommandListOptions,
  RoleResponse,
  SlowlogEntry,
} from "../options/admin.ts";
import type { Mode, Reply } from "../mode.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The administration commands of the standalone client, async and sync.
 *
 * @example
 * ```ts
 * import type { StandaloneAdminCommands } from "@glide-deno/glide";
 * type Methods = StandaloneAdminCommands<"async">;
 * ```
 */
export abstract class StandaloneAdminCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Posts a message to a channel (PUBLISH).
   *
   * @param message - The message.
   * @param channel - The channel.
   * @returns The number of clients that received the message.
   * @example
   * ```ts
   * console.log(await client.publish("hello", "news")); // 1
   * ```
   */
  publish(message: GlideString, channel: GlideString): Reply<M, number> {
    return this.run(() => pubsub.publish(message, channel));
  }

  /**
   * The ACL categories, or the commands of one category (ACL CAT).
   *
   * @param category - A category: list its commands instead of the categories.
   * @returns The category names, or the command names of `category`.
   * @example
   * ```ts
   * console.log(await client.aclCat()); // ["keyspace", "read", ...]
   * ```
   */
  aclCat(category?: string): Reply<M, string[]> {
    return this.run(() => admin.aclCat(category));
  }

  /**
   * Deletes ACL users and disconnects their connections (ACL DELUSER).
   *
   * @param usernames - The users to delete.
   * @returns The number of users deleted.
   * @example
   * ```ts
   * console.log(await client.aclDelUser(["alice"])); // 1
   * ```
   */
  aclDelUser(usernames: GlideString[]): Reply<M, number> {
    return this.run(() => admin.aclDelUser(usernames));
  }

  /**
   * The rules of an ACL user (ACL GETUSER).
   *
   * @param username - The user.
   * @returns The user's flags, passwords, command, key and channel rules and selectors, or `null` when there is no such user.
   * @example
   * ```ts
   * const u = await client.aclGetUser("default");
   * console.log(u?.flags); // ["on", "nopass", ...]
   * ```
   */
  aclGetUser(username: GlideString): Reply<M, AclUser | null> {
    return this.run(() => admin.aclGetUser(username));
  }

  /**
   * The ACL rules of every user, in the ACL file's format (ACL LIST).
   *
   * @returns One `user <name> <rules>` line per user.
   * @example
   * ```ts
   * console.log(await client.aclList()); // ["user default on nopass ~* &* +@all"]
   * ```
   */
  aclList(): Reply<M, string[]> {
    return this.run(() => admin.aclList());
  }

  /**
   * Creates an ACL user or changes its rules (ACL SETUSER).
   *
   * @param username - The user.
   * @param rules - ACL rules, e.g. `on`, `>password`, `~keys*`, `+get`; empty creates a disabled user.
   * @returns "OK".
   * @example
   * ```ts
   * await client.aclSetUser("alice", ["on", "nopass", "~*", "+get"]);
   * ```
   */
  aclSetUser(username: GlideString, rules: GlideString[]): Reply<M, "OK"> {
    return this.run(() => admin.aclSetUser(username, rules));
  }

  /**
   * The names of the ACL users (ACL USERS).
   *
   * @param options - `decoder`.
   * @returns The user names.
   * @example
   * ```ts
   * console.log(await client.aclUsers()); // ["default"]
   * ```
   */
  aclUsers(options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => admin.aclUsers(), options);
  }

  /**
   * The ACL user of this connection (ACL WHOAMI).
   *
   * @param options - `decoder`.
   * @returns The user name.
   * @example
   * ```ts
   * console.log(await client.aclWhoami()); // "default"
   * ```
   */
  aclWhoami(options?: DecoderOption): Reply<M, GlideString> {
    return this.run(() => admin.aclWhoami(), options);
  }

  /**
   * Checks whether a user may run a command, without running it (ACL DRYRUN).
   *
   * @param username - The user.
   * @param command - The command and its arguments.
   * @returns "OK" when allowed, else the reason it would be denied.
   * @example
   * ```ts
   * console.log(await client.aclDryRun("alice", ["SET", "k", "v"]));
   * ```
   */
  aclDryRun(username: GlideString, command: GlideString[]): Reply<M, string> {
    return this.run(() => admin.aclDryRun(username, command));
  }

  /**
   * The recent ACL security events: denied commands and failed authentications (ACL LOG).
   *
   * @param options - `count`: how many of the most recent entries.
   * @returns The entries, newest first.
   * @example
   * ```ts
   * const entries = await client.aclLog({ count: 5 });
   * ```
   */
  aclLog(options?: AclLogOptions): Reply<M, AclLogEntry[]> {
    return this.run(() => admin.aclLog(options));
  }

  /**
   * Clears the ACL LOG (ACL LOG RESET).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.aclLogReset();
   * ```
   */
  aclLogReset(): Reply<M, "OK"> {
    return this.run(() => admin.aclLogReset());
  }

  /**
   * The number of commands the server knows (COMMAND COUNT).
   *
   * @returns The number of commands.
   * @example
   * ```ts
   * console.log(await client.commandCount()); // 240
   * ```
   */
  commandCount(): Reply<M, number> {
    return this.run(() => admin.commandCount());
  }

  /**
   * The documentation of commands (COMMAND DOCS).
   *
   * @param commands - The commands; every command when absent.
   * @returns Command name → documentation.
   * @example
   * ```ts
   * const docs = await client.commandDocs(["get"]);
   * console.log(docs.get.summary);
   * ```
   */
  commandDocs(commands?: string[]): Reply<M, Record<string, CommandDoc>> {
    return this.run(() => admin.commandDocs(commands));
  }

  /**
   * The descriptions of commands: arity, flags, keys, ACL categories (COMMAND INFO).
   *
   * @param commands - The commands.
   * @returns One description per command, `null` for an unknown command.
   * @example
   * ```ts
   * const [get] = await client.commandInfo(["get"]);
   * console.log(get?.arity); // 2
   * ```
   */
  commandInfo(commands: string[]): Reply<M, (CommandInfo | null)[]> {
    return this.run(() => admin.commandInfo(commands));
  }

  /**
   * The names of the commands the server knows, optionally filtered (COMMAND LIST).
   *
   * @param options - `filterBy`: a module, an ACL category or a pattern.
   * @returns The command names.
   * @example
   * ```ts
   * const names = await client.commandList({ filterBy: { pattern: "x*" } });
   * ```
   */
  commandList(options?: CommandListOptions): Reply<M, string[]> {
    return this.run(() => admin.commandList(options));
  }

  /**
   * The recent entries of the slow log (SLOWLOG GET).
   *
   * @param count - How many of the newest entries; the server's default (10) when absent, -1 for all.
   * @param options - `decoder`.
   * @returns The entries, newest first.
   * @example
   * ```ts
   * const entries = await client.slowlogGet(5);
   * ```
   */
  slowlogGet(count?: number, options?: DecoderOption): Reply<M, SlowlogEntry[]> {
    return this.run(() => admin.slowlogGet(count), options);
  }

  /**
   * The number of entries in the slow log (SLOWLOG LEN).
   *
   * @returns The number of entries.
   * @example
   * ```ts
   * console.log(await client.slowlogLen());
   * ```
   */
  slowlogLen(): Reply<M, number> {
    return this.run(() => admin.slowlogLen());
  }

  /**
   * Clears the slow log (SLOWLOG RESET).
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.slowlogReset();
   * ```
   */
  slowlogReset(): Reply<M, "OK"> {
    return this.run(() => admin.slowlogReset());
  }

  /**
   * The replication role of the server (ROLE).
   *
   * @returns The role and its details: offsets and replicas of a primary, the primary and link state of a replica.
   * @example
   * ```ts
   * const r = await client.role();
   * if (r.role === "master") console.log(r.replicas.length);
   * ```
   */
  role(): Reply<M, RoleResponse> {
    return this.run(() => admin.role());
  }

  /**
   * The keys matching a glob-style pattern (KEYS); slow on large databases, prefer SCAN.
   *
   * @param pattern - The pattern, e.g. `user:*`.
   * @param options - `decoder`.
   * @returns The matching keys.
   * @example
   * ```ts
   * console.log(await client.keys("user:*")); // ["user:1", "user:2"]
   * ```
   */
  keys(pattern: GlideString, options?: DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => admin.keys(pattern), options);
  }

  /**
   * The connections of the server (CLIENT LIST), optionally filtered.
   *
   * @param options - `type` and `ids` filters.
   * @returns One record of field → value per connection (`id`, `addr`, `name`, `age`, `cmd`, ...).
   * @example
   * ```ts
   * const normal = await client.clientList({ type: ClientType.NORMAL });
   * ```
   */
  clientList(options?: ClientListOptions): Reply<M, ClientInfo[]> {
    return this.run(() => admin.clientList(options));
  }

  /**
   * The server's description of this connection (CLIENT INFO).
   *
   * @returns Field → value (`id`, `addr`, `name`, `db`, ...).
   * @example
   * ```ts
   * console.log((await client.clientInfo()).id);
   * ```
   */
  clientInfo(): Reply<M, ClientInfo> {
    return this.run(() => admin.clientInfo());
  }

  /**
   * Closes the connections matching every given filter (CLIENT KILL).
   *
   * @param filters - `id`, `addr`, `laddr`, `user`, `type`, `maxAge` (at least one) and `skipMe`.
   * @returns The number of connections closed.
   * @example
   * ```ts
   * console.log(await client.clientKill({ id: 42 })); // 1
   * ```
   */
  clientKill(filters: ClientKillFilters): Reply<M, number> {
    return this.run(() => admin.clientKill(filters));
  }
}
