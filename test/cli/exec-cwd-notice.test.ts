// exec --sysroot from a working directory the guest cannot show (src/cli/cwd-notice.ts): one note
// on stderr saying what hides it and how to show it, and nothing when the guest sees it.
import { describe, it, expect, afterAll } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, built, runCli } from "./helpers.js";
import { hiddenCwdNotice } from "../../src/cli/cwd-notice.js";

describe("hiddenCwdNotice", () => {
  it("names the kernel's own folder that hides the working directory and the --fs that shows it", () => {
    for (const own of ["/tmp", "/dev"]) {
      const cwd = `${own}/work/x`;
      expect(hiddenCwdNotice(cwd, cwd, "/", [])).toBe(`skytrace: note: the working directory ${cwd} is not visible to the program: ` +
        `the guest's ${own} is its own, which hides the host's, so it starts in an empty ${cwd}; add --fs ${cwd} to show it`);
    }
    expect(hiddenCwdNotice("/tmp", "/tmp", "/", [])).toMatch(/guest's \/tmp is its own.*add --fs \/tmp to show it$/);
  });

  it("/proc and /sys, and a sysroot's own /tmp, cannot be shown: run from another folder", () => {
    expect(hiddenCwdNotice("/proc/1", "/proc/1", "/", [])).toMatch(/the guest's \/proc is its own.*; run it from another folder$/);
    expect(hiddenCwdNotice("/sys/kernel", "/sys/kernel", "/", [])).toMatch(/the guest's \/sys is its own.*; run it from another folder$/);
    expect(hiddenCwdNotice("/srv/root/tmp/x", "/tmp/x", "/srv/root", []))
      .toBe("skytrace: note: the working directory /srv/root/tmp/x is not visible to the program: the guest's /tmp is its own, " +
        "which hides the sysroot's, so it starts in an empty /tmp/x; run it from another folder");
    // --fs imports at the host path, not at the sysroot's /tmp/x: it does not help there.
    expect(hiddenCwdNotice("/srv/root/tmp/x", "/tmp/x", "/srv/root", ["/srv/root/tmp/x"])).toMatch(/run it from another folder$/);
  });

  it("a working directory outside a sysroot other than /: the guest's is the sysroot's, or empty", () => {
    expect(hiddenCwdNotice("/home/u", "/home/u", "/srv/root", [])).toBe("skytrace: note: the working directory /home/u is outside " +
      "the sysroot /srv/root: the program starts in the sysroot's /home/u, or an empty one; add --fs /home/u to show this one");
  });

  it("says nothing when the guest sees the folder: in the sysroot, or imported with --fs (itself or a folder above it)", () => {
    expect(hiddenCwdNotice("/home/u", "/home/u", "/", [])).toBeUndefined();
    expect(hiddenCwdNotice("/srv/root/home/u", "/home/u", "/srv/root", [])).toBeUndefined();
    expect(hiddenCwdNotice("/tmp/work/x", "/tmp/work/x", "/", ["/tmp/work/x"])).toBeUndefined();
    expect(hiddenCwdNotice("/tmp/work/x", "/tmp/work/x", "/", ["/tmp/work"])).toBeUndefined();
    expect(hiddenCwdNotice("/tmp/workshop", "/tmp/workshop", "/", ["/tmp/work"])).toBeDefined();
    expect(hiddenCwdNotice("/home/u/a", "/home/u/a", "/srv/root", ["/home/u"])).toBeUndefined();
  });
});

// A folder under the host's own /tmp (not os.tmpdir(): that may be elsewhere), where a user's
// checkout often is; the distribution's cat runs from the sysroot /.
const LOADER = "/lib64/ld-linux-x86-64.so.2";
const why = !built ? "not built" : !existsSync(LOADER) || !existsSync("/usr/bin/cat") ? `${LOADER} or /usr/bin/cat is missing` : null;
if (why) console.log(`exec's working-directory note: skipped: ${why}`);
describe.skipIf(why !== null)("skytrace exec --sysroot / from a folder under the host's /tmp", () => {
  const made: string[] = [];
  afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
  const folder = (parent: string): string => {
    mkdirSync(parent, { recursive: true });
    const d = mkdtempSync(path.join(parent, "skytrace-cwd-"));
    made.push(d);
    writeFileSync(path.join(d, "data.txt"), "the host's file\n");
    return d;
  };

  it("prints the note, and the program, as without it, does not find the file", async () => {
    const d = folder("/tmp");
    const r = await runCli(["exec", "--sysroot", "/", "/usr/bin/cat", "data.txt"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`skytrace: note: the working directory ${d} is not visible to the program: the guest's /tmp is its own, ` +
      `which hides the host's, so it starts in an empty ${d}; add --fs ${d} to show it\n/usr/bin/cat: data.txt: No such file or directory\n`);
  });

  it("with the --fs the note names, the program reads the file and nothing is noted", async () => {
    const d = folder("/tmp");
    const r = await runCli(["exec", "--sysroot", "/", "--fs", d, "/usr/bin/cat", "data.txt"], { cwd: d });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "the host's file\n", ""]);
  });

  it("from a folder the sysroot shows (under the checkout's build/), nothing is noted", async () => {
    const d = folder(path.join(ROOT, "build"));
    const r = await runCli(["exec", "--sysroot", "/", "/usr/bin/cat", "data.txt"], { cwd: d });
    // A checkout under /tmp puts build/ under the guest's /tmp too: then the note is right.
    const hidden = d.startsWith("/tmp/");
    expect(r.status).toBe(hidden ? 1 : 0);
    if (!hidden) expect([r.stdout, r.stderr]).toEqual(["the host's file\n", ""]);
    else expect(r.stderr).toMatch(/^skytrace: note: the working directory .* add --fs /);
  });
});
