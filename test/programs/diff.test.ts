// Program-level differential tests: each guest test program runs natively
// under strace and under `skytrace exec --trace`; stdout bytes, exit status
// and every process's syscall name sequence must match (after the allow-list
// in normalize.ts). Skipped until `skytrace exec` runs the hello program;
// cases that need x87 code are skipped until the core runs probe_x87,
// cases with a known emulator gap (cases.ts) run as expected failures, and
// cases printing x87 transcendental results allow their last bit to differ;
// cases that print what the file system decides run natively on ext4.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { rmSync } from "node:fs";
import { runNative, hasStrace } from "../reference/native-run.js";
import { runEmulated, emulatorRunsHello, emulatorRunsX87, GUEST_TESTS } from "./emulated-run.js";
import { groupProcesses } from "./processes.js";
import { canonical, emulatedNames, nativeNames } from "./normalize.js";
import { CASES } from "./cases.js";
import { compareUpToLastBit } from "./last-bit.js";
import { ext4Folder } from "./native-fs.js";

const ready = hasStrace() && emulatorRunsHello();
const x87 = ready && emulatorRunsX87();

describe("guest programs: native (strace) vs skytrace exec", () => {
  for (const c of CASES) {
    const skip = !ready || (c.x87 && !x87);
    const name = skip && c.x87 ? `${c.name} (needs x87 in the core)` : c.knownGap ? `${c.name} (expected to fail, known gap: ${c.knownGap})` : c.name;
    (c.knownGap ? it.fails : it).skipIf(skip)(name, (ctx) => {
      const program = path.join(GUEST_TESTS, c.program);
      const args = c.args ?? [];
      const fs = c.nativeFs ? ext4Folder() : undefined;
      if (fs && !fs.dir) {
        console.log(`${c.name}: skipped: it prints what ext4 reports, and ${fs.why}`);
        ctx.skip();
      }
      let native;
      try {
        native = runNative(program, args, { stdin: c.stdin, cwd: fs?.dir });
      } finally {
        if (fs?.dir) rmSync(fs.dir, { recursive: true, force: true });
      }
      const emu = runEmulated(program, args, { stdin: c.stdin });

      const why = `skytrace stderr:\n${emu.stderr.toString("utf8").slice(0, 2000)}`;
      if (c.transcendentalLastBit) {
        const tolerated: string[] = [];
        expect(compareUpToLastBit(native.stdout.toString("latin1"), emu.stdout.toString("latin1"), tolerated), why).toBeNull();
        if (tolerated.length) console.log(`${c.name}: last-bit differences (${c.transcendentalLastBit}):\n  ${tolerated.join("\n  ")}`);
      } else {
        expect(emu.stdout.toString("latin1"), why).toBe(native.stdout.toString("latin1"));
      }
      expect(emu.status, why).toBe(native.status);
      if (!c.signalled) expect(emu.stderr.toString("latin1")).toBe(native.stderr.toString("latin1"));

      const nat = canonical(native.processes.map((p) => nativeNames(p.calls)));
      const emul = canonical(groupProcesses(emu.events).map((p) => emulatedNames(p.events)));
      expect(emul.map((p) => p[0]), "processes (by first call)").toEqual(nat.map((p) => p[0]));
      for (let i = 0; i < nat.length; i++) expect(emul[i].join("\n"), `syscalls of process ${i}`).toBe(nat[i].join("\n"));
    });
  }
});
