/**
 * Prints, as JSON, the names `@valkey/valkey-glide` exports at run time (classes, enums,
 * functions, constants): tests/node_test.ts checks which of them `node.ts` provides. It lives in
 * the bench workspace, which imports the peers.
 */
const glide = await import("@valkey/valkey-glide");
console.log(JSON.stringify(Object.keys(glide).sort()));
