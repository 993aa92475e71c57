/**
 * GLIDE's `OpenTelemetry`: a span per sampled command and per batch, named as GLIDE names them
 * (`Get`, `HGetAll`, `CustomCommand`, `Batch`), with the database attributes of OpenTelemetry's
 * semantic conventions (never an argument's value), exported as OTLP by each isolate
 * (`otel/export.ts`), or handed to Deno's own OpenTelemetry (`denoTelemetry`).
 * @module
 */

import type { Command } from "./command.ts";
import { ConfigurationError } from "./errors.ts";
import { Exporter, type Sink } from "./otel/export.ts";
import { attributesOf, type FinishedSpan } from "./otel/encode.ts";
import { MetricsExporter } from "./otel/metrics.ts";
import { requestTypeName } from "./otel/names.ts";
import type { GlideString } from "./values.ts";

/**
 * Where traces go and how many commands get a span (GLIDE's `OpenTelemetryTracesConfig`).
 *
 * @example
 * ```ts
 * import type { OpenTelemetryTracesConfig } from "@glide-deno/glide";
 * const traces: OpenTelemetryTracesConfig = { endpoint: "http://127.0.0.1:4318/v1/traces", samplePercentage: 5 };
 * ```
 */
export interface OpenTelemetryTracesConfig {
  /**
   * `http(s)://` (OTLP/HTTP: protobuf, or JSON when `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or
   * `OTEL_EXPORTER_OTLP_PROTOCOL` is `http/json`), or `file://` (OTLP/JSON, one request per
   * line, appended; a directory or a name without extension gets `signals.json`).
   */
  endpoint: string;
  /** The percentage of commands that get a span, 0 to 100 (default 1). */
  samplePercentage?: number;
}

/**
 * Where metrics go (GLIDE's `OpenTelemetryMetricsConfig`).
 *
 * @example
 * ```ts
 * import type { OpenTelemetryMetricsConfig } from "@glide-deno/glide";
 * const metrics: OpenTelemetryMetricsConfig = { endpoint: "http://127.0.0.1:4318/v1/metrics" };
 * ```
 */
export interface OpenTelemetryMetricsConfig {
  /** The collector's endpoint, as for traces. */
  endpoint: string;
}

/**
 * The remote parent of the spans (GLIDE's `GlideSpanContext`).
 *
 * @example
 * ```ts
 * import type { GlideSpanContext } from "@glide-deno/glide";
 * const parent: GlideSpanContext = {
 *   traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
 *   spanId: "00f067aa0ba902b7",
 *   traceFlags: 1,
 * };
 * ```
 */
export interface GlideSpanContext {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** W3C trace flags (1: sampled). */
  traceFlags: number;
  /** W3C trace state. */
  traceState?: string;
}

/**
 * GLIDE's `GlideOpenTelemetryConfig`, for {@link OpenTelemetry.init}.
 *
 * @example
 * ```ts
 * import type { GlideOpenTelemetryConfig } from "@glide-deno/glide";
 * const config: GlideOpenTelemetryConfig = {
 *   traces: { endpoint: "http://127.0.0.1:4318/v1/traces", samplePercentage: 10 },
 *   flushIntervalMs: 1000,
 * };
 * ```
 */
export interface GlideOpenTelemetryConfig {
  /** Spans: where to, and how many. */
  traces?: OpenTelemetryTracesConfig;
  /** Metrics: where to. */
  metrics?: OpenTelemetryMetricsConfig;
  /** How often what was recorded is exported, in ms (default 5000). */
  flushIntervalMs?: number;
  /** The parent of each command's span, asked when the command is sent (keep it cheap). */
  parentSpanContextProvider?: () => GlideSpanContext | undefined;
  /**
   * glide-deno: hand the spans to Deno's built-in OpenTelemetry (`OTEL_DENO=true`) instead of
   * exporting them: they are children of the span current when the command is sent (the HTTP
   * request of `Deno.serve`, say) and go where Deno sends its own. `traces` is then not
   * needed (every command asks Deno's sampler unless `traces.samplePercentage` says less).
   */
  denoTelemetry?: boolean;
}

/** What the clients check before each command (one property read when tracing is off). */
export const tracing: { on: boolean } = { on: false };

interface State {
  config: GlideOpenTelemetryConfig;
  percentage: number | undefined;
  exporter: Exporter | undefined;
  metrics: MetricsExporter | undefined;
  parent: (() => GlideSpanContext | undefined) | undefined;
  deno: boolean;
}

let state: State | undefined;

function fail(message: string): never {
  throw new ConfigurationError(`OpenTelemetry: ${message}`);
}

function envProtocol(signal: "TRACES" | "METRICS"): string | undefined {
  try {
    return Deno.env.get(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ??
      Deno.env.get("OTEL_EXPORTER_OTLP_PROTOCOL");
  } catch {
    return undefined;
  }
}

/** The sink an endpoint names; throws `ConfigurationError` for one it cannot serve. */
function sinkOf(endpoint: unknown, signal: "TRACES" | "METRICS"): Sink {
  if (typeof endpoint !== "string") fail("endpoint must be a string");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return fail(`endpoint is not a URL: ${endpoint}`);
  }
  if (url.protocol === "http:" || url.protocol === "https:") {
    return { kind: "http", url: endpoint, json: envProtocol(signal) === "http/json" };
  }
  if (url.protocol === "file:") {
    let path = decodeURIComponent(url.pathname);
    let isDir = false;
    try {
      isDir = Deno.statSync(path).isDirectory;
    } catch {
      // not there yet: a file to make
    }
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (isDir || !base.includes(".")) path = `${path.replace(/\/$/, "")}/signals.json`;
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    try {
      if (!Deno.statSync(dir).isDirectory) fail(`${dir} is not a directory`);
    } catch (e) {
      if (e instanceof ConfigurationError) throw e;
      fail(`the directory does not exist: ${dir}`);
    }
    return { kind: "file", path };
  }
  if (url.protocol === "grpc:") {
    return fail("grpc:// is not supported; use the collector's OTLP/HTTP endpoint (port 4318)");
  }
  return fail(`unsupported endpoint: ${endpoint}`);
}

function checkPercentage(p: unknown): number {
  if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 100) {
    fail("samplePercentage must be a number from 0 to 100");
  }
  return p;
}

/**
 * GLIDE's `OpenTelemetry`: initialized once per isolate (later calls are ignored), then every
 * client of the isolate records a span for the sampled share of its commands.
 *
 * @example
 * ```ts
 * import { OpenTelemetry } from "@glide-deno/glide";
 * OpenTelemetry.init({
 *   traces: { endpoint: "http://127.0.0.1:4318/v1/traces", samplePercentage: 10 },
 *   flushIntervalMs: 1000,
 * });
 * ```
 */
export class OpenTelemetry {
  private constructor() {}

  /**
   * Starts recording and exporting, once per isolate (later calls are ignored). Throws
   * `ConfigurationError` for a configuration it cannot use.
   *
   * @param config - Where traces (and metrics) go, the sample percentage, the flush interval.
   * @example
   * ```ts
   * OpenTelemetry.init({ traces: { endpoint: "file:///tmp/otel" } });
   * ```
   */
  static init(config: GlideOpenTelemetryConfig): void {
    if (state !== undefined) return;
    if (typeof config !== "object" || config === null) fail("init takes a configuration object");
    const flush = config.flushIntervalMs ?? 5000;
    if (!Number.isInteger(flush) || flush <= 0) fail("flushIntervalMs must be a positive integer");
    const deno = config.denoTelemetry === true;
    if (!config.traces && !config.metrics && !deno) {
      fail("give traces or metrics (or denoTelemetry: true)");
    }
    const traces = config.traces;
    // With Deno's OpenTelemetry, Deno's sampler decides: every command asks it by default.
    const percentage = traces || deno
      ? checkPercentage(traces?.samplePercentage ?? (deno ? 100 : 1))
      : undefined;
    const exporter = traces && !deno
      ? new Exporter(sinkOf(traces.endpoint, "TRACES"), flush)
      : undefined;
    const metrics = config.metrics
      ? new MetricsExporter(sinkOf(config.metrics.endpoint, "METRICS"), flush)
      : undefined;
    const parent = config.parentSpanContextProvider;
    if (parent !== undefined && typeof parent !== "function") {
      fail("parentSpanContextProvider must be a function");
    }
    state = { config, percentage, exporter, metrics, parent, deno };
    tracing.on = percentage !== undefined && percentage > 0;
  }

  /**
   * Whether {@link OpenTelemetry.init} was called in this isolate.
   *
   * @returns true once initialized.
   * @example
   * ```ts
   * if (!OpenTelemetry.isInitialized()) OpenTelemetry.init({ traces: { endpoint: "file:///tmp/otel" } });
   * ```
   */
  static isInitialized(): boolean {
    return state !== undefined;
  }

  /**
   * The percentage of commands that get a span, if traces are configured.
   *
   * @returns 0 to 100, or `undefined`.
   * @example
   * ```ts
   * console.log(OpenTelemetry.getSamplePercentage());
   * ```
   */
  static getSamplePercentage(): number | undefined {
    return state?.percentage;
  }

  /**
   * Draws whether the next command gets a span (at the sample percentage).
   *
   * @returns true for a sampled command.
   * @example
   * ```ts
   * if (OpenTelemetry.shouldSample()) console.log("this one is traced");
   * ```
   */
  static shouldSample(): boolean {
    const p = state?.percentage;
    return p !== undefined && p > 0 && Math.random() * 100 < p;
  }

  /**
   * Changes the sample percentage at run time (traces must be configured).
   *
   * @param percentage - 0 to 100; 0 turns spans off (no cost on the hot path).
   * @example
   * ```ts
   * OpenTelemetry.setSamplePercentage(100);
   * ```
   */
  static setSamplePercentage(percentage: number): void {
    if (state?.percentage === undefined) {
      fail("setSamplePercentage needs OpenTelemetry initialized with traces");
    }
    state.percentage = checkPercentage(percentage);
    tracing.on = state.percentage > 0;
  }

  /**
   * Sets (or with `null` clears) the function that gives each command span's parent.
   *
   * @param fn - Returns the parent span's context, or `undefined` for a root span.
   * @example
   * ```ts
   * OpenTelemetry.setParentSpanContextProvider(() => undefined);
   * ```
   */
  static setParentSpanContextProvider(fn: (() => GlideSpanContext | undefined) | null): void {
    if (state === undefined) fail("setParentSpanContextProvider needs OpenTelemetry initialized");
    if (fn !== null && typeof fn !== "function") fail("the provider must be a function or null");
    state.parent = fn ?? undefined;
  }

  /** Exports the spans recorded so far now (tests, and a process about to exit). @internal */
  static async flush(): Promise<void> {
    await state?.exporter?.flush();
    await state?.metrics?.tick();
  }
}

/** One command's span while it runs: {@link CommandSpan.end} when its outcome is known. */
export interface CommandSpan {
  end(error?: unknown): void;
}

const HEX16 = /^(?!0+$)[0-9a-f]{16}$/;
const HEX32 = /^(?!0+$)[0-9a-f]{32}$/;

const utf8 = new TextDecoder();

function text(arg: GlideString | undefined): string | undefined {
  if (arg === undefined) return undefined;
  return (typeof arg === "string" ? arg : utf8.decode(arg)).toUpperCase();
}

/** GLIDE's name for `cmd`'s span, and the operation name attribute. */
function names(cmd: Command<unknown>): [string, string] {
  if (cmd.batch) {
    const ops = cmd.batch.commands.map((c) => text(c.args[0]) ?? "");
    const same = ops.length > 0 && ops.every((o) => o === ops[0]);
    return ["Batch", cmd.batch.atomic ? "MULTI" : same ? `PIPELINE ${ops[0]}` : "PIPELINE"];
  }
  const op = text(cmd.args[0]) ?? "";
  const name = cmd.custom ? undefined : requestTypeName(op, () => text(cmd.args[1]));
  return [name ?? "CustomCommand", op];
}

/** Where a client connects, for the spans' attributes. */
export interface SpanTarget {
  host: string;
  port: number;
  database: number;
}

/**
 * Starts `cmd`'s span if this command is sampled (call only when {@link tracing}`.on`).
 * @internal
 */
export function startSpan(cmd: Command<unknown>, target: SpanTarget): CommandSpan | undefined {
  const s = state;
  if (s === undefined || s.percentage === undefined || Math.random() * 100 >= s.percentage) {
    return undefined;
  }
  const [name, op] = names(cmd);
  const batchSize = cmd.batch?.commands.length;
  if (s.deno) return denoSpan(name, op, batchSize, target);
  let parent: FinishedSpan["parent"];
  try {
    const p = s.parent?.();
    if (p && HEX32.test(p.traceId) && HEX16.test(p.spanId)) {
      parent = { traceId: p.traceId, spanId: p.spanId, traceState: p.traceState };
    }
  } catch {
    parent = undefined;
  }
  const span: FinishedSpan = {
    name,
    op,
    batchSize,
    target,
    parent,
    start: performance.now(),
    end: 0,
    error: undefined,
  };
  const exporter = s.exporter;
  return {
    end(error?: unknown) {
      span.end = performance.now();
      if (error !== undefined) span.error = errorText(error);
      exporter?.add(span);
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A span through Deno's built-in OpenTelemetry, a child of the current span. */
function denoSpan(
  name: string,
  op: string,
  batchSize: number | undefined,
  target: SpanTarget,
): CommandSpan {
  const attributes = attributesOf(op, batchSize, target);
  const telemetry = Deno.telemetry;
  const tracer = telemetry.tracerProvider.getTracer("valkey_glide");
  const span = tracer.startSpan(
    name,
    { kind: 2, attributes: Object.fromEntries(attributes) }, // SpanKind.CLIENT
    telemetry.contextManager.active(),
  );
  return {
    end(error?: unknown) {
      if (error === undefined) span.setStatus({ code: 1 });
      else span.setStatus({ code: 2, message: errorText(error) });
      span.end();
    },
  };
}
