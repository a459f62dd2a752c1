// Assembling a snippet (Intel syntax) with the host's GNU as: its bytes and
// the offsets of its labels, for core tests that need labelled code.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Assembled { code: Uint8Array; at: Record<string, number> }

export function assemble(source: string): Assembled {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-asm-"));
  try {
    const s = path.join(dir, "a.s"), o = path.join(dir, "a.o"), bin = path.join(dir, "a.bin");
    writeFileSync(s, `.intel_syntax noprefix\n.text\n${source}\n`);
    execFileSync("as", ["--64", "-o", o, s]);
    execFileSync("objcopy", ["-O", "binary", "-j", ".text", o, bin]);
    const at: Record<string, number> = {};
    for (const line of execFileSync("nm", [o], { encoding: "utf8" }).split("\n")) {
      const m = /^([0-9a-f]+) [tT] (\S+)$/.exec(line.trim());
      if (m) at[m[2]] = parseInt(m[1], 16);
    }
    return { code: new Uint8Array(readFileSync(bin)), at };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
