// `skytrace exec` as a user runs it: exit statuses, one-line errors, --trace, --strace, argument passing.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
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
    ["a shell script (no /bin/sh without a sysroot)", () => { const p = path.join(dir, "s.sh"); writeFileSync(p, "#!/bin/sh\necho hi\n"); return p; }, 126, /s\.sh: its interpreter \/bin\/sh is not in the guest file system/],
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

  describe("everything after PROGRAM is the guest's", () => {
    const ARGV = path.resolve(__dirname, "../../build/guest/tests/argv");
    const printed = (words: string[]) => `argc=${words.length + 1}\n${words.map((w) => `[${w}]\n`).join("")}`;

    it("skytrace's own option names, --, - and empty words reach the program as they are, and none is acted on", () => {
      const cwd = tmp();
      const words = ["--version", "-h", "--help", "--seed", "7", "--trace", "t", "--strace", "--", "-", "", "--fs", "x", "--", "last"];
      const r = run(["exec", ARGV, ...words], cwd);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(printed(words));
      expect(r.status).toBe(0);
      expect(readdirSync(cwd)).toEqual([]);   // --trace t was the program's: no trace file
    });

    it("options before PROGRAM are skytrace's; -- ends them", () => {
      const cwd = tmp();
      const r = run(["exec", "--seed", "7", "--trace", "t.raw", "--", ARGV, "--seed", "-"], cwd);
      expect(r.stdout).toBe(printed(["--seed", "-"]));
      expect(r.status).toBe(0);
      expect(readdirSync(cwd)).toEqual(["t.raw"]);
      expect(run(["exec", "--", ARGV]).stdout).toBe(printed([]));
      expect(run(["exec", "--strace", "--", ARGV, "--strace"]).stderr).toMatch(/^execve\(.*\["[^"]*argv", "--strace"\]/);
    });

    it("a missing PROGRAM or an unknown option before it: status 2 and a line saying so", () => {
      for (const args of [["exec"], ["exec", "--seed", "3"], ["exec", "--"]]) {
        const r = run(args);
        expect(r.status, args.join(" ")).toBe(2);
        expect(r.stderr).toMatch(/^skytrace: exec: name the PROGRAM to run: skytrace exec \[options\] \[--\] PROGRAM \[ARGS…\]$/m);
      }
      const unknown = run(["exec", "--verbose", ARGV]);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/Unknown argument: verbose/);
    });
  });

  describe("SIGINT and SIGTERM", () => {
    // Prints "ready", then calls getpid forever: with --trace, ~500 MB of trace in 3 s.
    const SPIN = ".globl _start\n.text\n_start:\n  mov $1, %eax\n  mov $1, %edi\n  lea msg(%rip), %rsi\n  mov $6, %edx\n  syscall\n" +
      "1:\n  mov $39, %eax\n  syscall\n  jmp 1b\n.data\nmsg: .ascii \"ready\\n\"\n";
    // Prints "ready", then waits to read one byte of stdin.
    const WAIT = ".globl _start\n.text\n_start:\n  mov $1, %eax\n  mov $1, %edi\n  lea msg(%rip), %rsi\n  mov $6, %edx\n  syscall\n" +
      "  xor %eax, %eax\n  xor %edi, %edi\n  lea buf(%rip), %rsi\n  mov $1, %edx\n  syscall\n  mov $60, %eax\n  xor %edi, %edi\n  syscall\n" +
      ".data\nmsg: .ascii \"ready\\n\"\nbuf: .byte 0\n";

    // Starts `exec args`, waits for `ready` (and `also`), sends `sig`; resolves with the exit code and signal.
    async function signalled(args: string[], sig: NodeJS.Signals, also: () => boolean = () => true) {
      const child = spawn(process.execPath, [BIN, "exec", ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "", err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      const exited = new Promise<[number | null, string | null]>((r) => child.on("close", (code, s) => r([code, s])));
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (out.includes("ready") && also()) { clearInterval(poll); resolve(); }
          else if (child.exitCode !== null) { clearInterval(poll); reject(new Error(`exec ended first: ${err}`)); }
        }, 10);
      });
      child.kill(sig);
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const [code, signal] = await exited;
      clearTimeout(timer);
      child.stdin.destroy();
      return { code, signal, err };
    }

    for (const [sig, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
      it(`--trace: ${sig} mid-run removes the partial trace and the folder made for it; exit ${status}`, async () => {
        const base = tmp();
        const spin = build(base, "spin", SPIN, "S");
        const traceDir = path.join(base, "traces", "run");
        const partial = () => readdirSync(traceDir).find((n) => n.endsWith(".partial"));
        // Signalled once the partial file holds trace (its first megabyte flushed).
        const r = await signalled(["--trace", path.join(traceDir, "t.trace"), spin], sig, () => {
          try { const p = partial(); return !!p && statSync(path.join(traceDir, p)).size > 0; } catch { return false; }
        });
        expect(r).toEqual({ code: status, signal: null, err: "" });
        expect(readdirSync(base).sort()).toEqual(["spin", "spin.S"]);
      });
    }

    it("a program waiting for input stops on SIGINT too (the guest's read is not a blocking one)", async () => {
      const base = tmp();
      const wait = build(base, "wait", WAIT, "S");
      const r = await signalled([wait], "SIGINT");
      expect(r).toEqual({ code: 130, signal: null, err: "" });
    });
  });

  it("documents its options in --help", () => {
    const r = run(["exec", "--help"]);
    for (const o of ["--trace", "--strace", "--fs", "--seed"]) expect(r.stdout).toContain(o);
  });
});
