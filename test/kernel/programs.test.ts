// End-to-end: small static C programs (test/kernel/programs/*.c) built with
// gcc -O2 -static, run natively and in the emulator: stdout and exit status
// must match, and for single-process programs the syscall name sequence must
// match native `strace` (run with address randomization off, as the guest is).
import { describe, it, expect, beforeAll } from "vitest";
import { readdirSync, readFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build, tmp, runGuest, native, coreRunsGlibc } from "./helpers.js";

const SRC = path.join(__dirname, "programs");
// serial.c needs a device on the other end: test/kernel/serial.test.ts runs it.
// hostfs.c needs --fs: test/kernel/hostfs.test.ts runs it.
const programs = readdirSync(SRC).filter((f) => f.endsWith(".c") && f !== "serial.c" && f !== "hostfs.c").map((f) => f.slice(0, -2));
// Programs whose syscall order depends on how processes or threads interleave (fork, pthreads) are
// compared on output only (test/kernel/threads.test.ts checks a threaded run's trace another way);
// so is procfiles, whose count of reads follows the size of the host's /proc/cpuinfo (its CPU count).
const SEQUENCE_EXEMPT = new Set(["forkpipe", "sigtimer", "pollpipe", "vfork", "sigchld", "fifokill", "comm", "threads", "futex", "robust", "pimutex", "threadexec", "threadkill", "threadsignals", "procfiles", "wakeop", "requeuepi"]);
const ready = coreRunsGlibc();

let dir: string;
const exe: Record<string, string> = {};

beforeAll(() => {
  if (!ready) return;
  dir = tmp();
  for (const p of programs) exe[p] = build(dir, p, readFileSync(path.join(SRC, `${p}.c`), "utf8"), "c");
});

function nativeNames(file: string, cwd: string): string[] {
  const log = path.join(cwd, "..", `${path.basename(file)}.strace`);
  spawnSync("setarch", ["-R", "strace", "-qq", "-o", log, file], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  return readFileSync(log, "utf8").split("\n").filter((l) => /^[a-z_0-9]+\(/.test(l)).map((l) => l.slice(0, l.indexOf("(")));
}

describe.skipIf(!ready)("programs: emulated vs native (needs a core that runs static glibc)", () => {
  for (const p of programs) {
    it(`${p}: same stdout and exit status`, () => {
      const n = path.join(dir, `${p}.native`), e = path.join(dir, `${p}.emu`);
      mkdirSync(n); mkdirSync(e);
      const want = native(exe[p], [], n);
      const got = runGuest(exe[p], [], { cwd: e });
      expect(got.outcome.kind).toBe("exited");
      expect(got.stdout).toBe(want.stdout);
      expect(got.outcome.status).toBe(want.status);
    });
    if (!SEQUENCE_EXEMPT.has(p)) {
      it(`${p}: same syscall sequence as native strace`, () => {
        const n = path.join(dir, `${p}.seqn`), e = path.join(dir, `${p}.seqe`);
        mkdirSync(n); mkdirSync(e);
        const want = nativeNames(exe[p], n);
        const got = runGuest(exe[p], [], { cwd: e }).strace.filter((l) => /^[a-z_0-9]+\(/.test(l)).map((l) => l.slice(0, l.indexOf("(")));
        // Native stdout here is a pipe, as in the emulated run; clock reads go through the vDSO in both.
        expect(got).toEqual(want);
      });
    }
  }
});
