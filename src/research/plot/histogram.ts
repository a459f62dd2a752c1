// Δt histograms, normal calls against anomalous ones. Δt spans six decades
// (a few hundred ns between a read and its select, tens of ms across a
// sleep or a stall), so the bins are a tenth of a decade of log10(Δt in ns);
// each group is shown as its share of its own calls, since anomalous calls
// are a few in a hundred thousand. A group is "normal" or "anomalous: CAUSE".
import type { Calls } from "./flight-data.js";

export interface HistogramBin { group: string; name: string; lo: number; hi: number; calls: number; share: number }

export const BINS_PER_DECADE = 10;

export function groupOf(c: Calls, i: number): string {
  return c.label[i] === 1 ? `anomalous: ${c.causes[c.cause[i]] || "?"}` : "normal";
}

/**
 * Bins of every call's Δt (the first call's, 0, is left out: it has no
 * predecessor) by group, and by syscall name when `byName` (else name "all").
 * Only names in `names` (when given) are counted.
 */
export function deltaHistogram(c: Calls, byName: boolean, names?: ReadonlySet<string>): HistogramBin[] {
  const counts = new Map<string, Map<number, number>>();   // "group\0name" -> bin -> calls
  const totals = new Map<string, number>();
  for (let i = 0; i < c.rows; i++) {
    const d = c.deltaNs[i];
    if (d <= 0) continue;
    const name = c.names[c.name[i]];
    if (names && !names.has(name)) continue;
    const key = `${groupOf(c, i)}\0${byName ? name : "all"}`;
    const bin = Math.floor(Math.log10(d) * BINS_PER_DECADE);
    let m = counts.get(key);
    if (!m) counts.set(key, (m = new Map()));
    m.set(bin, (m.get(bin) ?? 0) + 1);
    totals.set(key, (totals.get(key) ?? 0) + 1);
  }
  const out: HistogramBin[] = [];
  for (const key of [...counts.keys()].sort()) {
    const [group, name] = key.split("\0");
    const total = totals.get(key)!;
    for (const [bin, calls] of [...counts.get(key)!].sort((a, b) => a[0] - b[0])) {
      out.push({ group, name, lo: 10 ** (bin / BINS_PER_DECADE), hi: 10 ** ((bin + 1) / BINS_PER_DECADE), calls, share: calls / total });
    }
  }
  return out;
}
