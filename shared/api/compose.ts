/**
 * How command families become one client class: each family (`api/<family>.ts`) is a sibling
 * class over `CommandRunner`; a composed class (`BaseCommands`, `StandaloneCommands`,
 * `ClusterCommands`) declares that it has every family's methods (an interface of the same
 * name extending them) and receives their implementations here, copied onto its prototype.
 * @module
 */

/** A family's class, or a composed one (only the prototype is used). */
interface Family {
  readonly name: string;
  readonly prototype: object;
}

/**
 * Copies every method of `families` onto `target`'s prototype. Two families may not define
 * the same method (a composition error, thrown when the module loads).
 * @internal
 */
export function compose(target: Family, families: Family[]): void {
  const seen = new Map<string, string>();
  for (const family of families) {
    const methods = Object.getOwnPropertyDescriptors(family.prototype);
    for (const [name, descriptor] of Object.entries(methods)) {
      if (name === "constructor") continue;
      const before = seen.get(name);
      if (before !== undefined) {
        throw new Error(`${family.name} and ${before} both define ${name}`);
      }
      seen.set(name, family.name);
      Object.defineProperty(target.prototype, name, descriptor);
    }
  }
}
