import assert from "node:assert/strict";
import { CircuitBreakerError, ConfigurationError, ConnectionError, TimeoutError } from "../mod.ts";
import { CircuitBreaker } from "../shared/circuit_breaker.ts";
import { Status } from "../shared/errors.ts";
import { startStandalone } from "../tasks/servers.ts";
import { dispose } from "./harness.ts";
import { GlideClient as AsyncClient, GlideClusterClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { clusterAddresses } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("circuit breaker: opens on the error rate, half-opens after its timeout, closes on successes", () => {
  const b = new CircuitBreaker({
    minErrors: 5,
    failureRateThreshold: 0.5,
    openTimeoutMs: 100,
    consecutiveSuccesses: 2,
  });
  for (let i = 0; i < 6; i++) b.record(Status.Ok, 0, 0);
  for (let i = 0; i < 5; i++) b.record(Status.Connection, 0, 1);
  assert.equal(b.state, "closed", "5 errors of 11: under the rate");
  b.record(Status.Connection, 0, 2);
  assert.equal(b.state, "open", "6 of 12 errors: at the rate");
  assert.ok(b.admit(50) instanceof CircuitBreakerError);
  assert.equal(b.rejected, 1);
  assert.equal(b.admit(102), undefined, "half-open after openTimeoutMs");
  assert.equal(b.state, "halfOpen");
  b.record(Status.Ok, 0, 103);
  b.record(Status.Connection, 0, 104);
  assert.equal(b.state, "open", "a failure while half-open reopens it");
  assert.equal(b.admit(205), undefined);
  b.record(Status.Ok, 0, 206);
  b.record(Status.Ok, 0, 207);
  assert.equal(b.state, "closed");
  assert.equal(b.trips, 1);
});

Deno.test("circuit breaker: server error replies and closes are not failures; timeouts only when counted", () => {
  const b = new CircuitBreaker({ minErrors: 1, failureRateThreshold: 1 });
  b.record(Status.Request, 0, 0);
  b.record(Status.ExecAbort, 0, 0);
  b.record(Status.Closing, 0, 0);
  b.record(Status.Timeout, 0, 0);
  assert.equal(b.state, "closed");
  const t = new CircuitBreaker({ minErrors: 1, failureRateThreshold: 1, countTimeouts: true });
  t.record(Status.Timeout, 0, 0);
  assert.equal(t.state, "open");
});

Deno.test("circuit breaker: stragglers sent before it opened are forgiven twice while half-open", () => {
  const b = new CircuitBreaker({ minErrors: 2, failureRateThreshold: 1, openTimeoutMs: 10 });
  b.record(Status.Connection, 50, 0);
  b.record(Status.Connection, 50, 0);
  assert.equal(b.state, "open");
  assert.equal(b.admit(20), undefined);
  b.record(Status.Connection, 40, 21);
  b.record(Status.Connection, 30, 22);
  assert.equal(b.state, "halfOpen", "two stragglers forgiven");
  b.record(Status.Connection, 20, 23);
  assert.equal(b.state, "open", "the third is not");
});

Deno.test("circuit breaker: bad settings are a ConfigurationError", async () => {
  const addresses = [{ host: "127.0.0.1", port: 1 }];
  for (
    const bad of [
      { failureRateThreshold: 0 },
      { failureRateThreshold: 1.5 },
      { minErrors: 0 },
      { consecutiveSuccesses: 1.5 },
      { windowSizeMs: -1 },
      { openTimeoutMs: "5" },
      { countTimeouts: 1 },
    ]
  ) {
    const config = { addresses, lazyConnect: true, clientCircuitBreaker: bad as never };
    assert.throws(() => SyncClient.createClient(config), ConfigurationError, JSON.stringify(bad));
    await assert.rejects(AsyncClient.createClient(config), ConfigurationError);
  }
});

for (const sync of [false, true]) {
  const label = sync ? "sync" : "async";
  Deno.test(`circuit breaker: a server that goes away trips it, requests reject at once, and it closes once the server is back [${label}]`, async () => {
    const server = await startStandalone();
    const config = {
      addresses: [{ host: server.host, port: server.port }],
      requestTimeout: 500,
      connectionBackoff: { numberOfRetries: 2, factor: 20, exponentBase: 2 },
      advancedConfiguration: { connectionTimeout: 300 },
      clientCircuitBreaker: {
        minErrors: 5,
        failureRateThreshold: 0.5,
        openTimeoutMs: 400,
        consecutiveSuccesses: 2,
      },
    };
    const c = sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
    try {
      for (let i = 0; i < 5; i++) assert.equal(await c.set(`k${i}`, "v"), "OK");
      await server.kill("SIGKILL");
      let failures = 0;
      let rejected: unknown;
      for (let i = 0; i < 30 && rejected === undefined; i++) {
        try {
          await c.get("k0");
        } catch (e) {
          if (e instanceof CircuitBreakerError) rejected = e;
          else {
            assert.ok(e instanceof ConnectionError || e instanceof TimeoutError, String(e));
            failures++;
          }
        }
      }
      assert.ok(rejected instanceof CircuitBreakerError, "the breaker opened");
      assert.ok(failures >= 5 && failures <= 10, `opened after ${failures} failures`);
      const started = performance.now();
      for (let i = 0; i < 100; i++) {
        await assert.rejects(async () => await c.get("k0"), CircuitBreakerError);
      }
      assert.ok(performance.now() - started < 100, "open: rejected at once");
      await server.start();
      await sleep(450);
      // Half-open: requests go through again; two successes close it.
      let answered = false;
      for (let i = 0; i < 50 && !answered; i++) {
        try {
          assert.equal(await c.get("k0"), null); // a fresh server
          answered = true;
        } catch (e) {
          assert.ok(!(e instanceof CircuitBreakerError) || i > 0, String(e));
          await sleep(100);
        }
      }
      assert.ok(answered, "the client works again");
      assert.equal(await c.set("k", "after"), "OK");
      assert.equal(await c.get("k"), "after");
    } finally {
      await dispose(c);
      await server.stop();
    }
  });
}

Deno.test("circuit breaker: a cluster client takes the setting and works through it", async () => {
  await using c = await GlideClusterClient.createClient({
    addresses: clusterAddresses(),
    clientCircuitBreaker: { minErrors: 1 },
  });
  assert.equal(await c.set("cb:{x}", "v"), "OK");
  assert.equal(await c.customCommand(["NOSUCHCOMMAND"]).catch(() => "error reply"), "error reply");
  assert.equal(await c.get("cb:{x}"), "v", "an error reply is not a transport failure");
});
