// The distribution's dynamically linked programs under `skytrace exec --sysroot /`, against the
// same programs run natively under strace: stdout, stderr, exit status and each process's
// syscall names (normalize.ts's allow-list: calls the vDSO serves natively). The loader, libc
// and every library come read-only from the host's / (the guest's /tmp is its own, so the
// programs work in a folder under build/). Cases: coreutils (true, cat, sort, ls listing a
// folder, ls -U listing one in the host's directory order, stat printing what the sysroot's files
// carry: size, mode, mtime to the ns), a hello
// world gcc builds here without -static, Python running a small script, Python starting four
// threads that meet on a condition variable and join (stdout and status only: a threaded run's
// call order is the scheduler's), and Python running children with subprocess (echo, itself with
// -c; each process's calls compared, brk included: its heap grows where it does natively only
// when its folders list in the host's order, as CPython's allocations follow the order it reads
// /usr/lib/python3.11 in) and capturing one's output through a pipe (stdout only: how many polls
// and reads a pipe's end takes is a race natively).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasStrace } from "../reference/native-run.js";
import { ROOT, emulatorRunsHello } from "./emulated-run.js";
import { groupProcesses } from "./processes.js";
import { canonical, emulatedNames, nativeNames } from "./normalize.js";
import { runNativeDynamic, runEmulatedDynamic, hasSetarch } from "./dynamic-run.js";

const LOADER = "/lib64/ld-linux-x86-64.so.2";
const why = !existsSync(LOADER) ? `${LOADER} is missing (not a glibc x86-64 system)`
  : !hasStrace() ? "strace is missing" : !hasSetarch() ? "setarch is missing" : !emulatorRunsHello() ? "skytrace exec does not run hello yet" : null;
if (why) console.log(`dynamic programs: skipped: ${why}`);

const SCRIPT = [
  "import sys, os, json, textwrap",
  "data = {'argv': sys.argv[1:], 'cwd': os.getcwd(), 'sum': sum(range(1000)), 'listing': sorted(os.listdir('.'))}",
  "print(json.dumps(data, sort_keys=True))",
  "with open('fruit.txt') as f:",
  "    print(textwrap.fill(' '.join(sorted(f.read().split())), 12))",
  "sys.exit(3)",
].join("\n") + "\n";

const THREADS = [
  "import threading, sys",
  "results = [None] * 4",
  "cond = threading.Condition(threading.Lock())",
  "done = [0]",
  "def work(i):",
  "    s = sum(k * k for k in range(20000 * (i + 1)))",
  "    with cond:",
  "        results[i] = (threading.current_thread().name, s)",
  "        done[0] += 1",
  "        cond.notify_all()",
  "threads = [threading.Thread(target=work, args=(i,), name=f'w{i}') for i in range(4)]",
  "for t in threads: t.start()",
  "with cond:",
  "    cond.wait_for(lambda: done[0] == 4)",
  "for t in threads: t.join()",
  "print(results, threading.active_count(), [t.is_alive() for t in threads])",
  "sys.exit(5)",
].join("\n") + "\n";

const SUBPROCESS = [
  "import subprocess, sys",
  "print('parent', flush=True)",
  "r = subprocess.run(['/usr/bin/echo', 'hello', 'from', 'echo'])",
  "print('echo status', r.returncode, flush=True)",
  "r = subprocess.run([sys.executable, '-c', 'import sys; print(\"child\", sys.argv[1:]); sys.exit(7)', 'x'])",
  "print('python status', r.returncode, flush=True)",
  "sys.exit(r.returncode + 1)",
].join("\n") + "\n";

const CAPTURE = [
  "import subprocess",
  "out = subprocess.run(['/usr/bin/echo', 'captured'], capture_output=True, text=True)",
  "print('captured', repr(out.stdout), repr(out.stderr), out.returncode)",
].join("\n") + "\n";

// `calls: false`: stdout, stderr and status only.
interface DynCase { name: string; program: string; args: string[]; needs?: string; calls?: false }
const CASES: DynCase[] = [
  { name: "true", program: "/usr/bin/true", args: [] },
  { name: "cat a file", program: "/usr/bin/cat", args: ["fruit.txt"] },
  { name: "sort a file", program: "/usr/bin/sort", args: ["fruit.txt"] },
  { name: "ls -a -1 -F a folder", program: "/usr/bin/ls", args: ["-a", "-1", "-F", "."] },
  { name: "ls -U -1 a folder: entries in the host's directory order, not sorted", program: "/usr/bin/ls", args: ["-U", "-1", "many"] },
  { name: "stat: the sysroot's size, mode and mtime (ns)", program: "/usr/bin/stat", args: ["-c", "%n %s %a %F %.9Y", "fruit.txt", "sub", "sub/y", "small.py"] },
  { name: "gcc hello.c without -static", program: "hello-dyn", args: [] },
  { name: "python3 a small script", program: "/usr/bin/python3", args: ["small.py", "a", "b"], needs: "/usr/bin/python3" },
  { name: "python3 with threading: four threads, a condition variable, join", program: "/usr/bin/python3", args: ["threads.py"], needs: "/usr/bin/python3", calls: false },
  { name: "python3 with subprocess: echo and python3 -c as children", program: "/usr/bin/python3", args: ["subproc.py"], needs: "/usr/bin/python3" },
  { name: "python3 with subprocess capturing a child's output", program: "/usr/bin/python3", args: ["capture.py"], needs: "/usr/bin/python3", calls: false },
];

let dir: string;
beforeAll(() => {
  if (why) return;
  // Not under the host's /tmp: the guest's /tmp is the kernel's own.
  mkdirSync(path.join(ROOT, "build"), { recursive: true });
  dir = mkdtempSync(path.join(ROOT, "build", "dynamic-"));
  writeFileSync(path.join(dir, "fruit.txt"), "pear\napple\nfig\nquince\nbanana\n");
  mkdirSync(path.join(dir, "sub"));
  writeFileSync(path.join(dir, "sub", "y"), "x\n");
  // Made neither in sorted nor in reverse order, so no file system's order is the sorted one by chance.
  mkdirSync(path.join(dir, "many"));
  for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, "many", `f${(i * 17) % 40}`), "");
  writeFileSync(path.join(dir, "small.py"), SCRIPT);
  writeFileSync(path.join(dir, "threads.py"), THREADS);
  writeFileSync(path.join(dir, "subproc.py"), SUBPROCESS);
  writeFileSync(path.join(dir, "capture.py"), CAPTURE);
  const cc = spawnSync("gcc", ["-O2", "-o", path.join(dir, "hello-dyn"), path.join(ROOT, "guest/tests/hello.c")], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

// /proc/self/maps as "start-end perms name", without what the guest cannot match: the stack's
// size (Linux maps a little more than the initial 128 KiB), [vsyscall], and the vvar pages'
// split (Linux 6.x shows [vvar] and [vvar_vclock]: one [vvar] of the same span here).
function layout(maps: string): string[] {
  const out: string[] = [];
  for (const line of maps.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (!m || m[4] === "[stack]" || m[4] === "[vsyscall]") continue;
    const prev = out.at(-1);
    if (m[4] === "[vvar_vclock]" && prev?.endsWith(`-${m[1]} r--p [vvar]`)) { out[out.length - 1] = prev.replace(`-${m[1]} `, `-${m[2]} `); continue; }
    out.push(`${m[1]}-${m[2]} ${m[3]} ${m[4]}`);
  }
  return out;
}

describe.skipIf(why !== null)("dynamically linked programs: native (strace) vs skytrace exec --sysroot /", () => {
  it("the program, heap, libraries, vDSO and loader land where Linux puts them without randomization", () => {
    const native = runNativeDynamic("/usr/bin/cat", ["/proc/self/maps"], dir);
    const emu = runEmulatedDynamic("/usr/bin/cat", ["/proc/self/maps"], dir);
    const want = layout(native.stdout.toString("latin1"));
    expect(want.some((l) => l.endsWith("ld-linux-x86-64.so.2")), native.stdout.toString()).toBe(true);
    expect(layout(emu.stdout.toString("latin1"))).toEqual(want);
  });

  // The sysroot's files keep the host's mtimes, so CPython trusts the distribution's cached
  // bytecode as natively (with a fixed mtime every .pyc was stale and recompiled on each run).
  it.skipIf(!existsSync("/usr/bin/python3"))("python3 loads the same cached .pyc files as natively, none stale", () => {
    const args = ["-v", "-c", "import json, textwrap, argparse"];
    const cache = (stderr: Buffer) => stderr.toString("utf8").split("\n").filter((l) => /\.pyc matches |stale|could not|code object from/.test(l));
    const want = cache(runNativeDynamic("/usr/bin/python3", args, dir).stderr);
    const got = cache(runEmulatedDynamic("/usr/bin/python3", args, dir).stderr);
    expect(want.filter((l) => l.includes(".pyc matches ")).length).toBeGreaterThan(10);
    expect(want.filter((l) => /stale|could not/.test(l))).toEqual([]);
    expect(got).toEqual(want);
  });

  for (const c of CASES) {
    const missing = c.needs && !existsSync(c.needs) ? `${c.needs} is missing` : null;
    if (missing) console.log(`${c.name}: skipped: ${missing}`);
    it.skipIf(missing !== null)(c.name, () => {
      const program = c.program.startsWith("/") ? c.program : path.join(dir, c.program);
      const native = runNativeDynamic(program, c.args, dir);
      const emu = runEmulatedDynamic(program, c.args, dir);
      const stderr = `skytrace stderr:\n${emu.stderr.toString("utf8").slice(0, 2000)}`;
      expect(emu.stdout.toString("latin1"), stderr).toBe(native.stdout.toString("latin1"));
      expect(emu.status, stderr).toBe(native.status);
      expect(emu.stderr.toString("latin1")).toBe(native.stderr.toString("latin1"));
      if (c.calls === false) return;
      const nat = canonical(native.processes.map((p) => nativeNames(p.calls)));
      const emul = canonical(groupProcesses(emu.events).map((p) => emulatedNames(p.events)));
      expect(emul.length, "processes").toBe(nat.length);
      for (let i = 0; i < nat.length; i++) expect(emul[i].join("\n"), `syscalls of process ${i}`).toBe(nat[i].join("\n"));
    });
  }
});
