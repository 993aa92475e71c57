/**
 * Administration builders beyond GLIDE's set: CLUSTER INFO / NODES / SHARDS / SLOTS / KEYSLOT /
 * COUNTKEYSINSLOT / MYID, ACL, COMMAND, SLOWLOG, ROLE, KEYS, CLIENT LIST / INFO / KILL.
 * @module
 */

import { type Command, int, mayBeEmpty } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import {
  type AclLogEntry,
  type AclLogOptions,
  type AclSelector,
  type AclUser,
  type ClientInfo,
  type ClientKillFilters,
  type ClientListOptions,
  ClientType,
  type ClusterShard,
  type ClusterShardNode,
  type ClusterSlotNode,
  type ClusterSlots,
  type CommandDoc,
  type CommandDocArgument,
  type CommandInfo,
  type CommandListOptions,
  type RoleResponse,
  type SlowlogEntry,
} from "../options/admin.ts";
import { isEntry, toArray, toNumber, toObject } from "../shape.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";

/** A node's error inside a per-node reply (cluster, multi-node route) is thrown. */
function checked(r: GlideReturnType): GlideReturnType {
  if (r instanceof Error) throw r;
  return r;
}

/** A command whose reply is used as decoded (the call's decoder). */
function plain<T>(args: GlideString[]): Command<T> {
  return { args, shape: (r) => checked(r) as T };
}

/** A command whose reply is always decoded as text, then shaped. */
function textShaped<T>(
  args: GlideString[],
  shape: (r: GlideReturnType) => T = (r) => r as T,
): Command<T> {
  return { args, decoder: Decoder.String, shape: (r) => shape(checked(r)) };
}

const utf8 = new TextDecoder();

/** Any decoded scalar → string. */
function str(v: GlideReturnType): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return String(v);
}

/** A RESP3 set/array or RESP2 array of strings → string[]. */
const strings = (v: GlideReturnType): string[] => toArray(v).map(str);

/** A map whose keys are known names → object; `null` → `{}`. */
const obj = (v: GlideReturnType): Record<string, GlideReturnType> => toObject(v);

// ---------------------------------------------------------------- CLUSTER

/** CLUSTER INFO → field → value. @internal */
export function clusterInfo(): Command<Record<string, string>> {
  return textShaped(["CLUSTER", "INFO"], (r) => {
    const out: Record<string, string> = {};
    for (const line of str(r).split(/\r?\n/)) {
      const i = line.indexOf(":");
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
    }
    return out;
  });
}

/** CLUSTER NODES → text. @internal */
export function clusterNodes(): Command<string> {
  return textShaped(["CLUSTER", "NODES"], str);
}

function shardNode(v: GlideReturnType): ClusterShardNode {
  const o = obj(v);
  const node: ClusterShardNode = {
    id: str(o["id"]),
    endpoint: str(o["endpoint"]),
    ip: str(o["ip"]),
    role: str(o["role"]),
    replicationOffset: toNumber(o["replication-offset"] ?? 0),
    health: str(o["health"]),
  };
  if (o["hostname"] !== undefined) node.hostname = str(o["hostname"]);
  if (o["port"] !== undefined) node.port = toNumber(o["port"]);
  if (o["tls-port"] !== undefined) node.tlsPort = toNumber(o["tls-port"]);
  return node;
}

/** CLUSTER SHARDS → shards with their slot ranges and nodes. @internal */
export function clusterShards(): Command<ClusterShard[]> {
  return textShaped(["CLUSTER", "SHARDS"], (r) =>
    toArray(r).map((s) => {
      const o = obj(s);
      const flat = toArray(o["slots"]).map(toNumber);
      const slots = [];
      for (let i = 0; i + 1 < flat.length; i += 2) slots.push({ start: flat[i], end: flat[i + 1] });
      return { slots, nodes: toArray(o["nodes"]).map(shardNode) };
    }));
}

function slotNode(v: GlideReturnType): ClusterSlotNode {
  const [host, port, id, meta] = toArray(v);
  const metadata: Record<string, string> = {};
  if (meta !== undefined && meta !== null) {
    for (const [k, val] of Object.entries(toObject(meta))) metadata[k] = str(val);
  }
  return { host: str(host), port: toNumber(port), id: str(id), metadata };
}

/** CLUSTER SLOTS → slot ranges with their primary and replicas. @internal */
export function clusterSlots(): Command<ClusterSlots[]> {
  return textShaped(["CLUSTER", "SLOTS"], (r) =>
    toArray(r).map((range) => {
      const [start, end, primary, ...replicas] = toArray(range);
      return {
        start: toNumber(start),
        end: toNumber(end),
        primary: slotNode(primary),
        replicas: replicas.map(slotNode),
      };
    }));
}

/** CLUSTER KEYSLOT key. @internal */
export function clusterKeySlot(key: GlideString): Command<number> {
  return plain(["CLUSTER", "KEYSLOT", key]);
}

/** CLUSTER COUNTKEYSINSLOT slot. @internal */
export function clusterCountKeysInSlot(slot: number): Command<number> {
  return plain(["CLUSTER", "COUNTKEYSINSLOT", int("slot", slot)]);
}

/** CLUSTER MYID. @internal */
export function clusterMyId(): Command<string> {
  return textShaped(["CLUSTER", "MYID"], str);
}

// ---------------------------------------------------------------- ACL

/** ACL CAT [category]. @internal */
export function aclCat(category?: string): Command<string[]> {
  return textShaped(category === undefined ? ["ACL", "CAT"] : ["ACL", "CAT", category], strings);
}

/** ACL DELUSER username [username ...]. @internal */
export function aclDelUser(usernames: GlideString[]): Command<number> {
  return plain(["ACL", "DELUSER", ...mayBeEmpty("usernames", usernames)]);
}

function selector(v: GlideReturnType): AclSelector {
  const o = obj(v);
  return { commands: str(o["commands"]), keys: str(o["keys"]), channels: str(o["channels"]) };
}

/** ACL GETUSER username → the user's rules, or null. @internal */
export function aclGetUser(username: GlideString): Command<AclUser | null> {
  return textShaped(["ACL", "GETUSER", username], (r) => {
    if (r === null) return null;
    const o = obj(r);
    return {
      flags: strings(o["flags"] ?? []),
      passwords: strings(o["passwords"] ?? []),
      commands: str(o["commands"]),
      keys: str(o["keys"]),
      channels: str(o["channels"]),
      selectors: toArray(o["selectors"] ?? []).map(selector),
    };
  });
}

/** ACL LIST. @internal */
export function aclList(): Command<string[]> {
  return textShaped(["ACL", "LIST"], strings);
}

/** ACL SETUSER username [rule ...]. @internal */
export function aclSetUser(username: GlideString, rules: GlideString[]): Command<"OK"> {
  if (!Array.isArray(rules)) throw new ConfigurationError("rules must be an array");
  return textShaped(["ACL", "SETUSER", username, ...rules], (r) => r as "OK");
}

/** ACL USERS. @internal */
export function aclUsers(): Command<GlideString[]> {
  return { args: ["ACL", "USERS"], shape: (r) => toArray<GlideString>(checked(r)) };
}

/** ACL WHOAMI. @internal */
export function aclWhoami(): Command<GlideString> {
  return plain(["ACL", "WHOAMI"]);
}

/** ACL DRYRUN username command [arg ...]. @internal */
export function aclDryRun(username: GlideString, command: GlideString[]): Command<string> {
  return textShaped(["ACL", "DRYRUN", username, ...mayBeEmpty("command", command)], str);
}

function logEntry(v: GlideReturnType): AclLogEntry {
  const o = obj(v);
  const e: AclLogEntry = {
    count: toNumber(o["count"]),
    reason: str(o["reason"]),
    context: str(o["context"]),
    object: str(o["object"]),
    username: str(o["username"]),
    ageSeconds: toNumber(o["age-seconds"]),
    clientInfo: str(o["client-info"]),
  };
  if (o["entry-id"] !== undefined) e.entryId = toNumber(o["entry-id"]);
  if (o["timestamp-created"] !== undefined) e.timestampCreated = toNumber(o["timestamp-created"]);
  if (o["timestamp-last-updated"] !== undefined) {
    e.timestampLastUpdated = toNumber(o["timestamp-last-updated"]);
  }
  return e;
}

/** ACL LOG [count]. @internal */
export function aclLog(options?: AclLogOptions): Command<AclLogEntry[]> {
  const args = ["ACL", "LOG"];
  if (options?.count !== undefined) args.push(int("count", options.count));
  return textShaped(args, (r) => toArray(r).map(logEntry));
}

/** ACL LOG RESET. @internal */
export function aclLogReset(): Command<"OK"> {
  return textShaped(["ACL", "LOG", "RESET"], (r) => r as "OK");
}

// ---------------------------------------------------------------- COMMAND

/** COMMAND COUNT. @internal */
export function commandCount(): Command<number> {
  return plain(["COMMAND", "COUNT"]);
}

function docArgument(v: GlideReturnType): CommandDocArgument {
  const o = obj(v);
  const a: CommandDocArgument = { name: str(o["name"]), type: str(o["type"]) };
  if (o["display_text"] !== undefined) a.displayText = str(o["display_text"]);
  if (o["key_spec_index"] !== undefined) a.keySpecIndex = toNumber(o["key_spec_index"]);
  if (o["token"] !== undefined) a.token = str(o["token"]);
  if (o["summary"] !== undefined) a.summary = str(o["summary"]);
  if (o["since"] !== undefined) a.since = str(o["since"]);
  if (o["flags"] !== undefined) a.flags = strings(o["flags"]);
  if (o["deprecated_since"] !== undefined) a.deprecatedSince = str(o["deprecated_since"]);
  if (o["value"] !== undefined) a.value = str(o["value"]);
  if (o["arguments"] !== undefined) a.arguments = toArray(o["arguments"]).map(docArgument);
  return a;
}

function doc(v: GlideReturnType): CommandDoc {
  const o = obj(v);
  const d: CommandDoc = {};
  if (o["summary"] !== undefined) d.summary = str(o["summary"]);
  if (o["since"] !== undefined) d.since = str(o["since"]);
  if (o["group"] !== undefined) d.group = str(o["group"]);
  if (o["complexity"] !== undefined) d.complexity = str(o["complexity"]);
  if (o["module"] !== undefined) d.module = str(o["module"]);
  if (o["doc_flags"] !== undefined) d.docFlags = strings(o["doc_flags"]);
  if (o["deprecated_since"] !== undefined) d.deprecatedSince = str(o["deprecated_since"]);
  if (o["replaced_by"] !== undefined) d.replacedBy = str(o["replaced_by"]);
  if (o["history"] !== undefined) {
    d.history = toArray(o["history"]).map((h) => {
      const [version, text] = toArray(h);
      return [str(version), str(text)];
    });
  }
  if (o["arguments"] !== undefined) d.arguments = toArray(o["arguments"]).map(docArgument);
  if (o["subcommands"] !== undefined) d.subcommands = toObject(o["subcommands"], doc);
  return d;
}

/** COMMAND DOCS [command ...] → name → documentation. @internal */
export function commandDocs(commands?: string[]): Command<Record<string, CommandDoc>> {
  if (commands !== undefined && !Array.isArray(commands)) {
    throw new ConfigurationError("commands must be an array");
  }
  return textShaped(["COMMAND", "DOCS", ...(commands ?? [])], (r) => toObject(r, doc));
}

/** A nested reply of maps, maps turned into objects (RESP3 maps, or RESP2 flat arrays). */
function keySpec(v: GlideReturnType): Record<string, unknown> {
  return toObject(v, (x, k): unknown => {
    if (k === "begin_search" || k === "find_keys" || k === "spec") return keySpec(x);
    if (k === "flags") return strings(x);
    if (typeof x === "string" || typeof x === "number" || x === null) return x;
    if (Array.isArray(x) && x.length > 0 && isEntry(x[0])) return keySpec(x);
    return x;
  });
}

function info(v: GlideReturnType): CommandInfo | null {
  if (v === null) return null;
  const [name, arity, flags, first, last, step, cats, tips, specs, subs] = toArray(v);
  return {
    name: str(name),
    arity: toNumber(arity),
    flags: strings(flags),
    firstKey: toNumber(first),
    lastKey: toNumber(last),
    step: toNumber(step),
    aclCategories: strings(cats ?? []),
    tips: strings(tips ?? []),
    keySpecifications: toArray(specs ?? []).map(keySpec),
    subcommands: toArray(subs ?? []).map(info).filter((s): s is CommandInfo => s !== null),
  };
}

/** COMMAND INFO [command ...] → one description (or null) per command. @internal */
export function commandInfo(commands: string[]): Command<(CommandInfo | null)[]> {
  return textShaped(
    ["COMMAND", "INFO", ...mayBeEmpty("commands", commands)],
    (r) => toArray(r).map(info),
  );
}

/** COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]. @internal */
export function commandList(options?: CommandListOptions): Command<string[]> {
  const args = ["COMMAND", "LIST"];
  const f = options?.filterBy;
  if (f !== undefined) {
    const given = typeof f === "object" && f !== null ? Object.keys(f) : [];
    if (given.length !== 1) {
      throw new ConfigurationError("filterBy needs exactly one of module, aclCategory, pattern");
    }
    if ("module" in f) args.push("FILTERBY", "MODULE", f.module);
    else if ("aclCategory" in f) args.push("FILTERBY", "ACLCAT", f.aclCategory);
    else if ("pattern" in f) args.push("FILTERBY", "PATTERN", f.pattern);
    else throw new ConfigurationError(`unknown filterBy: ${given[0]}`);
  }
  return textShaped(args, strings);
}

// ---------------------------------------------------------------- SLOWLOG, ROLE, KEYS

/** SLOWLOG GET [count]. @internal */
export function slowlogGet(count?: number): Command<SlowlogEntry[]> {
  const args = ["SLOWLOG", "GET"];
  if (count !== undefined) args.push(int("count", count));
  return {
    args,
    shape: (r) =>
      toArray(checked(r)).map((e) => {
        const [id, timestamp, duration, argv, address, name] = toArray(e);
        return {
          id: toNumber(id),
          timestamp: toNumber(timestamp),
          duration: toNumber(duration),
          args: toArray<GlideString>(argv),
          clientAddress: str(address),
          clientName: str(name),
        };
      }),
  };
}

/** SLOWLOG LEN. @internal */
export function slowlogLen(): Command<number> {
  return plain(["SLOWLOG", "LEN"]);
}

/** SLOWLOG RESET. @internal */
export function slowlogReset(): Command<"OK"> {
  return textShaped(["SLOWLOG", "RESET"], (r) => r as "OK");
}

/** ROLE. @internal */
export function role(): Command<RoleResponse> {
  return textShaped(["ROLE"], (r): RoleResponse => {
    const [kind, ...rest] = toArray(r);
    switch (str(kind)) {
      case "master":
        return {
          role: "master",
          replicationOffset: toNumber(rest[0]),
          replicas: toArray(rest[1]).map((x) => {
            const [ip, port, offset] = toArray(x);
            return { ip: str(ip), port: toNumber(port), replicationOffset: toNumber(offset) };
          }),
        };
      case "slave":
        return {
          role: "slave",
          primaryIp: str(rest[0]),
          primaryPort: toNumber(rest[1]),
          state: str(rest[2]),
          replicationOffset: toNumber(rest[3]),
        };
      default:
        return { role: "sentinel", primaryNames: strings(rest[0] ?? []) };
    }
  });
}

/** KEYS pattern. @internal */
export function keys(pattern: GlideString): Command<GlideString[]> {
  return { args: ["KEYS", pattern], shape: (r) => toArray<GlideString>(checked(r)) };
}

// ---------------------------------------------------------------- CLIENT

const CLIENT_TYPES = new Set<string>(Object.values(ClientType));

function clientType(t: ClientType): string {
  if (!CLIENT_TYPES.has(t)) throw new ConfigurationError(`unknown client type: ${String(t)}`);
  return t;
}

/** One CLIENT LIST / CLIENT INFO line → field → value. */
function clientLine(line: string): ClientInfo {
  const out: ClientInfo = {};
  for (const token of line.trim().split(" ")) {
    const i = token.indexOf("=");
    if (i > 0) out[token.slice(0, i)] = token.slice(i + 1);
  }
  return out;
}

/** CLIENT LIST [TYPE t] [ID id ...]. @internal */
export function clientList(options?: ClientListOptions): Command<ClientInfo[]> {
  const args = ["CLIENT", "LIST"];
  if (options?.type !== undefined) args.push("TYPE", clientType(options.type));
  if (options?.ids !== undefined) {
    args.push("ID", ...mayBeEmpty("ids", options.ids).map((id) => int("id", id)));
  }
  return textShaped(
    args,
    (r) => str(r).split("\n").filter((l) => l.trim() !== "").map(clientLine),
  );
}

/** CLIENT INFO. @internal */
export function clientInfo(): Command<ClientInfo> {
  return textShaped(["CLIENT", "INFO"], (r) => clientLine(str(r)));
}

/** CLIENT KILL with filters → number killed. @internal */
export function clientKill(filters: ClientKillFilters): Command<number> {
  if (typeof filters !== "object" || filters === null) {
    throw new ConfigurationError("filters must be an object");
  }
  const args = ["CLIENT", "KILL"];
  if (filters.id !== undefined) {
    const ids = Array.isArray(filters.id) ? mayBeEmpty("id", filters.id) : [filters.id];
    args.push("ID", ...ids.map((id) => int("id", id)));
  }
  if (filters.addr !== undefined) args.push("ADDR", filters.addr);
  if (filters.laddr !== undefined) args.push("LADDR", filters.laddr);
  if (filters.user !== undefined) args.push("USER", filters.user);
  if (filters.type !== undefined) args.push("TYPE", clientType(filters.type));
  if (filters.maxAge !== undefined) args.push("MAXAGE", int("maxAge", filters.maxAge));
  if (args.length === 2) throw new ConfigurationError("CLIENT KILL needs at least one filter");
  if (filters.skipMe !== undefined) {
    if (typeof filters.skipMe !== "boolean") {
      throw new ConfigurationError("skipMe must be a boolean");
    }
    args.push("SKIPME", filters.skipMe ? "yes" : "no");
  }
  return plain(args);
}
