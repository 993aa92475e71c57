/**
 * TLS against real servers on loopback, with certificates made here with openssl: a CA, a
 * server certificate for 127.0.0.1 signed by it, a client certificate (mutual TLS), and an
 * unrelated CA. Each test starts its own TLS server and stops it.
 */

import assert from "node:assert/strict";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { ClosingError, ConfigurationError, RequestError } from "../mod.ts";
import { freePort } from "../tasks/server_process.ts";
import { startStandalone } from "../tasks/servers.ts";

const dir = await Deno.makeTempDir({ prefix: "glide-tls-" });

async function openssl(...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

async function ca(name: string): Promise<void> {
  await openssl("genrsa", "-out", `${name}.key`, "2048");
  await openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    `${name}.key`,
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-out",
    `${name}.crt`,
  );
}

async function signed(name: string, by: string, ext: string): Promise<void> {
  await Deno.writeTextFile(`${dir}/${name}.ext`, ext);
  await openssl("genrsa", "-out", `${name}.key`, "2048");
  await openssl(
    "req",
    "-new",
    "-key",
    `${name}.key`,
    "-subj",
    `/CN=${name}`,
    "-out",
    `${name}.csr`,
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${by}.crt`,
    "-CAkey",
    `${by}.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.crt`,
  );
}

await ca("ca");
await ca("other-ca");
await signed(
  "server",
  "ca",
  "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
);
await signed("client", "ca", "extendedKeyUsage=clientAuth\n");
const pem = (f: string) => Deno.readTextFileSync(`${dir}/${f}`);

/** A TLS-only port (besides the plain one the launcher checks readiness on). */
async function withTlsServer(authClients: boolean, fn: (port: number) => Promise<void>) {
  const tlsPort = freePort();
  const server = await startStandalone({
    args: [
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      `${dir}/server.crt`,
      "--tls-key-file",
      `${dir}/server.key`,
      "--tls-ca-cert-file",
      `${dir}/ca.crt`,
      "--tls-auth-clients",
      authClients ? "yes" : "no",
    ],
  });
  try {
    await fn(tlsPort);
  } finally {
    await server.stop();
  }
}

type Tls = {
  rootCertificates?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecure?: boolean;
};

function config(port: number, tls: Tls) {
  return {
    addresses: [{ host: "127.0.0.1", port }],
    useTLS: true,
    requestTimeout: 2000,
    advancedConfiguration: { connectionTimeout: 2000, tlsAdvancedConfiguration: tls },
  };
}

for (const sync of [false, true]) {
  const name = sync ? "sync" : "async";
  const create = async (port: number, tls: Tls) =>
    sync
      ? SyncClient.createClient(config(port, tls))
      : await AsyncClient.createClient(config(port, tls));

  Deno.test(`TLS: trusted CA connects; an unrelated CA is refused [${name}]`, async () => {
    await withTlsServer(false, async (port) => {
      const c = await create(port, { rootCertificates: pem("ca.crt") });
      try {
        assert.equal(await c.set("tls:k", "secret"), "OK");
        assert.equal(await c.get("tls:k"), "secret");
        const info = await c.customCommand(["CLIENT", "INFO"]) as string;
        assert.match(info, new RegExp(`laddr=127\\.0\\.0\\.1:${port}`), "on the TLS port");
      } finally {
        c.close();
      }
      const started = performance.now();
      await assert.rejects(
        async () => await create(port, { rootCertificates: pem("other-ca.crt") }),
        (e: Error) => {
          assert.ok(e instanceof RequestError || e instanceof ClosingError, String(e));
          return true;
        },
      );
      assert.ok(performance.now() - started < 5000, "refused promptly, no hang");
    });
  });

  Deno.test(`TLS: insecure mode skips verification [${name}]`, async () => {
    await withTlsServer(false, async (port) => {
      const c = await create(port, { insecure: true });
      try {
        assert.equal(await c.ping(), "PONG");
      } finally {
        c.close();
      }
    });
  });

  Deno.test(`TLS: mutual TLS accepted with the client certificate, refused without [${name}]`, async () => {
    await withTlsServer(true, async (port) => {
      const c = await create(port, {
        rootCertificates: pem("ca.crt"),
        clientCertificate: pem("client.crt"),
        clientKey: pem("client.key"),
      });
      try {
        assert.equal(await c.ping(), "PONG");
      } finally {
        c.close();
      }
      await assert.rejects(
        async () => {
          const bare = await create(port, { rootCertificates: pem("ca.crt") });
          try {
            await bare.ping(); // TLS 1.3: the server may refuse only after the handshake
          } finally {
            bare.close();
          }
        },
        (e: Error) => {
          assert.ok(e instanceof RequestError || e instanceof ClosingError, String(e));
          return true;
        },
      );
    });
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
});

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // already gone
  }
});
