/**
 * The async requests awaiting their completion, by request id: an open-addressing hash table on
 * two flat arrays (linear probing, deletion by backward shift, so no tombstones).
 *
 * Not a `Map`: request ids only grow, and each one is deleted soon after it is set, so a Map
 * keeps rehashing its table (every few hundred requests), and V8 links each old table to its
 * successor. Once an old table is promoted out of the young generation it is garbage that still
 * points at the young tables after it, and at the requests they hold: every minor GC then keeps
 * them all, the old generation fills with dead requests until a full GC, and each minor GC
 * copies megabytes (measured with 100 requests in flight: 7-15 ms per scavenge and a V8 heap of
 * 94 MB, against 0.2 ms and 25 MB with this table). Here a grown table leaves behind two arrays
 * that point at nothing newer.
 * @module
 */

const MIN_CAPACITY = 256;

/** Request id (never 0) to what awaits it. @internal */
export class PendingTable<V> {
  /** Ids by slot; 0 marks a free slot. */
  #ids = new Uint32Array(MIN_CAPACITY);
  #values: (V | undefined)[] = new Array(MIN_CAPACITY).fill(undefined);
  #mask = MIN_CAPACITY - 1;
  /** Entries held. */
  size = 0;

  /** The slot holding `id`, or the free slot where it would go (the table is never full). */
  #slot(id: number): number {
    const ids = this.#ids;
    let i = id & this.#mask;
    while (ids[i] !== 0 && ids[i] !== id) i = (i + 1) & this.#mask;
    return i;
  }

  get(id: number): V | undefined {
    const i = this.#slot(id);
    return this.#ids[i] === id ? this.#values[i] : undefined;
  }

  /** Sets `id`'s entry (`id` must not be 0). */
  set(id: number, value: V): void {
    if ((this.size + 1) * 2 > this.#ids.length) this.#resize(this.#ids.length * 2);
    const i = this.#slot(id);
    if (this.#ids[i] === 0) this.size++;
    this.#ids[i] = id;
    this.#values[i] = value;
  }

  /** Removes `id`'s entry: whether there was one. */
  delete(id: number): boolean {
    let hole = this.#slot(id);
    if (this.#ids[hole] !== id) return false;
    const ids = this.#ids, values = this.#values, mask = this.#mask;
    ids[hole] = 0;
    values[hole] = undefined;
    this.size--;
    // Moves back each later entry of the run that the hole now cuts off from its home slot.
    for (let j = (hole + 1) & mask; ids[j] !== 0; j = (j + 1) & mask) {
      const home = ids[j] & mask;
      // Whether `home` lies cyclically in (hole, j]: then the entry is still reachable.
      const reachable = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (reachable) continue;
      ids[hole] = ids[j];
      values[hole] = values[j];
      ids[j] = 0;
      values[j] = undefined;
      hole = j;
    }
    if (this.#ids.length > MIN_CAPACITY && this.size * 8 < this.#ids.length) {
      this.#resize(this.#ids.length / 2);
    }
    return true;
  }

  /** A snapshot of the entries (safe to delete from the table while going through it). */
  entries(): [number, V][] {
    const out: [number, V][] = [];
    for (let i = 0; i < this.#ids.length; i++) {
      if (this.#ids[i] !== 0) out.push([this.#ids[i], this.#values[i] as V]);
    }
    return out;
  }

  #resize(capacity: number): void {
    const entries = this.entries();
    this.#ids = new Uint32Array(capacity);
    this.#values = new Array(capacity).fill(undefined);
    this.#mask = capacity - 1;
    this.size = 0;
    for (const [id, value] of entries) this.set(id, value);
  }
}
