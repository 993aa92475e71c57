/**
 * Method coverage: which of the methods in `methods.tsv` (GLIDE's TypeScript client's public
 * methods, plus the typed wrappers glide-deno adds) each client has. Used by the coverage
 * task (`deno task coverage`) and by the coverage test.
 * @module
 */

/** One row of `methods.tsv`. @internal */
export interface MethodRow {
  /** `base` (every client), `standalone` or `cluster`. */
  scope: "base" | "standalone" | "cluster";
  /** The method name, as in GLIDE's TypeScript client. */
  method: string;
  /** The command family. */
  family: string;
  /** The Valkey command(s) it sends. */
  command: string;
}

/** Parses `methods.tsv`. @internal */
export function parseMethodTable(text: string): MethodRow[] {
  return text.trim().split("\n").slice(1).map((line) => {
    const [scope, method, family, command] = line.split("\t");
    return { scope, method, family, command } as MethodRow;
  });
}

/** Every method name a class (and its parents) defines, constructor excluded. @internal */
export function methodNames(cls: { prototype: object }): Set<string> {
  const names = new Set<string>();
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      // Plain methods only: reading a getter off a prototype would run it.
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (name !== "constructor" && typeof d?.value === "function") names.add(name);
    }
  }
  return names;
}
