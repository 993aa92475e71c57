/**
 * Cluster administration for tests: node roles, and moving a slot between primaries the way
 * `redis-cli --cluster reshard` does (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE).
 */

import type { GlideClusterClient } from "../async.ts";
import { type GlideString, InfoOptions } from "../mod.ts";

/** A route to one node by its `host:port`. */
export function at(address: string) {
  const i = address.lastIndexOf(":");
  return {
    type: "routeByAddress" as const,
    host: address.slice(0, i),
    port: Number(address.slice(i + 1)),
  };
}

/** address -> role ("master" | "slave") of every node. */
export async function roles(c: GlideClusterClient): Promise<Record<string, string>> {
  const info = await c.info({ sections: [InfoOptions.Replication], route: "allNodes" }) as Record<
    string,
    string
  >;
  return Object.fromEntries(
    Object.entries(info).map(([addr, text]) => [addr, /role:(\w+)/.exec(text)![1]]),
  );
}

/** A slot being moved from its primary to another one. */
export class SlotMove {
  private constructor(
    private readonly admin: GlideClusterClient,
    readonly slot: number,
    readonly source: string,
    readonly target: string,
    private readonly ids: Record<string, string>,
    private readonly primaries: string[],
  ) {}

  /** Marks `key`'s slot as migrating from its owner to another primary. */
  static async begin(admin: GlideClusterClient, key: string): Promise<SlotMove> {
    const slot = await admin.customCommand(["CLUSTER", "KEYSLOT", key]) as number;
    const role = await roles(admin);
    const ids: Record<string, string> = {};
    for (const addr of Object.keys(role)) {
      ids[addr] = await admin.customCommand(["CLUSTER", "MYID"], { route: at(addr) }) as string;
    }
    const ownerInfo = await admin.info({
      sections: [InfoOptions.Server],
      route: { type: "primarySlotKey", key },
    }) as string;
    const ownerPort = /tcp_port:(\d+)/.exec(ownerInfo)![1];
    const primaries = Object.keys(role).filter((a) => role[a] === "master");
    const source = primaries.find((a) => a.endsWith(`:${ownerPort}`))!;
    const target = primaries.find((a) => a !== source)!;
    const move = new SlotMove(admin, slot, source, target, ids, primaries);
    await move.#setslot(target, "IMPORTING", source);
    await move.#setslot(source, "MIGRATING", target);
    return move;
  }

  async #setslot(on: string, state: string, node: string): Promise<void> {
    await this.admin.customCommand(
      ["CLUSTER", "SETSLOT", String(this.slot), state, this.ids[node]],
      {
        route: at(on),
      },
    );
  }

  /** Moves these keys (of the slot) to the target. */
  async moveKeys(keys: GlideString[]): Promise<void> {
    const { host, port } = at(this.target);
    await this.admin.customCommand(
      ["MIGRATE", host, String(port), "", "0", "5000", "KEYS", ...keys],
      { route: at(this.source) },
    );
  }

  /** Moves what is left of the slot and gives the slot to the target on every primary. */
  async finish(): Promise<void> {
    const left = await this.admin.customCommand(
      ["CLUSTER", "GETKEYSINSLOT", String(this.slot), "100000"],
      { route: at(this.source) },
    ) as string[];
    if (left.length) await this.moveKeys(left);
    for (const addr of this.primaries) await this.#setslot(addr, "NODE", this.target);
  }
}
