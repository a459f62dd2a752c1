import { describe, it, expect } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseStrace } from "./strace-parse.js";
import { runNative, hasStrace } from "./native-run.js";

const GUEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../build/guest/tests");

describe("strace output parser", () => {
  it("counts a call split by -f once, where it started, and drops strace's own execve", () => {
    const text = [
      '100  execve("./p", ["./p"], 0x7ffe /* 3 vars */) = 0',
      "100  brk(NULL)                         = 0x1000",
      "100  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 101",
      "101  set_robust_list(0x1, 24 <unfinished ...>",
      "100  wait4(101,  <unfinished ...>",
      "101  <... set_robust_list resumed>)    = 0",
      '101  execve("./p", ["./p", "child"], 0x7ffe /* 3 vars */) = 0',
      "101  exit_group(7)                     = ?",
      "101  +++ exited with 7 +++",
      "100  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101} ---",
      "100  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) = 101",
      "100  exit_group(0)                     = ?",
      "",
    ].join("\n");
    expect(parseStrace(text)).toEqual([
      { pid: 100, calls: ["brk", "clone", "wait4", "exit_group"] },
      { pid: 101, calls: ["set_robust_list", "execve", "exit_group"] },
    ]);
  });

  it("reads output without pid prefixes (a single process)", () => {
    expect(parseStrace('execve("./p", [], 0x0) = 0\nwrite(1, "hi\\n", 3) = 3\nexit_group(0) = ?\n')).toEqual([{ pid: 0, calls: ["write", "exit_group"] }]);
  });

  it("drops only a leading execve, not another first call", () => {
    expect(parseStrace("5  brk(NULL) = 0x1\n")).toEqual([{ pid: 5, calls: ["brk"] }]);
  });

  it("refuses a line it does not understand", () => {
    expect(() => parseStrace("100  brk(NULL) = 0x1\nsomething else\n")).toThrow(/line 2 not understood/);
  });
});

describe.skipIf(!hasStrace())("native reference runs", () => {
  it("hello: glibc's static start-up, one write, exit_group; no execve", () => {
    const r = runNative(path.join(GUEST, "hello"), []);
    expect(r.stdout.toString()).toBe("hello, world\n");
    expect(r.status).toBe(0);
    expect(r.processes.length).toBe(1);
    const calls = r.processes[0].calls;
    expect(calls).not.toContain("execve");
    expect(calls.slice(0, 3)).toEqual(["brk", "brk", "arch_prctl"]);
    expect(calls.slice(-3)).toEqual(["newfstatat", "write", "exit_group"]); // stdout is a pipe: no TCGETS
  });

  it("forkexec: four processes, the exec'ed child keeps its pid", () => {
    const r = runNative(path.join(GUEST, "forkexec"), []);
    expect(r.status).toBe(0);
    expect(r.processes.length).toBe(4);
    const [parent, execd, writer, signalled] = r.processes;
    expect(parent.calls.filter((c) => c === "clone").length).toBe(3);
    expect(execd.calls).toContain("execve");
    expect(execd.calls.at(-1)).toBe("exit_group");
    expect(writer.calls.filter((c) => c === "write").length).toBe(50);
    expect(signalled.calls.at(-1)).toBe("tgkill");
    // the parent's reads of the 50 blocks do not depend on scheduling
    expect(parent.calls.filter((c) => c === "read").length).toBe(2 + 51);
  });

  it("abort: status 128+SIGABRT", () => {
    const r = runNative(path.join(GUEST, "abort"), []);
    expect(r.status).toBe(134);
    expect(r.stdout.toString()).toBe("about to abort\n");
    expect(r.processes[0].calls.slice(-2)).toEqual(["getpid", "tgkill"]);
  });

  it("stdin is passed through", () => {
    const r = runNative(path.join(GUEST, "stdin"), [], { stdin: "ab\ncd\n" });
    expect(r.stdout.toString()).toBe("bytes 6 lines 2 longest 2 fnv " + fnv("ab\ncd\n") + "\nlast reversed: dc\n");
  });
});

function fnv(s: string): string {
  let h = 2166136261;
  for (const ch of Buffer.from(s)) h = Math.imul(h ^ ch, 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}
