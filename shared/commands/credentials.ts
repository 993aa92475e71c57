/**
 * The password change of `updateConnectionPassword` (a request to the core, not a command).
 * @module
 */

import type { Command } from "../command.ts";
import { ConfigurationError } from "../errors.ts";

/** Changes the password the client's connections use. @internal */
export function updatePassword(password: string | null, immediate: boolean): Command<"OK"> {
  if (password !== null && typeof password !== "string") {
    throw new ConfigurationError("password must be a string, or null to remove it");
  }
  if (typeof immediate !== "boolean") {
    throw new ConfigurationError("immediateAuth must be a boolean");
  }
  return { args: ["AUTH"], password: { value: password, immediate } };
}
