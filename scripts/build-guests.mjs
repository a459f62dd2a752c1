// Build the guest programs with the machine's gcc, static (glibc):
// guest/*.c -> build/guest/<name>, guest/<dir>/*.c -> build/guest/<dir>/<name>
// for the tests/, bench/ and calibrate/ folders. A source whose first line is
// `/* build-flags: … */` gets those flags too (exec-probe: no C library).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";

const jobs = [];
for (const [src, out] of [["guest", "build/guest"], ["guest/tests", "build/guest/tests"], ["guest/bench", "build/guest/bench"], ["guest/calibrate", "build/guest/calibrate"]]) {
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
for (const [input, output, flags = []] of jobs) {
  const inputs = [input].flat();
  const first = readFileSync(inputs[0], "utf8").split("\n", 1)[0];
  const extra = /^\/\* build-flags: (.*) \*\/$/.exec(first)?.[1].split(/\s+/) ?? [];
  const r = spawnSync("gcc", ["-O2", "-static", ...extra, ...flags, "-o", output, ...inputs, "-lm"], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-guests: gcc failed on ${input}`);
    process.exit(1);
  }
}
console.log(`build-guests: ${jobs.length} program(s) built`);
