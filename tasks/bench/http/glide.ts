// The HTTP bench's app with glide-deno: one async client per isolate, one GET per request.
import { GlideClient } from "../../../mod.ts";

const port = Number(Deno.env.get("VALKEY_PORT") ?? 6379);
const client = await GlideClient.createClient({ addresses: [{ host: "127.0.0.1", port }] });

export default {
  async fetch(): Promise<Response> {
    return new Response(String(await client.get("bench:http")));
  },
} satisfies Deno.ServeDefaultExport;
