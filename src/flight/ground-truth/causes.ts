// The cause registry: every kind of anomaly a flight can carry, by name, with
// how the host sees its episodes (code probes on the autopilot's functions,
// by symbol; or a window of time the host itself decides, for attacks on the
// drone's side) and how its episodes label the per-syscall table's rows (the
// rule, src/dataset/labels.ts). docs/dataset.md ("Ground truth") documents
// each entry; a new kind of anomaly is a new entry here.
//
// The autopilot's anomaly code is in functions of their own, which it always
// has and calls only for its anomalies (guest/autopilot.c, ANOMALY_CODE:
// noipa keeps each out of line with its arguments as written), so a probe on
// a function's entry and return brackets exactly the anomaly's code, and the
// arguments (the stretch of the schedule and its parameters) are in RDI, RSI,
// RDX there. The probes change nothing the guest does: the trace is the same
// bytes with or without them.
import type { LabelRule } from "../../dataset/labels.js";
import type { EpisodeLog, ProbeHit } from "./episodes.js";

export interface CauseDefinition {
  name: string;
  /** One line: what the anomaly is and where its episodes begin and end. */
  what: string;
  rule: LabelRule;
  /** Probes on the autopilot's image: symbol -> what to do when a thread enters the function, or returns from it. */
  probes: Record<string, { entry?: (log: EpisodeLog, hit: ProbeHit) => void; return?: (log: EpisodeLog, hit: ProbeHit) => void }>;
}

const RAX = 0, RDX = 2, RSI = 6, RDI = 7;
const reg = (h: ProbeHit, i: number): bigint => h.machine.gpr(i);
const arg = (h: ProbeHit, i: number): number => Number(BigInt.asIntN(32, reg(h, i)));

// busydelay: the autopilot stalls factoring p*q, p and q random primes of
// `bits` bits, by trial division (guest/autopilot.c busy_factor). The episode
// is the call of busy_factor, which makes no syscall; it labels the thread's
// first call after it: the one whose Δt carries the stall.
export const FACTORING: CauseDefinition = {
  name: "factoring",
  what: "busydelay: trial division of the product of two random primes, from busy_factor's entry to its return; labels the call the stall delays",
  rule: { by: "extent", delayed: true },
  probes: {
    busy_factor: {
      entry: (log, h) => {
        const ep = log.begin(FACTORING, h, { stretch: arg(h, RDI), bits: arg(h, RSI) });
        ep.scratch.factors = [];
      },
      return: (log, h) => {
        const ep = log.running(FACTORING, h);
        if (!ep) return;
        const factors = ep.scratch.factors as bigint[];
        if (factors.length !== 2) throw new Error(`ground truth: a factoring episode ended after ${factors.length} primes (expected 2)`);
        // The number is below 2^62: a decimal string keeps it exact in JSON.
        ep.params.number = (factors[0] * factors[1]).toString();
        ep.params.factors = factors.map(Number);
        ep.params.instructions = h.process.userTicks - ep.startInstructions;
        log.end(ep, h);
      },
    },
    random_prime: {
      return: (log, h) => {
        const ep = log.running(FACTORING, h);
        if (ep) (ep.scratch.factors as bigint[]).push(reg(h, RAX));
      },
    },
  },
};

// sockets: one UDP datagram to a localhost port (guest/autopilot.c
// send_datagram): socket, sendto, close. The episode is the call of
// send_datagram; it labels exactly the calls made in it.
export const UDP: CauseDefinition = {
  name: "udp",
  what: "sockets: one datagram to a localhost port, send_datagram's entry to its return (socket, sendto, close)",
  rule: { by: "extent", delayed: false },
  probes: {
    send_datagram: {
      entry: (log, h) => { log.begin(UDP, h, { stretch: arg(h, RDI), bytes: arg(h, RSI), port: arg(h, RDX) }); },
      return: (log, h) => {
        const ep = log.running(UDP, h);
        if (ep) log.end(ep, h);
      },
    },
  },
};

// shell: injected code forks a child that execs /bin/payload, which reads
// files, and waits for it (guest/autopilot.c run_shell). The episode is the
// call of run_shell; it labels the autopilot's calls in it (the fork, the
// wait) and every call of the child, from its execve to its exit.
export const SHELL: CauseDefinition = {
  name: "shell",
  what: "shell: a child forked to exec /bin/payload, which reads files, and the wait for it: run_shell's entry to its return, and the child's calls",
  rule: { by: "family" },
  probes: {
    run_shell: {
      entry: (log, h) => { log.begin(SHELL, h, { stretch: arg(h, RDI), files: arg(h, RSI) }); },
      return: (log, h) => {
        const ep = log.running(SHELL, h);
        if (ep) log.end(ep, h);
      },
    },
  },
};

// hog: a child that maps and writes memory and computes (/bin/hog), started
// by start_hog and killed and reaped by stop_hog at the stretch's end
// (guest/autopilot.c). The episode runs from start_hog's entry to stop_hog's
// return; it labels the autopilot's calls inside those two functions (the
// fork; the kill and the wait) and every call of the child. params.codeNs
// lists the autopilot's time in them: [start, end, start, end].
export const HOG: CauseDefinition = {
  name: "hog",
  what: "hog: a child eating memory and CPU (/bin/hog), from start_hog's entry to stop_hog's return; labels the fork, kill and wait and the child's calls",
  rule: { by: "family" },
  probes: {
    start_hog: {
      entry: (log, h) => { log.begin(HOG, h, { stretch: arg(h, RDI), mib: arg(h, RSI), dutyPermille: arg(h, RDX), codeNs: [h.ns] }); },
      return: (log, h) => {
        const ep = log.running(HOG, h);
        if (ep) (ep.params.codeNs as number[]).push(h.ns);
      },
    },
    stop_hog: {
      entry: (log, h) => {
        const ep = log.running(HOG, h);
        if (ep) (ep.params.codeNs as number[]).push(h.ns);
      },
      return: (log, h) => {
        const ep = log.running(HOG, h);
        if (!ep) return;
        (ep.params.codeNs as number[]).push(h.ns);
        log.end(ep, h);
      },
    },
  },
};

// spoof: an attack on the drone's side (src/drone/spoof.ts): the host decides
// its windows, the autopilot's code path is the normal one. It labels every
// call entered in the window, whichever process made it.
export const SPOOF: CauseDefinition = {
  name: "spoof",
  what: "spoof: the drone's sensed position dragged off the true one in a window the host decides; labels every call entered in it",
  rule: { by: "window" },
  probes: {},
};

/** Every cause, in the order the cause column's dictionary lists them. */
export const CAUSES: readonly CauseDefinition[] = [FACTORING, UDP, SHELL, HOG, SPOOF];
