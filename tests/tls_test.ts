/**
 * TLS against real TLS-only servers on loopback (the plain port is disabled), standalone and
 * cluster (`--tls-cluster yes`, 3 primaries with a replica each), async and sync. Certificates
 * come from tasks/certs.ts (openssl): a CA, a server certificate for 127.0.0.1 signed by it, a
 * client certificate (mutual TLS), and an unrelated CA. Each test starts its own servers and
 * stops them.
 */

import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ClosingError,
  ConfigurationError,
  ConnectionError,
  type TlsAdvancedConfiguration,
} from "../mod.ts";
import { testCerts } from "../tasks/certs.ts";
import {
  type Endpoint,
  launchCluster,
  ServerProcess,
  type TlsServerOptions,
} from "../tasks/server_process.ts";

const certs = await testCerts();
const pem = certs.pem;

function serverTls(authClients: boolean): TlsServerOptions {
  return {
    certFile: certs.serverCert,
    keyFile: certs.serverKey,
    caCertFile: certs.caCert,
    authClients,
    clientCertFile: certs.clientCert,
    clientKeyFile: certs.clientKey,
  };
}

/** Starts a TLS-only standalone server or cluster, runs `fn` on its addresses, stops it. */
async function withTlsServers(
  cluster: boolean,
  authClients: boolean,
  fn: (addresses: Endpoint[]) => Promise<void>,
): Promise<void> {
  if (cluster) {
    const c = await launchCluster({ tls: serverTls(authClients) });
    try {
      await fn(c.addresses);
    } finally {
      await c.stop();
    }
  } else {
    const s = await ServerProcess.launch({ tls: serverTls(authClients) });
    try {
      await fn([{ host: s.host, port: s.port }]);
    } finally {
      await s.stop();
    }
  }
}

type AnyTlsClient = AsyncClient | SyncClient | AsyncClusterClient | SyncClusterClient;

function config(addresses: Endpoint[], tls: TlsAdvancedConfiguration) {
  return {
    addresses,
    useTLS: true,
    requestTimeout: 2000,
    connectionBackoff: { numberOfRetries: 1, factor: 50, exponentBase: 2 },
    advancedConfiguration: { connectionTimeout: 2000, tlsAdvancedConfiguration: tls },
  };
}

async function create(
  cluster: boolean,
  sync: boolean,
  addresses: Endpoint[],
  tls: TlsAdvancedConfiguration,
): Promise<AnyTlsClient> {
  const c = config(addresses, tls);
  if (cluster) {
    return sync ? SyncClusterClient.createClient(c) : await AsyncClusterClient.createClient(c);
  }
  return sync ? SyncClient.createClient(c) : await AsyncClient.createClient(c);
}

async function dispose(c: AnyTlsClient): Promise<void> {
  if (c instanceof AsyncClient || c instanceof AsyncClusterClient) {
    await c[Symbol.asyncDispose]();
  } else {
    c.close();
  }
}

/** Rejects after `ms` instead of letting a hang hang the suite. */
async function within<T>(ms: number, what: string, p: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([p(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creating a client (and sending one command, since with TLS 1.3 a server may refuse a client
 * certificate only after the handshake) fails promptly with a connection-family error.
 */
async function assertRefused(
  make: () => Promise<AnyTlsClient>,
  why: string,
): Promise<void> {
  const started = performance.now();
  let error: unknown;
  try {
    await within(15_000, why, async () => {
      const c = await make();
      try {
        await c.ping();
      } finally {
        await dispose(c);
      }
    });
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `${why}: connected anyway`);
  assert.ok(
    error instanceof ConnectionError || error instanceof ClosingError,
    `${why}: expected a ConnectionError or ClosingError, got ${Deno.inspect(error)}`,
  );
  assert.ok((error as Error).message.length > 0, "the error says something");
  const took = performance.now() - started;
  assert.ok(took < 10_000, `${why}: refused after ${Math.round(took)} ms`);
}

/** Writes and reads a few keys (on several slots, on the cluster) and checks the connection. */
async function exercise(c: AnyTlsClient, cluster: boolean, port: number): Promise<void> {
  for (let i = 0; i < 8; i++) {
    assert.equal(await c.set(`tls:${i}`, `v${i}`), "OK");
  }
  for (let i = 0; i < 8; i++) {
    assert.equal(await c.get(`tls:${i}`), `v${i}`);
  }
  assert.equal(await c.del(Array.from({ length: 8 }, (_, i) => `tls:${i}`)), 8);
  if (cluster) {
    const info = await (c as AsyncClusterClient).customCommand(["CLUSTER", "INFO"], {
      route: "randomNode",
    });
    assert.match(String(info), /cluster_state:ok/);
  } else {
    const info = await (c as AsyncClient).customCommand(["CLIENT", "INFO"]) as string;
    assert.match(info, new RegExp(`laddr=127\\.0\\.0\\.1:${port}`), "on the TLS port");
  }
}

for (const cluster of [false, true]) {
  for (const sync of [false, true]) {
    const name = `${cluster ? "cluster" : "standalone"}, ${sync ? "sync" : "async"}`;

    Deno.test(`TLS: trusted CA connects; unrelated CA, system roots refused; insecure connects [${name}]`, async () => {
      await withTlsServers(cluster, false, async (addresses) => {
        const c = await create(cluster, sync, addresses, { rootCertificates: pem(certs.caCert) });
        try {
          await exercise(c, cluster, addresses[0].port);
        } finally {
          await dispose(c);
        }
        // The CA as bytes works the same.
        const bytes = await create(cluster, sync, addresses, {
          rootCertificates: new TextEncoder().encode(pem(certs.caCert)),
        });
        try {
          assert.equal(await bytes.ping(), "PONG");
        } finally {
          await dispose(bytes);
        }
        await assertRefused(
          () => create(cluster, sync, addresses, { rootCertificates: pem(certs.otherCaCert) }),
          "a certificate that does not chain to the given CA",
        );
        await assertRefused(
          () => create(cluster, sync, addresses, {}),
          "a certificate that does not chain to the system roots",
        );
        const insecure = await create(cluster, sync, addresses, { insecure: true });
        try {
          await exercise(insecure, cluster, addresses[0].port);
        } finally {
          await dispose(insecure);
        }
      });
    });

    Deno.test(`TLS: mutual TLS accepted with the client certificate, refused without [${name}]`, async () => {
      await withTlsServers(cluster, true, async (addresses) => {
        const c = await create(cluster, sync, addresses, {
          rootCertificates: pem(certs.caCert),
          clientCertificate: pem(certs.clientCert),
          clientKey: pem(certs.clientKey),
        });
        try {
          await exercise(c, cluster, addresses[0].port);
        } finally {
          await dispose(c);
        }
        await assertRefused(
          () => create(cluster, sync, addresses, { rootCertificates: pem(certs.caCert) }),
          "no client certificate",
        );
        await assertRefused(
          () => create(cluster, sync, addresses, { insecure: true }),
          "insecure mode, no client certificate",
        );
      });
    });
  }
}

for (const sync of [false, true]) {
  const name = sync ? "sync" : "async";

  Deno.test(`TLS: a certificate for another host name is refused [${name}]`, async () => {
    const server = await ServerProcess.launch({
      tls: {
        certFile: certs.misnamedCert,
        keyFile: certs.misnamedKey,
        caCertFile: certs.caCert,
        clientCertFile: certs.clientCert,
        clientKeyFile: certs.clientKey,
        serverName: "other.invalid",
      },
    });
    try {
      const addresses = [{ host: server.host, port: server.port }];
      await assertRefused(
        () => create(false, sync, addresses, { rootCertificates: pem(certs.caCert) }),
        "a trusted certificate for another name",
      );
      // Insecure mode skips the name check as well.
      const c = await create(false, sync, addresses, { insecure: true });
      try {
        assert.equal(await c.ping(), "PONG");
      } finally {
        await dispose(c);
      }
    } finally {
      await server.stop();
    }
  });

  Deno.test(`TLS: useTLS on a plain port, and plain on a TLS port, fail promptly [${name}]`, async () => {
    const plain = await ServerProcess.launch();
    const tls = await ServerProcess.launch({ tls: serverTls(false) });
    try {
      await assertRefused(
        () => create(false, sync, [{ host: plain.host, port: plain.port }], { insecure: true }),
        "TLS to a plain server",
      );
      await assertRefused(async () => {
        const c = { addresses: [{ host: tls.host, port: tls.port }], requestTimeout: 2000 };
        return sync ? SyncClient.createClient(c) : await AsyncClient.createClient(c);
      }, "plain to a TLS-only server");
    } finally {
      await plain.stop();
      await tls.stop();
    }
  });
}

Deno.test("TLS settings without useTLS are a ConfigurationError", async () => {
  await assert.rejects(
    () =>
      AsyncClient.createClient({
        addresses: [{ host: "127.0.0.1", port: 1 }],
        advancedConfiguration: { tlsAdvancedConfiguration: { insecure: true } },
      }),
    ConfigurationError,
  );
  assert.throws(
    () =>
      SyncClusterClient.createClient({
        addresses: [{ host: "127.0.0.1", port: 1 }],
        useTLS: false,
        advancedConfiguration: { tlsAdvancedConfiguration: { rootCertificates: "x" } },
      }),
    ConfigurationError,
  );
});
