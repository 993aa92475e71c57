/**
 * Cluster SCAN: walks every shard's keyspace once, one SCAN page per call, and survives
 * topology changes between calls. The cursor remembers which slots are done; a shard's slots
 * count as done only once its SCAN has finished *and* it still owns them, so a slot that moved
 * meanwhile is scanned again on its new owner (a key present throughout is returned at least
 * once; on a stable cluster exactly once).
 * @module
 */

import { type Command, decodedAs, int } from "../command.ts";
import { ConnectionError, RequestError } from "../errors.ts";
import type { Steps } from "../mode.ts";
import { Decoder, type GlideReturnType, type GlideString } from "../values.ts";

const SLOTS = 16384;

/**
 * Key types for `scan`'s `type` option.
 *
 * @example
 * ```ts
 * import { ObjectType } from "@glide-deno/glide";
 * // await cluster.scan(cursor, { type: ObjectType.HASH });
 * const t = ObjectType.STRING;
 * ```
 */
export enum ObjectType {
  STRING = "String",
  LIST = "List",
  SET = "Set",
  ZSET = "ZSet",
  HASH = "Hash",
  STREAM = "Stream",
}

/**
 * Options of the cluster `scan`.
 *
 * @example
 * ```ts
 * import type { ClusterScanOptions } from "@glide-deno/glide";
 * const o: ClusterScanOptions = { match: "user:*", count: 100 };
 * ```
 */
export interface ClusterScanOptions {
  /** Only keys matching this glob pattern. */
  match?: GlideString;
  /** A hint of how many keys to look at per page. */
  count?: number;
  /** Only keys of this type. */
  type?: ObjectType;
}

interface Shard {
  host: string;
  port: number;
  /** The node's SCAN cursor. */
  cursor: string;
  /** The slots this scan of the node covers (owned by it when the scan began, not done yet). */
  slots: number[];
}

interface ScanState {
  /** 1 for each slot still to scan. */
  pending: Uint8Array;
  /** The shard being scanned, if any. */
  shard: Shard | undefined;
}

/** Each cursor's state, kept out of the public object. */
const states = new WeakMap<ClusterScanCursor, ScanState>();

/**
 * Where a cluster scan stands. Start with `new ClusterScanCursor()`, pass each returned cursor
 * to the next `scan`, stop when `isFinished()`. Cursors are immutable: a failed `scan` can be
 * retried with the same cursor.
 *
 * @example
 * ```ts
 * import { ClusterScanCursor } from "@glide-deno/glide";
 * let cursor = new ClusterScanCursor();
 * // while (!cursor.isFinished()) {
 * //   const [next, keys] = await cluster.scan(cursor, { count: 100 });
 * //   cursor = next;
 * // }
 * ```
 */
export class ClusterScanCursor {
  /** A cursor at the start of a scan. */
  constructor() {
    states.set(this, { pending: new Uint8Array(SLOTS).fill(1), shard: undefined });
  }

  /** Whether every slot has been scanned. */
  isFinished(): boolean {
    const s = states.get(this)!;
    return s.shard === undefined && !s.pending.includes(1);
  }
}

function cursorOf(state: ScanState): ClusterScanCursor {
  const c = new ClusterScanCursor();
  states.set(c, state);
  return c;
}

/** host:port owning each slot, from a CLUSTER SLOTS reply. */
function owners(reply: GlideReturnType): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(SLOTS);
  for (const range of reply as GlideReturnType[][]) {
    const [start, end, primary] = range as [number, number, GlideReturnType[]];
    const address = `${primary[0]}:${primary[1]}`;
    for (let slot = start; slot <= end; slot++) out[slot] = address;
  }
  return out;
}

const clusterSlots = (): Command<GlideReturnType> =>
  decodedAs(["CLUSTER", "SLOTS"], Decoder.String);

function scanCommand(shard: Shard, options: ClusterScanOptions | undefined): Command<unknown> {
  const args: GlideString[] = ["SCAN", shard.cursor];
  if (options?.match !== undefined) args.push("MATCH", options.match);
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.type !== undefined) args.push("TYPE", options.type);
  return { args, route: { type: "routeByAddress", host: shard.host, port: shard.port } };
}

const text = (v: GlideReturnType) =>
  typeof v === "string" ? v : new TextDecoder().decode(v as Uint8Array);

/** One page of a cluster scan. @internal */
export function* clusterScan(
  cursor: ClusterScanCursor,
  options?: ClusterScanOptions,
): Steps<[ClusterScanCursor, GlideString[]]> {
  const prev = states.get(cursor);
  if (!prev) throw new RequestError("not a ClusterScanCursor");
  const state: ScanState = {
    pending: prev.pending.slice(),
    shard: prev.shard && { ...prev.shard },
  };
  if (!state.shard) {
    const first = state.pending.indexOf(1);
    if (first < 0) return [cursorOf(state), []];
    const owner = owners((yield clusterSlots()) as GlideReturnType);
    const address = owner[first];
    if (address === undefined) throw new RequestError(`slot ${first} is not served by any node`);
    const slots: number[] = [];
    for (let slot = first; slot < SLOTS; slot++) {
      if (state.pending[slot] && owner[slot] === address) slots.push(slot);
    }
    const i = address.lastIndexOf(":");
    state.shard = {
      host: address.slice(0, i),
      port: Number(address.slice(i + 1)),
      cursor: "0",
      slots,
    };
  }
  const shard = state.shard;
  let reply: GlideReturnType[];
  try {
    reply = (yield scanCommand(shard, options)) as GlideReturnType[];
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    // The node is gone: its slots are still pending and will be scanned on their new owners.
    state.shard = undefined;
    return [cursorOf(state), []];
  }
  shard.cursor = text(reply[0]);
  const keys = reply[1] as GlideString[];
  if (shard.cursor === "0") {
    // Done with this node: its slots count as scanned only if it still owns them.
    const owner = owners((yield clusterSlots()) as GlideReturnType);
    const address = `${shard.host}:${shard.port}`;
    for (const slot of shard.slots) if (owner[slot] === address) state.pending[slot] = 0;
    state.shard = undefined;
  }
  return [cursorOf(state), keys];
}
