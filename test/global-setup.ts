// One temporary folder per test run: every test (and every program it runs)
// makes its temporary files under it through TMPDIR, and the run removes it at
// the end, so a run leaves nothing in /tmp however its tests end.
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";

export default function setup(): () => void {
  const outer = process.env.TMPDIR || "/tmp";
  const dir = mkdtempSync(path.join(outer, "skytrace-test-"));
  process.env.TMPDIR = dir;
  return () => {
    process.env.TMPDIR = outer;
    rmSync(dir, { recursive: true, force: true });
  };
}
