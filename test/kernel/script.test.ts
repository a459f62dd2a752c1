// Programs that start with "#!" (Linux's binfmt_script), run natively and under skytrace exec:
// the interpreter gets [interpreter, its one argument, the script's path, the script's
// arguments], the argument keeping its inner spaces; a script's interpreter may be a dynamic
// program from the sysroot (Python); a missing interpreter is one line and status 126.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";
import { ROOT, GUEST_TESTS, runSkytrace, emulatorRunsHello } from "../programs/emulated-run.js";

const ready = existsSync(path.join(GUEST_TESTS, "argv")) && emulatorRunsHello();
let dir: string;

function script(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

beforeAll(() => {
  if (!ready) return;
  mkdirSync(path.join(ROOT, "build"), { recursive: true });
  // Not under the host's /tmp: the guest's /tmp is the kernel's own.
  dir = mkdtempSync(path.join(ROOT, "build", "script-"));
  copyFileSync(path.join(GUEST_TESTS, "argv"), path.join(dir, "argv"));
  chmodSync(path.join(dir, "argv"), 0o755);
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const native = (p: string, args: string[]) => spawnSync(p, args, { cwd: dir });

describe.skipIf(!ready)("#! scripts: native vs skytrace exec", () => {
  it("passes the interpreter its one argument (inner spaces kept), the script's path and arguments", () => {
    const s = script("args.sh", `#!  ${dir}/argv   -x  y \t\nnot read\n`);
    const nat = native(s, ["one", "", "two words"]);
    const emu = runSkytrace(["exec", "--fs", dir, s, "one", "", "two words"], { cwd: dir });
    expect(nat.stdout.toString()).toBe(`argc=6\n[-x  y]\n[${s}]\n[one]\n[]\n[two words]\n`);
    expect(emu.stdout.toString()).toBe(nat.stdout.toString());
    expect(emu.status).toBe(0);
  });

  it("runs a script whose interpreter is itself a script, and one without an argument", () => {
    const inner = script("inner.sh", `#!${dir}/argv\n`);
    const outer = script("outer.sh", `#!${inner} arg\n`);
    const nat = native(outer, ["z"]);
    const emu = runSkytrace(["exec", "--fs", dir, outer, "z"], { cwd: dir });
    expect(nat.stdout.toString()).toBe(`argc=5\n[${inner}]\n[arg]\n[${outer}]\n[z]\n`);
    expect(emu.stdout.toString()).toBe(nat.stdout.toString());
  });

  it.skipIf(!existsSync("/usr/bin/python3"))("a Python script under --sysroot /", () => {
    const s = script("hello.py", "#!/usr/bin/python3\nimport sys\nprint(sys.argv, sys.executable)\nsys.exit(7)\n");
    const nat = native(s, ["a b"]);
    const emu = runSkytrace(["exec", "--sysroot", "/", s, "a b"], { cwd: dir });
    expect(nat.stdout.toString()).toBe(`['${s}', 'a b'] /usr/bin/python3\n`);
    expect(emu.stdout.toString(), emu.stderr.toString()).toBe(nat.stdout.toString());
    expect(emu.status).toBe(7);
  });

  it("a script whose interpreter is missing: one line naming it, status 126", () => {
    const s = script("missing.sh", "#!/no/such/interpreter\n");
    const emu = runSkytrace(["exec", "--fs", dir, s], { cwd: dir });
    expect(emu.status).toBe(126);
    expect(emu.stderr.toString()).toBe(`skytrace: ${s}: its interpreter /no/such/interpreter is not in the guest file system\n`);
  });
});
