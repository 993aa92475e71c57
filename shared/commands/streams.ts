/**
 * Stream commands: XADD, XDEL, XLEN, XRANGE/XREVRANGE, XREAD/XREADGROUP, XTRIM, XGROUP ...,
 * XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. Entries are shaped as GLIDE returns them (entry
 * ID → `[field, value]` pairs), the same in RESP2 and RESP3.
 * @module
 */

import { type Command, command, int, mayBeEmpty, shaped } from "../command.ts";
import { ConfigurationError } from "../errors.ts";
import { isEntry, toArray, toBoolean, toNumber, toObject } from "../shape.ts";
import { Decoder, type GlideRecord, type GlideReturnType, type GlideString } from "../values.ts";
import type { Boundary } from "../options/sorted_sets.ts";
import type {
  ReturnTypeXinfoStream,
  StreamAddOptions,
  StreamClaimOptions,
  StreamEntries,
  StreamEntryDataType,
  StreamGroupOptions,
  StreamPendingOptions,
  StreamReadGroupOptions,
  StreamReadOptions,
  StreamTrimOptions,
} from "../options/streams.ts";

type Pairs = [GlideString, GlideString][];

const utf8 = new TextDecoder();

/** A reply string (or bytes) as a JS string: entry IDs are record keys. */
function text(v: GlideReturnType): string {
  return typeof v === "string" ? v : utf8.decode(v as Uint8Array);
}

/** A flat `[field, value, field, value ...]` array → `[field, value]` pairs. */
function toPairs(r: GlideReturnType): Pairs {
  const list = toArray<GlideString>(r);
  const out: Pairs = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i], list[i + 1]]);
  return out;
}

/** A list of `[id, fields]` entries → ID → pairs (`null` fields: an entry deleted since). */
function toEntries(r: GlideReturnType): Record<string, Pairs | null> {
  const out: Record<string, Pairs | null> = {};
  for (const e of toArray<GlideReturnType[]>(r)) {
    out[text(e[0])] = e[1] === null ? null : toPairs(e[1]);
  }
  return out;
}

/**
 * XREAD / XREADGROUP: a RESP3 map or a RESP2 array of `[key, entries]` → one record per
 * stream; `null` (nothing read) stays `null`.
 */
function toStreams(r: GlideReturnType): GlideRecord<Record<string, Pairs | null>> | null {
  if (r === null) return null;
  const list = r as GlideReturnType[];
  return list.map((item) => {
    const [key, value] = isEntry(item)
      ? [item.key, item.value]
      : (item as GlideReturnType[]) as [GlideReturnType, GlideReturnType];
    return { key: key as GlideString, value: toEntries(value) };
  });
}

/** An entry-ID boundary: `-` / `+`, `id`, or `(id` when exclusive. */
function boundary(name: string, b: Boundary<string>): string {
  if (b === "-" || b === "+") return b;
  if (typeof b !== "object" || b === null || typeof b.value !== "string") {
    throw new ConfigurationError(`${name} must be an InfBoundary or { value, isInclusive }`);
  }
  return b.isInclusive === false ? `(${b.value}` : b.value;
}

/** MAXLEN|MINID =|~ threshold [LIMIT n]. */
function trimArgs(options: StreamTrimOptions): GlideString[] {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError("trim options must be an object");
  }
  const args: GlideString[] = [];
  switch (options.method) {
    case "maxlen":
      args.push("MAXLEN", options.exact ? "=" : "~", int("threshold", options.threshold));
      break;
    case "minid":
      if (typeof options.threshold !== "string" && !(options.threshold instanceof Uint8Array)) {
        throw new ConfigurationError("threshold of a minid trim must be an entry ID");
      }
      args.push("MINID", options.exact ? "=" : "~", options.threshold);
      break;
    default:
      throw new ConfigurationError(
        `unknown trim method: ${String((options as { method?: unknown }).method)}`,
      );
  }
  if (options.limit !== undefined) args.push("LIMIT", int("limit", options.limit));
  return args;
}

/** `[key, value]` records or a plain object → `{key, value}` entries, at least one. */
function keysAndIds(
  keysAndIds: Record<string, string> | GlideRecord<string>,
): GlideRecord<string> {
  const list = Array.isArray(keysAndIds)
    ? keysAndIds
    : typeof keysAndIds === "object" && keysAndIds !== null
    ? Object.entries(keysAndIds).map(([key, value]) => ({ key, value }))
    : [];
  return mayBeEmpty("keys_and_ids", list) as GlideRecord<string>;
}

/** [COUNT n] [BLOCK ms]. */
function readArgs(options: StreamReadOptions | undefined): GlideString[] {
  const args: GlideString[] = [];
  if (options?.count !== undefined) args.push("COUNT", int("count", options.count));
  if (options?.block !== undefined) args.push("BLOCK", int("block", options.block));
  return args;
}

/** STREAMS key... id.... */
function streamsArgs(keys: GlideRecord<string>): GlideString[] {
  return ["STREAMS", ...keys.map((e) => e.key), ...keys.map((e) => e.value)];
}

/** XADD key [NOMKSTREAM] [trim] id|* field value [field value ...]. @internal */
export function xadd(
  key: GlideString,
  values: [GlideString, GlideString][],
  options?: StreamAddOptions,
): Command<GlideString | null> {
  mayBeEmpty("values", values);
  const args: GlideString[] = ["XADD", key];
  if (options?.makeStream === false) args.push("NOMKSTREAM");
  if (options?.trim !== undefined) args.push(...trimArgs(options.trim));
  args.push(options?.id ?? "*");
  for (const pair of values) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ConfigurationError("values must be [field, value] pairs");
    }
    args.push(pair[0], pair[1]);
  }
  return command(args);
}

/** XDEL key id [id ...]. @internal */
export function xdel(key: GlideString, ids: string[]): Command<number> {
  return command(["XDEL", key, ...mayBeEmpty("ids", ids)]);
}

/** XLEN key. @internal */
export function xlen(key: GlideString): Command<number> {
  return command(["XLEN", key]);
}

/** XTRIM key MAXLEN|MINID =|~ threshold [LIMIT n]. @internal */
export function xtrim(key: GlideString, options: StreamTrimOptions): Command<number> {
  return command(["XTRIM", key, ...trimArgs(options)]);
}

function range(
  name: "XRANGE" | "XREVRANGE",
  key: GlideString,
  first: Boundary<string>,
  second: Boundary<string>,
  count: number | undefined,
): Command<StreamEntryDataType | null> {
  const args: GlideString[] = [name, key, boundary("start", first), boundary("end", second)];
  if (count !== undefined) args.push("COUNT", int("count", count));
  return shaped(args, (r) => r === null ? null : toEntries(r) as StreamEntryDataType);
}

/** XRANGE key start end [COUNT n]. @internal */
export function xrange(
  key: GlideString,
  start: Boundary<string>,
  end: Boundary<string>,
  count?: number,
): Command<StreamEntryDataType | null> {
  return range("XRANGE", key, start, end, count);
}

/** XREVRANGE key end start [COUNT n]. @internal */
export function xrevrange(
  key: GlideString,
  end: Boundary<string>,
  start: Boundary<string>,
  count?: number,
): Command<StreamEntryDataType | null> {
  return range("XREVRANGE", key, end, start, count);
}

/** XREAD [COUNT n] [BLOCK ms] STREAMS key... id.... @internal */
export function xread(
  keys_and_ids: Record<string, string> | GlideRecord<string>,
  options?: StreamReadOptions,
): Command<GlideRecord<StreamEntryDataType> | null> {
  const keys = keysAndIds(keys_and_ids);
  return shaped(
    ["XREAD", ...readArgs(options), ...streamsArgs(keys)],
    (r) => toStreams(r) as GlideRecord<StreamEntryDataType> | null,
  );
}

/** XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id.... @internal */
export function xreadgroup(
  group: GlideString,
  consumer: GlideString,
  keys_and_ids: Record<string, string> | GlideRecord<string>,
  options?: StreamReadGroupOptions,
): Command<GlideRecord<Record<string, Pairs | null>> | null> {
  const keys = keysAndIds(keys_and_ids);
  const args: GlideString[] = ["XREADGROUP", "GROUP", group, consumer, ...readArgs(options)];
  if (options?.noAck) args.push("NOACK");
  args.push(...streamsArgs(keys));
  return shaped(args, toStreams);
}

/** XGROUP CREATE key group id [MKSTREAM] [ENTRIESREAD n]. @internal */
export function xgroupCreate(
  key: GlideString,
  groupName: GlideString,
  id: string,
  options?: StreamGroupOptions,
): Command<"OK"> {
  const args: GlideString[] = ["XGROUP", "CREATE", key, groupName, id];
  if (options?.mkStream) args.push("MKSTREAM");
  if (options?.entriesRead !== undefined) args.push("ENTRIESREAD", options.entriesRead);
  return command(args);
}

/** XGROUP DESTROY key group. @internal */
export function xgroupDestroy(key: GlideString, groupName: GlideString): Command<boolean> {
  return shaped(["XGROUP", "DESTROY", key, groupName], toBoolean);
}

/** XGROUP CREATECONSUMER key group consumer. @internal */
export function xgroupCreateConsumer(
  key: GlideString,
  groupName: GlideString,
  consumerName: GlideString,
): Command<boolean> {
  return shaped(["XGROUP", "CREATECONSUMER", key, groupName, consumerName], toBoolean);
}

/** XGROUP DELCONSUMER key group consumer. @internal */
export function xgroupDelConsumer(
  key: GlideString,
  groupName: GlideString,
  consumerName: GlideString,
): Command<number> {
  return command(["XGROUP", "DELCONSUMER", key, groupName, consumerName]);
}

/** XGROUP SETID key group id [ENTRIESREAD n]. @internal */
export function xgroupSetId(
  key: GlideString,
  groupName: GlideString,
  id: string,
  entriesRead?: number,
): Command<"OK"> {
  const args: GlideString[] = ["XGROUP", "SETID", key, groupName, id];
  if (entriesRead !== undefined) args.push("ENTRIESREAD", int("entriesRead", entriesRead));
  return command(args);
}

/** XACK key group id [id ...]. @internal */
export function xack(key: GlideString, group: GlideString, ids: string[]): Command<number> {
  return command(["XACK", key, group, ...mayBeEmpty("ids", ids)]);
}

/**
 * XPENDING key group (summary): `[count, lowest ID, highest ID, [[consumer, count] ...]]`; the
 * IDs are `null` and the consumer list empty when nothing is pending. @internal
 */
export function xpending(
  key: GlideString,
  group: GlideString,
): Command<[number, GlideString | null, GlideString | null, [GlideString, number][]]> {
  return shaped(["XPENDING", key, group], (r) => {
    const [count, lowest, highest, consumers] = r as GlideReturnType[];
    return [
      toNumber(count),
      lowest as GlideString | null,
      highest as GlideString | null,
      toArray<GlideReturnType[]>(consumers).map((c) => [c[0] as GlideString, toNumber(c[1])]),
    ];
  });
}

/** XPENDING key group [IDLE ms] start end count [consumer] (extended). @internal */
export function xpendingWithOptions(
  key: GlideString,
  group: GlideString,
  options: StreamPendingOptions,
): Command<[GlideString, GlideString, number, number][]> {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError("xpendingWithOptions needs { start, end, count }");
  }
  const args: GlideString[] = ["XPENDING", key, group];
  if (options.minIdleTime !== undefined) {
    args.push("IDLE", int("minIdleTime", options.minIdleTime));
  }
  args.push(
    boundary("start", options.start),
    boundary("end", options.end),
    int("count", options.count),
  );
  if (options.consumer !== undefined) args.push(options.consumer);
  return shaped(args, (r) => toArray<[GlideString, GlideString, number, number]>(r));
}

/** XCLAIM key group consumer min-idle id... [IDLE] [TIME] [RETRYCOUNT] [FORCE] [JUSTID]. */
function claimArgs(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  ids: string[],
  options: StreamClaimOptions | undefined,
  justId: boolean,
): GlideString[] {
  const args: GlideString[] = [
    "XCLAIM",
    key,
    group,
    consumer,
    int("minIdleTime", minIdleTime),
    ...mayBeEmpty("ids", ids),
  ];
  if (options?.idle !== undefined) args.push("IDLE", int("idle", options.idle));
  if (options?.idleUnixTime !== undefined) {
    args.push("TIME", int("idleUnixTime", options.idleUnixTime));
  }
  if (options?.retryCount !== undefined) {
    args.push("RETRYCOUNT", int("retryCount", options.retryCount));
  }
  if (options?.isForce) args.push("FORCE");
  if (justId) args.push("JUSTID");
  return args;
}

/** XCLAIM ... → the claimed entries. @internal */
export function xclaim(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  ids: string[],
  options?: StreamClaimOptions,
): Command<StreamEntryDataType> {
  return shaped(
    claimArgs(key, group, consumer, minIdleTime, ids, options, false),
    (r) => toEntries(r) as StreamEntryDataType,
  );
}

/** XCLAIM ... JUSTID → the claimed IDs, always as strings. @internal */
export function xclaimJustId(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  ids: string[],
  options?: StreamClaimOptions,
): Command<string[]> {
  return {
    args: claimArgs(key, group, consumer, minIdleTime, ids, options, true),
    decoder: Decoder.String,
    shape: (r) => toArray<string>(r),
  };
}

function autoclaimArgs(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  start: string,
  count: number | undefined,
  justId: boolean,
): GlideString[] {
  const args: GlideString[] = [
    "XAUTOCLAIM",
    key,
    group,
    consumer,
    int("minIdleTime", minIdleTime),
    start,
  ];
  if (count !== undefined) args.push("COUNT", int("count", count));
  if (justId) args.push("JUSTID");
  return args;
}

/** XAUTOCLAIM key group consumer min-idle start [COUNT n]. @internal */
export function xautoclaim(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  start: string,
  count?: number,
): Command<[GlideString, StreamEntryDataType, GlideString[]?]> {
  return shaped(autoclaimArgs(key, group, consumer, minIdleTime, start, count, false), (r) => {
    const list = r as GlideReturnType[];
    const entries = toEntries(list[1]) as StreamEntryDataType;
    return list.length > 2
      ? [list[0] as GlideString, entries, toArray<GlideString>(list[2])]
      : [list[0] as GlideString, entries];
  });
}

/** XAUTOCLAIM ... JUSTID → `[next start, claimed IDs, deleted IDs]`, as strings. @internal */
export function xautoclaimJustId(
  key: GlideString,
  group: GlideString,
  consumer: GlideString,
  minIdleTime: number,
  start: string,
  count?: number,
): Command<[string, string[], string[]?]> {
  return {
    args: autoclaimArgs(key, group, consumer, minIdleTime, start, count, true),
    decoder: Decoder.String,
    shape: (r) => {
      const list = r as GlideReturnType[];
      return list.length > 2
        ? [list[0] as string, toArray<string>(list[1]), toArray<string>(list[2])]
        : [list[0] as string, toArray<string>(list[1])];
    },
  };
}

/** A list of maps (XINFO GROUPS / CONSUMERS, FULL groups) → records. */
function toObjects<T>(
  r: GlideReturnType,
  value?: (v: GlideReturnType, key: string) => T,
): Record<string, T>[] {
  return toArray(r).map((m) => toObject(m, value));
}

/** XINFO STREAM key [FULL [COUNT n]]. @internal */
export function xinfoStream(
  key: GlideString,
  fullOptions?: boolean | number,
): Command<ReturnTypeXinfoStream> {
  const args: GlideString[] = ["XINFO", "STREAM", key];
  if (typeof fullOptions === "number") {
    args.push("FULL", "COUNT", int("fullOptions", fullOptions));
  } else if (fullOptions) {
    args.push("FULL");
  }
  const full = args.length > 3;
  return shaped(args, (r) =>
    toObject(r, (v, name) => {
      if (!full || name !== "groups") return v as StreamEntries;
      return toObjects(v, (gv, gname) =>
        gname === "consumers"
          ? toObjects(gv, (cv) => cv as StreamEntries)
          : gv as StreamEntries);
    }) as ReturnTypeXinfoStream);
}

/** XINFO GROUPS key. @internal */
export function xinfoGroups(
  key: GlideString,
): Command<Record<string, GlideString | number | null>[]> {
  return shaped(
    ["XINFO", "GROUPS", key],
    (r) => toObjects(r, (v) => v as GlideString | number | null),
  );
}

/** XINFO CONSUMERS key group. @internal */
export function xinfoConsumers(
  key: GlideString,
  group: GlideString,
): Command<Record<string, GlideString | number>[]> {
  return shaped(
    ["XINFO", "CONSUMERS", key, group],
    (r) => toObjects(r, (v) => v as GlideString | number),
  );
}
