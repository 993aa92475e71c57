// The HTTP bench's app with node-redis: one client per isolate, one GET per request.
import { createClient } from "redis";

const port = Number(Deno.env.get("VALKEY_PORT") ?? 6379);
const client = createClient({ socket: { host: "127.0.0.1", port } });
await client.connect();

export default {
  async fetch(): Promise<Response> {
    return new Response(String(await client.get("bench:http")));
  },
} satisfies Deno.ServeDefaultExport;
