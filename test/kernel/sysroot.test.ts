// --sysroot DIR: DIR is the guest's /, read-only, and nothing of the host outside it is reachable
// (an absolute host path, "..", symlinks pointing out: all resolved inside DIR as a chroot does);
// the kernel's /tmp hides DIR's; imported files carry the host's size, mode and mtime and an
// inode number made from their path, and a folder lists in the host's order; the run lists every
// file it loaded with its SHA-256.
import { describe, it, expect, beforeAll } from "vitest";
import { copyFileSync, cpSync, lstatSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build, tmp, CapturedStdio, coreRunsGlibc } from "./helpers.js";
import { runProgram } from "../../src/kernel/run-program.js";

const ready = coreRunsGlibc();
let base: string, root: string, outside: string;

// A sysroot holding the probe (static) and a few files; a host file next to it, outside.
function makeSysroot(dir: string, probe: string): string {
  const r = path.join(dir, "root");
  mkdirSync(path.join(r, "bin"), { recursive: true });
  mkdirSync(path.join(r, "data", "sub"), { recursive: true });
  mkdirSync(path.join(r, "tmp"));
  mkdirSync(path.join(r, "outside"));
  copyFileSync(probe, path.join(r, "bin", "probe"));
  writeFileSync(path.join(r, "data", "inside.txt"), "inside\n");
  utimesSync(path.join(r, "data", "inside.txt"), 1_600_000_000.25, 1_600_000_000.25);
  writeFileSync(path.join(r, "tmp", "hidden.txt"), "the sysroot's tmp\n");
  // What the escapes land on inside the sysroot, if they stay inside.
  writeFileSync(path.join(r, "outside", "secret.txt"), "decoy inside the sysroot\n");
  symlinkSync("../../../../../../outside/secret.txt", path.join(r, "data", "climb"));
  symlinkSync(path.join(dir, "outside", "secret.txt"), path.join(r, "data", "abs"));
  symlinkSync("../../../..", path.join(r, "data", "up"));
  return r;
}

beforeAll(() => {
  if (!ready) return;
  base = tmp();
  const probe = build(base, "probe", readFileSync(path.join(__dirname, "sysroot/probe.c"), "utf8"), "c");
  mkdirSync(path.join(base, "outside"));
  outside = path.join(base, "outside", "secret.txt");
  writeFileSync(outside, "the host's secret\n");
  root = makeSysroot(base, probe);
});

// A folder's names as the host lists them (ls -U: the file system's order, unsorted); the guest
// lists an imported folder the same way, "." and ".." first.
function hostOrder(dir: string): string[] {
  const ls = spawnSync("ls", ["-U", "-A", "-1", dir], { encoding: "utf8" });
  if (ls.status !== 0) throw new Error(`ls failed: ${ls.stderr}`);
  return ls.stdout.split("\n").filter((n) => n !== "");
}

function run(sysroot: string) {
  const stdio = new CapturedStdio();
  const outcome = runProgram({ guestPath: "/bin/probe", argv: ["/bin/probe", outside], cwd: "/", sysroot, stdio, report: () => {} });
  return { outcome, stdout: stdio.stdout };
}

describe.skipIf(!ready)("--sysroot: the host folder as a read-only /", () => {
  it("shows only the sysroot, keeps symlinks and .. inside it, and refuses every change with EROFS", () => {
    const { outcome, stdout } = run(root);
    expect(outcome.kind === "exited" && outcome.status).toBe(0);
    const lines = stdout.split("\n");
    const st = lstatSync(path.join(root, "data", "inside.txt"), { bigint: true });
    const mtime = `${st.mtimeNs / 1_000_000_000n}.${(st.mtimeNs % 1_000_000_000n).toString().padStart(9, "0")}`;
    const ino = Number(/ino (\d+)/.exec(stdout)?.[1]);
    expect(lines.slice(0, -3).join("\n") + "\n").toBe([
      "inside: [inside]",
      "host path outside: No such file or directory",
      "dot-dot above the root: [inside]",
      "relative symlink climbing out: [decoy inside the sysroot]",
      "absolute symlink to the host path: No such file or directory",
      "symlinked folder up and out: No such file or directory",
      "the sysroot's own /tmp file: No such file or directory",
      "cwd after climbing: /",
      `/data: . .. ${hostOrder(path.join(root, "data")).join(" ")}`,
      ...["open for write", "create", "mkdir", "unlink", "rename", "symlink", "link", "chmod", "chown", "truncate", "utimes", "access W_OK", "setxattr", "rmdir"]
        .map((w) => `${w}: Read-only file system`),
      "statfs read-only: 1",
      "/tmp writable: 2",
      "",
    ].join("\n"));
    // The host's size, mode and mtime (to the ns); root's ids; an inode number not the host's.
    expect(lines.at(-3)).toBe(`stat: size 7 mode 100644 nlink 1 uid 0 gid 0 mtime ${mtime} ino ${ino}`);
    expect(mtime).toBe("1600000000.250000000");
    expect(ino).not.toBe(Number(st.ino));
    expect(lines.at(-2)).toBe("stat dir: mode 40755 nlink 2");
    expect(readFileSync(path.join(root, "data", "inside.txt"), "utf8")).toBe("inside\n");
  });

  it("gives the same inode numbers for the same paths, wherever the sysroot is on the host", () => {
    const copy = path.join(tmp(), "root");
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const a = run(root).stdout, b = run(copy).stdout;
    expect(/ino (\d+)/.exec(a)?.[1]).toBeDefined();
    expect(b).toBe(a);
  });

  it("lists every file the guest loaded from the host with its SHA-256, and no file it only looked at", () => {
    const { outcome } = run(root);
    const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
    expect(outcome.loaded.map((f) => [f.path, f.host, f.size, f.mode, f.sha256])).toEqual([
      ["/bin/probe", path.join(root, "bin/probe"), lstatSync(path.join(root, "bin/probe")).size, "0755", sha(path.join(root, "bin/probe"))],
      ["/data/inside.txt", path.join(root, "data/inside.txt"), 7, "0644", sha(path.join(root, "data/inside.txt"))],
      ["/outside/secret.txt", path.join(root, "outside/secret.txt"), 25, "0644", sha(path.join(root, "outside/secret.txt"))],
    ]);
    expect(outcome.loaded[1].mtimeNs).toBe("1600000000250000000");
  });

  it("refuses a dynamically linked program whose loader the sysroot lacks, in one line", () => {
    const dyn = path.join(base, "dyn");
    expect(spawnSync("gcc", ["-o", dyn, "-x", "c", "-"], { input: "int main(void){return 0;}\n" }).status).toBe(0);
    copyFileSync(dyn, path.join(root, "bin", "dyn"));
    const stdio = new CapturedStdio();
    const o = runProgram({ guestPath: "/bin/dyn", argv: ["/bin/dyn"], cwd: "/", sysroot: root, stdio, report: () => {} });
    expect(o.kind === "exec-error" && o.message).toBe("/bin/dyn: its dynamic loader /lib64/ld-linux-x86-64.so.2 is not in the sysroot");
  });
});
