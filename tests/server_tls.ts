/**
 * TLS towards the servers under test, for `deno task test --tls`: the task sets
 * GLIDE_TEST_TLS=1, and GLIDE_TEST_TLS_CA (a PEM file the servers' certificates chain to) or
 * GLIDE_TEST_TLS_INSECURE=1. Without them every helper here leaves things as they are. Kept
 * free of other test imports, so that the fixture scripts can use it too.
 */

import type {
  GlideClientConfiguration,
  GlideClusterClientConfiguration,
  TlsAdvancedConfiguration,
} from "../mod.ts";
import type { TlsServerOptions } from "../tasks/server_process.ts";

/** Whether the servers under test speak TLS. */
export function serversUseTls(): boolean {
  return Deno.env.get("GLIDE_TEST_TLS") === "1";
}

function caFile(): string | undefined {
  return Deno.env.get("GLIDE_TEST_TLS_CA") || undefined;
}

function insecure(): boolean {
  return Deno.env.get("GLIDE_TEST_TLS_INSECURE") === "1";
}

/** `config` with the TLS settings of the servers under test added (unchanged without TLS). */
export function withServerTls<
  T extends GlideClientConfiguration | GlideClusterClientConfiguration,
>(config: T): T {
  if (!serversUseTls()) return config;
  const ca = caFile();
  const tls: TlsAdvancedConfiguration = insecure()
    ? { insecure: true }
    : ca
    ? { rootCertificates: Deno.readTextFileSync(ca) }
    : {};
  return {
    ...config,
    useTLS: true,
    advancedConfiguration: { ...config.advancedConfiguration, tlsAdvancedConfiguration: tls },
  };
}

/**
 * How a test's own server must speak for the servers under test to MIGRATE to it: TLS-only, with
 * the certificates of a `--tls` run's servers (undefined without TLS).
 */
export function privateServerTls(): TlsServerOptions | undefined {
  if (!serversUseTls()) return undefined;
  const [certFile, keyFile, caCertFile] = ["CERT", "KEY", "CA"].map((n) =>
    Deno.env.get(`GLIDE_TEST_TLS_${n}`)
  );
  if (!certFile || !keyFile || !caCertFile) {
    throw new Error("a test's own TLS server needs the certificates of the servers `--tls` starts");
  }
  return { certFile, keyFile, caCertFile };
}

/** The `redis-cli` arguments that reach the servers under test. */
export function serverTlsCliArgs(): string[] {
  if (!serversUseTls()) return [];
  const ca = caFile();
  return ["--tls", ...(insecure() ? ["--insecure"] : ca ? ["--cacert", ca] : [])];
}

/** A raw connection to a server under test on 127.0.0.1 (TLS when they speak it). */
export async function connectRaw(port: number): Promise<Deno.Conn> {
  if (!serversUseTls()) return await Deno.connect({ hostname: "127.0.0.1", port });
  const ca = caFile();
  if (insecure() || !ca) {
    throw new Error("a raw TLS connection needs GLIDE_TEST_TLS_CA (use --tls-ca)");
  }
  return await Deno.connectTls({
    hostname: "127.0.0.1",
    port,
    caCerts: [Deno.readTextFileSync(ca)],
  });
}
