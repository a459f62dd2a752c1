// The realistic model: each cost drawn from a distribution measured natively on
// a real machine (calibration.ts, docs/timing.md), with its own seeded
// generator (the kernel's xoshiro128**, a second instance): a syscall's kernel
// time by class, a wake-up's latency by what ended the sleep, the timer
// interrupt on a 4 ms grid while the CPU is busy, a context switch and cache
// refill, a page fault. Nothing is allocated per draw.
import { Random } from "../random.js";
import { Quantiles } from "./quantiles.js";
import { CALL_CLASSES, callClassTable, WAKE_CLASSES, wakeClassTable, wakeClass } from "./classes.js";
import type { TimingTable } from "./table.js";
import { CALIBRATION } from "./calibration.js";
import type { Timing } from "./timing.js";

const TWO32 = 4294967296;
// Made once per process: the syscall → class tables, and each table's distributions.
const CALL_OF = callClassTable();
const WAKE_OF = wakeClassTable();
const DISTRIBUTIONS = new WeakMap<TimingTable, Map<string, Quantiles>>();
function distribution(table: TimingTable, name: string): Quantiles {
  let m = DISTRIBUTIONS.get(table);
  if (!m) DISTRIBUTIONS.set(table, (m = new Map()));
  let q = m.get(name);
  if (!q) {
    const k = table.quantiles[name];
    if (!k) throw new Error(`timing table ${table.id}: no distribution for ${name}`);
    m.set(name, (q = new Quantiles(name, k)));
  }
  return q;
}

export class RealisticTiming implements Timing {
  readonly model = "realistic" as const;
  private readonly rng: Random;
  private readonly callOf = CALL_OF;
  private readonly wakeOf = WAKE_OF;
  private readonly calls: Quantiles[];
  private readonly wakes: Quantiles[];
  private readonly tick: Quantiles;
  private readonly switchCost: Quantiles;
  private readonly refill: Quantiles;
  private readonly refillWake: Quantiles;
  private readonly faultCost: Quantiles;
  private readonly period: number;
  private readonly phase: number;
  private nextTick: number;
  private lastPid = -1;
  private woke = false;

  constructor(seed: number, readonly table: TimingTable = CALIBRATION) {
    const q = (name: string): Quantiles => distribution(table, name);
    this.calls = CALL_CLASSES.map(q);
    this.wakes = WAKE_CLASSES.map(q);
    this.tick = q("tick");
    this.switchCost = q("switch");
    this.refill = q("refill");
    this.refillWake = q("refill.wake");
    this.faultCost = q("fault");
    this.period = table.tickPeriodNs;
    this.rng = new Random(seed);
    // Where the interrupt grid sits against the virtual clock's 0 (the machine booted earlier).
    this.phase = this.rng.next32() % this.period;
    this.nextTick = this.phase;
  }

  private draw(d: Quantiles): number { return d.at(this.rng.next32() / TWO32); }

  // `ns` of kernel or user time from `now`, plus the timer interrupts that fall inside it.
  private withTicks(now: number, ns: number): number {
    while (now + ns >= this.nextTick) {
      ns += this.draw(this.tick);
      this.nextTick += this.period;
    }
    return ns;
  }

  syscall(nr: number, now: number): number {
    const cls = nr >= 0 && nr < 512 ? this.callOf[nr] : 0;
    return this.withTicks(now, this.draw(this.calls[cls]));
  }

  wake(nr: number, result: number, now: number): number {
    const cls = wakeClass(nr >= 0 && nr < 512 ? this.wakeOf[nr] : 1, result);
    this.woke = true;
    return this.withTicks(now, this.draw(this.wakes[cls]));
  }

  enter(pid: number, now: number): number {
    const other = pid !== this.lastPid, woke = this.woke;
    this.lastPid = pid;
    this.woke = false;
    if (!other && !woke) return 0;
    // A wake-up's latency already holds the switch into the woken process (measured so); the
    // caches are colder after another process ran than after a sleep (measured both ways).
    const ns = woke ? this.draw(other ? this.refill : this.refillWake) : this.draw(this.switchCost) + this.draw(this.refill);
    return this.withTicks(now, ns);
  }

  fault(now: number): number { return this.withTicks(now, this.draw(this.faultCost)); }

  ticksDue(now: number): number {
    if (now < this.nextTick) return 0;
    const ns = this.draw(this.tick);
    this.nextTick += this.period;
    return this.withTicks(now, ns);
  }

  untilTick(now: number): number { return this.nextTick - now; }

  idle(now: number): void {
    if (now < this.nextTick) return;
    this.nextTick = this.phase + (Math.floor((now - this.phase) / this.period) + 1) * this.period;
  }
}
