/**
 * Encodes `proto/connection.proto`'s `ConnectionRequest` (what `createClient` hands the core)
 * with protobuf-es's wire writer alone. Its reflection runtime (`create`, `toBinary` over the
 * generated descriptors) would cost every process and isolate about 9 MB of memory to boot the
 * descriptors, for one message per client. `tests/connection_request_test.ts` holds this to the
 * bytes protobuf-es encodes from the generated schema, field by field, so the two cannot drift.
 * @module
 */

import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** `NodeAddress`. @internal */
export interface NodeAddressFields {
  host: string;
  port: number;
}

/**
 * `ConnectionRequest`'s fields, named as protobuf-es names them: absent is the field's default
 * (or, for an `optional` field, not set). @internal
 */
export interface ConnectionRequestFields {
  addresses: NodeAddressFields[];
  clusterMode?: boolean;
  databaseId?: number;
  clientName?: string;
  protocol?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  credentials?: { username?: string; password?: string };
  connectionBackoff?: {
    numberOfRetries?: number;
    factorMs?: number;
    exponentBase?: number;
    jitterPercent?: number;
  };
  inflightRequestsLimit?: number;
  lazyConnect?: boolean;
  useTls?: boolean;
  tls?: {
    rootCertificates?: Uint8Array[];
    insecure?: boolean;
    clientCertificate?: Uint8Array;
    clientKey?: Uint8Array;
  };
  readFrom?: number;
  clientAz?: string;
  periodicChecksIntervalMs?: number;
  refreshTopologyFromInitialNodes?: boolean;
  monitor?: boolean;
  libName?: string;
  clientTracking?: boolean;
  tcpNodelay?: boolean;
  readOnly?: boolean;
  nodeDiscoveryMode?: number;
  pubsubReconciliationIntervalMs?: number;
  addressResolver?: number;
}

/** Writes a varint field: always when `optional` (and set), else only when not 0 (proto3). */
function uint(w: BinaryWriter, field: number, v: number | undefined, optional = false): void {
  if (v === undefined || (!optional && v === 0)) return;
  w.tag(field, WireType.Varint).uint32(v);
}

function bool(w: BinaryWriter, field: number, v: boolean | undefined, optional = false): void {
  if (v === undefined || (!optional && !v)) return;
  w.tag(field, WireType.Varint).bool(v);
}

function text(w: BinaryWriter, field: number, v: string | undefined, optional = false): void {
  if (v === undefined || (!optional && v === "")) return;
  w.tag(field, WireType.LengthDelimited).string(v);
}

function bytes(w: BinaryWriter, field: number, v: Uint8Array | undefined): void {
  if (v !== undefined) w.tag(field, WireType.LengthDelimited).bytes(v);
}

/** A message field: `body` writes its fields. */
function message(w: BinaryWriter, field: number, body: () => void): void {
  w.tag(field, WireType.LengthDelimited).fork();
  body();
  w.join();
}

/** The request's bytes, fields in number order (as protobuf-es writes them). @internal */
export function encodeConnectionRequest(m: ConnectionRequestFields): Uint8Array {
  const w = new BinaryWriter();
  for (const a of m.addresses) {
    message(w, 1, () => {
      text(w, 1, a.host);
      uint(w, 2, a.port);
    });
  }
  bool(w, 2, m.clusterMode);
  uint(w, 3, m.databaseId);
  text(w, 4, m.clientName, true);
  uint(w, 5, m.protocol);
  uint(w, 6, m.requestTimeoutMs, true);
  uint(w, 7, m.connectionTimeoutMs, true);
  const creds = m.credentials;
  if (creds) {
    message(w, 8, () => {
      text(w, 1, creds.username, true);
      text(w, 2, creds.password);
    });
  }
  const backoff = m.connectionBackoff;
  if (backoff) {
    message(w, 9, () => {
      uint(w, 1, backoff.numberOfRetries);
      uint(w, 2, backoff.factorMs);
      uint(w, 3, backoff.exponentBase);
      uint(w, 4, backoff.jitterPercent, true);
    });
  }
  uint(w, 10, m.inflightRequestsLimit);
  bool(w, 11, m.lazyConnect);
  bool(w, 12, m.useTls);
  const tls = m.tls;
  if (tls) {
    message(w, 13, () => {
      for (const cert of tls.rootCertificates ?? []) w.tag(1, WireType.LengthDelimited).bytes(cert);
      bool(w, 2, tls.insecure);
      bytes(w, 3, tls.clientCertificate);
      bytes(w, 4, tls.clientKey);
    });
  }
  uint(w, 14, m.readFrom);
  text(w, 15, m.clientAz, true);
  uint(w, 16, m.periodicChecksIntervalMs, true);
  bool(w, 17, m.refreshTopologyFromInitialNodes);
  bool(w, 18, m.monitor);
  text(w, 19, m.libName);
  bool(w, 20, m.clientTracking);
  bool(w, 21, m.tcpNodelay, true);
  bool(w, 22, m.readOnly);
  uint(w, 23, m.nodeDiscoveryMode);
  uint(w, 24, m.pubsubReconciliationIntervalMs, true);
  uint(w, 25, m.addressResolver);
  return w.finish();
}
