/**
 * AUTH against private servers started with `--requirepass` (and `--masterauth` on the cluster),
 * with ACL users made through `ACL SETUSER`: password-only and username+password credentials,
 * wrong credentials, a missing permission, re-authentication after the server drops the
 * connection, and the passwords never showing in errors or in what a client exposes. Async and
 * sync; RESP3 and RESP2 (HELLO ... AUTH versus AUTH). Each test starts its own servers and stops
 * them.
 */

import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ClosingError,
  ConnectionError,
  ProtocolVersion,
  RequestError,
  type ServerCredentials,
  ValkeyError,
} from "../mod.ts";
import { testCerts } from "../tasks/certs.ts";
import { RespError } from "../tasks/resp.ts";
import { type Endpoint, launchCluster, ServerProcess } from "../tasks/server_process.ts";
import { VARIANTS } from "./harness.ts";

// Distinctive strings, so a leak cannot be a coincidence.
const ADMIN_PW = "AdminPw-Zq81-DISTINCTIVE-a0f3e9";
const ALICE_PW = "AlicePw-Kx27-DISTINCTIVE-5be1c4";
const READER_PW = "ReaderPw-Wm64-DISTINCTIVE-77d0a2";
const WRONG_PW = "WrongPw-Jv39-DISTINCTIVE-c81f6b";
const SECRETS = [ADMIN_PW, ALICE_PW, READER_PW, WRONG_PW];
const SECRET_PARTS = ["Zq81", "Kx27", "Wm64", "Jv39"];

type AnyAuthClient = AsyncClient | SyncClient | AsyncClusterClient | SyncClusterClient;

interface Kind {
  cluster: boolean;
  sync: boolean;
  protocol: ProtocolVersion;
}

function config(addresses: Endpoint[], protocol: ProtocolVersion, credentials?: ServerCredentials) {
  return {
    addresses,
    protocol,
    credentials,
    requestTimeout: 2000,
    connectionBackoff: { numberOfRetries: 2, factor: 50, exponentBase: 2 },
    advancedConfiguration: { connectionTimeout: 2000 },
  };
}

async function create(
  k: Kind,
  addresses: Endpoint[],
  credentials?: ServerCredentials,
): Promise<AnyAuthClient> {
  const c = config(addresses, k.protocol, credentials);
  if (k.cluster) {
    return k.sync ? SyncClusterClient.createClient(c) : await AsyncClusterClient.createClient(c);
  }
  return k.sync ? SyncClient.createClient(c) : await AsyncClient.createClient(c);
}

async function dispose(c: AnyAuthClient): Promise<void> {
  if (c instanceof AsyncClient || c instanceof AsyncClusterClient) {
    await c[Symbol.asyncDispose]();
  } else {
    c.close();
  }
}

/** ACL WHOAMI (on a random node of the cluster: every connection has the same user). */
async function whoami(c: AnyAuthClient): Promise<string> {
  return String(await (c as AsyncClient).customCommand(["ACL", "WHOAMI"]));
}

/** Sends a command to a node as the admin; throws on an error reply. */
async function admin(node: ServerProcess, args: string[]): Promise<unknown> {
  const reply = await node.command(args);
  if (reply instanceof RespError) throw new Error(`${args.join(" ")}: ${reply.message}`);
  return reply;
}

/** alice may do everything; reader may not write. */
async function addUsers(node: ServerProcess): Promise<void> {
  await admin(node, ["ACL", "SETUSER", "alice", "on", `>${ALICE_PW}`, "~*", "&*", "+@all"]);
  await admin(node, [
    "ACL",
    "SETUSER",
    "reader",
    "on",
    `>${READER_PW}`,
    "~*",
    "&*",
    "+@all",
    "-@write",
  ]);
}

/** JSON of a value, tolerating cycles, bigints and functions. */
function safeJson(v: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(v, (_k, x) => {
      if (typeof x === "bigint") return x.toString();
      if (typeof x === "object" && x !== null) {
        if (seen.has(x)) return "[cycle]";
        seen.add(x);
        if (x instanceof Uint8Array) return new TextDecoder().decode(x);
        if (x instanceof Map) return Object.fromEntries(x);
        if (x instanceof Set) return [...x];
      }
      return x;
    }) ?? "";
  } catch (e) {
    return String(e);
  }
}

/** Every textual view of a client or an error the tests can get at. */
function views(x: unknown): string[] {
  const out = [
    Deno.inspect(x, { depth: Infinity, showHidden: true, getters: true, colors: false }),
    safeJson(x),
  ];
  try {
    out.push(String(x));
  } catch { /* objects without toString */ }
  if (x instanceof Error) out.push(x.message, x.stack ?? "");
  if (typeof x === "object" && x !== null) {
    // Own properties and the accessors up the prototype chain (methods are not values).
    for (let o: object | null = x; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Reflect.ownKeys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, key)!;
        let value: unknown;
        try {
          value = "value" in d ? d.value : d.get?.call(x);
        } catch {
          continue;
        }
        if (typeof value !== "function") out.push(safeJson(value), Deno.inspect(value));
      }
    }
  }
  return out;
}

/** No password (nor a recognisable part of one) appears in any view of `things`. */
function assertNoSecrets(things: unknown[]): void {
  for (const thing of things) {
    for (const text of views(thing)) {
      for (const s of [...SECRETS, ...SECRET_PARTS]) {
        assert.ok(!text.includes(s), `a password shows in: ${text.slice(0, 300)}`);
      }
    }
  }
}

/** The error `fn` throws (sync clients throw, async ones reject), or undefined. */
async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** Retries `fn` until it succeeds or `ms` pass; every failure on the way must be typed. */
async function eventually<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      assert.ok(e instanceof RequestError || e instanceof ClosingError, Deno.inspect(e));
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Creating a client with `credentials` fails with a typed connection error; returns it. */
async function assertRefused(
  k: Kind,
  addresses: Endpoint[],
  credentials: ServerCredentials,
  what: string,
): Promise<unknown> {
  const started = performance.now();
  let error: unknown;
  try {
    const c = await create(k, addresses, credentials);
    await dispose(c);
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `${what}: the client was created`);
  assert.ok(
    error instanceof ConnectionError,
    `${what}: expected a ConnectionError, got ${Deno.inspect(error)}`,
  );
  assert.ok(performance.now() - started < 10_000, `${what}: not refused promptly`);
  return error;
}

/** Without credentials a protected server refuses: at creation, or on the first command. */
async function assertNoCredentialsRefused(k: Kind, addresses: Endpoint[]): Promise<unknown> {
  let error: unknown;
  try {
    const c = await create(k, addresses);
    try {
      await c.get("auth:k");
    } finally {
      await dispose(c);
    }
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ValkeyError, `no credentials: ${Deno.inspect(error)}`);
  assert.ok(error instanceof RequestError, `no credentials: ${Deno.inspect(error)}`);
  assert.match(error.message, /NOAUTH|auth/i);
  return error;
}

const KINDS: Kind[] = VARIANTS.map((v) => ({ cluster: false, sync: v.sync, protocol: v.protocol }));
const label = (k: Kind) =>
  `${k.cluster ? "cluster" : "standalone"}, ${k.sync ? "sync" : "async"} ` +
  (k.protocol === ProtocolVersion.RESP3 ? "RESP3" : "RESP2");

async function withServer(fn: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await ServerProcess.launch({ requirepass: ADMIN_PW });
  try {
    await addUsers(server);
    await fn(server);
  } finally {
    await server.stop();
  }
}

for (const k of KINDS) {
  Deno.test(`AUTH: password and username+password credentials; wrong ones refused [${label(k)}]`, async () => {
    await withServer(async (server) => {
      const addresses = [{ host: server.host, port: server.port }];
      const seen: unknown[] = [];
      const byPassword = await create(k, addresses, { password: ADMIN_PW });
      const alice = await create(k, addresses, { username: "alice", password: ALICE_PW });
      const reader = await create(k, addresses, { username: "reader", password: READER_PW });
      seen.push(byPassword, alice, reader);
      try {
        assert.equal(await whoami(byPassword), "default");
        assert.equal(await byPassword.set("auth:k", "v"), "OK");
        assert.equal(await whoami(alice), "alice");
        assert.equal(await alice.get("auth:k"), "v");
        assert.equal(await alice.set("auth:k", "w"), "OK");
        // A permission the user lacks is the request's error; the client stays usable.
        assert.equal(await whoami(reader), "reader");
        assert.equal(await reader.get("auth:k"), "w");
        const noperm = await caught(async () => await reader.set("auth:k", "x"));
        assert.ok(noperm instanceof RequestError, Deno.inspect(noperm));
        assert.ok(!(noperm instanceof ConnectionError), "NOPERM does not break the connection");
        assert.match(noperm.message, /NOPERM/);
        seen.push(noperm);
        assert.equal(await reader.get("auth:k"), "w");
        assert.equal(await byPassword.get("auth:k"), "w");

        seen.push(
          await assertRefused(k, addresses, { password: WRONG_PW }, "wrong password"),
          await assertRefused(
            k,
            addresses,
            { username: "alice", password: WRONG_PW },
            "wrong password for alice",
          ),
          await assertRefused(
            k,
            addresses,
            { username: "alice", password: ADMIN_PW },
            "another user's password",
          ),
          await assertRefused(
            k,
            addresses,
            { username: "nobody", password: WRONG_PW },
            "an unknown user",
          ),
          await assertNoCredentialsRefused(k, addresses),
        );
        // A user switched off is refused too.
        await admin(server, ["ACL", "SETUSER", "reader", "off"]);
        seen.push(
          await assertRefused(
            k,
            addresses,
            { username: "reader", password: READER_PW },
            "a disabled user",
          ),
        );
        assertNoSecrets(seen);
      } finally {
        await dispose(byPassword);
        await dispose(alice);
        await dispose(reader);
      }
      // After close, still nothing.
      assertNoSecrets(seen);
    });
  });

  Deno.test(`AUTH: re-authenticates when the server drops the connection [${label(k)}]`, async () => {
    await withServer(async (server) => {
      const addresses = [{ host: server.host, port: server.port }];
      const alice = await create(k, addresses, { username: "alice", password: ALICE_PW });
      const byPassword = await create(k, addresses, { password: ADMIN_PW });
      const seen: unknown[] = [alice, byPassword];
      try {
        assert.equal(await alice.set("auth:r", "1"), "OK");
        const id = Number(await (alice as AsyncClient).customCommand(["CLIENT", "ID"]));
        assert.equal(await admin(server, ["CLIENT", "KILL", "ID", `${id}`]), 1);
        // The next commands may fail (typed) until the core reconnects, and AUTHs as alice.
        const value = await eventually(async () => await alice.get("auth:r"));
        assert.equal(value, "1");
        assert.equal(await whoami(alice), "alice");
        const again = Number(await (alice as AsyncClient).customCommand(["CLIENT", "ID"]));
        assert.notEqual(again, id, "a new connection");
        assert.equal(await alice.set("auth:r", "2"), "OK");

        // Every connection of every user dropped at once.
        await admin(server, ["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
        assert.equal(await eventually(async () => await byPassword.get("auth:r")), "2");
        assert.equal(await whoami(byPassword), "default");
        assert.equal(await eventually(async () => await whoami(alice)), "alice");

        // The server restarts (same port, same requirepass; ACL users are gone): the
        // password-only client comes back, alice's reconnects are refused with a typed error.
        await server.kill("SIGKILL");
        await server.start();
        assert.equal(await eventually(async () => await byPassword.get("auth:r")), null);
        assert.equal(await byPassword.set("auth:r", "3"), "OK");
        assert.equal(await whoami(byPassword), "default");
        const refused = await caught(async () => await alice.get("auth:r"));
        assert.ok(
          refused instanceof RequestError || refused instanceof ClosingError,
          Deno.inspect(refused),
        );
        seen.push(refused);
        // Once alice exists again, her client recovers.
        await addUsers(server);
        assert.equal(await eventually(async () => await alice.get("auth:r")), "3");
        assert.equal(await whoami(alice), "alice");
        assertNoSecrets(seen);
      } finally {
        await dispose(alice);
        await dispose(byPassword);
      }
    });
  });
}

for (const sync of [false, true]) {
  // One protocol each, so both AUTH paths run on the cluster too.
  const k: Kind = {
    cluster: true,
    sync,
    protocol: sync ? ProtocolVersion.RESP2 : ProtocolVersion.RESP3,
  };

  Deno.test(`AUTH: --requirepass/--masterauth cluster, ACL users, wrong credentials, dropped connections [${label(k)}]`, async () => {
    const cluster = await launchCluster({ requirepass: ADMIN_PW });
    try {
      for (const node of cluster.nodes) await addUsers(node);
      const addresses = cluster.addresses;
      const seen: unknown[] = [];
      const byPassword = await create(k, addresses, { password: ADMIN_PW });
      const alice = await create(k, addresses, { username: "alice", password: ALICE_PW });
      const reader = await create(k, addresses, { username: "reader", password: READER_PW });
      seen.push(byPassword, alice, reader);
      try {
        // Keys on many slots, so every primary's connection is used.
        for (let i = 0; i < 12; i++) assert.equal(await alice.set(`auth:${i}`, `${i}`), "OK");
        for (let i = 0; i < 12; i++) assert.equal(await byPassword.get(`auth:${i}`), `${i}`);
        for (let i = 0; i < 12; i++) assert.equal(await reader.get(`auth:${i}`), `${i}`);
        assert.equal(await whoami(byPassword), "default");
        assert.equal(await whoami(alice), "alice");
        const users = await (alice as AsyncClusterClient).customCommand(["ACL", "WHOAMI"], {
          route: "allNodes",
        });
        assert.ok(
          Object.values(users as Record<string, string>).every((u) => String(u) === "alice"),
          Deno.inspect(users),
        );
        const noperm = await caught(async () => await reader.set("auth:0", "x"));
        assert.ok(noperm instanceof RequestError, Deno.inspect(noperm));
        assert.match(noperm.message, /NOPERM/);
        seen.push(noperm);
        assert.equal(await reader.get("auth:0"), "0");

        seen.push(
          await assertRefused(k, addresses, { password: WRONG_PW }, "wrong password"),
          await assertRefused(
            k,
            addresses,
            { username: "alice", password: WRONG_PW },
            "wrong password for alice",
          ),
          await assertRefused(
            k,
            addresses,
            { username: "nobody", password: WRONG_PW },
            "an unknown user",
          ),
        );

        // Every node drops alice's connections: she reconnects and AUTHs on each.
        for (const node of cluster.nodes) await admin(node, ["CLIENT", "KILL", "USER", "alice"]);
        for (let i = 0; i < 12; i++) {
          assert.equal(await eventually(async () => await alice.get(`auth:${i}`)), `${i}`);
        }
        assert.equal(await alice.set("auth:0", "after"), "OK");
        assert.equal(await whoami(alice), "alice");
        assertNoSecrets(seen);
      } finally {
        await dispose(byPassword);
        await dispose(alice);
        await dispose(reader);
      }
    } finally {
      await cluster.stop();
    }
  });
}

for (const sync of [false, true]) {
  const k: Kind = { cluster: false, sync, protocol: ProtocolVersion.RESP3 };
  Deno.test(`AUTH over TLS: credentials on a TLS-only server [${label(k)}]`, async () => {
    const certs = await testCerts();
    const server = await ServerProcess.launch({
      requirepass: ADMIN_PW,
      tls: { certFile: certs.serverCert, keyFile: certs.serverKey, caCertFile: certs.caCert },
    });
    try {
      await addUsers(server);
      const tlsConfig = (credentials: ServerCredentials) => ({
        ...config([{ host: server.host, port: server.port }], k.protocol, credentials),
        useTLS: true,
        advancedConfiguration: {
          connectionTimeout: 2000,
          tlsAdvancedConfiguration: { rootCertificates: certs.pem(certs.caCert) },
        },
      });
      const make = async (credentials: ServerCredentials) =>
        sync
          ? SyncClient.createClient(tlsConfig(credentials))
          : await AsyncClient.createClient(tlsConfig(credentials));
      const alice = await make({ username: "alice", password: ALICE_PW });
      const seen: unknown[] = [alice];
      try {
        assert.equal(await whoami(alice), "alice");
        assert.equal(await alice.set("auth:tls", "1"), "OK");
        const id = Number(await alice.customCommand(["CLIENT", "ID"]));
        await admin(server, ["CLIENT", "KILL", "ID", `${id}`]);
        assert.equal(await eventually(async () => await alice.get("auth:tls")), "1");
        assert.equal(await whoami(alice), "alice");
        const wrong = await caught(async () =>
          await make({ username: "alice", password: WRONG_PW })
        );
        assert.ok(wrong instanceof ConnectionError, Deno.inspect(wrong));
        seen.push(wrong);
        assertNoSecrets(seen);
      } finally {
        await dispose(alice);
      }
    } finally {
      await server.stop();
    }
  });
}
