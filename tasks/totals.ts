/**
 * The totals of a test run (TypeScript and Rust), shared by `tasks/test.ts` and
 * `tasks/cargo_tests.ts`.
 * @module
 */

/** Totals parsed from `deno test`'s summary line. */
export interface Totals {
  /** Tests and steps that passed. */
  passed: number;
  /** Tests and steps that failed. */
  failed: number;
  /** Ignored tests and steps. */
  ignored: number;
}
