// The table conventions (src/dataset/columns.ts): no nullable field, no
// nulls accepted, and every column type round-trips through Parquet exactly.
import { describe, expect, it } from "vitest";
import { makeData, Uint64 } from "apache-arrow";
import { constant, int64, parquetBytes, readParquet, strings, table, uint64 } from "../../src/dataset/columns.js";
import { eventsParquet } from "../../src/generate/events-export.js";
import { columnsOfRawText } from "../../src/dataset/event-columns.js";

describe("skytrace's table conventions", () => {
  it("round-trip uint64 (≥ 2^63), int64 (negative), and dictionary strings of every index width", () => {
    const u = BigUint64Array.from([0n, 0xffffffffffffffb8n, 1n << 63n, 0xffffffffffffffffn]);
    const i = BigInt64Array.from([-1n, 0n, (1n << 63n) - 1n, -(1n << 63n)]);
    const many = Array.from({ length: 300 }, (_, k) => `name${k}`);
    const t = table([
      constant("flight_id", "flight-000007", 4), uint64("arg0", u), int64("exit_ns", i),
      strings("type", ["A", "B"], Int8Array.from([0, 1, 1, 0])),
      strings("name", many, Int16Array.from([0, 299, 150, 7])),
      strings("comm", many, Int32Array.from([299, 0, 1, 2])),
    ]);
    expect(t.schema.fields.every((f) => !f.nullable)).toBe(true);
    const back = readParquet(parquetBytes(t, { delta: ["exit_ns"], statistics: ["exit_ns"], createdBy: "test" }));
    expect(back.schema.fields.map((f) => [f.name, f.nullable])).toEqual(t.schema.fields.map((f) => [f.name, false]));
    expect(Array.from(back.getChild("arg0")!.toArray() as BigUint64Array)).toEqual(Array.from(u));
    expect(Array.from(back.getChild("exit_ns")!.toArray() as BigInt64Array)).toEqual(Array.from(i));
    expect([0, 1, 2, 3].map((r) => back.getChild("name")!.get(r))).toEqual(["name0", "name299", "name150", "name7"]);
    expect([0, 1, 2, 3].map((r) => back.getChild("comm")!.get(r))).toEqual(["name299", "name0", "name1", "name2"]);
    expect([0, 1, 2, 3].map((r) => back.getChild("flight_id")!.get(r))).toEqual(Array(4).fill("flight-000007"));
  });

  it("refuse a column with nulls, columns of different lengths, and too many strings for the index width", () => {
    const withNulls = { name: "nr", data: makeData({ type: new Uint64(), length: 2, nullCount: 1, data: new BigUint64Array(2), nullBitmap: Uint8Array.from([1]) }) };
    expect(() => table([withNulls])).toThrow(/column nr has nulls/);
    expect(() => table([uint64("a", new BigUint64Array(2)), uint64("b", new BigUint64Array(3))])).toThrow(/column b: 3 rows, a has 2/);
    expect(() => strings("name", Array.from({ length: 129 }, String), new Int8Array(1))).toThrow(/129 distinct strings/);
  });

  it("the events export refuses a timestamp that int64 (time_ns) cannot hold", () => {
    const ok = "9223372036854775807, SYSRET,0x1000\n";
    expect(() => eventsParquet(columnsOfRawText(Buffer.from(ok), "t"), "flight-000000", "normal", "test")).not.toThrow();
    const raw = Buffer.from(ok + "9223372036854775808, SYSRET,0x1000\n");
    expect(() => eventsParquet(columnsOfRawText(raw, "t"), "flight-000000", "normal", "test")).toThrow(/event 1: timestamp 9223372036854775808 is beyond int64/);
  });
});
