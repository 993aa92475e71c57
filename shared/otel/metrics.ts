/**
 * GLIDE's OpenTelemetry metrics, counted by the core for the whole process
 * (`native/src/boundary/telemetry.rs`): `glide.timeout_errors`, `glide.retry_attempts`,
 * `glide.moved_errors`, `glide.subscription_out_of_sync_count` (cumulative monotonic sums) and
 * `glide.subscription_last_sync_timestamp` (a gauge, ms since the epoch). They are exported
 * every flush interval by one isolate only (the first to claim them, until it ends), so that
 * no count is exported twice however many isolates the process runs.
 * @module
 */

import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { coreAtHand, loadCore } from "../native.ts";
import { deliver, type Sink, warnOnce } from "./export.ts";
import { RESOURCE_JSON, RESOURCE_PROTO, SCOPE } from "./encode.ts";

interface Metric {
  name: string;
  description: string;
  unit: string;
  /** The `glide_statistic` kind it reads. */
  kind: number;
  gauge: boolean;
}

const METRICS: Metric[] = [
  {
    name: "glide.timeout_errors",
    description: "Number of timeout errors encountered",
    unit: "1",
    kind: 4,
    gauge: false,
  },
  {
    name: "glide.retry_attempts",
    description: "Number of retry attempts made",
    unit: "1",
    kind: 5,
    gauge: false,
  },
  {
    name: "glide.moved_errors",
    description: "Number of moved errors encountered",
    unit: "1",
    kind: 6,
    gauge: false,
  },
  {
    name: "glide.subscription_out_of_sync_count",
    description: "Number of times subscriptions were detected as out of sync",
    unit: "1",
    kind: 2,
    gauge: false,
  },
  {
    name: "glide.subscription_last_sync_timestamp",
    description: "Unix timestamp (in milliseconds) of the last time subscriptions were in sync",
    unit: "ms",
    kind: 3,
    gauge: true,
  },
];

/** One reading: each metric's value, and when. */
interface Reading {
  values: number[];
  /** Unix ms. */
  at: number;
}

function ns(ms: number): string {
  return `${Math.floor(ms)}000000`;
}

/** OTLP/JSON of an ExportMetricsServiceRequest. @internal */
export function metricsJson(r: Reading, since: number): string {
  const metrics = METRICS.map((m, i) => {
    const point = {
      ...(m.gauge ? {} : { startTimeUnixNano: ns(since) }),
      timeUnixNano: ns(r.at),
      asInt: String(r.values[i]),
    };
    return {
      name: m.name,
      description: m.description,
      unit: m.unit,
      ...(m.gauge
        ? { gauge: { dataPoints: [point] } }
        : { sum: { dataPoints: [point], aggregationTemporality: 2, isMonotonic: true } }),
    };
  });
  const scopeMetrics = JSON.stringify([{ scope: { name: SCOPE }, metrics }]);
  return `{"resourceMetrics":[{"resource":${RESOURCE_JSON},"scopeMetrics":${scopeMetrics}}]}`;
}

/** OTLP protobuf of an ExportMetricsServiceRequest (opentelemetry-proto's numbers). @internal */
export function metricsProtobuf(r: Reading, since: number): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, 2).fork(); // resource_metrics
  w.tag(1, 2).bytes(RESOURCE_PROTO); // resource: its attributes
  w.tag(2, 2).fork(); // scope_metrics
  w.tag(1, 2).fork().tag(1, 2).string(SCOPE).join();
  METRICS.forEach((m, i) => {
    w.tag(2, 2).fork(); // metric
    w.tag(1, 2).string(m.name);
    w.tag(2, 2).string(m.description);
    w.tag(3, 2).string(m.unit);
    w.tag(m.gauge ? 5 : 7, 2).fork(); // gauge | sum
    w.tag(1, 2).fork(); // data point
    if (!m.gauge) w.tag(2, 1).fixed64(ns(since));
    w.tag(3, 1).fixed64(ns(r.at));
    w.tag(6, 1).sfixed64(r.values[i]);
    w.join();
    if (!m.gauge) w.tag(2, 0).int32(2).tag(3, 0).bool(true); // cumulative, monotonic
    w.join();
    w.join();
  });
  w.join();
  w.join();
  return w.finish();
}

/** Exports the core's metrics every `flushMs` while this isolate holds the claim. */
export class MetricsExporter {
  readonly #since = Date.now();
  #warned = { warned: false };
  #busy = false;
  /** A completion queue of this isolate's own: what names the isolate to the core's claim. */
  #queue = 0;

  constructor(readonly sink: Sink, readonly flushMs: number) {
    const timer = setInterval(() => this.tick(), flushMs) as unknown as number;
    Deno.unrefTimer(timer);
  }

  /** Exports a reading now if this isolate holds the claim (and no export is in flight). */
  async tick(): Promise<void> {
    // Nothing to count before the core is loaded (by the first client).
    if (this.#busy || !coreAtHand()) return;
    const core = loadCore();
    if (this.#queue === 0) this.#queue = core.glide_queue_open();
    if (core.glide_metrics_claim(this.#queue) !== 1) return;
    const reading: Reading = {
      values: METRICS.map((m) => core.glide_statistic(m.kind)),
      at: Date.now(),
    };
    this.#busy = true;
    try {
      await deliver(
        this.sink,
        () => metricsJson(reading, this.#since),
        () => metricsProtobuf(reading, this.#since),
      );
    } catch (e) {
      warnOnce(this.#warned, "metrics", e);
    } finally {
      this.#busy = false;
    }
  }
}
