/**
 * A loopback OTLP/HTTP receiver for the tests: accepts trace exports (`/v1/traces`, or any
 * path for a client given a full endpoint) as protobuf or JSON, decodes their spans, and keeps
 * them with the format they came in. Other signals (Deno's logs and metrics) are accepted and
 * dropped.
 */

import { BinaryReader, type WireType } from "@bufbuild/protobuf/wire";

/** A received span, the same whichever format carried it. */
export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: Record<string, string | number>;
  status: { code: number; message: string };
  format: "json" | "protobuf";
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Reads the fields of one message: calls `on(field, reader)` for each, skipping the rest. */
function fields(
  bytes: Uint8Array,
  on: (field: number, r: BinaryReader, type: WireType) => boolean,
) {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, type] = r.tag();
    if (!on(field, r, type)) r.skip(type);
  }
}

function anyValue(bytes: Uint8Array): string | number {
  let v: string | number = "";
  fields(bytes, (f, r) => {
    if (f === 1) v = r.string();
    else if (f === 3) v = Number(r.int64());
    else if (f === 2) v = r.bool() ? "true" : "false";
    else if (f === 4) v = r.double();
    else return false;
    return true;
  });
  return v;
}

function keyValue(bytes: Uint8Array): [string, string | number] {
  let key = "";
  let value: string | number = "";
  fields(bytes, (f, r) => {
    if (f === 1) key = r.string();
    else if (f === 2) value = anyValue(r.bytes());
    else return false;
    return true;
  });
  return [key, value];
}

function span(bytes: Uint8Array): ReceivedSpan {
  const s: ReceivedSpan = {
    name: "",
    traceId: "",
    spanId: "",
    parentSpanId: "",
    kind: 0,
    start: 0n,
    end: 0n,
    attributes: {},
    status: { code: 0, message: "" },
    format: "protobuf",
  };
  fields(bytes, (f, r) => {
    switch (f) {
      case 1:
        s.traceId = hex(r.bytes());
        return true;
      case 2:
        s.spanId = hex(r.bytes());
        return true;
      case 4:
        s.parentSpanId = hex(r.bytes());
        return true;
      case 5:
        s.name = r.string();
        return true;
      case 6:
        s.kind = r.int32();
        return true;
      case 7:
        s.start = BigInt(r.fixed64());
        return true;
      case 8:
        s.end = BigInt(r.fixed64());
        return true;
      case 9: {
        const [k, v] = keyValue(r.bytes());
        s.attributes[k] = v;
        return true;
      }
      case 15:
        fields(r.bytes(), (g, q) => {
          if (g === 2) s.status.message = q.string();
          else if (g === 3) s.status.code = q.int32();
          else return false;
          return true;
        });
        return true;
    }
    return false;
  });
  return s;
}

/** The spans of an ExportTraceServiceRequest in protobuf. */
export function decodeProtobuf(bytes: Uint8Array): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  fields(bytes, (f, r) => {
    if (f !== 1) return false;
    fields(r.bytes(), (g, q) => {
      if (g !== 2) return false;
      fields(q.bytes(), (h, p) => {
        if (h !== 2) return false;
        out.push(span(p.bytes()));
        return true;
      });
      return true;
    });
    return true;
  });
  return out;
}

interface JsonValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

/** The spans of an ExportTraceServiceRequest in OTLP/JSON. */
export function decodeJson(text: string): ReceivedSpan[] {
  // deno-lint-ignore no-explicit-any
  const body = JSON.parse(text) as any;
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const sp of ss.spans ?? []) {
        const attributes: Record<string, string | number> = {};
        for (const a of sp.attributes ?? []) {
          const v = a.value as JsonValue;
          attributes[a.key] = v.stringValue ??
            (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue ?? String(v.boolValue));
        }
        out.push({
          name: sp.name,
          traceId: sp.traceId,
          spanId: sp.spanId,
          parentSpanId: sp.parentSpanId ?? "",
          kind: sp.kind,
          start: BigInt(sp.startTimeUnixNano),
          end: BigInt(sp.endTimeUnixNano),
          attributes,
          status: { code: sp.status?.code ?? 0, message: sp.status?.message ?? "" },
          format: "json",
        });
      }
    }
  }
  return out;
}

/** One exported metric value. */
export interface ReceivedMetric {
  name: string;
  value: number;
  kind: "sum" | "gauge";
  format: "json" | "protobuf";
}

/** The data points of an ExportMetricsServiceRequest in protobuf. */
export function decodeMetricsProtobuf(bytes: Uint8Array): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  fields(bytes, (f, r) => {
    if (f !== 1) return false;
    fields(r.bytes(), (g, q) => {
      if (g !== 2) return false;
      fields(q.bytes(), (h, p) => {
        if (h !== 2) return false;
        let name = "";
        fields(p.bytes(), (i, m) => {
          if (i === 1) name = m.string();
          else if (i === 5 || i === 7) {
            const kind = i === 5 ? "gauge" : "sum";
            fields(m.bytes(), (j, d) => {
              if (j !== 1) return false;
              fields(d.bytes(), (k, v) => {
                if (k !== 6) return false;
                out.push({ name, value: Number(v.sfixed64()), kind, format: "protobuf" });
                return true;
              });
              return true;
            });
          } else return false;
          return true;
        });
        return true;
      });
      return true;
    });
    return true;
  });
  return out;
}

/** The data points of an ExportMetricsServiceRequest in OTLP/JSON. */
export function decodeMetricsJson(text: string): ReceivedMetric[] {
  // deno-lint-ignore no-explicit-any
  const body = JSON.parse(text) as any;
  const out: ReceivedMetric[] = [];
  for (const rm of body.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = m.gauge ? "gauge" : "sum";
        for (const p of (m.gauge ?? m.sum).dataPoints ?? []) {
          out.push({ name: m.name, value: Number(p.asInt), kind, format: "json" });
        }
      }
    }
  }
  return out;
}

/** A receiver on 127.0.0.1; `close()` stops it. */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Every metric data point received, in order. */
  readonly metrics: ReceivedMetric[] = [];
  /** The raw bodies of the trace exports, as text (to search them for values). */
  readonly bodies: string[] = [];
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  constructor() {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const path = new URL(req.url).pathname;
      const bytes = new Uint8Array(await req.arrayBuffer());
      const json = (req.headers.get("content-type") ?? "").includes("json");
      if (path.endsWith("/glide-metrics")) {
        const text = new TextDecoder().decode(bytes);
        this.metrics.push(...(json ? decodeMetricsJson(text) : decodeMetricsProtobuf(bytes)));
        return new Response("{}");
      }
      if (path.endsWith("/v1/logs") || path.endsWith("/v1/metrics")) return new Response("{}");
      this.bodies.push(new TextDecoder().decode(bytes));
      this.spans.push(
        ...(json ? decodeJson(new TextDecoder().decode(bytes)) : decodeProtobuf(bytes)),
      );
      return new Response(json ? "{}" : new Uint8Array(), {
        headers: { "content-type": json ? "application/json" : "application/x-protobuf" },
      });
    });
  }

  /** Its base URL (`http://127.0.0.1:<port>`). */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Waits until `pick` holds over the spans received, or `ms` passed; returns whether it did. */
  async until(pick: (spans: ReceivedSpan[]) => boolean, ms = 10_000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!pick(this.spans)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}
