// The ideal model: the clock of every recording before the timing model, byte
// for byte: 200 ns per syscall between its SYSCALL and its SYSRET, nothing else.
import { IDEAL_SYSCALL_NS, NEVER, type Timing } from "./timing.js";

export class IdealTiming implements Timing {
  readonly model = "ideal" as const;
  syscall(): number { return IDEAL_SYSCALL_NS; }
  wake(): number { return IDEAL_SYSCALL_NS; }
  enter(): number { return 0; }
  fault(): number { return 0; }
  ticksDue(): number { return 0; }
  untilTick(): number { return NEVER; }
  idle(): void {}
}
