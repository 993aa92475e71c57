import assert from "node:assert/strict";
import { ClientType, ConfigurationError, Decoder, RequestError } from "../mod.ts";
import { dispose, eachClient, key, makeClient, serverRefuses } from "./harness.ts";

eachClient("acl users: setuser, getuser, list, users, dryrun, deluser", async (c) => {
  const user = key("user").replaceAll(":", "_");
  try {
    assert.equal(await c.aclSetUser(user, ["on", "nopass", "~k*", "+get"]), "OK");
    const u = await c.aclGetUser(user);
    assert.ok(u !== null && u.flags.includes("on"));
    assert.equal(u!.keys, "~k*");
    assert.equal(await c.aclGetUser(user + "x"), null);
    assert.ok((await c.aclUsers()).includes(user));
    assert.ok((await c.aclList()).some((l) => l.startsWith(`user ${user} `)));
    assert.equal(await c.aclDryRun(user, ["GET", "k1"]), "OK");
    assert.notEqual(await c.aclDryRun(user, ["SET", "k1", "v"]), "OK");
    assert.equal(await c.aclWhoami(), "default");
    assert.deepEqual(
      await c.aclWhoami({ decoder: Decoder.Bytes }),
      new TextEncoder().encode("default"),
    );
    assert.ok((await c.aclCat()).includes("string"));
    assert.ok((await c.aclCat("string")).includes("get"));
    assert.ok(Array.isArray(await c.aclLog({ count: 1 })));
  } finally {
    assert.equal(await c.aclDelUser([user]), 1);
  }
  // As GLIDE: an empty list is sent, and the server refuses it.
  await serverRefuses(() => c.aclDelUser([]));
});

eachClient("command count, docs, info, list", async (c) => {
  assert.ok(await c.commandCount() > 100);
  const docs = await c.commandDocs(["get"]);
  assert.equal(docs.get.group, "string");
  const [get, none] = await c.commandInfo(["get", "nosuchcommand"]);
  assert.equal(get?.name, "get");
  assert.equal(get?.arity, 2);
  assert.equal(none, null);
  assert.ok((await c.commandList()).includes("get"));
  assert.ok((await c.commandList({ filterBy: { pattern: "hget*" } })).includes("hgetall"));
  assert.ok((await c.commandList({ filterBy: { aclCategory: "string" } })).includes("get"));
});

eachClient("slowlog, role, keys, client list/info/kill", async (c, v) => {
  assert.equal(await c.slowlogReset(), "OK");
  assert.equal(typeof await c.slowlogLen(), "number");
  assert.ok(Array.isArray(await c.slowlogGet(5)));
  assert.equal((await c.role()).role, "master");
  const k = key("keys");
  await c.set(k, "v");
  assert.deepEqual(await c.keys(k), [k]);
  const id = await c.customCommand(["CLIENT", "ID"]);
  assert.equal((await c.clientInfo()).id, String(id));
  const mine = await c.clientList({ ids: [Number(id)] });
  assert.equal(mine.length, 1);
  assert.ok((await c.clientList({ type: ClientType.NORMAL })).length >= 1);
  await assert.rejects(async () => await c.clientKill({ skipMe: true }), ConfigurationError);
  const other = await makeClient(v);
  try {
    const otherId = Number(await other.customCommand(["CLIENT", "ID"]));
    assert.equal(await c.clientKill({ id: otherId }), 1);
    assert.equal(await c.clientKill({ id: otherId }), 0);
  } finally {
    await dispose(other);
  }
  // As GLIDE: sent as it is; the server answers (every command's info, or its error).
  try {
    assert.ok(Array.isArray(await c.commandInfo([])));
  } catch (e) {
    assert.ok(e instanceof RequestError && !(e instanceof ConfigurationError), String(e));
  }
});
