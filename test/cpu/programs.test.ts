// Real gcc -O2 -static programs (test/native/programs/*.c and the factoring
// benchmark) run natively and in the core under test/cpu/minilinux.ts: stdout
// and exit status must match. This exercises the integer core on glibc's own
// code (start-up, stdio, malloc, SSE2 string routines, qsort, setjmp).
import { describe, it, expect } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runProgram } from "./minilinux.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(here, "../native/programs");
const outDir = mkdtempSync(path.join(tmpdir(), "skytrace-progs-"));

const programs: Array<[string, string, string[]]> = readdirSync(srcDir)
  .filter((f) => f.endsWith(".c"))
  .map((f) => [f.slice(0, -2), path.join(srcDir, f), []]);

describe("static programs: core vs native", () => {
  for (const [name, src, args] of programs) {
    it(name, () => {
      const exe = path.join(outDir, name);
      execFileSync("gcc", ["-O2", "-static", "-o", exe, src, "-lm"]);
      const native = spawnSync(exe, args, { encoding: "latin1" });
      const r = runProgram(exe, [exe, ...args]);
      expect(r.fault ?? "").toBe("");
      expect(r.stdout).toBe(native.stdout);
      expect(r.exitCode).toBe(native.status);
    });
  }
  const factor = path.resolve(here, "../../build/guest/bench/factor");
  it.runIf(existsSync(factor))("factor benchmark (and its speed)", () => {
    const native = spawnSync(factor, ["6"], { encoding: "latin1" });
    const r = runProgram(factor, ["factor", "6"]);
    expect(r.fault ?? "").toBe("");
    expect(r.stdout).toBe(native.stdout);
    console.log(`factor 6: ${r.ticks} instructions in ${r.seconds.toFixed(2)} s = ${(Number(r.ticks) / r.seconds / 1e6).toFixed(1)} MIPS`);
  });
});
