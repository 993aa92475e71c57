import assert from "node:assert/strict";
import {
  ClientPauseMode,
  type ClientTrackingInfo,
  ConfigurationError,
  Decoder,
  RequestError,
} from "../mod.ts";
import {
  dispose,
  disposeCluster,
  eachBase,
  key,
  makeClient,
  makeClusterClient,
  VARIANTS,
} from "./harness.ts";
import { ServerProcess } from "../tasks/server_process.ts";
import { serversUseTls } from "./server_tls.ts";

eachBase("clientId", async (c, v) => {
  const id = await c.clientId();
  assert.equal(typeof id, "number");
  assert.ok((id as number) > 0);
  if (!v.cluster) assert.equal(await c.clientId(), id);
});

eachBase("clientGetName without a configured name", async (c) => {
  assert.equal(await c.clientGetName(), null);
  assert.equal(await c.clientGetName({ decoder: Decoder.Bytes }), null);
});

Deno.test("clientGetName with the configured clientName", async () => {
  for (const v of VARIANTS) {
    const c = await makeClient(v, { clientName: "glide-conn" });
    try {
      assert.equal(await c.clientGetName(), "glide-conn");
      assert.deepEqual(
        await c.clientGetName({ decoder: Decoder.Bytes }),
        new TextEncoder().encode("glide-conn"),
      );
    } finally {
      await dispose(c);
    }
    const cc = await makeClusterClient(v, { clientName: "glide-conn" });
    try {
      assert.equal(await cc.clientGetName(), "glide-conn");
      const all = await cc.clientGetName({ route: "allNodes", decoder: Decoder.Bytes });
      const names = Object.values(all as Record<string, Uint8Array>);
      assert.ok(names.length >= 3);
      for (const n of names) assert.deepEqual(n, new TextEncoder().encode("glide-conn"));
    } finally {
      await disposeCluster(cc);
    }
  }
});

eachBase("clientTrackingInfo", async (c, v) => {
  const off = await c.clientTrackingInfo();
  assert.deepEqual(off, { flags: new Set(["off"]), redirect: -1, prefixes: new Set() });
  if (v.cluster) return; // the cluster case, with a route to one node: cluster_server_test.ts
  const id = await c.clientId() as number;
  await c.customCommand([
    "CLIENT",
    "TRACKING",
    "ON",
    "REDIRECT",
    String(id),
    "BCAST",
    "PREFIX",
    "a:",
    "PREFIX",
    "b:",
  ]);
  const on = await c.clientTrackingInfo() as ClientTrackingInfo;
  assert.ok(on.flags.has("on") && on.flags.has("bcast"), [...on.flags].join(","));
  assert.equal(on.redirect, id);
  assert.deepEqual(on.prefixes, new Set(["a:", "b:"]));
  await c.customCommand(["CLIENT", "TRACKING", "OFF"]);
});

eachBase("clientPause and clientUnpause", async (c) => {
  const k = key();
  try {
    // WRITE: reads go on, writes wait for the end of the pause.
    assert.equal(await c.clientPause(400, ClientPauseMode.WRITE), "OK");
    assert.equal(await c.get(k), null);
    let t = performance.now();
    assert.equal(await c.set(k, "v"), "OK");
    assert.ok(performance.now() - t >= 150, `write waited ${performance.now() - t} ms`);

    // ALL (the default): every command waits.
    assert.equal(await c.clientPause(300), "OK");
    t = performance.now();
    assert.equal(await c.get(k), "v");
    assert.ok(performance.now() - t >= 100, `read waited ${performance.now() - t} ms`);

    // UNPAUSE ends a long pause at once.
    assert.equal(
      await c.clientPause(20_000, ClientPauseMode.WRITE, { decoder: Decoder.Bytes }),
      "OK",
    );
    assert.equal(await c.clientUnpause({ decoder: Decoder.Bytes }), "OK");
    t = performance.now();
    assert.equal(await c.set(k, "w"), "OK");
    assert.ok(performance.now() - t < 1000);
    assert.equal(await c.clientUnpause(), "OK");

    await assert.rejects(async () => await c.clientPause(1.5), ConfigurationError);
    await assert.rejects(
      async () => await c.clientPause(10, "NONE" as ClientPauseMode),
      ConfigurationError,
    );
    await assert.rejects(async () => await c.clientPause(-1), RequestError);
  } finally {
    await c.clientUnpause();
  }
});

eachBase("reset", async (c, v) => {
  if (!v.cluster) {
    const k = key();
    await c.customCommand(["SELECT", "6"]);
    await c.set(k, "v");
    assert.equal(await c.get(k), "v");
    assert.equal(await c.reset(), "RESET");
    assert.equal(await c.get(k), null); // back in database 0
    await c.customCommand(["SELECT", "6"]);
    await c.del([k]);
  } else {
    assert.equal(await c.reset(), "RESET");
  }
  assert.equal(await c.ping(), "PONG");
  assert.equal(await c.clientGetName(), null);
});

eachBase("ping and echo", async (c) => {
  assert.equal(await c.ping(), "PONG");
  assert.deepEqual(await c.ping({ message: "m", decoder: Decoder.Bytes }), new Uint8Array([109]));
  assert.equal(await c.echo("e"), "e");
  assert.deepEqual(await c.echo("e", { decoder: Decoder.Bytes }), new Uint8Array([101]));
});

Deno.test("connects to an IPv6 address (::1), every variant", async () => {
  if (serversUseTls()) return; // the TLS test certificates name 127.0.0.1 and localhost
  const server = await ServerProcess.launch({ args: ["--bind", "127.0.0.1", "::1"] });
  try {
    for (const v of VARIANTS) {
      const c = await makeClient(v, { addresses: [{ host: "::1", port: server.port }] });
      try {
        const k = key("ipv6");
        assert.equal(await c.set(k, v.name), "OK");
        assert.equal(await c.get(k), v.name);
        const info = String(await c.customCommand(["CLIENT", "INFO"]));
        assert.match(info, /addr=\[?::1\]?:\d+/, info);
      } finally {
        await dispose(c);
      }
    }
  } finally {
    await server.stop();
  }
});
