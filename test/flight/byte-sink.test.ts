// The recorder's digit writers (src/dataset/byte-sink.ts) against JavaScript's
// own number formatting: decimal for safe integers, hex for 64-bit halves.
import { describe, expect, it } from "vitest";
import { ByteSink } from "../../src/dataset/byte-sink.js";

function edges(): number[] {
  const v = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];
  for (let p = 1; p <= 1e15; p *= 10) v.push(p - 1, p, p + 1, 2 * p, 5 * p + 7);
  for (const base of [1e8, 1e16 / 10]) for (let k = 0; k < 20; k++) v.push(base * k + k, base * k + 99_999_999 % (base || 1));
  let x = 12345;
  for (let i = 0; i < 2000; i++) { x = (x * 1103515245 + 12345) % 2 ** 31; v.push(Math.floor((x / 2 ** 31) * 2 ** (1 + (i % 53)))); }
  return v.filter((n) => Number.isSafeInteger(n) && n >= 0);
}

describe("byte sink digit writers", () => {
  it("dec writes what String() writes", () => {
    const s = new ByteSink(16);
    const want: string[] = [];
    for (const n of edges()) { s.reserve(17); s.dec(n); s.reserve(1); s.bytes8(Buffer.from("\n")); want.push(String(n)); }
    expect(s.view().toString("latin1")).toBe(want.join("\n") + "\n");
  });
  it("hex64 and hexField write what toString(16) writes", () => {
    const s = new ByteSink(16);
    let want = "";
    const halves = [0, 1, 0xf, 0x10, 0xff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xabcdef];
    for (const hi of halves) for (const lo of halves) {
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      s.reserve(19); s.hex64(lo, hi); s.reserve(19); s.hexField(lo, hi);
      want += v.toString(16) + ",0x" + v.toString(16);
    }
    expect(s.view().toString("latin1")).toBe(want);
  });
  it("clear empties the sink and keeps its (grown) buffer for the next use", () => {
    const s = new ByteSink(4);
    s.append("hello, world");
    const grown = s.view().buffer;
    s.clear();
    expect(s.length).toBe(0);
    s.append("again");
    expect(s.view().toString("latin1")).toBe("again");
    expect(s.view().buffer).toBe(grown);
  });
});
