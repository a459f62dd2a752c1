// LID-DS's metrics, as its Performance class counts them (algorithms/
// performance_measurement.py in LID-DS/LID-DS), over recordings scored in turn:
//
// - A recording is an exploit recording when it has an exploit time (here: the
//   start of its first anomaly episode); each syscall at or after that time is
//   "after the exploit", every other one is normal.
// - An alarm is a score above the threshold. In an exploit recording, alarms
//   after the exploit time are true positives, and the first of them makes the
//   recording detected (one correct alarm per recording); alarms before it are
//   false positives. In a normal recording every alarm is a false positive.
// - A consecutive false alarm (CFA) is a run of false-positive syscalls, counted
//   once when it ends: at the next syscall at or below the threshold, at the
//   first alarm after the exploit time, or when the recording ends. (LID-DS
//   closes a run still open at the end of a recording when the next one starts,
//   so a run at the very end of its last recording goes uncounted there; here
//   it counts.) Normal and exploit recordings' CFAs are counted apart.
// - detection rate = detected / exploit recordings; precision with CFA =
//   detected / (detected + CFAs of both kinds); F1 with CFA their harmonic mean;
//   LID-DS gives 0 where a denominator is 0, and so does this.
// - Detection time: for each detected recording, the time of its first correct
//   alarm minus its exploit time (LID-DS's alarm records hold that alarm's first
//   timestamp); listed, with mean, median and max.
export interface LiddsMetrics {
  exploitRecordings: number;
  normalRecordings: number;
  detectedRecordings: number;
  detectionRate: number;
  consecutiveFalseAlarms: number;
  consecutiveFalseAlarmsNormal: number;
  consecutiveFalseAlarmsExploits: number;
  precisionWithCfa: number;
  f1WithCfa: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  detectionTimeNs: Summary;
}

export interface Summary { count: number; mean: number | null; median: number | null; max: number | null }

export function summary(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: null, median: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    count: s.length,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    max: s[s.length - 1],
  };
}

export class LiddsCounter {
  private exploits = 0;
  private normals = 0;
  private detected = 0;
  private tp = 0;
  private fp = 0;
  private tn = 0;
  private fn = 0;
  private cfaNormal = 0;
  private cfaExploit = 0;
  private readonly times: number[] = [];
  // the recording being scored
  private exploitNs: number | null = null;
  private alarmed = false;
  private inRun = false;

  constructor(private readonly threshold: number) {}

  /** Starts a recording; exploitNs: the time of its exploit (its first episode's start), null for a normal one. */
  begin(exploitNs: number | null): void {
    this.exploitNs = exploitNs;
    this.alarmed = false;
    this.inRun = false;
    if (exploitNs === null) this.normals++; else this.exploits++;
  }

  private endRun(): void {
    if (!this.inRun) return;
    this.inRun = false;
    if (this.exploitNs === null) this.cfaNormal++; else this.cfaExploit++;
  }

  /** One syscall of the recording, in order. */
  add(enterNs: number, score: number): void {
    const alarm = score > this.threshold;
    const after = this.exploitNs !== null && enterNs >= this.exploitNs;
    if (!alarm) {
      this.endRun();
      if (after) this.fn++; else this.tn++;
      return;
    }
    if (after) {
      this.endRun();
      this.tp++;
      if (!this.alarmed) { this.alarmed = true; this.detected++; this.times.push(enterNs - this.exploitNs!); }
    } else {
      this.fp++;
      this.inRun = true;
    }
  }

  /** Ends the recording (closes a run of false alarms still open). */
  end(): void { this.endRun(); }

  result(): LiddsMetrics {
    const dr = this.exploits > 0 ? this.detected / this.exploits : 0;
    const cfa = this.cfaNormal + this.cfaExploit;
    const p = this.detected + cfa > 0 ? this.detected / (this.detected + cfa) : 0;
    const f1 = p + dr > 0 ? (2 * p * dr) / (p + dr) : 0;
    return {
      exploitRecordings: this.exploits,
      normalRecordings: this.normals,
      detectedRecordings: this.detected,
      detectionRate: dr,
      consecutiveFalseAlarms: cfa,
      consecutiveFalseAlarmsNormal: this.cfaNormal,
      consecutiveFalseAlarmsExploits: this.cfaExploit,
      precisionWithCfa: p,
      f1WithCfa: f1,
      truePositives: this.tp,
      falsePositives: this.fp,
      trueNegatives: this.tn,
      falseNegatives: this.fn,
      detectionTimeNs: summary(this.times),
    };
  }
}
