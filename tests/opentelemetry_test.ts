/**
 * OpenTelemetry: spans for commands and batches reach a loopback OTLP/HTTP receiver, as
 * protobuf and as JSON, with GLIDE's names, the database attributes and no argument values,
 * the error status on a failed command, the configured parent, counts that follow the sample
 * percentage; `file://` endpoints; Deno's own OpenTelemetry making them children of the HTTP
 * request's span. OpenTelemetry is set up once per isolate, so each case runs a program in a
 * process of its own (tests/fixtures/otel/program.ts).
 */

import assert from "node:assert/strict";
import { ConfigurationError, OpenTelemetry } from "../mod.ts";
import { clusterAddresses, standaloneAddress } from "./harness.ts";
import { OtlpReceiver, type ReceivedSpan } from "./support/otlp_receiver.ts";
import { runProgram } from "./support/program.ts";
import { requestTypeName } from "../shared/otel/names.ts";

const program = new URL("./fixtures/otel/program.ts", import.meta.url).pathname;

function run(spec: Record<string, unknown>, env: Record<string, string> = {}) {
  return runProgram(program, [JSON.stringify(spec)], env);
}

const PARENT = {
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  traceFlags: 1,
  traceState: "vendor=value",
};

for (const format of ["protobuf", "json"] as const) {
  for (
    const [kind, sync, cluster] of [["async", false, false], ["sync", true, false], [
      "cluster",
      false,
      true,
    ]] as const
  ) {
    Deno.test(`otel: spans reach the collector as ${format} [${kind}]`, async () => {
      const receiver = new OtlpReceiver();
      try {
        await run({
          endpoint: `${receiver.url}/v1/traces`,
          percentage: 100,
          sync,
          cluster,
          addresses: cluster ? clusterAddresses() : [standaloneAddress()],
          run: "basic",
          parent: PARENT,
        }, format === "json" ? { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" } : {});
        const spans = receiver.spans;
        assert.deepEqual(spans.map((s) => s.name), [
          "Set",
          "Get",
          "CustomCommand",
          "Incr",
          "Batch",
          "Del",
        ]);
        for (const s of spans) {
          assert.equal(s.format, format);
          assert.equal(s.kind, 3, "SPAN_KIND_CLIENT");
          assert.equal(s.traceId, PARENT.traceId);
          assert.equal(s.parentSpanId, PARENT.spanId);
          assert.match(s.spanId, /^[0-9a-f]{16}$/);
          assert.ok(s.end >= s.start && s.start > 1_700_000_000_000_000_000n);
          assert.equal(s.attributes["db.system.name"], "redis");
          assert.equal(typeof s.attributes["server.port"], "number");
        }
        const byName = (n: string) => spans.find((s) => s.name === n) as ReceivedSpan;
        assert.equal(byName("Get").attributes["db.operation.name"], "GET");
        assert.equal(byName("CustomCommand").attributes["db.operation.name"], "PING");
        assert.deepEqual(byName("Get").status, { code: 1, message: "" });
        assert.equal(byName("Incr").status.code, 2);
        assert.match(byName("Incr").status.message, /RequestError: .*not an integer/);
        assert.equal(byName("Batch").attributes["db.operation.name"], "PIPELINE GET");
        assert.equal(byName("Batch").attributes["db.operation.batch.size"], 2);
        // Never an argument's value (nor a key).
        for (const body of receiver.bodies) assert.doesNotMatch(body, /otel-secret/);
      } finally {
        await receiver.close();
      }
    });
  }
}

Deno.test("otel: the share of commands with a span follows the sample percentage", async () => {
  const receiver = new OtlpReceiver();
  try {
    await run({
      endpoint: `${receiver.url}/v1/traces`,
      percentage: 10,
      addresses: [standaloneAddress()],
      run: "many",
      n: 2000,
    });
    // 200 expected of 2,000 (binomial: sd 13.4; 5 sd either side), none once set to 0.
    const n = receiver.spans.length;
    assert.ok(n >= 133 && n <= 267, `${n} spans`);
    assert.ok(receiver.spans.every((s) => s.name === "Get" && s.parentSpanId === ""));
  } finally {
    await receiver.close();
  }
});

Deno.test("otel: a file:// endpoint gets OTLP/JSON lines (signals.json in a directory)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await run({
      endpoint: `file://${dir}`,
      percentage: 100,
      addresses: [standaloneAddress()],
      run: "basic",
    });
    const lines = (await Deno.readTextFile(`${dir}/signals.json`)).trim().split("\n");
    const names = lines.flatMap((l) =>
      JSON.parse(l).resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)
    );
    assert.deepEqual(names, ["Set", "Get", "CustomCommand", "Incr", "Batch", "Del"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("otel: with Deno's OpenTelemetry, a command's span is a child of the HTTP request's", async () => {
  const receiver = new OtlpReceiver();
  try {
    await run({ deno: true, addresses: [standaloneAddress()], run: "serve" }, {
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_SERVICE_NAME: "glide-deno-test",
    });
    assert.ok(await receiver.until((spans) => spans.some((s) => s.name === "Get")));
    const get = receiver.spans.find((s) => s.name === "Get")!;
    const parent = receiver.spans.find((s) => s.spanId === get.parentSpanId);
    assert.ok(parent, `no parent among ${receiver.spans.map((s) => s.name).join(", ")}`);
    assert.equal(parent.kind, 2, "the parent is the HTTP server's span (SPAN_KIND_SERVER)");
    assert.equal(parent.traceId, get.traceId);
    assert.equal(get.kind, 3);
    assert.equal(get.attributes["db.operation.name"], "GET");
  } finally {
    await receiver.close();
  }
});

for (const format of ["protobuf", "json"] as const) {
  Deno.test(`otel: GLIDE's metrics reach the collector as ${format}`, async () => {
    const receiver = new OtlpReceiver();
    const env: Record<string, string> = format === "json"
      ? { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json" }
      : {};
    const last = (name: string) =>
      receiver.metrics.filter((m) => m.name === name).at(-1)?.value ?? 0;
    try {
      await run({
        metrics: `${receiver.url}/glide-metrics`,
        addresses: [standaloneAddress()],
        run: "timeout",
      }, env);
      assert.ok(receiver.metrics.every((m) => m.format === format));
      assert.deepEqual(
        [...new Set(receiver.metrics.map((m) => `${m.name} ${m.kind}`))].sort(),
        [
          "glide.moved_errors sum",
          "glide.retry_attempts sum",
          "glide.subscription_last_sync_timestamp gauge",
          "glide.subscription_out_of_sync_count sum",
          "glide.timeout_errors sum",
        ],
      );
      assert.equal(last("glide.timeout_errors"), 1);
      assert.equal(last("glide.moved_errors"), 0);
      await run({
        metrics: `${receiver.url}/glide-metrics`,
        cluster: true,
        addresses: clusterAddresses(),
        run: "moved",
      }, env);
      assert.ok(last("glide.moved_errors") >= 2, `moved ${last("glide.moved_errors")}`);
      assert.ok(last("glide.retry_attempts") >= 2, `retries ${last("glide.retry_attempts")}`);
      assert.equal(last("glide.timeout_errors"), 0);
    } finally {
      await receiver.close();
    }
  });
}

Deno.test("otel: configurations it cannot use are ConfigurationErrors", () => {
  const bad: unknown[] = [
    { traces: { endpoint: "grpc://127.0.0.1:4317" } },
    { traces: { endpoint: "http://127.0.0.1:4318/v1/traces", samplePercentage: 150 } },
    { traces: { endpoint: "http://127.0.0.1:4318/v1/traces" }, flushIntervalMs: 0 },
    { traces: { endpoint: "file:///nonexistent-dir/x/traces.json" } },
    { traces: { endpoint: "not a url" } },
    { metrics: { endpoint: "grpc://127.0.0.1:4317" } },
    {},
  ];
  for (const config of bad) {
    assert.throws(
      () => OpenTelemetry.init(config as never),
      ConfigurationError,
      JSON.stringify(config),
    );
  }
  assert.equal(OpenTelemetry.isInitialized(), false);
  assert.throws(() => OpenTelemetry.setSamplePercentage(5), ConfigurationError);
});

Deno.test("otel: GLIDE's span names, a subcommand read only for commands that have one", () => {
  let asked = 0;
  const sub = (s: string) => () => {
    asked++;
    return s;
  };
  assert.equal(requestTypeName("CLIENT", sub("ID")), "ClientId");
  assert.equal(requestTypeName("CONFIG", sub("GET")), "ConfigGet");
  assert.equal(asked, 2);
  assert.equal(requestTypeName("HGETALL", sub("my-key")), "HGetAll");
  assert.equal(requestTypeName("NOSUCHCOMMAND", sub("x")), undefined);
  assert.equal(asked, 2, "a key is never decoded for a name");
});
