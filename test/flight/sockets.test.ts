// SOCKETS flights: the normal mission with UDP datagrams sent while cruising.
// socket/sendto appear only inside CRUISE, as the autopilot's STATE reports
// (write syscalls in the trace) and the drone's telemetry both place it.
import { afterAll, describe, expect, it } from "vitest";
import { fly, checkFiles, count, phase, telemetrySpan, removeTempDirs } from "./helpers.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";

afterAll(removeTempDirs);

describe("skytrace fly: sockets", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: reaches the destination and lands; socket and sendto only during CRUISE`, () => {
      const f = fly("sockets", seed);
      checkFiles(f, "sockets");
      expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotExitStatus: 0 });
      const cruise = phase(f, "CRUISE");
      // The state reports agree with what the drone logged (telemetry every 10 ms, plus the wire's delay).
      const span = telemetrySpan(f, "CRUISE");
      expect(Math.abs(span.first - cruise.startNs)).toBeLessThan(12e6);
      expect(Math.abs(span.last - cruise.endNs)).toBeLessThan(12e6);
      const net = f.raw.filter((e) => e.kind === "SYSCALL" && (Number(e.regs[0]) === NR.socket || Number(e.regs[0]) === NR.sendto));
      expect(count(f, "socket")).toBeGreaterThan(3);
      expect(count(f, "sendto")).toBe(count(f, "socket"));
      for (const e of net) {
        expect(Number(e.ts)).toBeGreaterThan(cruise.startNs);
        expect(Number(e.ts)).toBeLessThan(cruise.endNs);
      }
      // The datagrams go to 127.0.0.1 from the autopilot alone.
      const pilot = f.manifest.processes.find((p) => p.program === "/bin/autopilot")!;
      expect(new Set(net.map((e) => "0x" + e.cr3.toString(16)))).toEqual(new Set([pilot.cr3]));
    });
  }
});
