// The export's byte-level raw reader agrees with the reference line reader
// (src/dataset/raw-reader.ts parseRawLine): the same values on a real flight
// and on edge values, and it refuses every line the reference refuses.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { rawColumns } from "../../src/generate/raw-columns.js";
import { parseRawLine, TraceFormatError } from "../../src/dataset/raw-reader.js";
import { runFlight } from "../../src/flight/run-flight.js";
import type { FlightOptions } from "../../src/flight/options.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

function reference(text: string) {
  const lines = text.split("\n");
  lines.pop();
  return lines.map((l, i) => parseRawLine(l, i + 1));
}

function agree(text: string): number {
  const c = rawColumns(Buffer.from(text, "latin1"), "t.txt");
  const ref = reference(text);
  expect(c.n).toBe(ref.length);
  expect(c.calls).toBe(ref.filter((e) => e.kind === "SYSCALL").length);
  ref.forEach((e, i) => {
    expect(c.tick[i]).toBe(e.ts);
    expect(c.cr3[i]).toBe(e.cr3);
    expect(c.isCall[i]).toBe(e.kind === "SYSCALL" ? 1 : 0);
    if (e.kind === "SYSCALL") {
      expect(c.nr[i]).toBe(e.regs[0]);
      for (let a = 0; a < 6; a++) expect(c.args[a][i]).toBe(e.regs[a + 1]);
    }
  });
  return c.n;
}

describe("raw trace to columns", () => {
  it("reads a real flight's raw file exactly as the reference reader", () => {
    const dir = tempDir("cols");
    const r = runFlight({ scenario: "sockets", seed: 4, outDir: dir, drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } } as FlightOptions);
    expect(agree(readFileSync(r.files.raw, "latin1"))).toBeGreaterThan(1000);
  });

  it("reads edge values: 0, 2^32, 2^53 + 1 ticks, all-ones registers", () => {
    const max = "0xffffffffffffffff";
    agree(
      `0, SYSCALL,0x0,0x1,${max},0x100000000,0xffffffff,0x8000000000000000,0xabcdef0123456789,0x1000\n` +
      `4294967296, SYSRET,0x1000\n` +
      `9007199254740993, SYSRET,${max}\n` +
      `18446744073709551615, SYSCALL,0x3c,0x0,0x0,0x0,0x0,0x0,0x0,0x2000\n`,
    );
  });

  it("refuses what the reference refuses, naming the line", () => {
    const good = "5, SYSRET,0x1000\n";
    const bad = [
      "05, SYSRET,0x1000", "5, SYSRET,0x01000", "5, SYSRET,0x1000\r", "5, SYSRET,0X1000", "5, SYSRET,0xABC", "5,SYSRET,0x1000",
      "5, SYSRET,0x1000,", "", "5, SYSCALL,0x1,0x2,0x3,0x4,0x5,0x6,0x7", "5, SYSCALL,0x1,0x2,0x3,0x4,0x5,0x6,0x7,0x8,0x9",
      "5, SYSRET,0x10000000000000000", "5, SYSRET,", " 5, SYSRET,0x1", "-5, SYSRET,0x1", "5, sysret,0x1",
    ];
    for (const b of bad) {
      expect(() => parseRawLine(b, 2), JSON.stringify(b)).toThrow(TraceFormatError);
      expect(() => rawColumns(Buffer.from(good + b + "\n" + good, "latin1"), "t.txt"), JSON.stringify(b)).toThrow(/t\.txt:2: /);
    }
    expect(() => rawColumns(Buffer.from(good + "5, SYSRET,0x1", "latin1"), "t.txt")).toThrow(/not terminated by a newline/);
  });
});
