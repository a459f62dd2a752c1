// The kernel's virtual clock as plain numbers over the core's u64 tick counter:
// exact through 2^53 ns, coherent with the core's own writes, and refusing to go
// where a number would no longer be exact.
import { describe, expect, it } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { Clock, ClockOverflow, EPOCH_NS, MAX_NS, clampNs } from "../../src/kernel/clock.js";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

describe("kernel clock", () => {
  const m = new Machine();
  const c = new Clock(m);

  it("reads the core's counter exactly, across the 32-bit halves", () => {
    for (const t of [0n, 1n, 0xffffffffn, 0x100000000n, 2n ** 40n + 123n, 2n ** 53n - 1n]) {
      m.ticks = t;
      expect(c.now).toBe(Number(t));
      expect(c.nowBig).toBe(t);
      expect(c.wall).toBe(EPOCH_NS + t);
    }
  });

  it("writes the counter exactly, and sees the core's later writes", () => {
    c.now = 2 ** 52 + 1;
    expect(m.ticks).toBe(2n ** 52n + 1n);
    c.advance(200);
    expect(m.ticks).toBe(2n ** 52n + 201n);
    m.ticks = 5n; // the core moved the counter (same value in the low half as before would not fool it)
    expect(c.now).toBe(5);
    m.ticks = 2n ** 32n + 5n;
    expect(c.now).toBe(2 ** 32 + 5);
  });

  it("refuses values that a number cannot hold exactly", () => {
    m.ticks = 2n ** 53n;
    expect(() => c.now).toThrow(ClockOverflow);
    expect(() => { c.now = 2 ** 53; }).toThrow(ClockOverflow);
    expect(() => { c.now = -1; }).toThrow(ClockOverflow);
    expect(() => { c.now = 1.5; }).toThrow(ClockOverflow);
    m.ticks = 0n;
    expect(c.now).toBe(0);
  });

  it("deadlines from guest timeouts are exact, or clamped far in the future", () => {
    m.ticks = 1000n;
    expect(c.after(5n)).toBe(1005);
    expect(c.after(BigInt(MAX_NS) - 1000n)).toBe(MAX_NS);
    expect(c.after(10n ** 30n)).toBe(MAX_NS);
    expect(clampNs(123n)).toBe(123);
    expect(clampNs(2n ** 64n)).toBe(MAX_NS);
  });
});

describe("kernel clock: advance", () => {
  it("carries into the high half, and takes the general path for large steps", () => {
    const m = new Machine();
    const c = new Clock(m);
    m.ticks = 0xffffff00n;
    c.advance(0x200);
    expect(m.ticks).toBe(0x100000100n);
    expect(c.now).toBe(0x100000100);
    c.advance(2 ** 40);
    expect(m.ticks).toBe(0x100000100n + 2n ** 40n);
    c.advance(0);
    expect(c.now).toBe(0x100000100 + 2 ** 40);
    expect(() => c.advance(2 ** 53)).toThrow(ClockOverflow);
  });
});

// docs/dataset.md promises a dataset user the guest's wall clock: 2019-01-01T00:00:00Z at tick 0.
describe.skipIf(!coreRunsGlibc())("the guest's wall clock", () => {
  it("starts at 2019-01-01T00:00:00Z: time(), CLOCK_REALTIME and a new file's mtime", () => {
    const src = `#include <stdio.h>
#include <time.h>
#include <sys/stat.h>
int main(void) {
  struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
  struct stat st; FILE *f = fopen("/tmp/new", "w"); fclose(f); stat("/tmp/new", &st);
  printf("%ld %ld %ld\\n", (long)time(NULL), (long)t.tv_sec, (long)st.st_mtime);
  return 0;
}
`;
    const r = runGuest(build(tmp(), "wallclock", src, "c"));
    // Well under a second of virtual time has passed when the program asks.
    expect(r.stdout).toBe("1546300800 1546300800 1546300800\n");
    expect(new Date(1546300800 * 1000).toISOString()).toBe("2019-01-01T00:00:00.000Z");
  });
});
