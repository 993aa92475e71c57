import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  ConnectionBackoffSchema,
  ConnectionRequestSchema,
  CredentialsSchema,
  NodeAddressSchema,
  TlsConfigurationSchema,
} from "../shared/generated/connection_pb.ts";
import {
  type ConnectionRequestFields,
  encodeConnectionRequest,
} from "../shared/connection_request.ts";

const pem = (s: string) => new TextEncoder().encode(s);

/** Every field set, to values that are not their defaults. */
const FULL: Required<ConnectionRequestFields> = {
  addresses: [{ host: "127.0.0.1", port: 6379 }, { host: "::1", port: 7000 }, {
    host: "h",
    port: 0,
  }],
  clusterMode: true,
  databaseId: 3,
  clientName: "név ✓",
  protocol: 1,
  requestTimeoutMs: 250,
  connectionTimeoutMs: 0x7fff_ffff,
  credentials: { username: "ada", password: "p@ss" },
  connectionBackoff: { numberOfRetries: 5, factorMs: 100, exponentBase: 2, jitterPercent: 20 },
  inflightRequestsLimit: 1000,
  lazyConnect: true,
  useTls: true,
  tls: {
    rootCertificates: [pem("-----BEGIN CERTIFICATE-----"), pem("second")],
    insecure: true,
    clientCertificate: pem("cert"),
    clientKey: pem("key"),
  },
  readFrom: 3,
  clientAz: "us-east-1a",
  periodicChecksIntervalMs: 60_000,
  refreshTopologyFromInitialNodes: true,
  monitor: true,
  libName: "glide-deno(tag)",
  clientTracking: true,
  tcpNodelay: false,
  readOnly: true,
  nodeDiscoveryMode: 2,
  pubsubReconciliationIntervalMs: 3000,
  addressResolver: 0xffff_ffff,
};

/** The bytes protobuf-es encodes from the generated schema. */
function reference(m: ConnectionRequestFields): Uint8Array {
  return toBinary(ConnectionRequestSchema, create(ConnectionRequestSchema, m));
}

function same(m: ConnectionRequestFields, what: string): void {
  assert.deepEqual(encodeConnectionRequest(m), reference(m), what);
}

Deno.test("connection request: the fixture sets every field of every message in the schema", () => {
  const covered: [string, object][] = [
    ["ConnectionRequest", FULL],
    ["NodeAddress", FULL.addresses[0]],
    ["Credentials", FULL.credentials],
    ["ConnectionBackoff", FULL.connectionBackoff],
    ["TlsConfiguration", FULL.tls],
  ];
  const schemas = [
    ConnectionRequestSchema,
    NodeAddressSchema,
    CredentialsSchema,
    ConnectionBackoffSchema,
    TlsConfigurationSchema,
  ];
  assert.equal(
    ConnectionRequestSchema.file.messages.length,
    schemas.length,
    "a new message in connection.proto: cover it here and in connection_request.ts",
  );
  for (const [i, schema] of schemas.entries()) {
    const [name, fixture] = covered[i];
    assert.equal(schema.name, name);
    const fields = schema.fields.map((f) => f.localName).sort();
    assert.deepEqual(Object.keys(fixture).sort(), fields, `${name}'s fields`);
  }
});

Deno.test("connection request: the same bytes as protobuf-es, field by field", () => {
  same(FULL, "every field");
  same({ addresses: [] }, "nothing set");
  // Each field alone, then every field but that one.
  for (const key of Object.keys(FULL) as (keyof ConnectionRequestFields)[]) {
    same({ addresses: [], [key]: FULL[key] }, `${key} alone`);
    const { [key]: _, ...rest } = FULL;
    same({ addresses: [], ...rest }, `all but ${key}`);
  }
  // Defaults: a plain field at its default is not written; an optional one set to it is.
  same({
    addresses: [{ host: "", port: 0 }],
    clusterMode: false,
    databaseId: 0,
    clientName: "",
    protocol: 0,
    requestTimeoutMs: 0,
    connectionTimeoutMs: 0,
    credentials: { password: "" },
    connectionBackoff: { numberOfRetries: 0, factorMs: 0, exponentBase: 0, jitterPercent: 0 },
    tls: { rootCertificates: [], insecure: false, clientCertificate: new Uint8Array() },
    clientAz: "",
    periodicChecksIntervalMs: 0,
    libName: "",
    tcpNodelay: false,
    pubsubReconciliationIntervalMs: 0,
  }, "defaults and explicit zeros");
});
