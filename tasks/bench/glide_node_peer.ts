/**
 * GLIDE's own Node client (`@valkey/valkey-glide`) with compression on, run in a process of its
 * own by tests/compression_test.ts (it lives in the bench workspace, which imports the peers):
 * `set <host> <port> <backend> <key> <value-file>` stores the file's text,
 * `get <host> <port> <backend> <key>` prints the value it reads as JSON.
 */
import { CompressionBackend, GlideClient } from "@valkey/valkey-glide";

const [op, host, port, backend, key, file] = Deno.args;
const client = await GlideClient.createClient({
  addresses: [{ host, port: Number(port) }],
  compression: {
    enabled: true,
    backend: backend === "lz4" ? CompressionBackend.LZ4 : CompressionBackend.ZSTD,
  },
});
try {
  if (op === "set") {
    await client.set(key, await Deno.readTextFile(file));
    console.log(JSON.stringify("OK"));
  } else {
    console.log(JSON.stringify(await client.get(key)));
  }
} finally {
  client.close();
}
