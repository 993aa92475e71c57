/**
 * Throwaway TLS certificates for tests, made with `openssl` in a temp dir: a CA, a server
 * certificate for 127.0.0.1 / localhost signed by it, a client certificate signed by it (mutual
 * TLS), a certificate signed by the CA for another host name only (hostname verification), and
 * a second, unrelated CA (a certificate that does not chain). Made once per process;
 * the dir is removed when the process unloads.
 */

import { join } from "node:path";

/** Paths of the generated PEM files, and their contents. */
export interface TestCerts {
  /** The temp dir holding every file. */
  dir: string;
  /** CA certificate (PEM file path). */
  caCert: string;
  /** CA private key (PEM file path). */
  caKey: string;
  /** Server certificate for IP 127.0.0.1 and DNS localhost, signed by the CA. */
  serverCert: string;
  /** Server private key. */
  serverKey: string;
  /** Client certificate (for mutual TLS), signed by the CA. */
  clientCert: string;
  /** Client private key. */
  clientKey: string;
  /** A server certificate signed by the CA, but for `other.invalid` only (not 127.0.0.1). */
  misnamedCert: string;
  /** Its private key. */
  misnamedKey: string;
  /** An unrelated CA's certificate: the server certificate does not chain to it. */
  otherCaCert: string;
  /** Reads one of the files above as PEM text. */
  pem(path: string): string;
}

let made: Promise<TestCerts> | undefined;

/** The certificates of this process, made on first use. */
export function testCerts(): Promise<TestCerts> {
  return made ??= make();
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(dir, ["genrsa", "-out", `${name}.key`, "2048"]);
  await openssl(dir, [
    "req",
    "-x509",
    "-new",
    "-sha256",
    "-key",
    `${name}.key`,
    "-days",
    "2",
    "-subj",
    `/CN=glide-deno test ${name}`,
    "-out",
    `${name}.crt`,
  ]);
}

async function makeSigned(dir: string, name: string, ca: string, ext: string): Promise<void> {
  await Deno.writeTextFile(join(dir, `${name}.ext`), ext);
  await openssl(dir, ["genrsa", "-out", `${name}.key`, "2048"]);
  await openssl(dir, [
    "req",
    "-new",
    "-key",
    `${name}.key`,
    "-subj",
    `/CN=glide-deno test ${name}`,
    "-out",
    `${name}.csr`,
  ]);
  await openssl(dir, [
    "x509",
    "-req",
    "-sha256",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.crt`,
  ]);
}

async function make(): Promise<TestCerts> {
  const dir = await Deno.makeTempDir({ prefix: "glide-certs-" });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* already gone */ }
  });
  await Promise.all([makeCa(dir, "ca"), makeCa(dir, "other-ca")]);
  // The server certificate is also the nodes' client certificate on the cluster bus and for
  // replication (where the peer always checks it), hence clientAuth too.
  await makeSigned(
    dir,
    "server",
    "ca",
    "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n" +
      "extendedKeyUsage=serverAuth,clientAuth\n",
  );
  await makeSigned(
    dir,
    "misnamed",
    "ca",
    "basicConstraints=CA:FALSE\nsubjectAltName=DNS:other.invalid\n" +
      "extendedKeyUsage=serverAuth,clientAuth\n",
  );
  await makeSigned(dir, "client", "ca", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  const at = (f: string) => join(dir, f);
  return {
    dir,
    caCert: at("ca.crt"),
    caKey: at("ca.key"),
    serverCert: at("server.crt"),
    serverKey: at("server.key"),
    clientCert: at("client.crt"),
    clientKey: at("client.key"),
    misnamedCert: at("misnamed.crt"),
    misnamedKey: at("misnamed.key"),
    otherCaCert: at("other-ca.crt"),
    pem: (path: string) => Deno.readTextFileSync(path),
  };
}
