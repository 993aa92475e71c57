import assert from "node:assert/strict";
import {
  ConditionalChange,
  ConfigurationError,
  Decoder,
  type GeospatialData,
  GeoUnit,
  type GlideString,
  RequestError,
  SortOrder,
} from "../mod.ts";
import { type AnyBaseClient, eachBase, key, keys } from "./harness.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

const PALERMO = { longitude: 13.361389, latitude: 38.115556 };
const CATANIA = { longitude: 15.087269, latitude: 37.502669 };
const ROME = { longitude: 12.496366, latitude: 41.902782 };

function sicily(): Map<GlideString, GeospatialData> {
  return new Map<GlideString, GeospatialData>([["Palermo", PALERMO], ["Catania", CATANIA]]);
}

/** Within 1e-5 degrees / units: the server stores 52-bit geohashes. */
function near(actual: number | undefined, expected: number, tolerance = 1e-4): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < tolerance,
    `${actual} is not ${expected}`,
  );
}

async function seed(c: AnyBaseClient, k: string): Promise<void> {
  assert.equal(await c.geoadd(k, sicily()), 2);
}

eachBase("geoadd options, geopos", async (c) => {
  const k = key("geo");
  assert.deepEqual(await c.geopos(k, ["Palermo"]), [null]);
  await seed(c, k);
  assert.equal(await c.geoadd(k, sicily()), 0);
  // NX: only new members; XX: only existing ones; CH counts moved members too.
  assert.equal(
    await c.geoadd(k, new Map([["Rome", ROME], ["Palermo", CATANIA]]), {
      updateMode: ConditionalChange.ONLY_IF_DOES_NOT_EXIST,
    }),
    1,
  );
  near((await c.geopos(k, ["Palermo"]))[0]![0], PALERMO.longitude);
  assert.equal(
    await c.geoadd(k, new Map([["Milan", PALERMO], ["Rome", CATANIA]]), {
      updateMode: ConditionalChange.ONLY_IF_EXISTS,
    }),
    0,
  );
  near((await c.geopos(k, ["Rome"]))[0]![1], CATANIA.latitude);
  assert.equal(
    await c.geoadd(k, new Map([["Rome", ROME], ["Milan", { longitude: 9.19, latitude: 45.46 }]]), {
      changed: true,
    }),
    2,
  );
  assert.equal(
    await c.geoadd(k, new Map([["Rome", CATANIA]]), {
      updateMode: ConditionalChange.ONLY_IF_EXISTS,
      changed: true,
    }),
    1,
  );
  // Binary members.
  const bin = new Uint8Array([0, 1, 255]);
  assert.equal(await c.geoadd(k, new Map([[bin, ROME]])), 1);
  const positions = await c.geopos(k, ["Palermo", "Nowhere", bin]);
  assert.equal(positions.length, 3);
  near(positions[0]![0], PALERMO.longitude);
  near(positions[0]![1], PALERMO.latitude);
  assert.equal(positions[1], null);
  near(positions[2]![0], ROME.longitude);
  near(positions[2]![1], ROME.latitude);
  // Coordinates out of range are the server's error.
  await assert.rejects(
    async () => await c.geoadd(k, new Map([["x", { longitude: 200, latitude: 0 }]])),
    RequestError,
  );
});

eachBase("geodist and geohash", async (c) => {
  const k = key("geo");
  assert.equal(await c.geodist(k, "Palermo", "Catania"), null);
  assert.deepEqual(await c.geohash(k, ["Palermo"]), [null]);
  await seed(c, k);
  near((await c.geodist(k, "Palermo", "Catania"))!, 166274.1516, 0.01);
  near((await c.geodist(k, "Palermo", "Catania", { unit: GeoUnit.KILOMETERS }))!, 166.2742, 1e-3);
  near((await c.geodist(k, "Palermo", "Catania", { unit: GeoUnit.MILES }))!, 103.3182, 1e-3);
  near((await c.geodist(k, "Palermo", "Catania", { unit: GeoUnit.FEET }))!, 545518.8700, 0.01);
  near((await c.geodist(k, "Palermo", "Catania", { unit: GeoUnit.METERS }))!, 166274.1516, 0.01);
  assert.equal(await c.geodist(k, "Palermo", "Nowhere"), null);
  assert.equal(await c.geodist(k, "Palermo", "Palermo"), 0);
  assert.deepEqual(await c.geohash(k, ["Palermo", "Catania", "Nowhere"]), [
    "sqc8b49rny0",
    "sqdtr74hyu0",
    null,
  ]);
  // Geohashes are always text, whatever the client's decoder.
  assert.equal(typeof (await c.geohash(k, [bytes("Palermo")]))[0], "string");
});

eachBase("geosearch", async (c) => {
  const k = key("geo");
  assert.deepEqual(
    await c.geosearch(k, { member: "Palermo" }, { radius: 1, unit: GeoUnit.METERS }),
    [],
  );
  await seed(c, k);
  await c.geoadd(k, new Map([["Rome", ROME]]));
  // Around a member, by radius: member names.
  assert.deepEqual(
    new Set(
      await c.geosearch(k, { member: "Palermo" }, {
        radius: 200,
        unit: GeoUnit.KILOMETERS,
      }) as GlideString[],
    ),
    new Set(["Palermo", "Catania"]),
  );
  // Around a position, by box, ordered, with everything.
  const full = await c.geosearch(
    k,
    { position: { longitude: 15, latitude: 37 } },
    { width: 400, height: 400, unit: GeoUnit.KILOMETERS },
    { sortOrder: SortOrder.ASC, withCoord: true, withDist: true, withHash: true },
  ) as [GlideString, [number, number, [number, number]]][];
  assert.deepEqual(full.map((r) => r[0]), ["Catania", "Palermo"]);
  near(full[0][1][0], 56.4413, 1e-3);
  assert.equal(full[0][1][1], 3479447370796909);
  near(full[0][1][2][0], 15.087267458438873);
  near(full[0][1][2][1], 37.50266842333162);
  near(full[1][1][0], 190.4424, 1e-3);
  assert.equal(full[1][1][1], 3479099956230698);
  // Only the requested items, in the order dist, hash, coord.
  const distOnly = await c.geosearch(
    k,
    { position: { longitude: 15, latitude: 37 } },
    { radius: 300, unit: GeoUnit.KILOMETERS },
    { withDist: true, sortOrder: SortOrder.DESC },
  ) as [GlideString, [number]][];
  assert.deepEqual(distOnly.map((r) => r[0]), ["Palermo", "Catania"]);
  assert.equal(distOnly[0][1].length, 1);
  near(distOnly[0][1][0], 190.4424, 1e-3);
  const coordOnly = await c.geosearch(
    k,
    { member: "Catania" },
    { radius: 1, unit: GeoUnit.KILOMETERS },
    { withCoord: true },
  ) as unknown as [GlideString, [[number, number]]][];
  assert.equal(coordOnly.length, 1);
  near(coordOnly[0][1][0][0], CATANIA.longitude);
  near(coordOnly[0][1][0][1], CATANIA.latitude);
  const hashOnly = await c.geosearch(
    k,
    { member: "Catania" },
    { radius: 1, unit: GeoUnit.KILOMETERS },
    { withHash: true, decoder: Decoder.Bytes },
  );
  assert.deepEqual(hashOnly, [[bytes("Catania"), [3479447370796909]]]);
  // COUNT, with and without ANY.
  assert.deepEqual(
    await c.geosearch(
      k,
      { member: "Palermo" },
      { radius: 1000, unit: GeoUnit.MILES },
      { count: 2, sortOrder: SortOrder.ASC },
    ),
    ["Palermo", "Catania"],
  );
  assert.equal(
    (await c.geosearch(
      k,
      { member: "Palermo" },
      { radius: 1000, unit: GeoUnit.MILES },
      { count: 1, isAny: true },
    )).length,
    1,
  );
  assert.deepEqual(
    await c.geosearch(
      k,
      { member: "Rome" },
      { width: 100, height: 100, unit: GeoUnit.FEET },
      { decoder: Decoder.Bytes },
    ),
    [bytes("Rome")],
  );
  // A missing origin member is the server's error.
  await assert.rejects(
    async () => await c.geosearch(k, { member: "Nowhere" }, { radius: 1, unit: GeoUnit.METERS }),
    RequestError,
  );
});

eachBase("geosearchstore", async (c) => {
  const [src, dst] = keys(2, "geostore");
  assert.equal(
    await c.geosearchstore(dst, src, { member: "Palermo" }, { radius: 1, unit: GeoUnit.METERS }),
    0,
  );
  await seed(c, src);
  assert.equal(
    await c.geosearchstore(dst, src, { member: "Palermo" }, {
      radius: 200,
      unit: GeoUnit.KILOMETERS,
    }),
    2,
  );
  // Scores are geohashes: the stored set is itself a geo index.
  near((await c.geopos(dst, ["Catania"]))[0]![0], CATANIA.longitude);
  assert.equal(
    await c.geosearchstore(
      dst,
      src,
      { position: { longitude: 15, latitude: 37 } },
      { width: 400, height: 400, unit: GeoUnit.KILOMETERS },
      { storeDist: true, count: 1, sortOrder: SortOrder.ASC },
    ),
    1,
  );
  const stored = await c.customCommand(["ZRANGE", dst, "0", "-1", "WITHSCORES"]);
  const flat = (Array.isArray(stored) ? stored.flat() : []) as unknown[];
  assert.equal(flat[0], "Catania");
  near(Number(flat[1]), 56.4413, 1e-3);
  assert.equal(
    await c.geosearchstore(
      dst,
      src,
      { member: "Palermo" },
      { radius: 1000, unit: GeoUnit.KILOMETERS },
      { count: 1, isAny: true },
    ),
    1,
  );
});

eachBase("geo commands on a string are WRONGTYPE", async (c) => {
  const [k, dst] = keys(2, "geostr");
  await c.set(k, "x");
  const calls: (() => unknown)[] = [
    () => c.geoadd(k, sicily()),
    () => c.geopos(k, ["a"]),
    () => c.geodist(k, "a", "b"),
    () => c.geohash(k, ["a"]),
    () => c.geosearch(k, { position: PALERMO }, { radius: 1, unit: GeoUnit.METERS }),
    () => c.geosearchstore(dst, k, { position: PALERMO }, { radius: 1, unit: GeoUnit.METERS }),
  ];
  for (const call of calls) await assert.rejects(async () => await call(), RequestError);
});

eachBase("geo commands reject bad arguments before sending", async (c) => {
  const [k, dst] = keys(2, "geobad");
  const circle = { radius: 1, unit: GeoUnit.METERS };
  const calls: (() => unknown)[] = [
    () => c.geoadd(k, new Map([["a", { longitude: NaN, latitude: 0 }]])),
    () => c.geoadd(k, new Map([["a", { longitude: 0 } as GeospatialData]])),
    () => c.geoadd(k, sicily(), { updateMode: "LT" as ConditionalChange }),
    () => c.geodist(k, "a", "b", { unit: "yd" as GeoUnit }),
    () => c.geosearch(k, {} as { member: string }, circle),
    () => c.geosearch(k, { member: "a" }, {} as typeof circle),
    () => c.geosearch(k, { member: "a" }, { radius: Infinity, unit: GeoUnit.METERS }),
    () => c.geosearch(k, { member: "a" }, { width: 1, height: NaN, unit: GeoUnit.METERS }),
    () => c.geosearch(k, { member: "a" }, { radius: 1, unit: "yd" as GeoUnit }),
    () => c.geosearch(k, { position: { longitude: 1, latitude: NaN } }, circle),
    () => c.geosearch(k, { member: "a" }, circle, { count: 1.5 }),
    () => c.geosearch(k, { member: "a" }, circle, { isAny: true }),
    () => c.geosearch(k, { member: "a" }, circle, { sortOrder: "UP" as SortOrder }),
    () => c.geosearchstore(dst, k, { member: "a" }, circle, { count: NaN }),
  ];
  for (const call of calls) {
    await assert.rejects(async () => await call(), ConfigurationError);
  }
  assert.equal(await c.exists([k, dst]), 0);
  // No members at all is the server's to answer (an empty list), as with GLIDE.
  assert.deepEqual(await c.geopos(k, []), []);
  assert.deepEqual(await c.geohash(k, []), []);
});
