// Encodings the host runs but this core must not: it reports SSE2 only, so
// SSE3/SSSE3/SSE4 forms (MOVDDUP, LDDQU, HADDPD, PSHUFB, PINSRB, ...) are #UD
// as on an SSE2 CPU, and MMX forms are valid but not implemented.
import { describe, it, expect } from "vitest";
import { CoreBed } from "../cpu/harness.js";

const bed = new CoreBed();
const stop = (code: number[]) => bed.run({ code, regs: Array(16).fill(0n).map((_, i) => (i === 3 ? 0x20000f80n : 0n)) });

describe("SSE encodings outside SSE2", () => {
  const sse3plus: Array<[string, number[]]> = [
    ["movddup", [0xf2, 0x0f, 0x12, 0xc1]], ["movsldup", [0xf3, 0x0f, 0x12, 0xc1]], ["movshdup", [0xf3, 0x0f, 0x16, 0xc1]],
    ["haddpd", [0x66, 0x0f, 0x7c, 0xc1]], ["hsubps", [0xf2, 0x0f, 0x7d, 0xc1]], ["addsubpd", [0x66, 0x0f, 0xd0, 0xc1]],
    ["lddqu", [0xf2, 0x0f, 0xf0, 0x03]], ["pshufb", [0x66, 0x0f, 0x38, 0x00, 0xc1]], ["palignr", [0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x03]],
    ["pinsrb", [0x66, 0x0f, 0x3a, 0x20, 0xc1, 0x00]], ["pcmpistri", [0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x0c]], ["fisttp", [0xdb, 0x0b]],
    ["lock addps", [0xf0, 0x0f, 0x58, 0x03]], ["movlpd reg", [0x66, 0x0f, 0x12, 0xc1]], ["pextrw mem", [0x66, 0x0f, 0xc5, 0x03, 0x00]],
    ["xsave", [0x0f, 0xae, 0x23]], ["rdfsbase", [0xf3, 0x48, 0x0f, 0xae, 0xc0]],
  ];
  for (const [name, code] of sse3plus) it(`${name} is #UD`, () => expect(stop(code).trapno).toBe(6));
  const mmx: Array<[string, number[]]> = [["paddb mm", [0x0f, 0xfc, 0xc1]], ["movq mm", [0x0f, 0x6f, 0xc1]], ["cvtpi2ps", [0x0f, 0x2a, 0xc1]], ["rcpps", [0x0f, 0x53, 0xc1]]];
  for (const [name, code] of mmx) it(`${name} is reported unimplemented`, () => expect(stop(code).trapno).toBe(-1));
  // (their results are checked against the host in diff-x87.test.ts)
  it("x87 transcendentals execute", () => expect(stop([0xd9, 0xfe]).trapno).toBe(3));
});
