/**
 * Transparent compression in GLIDE's stored format: string values written by SET and its kin are
 * compressed by the core (zstd or lz4) and read back decompressed by GET and its kin, so values
 * written by GLIDE's Node, Python, Java or Go clients with compression on read back here, and
 * the reverse. Which commands take part is decided here, once for both clients and batches; the
 * codec runs in the core (`native/src/protocol/compression.rs`).
 * @module
 */

import type { Command } from "./command.ts";
import { ConfigurationError, RequestError } from "./errors.ts";
import { loadCore } from "./native.ts";
import { compressionCounts } from "./statistics.ts";
import { Decoder, type GlideReturnType, type GlideString } from "./values.ts";

/**
 * The compression backend of {@link CompressionConfiguration} (GLIDE's numbering).
 *
 * @example
 * ```ts
 * import { CompressionBackend, GlideClient } from "@glide-deno/glide";
 * const client = await GlideClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 *   compression: { enabled: true, backend: CompressionBackend.LZ4 },
 * });
 * client.close();
 * ```
 */
export enum CompressionBackend {
  /** zstd (the default): one standard zstd frame per value; level 3 unless set. */
  ZSTD = 0,
  /** lz4: the value's length, then one raw LZ4 block; faster, compresses less. */
  LZ4 = 1,
}

/**
 * Transparent compression of values (GLIDE's `CompressionConfiguration`). String values of
 * SET, SETNX, SETEX, PSETEX, MSET, MSETNX and GETSET of at least `minCompressionSize` bytes are
 * stored compressed when that makes them smaller, in GLIDE's format (a 5-byte header `00 01 02`,
 * version `00`, backend id `01` zstd or `02` lz4, then the payload), and GET, GETEX, GETDEL,
 * GETSET, MGET and `SET ... GET` return them decompressed; values stored uncompressed read back
 * as they are. Batches and `customCommand` take part the same way.
 *
 * Commands that read or change a string's bytes on the server (APPEND, GETRANGE, SETRANGE,
 * STRLEN, LCS, SUBSTR, INCR, INCRBY, INCRBYFLOAT, DECR, DECRBY, GETBIT, SETBIT, BITCOUNT,
 * BITPOS, BITFIELD, BITFIELD_RO, BITOP) would see the compressed bytes: as in GLIDE, a client
 * with compression on rejects them with a `RequestError`.
 *
 * @example
 * ```ts
 * import { GlideClient } from "@glide-deno/glide";
 * const client = await GlideClient.createClient({
 *   addresses: [{ host: "127.0.0.1", port: 6379 }],
 *   compression: { enabled: true, minCompressionSize: 128 },
 * });
 * await client.set("doc", JSON.stringify({ items: new Array(100).fill("same") }));
 * console.log((await client.get("doc"))?.length); // the original length
 * client.close();
 * ```
 */
export interface CompressionConfiguration {
  /** Whether values are compressed. Defaults to false. */
  enabled: boolean;
  /** The backend new values are compressed with (any is read back). Defaults to ZSTD. */
  backend?: CompressionBackend;
  /**
   * The compression level: zstd -131072 to 22 (default 3), lz4 -128 to 12 (default 0). lz4
   * runs the same block compressor at every level (the values are readable by every GLIDE
   * client whatever the level).
   */
  compressionLevel?: number;
  /** Values shorter than this many bytes are stored as they are. At least 6; defaults to 64. */
  minCompressionSize?: number;
  /**
   * The largest value, in bytes, a stored compressed value may decompress to: a larger one
   * (a decompression bomb) fails its command with a `RequestError`, without the memory being
   * taken. Defaults to 512 MiB (Valkey's largest string).
   */
  maxDecompressedSize?: number;
}

/** A validated {@link CompressionConfiguration}. @internal */
export interface CompressionSettings {
  /** The backend's id in the stored header: 1 zstd, 2 lz4. */
  readonly backendId: 1 | 2;
  readonly level: number;
  readonly minSize: number;
  readonly maxSize: number;
}

const LEVELS: Record<CompressionBackend, [min: number, max: number, fallback: number]> = {
  [CompressionBackend.ZSTD]: [-131072, 22, 3],
  [CompressionBackend.LZ4]: [-128, 12, 0],
};
const MIN_SIZE = 6; // the header and one byte
const DEFAULT_MAX = 512 * 1024 * 1024;
/** The core's answers from `glide_decompress` that are not a length. */
const NOT_COMPRESSED = 0xffff_ffff;
const TOO_LARGE = 0xffff_fffe;

/** Validates `compression`; undefined when compression is off. @internal */
export function compressionSettings(c: unknown): CompressionSettings | undefined {
  if (c === undefined) return undefined;
  if (typeof c !== "object" || c === null) {
    throw new ConfigurationError("compression must be an object: { enabled, backend, ... }");
  }
  const cfg = c as CompressionConfiguration;
  if (typeof cfg.enabled !== "boolean") {
    throw new ConfigurationError("compression.enabled must be a boolean");
  }
  const backend = cfg.backend ?? CompressionBackend.ZSTD;
  const levels = LEVELS[backend];
  if (levels === undefined) {
    throw new ConfigurationError(
      `compression.backend must be CompressionBackend.ZSTD or LZ4, got ${String(cfg.backend)}`,
    );
  }
  const [low, high, fallback] = levels;
  const level = cfg.compressionLevel ?? fallback;
  if (!Number.isInteger(level) || level < low || level > high) {
    throw new ConfigurationError(
      `compression.compressionLevel must be an integer from ${low} to ${high} for ` +
        `${CompressionBackend[backend]}, got ${String(cfg.compressionLevel)}`,
    );
  }
  const minSize = cfg.minCompressionSize ?? 64;
  if (!Number.isSafeInteger(minSize) || minSize < MIN_SIZE) {
    throw new ConfigurationError(
      `compression.minCompressionSize must be an integer of at least ${MIN_SIZE} bytes`,
    );
  }
  const maxSize = cfg.maxDecompressedSize ?? DEFAULT_MAX;
  if (!Number.isSafeInteger(maxSize) || maxSize <= 0) {
    throw new ConfigurationError("compression.maxDecompressedSize must be a positive integer");
  }
  if (!cfg.enabled) return undefined;
  return {
    backendId: backend === CompressionBackend.ZSTD ? 1 : 2,
    level,
    minSize,
    maxSize: Math.min(maxSize, TOO_LARGE - 1),
  };
}

/** What compression does to one command. */
interface Rule {
  /** argv positions of the values to compress: the first, and the step to the next. */
  readonly values?: readonly [first: number, step: number];
  /** The reply holds one stored value, or an array of them. */
  readonly reply?: "one" | "many";
  /** Why the command is refused while compression is on. */
  readonly refuse?: string;
}

const bytesOnServer = "reads or changes the stored bytes on the server, which are compressed";
const RULES = new Map<string, Rule>([
  ["SET", { values: [2, 0], reply: "one" }], // SET ... GET returns the old value
  ["SETNX", { values: [2, 0] }],
  ["SETEX", { values: [3, 0] }],
  ["PSETEX", { values: [3, 0] }],
  ["MSET", { values: [2, 2] }],
  ["MSETNX", { values: [2, 2] }],
  ["GETSET", { values: [2, 0], reply: "one" }],
  ["GET", { reply: "one" }],
  ["GETEX", { reply: "one" }],
  ["GETDEL", { reply: "one" }],
  ["MGET", { reply: "many" }],
  ...[
    "APPEND",
    "GETRANGE",
    "SETRANGE",
    "STRLEN",
    "LCS",
    "SUBSTR",
    "INCR",
    "INCRBY",
    "INCRBYFLOAT",
    "DECR",
    "DECRBY",
    "GETBIT",
    "SETBIT",
    "BITCOUNT",
    "BITPOS",
    "BITFIELD",
    "BITFIELD_RO",
    "BITOP",
  ].map((name): [string, Rule] => [name, { refuse: bytesOnServer }]),
]);

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

function ruleOf(args: readonly GlideString[]): [string, Rule] | undefined {
  const first = args[0];
  if (first === undefined) return undefined;
  const name = (typeof first === "string" ? first : utf8.decode(first)).toUpperCase();
  const rule = RULES.get(name);
  return rule && [name, rule];
}

/** Scratch room for the core to compress into, grown as needed. */
let scratch = new Uint8Array(4096);

/** `value` as stored: compressed when long enough and that makes it smaller. */
function compressValue(value: GlideString, s: CompressionSettings): GlideString {
  // A string of fewer than minSize/3 UTF-16 units is shorter than minSize bytes: no need to
  // encode it to know.
  const counts = compressionCounts;
  if (typeof value === "string" && value.length * 3 < s.minSize) {
    counts.skipped++;
    return value;
  }
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  if (bytes.length < s.minSize || bytes.length > 0xffff_fff0) {
    counts.skipped++;
    return value;
  }
  const room = bytes.length - 1;
  if (scratch.length < room) scratch = new Uint8Array(Math.max(room, scratch.length * 2));
  const n = loadCore().glide_compress(s.backendId, s.level, bytes, bytes.length, scratch, room);
  if (n === 0) {
    counts.skipped++;
    // Stored as it is: the bytes just encoded, so the request writer does not encode it again.
    return bytes;
  }
  counts.valuesCompressed++;
  counts.originalBytes += bytes.length;
  counts.bytesCompressed += n;
  return scratch.slice(0, n);
}

function compressArgs(
  args: readonly GlideString[],
  [first, step]: readonly [number, number],
  s: CompressionSettings,
): GlideString[] {
  const out = args.slice();
  for (let i = first; i < out.length; i += step) {
    out[i] = compressValue(out[i], s);
    if (step === 0) break;
  }
  return out;
}

/** A stored value as its writer gave it; a value not in GLIDE's format is returned as it is. */
function restoreValue(v: GlideReturnType, s: CompressionSettings, decoder: Decoder): unknown {
  if (!(v instanceof Uint8Array)) return v;
  let bytes = v;
  if (v.length >= 5 && v[0] === 0 && v[1] === 1 && v[2] === 2) {
    const core = loadCore();
    const n = core.glide_decompress(v, v.length, s.maxSize);
    if (n === TOO_LARGE) {
      throw new RequestError(
        `Decompression size limit exceeded: a stored value of ${v.length} bytes decompresses ` +
          `to more than maxDecompressedSize (${s.maxSize} bytes); raise it in the client's ` +
          "compression configuration to read it",
      );
    }
    if (n !== NOT_COMPRESSED) {
      bytes = new Uint8Array(n);
      core.glide_decompressed(bytes, n);
      compressionCounts.valuesDecompressed++;
      compressionCounts.bytesDecompressed += n;
    }
  }
  return decoder === Decoder.Bytes ? bytes : utf8.decode(bytes);
}

/** Restores the stored values of a reply shaped as `kind` says. */
function restore(
  reply: GlideReturnType,
  kind: "one" | "many",
  s: CompressionSettings,
  decoder: Decoder,
): GlideReturnType {
  if (kind === "many" && Array.isArray(reply)) {
    return (reply as GlideReturnType[]).map((v) => restoreValue(v, s, decoder)) as GlideReturnType;
  }
  return restoreValue(reply, s, decoder) as GlideReturnType;
}

/**
 * `cmd` as a client with compression `s` sends it: its values compressed, its reply read as
 * bytes and restored before its shaping, decoded with `decoder` (the one the reply would have
 * had). Throws a `RequestError` for a command compression would break. @internal
 */
export function compressCommand<T>(
  cmd: Command<T>,
  s: CompressionSettings,
  decoder: Decoder,
): Command<T> {
  if (cmd.batch) return compressBatch(cmd, s, decoder);
  const found = ruleOf(cmd.args);
  if (found === undefined) return cmd;
  const [name, rule] = found;
  if (rule.refuse) refuse(name, rule.refuse);
  const args = rule.values ? compressArgs(cmd.args, rule.values, s) : cmd.args;
  const kind = rule.reply;
  if (kind === undefined) return { ...cmd, args };
  const shape = cmd.shape;
  return {
    ...cmd,
    args,
    decoder: Decoder.Bytes,
    shape: (reply) => {
      const v = restore(reply, kind, s, decoder);
      return shape ? shape(v) : v as T;
    },
  };
}

function refuse(name: string, why: string): never {
  throw new RequestError(`Command '${name}' is incompatible with compression: it ${why}`);
}

/** A batch with each of its commands as {@link compressCommand} makes it. */
function compressBatch<T>(cmd: Command<T>, s: CompressionSettings, decoder: Decoder): Command<T> {
  const body = cmd.batch!;
  const commands = body.commands.slice();
  const decoders = body.decoders.slice();
  const restorers: (((v: GlideReturnType) => GlideReturnType) | undefined)[] = [];
  let touched = false;
  for (let i = 0; i < commands.length; i++) {
    const sub = commands[i];
    const found = ruleOf(sub.args);
    if (found === undefined) continue;
    const [name, rule] = found;
    if (rule.refuse) refuse(name, rule.refuse);
    touched = true;
    if (rule.values) commands[i] = { ...sub, args: compressArgs(sub.args, rule.values, s) };
    const kind = rule.reply;
    if (kind === undefined) continue;
    const d = sub.decoder ?? decoders[i] ?? decoder;
    decoders[i] = Decoder.Bytes;
    restorers[i] = (v) => {
      try {
        return restore(v, kind, s, d);
      } catch (e) {
        return e as RequestError; // in the command's place, as a server error would be
      }
    };
  }
  if (!touched) return cmd;
  const shape = cmd.shape;
  return {
    ...cmd,
    batch: { ...body, commands, decoders },
    shape: (reply) => {
      const v = Array.isArray(reply)
        ? (reply as GlideReturnType[]).map((item, i) => {
          const r = restorers[i];
          return r === undefined || item instanceof RequestError ? item : r(item);
        }) as GlideReturnType
        : reply;
      return shape ? shape(v) : v as T;
    },
  };
}
