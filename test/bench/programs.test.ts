// bench/programs.ts: the library programs' rows. Lua's row is run (both tiers against native: the
// same output), and a program whose binary was not built gets a row that says why.
import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { measureProgram, programsTable, PROGRAMS } from "../../bench/programs.js";

const ROOT = path.resolve(__dirname, "../..");
const lua = path.join(ROOT, "build/guest/bench-libs/lua");

describe("bench/programs.ts", () => {
  it.skipIf(!existsSync(lua))("Lua: the same output natively and in both tiers, the JIT compiling", () => {
    const r = measureProgram(ROOT, { ...PROGRAMS.find((p) => p.name === "lua")!, args: ["2"] }, 1);
    expect(r.skipped).toBeUndefined();
    expect(r.outputsMatch).toBe(true);
    expect(r.jitTraces).toBeGreaterThan(0);
    // The first run in a fresh process compiles from nothing (issue 14's compile-time target is for it).
    expect(r.firstTraces).toBeGreaterThan(0);
    expect(r.firstCompileSec).toBeGreaterThan(0);
    expect(programsTable([r])).toMatch(/\| lua 2 \| [0-9.]+ s \|.*\| yes \|$/m);
  });
  if (!existsSync(lua)) console.log("bench/programs.ts: the Lua run skipped: build/guest/bench-libs/lua was not built (Debian's liblua5.4-dev is missing)");

  it("a program not built is a row saying why", () => {
    const r = measureProgram(ROOT, { name: "no-such-program", what: "nothing", args: [] }, 1);
    expect(r.skipped).toMatch(/no-such-program is missing/);
    expect(programsTable([r])).toMatch(/\| no-such-program {2}\| skipped: /);
  });
});
