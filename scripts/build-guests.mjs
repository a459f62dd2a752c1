// Build the guest programs with the machine's gcc, static (glibc):
// guest/*.c -> build/guest/<name>, guest/<dir>/*.c -> build/guest/<dir>/<name>
// for the tests/, bench/ and calibrate/ folders. A source whose first line is
// `/* build-flags: … */` gets those flags too (exec-probe: no C library).
// guest/bench-libs/*.c are drivers of Debian's static libraries (Lua, SQLite,
// CPython) for bench/programs.ts: a `/* build-libs: … */` line (the second)
// names what to link after the source; one whose archive is missing here is
// skipped with the reason printed, and its benchmark row says so.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";

const jobs = [];
const DIRS = [["guest", "build/guest"], ["guest/tests", "build/guest/tests"], ["guest/bench", "build/guest/bench"], ["guest/bench-libs", "build/guest/bench-libs"], ["guest/calibrate", "build/guest/calibrate"]];
for (const [src, out] of DIRS) {
  if (!existsSync(src)) continue;
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(src)) {
    if (!f.endsWith(".c")) continue;
    const input = path.join(src, f);
    const output = path.join(out, f.slice(0, -2));
    if (existsSync(output) && statSync(output).mtimeMs >= statSync(input).mtimeMs) continue;
    jobs.push([input, output]);
  }
}
// The autopilot with its syscalls timed from inside (guest/calibrate/tap/tap.c), for docs/timing.md's native side.
const TAPPED = ["read", "write", "syscall", "clock_nanosleep", "socket", "sendto", "close", "open"];
const tapOut = "build/guest/calibrate/autopilot-tap", tapIn = ["guest/autopilot.c", "guest/calibrate/tap/tap.c"];
// Only where its sources are (a container's build context has no guest/calibrate/).
if (tapIn.every((f) => existsSync(f)) && (!existsSync(tapOut) || tapIn.some((f) => statSync(f).mtimeMs > statSync(tapOut).mtimeMs))) {
  jobs.push([tapIn, tapOut, TAPPED.map((f) => `-Wl,--wrap=${f}`)]);
}
let built = 0;
for (const [input, output, flags = []] of jobs) {
  const inputs = [input].flat();
  const head = readFileSync(inputs[0], "utf8").split("\n", 2);
  const extra = /^\/\* build-flags: (.*) \*\/$/.exec(head[0])?.[1].split(/\s+/) ?? [];
  const libs = /^\/\* build-libs: (.*) \*\/$/.exec(head.find((l) => l.startsWith("/* build-libs:")) ?? "")?.[1].split(/\s+/);
  const missing = libs?.find((l) => l.startsWith("/") && !existsSync(l));
  if (missing) {
    console.log(`build-guests: skipped ${input}: ${missing} is missing (Debian's static library; bench/programs.ts skips its row)`);
    continue;
  }
  // A static libc/library link warns about dlopen and getpwnam; shown only when the link fails.
  const r = spawnSync("gcc", ["-O2", "-static", ...extra, ...flags, "-o", output, ...inputs, ...(libs ?? []), "-lm"], { stdio: libs ? ["ignore", "inherit", "pipe"] : "inherit", encoding: "utf8" });
  if (r.status !== 0) {
    if (libs) process.stderr.write(r.stderr);
    console.error(`build-guests: gcc failed on ${input}`);
    process.exit(1);
  }
  built++;
}
console.log(`build-guests: ${built} program(s) built`);
