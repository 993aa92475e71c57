/**
 * IAM authentication (`credentials: { username, iamConfig }`): the token is SigV4 as AWS
 * computes it (AWS's published presigned-URL example, and AWS's own JS signer with the same
 * clock and credentials), and against a real server whose ACL user has the token the client will
 * send as its password, the client connects, refreshes on demand and on its interval, and
 * reconnects with the newest token.
 */

import assert from "node:assert/strict";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import {
  ConfigurationError,
  type GlideClientConfiguration,
  type GlideClusterClientConfiguration,
  type IamAuthConfig,
  ServiceType,
} from "../mod.ts";
import { type AwsCredentials, iamClock, iamToken, presignQuery } from "../shared/iam.ts";
import {
  type AnyClient,
  type AnyClusterClient,
  clusterAddresses,
  dispose,
  disposeCluster,
  standaloneAddress,
  type Variant,
  VARIANTS,
} from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const CREDS: AwsCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

Deno.test("iam: SigV4 presigning matches AWS's published example", () => {
  // "Authenticating Requests: Using Query Parameters", GET of examplebucket/test.txt.
  const query = presignQuery({
    host: "examplebucket.s3.amazonaws.com",
    path: "/test.txt",
    query: [],
    region: "us-east-1",
    service: "s3",
    credentials: {
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    now: new Date(Date.UTC(2013, 4, 24)),
    expires: 86400,
    payloadHash: "UNSIGNED-PAYLOAD",
  });
  assert.match(
    query,
    /X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404$/,
  );
});

for (
  const [label, creds, user] of [
    ["long-term credentials", CREDS, "app"],
    ["a session token, a user name to escape", {
      ...CREDS,
      sessionToken: "FwoGZXIvYXdzE//session+token=",
    }, "app user/1"],
  ] as const
) {
  Deno.test(`iam: the token is what AWS's own signer makes (${label})`, async () => {
    const now = new Date(Date.UTC(2026, 11, 7, 6, 30, 15));
    for (const service of [ServiceType.Elasticache, ServiceType.MemoryDB]) {
      const config = { clusterName: "my-cluster", service, region: "eu-west-3" };
      const token = iamToken(config, user, creds, now);
      const signer = new SignatureV4({
        service: service === ServiceType.Elasticache ? "elasticache" : "memorydb",
        region: "eu-west-3",
        credentials: creds,
        sha256: Sha256,
      });
      const signed = await signer.presign({
        method: "GET",
        protocol: "https:",
        hostname: "my-cluster",
        path: "/",
        query: { Action: "connect", User: user },
        headers: { host: "my-cluster" },
      }, { expiresIn: 900, signingDate: now });
      assert.ok(token.startsWith("my-cluster/?Action=connect&User="), token);
      const ours = new URLSearchParams(token.slice("my-cluster/?".length));
      const theirs = signed.query as Record<string, string>;
      assert.deepEqual(Object.fromEntries(ours), theirs);
    }
  });
}

/** Sets the AWS variables of the environment for `fn`, then puts them back. */
async function withEnv(vars: Record<string, string | undefined>, fn: () => Promise<void>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  const set = (vs: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vs)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  };
  set(vars);
  try {
    await fn();
  } finally {
    set(saved);
  }
}

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  AWS_SESSION_TOKEN: undefined,
};

const IAM: IamAuthConfig = {
  clusterName: "glide-deno-test",
  service: ServiceType.Elasticache,
  region: "us-east-1",
};

/** Admin access to set the ACL user's password on every server of a kind. */
interface Admin {
  acl(args: string[]): Promise<void>;
  kill(user: string): Promise<void>;
  close(): Promise<void>;
}

async function admin(cluster: boolean): Promise<Admin> {
  if (cluster) {
    const c = await AsyncClusterClient.createClient(
      withServerTls({ addresses: clusterAddresses(), requestTimeout: 2000 }),
    );
    return {
      acl: async (args) => void await c.customCommand(["ACL", ...args], { route: "allNodes" }),
      kill: async (user) =>
        void await c.customCommand(["CLIENT", "KILL", "USER", user], { route: "allNodes" }),
      close: () => c.close() as unknown as Promise<void>,
    };
  }
  const c = await AsyncClient.createClient(
    withServerTls({ addresses: [standaloneAddress()], requestTimeout: 2000 }),
  );
  return {
    acl: async (args) => void await c.customCommand(["ACL", ...args]),
    kill: async (user) => void await c.customCommand(["CLIENT", "KILL", "USER", user]),
    close: () => c.close() as unknown as Promise<void>,
  };
}

async function openIam(
  v: Variant,
  cluster: boolean,
  user: string,
  iamConfig: IamAuthConfig,
): Promise<AnyClient | AnyClusterClient> {
  const base = {
    protocol: v.protocol,
    requestTimeout: 2000,
    credentials: { username: user, iamConfig },
  };
  if (cluster) {
    const config = withServerTls<GlideClusterClientConfiguration>({
      addresses: clusterAddresses(),
      ...base,
    });
    return v.sync
      ? SyncClusterClient.createClient(config)
      : await AsyncClusterClient.createClient(config);
  }
  const config = withServerTls<GlideClientConfiguration>({
    addresses: [standaloneAddress()],
    ...base,
  });
  return v.sync ? SyncClient.createClient(config) : await AsyncClient.createClient(config);
}

async function close(c: AnyClient | AnyClusterClient): Promise<void> {
  if (c instanceof AsyncClusterClient || c instanceof SyncClusterClient) await disposeCluster(c);
  else await dispose(c);
}

/** Commands work, also after the server dropped the client's connections (a reconnect). */
async function works(c: AnyClient | AnyClusterClient, a: Admin, user: string): Promise<void> {
  assert.equal(await c.ping(), "PONG");
  await a.kill(user);
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      assert.equal(await c.ping(), "PONG");
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 7, minute, 0));

for (const cluster of [false, true]) {
  for (const v of VARIANTS) {
    const name = `${cluster ? "cluster" : "standalone"} ${v.name}`;
    Deno.test(`iam: connects, refreshes on demand and on its interval [${name}]`, async () => {
      const user = `iam-${crypto.randomUUID().slice(0, 8)}`;
      const a = await admin(cluster);
      const clock = iamClock.now;
      let c: AnyClient | AnyClusterClient | undefined;
      try {
        await withEnv(AWS_ENV, async () => {
          iamClock.now = () => at(0);
          const first = iamToken(IAM, user, CREDS, at(0));
          await a.acl(["SETUSER", user, "on", `>${first}`, "~*", "+@all"]);
          c = await openIam(v, cluster, user, { ...IAM, refreshIntervalSeconds: 1 });
          await works(c, a, user);

          // On demand: the server knows only the next token; re-authenticating with it works.
          iamClock.now = () => at(5);
          await a.acl(["SETUSER", user, "resetpass", `>${iamToken(IAM, user, CREDS, at(5))}`]);
          assert.equal(await c.refreshIamToken(), "OK");
          await works(c, a, user);

          // On its interval (1 s): the token of the clock's new time, without a call.
          iamClock.now = () => at(10);
          await a.acl(["SETUSER", user, "resetpass", `>${iamToken(IAM, user, CREDS, at(10))}`]);
          await new Promise((r) => setTimeout(r, 1500));
          await works(c, a, user);
        });
      } finally {
        iamClock.now = clock;
        if (c) await close(c);
        await a.acl(["DELUSER", user]);
        await a.close();
      }
    });
  }
}

Deno.test("iam: credentials come from the shared credentials file's profile too", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/credentials`;
  await Deno.writeTextFile(
    file,
    "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n\n" +
      "[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n",
  );
  const a = await admin(false);
  const user = `iam-${crypto.randomUUID().slice(0, 8)}`;
  const clock = iamClock.now;
  try {
    await withEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_SHARED_CREDENTIALS_FILE: file,
      AWS_PROFILE: "ci",
    }, async () => {
      iamClock.now = () => at(20);
      const token = iamToken(
        IAM,
        user,
        { accessKeyId: "AKIDPROFILE", secretAccessKey: "secret" },
        at(20),
      );
      await a.acl(["SETUSER", user, "on", `>${token}`, "+ping"]);
      await using c = await AsyncClient.createClient(withServerTls({
        addresses: [standaloneAddress()],
        credentials: { username: user, iamConfig: IAM },
      }));
      assert.equal(await c.ping(), "PONG");
    });
  } finally {
    iamClock.now = clock;
    await a.acl(["DELUSER", user]);
    await a.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iam: missing credentials and bad settings are ConfigurationErrors", async () => {
  await withEnv({
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
  }, async () => {
    const config = {
      addresses: [standaloneAddress()],
      credentials: { username: "u", iamConfig: IAM },
    };
    await assert.rejects(AsyncClient.createClient(config), (e: Error) => {
      assert.ok(e instanceof ConfigurationError);
      assert.match(e.message, /AWS_ACCESS_KEY_ID/);
      return true;
    });
    assert.throws(() => SyncClient.createClient(config), ConfigurationError);
  });
  await withEnv(AWS_ENV, async () => {
    const bad: unknown[] = [
      { iamConfig: IAM },
      { username: "u", iamConfig: { ...IAM, service: "S3" } },
      { username: "u", iamConfig: { ...IAM, clusterName: "" } },
      { username: "u", iamConfig: { ...IAM, refreshIntervalSeconds: 0 } },
      { username: "u", iamConfig: { ...IAM, refreshIntervalSeconds: 43200 } },
      { username: "u", password: "p", iamConfig: IAM },
    ];
    for (const credentials of bad) {
      const config = { addresses: [standaloneAddress()], credentials } as GlideClientConfiguration;
      await assert.rejects(
        AsyncClient.createClient(config),
        ConfigurationError,
        JSON.stringify(credentials),
      );
    }
  });
  await using plain = await AsyncClient.createClient(
    withServerTls({ addresses: [standaloneAddress()] }),
  );
  await assert.rejects(plain.refreshIamToken(), ConfigurationError);
  using sync = SyncClient.createClient(withServerTls({ addresses: [standaloneAddress()] }));
  assert.throws(() => sync.refreshIamToken(), ConfigurationError);
});
