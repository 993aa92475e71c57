/**
 * GLIDE's `addressResolver`: every connection asks it for the address to dial, for the seeds
 * and for every node a cluster's topology names. The tests make addresses only the resolver
 * knows: names that do not resolve, and forwarders (tests/support/forwarder.ts) in front of
 * the servers, so that a connection that skipped the resolver could not have worked, and the
 * forwarders count the connections that went through them.
 */

import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ConfigurationError,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  RequestError,
} from "../mod.ts";
import {
  type AnyClient,
  type AnyClusterClient,
  clusterAddresses,
  dispose,
  disposeCluster,
  key,
  standaloneAddress,
  type Variant,
  VARIANTS,
} from "./harness.ts";
import { Forwarders } from "./support/forwarder.ts";
import { serversUseTls, withServerTls } from "./server_tls.ts";

/**
 * A name that never resolves (RFC 2606); over TLS, `localhost` on a port nothing listens on,
 * as the servers' certificates name it (the certificate is checked against the given name).
 */
const NOWHERE = serversUseTls() ? "localhost" : "valkey.invalid";

/** A client of variant `v` with `extra`, in TLS when the servers under test are. */
async function open(v: Variant, extra: Partial<GlideClientConfiguration>): Promise<AnyClient> {
  const config = withServerTls({
    addresses: [standaloneAddress()],
    protocol: v.protocol,
    requestTimeout: 2000,
    ...extra,
  });
  return v.sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

async function openCluster(
  v: Variant,
  extra: Partial<GlideClusterClientConfiguration>,
): Promise<AnyClusterClient> {
  const config = withServerTls({
    addresses: clusterAddresses(),
    protocol: v.protocol,
    requestTimeout: 2000,
    ...extra,
  });
  return v.sync
    ? SyncClusterClient.createClient(config)
    : await AsyncClusterClient.createClient(config);
}

for (const v of VARIANTS) {
  Deno.test(`addressResolver: a standalone client dials where it says [${v.name}]`, async () => {
    const forwarders = new Forwarders();
    const asked: string[] = [];
    let c: AnyClient | undefined;
    try {
      const fwd = await forwarders.open(standaloneAddress().port);
      c = await open(v, {
        addresses: [{ host: NOWHERE, port: 1 }],
        addressResolver: (host, port) => {
          asked.push(`${host}:${port}`);
          return ["127.0.0.1", fwd.port];
        },
      });
      const k = key("resolver");
      assert.equal(await c.set(k, "v"), "OK");
      assert.equal(await c.get(k), "v");
      assert.deepEqual(asked, [`${NOWHERE}:1`]);
      assert.equal(await forwarders.accepted(fwd.id), 1);
      // Asked again on every connection attempt: cut, and the reconnection asks.
      await forwarders.cut(fwd.id);
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          assert.equal(await c.get(k), "v");
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      assert.ok(asked.length >= 2, `asked ${asked.length} times`);
      assert.ok(await forwarders.accepted(fwd.id) >= 2);
    } finally {
      if (c) await dispose(c);
      await forwarders.close();
    }
  });

  Deno.test(`addressResolver: the cluster's nodes are dialed where it says [${v.name}]`, async () => {
    const nodes = clusterAddresses();
    const forwarders = new Forwarders();
    const to = new Map<number, { id: number; port: number }>();
    const asked = new Set<string>();
    let c;
    try {
      for (const n of nodes) to.set(n.port, await forwarders.open(n.port));
      c = await openCluster(v, {
        addresses: [{ host: NOWHERE, port: nodes[0].port }],
        addressResolver: (host, port) => {
          asked.add(`${host}:${port}`);
          const fwd = to.get(port);
          return fwd ? ["127.0.0.1", fwd.port] : [host, port];
        },
      });
      // Keys on every slot range: every primary is dialed.
      for (let i = 0; i < 60; i++) {
        const k = `${key("resolver")}:${i}`;
        assert.equal(await c.set(k, String(i)), "OK");
        assert.equal(await c.get(k), String(i));
      }
      assert.ok(asked.has(`${NOWHERE}:${nodes[0].port}`), [...asked].join(" "));
      // Every node the topology names was asked about (the announced addresses).
      const announced = [...asked].filter((a) => !a.startsWith(NOWHERE));
      assert.ok(announced.length >= 3, `asked about ${[...asked].join(" ")}`);
      let reached = 0;
      for (const f of to.values()) if (await forwarders.accepted(f.id) > 0) reached++;
      assert.ok(reached >= 3, `${reached} nodes reached through forwarders`);
    } finally {
      if (c) await disposeCluster(c);
      await forwarders.close();
    }
  });

  Deno.test(`addressResolver: throwing or answering nonsense keeps the address [${v.name}]`, async () => {
    const answers: unknown[] = [
      () => {
        throw new Error("resolver down");
      },
      () => ["127.0.0.1", 0],
      () => "127.0.0.1",
      () => ["", 6379],
      () => [NOWHERE, 70000],
    ];
    for (const answer of answers) {
      let calls = 0;
      const c = await open(v, {
        addresses: [standaloneAddress()],
        addressResolver: (_h: string, _p: number) => {
          calls++;
          return (answer as () => [string, number])();
        },
      });
      try {
        assert.equal(await c.ping(), "PONG");
        assert.equal(calls, 1);
      } finally {
        await dispose(c);
      }
    }
  });
}

Deno.test("addressResolver: an async client's may answer with a Promise", async () => {
  if (serversUseTls()) return;
  const forwarders = new Forwarders();
  try {
    const fwd = await forwarders.open(standaloneAddress().port);
    await using c = await AsyncClient.createClient({
      addresses: [{ host: NOWHERE, port: 2 }],
      addressResolver: async (_host, _port) => {
        await new Promise((r) => setTimeout(r, 10));
        return ["127.0.0.1", fwd.port];
      },
    });
    assert.equal(await c.ping(), "PONG");
    assert.equal(await forwarders.accepted(fwd.id), 1);
  } finally {
    await forwarders.close();
  }
});

Deno.test("addressResolver: a sync client cannot be used inside its resolver", () => {
  if (serversUseTls()) return;
  using other = SyncClient.createClient({ addresses: [standaloneAddress()] });
  let inside: unknown;
  using c = SyncClient.createClient({
    addresses: [standaloneAddress()],
    addressResolver: (host, port) => {
      try {
        other.ping();
      } catch (e) {
        inside = e;
      }
      return [host, port];
    },
  });
  assert.equal(c.ping(), "PONG");
  assert.ok(inside instanceof RequestError, String(inside));
  assert.equal(other.ping(), "PONG");
});

Deno.test("addressResolver: one that is not a function is a ConfigurationError", async () => {
  const config = {
    addresses: [standaloneAddress()],
    addressResolver: "127.0.0.1",
  } as unknown as GlideClientConfiguration;
  await assert.rejects(AsyncClient.createClient(config), ConfigurationError);
  assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  await assert.rejects(
    AsyncClusterClient.createClient({ ...config, addresses: clusterAddresses() }),
    ConfigurationError,
  );
});
