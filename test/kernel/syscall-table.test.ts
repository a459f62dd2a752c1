// The syscall table (src/kernel/syscalls/table.ts) against what it feeds: every area's handler is
// reachable through a row, every row's strace signature uses kinds --strace knows, the numbers are
// Linux's, and src/kernel/README.md's syscall list is what scripts/gen-syscall-docs.mjs makes.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SYSCALLS, AREAS, SYSCALL_TABLE } from "../../src/kernel/syscalls/table.js";
import { syscallDocs, withSection, DOCS_BEGIN, DOCS_END } from "../../src/kernel/syscalls/docs.js";
import { STRACE_KINDS } from "../../src/kernel/strace/format.js";
import { SYSCALL_NAMES } from "../../src/linux/syscall-numbers.js";

const README = path.resolve(__dirname, "../../src/kernel/README.md");

describe("the syscall table", () => {
  it("has one row per x86-64 syscall number, in order, named as Linux names it", () => {
    const nrs = SYSCALLS.map((r) => r.nr);
    expect(nrs).toEqual([...nrs].sort((a, b) => a - b));
    expect(new Set(nrs).size).toBe(nrs.length);
    const known = Object.keys(SYSCALL_NAMES).map(Number).filter((n) => SYSCALL_NAMES[n]);
    expect(nrs).toEqual(known);
    for (const r of SYSCALLS) expect(r.name).toBe(SYSCALL_NAMES[r.nr]);
  });

  it("reaches every handler of every area, and only rows with a handler claim support", () => {
    const rowsOf = new Set(SYSCALLS.filter((r) => r.area).map((r) => `${r.area}.${r.name}`));
    for (const [area, handlers] of Object.entries(AREAS)) {
      for (const name of Object.keys(handlers)) expect(rowsOf.has(`${area}.${name}`), `${area}.${name} has no row`).toBe(true);
    }
    for (const r of SYSCALLS) {
      expect(SYSCALL_TABLE[r.nr]).toBe(r.handler);
      if (r.area) expect(r.support, r.name).toMatch(/^(full|partial: )/);
      else { expect(r.support, r.name).toMatch(/^ENOSYS/); expect(r.strace).toBeNull(); }
    }
  });

  it("gives --strace signatures of known kinds", () => {
    for (const r of SYSCALLS) {
      if (!r.strace) continue;
      for (const k of r.strace.split(" ")) expect(STRACE_KINDS.has(k), `${r.name}: ${k}`).toBe(true);
    }
  });

  it("is what src/kernel/README.md lists (node scripts/gen-syscall-docs.mjs rewrites it)", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).toContain(DOCS_BEGIN);
    expect(readme).toContain(DOCS_END);
    expect(withSection(readme, syscallDocs(SYSCALLS)) === readme, "the README's syscall list is stale: run `npm run build:ts && node scripts/gen-syscall-docs.mjs`").toBe(true);
  });

  it("notices a stale list", () => {
    const readme = readFileSync(README, "utf8");
    const changed = SYSCALLS.map((r) => (r.name === "futex" ? { ...r, support: "full" } : r));
    expect(withSection(readme, syscallDocs(changed))).not.toBe(readme);
  });
});
