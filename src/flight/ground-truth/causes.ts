// The cause registry: every kind of anomaly a flight can carry, by name, with
// how the host sees its episodes (code probes on the autopilot's functions,
// by symbol; or a window of time the host itself decides, for attacks on the
// drone's side) and how its episodes label the per-syscall table's rows (the
// rule, src/dataset/labels.ts). docs/dataset.md ("Ground truth") documents
// each entry; a new kind of anomaly is a new entry here.
//
// Today's two causes live in code the autopilot already had, compiled as it
// is: a marker or a noinline function would change the instructions the
// flights retire, hence the trace (an asm label at the datagram's start and
// end, when tried, moved one instruction past the sendto and shifted a
// SOCKETS flight's timestamps by 1 ns). So their probes are on the functions
// that code calls, which gcc keeps out of line: random_prime and the libc
// calls socket, sendto, close and clock_gettime, each called by the autopilot
// only there (guest/autopilot.c says so where they are called).
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

const RAX = 0, RDX = 2, RDI = 7, R8 = 8;
const reg = (h: ProbeHit, i: number): bigint => h.machine.gpr(i);

// busydelay: the autopilot stalls factoring p*q, p and q random primes of
// busy_bits bits, by trial division (guest/autopilot.c busy_factor). The
// episode begins when it calls random_prime for p and ends when it calls
// clock_gettime to restart its schedule right after the factoring; in between
// it makes no syscall. It labels the thread's calls made in between (none)
// and its first call after: the one whose Δt carries the stall.
export const FACTORING: CauseDefinition = {
  name: "factoring",
  what: "busydelay: trial division of the product of two random primes, from the first random_prime call to the clock_gettime after it",
  rule: { by: "extent", delayed: true },
  probes: {
    random_prime: {
      entry: (log, h) => {
        if (log.running(FACTORING, h)) return;   // the second prime
        const ep = log.begin(FACTORING, h);
        ep.scratch.bits = Number(reg(h, RDI));
        ep.scratch.factors = [];
      },
      return: (log, h) => {
        const ep = log.running(FACTORING, h);
        if (ep) (ep.scratch.factors as bigint[]).push(reg(h, RAX));
      },
    },
    clock_gettime: {
      entry: (log, h) => {
        const ep = log.running(FACTORING, h);
        if (!ep) return;
        const factors = ep.scratch.factors as bigint[];
        if (factors.length !== 2) throw new Error(`ground truth: a factoring episode ended after ${factors.length} primes (expected 2)`);
        // The number is below 2^62: a decimal string keeps it exact in JSON.
        ep.params.number = (factors[0] * factors[1]).toString();
        ep.params.factors = factors.map(Number);
        ep.params.bits = ep.scratch.bits as number;
        ep.params.instructions = h.process.userTicks - ep.startInstructions;
        log.end(ep, h);
      },
    },
  },
};

// sockets: the autopilot sends one UDP datagram to a random localhost port
// (guest/autopilot.c send_datagram): socket, sendto, close. The episode runs
// from its socket call to the return of its close (or of a socket call that
// failed); it labels exactly the calls made in between.
export const UDP: CauseDefinition = {
  name: "udp",
  what: "sockets: one datagram to a random localhost port, from the socket call to the return of its close",
  rule: { by: "extent", delayed: false },
  probes: {
    socket: {
      entry: (log, h) => { log.begin(UDP, h); },
      return: (log, h) => {
        const ep = log.running(UDP, h);
        if (ep && BigInt.asIntN(64, reg(h, RAX)) < 0n) log.end(ep, h);   // no socket: nothing follows
      },
    },
    sendto: {
      // sendto(fd, buf, len, flags, addr, addrlen): the port from the sockaddr_in (network order).
      entry: (log, h) => {
        const ep = log.running(UDP, h);
        if (!ep) return;
        const addr = Number(reg(h, R8));
        const b = addr === 0 ? null : h.process.mem.read(addr + 2, 2);
        ep.params.port = b ? (b[0] << 8) | b[1] : -1;
        ep.params.bytes = Number(reg(h, RDX));
      },
    },
    close: {
      return: (log, h) => {
        const ep = log.running(UDP, h);
        if (ep) log.end(ep, h);
      },
    },
  },
};

/** Every cause, in the order the cause column's dictionary lists them. */
export const CAUSES: readonly CauseDefinition[] = [FACTORING, UDP];
