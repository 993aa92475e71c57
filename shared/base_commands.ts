/**
 * The command methods both clients share (standalone and cluster, async and sync): every
 * command family of `api/`, composed into one class (see `api/compose.ts`). A new family is
 * one file in `api/` and one line in each list below.
 * @module
 */

import type { Mode } from "./mode.ts";
import { compose } from "./api/compose.ts";
import { CommandRunner } from "./api/runner.ts";
import { BitmapCommands } from "./api/bitmaps.ts";
import { GenericKeyCommands } from "./api/generic.ts";
import { GeoCommands } from "./api/geo.ts";
import { HashCommands } from "./api/hashes.ts";
import { HyperLogLogCommands } from "./api/hyperloglog.ts";
import { ListCommands } from "./api/lists.ts";
import { PubSubCommands } from "./api/pubsub.ts";
import { ScriptingCommands } from "./api/scripting.ts";
import { SetCommands } from "./api/sets.ts";
import { SortedSetCommands } from "./api/sorted_sets.ts";
import { StreamCommands } from "./api/streams.ts";
import { StringCommands } from "./api/strings.ts";

/**
 * Every command common to all clients. `M` decides whether methods return Promises
 * (`GlideClient` from `async.ts`) or values (`GlideClient` from `sync.ts`). Each family of
 * `api/` contributes its methods: strings, bitmaps, HyperLogLog, generic keys, hashes, lists,
 * sets, sorted sets, streams, geo, scripting, pub/sub.
 *
 * @example
 * ```ts
 * import type { BaseCommands } from "@glide-deno/glide";
 * async function touch(c: BaseCommands<"async">) {
 *   await c.set("last-seen", String(Date.now()));
 * }
 * ```
 */
export abstract class BaseCommands<M extends Mode> extends CommandRunner<M> {
}

/** The families' methods, declared (their implementations are composed in below). */
export interface BaseCommands<M extends Mode>
  extends
    StringCommands<M>,
    BitmapCommands<M>,
    HyperLogLogCommands<M>,
    GenericKeyCommands<M>,
    HashCommands<M>,
    ListCommands<M>,
    SetCommands<M>,
    SortedSetCommands<M>,
    StreamCommands<M>,
    GeoCommands<M>,
    ScriptingCommands<M>,
    PubSubCommands<M> {}

compose(BaseCommands, [
  StringCommands,
  BitmapCommands,
  HyperLogLogCommands,
  GenericKeyCommands,
  HashCommands,
  ListCommands,
  SetCommands,
  SortedSetCommands,
  StreamCommands,
  GeoCommands,
  ScriptingCommands,
  PubSubCommands,
]);
