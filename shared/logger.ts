/**
 * GLIDE's `Logger`: one logger per process, written by the core, shared by your lines and the
 * core's own (connects, reconnects with their attempt and delay, slot tables, redirects,
 * authentication failures; never a password or a command's arguments).
 *
 * @module
 */

import { ConfigurationError } from "./errors.ts";
import { loadCore } from "./native.ts";

/** A logger level, from the most severe: `"off"` writes nothing. */
export type LevelOptions = "error" | "warn" | "info" | "debug" | "trace" | "off";

const LEVELS: Record<LevelOptions, number> = {
  error: 0,
  warn: 1,
  info: 2,
  debug: 3,
  trace: 4,
  off: 5,
};

const encoder = new TextEncoder();

/**
 * The process's logger, as GLIDE's: lines at or above the configured level go to stderr, or with
 * a file name to `<GLIDE_LOG_DIR or ./glide-logs>/<fileName>.<YYYY-MM-DD-HH>` (UTC, a new file
 * each hour). Until it is configured, the core writes its warnings and errors to stderr. One
 * logger serves every isolate and Worker of the process.
 *
 * @example
 * ```ts
 * import { Logger } from "@glide-deno/glide";
 *
 * Logger.init("info", "my-app.log"); // keeps an earlier configuration
 * Logger.log("info", "checkout", "order 42 placed");
 * Logger.setLoggerConfig("warn"); // replaces it: warnings to stderr
 * ```
 */
export class Logger {
  /** The level in force, as this isolate knows it (`undefined`: not configured from here). */
  static #level: number | undefined;

  private constructor() {}

  /**
   * Writes `message` at `logLevel` if the logger's level lets it through; `logIdentifier` says
   * where it comes from, `err` is appended.
   *
   * @example
   * ```ts
   * import { Logger } from "@glide-deno/glide";
   *
   * Logger.log("warn", "cache", "falling back to the primary", new Error("replica down"));
   * ```
   */
  static log(logLevel: LevelOptions, logIdentifier: string, message: string, err?: Error): void {
    Logger.#level ??= Logger.#configure("warn", undefined, true);
    const level = levelOf(logLevel);
    if (level === LEVELS.off || Logger.#level === LEVELS.off || level > Logger.#level) return;
    const text = err ? `${message}: ${err.stack ?? err.message}` : message;
    const id = encoder.encode(String(logIdentifier));
    const msg = encoder.encode(String(text));
    loadCore().glide_log(level, id, id.length, msg, msg.length);
  }

  /**
   * Configures the logger unless it was configured before (by this call or
   * {@link Logger.setLoggerConfig}, from any isolate): `level` (default `"warn"`), and a file
   * name for the lines to go to a file instead of stderr.
   *
   * @example
   * ```ts
   * import { Logger } from "@glide-deno/glide";
   *
   * Logger.init("debug");
   * ```
   */
  static init(level?: LevelOptions, fileName?: string): void {
    Logger.#level = Logger.#configure(level ?? "warn", fileName, true);
  }

  /**
   * Replaces the logger's configuration: `level`, and a file name (else stderr). Lines written
   * before stay where they went.
   *
   * @example
   * ```ts
   * import { Logger } from "@glide-deno/glide";
   *
   * Logger.setLoggerConfig("info", "glide.log");
   * ```
   */
  static setLoggerConfig(level: LevelOptions, fileName?: string): void {
    Logger.#level = Logger.#configure(level, fileName, false);
  }

  static #configure(level: LevelOptions, fileName: string | undefined, onlyIfUnset: boolean) {
    const n = levelOf(level);
    if (fileName !== undefined && typeof fileName !== "string") {
      throw new ConfigurationError("fileName must be a string");
    }
    const file = encoder.encode(fileName ?? "");
    return loadCore().glide_log_config(n, file, file.length, onlyIfUnset ? 1 : 0);
  }
}

function levelOf(level: LevelOptions): number {
  const n = Object.hasOwn(LEVELS, level) ? LEVELS[level] : undefined;
  if (n === undefined) {
    throw new ConfigurationError(
      `unknown log level ${String(level)}: one of ${Object.keys(LEVELS).join(", ")}`,
    );
  }
  return n;
}
