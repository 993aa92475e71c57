/**
 * Sends finished spans as OTLP: over HTTP (`http(s)://` endpoints; protobuf, or JSON when
 * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL` is `http/json`), or
 * appended to a file (`file://`, one OTLP/JSON request per line). Each isolate exports its own
 * spans, in batches, every flush interval (a timer that never keeps the process alive) or
 * once 512 are waiting. A failed export is logged and its spans dropped.
 * @module
 */

import { Logger } from "../logger.ts";
import { type FinishedSpan, otlpJson, otlpProtobuf } from "./encode.ts";

/** Where spans go. */
export type Sink =
  | { kind: "http"; url: string; json: boolean }
  | { kind: "file"; path: string };

const BATCH = 512;
/** Spans waiting or being sent, at most: beyond, new ones are dropped (a busy sync loop). */
const MAX_HELD = 8192;

/**
 * Sends one OTLP request to `sink`: JSON to a file or a JSON collector, else protobuf. Rejects
 * when it could not.
 */
export async function deliver(
  sink: Sink,
  json: () => string,
  protobuf: () => Uint8Array,
): Promise<void> {
  if (sink.kind === "file") {
    await Deno.writeTextFile(sink.path, json() + "\n", { append: true });
    return;
  }
  const res = await fetch(sink.url, {
    method: "POST",
    headers: { "content-type": sink.json ? "application/json" : "application/x-protobuf" },
    body: sink.json ? json() : protobuf() as Uint8Array<ArrayBuffer>,
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the collector answered ${res.status}`);
}

/** Logs a failed export once per exporter (a collector that is down would flood the log). */
export function warnOnce(state: { warned: boolean }, what: string, e: unknown): void {
  if (state.warned) return;
  state.warned = true;
  try {
    Logger.log(
      "warn",
      "opentelemetry",
      `could not export ${what}: ${e instanceof Error ? e.message : e}`,
    );
  } catch {
    // never let logging fail a request
  }
}

/** Batches spans and sends them to one sink. */
export class Exporter {
  #spans: FinishedSpan[] = [];
  /** Spans in exports not finished yet. */
  #held = 0;
  #timer: number | undefined;
  #warned = { warned: false };
  /** Exports in flight (tests and `flush()` wait for them). */
  #sending = new Set<Promise<void>>();

  constructor(readonly sink: Sink, readonly flushMs: number) {}

  /** Takes a finished span; sends the batch when it is full, else at the next flush. */
  add(span: FinishedSpan): void {
    if (this.#spans.length + this.#held >= MAX_HELD) return;
    this.#spans.push(span);
    if (this.#spans.length >= BATCH) this.#send();
    else if (this.#timer === undefined) {
      // Deno's timers are numbers (node types in the graph make it look like Node's).
      this.#timer = setTimeout(() => this.#send(), this.flushMs) as unknown as number;
      Deno.unrefTimer(this.#timer);
    }
  }

  /** Sends what waits now, and resolves once every export in flight is done. */
  async flush(): Promise<void> {
    this.#send();
    await Promise.all([...this.#sending]);
  }

  #send(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#spans.length === 0) return;
    const spans = this.#spans;
    this.#spans = [];
    this.#held += spans.length;
    const sending = this.#deliver(spans).catch((e) => this.#warn(e)).finally(() => {
      this.#held -= spans.length;
      this.#sending.delete(sending);
    });
    this.#sending.add(sending);
  }

  #deliver(spans: FinishedSpan[]): Promise<void> {
    return deliver(this.sink, () => otlpJson(spans), () => otlpProtobuf(spans));
  }

  #warn(e: unknown): void {
    warnOnce(this.#warned, "spans", e);
  }
}
