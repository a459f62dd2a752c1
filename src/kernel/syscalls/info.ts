// System information: uname (fixed values), sysinfo, resource limits and
// usage, getrandom (seeded).
import type { Handler } from "./types.js";
import { EINVAL, EFAULT } from "../errno.js";

// uname(2) as this kernel reports it: a Linux 6.1 x86_64 machine named "skytrace".
export const UNAME = { sysname: "Linux", release: "6.1.0-skytrace", version: "#1 SMP PREEMPT_DYNAMIC skytrace", machine: "x86_64", domain: "(none)" };

const uname: Handler = (k, p, a) => {
  const b = new Uint8Array(65 * 6);
  [UNAME.sysname, k.hostname, UNAME.release, UNAME.version, UNAME.machine, UNAME.domain].forEach((s, i) => b.set(Buffer.from(s).subarray(0, 64), i * 65));
  p.mem.writeOrFault(a.u(0), b);
  return 0;
};

const sysinfo: Handler = (k, p, a) => {
  const b = new Uint8Array(112);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, k.clock.nowBig / 1_000_000_000n, true);     // uptime
  const total = 3n * 1024n * 1024n * 1024n;
  dv.setBigUint64(32, total, true);                            // totalram
  dv.setBigUint64(40, total - BigInt(k.phys.framesInUse()) * 4096n, true); // freeram
  dv.setUint16(80, k.procs.size, true);                        // procs
  dv.setUint32(104, 1, true);                                  // mem_unit
  p.mem.writeOrFault(a.u(0), b);
  return 0;
};

const RLIM_INFINITY = 0xffffffffffffffffn;
// Limits as a default Linux login gives them (RLIMIT_STACK 8 MiB, NOFILE 1024, CORE 0).
const LIMITS: Array<[bigint, bigint]> = [
  [RLIM_INFINITY, RLIM_INFINITY], [RLIM_INFINITY, RLIM_INFINITY], [RLIM_INFINITY, RLIM_INFINITY],
  [8n * 1024n * 1024n, RLIM_INFINITY], [0n, RLIM_INFINITY], [RLIM_INFINITY, RLIM_INFINITY],
  [63556n, 63556n], [1024n, 1048576n], [8388608n, 8388608n], [RLIM_INFINITY, RLIM_INFINITY],
  [RLIM_INFINITY, RLIM_INFINITY], [63556n, 63556n], [819200n, 819200n], [0n, 0n], [0n, 0n],
  [RLIM_INFINITY, RLIM_INFINITY],
];

const prlimit64: Handler = (_k, p, a) => {
  const res = a.int(1);
  if (a.int(0) !== 0 && a.int(0) !== p.pid) return -3; // ESRCH: only ourselves
  if (res < 0 || res >= LIMITS.length) return -EINVAL;
  const old = a.u(3);
  if (old) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, LIMITS[res][0], true);
    dv.setBigUint64(8, LIMITS[res][1], true);
    p.mem.writeOrFault(old, b);
  }
  if (a.u(2)) { if (!p.mem.read(a.u(2), 16)) return -EFAULT; } // accepted, not enforced
  return 0;
};
const getrlimit: Handler = (_k, p, a) => {
  const res = a.int(0);
  if (res < 0 || res >= LIMITS.length) return -EINVAL;
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, LIMITS[res][0], true);
  dv.setBigUint64(8, LIMITS[res][1], true);
  p.mem.writeOrFault(a.u(1), b);
  return 0;
};
const setrlimit: Handler = (_k, p, a) => (p.mem.read(a.u(1), 16) ? 0 : -EFAULT);

// getrusage: user time is the process's share of the virtual clock.
const getrusage: Handler = (k, p, a) => {
  const who = a.int(0);
  if (who !== 0 && who !== -1 && who !== 1) return -EINVAL;
  const b = new Uint8Array(144);
  const dv = new DataView(b.buffer);
  const ns = who === -1 ? 0n : BigInt(k.clock.now - p.startTicks);
  dv.setBigInt64(0, ns / 1_000_000_000n, true);
  dv.setBigInt64(8, (ns % 1_000_000_000n) / 1000n, true);
  dv.setBigInt64(32, BigInt(p.mm.frames * 4), true); // maxrss in KiB
  p.mem.writeOrFault(a.u(1), b);
  return 0;
};

const times: Handler = (k, p, a) => {
  const ticks = BigInt(k.clock.now - p.startTicks) / 10_000_000n; // clock ticks at 100 Hz
  if (a.u(0)) {
    const b = new Uint8Array(32);
    new DataView(b.buffer).setBigInt64(0, ticks, true);
    p.mem.writeOrFault(a.u(0), b);
  }
  return Math.floor(k.clock.now / 10_000_000);
};

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
const getrandom: Handler = (k, p, a) => {
  if (a.u32(2) & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -EINVAL;
  const n = Math.min(a.u(1), 33554431);
  const b = k.rng.fill(new Uint8Array(n));
  p.mem.writeOrFault(a.u(0), b);
  return n;
};

export const infoCalls: Record<string, Handler> = {
  uname, sysinfo, prlimit64, getrlimit, setrlimit, getrusage, times, getrandom,
  sethostname: (k, p, a) => { if (a.u(1) > 64) return -EINVAL; const b = p.mem.readOrFault(a.u(0), a.u(1)); k.hostname = Buffer.from(b).toString(); return 0; },
};
