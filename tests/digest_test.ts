import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { hex, hmacSha256, sha1, sha256 } from "../shared/digest.ts";

/** Inputs around the block and padding edges, text of every width, and random bytes. */
function inputs(): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = ["", "abc", "héllo wörld ✓ 日本 🎉", "x".repeat(1000)];
  for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1_000, 70_000]) {
    const bytes = new Uint8Array(n);
    crypto.getRandomValues(bytes.subarray(0, Math.min(n, 65_536)));
    out.push(bytes);
  }
  return out;
}

Deno.test("digest: SHA-1 and SHA-256 agree with node:crypto", () => {
  for (const data of inputs()) {
    assert.equal(hex(sha1(data)), createHash("sha1").update(data).digest("hex"));
    assert.equal(hex(sha256(data)), createHash("sha256").update(data).digest("hex"));
  }
  // FIPS 180 examples.
  assert.equal(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(
    hex(sha256("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("digest: HMAC-SHA-256 agrees with node:crypto, short and long keys", () => {
  const keys: (string | Uint8Array)[] = [
    "",
    "key",
    "k".repeat(64),
    "k".repeat(65),
    new Uint8Array(200),
  ];
  for (const key of keys) {
    for (const data of inputs()) {
      assert.equal(
        hex(hmacSha256(key, data)),
        createHmac("sha256", key).update(data).digest("hex"),
      );
    }
  }
});
