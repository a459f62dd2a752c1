// The last-bit comparison accepts exactly one-ulp differences in %La tokens.
import { describe, expect, it } from "vitest";
import { compareUpToLastBit, parseLa, withinOneUlp } from "./last-bit.js";

describe("comparison up to the last bit of %La tokens", () => {
  it("parses glibc's %La form into a 64-bit significand", () => {
    expect(parseLa("0x8.c9f53d5681854bcp-3")).toEqual({ neg: false, sig: 0x8c9f53d5681854bcn, exp: -63 });
    expect(parseLa("-0x8p+0")).toEqual({ neg: true, sig: 0x8000000000000000n, exp: -60 });
    expect(parseLa("0x1.8p+0")).toEqual({ neg: false, sig: 0x1800000000000000n, exp: -60 });
    expect(parseLa("1.5")).toBeNull();
    expect(parseLa("0x8.c9f53d5681854bc0p-3")).toBeNull(); // more than 64 bits
  });

  it("accepts one ulp, also across a binade, and nothing more", () => {
    expect(withinOneUlp("0x8.c9f53d5681854bcp-3", "0x8.c9f53d5681854bbp-3")).toBe(true);
    expect(withinOneUlp("0x8.c9f53d5681854bcp-3", "0x8.c9f53d5681854bap-3")).toBe(false);
    expect(withinOneUlp("0xf.fffffffffffffffp-1", "0x8p+0")).toBe(true);
    expect(withinOneUlp("0xf.ffffffffffffffep-1", "0x8p+0")).toBe(false);
    expect(withinOneUlp("0x8.c9f53d5681854bcp-3", "0x8.c9f53d5681854bcp-2")).toBe(false);
    expect(withinOneUlp("-0x8p+0", "0x8p+0")).toBe(false);
    expect(withinOneUlp("3.5", "3.6")).toBe(false);
  });

  it("compares whole outputs: only tolerated tokens may differ", () => {
    const tolerated: string[] = [];
    expect(compareUpToLastBit("a 0x8.1p+0 b\nc\n", "a 0x8.100000000000001p+0 b\nc\n", tolerated)).toBeNull();
    expect(tolerated).toEqual(["line 1: 0x8.1p+0 native, 0x8.100000000000001p+0 emulated"]);
    expect(compareUpToLastBit("a 0x8.1p+0 b\n", "a 0x8.1p+0 c\n")).toMatch(/line 1 differs beyond the last bit/);
    expect(compareUpToLastBit("x\n", "x\ny\n")).toMatch(/line counts differ/);
    expect(compareUpToLastBit("1 2\n", "1 2 3\n")).toMatch(/line 1 differs/);
  });
});
