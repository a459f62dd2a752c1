// The autopilot inside the emulator (src/kernel) with the drone on the serial
// link: the wiring `skytrace fly` builds on. Normal only; scenarios are fly's tests.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { runProgram } from "../../src/kernel/run-program.js";
import { droneOnLink, telemetryCsv } from "../../src/drone/index.js";
import { ringRecords } from "../kernel/trace-records.js";

const guest = (n: string) => readFileSync(`build/guest/${n}`);

function fly(seed: number) {
  const { drone, link, device } = droneOnLink({ seed });
  const events = createHash("sha256");
  let syscalls = 0, selects = 0, reads = 0, last = 0n;
  const stderr: string[] = [];
  const out = runProgram({
    program: guest("flight-init"), guestPath: "/bin/flight-init", argv: ["/bin/flight-init", "normal", String(seed)],
    cwd: "/flight", serial: link, seed,
    report: (l) => stderr.push(l),
    trace: (ring, n) => {
      for (const r of ringRecords(ring, n)) {
        last = r.tick;
        events.update(`${r.tick} ${r.kind} ${r.regs.join(",")} ${r.cr3}\n`);
        if (r.kind !== "SYSCALL") continue;
        syscalls++;
        if (r.regs[0] === 23n) selects++;
        if (r.regs[0] === 0n) reads++;
      }
    },
  }, (k) => { k.installProgram("/bin/mkdir", guest("mkdir")); k.installProgram("/bin/autopilot", guest("autopilot")); });
  drone.advanceTo(Number(last));
  return { out, outcome: drone.outcome(), csv: telemetryCsv(drone.telemetry), trace: events.digest("hex"), syscalls, selects, reads, errors: device.errors, stderr };
}

describe("emulated flight over the serial link", () => {
  it("normal: flight-init and the autopilot in the emulator reach the destination and land, deterministically", () => {
    const a = fly(11);
    expect(a.stderr).toEqual([]);
    expect(a.out).toMatchObject({ kind: "exited", status: 0 });
    expect(a.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotState: "LANDED" });
    expect(a.errors).toBe(0);
    // The published trace is ~97 % select/read pairs; this one too.
    expect(a.selects).toBe(a.reads);
    expect((a.selects + a.reads) / a.syscalls).toBeGreaterThan(0.95);
    const b = fly(11);
    expect(b.csv).toBe(a.csv);
    expect(b.trace).toBe(a.trace);
    expect(b.syscalls).toBe(a.syscalls);
  }, 120_000);
});
