// Progress for `generate`: a bar on a terminal (done/total, flights per minute,
// ETA, failures), plain lines otherwise (logs, CI, containers). Wall-clock
// rates are the host's business: nothing here reaches a flight.
import cliProgress from "cli-progress";
import type { FlightRecord } from "./record.js";

export interface Progress {
  start(total: number, alreadyDone: number): void;
  flight(r: FlightRecord): void;
  stop(): void;
}

function duration(sec: number): string {
  if (!Number.isFinite(sec)) return "?";
  const s = Math.round(sec);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}h${String(m).padStart(2, "0")}m` : m ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

abstract class Rates implements Progress {
  protected total = 0;
  protected done = 0;
  protected failed = 0;
  protected ranNow = 0;
  private t0 = 0;
  start(total: number, alreadyDone: number): void {
    this.total = total; this.done = alreadyDone; this.t0 = performance.now();
    this.started(alreadyDone);
  }
  flight(r: FlightRecord): void {
    this.done++; this.ranNow++;
    if (r.status === "failed") this.failed++;
    this.changed(r);
  }
  protected perMinute(): number {
    const min = (performance.now() - this.t0) / 60000;
    return min > 0 ? this.ranNow / min : 0;
  }
  protected eta(): string {
    const rate = this.perMinute();
    return this.ranNow === 0 ? "?" : duration(((this.total - this.done) / rate) * 60);
  }
  protected abstract started(alreadyDone: number): void;
  protected abstract changed(r: FlightRecord): void;
  abstract stop(): void;
}

export class BarProgress extends Rates {
  private bar = new cliProgress.SingleBar({
    format: "{bar} {value}/{total} flights | {rate} flights/min | ETA {etaText} | failed {failed}",
    hideCursor: true, barsize: 30, etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  protected started(alreadyDone: number): void {
    this.bar.start(this.total, alreadyDone, { rate: "0.0", etaText: "?", failed: 0 });
  }
  protected changed(): void {
    this.bar.update(this.done, { rate: this.perMinute().toFixed(1), etaText: this.eta(), failed: this.failed });
  }
  stop(): void { this.bar.stop(); }
}

export class LineProgress extends Rates {
  private lastPrint = 0;
  private lastPct = -1;
  constructor(private out: (line: string) => void = (l) => process.stderr.write(l + "\n")) { super(); }
  protected started(alreadyDone: number): void {
    this.out(`generate: ${this.total} flights, ${alreadyDone} already complete, ${this.total - alreadyDone} to fly`);
  }
  protected changed(r: FlightRecord): void {
    if (r.status === "failed") this.out(`generate: ${r.id} failed: ${r.error}`);
    const pct = Math.floor((100 * this.done) / this.total);
    const now = performance.now();
    // One line per flight for small runs; otherwise on each whole percent or every 30 s.
    if (this.total <= 100 || pct !== this.lastPct || now - this.lastPrint > 30_000 || this.done === this.total) {
      this.lastPct = pct; this.lastPrint = now;
      this.out(`generate: ${this.done}/${this.total} done (${pct}%), ${this.failed} failed, ${this.perMinute().toFixed(1)} flights/min, ETA ${this.eta()}`);
    }
  }
  stop(): void { /* every line is already out */ }
}

export function progressFor(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? new BarProgress() : new LineProgress();
}
