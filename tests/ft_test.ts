// GlideFt (the Search module's commands). No server here has the module (valkey-search cannot be
// built offline), so: (1) the exact arguments of every command, from the builders; (2) the reply
// shaping, applied to replies recorded as the module sends them (RESP bytes, decoded the way the
// client decodes them), in RESP2 and RESP3 where they differ; (3) every method end to end through
// the async and the sync GlideClient, RESP2 and RESP3, against a scripted server
// (tests/support/scripted_server.ts) that plays those recorded replies and keeps the bytes it read.
import assert from "node:assert/strict";
import {
  ConfigurationError,
  Decoder,
  type Field,
  type FtAggregateOptions,
  type FtSearchOptions,
  GlideClient,
  GlideFt,
  type GlideReturnType,
  type GlideString,
  ProtocolVersion,
  RequestError,
  SortOrder,
} from "../mod.ts";
import { GlideClient as SyncClient } from "../sync.ts";
import * as ft from "../shared/commands/ft.ts";
import type { Command } from "../shared/command.ts";
import type { PlayedCommand, ScriptedReply } from "./support/scripted_server.ts";

// ---------------------------------------------------------------------------------------------
// RESP writing (recorded replies) and reading (as the core and shared/decode.ts decode them)

const enc = new TextEncoder();
const utf8 = new TextDecoder();
const CRLF = "\r\n";

const join = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
};
const line = (s: string) => enc.encode(s + CRLF);
const bytesOf = (v: GlideString) => (typeof v === "string" ? enc.encode(v) : v);

/** `+text` */
const simple = (s: string) => line(`+${s}`);
/** `$len\r\nbytes` */
const bulk = (v: GlideString) => join(line(`$${bytesOf(v).length}`), bytesOf(v), enc.encode(CRLF));
/** `:n` */
const int = (n: number) => line(`:${n}`);
/** `,d` (RESP3 double) */
const dbl = (n: number) => line(`,${n}`);
/** `*n` and its items */
const arr = (...items: Uint8Array[]) => join(line(`*${items.length}`), ...items);
/** `%n` and its key/value items (RESP3 map) */
const map = (...items: Uint8Array[]) => join(line(`%${items.length / 2}`), ...items);
/** `-message` */
const err = (s: string) => line(`-${s}`);

/** The same bytes in both protocols (the module answers with arrays in both). */
const both = (bytes: Uint8Array): ScriptedReply => ({ resp2: bytes, resp3: bytes });

/** Reads one RESP value as the client's decoding gives it to a shape function. */
function decode(bytes: Uint8Array, decoder = Decoder.String): GlideReturnType {
  let pos = 0;
  const readLine = () => {
    let end = pos;
    while (!(bytes[end] === 13 && bytes[end + 1] === 10)) end++;
    const s = utf8.decode(bytes.subarray(pos, end));
    pos = end + 2;
    return s;
  };
  const str = (b: Uint8Array) => (decoder === Decoder.Bytes ? b.slice() : utf8.decode(b));
  const value = (): GlideReturnType => {
    const l = readLine();
    const rest = l.slice(1);
    switch (l[0]) {
      case "+":
        return rest === "OK" ? "OK" : str(enc.encode(rest));
      case "-":
        return new RequestError(rest);
      case ":":
      case ",":
        return Number(rest);
      case "_":
        return null;
      case "$": {
        const n = Number(rest);
        if (n < 0) return null;
        const b = bytes.subarray(pos, pos + n);
        pos += n + 2;
        return str(b);
      }
      case "*": {
        const n = Number(rest);
        return n < 0 ? null : Array.from({ length: n }, value);
      }
      case "%":
        return Array.from({ length: Number(rest) }, () => {
          const key = value() as GlideString;
          return { key, value: value() };
        });
    }
    throw new Error(`test decoder: unknown RESP line ${l}`);
  };
  return value();
}

/** A builder's shaping applied to a recorded reply. */
function shape<T>(cmd: Command<T>, reply: Uint8Array, decoder = Decoder.String): T {
  const decoded = decode(reply, cmd.decoder ?? decoder);
  return cmd.shape ? cmd.shape(decoded) : decoded as T;
}

/** Arguments as text (binary ones are compared on their own). */
const text = (cmd: Command<unknown>) =>
  cmd.args.map((a) => (typeof a === "string" ? a : utf8.decode(a)));

// ---------------------------------------------------------------------------------------------
// Recorded replies

/** Two float32 vectors of GLIDE's "FT.SEARCH binary on HASH" test: [0, 0] and [0, -1]. */
const VEC0 = new Uint8Array(8);
const VEC1 = new Uint8Array([0, 0, 0, 0, 0, 0, 0x80, 0xbf]);

const R = {
  /** FT.CREATE, FT.DROPINDEX, FT.ALIAS*: valkey-search's ft_create.cc answers a simple OK. */
  ok: both(simple("OK")),

  /** FT._LIST: ft_list.cc, an array of simple strings (integration/test_dbnum.py). */
  list: both(arr(simple("idx"), simple("vectors"))),

  /**
   * FT.SEARCH "*=>[KNN 2 @VEC $query_vec]" over a HASH index: GLIDE's "FT.SEARCH binary on
   * HASH" test (node/tests/ServerModules.test.ts); laid out as valkey-search's ft_search.cc
   * SerializeNeighbors writes it (key, then [score alias, score, field, value ...]).
   */
  knn: both(arr(
    int(2),
    bulk("{v}:0"),
    arr(bulk("__VEC_score"), bulk("0"), bulk("vec"), bulk(VEC0)),
    bulk("{v}:1"),
    arr(bulk("__VEC_score"), bulk("1"), bulk("vec"), bulk(VEC1)),
  )),

  /** FT.SEARCH idx1 race RETURN 6 content AS text_content price AS numeric_content: test_fulltext.py. */
  returned: both(arr(
    int(1),
    bulk("doc:1"),
    arr(bulk("text_content"), bulk("I am going to a race"), bulk("numeric_content"), bulk("100")),
  )),

  /** FT.SEARCH ... NOCONTENT: test_fulltext.py (ft_search.cc SendReplyNoContent: keys only). */
  nocontent: both(arr(int(3), bulk("doc:1"), bulk("doc:2"), bulk("doc:3"))),

  /** FT.SEARCH ... COUNT (or LIMIT 0 0): ft_search.cc HandleEarlyReplyScenarios, the count alone. */
  count: both(arr(int(3))),

  /**
   * FT.SEARCH @price:[1 +inf] SORTBY price ASC WITHSORTKEYS: GLIDE's "FT.SEARCH 1.2 -
   * WITHSORTKEYS on HASH" test (sort keys "#10", "#20", "#30"), laid out as ft_search.cc
   * SerializeNonVectorNeighbors writes it (key, "#" + sort key, fields).
   */
  sortkeys: both(arr(
    int(3),
    bulk("p:1"),
    bulk("#10"),
    arr(bulk("price"), bulk("10"), bulk("name"), bulk("Aardvark")),
    bulk("p:2"),
    bulk("#20"),
    arr(bulk("price"), bulk("20"), bulk("name"), bulk("Mango")),
    bulk("p:3"),
    bulk("#30"),
    arr(bulk("price"), bulk("30"), bulk("name"), bulk("Zebra")),
  )),

  /**
   * FT.AGGREGATE ... GROUPBY 1 @condition REDUCE COUNT 0 AS bicycles: GLIDE's "FT.AGGREGATE on
   * JSON" test, whose module sent the counts as doubles in RESP3 and as strings in RESP2.
   */
  counted: {
    resp2: arr(
      int(3),
      arr(simple("condition"), bulk("new"), simple("bicycles"), bulk("5")),
      arr(simple("condition"), bulk("refurbished"), simple("bicycles"), bulk("1")),
      arr(simple("condition"), bulk("used"), simple("bicycles"), bulk("4")),
    ),
    resp3: arr(
      int(3),
      arr(simple("condition"), bulk("new"), simple("bicycles"), dbl(5)),
      arr(simple("condition"), bulk("refurbished"), simple("bicycles"), dbl(1)),
      arr(simple("condition"), bulk("used"), simple("bicycles"), dbl(4)),
    ),
  },

  /**
   * FT.AGGREGATE ... REDUCE TOLIST 1 __key AS bicycles: glide-core's example of the reply
   * (glide-core/src/client/value_conversion.rs, FTAggregateReturnType); a list as a value.
   */
  tolist: both(arr(
    int(2),
    arr(simple("condition"), bulk("refurbished"), simple("bicycles"), arr(bulk("bicycle:9"))),
    arr(
      simple("condition"),
      bulk("new"),
      simple("bicycles"),
      arr(bulk("bicycle:5"), bulk("bicycle:6")),
    ),
  )),

  /**
   * FT.AGGREGATE without LOAD: GLIDE's "FT.AGGREGATE 1.2" test (two records, no properties),
   * as ft_aggregate.cc GenerateResponse writes it.
   */
  empty: both(arr(int(2), arr(), arr())),

  /**
   * FT.INFO as valkey-search writes it now (src/index_schema.cc IndexSchema::RespondWithInfo,
   * src/attribute.cc, src/indexes/vector_base.cc, vector_hnsw.cc, text.cc), for the index of
   * GLIDE's "FT.INFO ft.info" test (ON JSON PREFIX 1 123, $.vec AS VEC VECTOR HNSW COSINE 42
   * dims, $.name AS name TEXT), created with PUNCTUATION ".," STOPWORDS 2 the a. default_score
   * is a double: `,1` in RESP3, `$1 1` in RESP2; everything else is the same in both.
   */
  info: {
    resp2: infoReply(bulk("1")),
    resp3: infoReply(dbl(1)),
  },

  /**
   * FT.INFO as older modules write it (valkey-search 1.0, MemoryDB): glide-core's example of
   * the reply (value_conversion.rs, FTInfoReturnType), with `fields` and `vector_params`.
   */
  infoFields: both(arr(
    simple("index_name"),
    bulk("957fa3ca-2280-467d-873f-8763a36fbd5a"),
    simple("creation_timestamp"),
    int(1728348101740745),
    simple("key_type"),
    simple("HASH"),
    simple("key_prefixes"),
    arr(bulk("blog:post:")),
    simple("fields"),
    arr(
      arr(
        simple("identifier"),
        bulk("category"),
        simple("field_name"),
        bulk("category"),
        simple("type"),
        simple("TAG"),
        simple("option"),
        simple(""),
      ),
      arr(
        simple("identifier"),
        bulk("vec"),
        simple("field_name"),
        bulk("VEC"),
        simple("type"),
        simple("VECTOR"),
        simple("option"),
        simple(""),
        simple("vector_params"),
        arr(
          simple("algorithm"),
          simple("HNSW"),
          simple("data_type"),
          simple("FLOAT32"),
          simple("dimension"),
          int(2),
        ),
      ),
    ),
  )),

  /** FT.EXPLAIN @price:[0 10]: GLIDE's GlideFt.explain example reply. */
  explain: both(bulk("Field {\n\tprice\n\t0\n\t10\n}")),

  /** FT.EXPLAINCLI @price:[0 10]: GLIDE's GlideFt.explaincli example reply. */
  explaincli: both(arr(bulk("Field {"), bulk("price"), bulk("0"), bulk("10"), bulk("}"))),

  /** FT._ALIASLIST: a map (RESP3) or a flat array (RESP2), as GLIDE's FT._ALIASLIST test reads it. */
  aliaslist: {
    resp2: arr(bulk("alias1"), bulk("index1"), bulk("alias2"), bulk("index2")),
    resp3: map(bulk("alias1"), bulk("index1"), bulk("alias2"), bulk("index2")),
  },

  /** A missing index: src/index_schema.h's error text. */
  missing: both(err("Index with name 'idx' not found in database 0")),
};

/** FT.PROFILE: `[result, [[name, figure] ...]]`, glide-core's example (FTProfileReturnType). */
const profiled = (result: Uint8Array) =>
  arr(
    result,
    arr(
      arr(simple("parse.time"), int(119)),
      arr(simple("all.count"), int(4)),
      arr(simple("sync.time"), int(0)),
    ),
  );
const PROFILE_FIGURES = { "parse.time": 119, "all.count": 4, "sync.time": 0 };

function infoReply(defaultScore: Uint8Array): Uint8Array {
  return arr(
    simple("index_name"),
    simple("idx"),
    simple("index_definition"),
    arr(
      simple("key_type"),
      simple("JSON"),
      simple("prefixes"),
      arr(simple("123")),
      simple("default_score"),
      defaultScore,
      simple("score_field"),
      simple(""),
    ),
    simple("attributes"),
    arr(
      arr(
        simple("identifier"),
        simple("$.vec"),
        simple("attribute"),
        simple("VEC"),
        simple("user_indexed_memory"),
        int(0),
        simple("type"),
        simple("VECTOR"),
        simple("index"),
        arr(
          simple("capacity"),
          int(10240),
          simple("dimensions"),
          int(42),
          simple("distance_metric"),
          simple("COSINE"),
          simple("size"),
          bulk("0"),
          simple("data_type"),
          simple("FLOAT32"),
          simple("algorithm"),
          arr(
            simple("name"),
            simple("HNSW"),
            simple("m"),
            int(16),
            simple("ef_construction"),
            int(200),
            simple("ef_runtime"),
            int(10),
          ),
        ),
      ),
      arr(
        simple("identifier"),
        simple("$.name"),
        simple("attribute"),
        simple("name"),
        simple("user_indexed_memory"),
        int(0),
        simple("type"),
        simple("TEXT"),
        simple("WITH_SUFFIX_TRIE"),
        simple("0"),
        simple("NO_STEM"),
        simple("0"),
        simple("WEIGHT"),
        simple("1"),
      ),
    ),
    simple("num_docs"),
    int(0),
    simple("num_records"),
    int(0),
    simple("total_term_occurrences"),
    int(0),
    simple("num_terms"),
    int(0),
    simple("hash_indexing_failures"),
    bulk("0"),
    simple("backfill_in_progress"),
    bulk("0"),
    simple("backfill_complete_percent"),
    bulk("1.000000"),
    simple("mutation_queue_size"),
    bulk("0"),
    simple("recent_mutations_queue_delay"),
    bulk("0 sec"),
    simple("state"),
    simple("ready"),
    simple("punctuation"),
    simple(".,"),
    simple("stop_words"),
    arr(simple("the"), simple("a")),
    simple("with_offsets"),
    simple("1"),
    simple("min_stem_size"),
    int(4),
    simple("language"),
    simple("english"),
  );
}

/** What `GlideFt.info` returns for R.info (`defaultScore` as the protocol sends it). */
function infoExpected(defaultScore: number | string) {
  return {
    index_name: "idx",
    index_definition: [
      "key_type",
      "JSON",
      "prefixes",
      ["123"],
      "default_score",
      defaultScore,
      "score_field",
      "",
    ],
    attributes: [
      [
        "identifier",
        "$.vec",
        "attribute",
        "VEC",
        "user_indexed_memory",
        0,
        "type",
        "VECTOR",
        "index",
        [
          "capacity",
          10240,
          "dimensions",
          42,
          "distance_metric",
          "COSINE",
          "size",
          "0",
          "data_type",
          "FLOAT32",
          "algorithm",
          ["name", "HNSW", "m", 16, "ef_construction", 200, "ef_runtime", 10],
        ],
      ],
      [
        "identifier",
        "$.name",
        "attribute",
        "name",
        "user_indexed_memory",
        0,
        "type",
        "TEXT",
        "WITH_SUFFIX_TRIE",
        "0",
        "NO_STEM",
        "0",
        "WEIGHT",
        "1",
      ],
    ],
    num_docs: 0,
    num_records: 0,
    total_term_occurrences: 0,
    num_terms: 0,
    hash_indexing_failures: "0",
    backfill_in_progress: "0",
    backfill_complete_percent: "1.000000",
    mutation_queue_size: "0",
    recent_mutations_queue_delay: "0 sec",
    state: "ready",
    punctuation: ".,",
    stop_words: ["the", "a"],
    with_offsets: "1",
    min_stem_size: 4,
    language: "english",
  };
}

const INFO_FIELDS_EXPECTED = {
  index_name: "957fa3ca-2280-467d-873f-8763a36fbd5a",
  creation_timestamp: 1728348101740745,
  key_type: "HASH",
  key_prefixes: ["blog:post:"],
  fields: [
    { identifier: "category", field_name: "category", type: "TAG", option: "" },
    {
      identifier: "vec",
      field_name: "VEC",
      type: "VECTOR",
      option: "",
      vector_params: { algorithm: "HNSW", data_type: "FLOAT32", dimension: 2 },
    },
  ],
};

const KNN_EXPECTED = [2, [
  {
    key: "{v}:0",
    value: [{ key: "__VEC_score", value: "0" }, { key: "vec", value: "\0".repeat(8) }],
  },
  {
    key: "{v}:1",
    value: [{ key: "__VEC_score", value: "1" }, { key: "vec", value: utf8.decode(VEC1) }],
  },
]];

const KNN_EXPECTED_BYTES = [2, [
  {
    key: enc.encode("{v}:0"),
    value: [{ key: enc.encode("__VEC_score"), value: enc.encode("0") }, {
      key: enc.encode("vec"),
      value: VEC0,
    }],
  },
  {
    key: enc.encode("{v}:1"),
    value: [{ key: enc.encode("__VEC_score"), value: enc.encode("1") }, {
      key: enc.encode("vec"),
      value: VEC1,
    }],
  },
]];

const RETURNED_EXPECTED = [1, [{
  key: "doc:1",
  value: [
    { key: "text_content", value: "I am going to a race" },
    { key: "numeric_content", value: "100" },
  ],
}]];

const NOCONTENT_EXPECTED = [3, [
  { key: "doc:1", value: [] },
  { key: "doc:2", value: [] },
  { key: "doc:3", value: [] },
]];

const SORTKEYS_EXPECTED = [3, [
  {
    key: "p:1",
    value: ["#10", [{ key: "price", value: "10" }, { key: "name", value: "Aardvark" }]],
  },
  { key: "p:2", value: ["#20", [{ key: "price", value: "20" }, { key: "name", value: "Mango" }]] },
  { key: "p:3", value: ["#30", [{ key: "price", value: "30" }, { key: "name", value: "Zebra" }]] },
]];

const counted = (n: (v: number) => number | string) => [
  [{ key: "condition", value: "new" }, { key: "bicycles", value: n(5) }],
  [{ key: "condition", value: "refurbished" }, { key: "bicycles", value: n(1) }],
  [{ key: "condition", value: "used" }, { key: "bicycles", value: n(4) }],
];

const TOLIST_EXPECTED = [
  [{ key: "condition", value: "refurbished" }, { key: "bicycles", value: ["bicycle:9"] }],
  [{ key: "condition", value: "new" }, { key: "bicycles", value: ["bicycle:5", "bicycle:6"] }],
];

const ALIASES_EXPECTED = [{ key: "alias1", value: "index1" }, { key: "alias2", value: "index2" }];

// ---------------------------------------------------------------------------------------------
// (1) Arguments

Deno.test("FT.CREATE: index options in GLIDE's order, then every field type and attribute", () => {
  const schema: Field[] = [
    {
      type: "TEXT",
      name: "title",
      alias: "t",
      nostem: true,
      weight: 2.5,
      withsuffixtrie: true,
      sortable: true,
    },
    { type: "TEXT", name: "body", nosuffixtrie: true },
    { type: "TAG", name: "tags", separator: "|", caseSensitive: true, sortable: true },
    { type: "NUMERIC", name: "price", sortable: true },
    {
      type: "VECTOR",
      name: "$.vec",
      alias: "VEC",
      attributes: {
        algorithm: "HNSW",
        dimensions: 1536,
        distanceMetric: "COSINE",
        type: "FLOAT32",
        initialCap: 2048,
        numberOfEdges: 40,
        vectorsExaminedOnConstruction: 250,
        vectorsExaminedOnRuntime: 40,
      },
    },
    {
      type: "VECTOR",
      name: "flat",
      attributes: { algorithm: "FLAT", dimensions: 6, distanceMetric: "L2" },
    },
  ];
  const cmd = ft.create("idx", schema, {
    dataType: "HASH",
    prefixes: ["product:", "item:"],
    score: 1.0,
    language: "english",
    skipInitialScan: true,
    minStemSize: 4,
    withOffsets: true,
    stopWords: ["the", "a", "is"],
    punctuation: ".,;",
  });
  // deno-fmt-ignore
  assert.deepEqual(cmd.args, [
    "FT.CREATE", "idx",
    "ON", "HASH", "PREFIX", "2", "product:", "item:", "SCORE", "1", "LANGUAGE", "english",
    "SKIPINITIALSCAN", "MINSTEMSIZE", "4", "WITHOFFSETS", "STOPWORDS", "3", "the", "a", "is",
    "PUNCTUATION", ".,;",
    "SCHEMA",
    "title", "AS", "t", "TEXT", "NOSTEM", "WEIGHT", "2.5", "WITHSUFFIXTRIE", "SORTABLE",
    "body", "TEXT", "NOSUFFIXTRIE",
    "tags", "TAG", "SEPARATOR", "|", "CASESENSITIVE", "SORTABLE",
    "price", "NUMERIC", "SORTABLE",
    "$.vec", "AS", "VEC", "VECTOR", "HNSW", "14", "DIM", "1536", "DISTANCE_METRIC", "COSINE",
    "TYPE", "FLOAT32", "INITIAL_CAP", "2048", "M", "40", "EF_CONSTRUCTION", "250",
    "EF_RUNTIME", "40",
    "flat", "VECTOR", "FLAT", "6", "DIM", "6", "DISTANCE_METRIC", "L2", "TYPE", "FLOAT32",
  ]);
  assert.equal(cmd.decoder, Decoder.String);
});

Deno.test("FT.CREATE: the other options and the bare forms", () => {
  assert.deepEqual(
    ft.create("i", [{ type: "NUMERIC", name: "n" }], {
      dataType: "JSON",
      noOffsets: true,
      noStopWords: true,
    }).args,
    ["FT.CREATE", "i", "ON", "JSON", "NOOFFSETS", "NOSTOPWORDS", "SCHEMA", "n", "NUMERIC"],
  );
  // No options at all; an empty schema is sent as it is (the server refuses it).
  assert.deepEqual(ft.create("i", [{ type: "TAG", name: "t" }]).args, [
    "FT.CREATE",
    "i",
    "SCHEMA",
    "t",
    "TAG",
  ]);
  assert.deepEqual(ft.create("i", []).args, ["FT.CREATE", "i", "SCHEMA"]);
  // Empty lists are sent with their count of 0, as GLIDE sends them.
  assert.deepEqual(
    ft.create("i", [{ type: "TEXT", name: "x" }], { dataType: "HASH", prefixes: [], stopWords: [] })
      .args,
    ["FT.CREATE", "i", "ON", "HASH", "PREFIX", "0", "STOPWORDS", "0", "SCHEMA", "x", "TEXT"],
  );
  // Binary names go as they are.
  const bin = new Uint8Array([0xff, 0]);
  assert.deepEqual(ft.create(bin, [{ type: "TEXT", name: bin, alias: bin }]).args, [
    "FT.CREATE",
    bin,
    "SCHEMA",
    bin,
    "AS",
    bin,
    "TEXT",
  ]);
});

Deno.test("FT.CREATE: contradicting or malformed options are a ConfigurationError", () => {
  const text: Field[] = [{ type: "TEXT", name: "t" }];
  for (
    const [what, build] of [
      [
        "withOffsets+noOffsets",
        () => ft.create("i", text, { dataType: "HASH", withOffsets: true, noOffsets: true }),
      ],
      [
        "noStopWords+stopWords",
        () => ft.create("i", text, { dataType: "HASH", noStopWords: true, stopWords: ["a"] }),
      ],
      [
        "withsuffixtrie+nosuffixtrie",
        () =>
          ft.create("i", [{ type: "TEXT", name: "t", withsuffixtrie: true, nosuffixtrie: true }]),
      ],
      ["unknown dataType", () => ft.create("i", text, { dataType: "XML" as "HASH" })],
      ["unknown field type", () => ft.create("i", [{ type: "GEO", name: "g" } as never])],
      ["vector without attributes", () => ft.create("i", [{ type: "VECTOR", name: "v" } as never])],
      ["unknown algorithm", () =>
        ft.create("i", [{
          type: "VECTOR",
          name: "v",
          attributes: { algorithm: "IVF", dimensions: 2, distanceMetric: "L2" } as never,
        }])],
      ["unknown metric", () =>
        ft.create("i", [{
          type: "VECTOR",
          name: "v",
          attributes: { algorithm: "FLAT", dimensions: 2, distanceMetric: "HAMMING" as "L2" },
        }])],
      ["fractional dimensions", () =>
        ft.create("i", [{
          type: "VECTOR",
          name: "v",
          attributes: { algorithm: "FLAT", dimensions: 2.5, distanceMetric: "L2" },
        }])],
      ["NaN weight", () => ft.create("i", [{ type: "TEXT", name: "t", weight: NaN }])],
      ["schema not a list", () => ft.create("i", "title" as never)],
      [
        "prefixes not a list",
        () => ft.create("i", text, { dataType: "HASH", prefixes: "p" as never }),
      ],
    ] as const
  ) {
    assert.throws(build, ConfigurationError, what);
  }
});

Deno.test("FT.SEARCH: every option, in GLIDE's order", () => {
  const vector = new Uint8Array([1, 2, 3, 4]);
  const cmd = ft.search("idx", "*=>[KNN 2 @VEC $query_vec]", {
    shardScope: "SOMESHARDS",
    consistency: "INCONSISTENT",
    nocontent: true,
    verbatim: true,
    inorder: true,
    slop: 1,
    returnFields: [{ fieldIdentifier: "$.title", alias: "title" }, { fieldIdentifier: "year" }],
    sortby: "year",
    sortbyOrder: SortOrder.DESC,
    withsortkeys: true,
    timeout: 10000,
    params: [{ key: "query_vec", value: vector }, { key: "n", value: "2" }],
    limit: { offset: 0, count: 5 },
    dialect: 2,
  });
  // deno-fmt-ignore
  assert.deepEqual(cmd.args, [
    "FT.SEARCH", "idx", "*=>[KNN 2 @VEC $query_vec]",
    "SOMESHARDS", "INCONSISTENT", "NOCONTENT", "VERBATIM", "INORDER", "SLOP", "1",
    "RETURN", "4", "$.title", "AS", "title", "year",
    "SORTBY", "year", "DESC", "WITHSORTKEYS", "TIMEOUT", "10000",
    "PARAMS", "4", "query_vec", vector, "n", "2",
    "LIMIT", "0", "5", "DIALECT", "2",
  ]);
  assert.deepEqual(ft.search("idx", "*").args, ["FT.SEARCH", "idx", "*"]);
  assert.deepEqual(ft.search("idx", "*", { count: true, sortby: "p", sortbyOrder: "ASC" }).args, [
    "FT.SEARCH",
    "idx",
    "*",
    "SORTBY",
    "p",
    "ASC",
    "COUNT",
  ]);
  // GLIDE leaves TIMEOUT 0 out (0 is "the server's default"); SLOP 0 and DIALECT are kept.
  assert.deepEqual(ft.search("i", "q", { timeout: 0, slop: 0, dialect: 3 }).args, [
    "FT.SEARCH",
    "i",
    "q",
    "SLOP",
    "0",
    "DIALECT",
    "3",
  ]);
});

Deno.test("FT.SEARCH: option errors are a ConfigurationError", () => {
  for (
    const [what, options] of [
      ["sortbyOrder without sortby", { sortbyOrder: SortOrder.ASC }],
      ["withsortkeys without sortby", { withsortkeys: true }],
      ["limit and count", { limit: { offset: 0, count: 1 }, count: true }],
      ["fractional slop", { slop: 0.5 }],
      ["unknown shardScope", { shardScope: "ANYSHARDS" }],
      ["unknown consistency", { consistency: "EVENTUAL" }],
      ["unknown order", { sortby: "x", sortbyOrder: "UP" }],
      ["params not a list", { params: { n: "1" } }],
      ["returnFields entry not an object", { returnFields: ["title"] }],
      ["limit not integers", { limit: { offset: "0", count: 1 } }],
    ] as const
  ) {
    assert.throws(() => ft.search("i", "q", options as FtSearchOptions), ConfigurationError, what);
  }
});

Deno.test("FT.AGGREGATE: flags, LOAD, TIMEOUT, PARAMS, then the clauses in their order", () => {
  const options: FtAggregateOptions = {
    verbatim: true,
    inorder: true,
    slop: 2,
    loadFields: ["__key", "@price"],
    timeout: 500,
    params: [{ key: "min", value: "10" }],
    clauses: [
      { type: "FILTER", expression: "@price > $min" },
      { type: "APPLY", expression: "ceil(@rating)", name: "r_rating" },
      {
        type: "GROUPBY",
        properties: ["@genre", "@year"],
        reducers: [
          { function: "COUNT", args: [], name: "nb_of_movies" },
          { function: "SUM", args: ["votes"], name: "nb_of_votes" },
          { function: "TOLIST", args: ["__key"] },
        ],
      },
      {
        type: "SORTBY",
        properties: [
          { property: "@avg_rating", order: SortOrder.DESC },
          { property: "@nb_of_votes", order: SortOrder.ASC },
        ],
        max: 10,
      },
      { type: "LIMIT", offset: 0, count: 5 },
      { type: "SORTBY", properties: [{ property: "@genre", order: SortOrder.ASC }] },
    ],
    dialect: 2,
  };
  // deno-fmt-ignore
  assert.deepEqual(ft.aggregate("idx", "@price:[0 +inf]", options).args, [
    "FT.AGGREGATE", "idx", "@price:[0 +inf]",
    "VERBATIM", "INORDER", "SLOP", "2", "LOAD", "2", "__key", "@price", "TIMEOUT", "500",
    "PARAMS", "2", "min", "10",
    "FILTER", "@price > $min",
    "APPLY", "ceil(@rating)", "AS", "r_rating",
    "GROUPBY", "2", "@genre", "@year",
    "REDUCE", "COUNT", "0", "AS", "nb_of_movies",
    "REDUCE", "SUM", "1", "votes", "AS", "nb_of_votes",
    "REDUCE", "TOLIST", "1", "__key",
    "SORTBY", "4", "@avg_rating", "DESC", "@nb_of_votes", "ASC", "MAX", "10",
    "LIMIT", "0", "5",
    "SORTBY", "2", "@genre", "ASC",
    "DIALECT", "2",
  ]);
  assert.deepEqual(ft.aggregate("idx", "*", { loadAll: true }).args, [
    "FT.AGGREGATE",
    "idx",
    "*",
    "LOAD",
    "*",
  ]);
  assert.deepEqual(ft.aggregate("idx", "*").args, ["FT.AGGREGATE", "idx", "*"]);
});

Deno.test("FT.AGGREGATE: option errors are a ConfigurationError", () => {
  for (
    const [what, options] of [
      ["loadAll and loadFields", { loadAll: true, loadFields: ["a"] }],
      ["unknown clause", { clauses: [{ type: "TOP", count: 3 }] }],
      ["clause not an object", { clauses: ["LIMIT 0 1"] }],
      ["LIMIT not integers", { clauses: [{ type: "LIMIT", offset: 0, count: 1.5 }] }],
      ["SORTBY unknown order", {
        clauses: [{ type: "SORTBY", properties: [{ property: "@a", order: "UP" }] }],
      }],
      ["GROUPBY reducers not a list", {
        clauses: [{ type: "GROUPBY", properties: ["@a"], reducers: { function: "COUNT" } }],
      }],
      ["reducer args missing", {
        clauses: [{ type: "GROUPBY", properties: ["@a"], reducers: [{ function: "COUNT" }] }],
      }],
      ["clauses not a list", { clauses: { type: "LIMIT" } }],
      ["fractional dialect", { dialect: 2.5 }],
    ] as const
  ) {
    assert.throws(
      () => ft.aggregate("i", "*", options as unknown as FtAggregateOptions),
      ConfigurationError,
      what,
    );
  }
});

Deno.test("FT.PROFILE: SEARCH or AGGREGATE, LIMITED, QUERY, then the query's options", () => {
  assert.deepEqual(
    ft.profileSearch("idx", "hello", {
      limited: true,
      nocontent: true,
      limit: { offset: 0, count: 2 },
    })
      .args,
    ["FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "hello", "NOCONTENT", "LIMIT", "0", "2"],
  );
  assert.deepEqual(ft.profileSearch("idx", "hello").args, [
    "FT.PROFILE",
    "idx",
    "SEARCH",
    "QUERY",
    "hello",
  ]);
  assert.deepEqual(
    ft.profileAggregate("idx", "*", {
      loadAll: true,
      clauses: [{ type: "LIMIT", offset: 1, count: 2 }],
    }).args,
    ["FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "LOAD", "*", "LIMIT", "1", "2"],
  );
  assert.deepEqual(ft.profileAggregate("idx", "*", { limited: true }).args, [
    "FT.PROFILE",
    "idx",
    "AGGREGATE",
    "LIMITED",
    "QUERY",
    "*",
  ]);
  assert.throws(() => ft.profileSearch("i", "q", { withsortkeys: true }), ConfigurationError);
});

Deno.test("FT.INFO, FT.DROPINDEX, FT._LIST, FT.EXPLAIN(CLI), FT.ALIAS*: their arguments", () => {
  assert.deepEqual(ft.info("idx").args, ["FT.INFO", "idx"]);
  assert.deepEqual(
    ft.info("idx", { scope: "PRIMARY", shardScope: "ALLSHARDS", consistency: "CONSISTENT" }).args,
    ["FT.INFO", "idx", "PRIMARY", "ALLSHARDS", "CONSISTENT"],
  );
  assert.deepEqual(ft.info("idx", { consistency: "INCONSISTENT" }).args, [
    "FT.INFO",
    "idx",
    "INCONSISTENT",
  ]);
  assert.throws(() => ft.info("idx", { scope: "GLOBAL" as "LOCAL" }), ConfigurationError);
  assert.deepEqual(ft.dropindex("idx").args, ["FT.DROPINDEX", "idx"]);
  assert.deepEqual(ft.list().args, ["FT._LIST"]);
  assert.deepEqual(ft.explain("idx", "@price:[0 10]").args, [
    "FT.EXPLAIN",
    "idx",
    "@price:[0 10]",
  ]);
  assert.deepEqual(ft.explaincli("idx", "@price:[0 10]").args, [
    "FT.EXPLAINCLI",
    "idx",
    "@price:[0 10]",
  ]);
  // GLIDE's aliasadd takes (index, alias) and sends FT.ALIASADD alias index.
  assert.deepEqual(ft.aliasadd("index", "alias").args, ["FT.ALIASADD", "alias", "index"]);
  assert.deepEqual(ft.aliasdel("alias").args, ["FT.ALIASDEL", "alias"]);
  assert.deepEqual(ft.aliasupdate("alias", "index").args, ["FT.ALIASUPDATE", "alias", "index"]);
  assert.deepEqual(ft.aliaslist().args, ["FT._ALIASLIST"]);
  for (const cmd of [ft.dropindex("i"), ft.aliasadd("i", "a"), ft.aliasdel("a")]) {
    assert.equal(cmd.decoder, Decoder.String, text(cmd).join(" "));
  }
  // The rest follow the caller's decoder; none has a route of its own (the core routes them).
  for (const cmd of [ft.list(), ft.info("i"), ft.search("i", "q"), ft.aliaslist()]) {
    assert.equal(cmd.decoder, undefined);
    assert.equal(cmd.route, undefined);
  }
});

// ---------------------------------------------------------------------------------------------
// (2) Reply shaping on the recorded replies

Deno.test("FT.SEARCH replies: documents with fields, NOCONTENT, COUNT, WITHSORTKEYS, bytes", () => {
  assert.deepEqual(shape(ft.search("i", "q"), R.knn.resp3), KNN_EXPECTED);
  assert.deepEqual(shape(ft.search("i", "q"), R.knn.resp3, Decoder.Bytes), KNN_EXPECTED_BYTES);
  assert.deepEqual(shape(ft.search("i", "q"), R.returned.resp2), RETURNED_EXPECTED);
  assert.deepEqual(
    shape(ft.search("i", "q", { nocontent: true }), R.nocontent.resp2),
    NOCONTENT_EXPECTED,
  );
  // RETURN of a field the document lacks: test_fulltext.py, `[1, b"doc:3", []]`.
  assert.deepEqual(shape(ft.search("i", "q"), arr(int(1), bulk("doc:3"), arr())), [
    1,
    [{ key: "doc:3", value: [] }],
  ]);
  assert.deepEqual(shape(ft.search("i", "q", { count: true }), R.count.resp2), [3]);
  assert.deepEqual(shape(ft.search("i", "q"), arr(int(0))), [0]);
  const sorted = ft.search("i", "q", { sortby: "price", withsortkeys: true });
  assert.deepEqual(shape(sorted, R.sortkeys.resp2), SORTKEYS_EXPECTED);
  // WITHSORTKEYS with NOCONTENT (RediSearch's layout: key, sort key; a missing one is nil).
  assert.deepEqual(shape(sorted, arr(int(2), bulk("k1"), bulk("#a"), bulk("k2"), line("$-1"))), [
    2,
    [{ key: "k1", value: ["#a", []] }, { key: "k2", value: [null, []] }],
  ]);
  // Field lists sent as RESP3 maps (not valkey-search's way) are read the same.
  assert.deepEqual(
    shape(ft.search("i", "q"), arr(int(1), bulk("doc:1"), map(bulk("f"), bulk("v")))),
    [1, [{ key: "doc:1", value: [{ key: "f", value: "v" }] }]],
  );
});

Deno.test("FT.AGGREGATE replies: records in RESP2 and RESP3, lists as values, empty records", () => {
  assert.deepEqual(shape(ft.aggregate("i", "*"), R.counted.resp2), counted(String));
  assert.deepEqual(shape(ft.aggregate("i", "*"), R.counted.resp3), counted((n) => n));
  assert.deepEqual(shape(ft.aggregate("i", "*"), R.tolist.resp2), TOLIST_EXPECTED);
  assert.deepEqual(shape(ft.aggregate("i", "*"), R.empty.resp2), [[], []]);
  assert.deepEqual(shape(ft.aggregate("i", "*"), arr(int(0))), []);
  const bytes = shape(ft.aggregate("i", "*"), R.tolist.resp2, Decoder.Bytes);
  assert.deepEqual(bytes[0][1], {
    key: enc.encode("bicycles"),
    value: [enc.encode("bicycle:9")],
  });
});

Deno.test("FT.INFO replies: valkey-search's layout (RESP2, RESP3), the older fields layout, bytes", () => {
  assert.deepEqual(shape(ft.info("idx"), R.info.resp2), infoExpected("1"));
  assert.deepEqual(shape(ft.info("idx"), R.info.resp3), infoExpected(1));
  assert.deepEqual(shape(ft.info("idx"), R.infoFields.resp2), INFO_FIELDS_EXPECTED);
  // Decoder.Bytes: names stay property names (text), values are bytes.
  const bytes = shape(ft.info("idx"), R.info.resp2, Decoder.Bytes);
  assert.deepEqual(bytes.index_name, enc.encode("idx"));
  assert.deepEqual(bytes.num_docs, 0);
  assert.deepEqual(Object.keys(bytes), Object.keys(infoExpected(1)));
  // A server answering with RESP3 maps (not valkey-search's way): nested maps become objects.
  assert.deepEqual(
    shape(
      ft.info("idx"),
      map(
        simple("index_name"),
        simple("idx"),
        simple("index_definition"),
        map(simple("key_type"), simple("HASH")),
        simple("attributes"),
        arr(map(simple("identifier"), simple("t"), simple("type"), simple("TEXT"))),
      ),
    ),
    {
      index_name: "idx",
      index_definition: { key_type: "HASH" },
      attributes: [{ identifier: "t", type: "TEXT" }],
    },
  );
});

Deno.test("FT.PROFILE replies: the query's reply shaped as its own, the figures as numbers", () => {
  assert.deepEqual(shape(ft.profileSearch("i", "q"), profiled(R.knn.resp2)), [
    KNN_EXPECTED,
    PROFILE_FIGURES,
  ]);
  assert.deepEqual(
    shape(
      ft.profileSearch("i", "q", { sortby: "price", withsortkeys: true }),
      profiled(R.sortkeys.resp2),
    ),
    [SORTKEYS_EXPECTED, PROFILE_FIGURES],
  );
  assert.deepEqual(shape(ft.profileAggregate("i", "*"), profiled(R.counted.resp2)), [
    counted(String),
    PROFILE_FIGURES,
  ]);
  // Figures as a flat list, as a RESP3 map, or as strings: the same numbers.
  for (
    const figures of [
      arr(simple("parse.time"), int(119), simple("all.count"), bulk("4")),
      map(simple("parse.time"), dbl(119), simple("all.count"), int(4)),
    ]
  ) {
    assert.deepEqual(shape(ft.profileAggregate("i", "*"), arr(R.empty.resp2, figures)), [
      [[], []],
      { "parse.time": 119, "all.count": 4 },
    ]);
  }
});

Deno.test("FT._LIST, FT.EXPLAIN, FT.EXPLAINCLI, FT._ALIASLIST, OK replies", () => {
  assert.deepEqual(shape(ft.list(), R.list.resp2), ["idx", "vectors"]);
  assert.deepEqual(shape(ft.list(), R.list.resp2, Decoder.Bytes), [
    enc.encode("idx"),
    enc.encode("vectors"),
  ]);
  assert.deepEqual(shape(ft.list(), arr()), []);
  assert.equal(shape(ft.explain("i", "q"), R.explain.resp2), "Field {\n\tprice\n\t0\n\t10\n}");
  assert.deepEqual(shape(ft.explaincli("i", "q"), R.explaincli.resp2), [
    "Field {",
    "price",
    "0",
    "10",
    "}",
  ]);
  assert.deepEqual(shape(ft.aliaslist(), R.aliaslist.resp2), ALIASES_EXPECTED);
  assert.deepEqual(shape(ft.aliaslist(), R.aliaslist.resp3), ALIASES_EXPECTED);
  assert.deepEqual(shape(ft.aliaslist(), arr()), []);
  // OK replies are read as text whatever the caller's decoder.
  assert.equal(shape(ft.create("i", []), R.ok.resp2, Decoder.Bytes), "OK");
});

Deno.test("replies of the wrong form are a RequestError, not a crash", () => {
  const cases: [string, Command<unknown>, Uint8Array][] = [
    ["search: a string", ft.search("i", "q"), bulk("x")],
    ["search: empty", ft.search("i", "q"), arr()],
    ["search: a map", ft.search("i", "q"), map(simple("total_results"), int(0))],
    [
      "search: a key without fields",
      ft.search("i", "q"),
      arr(int(1), bulk("k"), arr(), bulk("k2")),
    ],
    [
      "search WITHSORTKEYS: a missing part",
      ft.search("i", "q", { sortby: "a", withsortkeys: true }),
      arr(int(1), bulk("k"), bulk("#1"), arr(), bulk("k2")),
    ],
    ["search: a count that is not a number", ft.search("i", "q"), arr(bulk("many"))],
    ["aggregate: a number", ft.aggregate("i", "*"), int(3)],
    ["aggregate: a row that is not a list", ft.aggregate("i", "*"), arr(int(1), bulk("x"))],
    ["aggregate: a row of odd length", ft.aggregate("i", "*"), arr(int(1), arr(bulk("x")))],
    ["info: a string", ft.info("i"), bulk("x")],
    ["profile: one element", ft.profileSearch("i", "q"), arr(arr(int(0)))],
    [
      "profile: a figure that is not a number",
      ft.profileSearch("i", "q"),
      arr(arr(int(0)), arr(arr(simple("x"), arr()))),
    ],
    ["list: a number", ft.list(), int(1)],
    ["explain: a list", ft.explain("i", "q"), arr()],
    ["aliaslist: a string", ft.aliaslist(), bulk("x")],
  ];
  for (const [what, cmd, reply] of cases) {
    assert.throws(() => shape(cmd, reply), RequestError, what);
  }
});

// ---------------------------------------------------------------------------------------------
// (3) End to end: the async and the sync GlideClient against the scripted server

/** The scripted server in a Worker of its own. */
async function scriptedServer() {
  const worker = new Worker(new URL("./support/scripted_server.ts", import.meta.url), {
    type: "module",
  });
  const next = <T>() =>
    new Promise<T>((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
    });
  const { port } = await next<{ port: number }>();
  return {
    port,
    async script(replies: ScriptedReply[]): Promise<void> {
      const ready = next();
      worker.postMessage({ type: "script", replies });
      await ready;
    },
    async commands(): Promise<PlayedCommand[]> {
      const reply = next<{ commands: PlayedCommand[] }>();
      worker.postMessage({ type: "commands" });
      return (await reply).commands;
    },
    close: () => worker.terminate(),
  };
}

/** A command as a client writes it: `*N` and each argument as a bulk string. */
const wire = (args: GlideString[]) => join(line(`*${args.length}`), ...args.map(bulk));

type AnyClient = GlideClient | SyncClient;

interface Case {
  name: string;
  call: (c: AnyClient) => unknown;
  reply: ScriptedReply;
  sent: GlideString[];
  expect: (protocol: 2 | 3) => unknown;
}

const vectorParams = [{ key: "query_vec", value: VEC0 }];

const CASES: Case[] = [
  {
    name: "create",
    call: (c) =>
      GlideFt.create(c, "{v}:index", [{
        type: "VECTOR",
        name: "vec",
        alias: "VEC",
        attributes: { algorithm: "HNSW", distanceMetric: "L2", dimensions: 2 },
      }], { dataType: "HASH", prefixes: ["{v}:"] }),
    reply: R.ok,
    // deno-fmt-ignore
    sent: ["FT.CREATE", "{v}:index", "ON", "HASH", "PREFIX", "1", "{v}:", "SCHEMA", "vec", "AS",
      "VEC", "VECTOR", "HNSW", "6", "DIM", "2", "DISTANCE_METRIC", "L2", "TYPE", "FLOAT32"],
    expect: () => "OK",
  },
  {
    name: "dropindex",
    call: (c) => GlideFt.dropindex(c, "idx"),
    reply: R.ok,
    sent: ["FT.DROPINDEX", "idx"],
    expect: () => "OK",
  },
  {
    name: "list",
    call: (c) => GlideFt.list(c),
    reply: R.list,
    sent: ["FT._LIST"],
    expect: () => ["idx", "vectors"],
  },
  {
    name: "search (KNN, PARAMS with a binary vector)",
    call: (c) =>
      GlideFt.search(c, "{v}:index", "*=>[KNN 2 @VEC $query_vec]", {
        params: vectorParams,
        timeout: 10000,
      }),
    reply: R.knn,
    // deno-fmt-ignore
    sent: ["FT.SEARCH", "{v}:index", "*=>[KNN 2 @VEC $query_vec]", "TIMEOUT", "10000", "PARAMS",
      "2", "query_vec", VEC0],
    expect: () => KNN_EXPECTED,
  },
  {
    name: "search (Decoder.Bytes)",
    call: (c) =>
      GlideFt.search(c, "{v}:index", "*=>[KNN 2 @VEC $query_vec]", {
        params: vectorParams,
        decoder: Decoder.Bytes,
      }),
    reply: R.knn,
    sent: [
      "FT.SEARCH",
      "{v}:index",
      "*=>[KNN 2 @VEC $query_vec]",
      "PARAMS",
      "2",
      "query_vec",
      VEC0,
    ],
    expect: () => KNN_EXPECTED_BYTES,
  },
  {
    name: "search (RETURN with aliases)",
    call: (c) =>
      GlideFt.search(c, "idx1", "race", {
        returnFields: [
          { fieldIdentifier: "content", alias: "text_content" },
          { fieldIdentifier: "price", alias: "numeric_content" },
        ],
      }),
    reply: R.returned,
    // deno-fmt-ignore
    sent: ["FT.SEARCH", "idx1", "race", "RETURN", "6", "content", "AS", "text_content", "price",
      "AS", "numeric_content"],
    expect: () => RETURNED_EXPECTED,
  },
  {
    name: "search (NOCONTENT)",
    call: (c) => GlideFt.search(c, "idx1", "I am going", { nocontent: true }),
    reply: R.nocontent,
    sent: ["FT.SEARCH", "idx1", "I am going", "NOCONTENT"],
    expect: () => NOCONTENT_EXPECTED,
  },
  {
    name: "search (COUNT)",
    call: (c) => GlideFt.search(c, "idx1", "I am going", { count: true }),
    reply: R.count,
    sent: ["FT.SEARCH", "idx1", "I am going", "COUNT"],
    expect: () => [3],
  },
  {
    name: "search (SORTBY, WITHSORTKEYS)",
    call: (c) =>
      GlideFt.search(c, "idx", "@price:[1 +inf]", {
        sortby: "price",
        sortbyOrder: SortOrder.ASC,
        withsortkeys: true,
      }),
    reply: R.sortkeys,
    sent: ["FT.SEARCH", "idx", "@price:[1 +inf]", "SORTBY", "price", "ASC", "WITHSORTKEYS"],
    expect: () => SORTKEYS_EXPECTED,
  },
  {
    name: "aggregate (GROUPBY, REDUCE COUNT)",
    call: (c) =>
      GlideFt.aggregate(c, "{bicycles}:idx", "@price:[-inf +inf]", {
        loadFields: ["__key"],
        clauses: [{
          type: "GROUPBY",
          properties: ["@condition"],
          reducers: [{ function: "COUNT", args: [], name: "bicycles" }],
        }],
      }),
    reply: R.counted,
    // deno-fmt-ignore
    sent: ["FT.AGGREGATE", "{bicycles}:idx", "@price:[-inf +inf]", "LOAD", "1", "__key",
      "GROUPBY", "1", "@condition", "REDUCE", "COUNT", "0", "AS", "bicycles"],
    expect: (p) => counted(p === 3 ? (n) => n : String),
  },
  {
    name: "aggregate (TOLIST)",
    call: (c) => GlideFt.aggregate(c, "idx", "*", { loadAll: true }),
    reply: R.tolist,
    sent: ["FT.AGGREGATE", "idx", "*", "LOAD", "*"],
    expect: () => TOLIST_EXPECTED,
  },
  {
    name: "info",
    call: (c) => GlideFt.info(c, "idx"),
    reply: R.info,
    sent: ["FT.INFO", "idx"],
    expect: (p) => infoExpected(p === 3 ? 1 : "1"),
  },
  {
    name: "info (older layout, LOCAL)",
    call: (c) => GlideFt.info(c, "idx", { scope: "LOCAL" }),
    reply: R.infoFields,
    sent: ["FT.INFO", "idx", "LOCAL"],
    expect: () => INFO_FIELDS_EXPECTED,
  },
  {
    name: "explain",
    call: (c) => GlideFt.explain(c, "idx", "@price:[0 10]"),
    reply: R.explain,
    sent: ["FT.EXPLAIN", "idx", "@price:[0 10]"],
    expect: () => "Field {\n\tprice\n\t0\n\t10\n}",
  },
  {
    name: "explaincli",
    call: (c) => GlideFt.explaincli(c, "idx", "@price:[0 10]", { decoder: Decoder.Bytes }),
    reply: R.explaincli,
    sent: ["FT.EXPLAINCLI", "idx", "@price:[0 10]"],
    expect: () => ["Field {", "price", "0", "10", "}"].map((s) => enc.encode(s)),
  },
  {
    name: "profileSearch",
    call: (c) =>
      GlideFt.profileSearch(c, "{v}:index", "*=>[KNN 2 @VEC $query_vec]", {
        params: vectorParams,
        limited: true,
      }),
    reply: both(profiled(R.knn.resp2)),
    // deno-fmt-ignore
    sent: ["FT.PROFILE", "{v}:index", "SEARCH", "LIMITED", "QUERY", "*=>[KNN 2 @VEC $query_vec]",
      "PARAMS", "2", "query_vec", VEC0],
    expect: () => [KNN_EXPECTED, PROFILE_FIGURES],
  },
  {
    name: "profileAggregate",
    call: (c) =>
      GlideFt.profileAggregate(c, "idx", "*", {
        clauses: [{
          type: "GROUPBY",
          properties: ["@condition"],
          reducers: [{ function: "COUNT", args: [], name: "bicycles" }],
        }],
      }),
    reply: { resp2: profiled(R.counted.resp2), resp3: profiled(R.counted.resp3) },
    // deno-fmt-ignore
    sent: ["FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*", "GROUPBY", "1", "@condition", "REDUCE",
      "COUNT", "0", "AS", "bicycles"],
    expect: (p) => [counted(p === 3 ? (n) => n : String), PROFILE_FIGURES],
  },
  {
    name: "aliasadd",
    call: (c) => GlideFt.aliasadd(c, "index", enc.encode("alias")),
    reply: R.ok,
    sent: ["FT.ALIASADD", "alias", "index"],
    expect: () => "OK",
  },
  {
    name: "aliasdel",
    call: (c) => GlideFt.aliasdel(c, "alias"),
    reply: R.ok,
    sent: ["FT.ALIASDEL", "alias"],
    expect: () => "OK",
  },
  {
    name: "aliasupdate",
    call: (c) => GlideFt.aliasupdate(c, "alias", "index"),
    reply: R.ok,
    sent: ["FT.ALIASUPDATE", "alias", "index"],
    expect: () => "OK",
  },
  {
    name: "aliaslist",
    call: (c) => GlideFt.aliaslist(c),
    reply: R.aliaslist,
    sent: ["FT._ALIASLIST"],
    expect: () => ALIASES_EXPECTED,
  },
];

for (const sync of [false, true]) {
  for (const protocol of [ProtocolVersion.RESP2, ProtocolVersion.RESP3]) {
    const resp = protocol === ProtocolVersion.RESP3 ? 3 : 2;
    const label = `${sync ? "sync" : "async"} RESP${resp}`;
    Deno.test(`every GlideFt method through a GlideClient: bytes sent, reply shaped [${label}]`, async () => {
      const server = await scriptedServer();
      try {
        const config = { addresses: [{ host: "127.0.0.1", port: server.port }], protocol };
        const client = sync
          ? SyncClient.createClient(config)
          : await GlideClient.createClient(config);
        try {
          for (const c of CASES) {
            await server.script([c.reply]);
            const result = c.call(client);
            assert.equal(result instanceof Promise, !sync, c.name);
            assert.deepEqual(await result, c.expect(resp), c.name);
            const played = await server.commands();
            assert.equal(played.length, 1, c.name);
            assert.equal(played[0].protocol, resp, c.name);
            assert.deepEqual(played[0].raw, wire(c.sent), c.name);
          }

          // A server error is a RequestError; a malformed reply too; the client goes on.
          await server.script([R.missing, both(bulk("not a search reply"))]);
          await assert.rejects(
            async () => await GlideFt.info(client, "idx"),
            (e) => e instanceof RequestError && /not found in database/.test(e.message),
          );
          await assert.rejects(async () => await GlideFt.search(client, "idx", "*"), RequestError);
          // An argument error is a ConfigurationError (rejected or thrown) and sends nothing.
          await server.script([]);
          const bad = () => GlideFt.search(client, "idx", "*", { withsortkeys: true });
          if (sync) assert.throws(bad, ConfigurationError);
          else await assert.rejects(bad() as Promise<unknown>, ConfigurationError);
          assert.deepEqual(
            (await server.commands()).length,
            0,
            "an argument error must not send the command",
          );
          await server.script([R.list]);
          assert.deepEqual(await GlideFt.list(client), ["idx", "vectors"]);
        } finally {
          client.close();
        }
      } finally {
        server.close();
      }
    });
  }
}
