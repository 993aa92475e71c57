// A GLIDE Node program as its users write it (tests/node_test.ts). It imports
// `@valkey/valkey-glide`, which the test maps to GLIDE Node itself, then to glide-deno's
// node.ts; both runs must print the same. It lives in the bench workspace, which imports GLIDE
// Node, so that `deno check` checks it against GLIDE's own types. Args: host, standalone port,
// cluster ports (comma), key prefix.
import { Buffer } from "node:buffer";
import {
  ClusterTransaction,
  Decoder,
  GlideClient,
  GlideClientConfiguration,
  GlideClusterClient,
  type PubSubMsg,
  Transaction,
} from "@valkey/valkey-glide";

const [host, port, clusterPorts, prefix] = Deno.args;
const k = (name: string) => `${prefix}:${name}`;
const out: Record<string, unknown> = {};
const received: string[] = [];

const client = await GlideClient.createClient({
  addresses: [{ host, port: Number(port) }],
  requestTimeout: 2000,
  pubsubSubscriptions: {
    channelsAndPatterns: {
      [GlideClientConfiguration.PubSubChannelModes.Exact]: new Set([k("news")]),
    },
    callback: (msg: PubSubMsg) => received.push(String(msg.message)),
  },
});
const publisher = await GlideClient.createClient({ addresses: [{ host, port: Number(port) }] });
const cluster = await GlideClusterClient.createClient({
  addresses: clusterPorts.split(",").map((p) => ({ host, port: Number(p) })),
  requestTimeout: 2000,
});
try {
  await client.set(k("s"), Buffer.from("héllo"));
  const bytes = await client.get(k("s"), { decoder: Decoder.Bytes });
  out.get = [Buffer.isBuffer(bytes), bytes?.toString(), await client.get(k("s"))];
  await client.hset(k("h"), { a: "1", b: "2" });
  out.hgetall = await client.hgetall(k("h"));
  const hbytes = await client.hgetall(k("h"), { decoder: Decoder.Bytes });
  out.hgetallBytes = hbytes.map(({ field, value }) => [String(field), Buffer.isBuffer(value)]);
  await client.zadd(k("z"), { x: 1, y: 2.5 });
  out.zrange = await client.zrangeWithScores(k("z"), { start: 0, end: -1 });
  out.smembers = [...await client.smembers(k("missing"))];
  const tx = new Transaction().set(k("t"), "1").incr(k("t")).get(k("t"));
  out.transaction = await client.exec(tx, true);
  await publisher.publish("first", k("news"));
  for (let i = 0; i < 200 && received.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  out.pubsub = received;
  const ctx = new ClusterTransaction().set(k("{c}a"), "x").get(k("{c}a"));
  out.clusterTransaction = await cluster.exec(ctx, true);
  out.clusterPing = await cluster.customCommand(["PING"], { route: "allPrimaries" });
  out.clusterInfo = Object.keys(
    await cluster.info({ route: "allPrimaries" }) as Record<string, string>,
  ).length;
  const dump = await cluster.dump(k("{c}a"));
  out.dumpIsBuffer = Buffer.isBuffer(dump);
  await client.del([k("s"), k("h"), k("z"), k("t")]);
  await cluster.del([k("{c}a")]);
} finally {
  client.close();
  publisher.close();
  cluster.close();
}
console.log(JSON.stringify(out));
