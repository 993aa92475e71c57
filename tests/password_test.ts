import assert from "node:assert/strict";
import { GlideClient as AsyncClient, GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClient as SyncClient, GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { ConfigurationError, RequestError } from "../mod.ts";
import { startStandalone } from "../tasks/servers.ts";
import { clusterAddresses } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

const OLD = "rotate-old-Pw-1";
const NEW = "rotate-new-Pw-2";

for (const sync of [false, true]) {
  const name = sync ? "sync" : "async";
  const create = (port: number, password?: string) => {
    const config = {
      addresses: [{ host: "127.0.0.1", port }],
      requestTimeout: 2000,
      credentials: password === undefined ? undefined : { password },
    };
    return sync
      ? Promise.resolve(SyncClient.createClient(config))
      : AsyncClient.createClient(config);
  };

  Deno.test(`updateConnectionPassword: rotation, immediate AUTH and reconnects [${name}]`, async () => {
    const server = await startStandalone();
    try {
      const admin = await create(server.port);
      await admin.customCommand(["CONFIG", "SET", "requirepass", OLD]);
      admin.close();
      const c = await create(server.port, OLD);
      const other = await create(server.port, OLD);
      try {
        assert.equal(await c.set("k", "v"), "OK");
        // The password is nowhere in what the client shows of itself.
        for (const shown of [Deno.inspect(c, { depth: 10, showHidden: true }), String(c)]) {
          assert.doesNotMatch(shown, new RegExp(OLD));
        }
        // The server's password changes; the client follows without being recreated.
        await other.customCommand(["CONFIG", "SET", "requirepass", NEW]);
        assert.equal(await c.updateConnectionPassword(NEW), "OK");
        // Its live connection is still authenticated; a killed connection comes back with NEW.
        await other.customCommand(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
        let value: unknown;
        for (let i = 0; i < 50; i++) {
          try {
            value = await c.get("k");
            break;
          } catch (e) {
            assert.ok(e instanceof RequestError, String(e));
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        assert.equal(value, "v", "reconnected with the new password");
        // immediateAuth authenticates now: a wrong password is this call's error, and it never
        // shows in the message.
        await assert.rejects(
          async () => await c.updateConnectionPassword("not-the-password-XYZ", true),
          (e: Error) => {
            assert.ok(e instanceof RequestError, String(e));
            assert.doesNotMatch(e.message, /not-the-password-XYZ/);
            return true;
          },
        );
        assert.equal(await c.updateConnectionPassword(NEW, true), "OK");
        assert.equal(await c.get("k"), "v");
        await assert.rejects(
          async () => await c.updateConnectionPassword(42 as unknown as string),
          ConfigurationError,
        );
      } finally {
        c.close();
        other.close();
      }
    } finally {
      await server.stop();
    }
  });

  Deno.test(`cluster: updateConnectionPassword remakes the node connections [${name}]`, async () => {
    const config = withServerTls({ addresses: clusterAddresses(), requestTimeout: 3000 });
    const admin = sync
      ? SyncClusterClient.createClient(config)
      : await AsyncClusterClient.createClient(config);
    const c = sync
      ? SyncClusterClient.createClient(config)
      : await AsyncClusterClient.createClient(config);
    const user = `rotator-${name}-${Date.now()}`;
    try {
      await admin.customCommand(["ACL", "SETUSER", user, "on", `>${OLD}`, "~*", "+@all"], {
        route: "allNodes",
      });
      const withUser = { ...config, credentials: { username: user, password: OLD } };
      const u = sync
        ? SyncClusterClient.createClient(withUser)
        : await AsyncClusterClient.createClient(withUser);
      try {
        assert.equal(await u.set("{rot}k", "1"), "OK");
        await admin.customCommand(["ACL", "SETUSER", user, "resetpass", `>${NEW}`], {
          route: "allNodes",
        });
        await assert.rejects(
          async () => await u.updateConnectionPassword(OLD, true),
          RequestError,
          "the old password no longer authenticates",
        );
        assert.equal(await u.updateConnectionPassword(NEW, true), "OK");
        assert.equal(await u.get("{rot}k"), "1");
        assert.equal(await u.set("{rot}k", "2"), "OK");
      } finally {
        u.close();
      }
    } finally {
      await admin.customCommand(["ACL", "DELUSER", user], { route: "allNodes" });
      await admin.del(["{rot}k"]);
      admin.close();
      c.close();
    }
  });
}
