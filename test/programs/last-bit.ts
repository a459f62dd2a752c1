// Output comparison for programs that print results of the x87
// transcendental instructions: the host's microcode (AMD here, Intel
// differently) is not correctly rounded, while the core rounds once from a
// wide result, so such values may differ in their last bit. Every other byte
// must match: a line may differ only in `%La` tokens (hex long doubles), and
// each of those by at most one unit in the last place of the 64-bit
// significand.

const HEX_LONG_DOUBLE = /^(-?)0x([0-9a-f])(?:\.([0-9a-f]+))?p([+-]\d+)$/;

/** The value of a `%La` token as sign, 64-bit significand and binary exponent, or null. */
export function parseLa(token: string): { neg: boolean; sig: bigint; exp: number } | null {
  const m = HEX_LONG_DOUBLE.exec(token);
  if (!m || (m[3] ?? "").length > 15) return null;
  // glibc prints the significand as one hex digit 8..f (the explicit integer bit and three more)
  // and up to 15 fraction digits with trailing zeros dropped: 64 bits once padded.
  return { neg: m[1] === "-", sig: BigInt(`0x${m[2]}${(m[3] ?? "").padEnd(15, "0")}`), exp: Number(m[4]) - 60 };
}

/** True when a and b are `%La` tokens of the same sign at most one ulp apart (across a binade too). */
export function withinOneUlp(a: string, b: string): boolean {
  const x = parseLa(a), y = parseLa(b);
  if (!x || !y || x.neg !== y.neg) return false;
  const e = Math.min(x.exp, y.exp);
  const d = (x.sig << BigInt(x.exp - e)) - (y.sig << BigInt(y.exp - e));
  return d >= -1n && d <= 1n;
}

/**
 * Compares outputs line by line and token by token; returns null when they
 * agree up to last-bit differences in `%La` tokens, else the first difference.
 * `tolerated` lists the differences accepted, for the test's report.
 */
export function compareUpToLastBit(native: string, emulated: string, tolerated: string[] = []): string | null {
  const n = native.split("\n"), e = emulated.split("\n");
  if (n.length !== e.length) return `line counts differ: ${n.length} native, ${e.length} emulated`;
  for (let i = 0; i < n.length; i++) {
    if (n[i] === e[i]) continue;
    const nt = n[i].split(" "), et = e[i].split(" ");
    if (nt.length !== et.length) return `line ${i + 1} differs:\n  native:   ${n[i]}\n  emulated: ${e[i]}`;
    for (let j = 0; j < nt.length; j++) {
      if (nt[j] === et[j]) continue;
      if (!withinOneUlp(nt[j], et[j])) return `line ${i + 1} differs beyond the last bit:\n  native:   ${n[i]}\n  emulated: ${e[i]}`;
      tolerated.push(`line ${i + 1}: ${nt[j]} native, ${et[j]} emulated`);
    }
  }
  return null;
}
