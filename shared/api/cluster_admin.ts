/**
 * Administration commands of the cluster client beyond GLIDE's set (CLUSTER INFO/NODES/SHARDS/SLOTS..., ACL, COMMAND, SLOWLOG, ROLE, KEYS, CLIENT LIST/INFO/KILL), PUBLISH (sharded too) and PUBSUB SHARD*.
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
  ClusterShard,
  ClusterSlots,
  CommandDoc,
  CommandInfo,
  CommandListOptions,
  RoleResponse,
  SlowlogEntry,
} from "../options/admin.ts";
import type { PubSubNumSubEntry } from "../options/pubsub.ts";
import type { Mode, Reply } from "../mode.ts";
import { type ClusterResponse, routed, type RouteOption } from "../routes.ts";
import type { DecoderOption, GlideString } from "../values.ts";
import { CommandRunner } from "./runner.ts";

/**
 * The administration commands of the cluster client, async and sync, with routes where GLIDE has them.
 *
 * @example
 * ```ts
 * import type { ClusterAdminCommands } from "@glide-deno/glide";
 * type Methods = ClusterAdminCommands<"async">;
 * ```
 */
export abstract class ClusterAdminCommands<M extends Mode> extends CommandRunner<M> {
  /**
   * Posts a message to a channel (PUBLISH), or to a shard channel (SPUBLISH) when `sharded`.
   *
   * @param message - The message.
   * @param channel - The channel.
   * @param sharded - Whether the channel is a shard channel.
   * @returns The number of clients that received the message (on the shard, for SPUBLISH).
   * @example
   * ```ts
   * console.log(await client.publish("hello", "news", true)); // 1
   * ```
   */
  publish(message: GlideString, channel: GlideString, sharded?: boolean): Reply<M, number> {
    return this.run(() => pubsub.publish(message, channel, sharded));
  }

  /**
   * Lists the active shard channels (PUBSUB SHARDCHANNELS), combined over every node.
   *
   * @param options - `pattern` (a glob-style pattern the channels must match), and `decoder`.
   * @returns The active shard channels.
   * @example
   * ```ts
   * console.log(await client.pubsubShardChannels({ pattern: "orders.*" }));
   * ```
   */
  pubsubShardChannels(
    options?: { pattern?: GlideString } & DecoderOption,
  ): Reply<M, GlideString[]> {
    return this.run(() => pubsub.pubsubShardChannels(options?.pattern), options);
  }

  /**
   * The number of subscribers of each shard channel (PUBSUB SHARDNUMSUB), added up over the
   * nodes.
   *
   * @param channels - The shard channels to count; an empty list gives an empty reply.
   * @param options - `decoder` for the channel names.
   * @returns One `{ channel, numSub }` per channel, in the order asked.
   * @example
   * ```ts
   * console.log(await client.pubsubShardNumSub(["orders"])); // [{ channel: "orders", numSub: 1 }]
   * ```
   */
  pubsubShardNumSub(
    channels: GlideString[],
    options?: DecoderOption,
  ): Reply<M, PubSubNumSubEntry[]> {
    return this.run(() => pubsub.pubsubShardNumSub(channels), options);
  }

  /**
   * The state of the cluster as a node sees it (CLUSTER INFO), by default from a random node.
   *
   * @param options - `route`.
   * @returns Field name → value (`cluster_state`, `cluster_slots_assigned`, ...), or one record per node for a multi-node route.
   * @example
   * ```ts
   * const info = await client.clusterInfo();
   * console.log(info.cluster_state); // "ok"
   * ```
   */
  clusterInfo(options?: RouteOption): Reply<M, ClusterResponse<Record<string, string>>> {
    return this.run(() => routed(admin.clusterInfo(), options?.route));
  }

  /**
   * The cluster configuration as a node sees it (CLUSTER NODES), by default from a random node.
   *
   * @param options - `route`.
   * @returns The node table, one line per node, or one text per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.clusterNodes({ route: "randomNode" }));
   * ```
   */
  clusterNodes(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(admin.clusterNodes(), options?.route));
  }

  /**
   * The shards of the cluster (CLUSTER SHARDS), by default from a random node.
   *
   * @param options - `route`.
   * @returns Each shard's slot ranges and nodes, or one list per node for a multi-node route.
   * @example
   * ```ts
   * const shards = await client.clusterShards();
   * console.log(shards.length); // 3
   * ```
   */
  clusterShards(options?: RouteOption): Reply<M, ClusterResponse<ClusterShard[]>> {
    return this.run(() => routed(admin.clusterShards(), options?.route));
  }

  /**
   * The mapping of slot ranges to nodes (CLUSTER SLOTS), by default from a random node.
   *
   * @param options - `route`.
   * @returns Each range with its primary and replicas, or one list per node for a multi-node route.
   * @example
   * ```ts
   * const ranges = await client.clusterSlots();
   * console.log(ranges[0].primary.port);
   * ```
   */
  clusterSlots(options?: RouteOption): Reply<M, ClusterResponse<ClusterSlots[]>> {
    return this.run(() => routed(admin.clusterSlots(), options?.route));
  }

  /**
   * The hash slot of a key (CLUSTER KEYSLOT), computed by a random node unless routed.
   *
   * @param key - The key.
   * @param options - `route`.
   * @returns The slot, 0..16383, or one per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.clusterKeySlot("somekey")); // 11058
   * ```
   */
  clusterKeySlot(key: GlideString, options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() => routed(admin.clusterKeySlot(key), options?.route));
  }

  /**
   * The number of keys in a hash slot (CLUSTER COUNTKEYSINSLOT), by default asked of the slot's primary.
   *
   * @param slot - The slot, 0..16383.
   * @param options - `route`.
   * @returns The number of keys, or one count per node for a multi-node route.
   * @example
   * ```ts
   * console.log(await client.clusterCountKeysInSlot(7000)); // 2
   * ```
   */
  clusterCountKeysInSlot(slot: number, options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() =>
      routed(
        admin.clusterCountKeysInSlot(slot),
        options?.route ?? { type: "primarySlotId", id: slot },
      )
    );
  }

  /**
   * The id of a node (CLUSTER MYID), by default a random node.
   *
   * @param options - `route`.
   * @returns The node id, or one per node for a multi-node route.
   * @example
   * ```ts
   * const ids = await client.clusterMyId({ route: "allNodes" });
   * ```
   */
  clusterMyId(options?: RouteOption): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(admin.clusterMyId(), options?.route));
  }

  /**
   * The ACL categories, or the commands of one category (ACL CAT), by default on a random node.
   *
   * @param category - A category: list its commands instead of the categories.
   * @param options - `route`.
   * @returns The category names, or the command names of `category`.
   * @example
   * ```ts
   * console.log(await client.aclCat()); // ["keyspace", "read", ...]
   * ```
   */
  aclCat(category?: string, options?: RouteOption): Reply<M, ClusterResponse<string[]>> {
    return this.run(() => routed(admin.aclCat(category), options?.route));
  }

  /**
   * Deletes ACL users and disconnects their connections (ACL DELUSER), by default on every node.
   *
   * @param usernames - The users to delete.
   * @param options - `route`.
   * @returns The number of users deleted.
   * @example
   * ```ts
   * console.log(await client.aclDelUser(["alice"])); // 1
   * ```
   */
  aclDelUser(usernames: GlideString[], options?: RouteOption): Reply<M, number> {
    return this.run(() => routed(admin.aclDelUser(usernames), options?.route));
  }

  /**
   * The rules of an ACL user (ACL GETUSER), by default on a random node.
   *
   * @param username - The user.
   * @param options - `route`.
   * @returns The user's flags, passwords, command, key and channel rules and selectors, or `null` when there is no such user.
   * @example
   * ```ts
   * const u = await client.aclGetUser("default");
   * console.log(u?.flags); // ["on", "nopass", ...]
   * ```
   */
  aclGetUser(
    username: GlideString,
    options?: RouteOption,
  ): Reply<M, ClusterResponse<AclUser | null>> {
    return this.run(() => routed(admin.aclGetUser(username), options?.route));
  }

  /**
   * The ACL rules of every user, in the ACL file's format (ACL LIST), by default on a random node.
   *
   * @param options - `route`.
   * @returns One `user <name> <rules>` line per user.
   * @example
   * ```ts
   * console.log(await client.aclList()); // ["user default on nopass ~* &* +@all"]
   * ```
   */
  aclList(options?: RouteOption): Reply<M, ClusterResponse<string[]>> {
    return this.run(() => routed(admin.aclList(), options?.route));
  }

  /**
   * Creates an ACL user or changes its rules (ACL SETUSER), by default on every node.
   *
   * @param username - The user.
   * @param rules - ACL rules, e.g. `on`, `>password`, `~keys*`, `+get`; empty creates a disabled user.
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.aclSetUser("alice", ["on", "nopass", "~*", "+get"]);
   * ```
   */
  aclSetUser(username: GlideString, rules: GlideString[], options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(admin.aclSetUser(username, rules), options?.route));
  }

  /**
   * The names of the ACL users (ACL USERS), by default on a random node.
   *
   * @param options - `route` and `decoder`.
   * @returns The user names.
   * @example
   * ```ts
   * console.log(await client.aclUsers()); // ["default"]
   * ```
   */
  aclUsers(options?: RouteOption & DecoderOption): Reply<M, ClusterResponse<GlideString[]>> {
    return this.run(() => routed(admin.aclUsers(), options?.route), options);
  }

  /**
   * The ACL user of this connection (ACL WHOAMI), by default on a random node.
   *
   * @param options - `route` and `decoder`.
   * @returns The user name.
   * @example
   * ```ts
   * console.log(await client.aclWhoami()); // "default"
   * ```
   */
  aclWhoami(options?: RouteOption & DecoderOption): Reply<M, ClusterResponse<GlideString>> {
    return this.run(() => routed(admin.aclWhoami(), options?.route), options);
  }

  /**
   * Checks whether a user may run a command, without running it (ACL DRYRUN), by default on a random node.
   *
   * @param username - The user.
   * @param command - The command and its arguments.
   * @param options - `route`.
   * @returns "OK" when allowed, else the reason it would be denied.
   * @example
   * ```ts
   * console.log(await client.aclDryRun("alice", ["SET", "k", "v"]));
   * ```
   */
  aclDryRun(
    username: GlideString,
    command: GlideString[],
    options?: RouteOption,
  ): Reply<M, ClusterResponse<string>> {
    return this.run(() => routed(admin.aclDryRun(username, command), options?.route));
  }

  /**
   * The recent ACL security events: denied commands and failed authentications (ACL LOG), by default on a random node.
   *
   * @param options - `count`: how many of the most recent entries, `route`.
   * @returns The entries, newest first.
   * @example
   * ```ts
   * const entries = await client.aclLog({ count: 5 });
   * ```
   */
  aclLog(options?: AclLogOptions & RouteOption): Reply<M, ClusterResponse<AclLogEntry[]>> {
    return this.run(() => routed(admin.aclLog(options), options?.route));
  }

  /**
   * Clears the ACL LOG (ACL LOG RESET), by default on a random node.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.aclLogReset();
   * ```
   */
  aclLogReset(options?: RouteOption): Reply<M, ClusterResponse<"OK">> {
    return this.run(() => routed(admin.aclLogReset(), options?.route));
  }

  /**
   * The number of commands the server knows (COMMAND COUNT), by default on a random node.
   *
   * @param options - `route`.
   * @returns The number of commands.
   * @example
   * ```ts
   * console.log(await client.commandCount()); // 240
   * ```
   */
  commandCount(options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() => routed(admin.commandCount(), options?.route));
  }

  /**
   * The documentation of commands (COMMAND DOCS), by default on a random node.
   *
   * @param commands - The commands; every command when absent.
   * @param options - `route`.
   * @returns Command name → documentation.
   * @example
   * ```ts
   * const docs = await client.commandDocs(["get"]);
   * console.log(docs.get.summary);
   * ```
   */
  commandDocs(
    commands?: string[],
    options?: RouteOption,
  ): Reply<M, ClusterResponse<Record<string, CommandDoc>>> {
    return this.run(() => routed(admin.commandDocs(commands), options?.route));
  }

  /**
   * The descriptions of commands: arity, flags, keys, ACL categories (COMMAND INFO), by default on a random node.
   *
   * @param commands - The commands.
   * @param options - `route`.
   * @returns One description per command, `null` for an unknown command.
   * @example
   * ```ts
   * const [get] = await client.commandInfo(["get"]);
   * console.log(get?.arity); // 2
   * ```
   */
  commandInfo(
    commands: string[],
    options?: RouteOption,
  ): Reply<M, ClusterResponse<(CommandInfo | null)[]>> {
    return this.run(() => routed(admin.commandInfo(commands), options?.route));
  }

  /**
   * The names of the commands the server knows, optionally filtered (COMMAND LIST), by default on a random node.
   *
   * @param options - `filterBy`: a module, an ACL category or a pattern, `route`.
   * @returns The command names.
   * @example
   * ```ts
   * const names = await client.commandList({ filterBy: { pattern: "x*" } });
   * ```
   */
  commandList(options?: CommandListOptions & RouteOption): Reply<M, ClusterResponse<string[]>> {
    return this.run(() => routed(admin.commandList(options), options?.route));
  }

  /**
   * The recent entries of the slow log (SLOWLOG GET), by default of every node, combined into one list.
   *
   * @param count - How many of the newest entries; the server's default (10) when absent, -1 for all.
   * @param options - `route` and `decoder`.
   * @returns The entries, newest first.
   * @example
   * ```ts
   * const entries = await client.slowlogGet(5);
   * ```
   */
  slowlogGet(count?: number, options?: RouteOption & DecoderOption): Reply<M, SlowlogEntry[]> {
    return this.run(() => routed(admin.slowlogGet(count), options?.route), options);
  }

  /**
   * The number of entries in the slow log (SLOWLOG LEN), by default summed over every node.
   *
   * @param options - `route`.
   * @returns The number of entries.
   * @example
   * ```ts
   * console.log(await client.slowlogLen());
   * ```
   */
  slowlogLen(options?: RouteOption): Reply<M, number> {
    return this.run(() => routed(admin.slowlogLen(), options?.route));
  }

  /**
   * Clears the slow log (SLOWLOG RESET), by default on every node.
   *
   * @param options - `route`.
   * @returns "OK".
   * @example
   * ```ts
   * await client.slowlogReset();
   * ```
   */
  slowlogReset(options?: RouteOption): Reply<M, "OK"> {
    return this.run(() => routed(admin.slowlogReset(), options?.route));
  }

  /**
   * The replication role of the server (ROLE), by default on a random node.
   *
   * @param options - `route`.
   * @returns The role and its details: offsets and replicas of a primary, the primary and link state of a replica.
   * @example
   * ```ts
   * const r = await client.role();
   * if (r.role === "master") console.log(r.replicas.length);
   * ```
   */
  role(options?: RouteOption): Reply<M, ClusterResponse<RoleResponse>> {
    return this.run(() => routed(admin.role(), options?.route));
  }

  /**
   * The keys matching a glob-style pattern (KEYS), by default of every primary, combined into one list; slow on large databases, prefer SCAN.
   *
   * @param pattern - The pattern, e.g. `user:*`.
   * @param options - `route` and `decoder`.
   * @returns The matching keys.
   * @example
   * ```ts
   * console.log(await client.keys("user:*")); // ["user:1", "user:2"]
   * ```
   */
  keys(pattern: GlideString, options?: RouteOption & DecoderOption): Reply<M, GlideString[]> {
    return this.run(() => routed(admin.keys(pattern), options?.route), options);
  }

  /**
   * The connections of the server (CLIENT LIST), optionally filtered, by default on a random node.
   *
   * @param options - `type` and `ids` filters, `route`.
   * @returns One record of field → value per connection (`id`, `addr`, `name`, `age`, `cmd`, ...).
   * @example
   * ```ts
   * const normal = await client.clientList({ type: ClientType.NORMAL });
   * ```
   */
  clientList(options?: ClientListOptions & RouteOption): Reply<M, ClusterResponse<ClientInfo[]>> {
    return this.run(() => routed(admin.clientList(options), options?.route));
  }

  /**
   * The server's description of this connection (CLIENT INFO), by default on a random node.
   *
   * @param options - `route`.
   * @returns Field → value (`id`, `addr`, `name`, `db`, ...).
   * @example
   * ```ts
   * console.log((await client.clientInfo()).id);
   * ```
   */
  clientInfo(options?: RouteOption): Reply<M, ClusterResponse<ClientInfo>> {
    return this.run(() => routed(admin.clientInfo(), options?.route));
  }

  /**
   * Closes the connections matching every given filter (CLIENT KILL), by default on a random node.
   *
   * @param filters - `id`, `addr`, `laddr`, `user`, `type`, `maxAge` (at least one) and `skipMe`.
   * @param options - `route`.
   * @returns The number of connections closed.
   * @example
   * ```ts
   * console.log(await client.clientKill({ id: 42 })); // 1
   * ```
   */
  clientKill(filters: ClientKillFilters, options?: RouteOption): Reply<M, ClusterResponse<number>> {
    return this.run(() => routed(admin.clientKill(filters), options?.route));
  }
}
