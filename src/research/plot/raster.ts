// The syscall raster's marks, kept small for any number of calls: the
// recording's time is cut into a fixed number of bins, and for each syscall
// name and process a run of consecutive bins that all hold calls becomes one
// mark (its first and last bin, its calls counted), so a flight of 700 000
// calls draws at most bins × names × processes / 2 marks and in practice a
// few dozen: a name called every poll is one bar, a gap of one bin (a stall,
// a process that is gone) shows. Anomalous calls are rare and are what a
// reader looks for, so each is drawn at its own time, up to `maxAnomalous`;
// past that they are binned as the others are.
import type { Calls } from "./flight-data.js";

export interface RasterCell { t0: number; t1: number; name: string; process: string; calls: number }
export interface RasterPoint { t: number; name: string; process: string; cause: string }
export interface Raster { cells: RasterCell[]; anomalous: RasterPoint[]; binnedAnomalous: boolean; bins: number; names: string[] }

export function raster(c: Calls, startNs: number, endNs: number, bins: number, maxAnomalous: number): Raster {
  const width = Math.max(1, endNs - startNs) / bins;
  const np = c.processes.length;
  const nn = c.names.length;
  const occupied = new Map<number, Float64Array>();   // name * processes + process -> calls per bin
  const perName = new Float64Array(nn);
  let anomalousRows = 0;
  for (let i = 0; i < c.rows; i++) if (c.label[i] === 1) anomalousRows++;
  const own = anomalousRows <= maxAnomalous;
  const anomalous: RasterPoint[] = [];
  for (let i = 0; i < c.rows; i++) {
    perName[c.name[i]]++;
    if (own && c.label[i] === 1) {
      anomalous.push({ t: c.enterNs[i] / 1e9, name: c.names[c.name[i]], process: c.processes[c.process[i]], cause: c.causes[c.cause[i]] });
      continue;
    }
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((c.enterNs[i] - startNs) / width)));
    const key = c.name[i] * np + c.process[i];
    let perBin = occupied.get(key);
    if (!perBin) occupied.set(key, (perBin = new Float64Array(bins)));
    perBin[bin]++;
  }
  const cells: RasterCell[] = [];
  for (const key of [...occupied.keys()].sort((a, b) => a - b)) {
    const perBin = occupied.get(key)!;
    const name = c.names[Math.floor(key / np)], process = c.processes[key % np];
    for (let b = 0; b < bins; b++) {
      if (perBin[b] === 0) continue;
      let calls = 0;
      const first = b;
      while (b < bins && perBin[b] > 0) calls += perBin[b++];
      cells.push({ t0: (startNs + first * width) / 1e9, t1: (startNs + b * width) / 1e9, name, process, calls });
    }
  }
  // Most frequent names on top; ties by name, so the order is the same on every run.
  const names = c.names.map((name, k) => ({ name, k })).filter(({ k }) => perName[k] > 0)
    .sort((a, b) => perName[b.k] - perName[a.k] || (a.name < b.name ? -1 : 1)).map(({ name }) => name);
  return { cells, anomalous, binnedAnomalous: !own, bins, names };
}
