/**
 * The client-wide circuit breaker (GLIDE's `clientCircuitBreaker`): when requests keep failing
 * for the transport (the connection is refused or drops, and with `countTimeouts` requests time
 * out), the breaker opens and the client rejects requests at once with
 * {@link CircuitBreakerError}, before they reach the core, instead of letting each one wait for
 * its own connection error or timeout. After `openTimeoutMs` it half-opens: requests go through
 * again, and `consecutiveSuccesses` successes in a row close it, while a failure opens it
 * again. A failure that comes back while fewer requests are in flight than when it opened is a
 * straggler sent before it opened: two of those are forgiven per half-open period, as GLIDE does.
 *
 * A server's error reply (`WRONGTYPE`, `MOVED` ...) is a success here: the server answered.
 * Each client has its own breaker; it lives on the JS side, so a rejection costs no FFI call.
 * @module
 */

import { ConfigurationError, RequestError, Status } from "./errors.ts";

/**
 * Configuration of the client-wide circuit breaker (`clientCircuitBreaker` of a client's
 * configuration); every field is optional, with GLIDE's defaults.
 *
 * @example
 * ```ts
 * import type { ClientCircuitBreakerConfiguration } from "@glide-deno/glide";
 * const breaker: ClientCircuitBreakerConfiguration = { minErrors: 20, openTimeoutMs: 2_000 };
 * ```
 */
export interface ClientCircuitBreakerConfiguration {
  /** Sliding window, in milliseconds, over which the error rate is computed. Default 10000. */
  windowSizeMs?: number;
  /** Error rate (above 0, at most 1) within the window that opens the breaker. Default 0.5. */
  failureRateThreshold?: number;
  /** Errors the window must hold before its rate is looked at. Default 50. */
  minErrors?: number;
  /** Milliseconds the breaker stays open before it lets requests through again. Default 5000. */
  openTimeoutMs?: number;
  /** Whether timeouts count as errors. Default false. */
  countTimeouts?: boolean;
  /** Successes in a row, once half-open, that close the breaker. Default 3. */
  consecutiveSuccesses?: number;
}

/**
 * A request rejected at once because the client's circuit breaker is open (see
 * {@link ClientCircuitBreakerConfiguration}).
 *
 * @example
 * ```ts
 * import { CircuitBreakerError, RequestError } from "@glide-deno/glide";
 * console.log(new CircuitBreakerError("open") instanceof RequestError); // true
 * ```
 */
export class CircuitBreakerError extends RequestError {}

/** The most outcomes the window keeps (a busy client's window holds the latest ones). */
const MAX_WINDOW = 10_000;
/** Stragglers forgiven per half-open period. */
const FORGIVEN = 2;

type Phase = "closed" | "open" | "halfOpen";

function checked(
  name: string,
  v: unknown,
  fallback: number,
  ok: (n: number) => boolean,
  what: string,
): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !ok(v)) {
    throw new ConfigurationError(`clientCircuitBreaker.${name} must be ${what}, got ${String(v)}`);
  }
  return v;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0 && n <= 0xffff_ffff;

/** One client's circuit breaker. @internal */
export class CircuitBreaker {
  readonly windowMs: number;
  readonly threshold: number;
  readonly minErrors: number;
  readonly openMs: number;
  readonly countTimeouts: boolean;
  readonly successesToClose: number;
  #phase: Phase = "closed";
  /** The window: when each outcome came, and whether it was an error (closed only). */
  #times: number[] = [];
  #errors: boolean[] = [];
  #head = 0;
  #errorCount = 0;
  #openedAt = 0;
  #successes = 0;
  #forgiven = 0;
  #inflightAtTrip = 0;
  /** Times the breaker opened. */
  trips = 0;
  /** Requests rejected while open. */
  rejected = 0;

  /** Validates `config` (a `ConfigurationError` if a field is out of range). */
  constructor(config: ClientCircuitBreakerConfiguration) {
    if (typeof config !== "object" || config === null) {
      throw new ConfigurationError("clientCircuitBreaker must be an object");
    }
    this.windowMs = checked(
      "windowSizeMs",
      config.windowSizeMs,
      10_000,
      positiveInt,
      "a positive integer",
    );
    this.threshold = checked(
      "failureRateThreshold",
      config.failureRateThreshold,
      0.5,
      (n) => n > 0 && n <= 1,
      "a number above 0 and at most 1",
    );
    this.minErrors = checked("minErrors", config.minErrors, 50, positiveInt, "a positive integer");
    this.openMs = checked(
      "openTimeoutMs",
      config.openTimeoutMs,
      5_000,
      positiveInt,
      "a positive integer",
    );
    this.successesToClose = checked(
      "consecutiveSuccesses",
      config.consecutiveSuccesses,
      3,
      positiveInt,
      "a positive integer",
    );
    if (config.countTimeouts !== undefined && typeof config.countTimeouts !== "boolean") {
      throw new ConfigurationError("clientCircuitBreaker.countTimeouts must be a boolean");
    }
    this.countTimeouts = config.countTimeouts === true;
  }

  /** `closed`, `open` or `halfOpen`. */
  get state(): Phase {
    return this.#phase;
  }

  /**
   * Whether a request may go to the core now; `undefined` if so, else the error to reject it
   * with. An open breaker half-opens here once its time is up.
   */
  admit(now: number = performance.now()): CircuitBreakerError | undefined {
    if (this.#phase !== "open") return undefined;
    if (now - this.#openedAt >= this.openMs) {
      this.#phase = "halfOpen";
      this.#successes = 0;
      this.#forgiven = 0;
      return undefined;
    }
    this.rejected++;
    return new CircuitBreakerError(
      "the client's circuit breaker is open: requests failed at a sustained rate; " +
        `retrying in ${Math.ceil(this.openMs - (now - this.#openedAt))} ms`,
    );
  }

  /**
   * Counts how a request ended, by the core's status for it; `inflight` is the client's requests
   * still in flight. A connection error is a failure, and so is a timeout with `countTimeouts`;
   * the client's own close counts for nothing; anything else (a reply, an error reply) is a
   * success.
   */
  record(status: number, inflight: number, now: number = performance.now()): void {
    if (status === Status.Closing) return;
    const error = status === Status.Connection ||
      (status === Status.Timeout && this.countTimeouts);
    if (this.#phase === "closed") this.#inWindow(error, inflight, now);
    else if (this.#phase === "halfOpen") this.#probed(error, inflight, now);
    // Open: an outcome of a request sent before it opened says nothing new.
  }

  #inWindow(error: boolean, inflight: number, now: number): void {
    this.#times.push(now);
    this.#errors.push(error);
    if (error) this.#errorCount++;
    while (
      this.#head < this.#times.length &&
      (now - this.#times[this.#head] > this.windowMs ||
        this.#times.length - this.#head > MAX_WINDOW)
    ) {
      if (this.#errors[this.#head]) this.#errorCount--;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#errors = this.#errors.slice(this.#head);
      this.#head = 0;
    }
    const total = this.#times.length - this.#head;
    if (this.#errorCount >= this.minErrors && this.#errorCount / total >= this.threshold) {
      this.#open(now, inflight);
      this.trips++;
    }
  }

  #probed(error: boolean, inflight: number, now: number): void {
    if (!error) {
      if (++this.#successes >= this.successesToClose) {
        this.#phase = "closed";
        this.#clearWindow();
      }
      return;
    }
    this.#successes = 0;
    if (inflight < this.#inflightAtTrip && this.#forgiven < FORGIVEN) {
      this.#forgiven++;
      return;
    }
    this.#open(now, this.#inflightAtTrip);
  }

  #open(now: number, inflight: number): void {
    this.#phase = "open";
    this.#openedAt = now;
    this.#inflightAtTrip = inflight;
    this.#successes = 0;
    this.#clearWindow();
  }

  #clearWindow(): void {
    this.#times = [];
    this.#errors = [];
    this.#head = 0;
    this.#errorCount = 0;
  }
}
