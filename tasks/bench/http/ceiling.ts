// The HTTP bench's ceiling: the same app with no Valkey client, answering a value it holds (what
// `deno serve --parallel` and the load generator cost on their own, on this machine, now).
const value = "x".repeat(100);

export default {
  fetch(): Response {
    return new Response(value);
  },
} satisfies Deno.ServeDefaultExport;
