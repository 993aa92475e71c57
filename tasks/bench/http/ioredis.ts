// The HTTP bench's app with ioredis: one client per isolate, one GET per request.
import { Redis } from "ioredis";

const port = Number(Deno.env.get("VALKEY_PORT") ?? 6379);
const client = new Redis({ host: "127.0.0.1", port });
await client.ping();

export default {
  async fetch(): Promise<Response> {
    return new Response(String(await client.get("bench:http")));
  },
} satisfies Deno.ServeDefaultExport;
