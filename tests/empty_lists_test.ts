// An empty list of keys, members or values is sent as GLIDE sends it, and the server judges it:
// never a client-side ConfigurationError, never a hang, on every client (standalone and
// cluster, async and sync, RESP2 and RESP3). Most are the server's "wrong number of arguments".
import assert from "node:assert/strict";
import { BitwiseOperation, ConfigurationError, ListDirection, RequestError } from "../mod.ts";
import { eachBase, keys } from "./harness.ts";

eachBase("empty lists go to the server, which judges them", async (c) => {
  const [k, d] = keys(2, "empty");
  const calls: [string, () => unknown][] = [
    ["del", () => c.del([])],
    ["exists", () => c.exists([])],
    ["unlink", () => c.unlink([])],
    ["touch", () => c.touch([])],
    ["mget", () => c.mget([])],
    ["hmget", () => c.hmget(k, [])],
    ["hdel", () => c.hdel(k, [])],
    ["lpush", () => c.lpush(k, [])],
    ["rpush", () => c.rpush(k, [])],
    ["lpushx", () => c.lpushx(k, [])],
    ["rpushx", () => c.rpushx(k, [])],
    ["blpop", () => c.blpop([], 0.1)],
    ["brpop", () => c.brpop([], 0.1)],
    ["lmpop", () => c.lmpop([], ListDirection.LEFT)],
    ["sadd", () => c.sadd(k, [])],
    ["srem", () => c.srem(k, [])],
    ["smismember", () => c.smismember(k, [])],
    ["sintercard", () => c.sintercard([])],
    ["sinterstore", () => c.sinterstore(d, [])],
    ["sunion", () => c.sunion([])],
    ["sunionstore", () => c.sunionstore(d, [])],
    ["sdiff", () => c.sdiff([])],
    ["sdiffstore", () => c.sdiffstore(d, [])],
    ["zrem", () => c.zrem(k, [])],
    ["zmscore", () => c.zmscore(k, [])],
    ["bzpopmin", () => c.bzpopmin([], 0.1)],
    ["bzpopmax", () => c.bzpopmax([], 0.1)],
    ["zdiff", () => c.zdiff([])],
    ["zdiffstore", () => c.zdiffstore(d, [])],
    ["zintercard", () => c.zintercard([])],
    ["zunionstore", () => c.zunionstore(d, [])],
    ["bitop", () => c.bitop(BitwiseOperation.AND, d, [])],
    ["xdel", () => c.xdel(k, [])],
    ["xack", () => c.xack(k, "g", [])],
    ["hset", () => c.hset(k, {})],
    ["zadd", () => c.zadd(k, {})],
    ["geoadd", () => c.geoadd(k, new Map())],
  ];
  for (const [name, call] of calls) {
    try {
      await call();
    } catch (e) {
      assert.ok(
        e instanceof RequestError && !(e instanceof ConfigurationError),
        `${name}: ${e}`,
      );
    }
  }
  assert.equal(await c.ping(), "PONG", "the client works afterwards");
});
