// What the cluster client sends again after a node connection ends. A command that goes through
// the crate's cluster connection (the link: here, after an ASK) and whose connection ended after
// it was written may have run: it fails with a ConnectionError and is never sent again (an INCR
// would count twice). One handed over after that connection had ended never left the client: it
// is sent over a new connection and answers. Against the hostile server (tests/support), run in a
// Worker so that the sync client, blocking this thread, is still answered; it counts every INCR
// it reads, by key, and answers `asked:<key>` with -ASK the first time.

import assert from "node:assert/strict";
import { GlideClusterClient as AsyncClusterClient } from "../async.ts";
import { GlideClusterClient as SyncClusterClient } from "../sync.ts";
import { ConnectionError } from "../mod.ts";

interface Server {
  port: number;
  received(key: string): Promise<number>;
  close(): void;
}

async function startServer(): Promise<Server> {
  const worker = new Worker(new URL("./support/hostile_worker.ts", import.meta.url), {
    type: "module",
  });
  const next = () =>
    new Promise<{ port?: number; count?: number }>((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
    });
  const { port } = await next();
  return {
    port: port!,
    async received(key) {
      const reply = next();
      worker.postMessage({ type: "received", key });
      return (await reply).count!;
    },
    close: () => worker.terminate(),
  };
}

for (const sync of [false, true]) {
  Deno.test(
    `cluster: a redirected INCR whose connection ends after it was sent runs once; the next goes on a new connection [${
      sync ? "sync" : "async"
    }]`,
    async () => {
      const server = await startServer();
      const config = {
        addresses: [{ host: "127.0.0.1", port: server.port }],
        requestTimeout: 2000,
        periodicChecks: "disabled" as const,
      };
      const client = sync
        ? SyncClusterClient.createClient(config)
        : await AsyncClusterClient.createClient(config);
      try {
        // ASK, then through the link: the server reads it, writes 4 bytes of a reply and closes
        // the connection.
        const lost = "asked:midclose:resend";
        await assert.rejects(
          async () => await client.incr(lost),
          (e) => e instanceof ConnectionError && /not sent again/.test(e.message),
        );
        assert.equal(await server.received(lost), 2, "the INCR was sent again");

        // The link's connection to that node has ended: this one is handed to it, fails without
        // leaving the client, and is sent on a new connection.
        const next = "asked:ok:resend";
        assert.equal(await client.incr(next), 1);
        assert.equal(await server.received(next), 2);
      } finally {
        client.close();
        server.close();
      }
    },
  );
}
