import assert from "node:assert/strict";
import {
  ConfigurationError,
  ConnectionError,
  Decoder,
  type GlideClientConfiguration,
  RequestError,
} from "../mod.ts";
import { GlideClient as AsyncClient } from "../async.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { startStandalone } from "../tasks/servers.ts";
import { dispose, key, standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const kinds = [
  {
    name: "async",
    create: async (c: GlideClientConfiguration) => await AsyncClient.createClient(c),
  },
  {
    name: "sync",
    create: (c: GlideClientConfiguration) => Promise.resolve(SyncClient.createClient(c)),
  },
];

function deadPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

for (const kind of kinds) {
  Deno.test(`defaultDecoder Bytes, overridable per call [${kind.name}]`, async () => {
    const c = await kind.create(withServerTls({
      addresses: [standaloneAddress()],
      defaultDecoder: Decoder.Bytes,
    }));
    try {
      const k = key();
      await c.set(k, "v");
      assert.deepEqual(await c.get(k), new TextEncoder().encode("v"));
      assert.equal(await c.get(k, { decoder: Decoder.String }), "v");
      assert.equal(typeof await c.info(), "string", "INFO is always text");
    } finally {
      await dispose(c);
    }
  });

  Deno.test(`lazyConnect connects on the first command [${kind.name}]`, async () => {
    const lazyDead = await kind.create({
      addresses: [{ host: "127.0.0.1", port: deadPort() }],
      lazyConnect: true,
      advancedConfiguration: { connectionTimeout: 300 },
    });
    try {
      await assert.rejects(async () => await lazyDead.ping(), ConnectionError);
    } finally {
      await dispose(lazyDead);
    }
    const server = await startStandalone();
    const c = await kind.create({
      addresses: [{ host: server.host, port: server.port }],
      lazyConnect: true,
      clientName: "lazy-one",
    });
    try {
      const observer = await kind.create({ addresses: [{ host: server.host, port: server.port }] });
      const clients = await observer.customCommand(["CLIENT", "LIST"]);
      await dispose(observer);
      assert.doesNotMatch(String(clients), /name=lazy-one/, "nothing connected before use");
      assert.equal(await c.ping(), "PONG");
      assert.equal(await c.customCommand(["CLIENT", "GETNAME"]), "lazy-one");
    } finally {
      await dispose(c);
      await server.stop();
    }
  });

  Deno.test(`credentials: password, ACL user, wrong password [${kind.name}]`, async () => {
    const server = await startStandalone();
    const address = { host: server.host, port: server.port };
    try {
      const setup = await kind.create({ addresses: [address] });
      await setup.customCommand(["CONFIG", "SET", "requirepass", "s3cret-pass"]);
      await dispose(setup);
      const c = await kind.create({
        addresses: [address],
        credentials: { password: "s3cret-pass" },
      });
      await c.customCommand([
        "ACL",
        "SETUSER",
        "app",
        "on",
        ">app-pass",
        "~app:*",
        "+get",
        "+set",
        "+ping",
      ]);
      assert.equal(await c.ping(), "PONG");
      await dispose(c);

      const app = await kind.create({
        addresses: [address],
        credentials: { username: "app", password: "app-pass" },
      });
      try {
        assert.equal(await app.set("app:1", "x"), "OK");
        await assert.rejects(async () => await app.set("other:1", "x"), (e: Error) => {
          assert.ok(e instanceof RequestError);
          assert.match(e.message, /NOPERM/);
          return true;
        });
        await assert.rejects(async () => await app.del(["app:1"]), /NOPERM/);
      } finally {
        await dispose(app);
      }

      await assert.rejects(
        async () =>
          await kind.create({ addresses: [address], credentials: { password: "wrong-pass" } }),
        (e: Error) => {
          assert.ok(e instanceof RequestError, `${e}`);
          assert.doesNotMatch(e.message, /wrong-pass/, "the password is not in the message");
          return true;
        },
      );
    } finally {
      await server.stop();
    }
  });
}

Deno.test("advancedConfiguration.tcpNoDelay: either way every client works; a non-boolean is refused", async () => {
  const { GlideClusterClient } = await import("../async.ts");
  const { GlideClusterClient: SyncCluster } = await import("../sync.ts");
  const { clusterAddresses } = await import("./harness.ts");
  for (const tcpNoDelay of [false, true]) {
    const advancedConfiguration = { tcpNoDelay };
    const standalone = withServerTls({ addresses: [standaloneAddress()], advancedConfiguration });
    const cluster = withServerTls({ addresses: clusterAddresses(), advancedConfiguration });
    const clients = [
      await AsyncClient.createClient(standalone),
      SyncClient.createClient(standalone),
      await GlideClusterClient.createClient(cluster),
      SyncCluster.createClient(cluster),
    ];
    try {
      for (const c of clients) {
        const k = key("nodelay");
        assert.equal(await c.set(k, String(tcpNoDelay)), "OK");
        assert.equal(await c.get(k), String(tcpNoDelay));
        await c.del([k]);
      }
    } finally {
      for (const c of clients) c.close();
    }
  }
  const bad = {
    addresses: [standaloneAddress()],
    advancedConfiguration: { tcpNoDelay: "yes" },
  } as unknown as GlideClientConfiguration;
  await assert.rejects(() => AsyncClient.createClient(bad), ConfigurationError);
  assert.throws(() => SyncClient.createClient(bad), ConfigurationError);
});
