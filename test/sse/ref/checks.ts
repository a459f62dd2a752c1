// Which results of a generated transcendental case (gen/x87.ts) the reference
// decides, and which part of the case the SDM leaves undefined. A case stores
// ST0, ST1, ST2 with FSTP m80 at [rbx+64], [rbx+80], [rbx+96] after the
// instruction, and its status word with FNSTENV at [rbx-0x70].
import { BF, bf, sub, sqrt, cmp, absBF, magnitude } from "./bigfloat.js";
import { Ext80, extValue, Exact, f2xm1, fyl2x, fyl2xp1, fpatan, trig } from "./x87.js";
import type { X87Case } from "../gen/x87.js";

export interface Check {
  off: number;      // where the result is stored, from [rbx]
  ref: Exact;
  c1: boolean;      // the status word's C1 reports this result's rounding
}
export interface Plan { checks: Check[]; vendorSpecific?: string }

// 1 - sqrt(2)/2, the bound of FYL2XP1's documented domain
const FYL2XP1_BOUND: BF = sub(bf(1), sqrt(bf(1, -1), 300), 300);

export function planOf(c: X87Case): Plan {
  const { cw, st } = c.x87;
  const name = c.name!;
  const arity = ["fyl2x", "fyl2xp1", "fpatan"].includes(name) ? 2 : 1;
  if (st.length < arity) return { checks: [] };              // stack underflow: the special tables
  const ops = st.slice(0, arity).map(extValue);
  const [x, y] = ops;
  // denormal operands stop the instruction when DE is unmasked
  if (!(cw & 2) && st.slice(0, arity).some((v) => (v.se & 0x7fff) === 0 && v.sig !== 0n)) return { checks: [] };
  const one = (r: Exact | null): Check[] => (r ? [{ off: 64, ref: r, c1: true }] : []);
  switch (name) {
    case "f2xm1":
      if (!x) return { checks: [] };
      if (cmp(absBF(x), bf(1)) > 0) return { checks: [], vendorSpecific: "F2XM1 outside [-1, 1]" };
      return { checks: one(f2xm1(x)) };
    case "fyl2x":
      return { checks: x && y ? one(fyl2x(x, y)) : [] };
    case "fyl2xp1": {
      if (!x || !y) return { checks: [] };
      const inside = cmp(absBF(x), FYL2XP1_BOUND) < 0;
      return { checks: one(fyl2xp1(x, y)), vendorSpecific: inside ? undefined : "FYL2XP1 outside ±(1 - sqrt(2)/2)" };
    }
    case "fpatan":
      return { checks: x && y ? one(fpatan(y, x)) : [] };
  }
  if (!x || magnitude(absBF(x)) >= 63) return { checks: [] };  // |x| >= 2^63: C2, operand kept
  switch (name) {
    case "fsin": return { checks: one(trig(x, "sin")) };
    case "fcos": return { checks: one(trig(x, "cos")) };
    case "fsincos": return { checks: [{ off: 64, ref: trig(x, "cos"), c1: false }, { off: 80, ref: trig(x, "sin"), c1: true }] };
    case "fptan": return { checks: [{ off: 80, ref: trig(x, "tan"), c1: true }] }; // (ST0 is the 1.0 pushed)
  }
  throw new Error(`no reference plan for ${name}`);
}

export const readExt = (block: Buffer, off: number): Ext80 => ({ sig: block.readBigUInt64LE(off), se: block.readUInt16LE(off + 8) });
