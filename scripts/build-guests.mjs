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
for (const [input, output] of jobs) {
  const first = readFileSync(input, "utf8").split("\n", 1)[0];
  const extra = /^\/\* build-flags: (.*) \*\/$/.exec(first)?.[1].split(/\s+/) ?? [];
  const r = spawnSync("gcc", ["-O2", "-static", ...extra, "-o", output, input, "-lm"], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-guests: gcc failed on ${input}`);
    process.exit(1);
  }
}
console.log(`build-guests: ${jobs.length} program(s) built`);
