/**
 * Public option and reply types of the administration commands beyond GLIDE's set (CLUSTER,
 * ACL, COMMAND, SLOWLOG, ROLE, CLIENT LIST/INFO/KILL).
 * @module
 */

import type { GlideString } from "../values.ts";

/**
 * A range of hash slots, both ends included.
 *
 * @example
 * ```ts
 * import type { SlotRange } from "@glide-deno/glide";
 * const all: SlotRange = { start: 0, end: 16383 };
 * ```
 */
export interface SlotRange {
  /** The first slot. */
  start: number;
  /** The last slot. */
  end: number;
}

/**
 * One node of a shard in the reply of CLUSTER SHARDS.
 *
 * @example
 * ```ts
 * import type { ClusterShardNode } from "@glide-deno/glide";
 * const n: ClusterShardNode = {
 *   id: "e7d1eec", endpoint: "127.0.0.1", ip: "127.0.0.1", port: 7000,
 *   role: "master", replicationOffset: 0, health: "online",
 * };
 * ```
 */
export interface ClusterShardNode {
  /** The node id. */
  id: string;
  /** The preferred endpoint of the node. */
  endpoint: string;
  /** The IP address. */
  ip: string;
  /** The hostname, when announced. */
  hostname?: string;
  /** The plain TCP port, when the node has one. */
  port?: number;
  /** The TLS port, when the node has one. */
  tlsPort?: number;
  /** `master` or `replica`. */
  role: string;
  /** The replication offset. */
  replicationOffset: number;
  /** `online`, `failed` or `loading`. */
  health: string;
}

/**
 * One shard in the reply of CLUSTER SHARDS: its slot ranges and its nodes.
 *
 * @example
 * ```ts
 * import type { ClusterShard } from "@glide-deno/glide";
 * const s: ClusterShard = { slots: [{ start: 0, end: 5460 }], nodes: [] };
 * ```
 */
export interface ClusterShard {
  /** The slot ranges the shard serves. */
  slots: SlotRange[];
  /** The primary and replicas of the shard. */
  nodes: ClusterShardNode[];
}

/**
 * A node serving a slot range in the reply of CLUSTER SLOTS.
 *
 * @example
 * ```ts
 * import type { ClusterSlotNode } from "@glide-deno/glide";
 * const n: ClusterSlotNode = { host: "127.0.0.1", port: 7000, id: "e7d1eec", metadata: {} };
 * ```
 */
export interface ClusterSlotNode {
  /** The preferred endpoint (IP or hostname). */
  host: string;
  /** The port. */
  port: number;
  /** The node id. */
  id: string;
  /** Extra networking metadata (e.g. `hostname`), empty when none. */
  metadata: Record<string, string>;
}

/**
 * One slot range in the reply of CLUSTER SLOTS and the nodes serving it.
 *
 * @example
 * ```ts
 * import type { ClusterSlots } from "@glide-deno/glide";
 * const s: ClusterSlots = {
 *   start: 0, end: 5460,
 *   primary: { host: "127.0.0.1", port: 7000, id: "e7d1eec", metadata: {} },
 *   replicas: [],
 * };
 * ```
 */
export interface ClusterSlots extends SlotRange {
  /** The primary of the range. */
  primary: ClusterSlotNode;
  /** The replicas of the range. */
  replicas: ClusterSlotNode[];
}

/**
 * A selector of an ACL user, in the reply of ACL GETUSER.
 *
 * @example
 * ```ts
 * import type { AclSelector } from "@glide-deno/glide";
 * const s: AclSelector = { commands: "-@all +get", keys: "~key*", channels: "" };
 * ```
 */
export interface AclSelector {
  /** The command rules. */
  commands: string;
  /** The key patterns. */
  keys: string;
  /** The channel patterns. */
  channels: string;
}

/**
 * An ACL user's rules, the reply of ACL GETUSER.
 *
 * @example
 * ```ts
 * import type { AclUser } from "@glide-deno/glide";
 * const u: AclUser = {
 *   flags: ["on"], passwords: [], commands: "+@all", keys: "~*", channels: "&*", selectors: [],
 * };
 * ```
 */
export interface AclUser {
  /** Flags such as `on`, `off`, `nopass`, `sanitize-payload`. */
  flags: string[];
  /** SHA-256 hashes of the user's passwords. */
  passwords: string[];
  /** The command rules. */
  commands: string;
  /** The key patterns. */
  keys: string;
  /** The channel patterns. */
  channels: string;
  /** The user's selectors. */
  selectors: AclSelector[];
}

/**
 * One entry of the ACL LOG: a denied command or a failed authentication.
 *
 * @example
 * ```ts
 * import type { AclLogEntry } from "@glide-deno/glide";
 * const e: AclLogEntry = {
 *   count: 1, reason: "command", context: "toplevel", object: "get", username: "u",
 *   ageSeconds: 0.5, clientInfo: "id=3 addr=127.0.0.1:5000 ...",
 * };
 * ```
 */
export interface AclLogEntry {
  /** How many times this event happened within the entry's time window. */
  count: number;
  /** `command`, `key`, `channel` or `auth`. */
  reason: string;
  /** `toplevel`, `multi`, `lua` or `module`. */
  context: string;
  /** The command, key or channel denied. */
  object: string;
  /** The user. */
  username: string;
  /** Seconds since the entry was created. */
  ageSeconds: number;
  /** The CLIENT INFO line of the client. */
  clientInfo: string;
  /** The entry id (servers 7.2 and newer). */
  entryId?: number;
  /** When the entry was created, in ms since the epoch (servers 7.2 and newer). */
  timestampCreated?: number;
  /** When the entry was last updated, in ms since the epoch (servers 7.2 and newer). */
  timestampLastUpdated?: number;
}

/**
 * Options of ACL LOG.
 *
 * @example
 * ```ts
 * import type { AclLogOptions } from "@glide-deno/glide";
 * const o: AclLogOptions = { count: 5 };
 * ```
 */
export interface AclLogOptions {
  /** The most recent entries to return; the server's default (10) when absent. */
  count?: number;
}

/**
 * An argument of a command, in the reply of COMMAND DOCS.
 *
 * @example
 * ```ts
 * import type { CommandDocArgument } from "@glide-deno/glide";
 * const a: CommandDocArgument = { name: "key", type: "key", displayText: "key", keySpecIndex: 0 };
 * ```
 */
export interface CommandDocArgument {
  /** The argument's name. */
  name: string;
  /** `string`, `integer`, `double`, `key`, `pattern`, `unix-time`, `pure-token`, `oneof` or `block`. */
  type: string;
  /** The name shown in the syntax. */
  displayText?: string;
  /** The index of the key specification, for key arguments. */
  keySpecIndex?: number;
  /** The literal token before the argument. */
  token?: string;
  /** A short description. */
  summary?: string;
  /** The server version the argument appeared in. */
  since?: string;
  /** `optional`, `multiple`, `multiple_token`. */
  flags?: string[];
  /** The server version the argument was deprecated in. */
  deprecatedSince?: string;
  /** The value of a token-only argument. */
  value?: string;
  /** The nested arguments of `oneof` and `block` arguments. */
  arguments?: CommandDocArgument[];
}

/**
 * The documentation of a command, in the reply of COMMAND DOCS.
 *
 * @example
 * ```ts
 * import type { CommandDoc } from "@glide-deno/glide";
 * const d: CommandDoc = { summary: "Returns the string value of a key.", since: "1.0.0", group: "string" };
 * ```
 */
export interface CommandDoc {
  /** A short description. */
  summary?: string;
  /** The server version the command appeared in. */
  since?: string;
  /** The command's group, e.g. `string`. */
  group?: string;
  /** The time complexity. */
  complexity?: string;
  /** The module providing the command. */
  module?: string;
  /** `deprecated`, `syscmd`. */
  docFlags?: string[];
  /** The server version the command was deprecated in. */
  deprecatedSince?: string;
  /** The command replacing a deprecated one. */
  replacedBy?: string;
  /** Behaviour changes: `[version, description]` pairs. */
  history?: [string, string][];
  /** The arguments. */
  arguments?: CommandDocArgument[];
  /** The subcommands' documentation, by full name. */
  subcommands?: Record<string, CommandDoc>;
}

/**
 * A command's description, in the reply of COMMAND INFO.
 *
 * @example
 * ```ts
 * import type { CommandInfo } from "@glide-deno/glide";
 * const i: CommandInfo = {
 *   name: "get", arity: 2, flags: ["readonly", "fast"], firstKey: 1, lastKey: 1, step: 1,
 *   aclCategories: ["@read", "@string", "@fast"], tips: [], keySpecifications: [], subcommands: [],
 * };
 * ```
 */
export interface CommandInfo {
  /** The command's name, lower case. */
  name: string;
  /** The number of arguments (the name included); negative means "at least". */
  arity: number;
  /** The command's flags, e.g. `readonly`, `fast`. */
  flags: string[];
  /** The position of the first key. */
  firstKey: number;
  /** The position of the last key; negative counts from the end. */
  lastKey: number;
  /** The step between keys. */
  step: number;
  /** The ACL categories, e.g. `@read`. */
  aclCategories: string[];
  /** Hints for clients, e.g. `request_policy:all_shards`. */
  tips: string[];
  /** The key specifications, as the server describes them (maps as objects). */
  keySpecifications: Record<string, unknown>[];
  /** The subcommands' descriptions. */
  subcommands: CommandInfo[];
}

/**
 * The filter of COMMAND LIST: at most one of module, ACL category and pattern.
 *
 * @example
 * ```ts
 * import type { CommandListOptions } from "@glide-deno/glide";
 * const o: CommandListOptions = { filterBy: { aclCategory: "string" } };
 * ```
 */
export interface CommandListOptions {
  /** Only the commands of a module, of an ACL category, or matching a glob-style pattern. */
  filterBy?: { module: string } | { aclCategory: string } | { pattern: string };
}

/**
 * One entry of the SLOWLOG.
 *
 * @example
 * ```ts
 * import type { SlowlogEntry } from "@glide-deno/glide";
 * const e: SlowlogEntry = {
 *   id: 1, timestamp: 1700000000, duration: 12000, args: ["DEBUG", "SLEEP", "0.012"],
 *   clientAddress: "127.0.0.1:5000", clientName: "",
 * };
 * ```
 */
export interface SlowlogEntry {
  /** The entry's unique id. */
  id: number;
  /** When the command ran, in seconds since the epoch. */
  timestamp: number;
  /** How long it ran, in microseconds. */
  duration: number;
  /** The command and its arguments (possibly truncated by the server). */
  args: GlideString[];
  /** The client's address. */
  clientAddress: string;
  /** The client's name, "" when none. */
  clientName: string;
}

/**
 * A replica in the ROLE reply of a primary.
 *
 * @example
 * ```ts
 * import type { RoleReplica } from "@glide-deno/glide";
 * const r: RoleReplica = { ip: "127.0.0.1", port: 7003, replicationOffset: 100 };
 * ```
 */
export interface RoleReplica {
  /** The replica's IP. */
  ip: string;
  /** The replica's port. */
  port: number;
  /** The last offset the replica acknowledged. */
  replicationOffset: number;
}

/**
 * The reply of ROLE: what the server is in replication.
 *
 * @example
 * ```ts
 * import type { RoleResponse } from "@glide-deno/glide";
 * const r: RoleResponse = { role: "master", replicationOffset: 0, replicas: [] };
 * ```
 */
export type RoleResponse =
  | { role: "master"; replicationOffset: number; replicas: RoleReplica[] }
  | {
    role: "slave";
    primaryIp: string;
    primaryPort: number;
    state: string;
    replicationOffset: number;
  }
  | { role: "sentinel"; primaryNames: string[] };

/**
 * The kinds of clients CLIENT LIST and CLIENT KILL can filter by.
 *
 * @example
 * ```ts
 * import { ClientType } from "@glide-deno/glide";
 * const t = ClientType.PUBSUB;
 * ```
 */
export enum ClientType {
  /** Ordinary clients. */
  NORMAL = "normal",
  /** Primaries this server replicates from. */
  PRIMARY = "master",
  /** Replicas of this server. */
  REPLICA = "replica",
  /** Clients in pub/sub mode. */
  PUBSUB = "pubsub",
}

/**
 * Options of CLIENT LIST.
 *
 * @example
 * ```ts
 * import { ClientType, type ClientListOptions } from "@glide-deno/glide";
 * const o: ClientListOptions = { type: ClientType.NORMAL };
 * ```
 */
export interface ClientListOptions {
  /** Only clients of this kind. */
  type?: ClientType;
  /** Only the clients with these ids. */
  ids?: number[];
}

/**
 * A client as CLIENT LIST and CLIENT INFO describe it: field name → value (`id`, `addr`,
 * `laddr`, `name`, `age`, `db`, `flags`, `cmd`, `user`, ...).
 *
 * @example
 * ```ts
 * import type { ClientInfo } from "@glide-deno/glide";
 * const c: ClientInfo = { id: "7", addr: "127.0.0.1:5000", name: "" };
 * ```
 */
export type ClientInfo = Record<string, string>;

/**
 * The filters of CLIENT KILL; at least one is needed, and a client must match them all.
 *
 * @example
 * ```ts
 * import type { ClientKillFilters } from "@glide-deno/glide";
 * const f: ClientKillFilters = { id: 42, skipMe: true };
 * ```
 */
export interface ClientKillFilters {
  /** The client's id (or several ids, servers 8.0 and newer). */
  id?: number | number[];
  /** The client's address, `ip:port`. */
  addr?: string;
  /** The local address the client is connected to, `ip:port`. */
  laddr?: string;
  /** The client's ACL user. */
  user?: string;
  /** The client's kind. */
  type?: ClientType;
  /** Whether the calling client is spared (the server's default is `true`). */
  skipMe?: boolean;
  /** Only clients connected for at least this many seconds. */
  maxAge?: number;
}
