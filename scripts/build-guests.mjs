// Build the guest programs with the machine's gcc, static (glibc):
// guest/*.c -> build/guest/<name>, guest/<dir>/*.c -> build/guest/<dir>/<name>
// for the tests/ and bench/ folders.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, existsSync, statSync } from "node:fs";
import path from "node:path";

const jobs = [];
for (const [src, out] of [["guest", "build/guest"], ["guest/tests", "build/guest/tests"], ["guest/bench", "build/guest/bench"]]) {
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
  const r = spawnSync("gcc", ["-O2", "-static", "-o", output, input, "-lm"], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-guests: gcc failed on ${input}`);
    process.exit(1);
  }
}
console.log(`build-guests: ${jobs.length} program(s) built`);
