// bench/jit-interp.ts: the interpreted share with the JIT on, and what compiled code stopped before.
// Its counts must be the run's own: the instructions retired are those of the same program run by
// the interpreter alone (wrapping the compiled functions changes nothing), compiled code retired
// some, and what it charges to the places compiled code left never exceeds what the interpreter ran.
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Machine } from "../../src/machine/machine.js";
import { runProgram } from "../../src/kernel/run-program.js";

const ROOT = path.resolve(__dirname, "../..");
const lua = path.join(ROOT, "build/guest/bench-libs/lua");

describe("bench/jit-interp.ts", () => {
  it.skipIf(!existsSync(lua))("Lua: retired = the interpreter's count, interpreted + compiled = retired, nothing charged twice", () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, "dist/bench/jit-interp.js"), "1000", "lua"], { encoding: "utf8" });
    const m = out.match(/^lua 10: (\d+) instructions retired, (\d+) interpreted \([0-9.]+ %\), (\d+) compiled$/m);
    expect(m, out).not.toBeNull();
    const [retired, interpreted, compiled] = m!.slice(1).map(BigInt);
    expect(compiled).toBeGreaterThan(0n);
    expect(interpreted).toBeGreaterThan(0n);
    expect(interpreted + compiled).toBe(retired);

    const machine = new Machine(undefined, { jit: false });
    const r = runProgram({
      program: readFileSync(lua), guestPath: "/bench/lua", argv: ["lua", "10"],
      stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine,
    });
    expect(r.kind === "exited" && r.status).toBe(0);
    expect(machine.ticks).toBe(retired);

    // What was left for "(from the host)" after charging the exits: never negative.
    const host = out.match(/^\| \(from the host\) \| (-?\d+) \|/m);
    expect(host, out).not.toBeNull();
    expect(Number(host![1])).toBeGreaterThanOrEqual(0);
  });
  if (!existsSync(lua)) console.log("bench/jit-interp.ts: skipped: build/guest/bench-libs/lua was not built (Debian's liblua5.4-dev is missing)");
});
