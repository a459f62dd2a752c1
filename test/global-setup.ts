// One temporary folder per test run: every test (and every program it runs)
// makes its temporary files under it through TMPDIR, and the run removes it at
// the end, so a run leaves nothing in /tmp however its tests end. Each vitest
// project (vitest.config.ts) runs this setup: the first makes the folder and
// the others share it, since nested folders would make paths too long for
// Chromium's sockets (test/research).
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";

export default function setup(): () => void {
  if (process.env.SKYTRACE_TEST_TMP) return () => {};
  const outer = process.env.TMPDIR || "/tmp";
  const dir = mkdtempSync(path.join(outer, "skytrace-test-"));
  process.env.TMPDIR = dir;
  process.env.SKYTRACE_TEST_TMP = dir;
  return () => {
    process.env.TMPDIR = outer;
    delete process.env.SKYTRACE_TEST_TMP;
    rmSync(dir, { recursive: true, force: true });
  };
}
