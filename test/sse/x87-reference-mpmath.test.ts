// The x87 reference (ref/) against mpmath, an independent arbitrary-precision
// library, on random arguments of every transcendental, argument reduction
// included (mpmath reduces with its own pi and the documented 66-bit pi/2).
// mpmath comes from the Python tests' shared venv (test/python/venv.ts);
// without python3 the test is skipped and says so.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pythonEnv } from "../python/venv.js";
import { BF, sub, magnitude, absBF } from "./ref/bigfloat.js";
import { f2xm1, fyl2x, fyl2xp1, fpatan, trig, Exact } from "./ref/x87.js";
import { Rng } from "../cpu/gen/rng.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const REQUIREMENTS = path.resolve(here, "../python/requirements.txt");

// Reads "f m:e [m:e]" lines (exact arguments m * 2^e), prints "m e" of f to 600 bits.
const SCRIPT = `
import sys, mpmath
mpmath.mp.prec = 900
K = 0x3243F6A8885A308D3
def num(s):
    m, e = s.split(':'); return mpmath.ldexp(mpmath.mpf(int(m)), int(e))
def trig(x, f):
    n = int(mpmath.ldexp(abs(x), 65)) if abs(x) >= 0.25 else None
    if n is None: a = abs(x)
    else:
        q = (2 * n + K) // (2 * K); a = mpmath.ldexp(mpmath.mpf(n - q * K), -65) + q * mpmath.pi / 2
    v = {'sin': mpmath.sin, 'cos': mpmath.cos, 'tan': mpmath.tan}[f](a)
    return -v if x < 0 and f != 'cos' else v
for line in sys.stdin:
    f, *a = line.split(); a = [num(s) for s in a]
    if f in ('sin', 'cos', 'tan'): v = trig(a[0], f)
    elif f == 'f2xm1': v = mpmath.expm1(a[0] * mpmath.ln2)
    elif f == 'fyl2x': v = a[1] * mpmath.log(a[0], 2)
    elif f == 'fyl2xp1': v = a[1] * mpmath.log1p(a[0]) / mpmath.ln2
    else: v = mpmath.atan2(a[1], a[0])
    v = mpmath.mpf(v); m, e = v.man_exp if v != 0 else (0, 0)
    print(int(m) * (-1 if v < 0 else 1), e)
`;

describe("x87 reference vs mpmath", () => {
  it("agrees to 300 bits on random arguments of every function", async (ctx) => {
    const env = await pythonEnv(REQUIREMENTS);
    if (env.skip !== undefined) { console.log(`x87 reference vs mpmath: skipped, ${env.skip}`); ctx.skip(); return; }
    const rng = new Rng(21);
    const arg = (lo: number, hi: number): BF => ({ m: (rng.u64() | (1n << 63n)) * (rng.int(2) ? -1n : 1n), e: lo + rng.int(hi - lo) - 63 });
    const pos = (x: BF): BF => ({ m: x.m < 0n ? -x.m : x.m, e: x.e });
    const cases: Array<{ f: string; args: BF[]; ref: Exact }> = [];
    for (let i = 0; i < 150; i++) {
      const t = arg(-30, 63);
      for (const f of ["sin", "cos", "tan"] as const) cases.push({ f, args: [t], ref: trig(t, f) });
      const u = arg(-40, 0), x = pos(arg(-200, 200)), y = arg(-20, 20), s = arg(-60, -1);
      cases.push({ f: "f2xm1", args: [u], ref: f2xm1(u)! });
      const l = fyl2x(x, y); if (l && "approx" in l) cases.push({ f: "fyl2x", args: [x, y], ref: l });
      const l1 = fyl2xp1(s, y); if (l1) cases.push({ f: "fyl2xp1", args: [s, y], ref: l1 });
      const ax = arg(-100, 100), ay = arg(-100, 100);
      cases.push({ f: "fpatan", args: [ax, ay], ref: fpatan(ay, ax) });
    }
    const input = cases.map((c) => `${c.f} ${c.args.map((a) => `${a.m}:${a.e}`).join(" ")}`).join("\n") + "\n";
    const r = spawnSync(env.python, ["-c", SCRIPT], { input, encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(cases.length);
    const bad: string[] = [];
    cases.forEach((c, i) => {
      const [m, e] = lines[i].split(" ");
      const want: BF = { m: BigInt(m), e: Number(e) };
      const got = "approx" in c.ref ? c.ref.approx(300) : c.ref.exact;
      const d = sub(got, want, 2000);
      if (d.m !== 0n && magnitude(d) >= magnitude(absBF(want)) - 300) bad.push(`${lines[i]} vs ${got.m}:${got.e} for ${input.split("\n")[i]}`);
    });
    console.log(`x87 reference vs mpmath: ${cases.length} values, ${bad.length} off by more than 2^-300`);
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
