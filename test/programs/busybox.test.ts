// A real program's view of mknod and st_blocks: Debian's busybox-static makes
// a FIFO, files, symlinks and a directory, prints `ls -l`'s total (the sum of
// st_blocks) and `stat` of each, and passes a line through the FIFO between
// two processes; natively (in a folder on ext4, see native-fs.ts) and under
// `skytrace exec`, the output must be the same. .ci/run installs the package;
// elsewhere the test is skipped, with the reason printed, when it is missing.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { runSkytrace } from "./emulated-run.js";
import { NATIVE_ENV } from "../reference/native-run.js";
import { ext4Folder } from "./native-fs.js";

const BUSYBOX = "/usr/bin/busybox";
const SCRIPT = [
  "umask 022",
  "busybox mkfifo p",
  "echo hi > t",
  "busybox ln -s abcdefg l",
  "busybox ln -s a-target-that-is-sixty-bytes-long-so-ext4-gives-it-a-block-x l60",
  "busybox mkdir d",
  "busybox dd if=/dev/zero of=z bs=1000 count=9 2>/dev/null",
  "busybox ls -l | busybox head -1",
  'busybox stat -c "%A %h %s %b %F %N" d l l60 p t z',
  "(echo through the fifo > p &)",
  "busybox cat p",
  "busybox rm p t l l60 z",
  "busybox rmdir d",
].join(" && ");

const missing = existsSync(BUSYBOX) ? null : `${BUSYBOX} is missing (apt-get install busybox-static; .ci/run does)`;
if (missing) console.log(`busybox: skipped: ${missing}`);

describe.skipIf(missing !== null)("busybox-static: mkfifo, ls -l and stat, native vs skytrace exec", () => {
  it("prints the same total, types, sizes and st_blocks, and passes a line through the FIFO", (ctx) => {
    const fs = ext4Folder();
    if (!fs.dir) {
      console.log(`busybox: skipped: it prints what ext4 reports, and ${fs.why}`);
      ctx.skip();
    }
    let native;
    try {
      native = spawnSync(BUSYBOX, ["sh", "-c", SCRIPT], { cwd: fs.dir, env: NATIVE_ENV, encoding: "latin1", timeout: 60_000 });
    } finally {
      rmSync(fs.dir!, { recursive: true, force: true });
    }
    expect(native.status, native.stderr).toBe(0);
    expect(native.stdout).toContain("prw-r--r-- 1 0 0 fifo p");
    const emu = runSkytrace(["exec", BUSYBOX, "sh", "-c", SCRIPT]);
    expect(emu.stdout.toString("latin1"), emu.stderr.toString("latin1")).toBe(native.stdout);
    expect(emu.status).toBe(0);
  });
});
