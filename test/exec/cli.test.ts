// `skytrace exec` as a user runs it: exit statuses, one-line errors, --trace, --strace, argument passing.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { build, tmp, coreRunsGlibc } from "../kernel/helpers.js";

const BIN = path.resolve(__dirname, "../../bin/skytrace.js");
const built = existsSync(path.resolve(__dirname, "../../dist/src/cli/main.js"));
const run = (args: string[], cwd?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd });

// write(1, msg, 6); exit(argc + 40)
const HELLO = ".globl _start\n.text\n_start:\n  mov $1, %eax\n  mov $1, %edi\n  movabs $msg, %rsi\n  mov $6, %edx\n  syscall\n  mov (%rsp), %rdi\n  add $40, %rdi\n  mov $60, %eax\n  syscall\n.data\nmsg: .ascii \"hello\\n\"\n";

let dir: string;
let hello: string;
beforeAll(() => {
  dir = tmp();
  hello = build(dir, "hello", HELLO, "S");
});

describe.skipIf(!built)("skytrace exec", () => {
  it("passes stdout through and exits with the program's status; guest args keep their dashes", () => {
    const r = run(["exec", hello, "-l", "--x=3", "a"]);
    expect(r.stdout).toBe("hello\n");
    expect(r.status).toBe(44);
    expect(r.stderr).toBe("");
  });

  it("--trace writes the raw format and --strace prints strace lines", () => {
    const out = path.join(dir, "t.raw");
    const r = run(["exec", "--trace", out, "--strace", hello]);
    expect(r.status).toBe(41);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^\d+, SYSCALL,0x1,0x1,0x[0-9a-f]+,0x6,0x0,0x0,0x0,0x[0-9a-f]+$/);
    expect(lines[1]).toMatch(/^\d+, SYSRET,0x[0-9a-f]+$/);
    expect(lines[2]).toMatch(/^\d+, SYSCALL,0x3c,/);
    expect(r.stderr).toContain('write(1, "hello\\n", 6) = 6');
    expect(r.stderr).toContain("exit(41) = ?");
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });

  const bad: Array<[string, () => string, number, RegExp]> = [
    ["a missing file", () => path.join(dir, "nope"), 127, /no such file/],
    ["random bytes", () => { const p = path.join(dir, "rnd"); writeFileSync(p, Buffer.alloc(512, 0x5a)); return p; }, 126, /not an ELF executable/],
    ["a shell script", () => { const p = path.join(dir, "s.sh"); writeFileSync(p, "#!/bin/sh\necho hi\n"); return p; }, 126, /scripts are not supported/],
    ["a directory", () => dir, 127, /is a directory/],
  ];
  for (const [name, make, status, msg] of bad) {
    it(`refuses ${name} with one line and status ${status}`, () => {
      const r = run(["exec", make()]);
      expect(r.status).toBe(status);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("reports a crash in one line with status 128+signal", () => {
    const crash = build(dir, "crash", ".globl _start\n.text\n_start:\n  movq $0, 0x10\n", "S");
    const r = run(["exec", crash]);
    expect(r.status).toBe(139);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(r.stderr).toMatch(/SIGSEGV: page fault at 0x10 \(write, not mapped\), rip 0x[0-9a-f]+, bytes 48 c7 04 25 10 00 00 00/);
  });

  it("takes repeated --fs and --env flags before the program", () => {
    const r = run(["exec", "--fs", dir, "--fs", dir, "--env", "A=1", "--env", "B=2", hello, "y"]);
    expect(r.stdout).toBe("hello\n");
    expect(r.status).toBe(42);
  });

  it("refuses a missing --fs folder in one line", () => {
    const r = run(["exec", "--fs", path.join(dir, "missing"), hello]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^skytrace: --fs .*missing: not a directory$/);
  });

  it("writes byte-identical traces for identical runs", () => {
    const a = path.join(dir, "a.raw"), b = path.join(dir, "b.raw");
    run(["exec", "--trace", a, hello, "x"]);
    run(["exec", "--trace", b, hello, "x"]);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });

  it.skipIf(!coreRunsGlibc())("dies of SIGPIPE (141) when its reader goes away, as natively", () => {
    const yes = build(dir, "yes", "#include <stdio.h>\nint main(void){for(;;)puts(\"y\");}\n", "c");
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" exec "${yes}" | head -1; echo "status \${PIPESTATUS[0]}"`], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toBe("y\nstatus 141\n");
    expect(r.stderr).toBe("");
  });

  it("documents its options in --help", () => {
    const r = run(["exec", "--help"]);
    for (const o of ["--trace", "--strace", "--fs", "--seed"]) expect(r.stdout).toContain(o);
  });
});
