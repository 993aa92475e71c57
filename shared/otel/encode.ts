/**
 * OTLP encodings of finished command spans: an ExportTraceServiceRequest as protobuf
 * (opentelemetry-proto's field numbers) or as OTLP/JSON. Spans of one client share their
 * attributes but for the operation name, so each distinct attribute set is encoded once and
 * kept; ids are drawn for a whole batch at once.
 * @module
 */

import { BinaryWriter } from "@bufbuild/protobuf/wire";

/** A span as the client records it: cheap to make; the rest is worked out here. */
export interface FinishedSpan {
  name: string;
  /** `db.operation.name`. */
  op: string;
  /** A batch's command count. */
  batchSize: number | undefined;
  target: { host: string; port: number; database: number };
  /** The remote parent's ids, checked (lowercase hex). */
  parent: { traceId: string; spanId: string; traceState: string | undefined } | undefined;
  /** `performance.now()` at the start and the end. */
  start: number;
  end: number;
  /** The error's text, for a failed command. */
  error: string | undefined;
}

/** The instrumentation scope of every span and metric. */
export const SCOPE = "valkey_glide";
const SPAN_KIND_CLIENT = 3;
const RESOURCE: [string, string][] = [
  ["service.name", "glide-deno"],
  ["telemetry.sdk.language", "js"],
];

/** A command span's attributes: OpenTelemetry's database conventions, no argument values. */
export function attributesOf(
  op: string,
  batchSize: number | undefined,
  target: FinishedSpan["target"],
): [string, string | number][] {
  const attributes: [string, string | number][] = [
    ["db.system.name", "redis"],
    ["db.operation.name", op],
    ["server.address", target.host],
    ["server.port", target.port],
    ["db.namespace", String(target.database)],
  ];
  if (batchSize !== undefined) attributes.push(["db.operation.batch.size", batchSize]);
  return attributes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Unix nanoseconds of a `performance.now()` reading, as a decimal string. */
function unixNs(t: number): string {
  const ms = performance.timeOrigin + t;
  const whole = Math.floor(ms);
  return `${whole}${String(Math.round((ms - whole) * 1e6)).padStart(6, "0")}`;
}

/** Writes a `performance.now()` reading as Unix nanoseconds, a fixed64 (two fixed32s). */
function writeUnixNs(w: BinaryWriter, t: number): void {
  const ms = performance.timeOrigin + t;
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  // whole * 1e6 + frac in base 2^32, exactly (each product stays below 2^53).
  const high = Math.floor(whole / 2 ** 32);
  const low = whole - high * 2 ** 32;
  const lowPart = low * 1e6 + frac;
  const carry = Math.floor(lowPart / 2 ** 32);
  w.fixed32(lowPart - carry * 2 ** 32).fixed32(high * 1e6 + carry);
}

/** `n` random bytes (the Web Crypto API gives at most 64 KiB per call). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

/** Per target: the encoded attribute sets, by operation and batch size. */
const encodedJson = new WeakMap<object, Map<string, string>>();
const encodedProto = new WeakMap<object, Map<string, Uint8Array>>();

function cached<T>(
  cache: WeakMap<object, Map<string, T>>,
  s: FinishedSpan,
  make: () => T,
): T {
  let byOp = cache.get(s.target);
  if (byOp === undefined) cache.set(s.target, byOp = new Map());
  const key = s.batchSize === undefined ? s.op : `${s.op}\n${s.batchSize}`;
  let v = byOp.get(key);
  if (v === undefined) {
    v = make();
    if (byOp.size < 4096) byOp.set(key, v);
  }
  return v;
}

function jsonValue(v: string | number): string {
  return typeof v === "number" ? `{"intValue":"${v}"}` : `{"stringValue":${JSON.stringify(v)}}`;
}

function jsonAttributes(attributes: [string, string | number][]): string {
  return `[${
    attributes.map(([k, v]) => `{"key":${JSON.stringify(k)},"value":${jsonValue(v)}}`).join(",")
  }]`;
}

/** OTLP/JSON of an ExportTraceServiceRequest holding `spans`. */
export function otlpJson(spans: FinishedSpan[]): string {
  const random = randomBytes(24 * spans.length);
  const parts = spans.map((s, i) => {
    const ids = random.subarray(24 * i, 24 * i + 24);
    const attributes = cached(
      encodedJson,
      s,
      () => jsonAttributes(attributesOf(s.op, s.batchSize, s.target)),
    );
    const p = s.parent;
    return `{"traceId":"${p ? p.traceId : hex(ids.subarray(0, 16))}",` +
      `"spanId":"${hex(ids.subarray(16, 24))}",` +
      (p ? `"parentSpanId":"${p.spanId}",` : "") +
      (p?.traceState ? `"traceState":${JSON.stringify(p.traceState)},` : "") +
      `"name":${JSON.stringify(s.name)},"kind":${SPAN_KIND_CLIENT},` +
      `"startTimeUnixNano":"${unixNs(s.start)}","endTimeUnixNano":"${unixNs(s.end)}",` +
      `"attributes":${attributes},` +
      (s.error === undefined
        ? `"status":{"code":1}}`
        : `"status":{"code":2,"message":${JSON.stringify(s.error)}}}`);
  });
  return `{"resourceSpans":[{"resource":${RESOURCE_JSON},` +
    `"scopeSpans":[{"scope":{"name":"${SCOPE}"},"spans":[${parts.join(",")}]}]}]}`;
}

function protoAttributes(attributes: [string, string | number][], field: number): Uint8Array {
  const w = new BinaryWriter();
  for (const [key, v] of attributes) {
    w.tag(field, 2).fork();
    w.tag(1, 2).string(key);
    w.tag(2, 2).fork(); // AnyValue
    if (typeof v === "number") w.tag(3, 0).int64(v);
    else w.tag(1, 2).string(v);
    w.join();
    w.join();
  }
  return w.finish();
}

/** The Resource message (its attributes), protobuf and OTLP/JSON, for spans and metrics alike. */
export const RESOURCE_PROTO: Uint8Array = protoAttributes(RESOURCE, 1);
export const RESOURCE_JSON: string = `{"attributes":${jsonAttributes(RESOURCE)}}`;

/** Span names, UTF-8 encoded once (a few hundred at most: GLIDE's request types). */
const nameBytes = new Map<string, Uint8Array>();

function utf8Name(name: string): Uint8Array {
  let b = nameBytes.get(name);
  if (b === undefined) nameBytes.set(name, b = new TextEncoder().encode(name));
  return b;
}

/** OTLP protobuf of an ExportTraceServiceRequest holding `spans`. */
export function otlpProtobuf(spans: FinishedSpan[]): Uint8Array {
  const random = randomBytes(24 * spans.length);
  const w = new BinaryWriter();
  w.tag(1, 2).fork(); // resource_spans
  w.tag(1, 2).bytes(RESOURCE_PROTO); // resource: its attributes
  w.tag(2, 2).fork(); // scope_spans
  w.tag(1, 2).fork().tag(1, 2).string(SCOPE).join(); // scope
  spans.forEach((s, i) => {
    const ids = random.subarray(24 * i, 24 * i + 24);
    const p = s.parent;
    w.tag(2, 2).fork(); // span
    w.tag(1, 2).bytes(p ? fromHex(p.traceId) : ids.subarray(0, 16));
    w.tag(2, 2).bytes(ids.subarray(16, 24));
    if (p?.traceState) w.tag(3, 2).string(p.traceState);
    if (p) w.tag(4, 2).bytes(fromHex(p.spanId));
    w.tag(5, 2).bytes(utf8Name(s.name));
    w.tag(6, 0).int32(SPAN_KIND_CLIENT);
    writeUnixNs(w.tag(7, 1), s.start);
    writeUnixNs(w.tag(8, 1), s.end);
    w.raw(
      cached(encodedProto, s, () => protoAttributes(attributesOf(s.op, s.batchSize, s.target), 9)),
    );
    w.tag(15, 2).fork(); // status
    if (s.error !== undefined) w.tag(2, 2).string(s.error);
    w.tag(3, 0).int32(s.error === undefined ? 1 : 2);
    w.join();
    w.join();
  });
  w.join();
  w.join();
  return w.finish();
}
