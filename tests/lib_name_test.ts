// libName and clientInfoTag: what every connection reports with CLIENT SETINFO LIB-NAME.
import assert from "node:assert/strict";
import { ConfigurationError, GlideClient, ProtocolVersion } from "../mod.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import { standaloneAddress } from "./harness.ts";
import { withServerTls } from "./server_tls.ts";

/** The recording server (tests/support/recording_server.ts) in a Worker of its own. */
async function recorder(): Promise<
  { port: number; commands(): Promise<string[][]>; close(): void }
> {
  const worker = new Worker(new URL("./support/recording_server.ts", import.meta.url), {
    type: "module",
  });
  const next = () =>
    new Promise<{ port?: number; commands?: string[][] }>((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
    });
  const { port } = await next();
  return {
    port: port!,
    async commands() {
      const reply = next();
      worker.postMessage("commands");
      return (await reply).commands!;
    },
    close: () => worker.terminate(),
  };
}

const libNameSent = (commands: string[][]) =>
  commands.find((c) => c[0].toUpperCase() === "CLIENT" && c[2] === "LIB-NAME")?.[3];

for (const sync of [false, true]) {
  const label = sync ? "sync" : "async";
  Deno.test(`libName and clientInfoTag make the name each connection reports [${label}]`, async () => {
    for (
      const [libName, clientInfoTag, expected] of [
        [undefined, undefined, "glide-deno"],
        ["", "", "glide-deno"],
        ["my-lib", undefined, "my-lib"],
        [undefined, "my-app:1.2", "glide-deno(my-app:1.2)"],
        ["my-lib", "fw_2", "my-lib(fw_2)"],
      ] as const
    ) {
      const server = await recorder();
      try {
        const config = {
          addresses: [{ host: "127.0.0.1", port: server.port }],
          protocol: ProtocolVersion.RESP2,
          libName,
          clientInfoTag,
        };
        const c = sync ? SyncClient.createClient(config) : await GlideClient.createClient(config);
        try {
          assert.equal(await c.ping(), "PONG");
        } finally {
          c.close();
        }
        const commands = await server.commands();
        assert.equal(libNameSent(commands), expected, JSON.stringify(commands));
      } finally {
        server.close();
      }
    }
  });
}

Deno.test("libName and clientInfoTag outside printable ASCII, or with parentheses, are a ConfigurationError", async () => {
  const addresses = [{ host: "127.0.0.1", port: 1 }];
  for (
    const bad of [
      { libName: "my lib" },
      { libName: "a(b" },
      { clientInfoTag: "x)" },
      { clientInfoTag: "été" },
      { libName: 5 },
    ]
  ) {
    const config = { addresses, lazyConnect: true, ...bad } as never;
    assert.throws(() => SyncClient.createClient(config), ConfigurationError, JSON.stringify(bad));
    await assert.rejects(GlideClient.createClient(config), ConfigurationError);
  }
});

Deno.test("a server that knows CLIENT SETINFO shows the name; one that does not still connects", async () => {
  await using c = await GlideClient.createClient(
    withServerTls({ addresses: [standaloneAddress()], libName: "probe", clientInfoTag: "t1" }),
  );
  const info = String(await c.customCommand(["CLIENT", "INFO"]));
  // Valkey 7.2+ and Redis 7.2+ show lib-name; Redis 7.0 refuses SETINFO, which is not an error.
  const shown = /lib-name=(\S*)/.exec(info)?.[1];
  if (shown !== undefined) assert.equal(shown, "probe(t1)");
  assert.equal(await c.ping(), "PONG");
});
