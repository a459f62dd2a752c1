// --fs DIR: a host folder appears read-only at its own path, its files with the host's size, mode
// and mtime; nothing else of the host is visible.
import { describe, it, expect } from "vitest";
import { readFileSync, writeFileSync, mkdirSync, chmodSync, utimesSync } from "node:fs";
import path from "node:path";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

describe.skipIf(!coreRunsGlibc())("host folder import", () => {
  it("is readable, read-only, and the only host content the guest sees", () => {
    const d = tmp();
    const shared = path.join(d, "shared");
    mkdirSync(path.join(shared, "sub"), { recursive: true });
    writeFileSync(path.join(shared, "data.txt"), "from the host");
    writeFileSync(path.join(shared, "sub", "deep.txt"), "12345");
    chmodSync(path.join(shared, "sub", "deep.txt"), 0o640);
    utimesSync(path.join(shared, "sub", "deep.txt"), 1_234_567_890.5, 1_234_567_890.5);
    const exe = build(d, "hostfs", readFileSync(path.join(__dirname, "programs/hostfs.c"), "utf8"), "c");
    const r = runGuest(exe, [shared], { fsDirs: [shared] });
    expect(r.stdout).toBe(
      "read 13 [from the host]\n" +
      "open for write: -1 Read-only file system\n" +
      "create inside: -1 Read-only file system\n" +
      "host /etc/passwd: -1 No such file or directory\n" +
      "stat nested: 0 size 5 mode 640 mtime 1234567890.500000000\n" +
      "tmp writable: 2\n");
    expect(readFileSync(path.join(shared, "data.txt"), "utf8")).toBe("from the host");
  });
});
