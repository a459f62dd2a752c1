// The raw trace that `skytrace exec --trace` writes passes the strict reader,
// is byte-identical from run to run, and `skytrace process` turns it into
// exactly one processed line per SYSCALL event. Skipped until exec runs hello.
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseRawText } from "./trace-text.js";
import { parseProcessedText } from "./processed-reader.js";
import { runSkytrace, emulatorRunsHello, GUEST_TESTS } from "../programs/emulated-run.js";

const ready = emulatorRunsHello();

describe.skipIf(!ready)("raw traces written by skytrace exec", () => {
  it("are strict, deterministic, and process to one line per SYSCALL", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "exec-trace-"));
    const traces = ["a.txt", "b.txt"].map((f) => path.join(dir, f));
    for (const t of traces) {
      const r = runSkytrace(["exec", "--trace", t, path.join(GUEST_TESTS, "forkexec")]);
      expect(r.status).toBe(0);
    }
    const raw = readFileSync(traces[0], "latin1");
    expect(readFileSync(traces[1], "latin1")).toBe(raw);
    const events = parseRawText(raw, traces[0]);
    const syscalls = events.filter((e) => e.kind === "SYSCALL");
    expect(syscalls.length).toBeGreaterThan(100);
    expect(new Set(events.map((e) => e.cr3)).size).toBeGreaterThanOrEqual(4); // parent, exec'ed child (2 address spaces), writer, signalled

    const out = path.join(dir, "p.txt");
    const r = runSkytrace(["process", traces[0], "-o", out]);
    expect(r.status).toBe(0);
    const processed = parseProcessedText(readFileSync(out, "latin1"), out);
    expect(processed.length).toBe(syscalls.length);
    processed.forEach((l, i) => {
      expect(l.callPlusOne).toBe(syscalls[i].regs[0] + 1n);
      expect(l.delta).toBe(i === 0 ? 0n : syscalls[i].ts - syscalls[i - 1].ts);
    });
  });
});
