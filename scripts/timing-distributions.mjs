// The Δt distributions of docs/timing.md, from one run: the same NORMAL flight
// (same seed, same mission) flown three ways and timed four ways:
//   ideal       in the emulator, --timing ideal
//   realistic   in the emulator, --timing realistic (the default)
//   native PTY  build/guest/flight-init on this machine with the drone served on a host PTY
//               (`skytrace drone --pty`), the autopilot timed from inside (autopilot-tap:
//               guest/calibrate/tap/tap.c, two vDSO clock reads per call). A PTY moves a
//               whole line at once, so most selects find their byte already there.
//   native paced  the same with guest/calibrate/pace.c between the two PTYs: bytes one at a
//               time at 115200 baud, as the emulated serial link delivers them
//   strace      the paced native flight under `strace -f` (ns timestamps and durations)
// The native flights fly the emulated flight's mission in its air: the drone gets the flight's
// drone configuration (manifest.json's options.drone: route, altitude, speed, wind, gusts, noise
// and their seeds) through `drone --pty --config`, and flight-init the flight's own arguments
// (the autopilot's seed and poll rate), the port aside.
// Each is reduced to the autopilot's own calls (select, read, write, clock_nanosleep,
// socket, sendto, close), which are 99.9 % of a flight, and printed as markdown tables:
// Δt between consecutive calls by pair, enter→exit time by call, and the whole flight.
//
//   npm run build && node scripts/timing-distributions.mjs [--seed N] [--no-native] [--no-strace] [--doc]
// --doc: the tables also into docs/timing.md, between its "timing-distributions" markers.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { reduce, renderTables, distributionsSection } from "./timing-distributions/tables.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const seed = Number(opt("--seed", "1"));
const native = !args.includes("--no-native");
const withStrace = native && !args.includes("--no-strace") && spawnSync("strace", ["-V"]).status === 0;
const { runFlight } = await import(pathToFileURL(path.join(root, "dist/src/flight/index.js")).href);
const { SYSCALL_NAMES } = await import(pathToFileURL(path.join(root, "dist/src/linux/syscall-numbers.js")).href);
const guest = (p) => path.join(root, "build/guest", p);
const AUTOPILOT_CALLS = new Set(["select", "read", "write", "clock_nanosleep", "socket", "sendto", "close"]);

// A flight as the autopilot's calls: {name, enter, exit} in order (ns; exit -1 when unknown).
function emulated(timing) {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-dist-"));
  try {
    const r = runFlight({ scenario: "normal", seed, outDir: dir, timing });
    const m = r.manifest;
    const cr3s = new Set(m.processes.filter((p) => p.program === "/bin/autopilot").map((p) => p.cr3));
    const calls = [], open = new Map();
    const deltas = new Set();
    let prev = -1;
    for (const line of readFileSync(r.files.raw, "latin1").split("\n")) {
      if (!line) continue;
      const f = line.split(",");
      const ts = Number(f[0]), cr3 = f[f.length - 1];
      if (f[1] === " SYSCALL") {
        if (prev >= 0) deltas.add(ts - prev);
        prev = ts;
        if (!cr3s.has(cr3)) continue;
        const c = { name: SYSCALL_NAMES[Number(f[2])] ?? f[2], enter: ts, exit: -1 };
        calls.push(c);
        open.set(cr3, c);
      } else if (open.has(cr3)) { open.get(cr3).exit = ts; open.delete(cr3); }
    }
    return { calls: calls.filter((c) => AUTOPILOT_CALLS.has(c.name)), syscalls: m.recording.syscalls, distinct: deltas.size, outcome: m.outcome, manifest: m };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A child's end: at once if it has ended, else when it does (sent `signal` after `ms`).
const ended = (child, ms, signal) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  const t = setTimeout(() => child.kill(signal), ms);
  child.on("exit", () => { clearTimeout(t); resolve(); });
});

// The drone on a host PTY (`skytrace drone --pty`, its own process) and flight-init flying it.
async function nativeFlight(autopilot, wrap, env = {}, paced = false) {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-native-"));
  symlinkSync(guest("flight-init"), path.join(dir, "flight-init"));
  symlinkSync(guest("mkdir"), path.join(dir, "mkdir"));
  symlinkSync(autopilot, path.join(dir, "autopilot"));
  const droneConfig = path.join(dir, "drone.json");
  writeFileSync(droneConfig, JSON.stringify(flown.options.drone));
  const drone = spawn(process.execPath, [path.join(root, "bin/skytrace.js"), "drone", "--pty", "--seed", String(flown.options.drone.seed), "--config", droneConfig], { stdio: ["ignore", "pipe", "ignore"] });
  const pts = await new Promise((resolve, reject) => {
    let out = "";
    drone.stdout.on("data", (d) => { out += d; const m = /^(\/dev\/pts\/\d+)\n/.exec(out); if (m) resolve(m[1]); });
    drone.on("exit", () => reject(new Error("skytrace drone --pty exited before printing its PTY")));
  });
  let port = pts, pacer = null;
  if (paced) {
    pacer = spawn(guest("calibrate/pace"), [pts, "115200"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    port = await new Promise((resolve, reject) => {
      let out = "";
      pacer.stdout.on("data", (d) => { out += d; const m = /^(\/dev\/pts\/\d+)\n/.exec(out); if (m) resolve(m[1]); });
      pacer.on("exit", () => reject(new Error("pace exited before printing its PTY")));
    });
  }
  // flight-init SCENARIO AUTOPILOT_SEED PORT poll_hz=… [anomaly_phase=… anomaly=…], as in the emulated flight.
  const args = flown.options.guest.argv.slice(1).map((a) => (a === flown.options.guest.port ? port : a));
  const [cmd, ...rest] = [...wrap, path.join(dir, "flight-init"), ...args];
  const status = await new Promise((resolve) => {
    const c = spawn(cmd, rest, { cwd: dir, stdio: "ignore", env: { ...process.env, ...env } });
    c.on("exit", (code) => resolve(code));
  });
  if (pacer) await ended(pacer, 2000, "SIGTERM");
  await ended(drone, 3000, "SIGINT");
  return { dir, status };
}

async function tapped(paced) {
  const tmp = mkdtempSync(path.join(tmpdir(), "skytrace-tap-"));
  const file = path.join(tmp, "tap.bin"), paceLog = path.join(tmp, "pace.bin");
  const { dir, status } = await nativeFlight(guest("calibrate/autopilot-tap"), [], { SKYTRACE_TAP: file, SKYTRACE_PACE_LOG: paceLog }, paced);
  rmSync(dir, { recursive: true, force: true });
  if (status !== 0 || !existsSync(file)) throw new Error(`native flight failed (status ${status})`);
  const b = readFileSync(file);
  const calls = [];
  for (let o = 0; o + 40 <= b.length; o += 40) {
    calls.push({ name: SYSCALL_NAMES[Number(b.readBigInt64LE(o + 16))], enter: Number(b.readBigInt64LE(o)), exit: Number(b.readBigInt64LE(o + 8)) });
  }
  // With pacing: when each byte reached the autopilot's PTY, so each slept select's wake-up latency.
  const arrivals = [];
  if (paced && existsSync(paceLog)) { const p = readFileSync(paceLog); for (let o = 0; o + 8 <= p.length; o += 8) arrivals.push(Number(p.readBigInt64LE(o))); }
  rmSync(tmp, { recursive: true, force: true });
  return { calls: calls.filter((c) => AUTOPILOT_CALLS.has(c.name)), arrivals };
}

async function straced() {
  const log = path.join(mkdtempSync(path.join(tmpdir(), "skytrace-strace-")), "strace.txt");
  const { dir, status } = await nativeFlight(guest("autopilot"), ["strace", "-f", "-o", log, "--absolute-timestamps=unix,ns", "--syscall-times=ns"], {}, true);
  rmSync(dir, { recursive: true, force: true });
  if (status !== 0) throw new Error(`native flight under strace failed (status ${status})`);
  const byPid = new Map(), calls = [], pending = new Map();
  const ns = (s) => { const [a, b = ""] = s.split("."); return Number(a) * 1e9 + Number(b.padEnd(9, "0").slice(0, 9)); };
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const m = /^(\d+)\s+(\d+\.\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()/.exec(line);
    if (!m) continue;
    const pid = m[1], dur = /<(\d+\.\d+)>$/.exec(line);
    let c;
    if (m[3]) { c = pending.get(pid); pending.delete(pid); if (!c) continue; }
    else { c = { pid, name: m[4], enter: ns(m[2]), exit: -1 }; calls.push(c); if (line.includes("<unfinished ...>")) { pending.set(pid, c); continue; } }
    if (dur) c.exit = c.enter + ns(dur[1]);
    if (!byPid.has(pid)) byPid.set(pid, new Set());
    byPid.get(pid).add(c.name);
  }
  rmSync(path.dirname(log), { recursive: true, force: true });
  const pilot = [...byPid].find(([, names]) => names.has("select"))?.[0];
  return { calls: calls.filter((c) => c.pid === pilot && AUTOPILOT_CALLS.has(c.name)) };
}

const load0 = loadavg();
const sources = [];
console.error("timing-distributions: emulated flights (ideal, realistic)…");
const ideal = emulated("ideal"), realistic = emulated("realistic");
const flown = ideal.manifest; // the mission and air the native flights fly too
sources.push(["ideal", ideal], ["realistic", realistic]);
if (native) {
  console.error("timing-distributions: native flight, autopilot-tap (~9 s real time)…");
  sources.push(["native PTY (tap)", await tapped(false)]);
  console.error("timing-distributions: native flight, paced to 115200 baud, autopilot-tap…");
  sources.push(["native paced (tap)", await tapped(true)]);
  if (withStrace) { console.error("timing-distributions: native flight, paced, under strace…"); sources.push(["native paced (strace)", await straced()]); }
}
const red = sources.map(([name, s]) => [name, reduce(s)]);
const load1 = loadavg();

const text = renderTables({ seed, mission: flown.mission, red, recorded: { ideal, realistic }, load: [load0, load1] });
console.log(text);
if (args.includes("--doc")) {
  const { writeSection } = await import(pathToFileURL(path.join(root, "dist/bench/doc-section.js")).href);
  writeSection(path.join(root, "docs/timing.md"), "timing-distributions", distributionsSection(["node scripts/timing-distributions.mjs", ...args].join(" "), new Date(), text));
  console.error("timing-distributions: wrote docs/timing.md's section");
}
