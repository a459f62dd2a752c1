// poll, ppoll, select, pselect6: readiness over any fds, with timeouts in
// virtual time. A call that must wait blocks until the earliest of its
// deadline and the next event a device announces (serial bytes arriving).
import type { Handler } from "./types.js";
import type { SysArgs } from "./args.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLPRI } from "../fs/file.js";
import { readTimespec } from "./time.js";
import { clampNs, MAX_NS } from "../clock.js";
import { Errno, EINVAL, EBADF, EFAULT } from "../errno.js";

// Deadline bookkeeping across retries: computed on the first call only. Timeouts are
// numbers of ns already clamped to MAX_NS, so the sum is exact or clamped again.
function deadlineOf(k: Kernel, p: Process, nr: number, timeoutNs: number | null): number | null {
  const b = p.block ?? p.beginPollBlock(nr, timeoutNs === null ? undefined : Math.min(k.clock.now + timeoutNs, MAX_NS));
  return b.deadline ?? null;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function pollCommon(k: Kernel, p: Process, nr: number, va: number, nfds: number, timeoutNs: number | null): number | typeof BLOCK {
  if (nfds > 1024) return -EINVAL;
  const raw = p.mem.readOrFault(va, nfds * 8);
  const dv = new DataView(raw.buffer);
  let ready = 0;
  let next: number | null = null;
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(i * 8, true);
    const events = dv.getInt16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const f = p.getFile(fd);
      if (!f) rev = POLLNVAL;
      else {
        rev = f.ops.poll(f, k.clock) & (events | POLLERR | POLLHUP);
        if (!rev) next = earliest(next, f.ops.nextEvent?.(f, k.clock) ?? null);
      }
    }
    dv.setInt16(i * 8 + 6, rev, true);
    if (rev) ready++;
  }
  const deadline = deadlineOf(k, p, nr, timeoutNs);
  if (ready === 0 && (deadline === null || k.clock.now < deadline)) {
    p.wakeAt = earliest(deadline, next);
    return BLOCK;
  }
  p.mem.writeOrFault(va, raw);
  return ready;
}

const poll: Handler = (k, p, a) => {
  const ms = a.int(2);
  return pollCommon(k, p, a.nr, a.u(0), a.u32(1), ms < 0 ? null : ms * 1_000_000);
};

const ppoll: Handler = (k, p, a) => {
  let t: bigint | null = null;
  if (a.u(2)) { t = p.block ? 0n : readTimespec(p, a.u(2)); if (t === null) return -EINVAL; }
  return pollCommon(k, p, a.nr, a.u(0), a.u32(1), t === null ? null : clampNs(t));
};

// select's fd sets: at most 1024 fds, 128 bytes a set. The autopilot selects
// tens of thousands of times a flight, so the sets are scratch buffers (with a
// view per possible length) rather than new arrays per call.
const SET_MAX = 128;
const setViews = (): Uint8Array[] => {
  const b = new Uint8Array(SET_MAX);
  return Array.from({ length: SET_MAX / 8 + 1 }, (_, k) => b.subarray(0, k * 8));
};
const inSet = [setViews(), setViews(), setViews()];
const outSet = [setViews(), setViews(), setViews()];
const timeval = new Uint8Array(16);
const timevalWords = new Int32Array(timeval.buffer); // little-endian host, like the guest
const TWO32 = 4294967296;

// Reads the set at va into scratch slot s; null when va is 0. A bad pointer is EFAULT.
function readSet(p: Process, s: number, va: number, words: number): Uint8Array | null {
  if (!va) return null;
  const b = inSet[s][words];
  if (!p.mem.readInto(va, b)) throw new Errno(EFAULT);
  return b;
}

// select and pselect6 share the argument layout (nfds, readfds, writefds, exceptfds); they are read
// here rather than passed, since a pointer above 2^31 passed as a number is a new heap number.
function selectCommon(k: Kernel, p: Process, a: SysArgs, timeoutNs: number | null): number | typeof BLOCK {
  const nr = a.nr, nfds = a.int(0), rva = a.u(1), wva = a.u(2), eva = a.u(3);
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const words = Math.ceil(nfds / 64);
  const r = readSet(p, 0, rva, words), w = readSet(p, 1, wva, words), e = readSet(p, 2, eva, words);
  const ro = outSet[0][words], wo = outSet[1][words], eo = outSet[2][words];
  ro.fill(0); wo.fill(0); eo.fill(0);
  let ready = 0;
  let next: number | null = null;
  for (let fd = 0; fd < nfds; fd++) {
    const byte = fd >> 3, m = 1 << (fd & 7);
    const wr = r !== null && (r[byte] & m) !== 0;
    const ww = w !== null && (w[byte] & m) !== 0;
    const we = e !== null && (e[byte] & m) !== 0;
    if (!wr && !ww && !we) continue;
    const f = p.getFile(fd);
    if (!f) return -EBADF;
    const rev = f.ops.poll(f, k.clock);
    let any = false;
    if (wr && rev & (POLLIN | POLLHUP | POLLERR)) { ro[byte] |= m; ready++; any = true; }
    if (ww && rev & (POLLOUT | POLLERR)) { wo[byte] |= m; ready++; any = true; }
    if (we && rev & POLLPRI) { eo[byte] |= m; ready++; any = true; }
    if (!any) next = earliest(next, f.ops.nextEvent?.(f, k.clock) ?? null);
  }
  const deadline = deadlineOf(k, p, nr, timeoutNs);
  if (ready === 0 && (deadline === null || k.clock.now < deadline)) {
    p.wakeAt = earliest(deadline, next);
    return BLOCK;
  }
  if (rva) p.mem.writeOrFault(rva, ro);
  if (wva) p.mem.writeOrFault(wva, wo);
  if (eva) p.mem.writeOrFault(eva, eo);
  return ready;
}

const select: Handler = (k, p, a) => {
  const tva = a.u(4);
  let t: number | null = null;
  if (tva && !p.block) {
    if (!p.mem.readInto(tva, timeval)) throw new Errno(EFAULT);
    // struct timeval's two i64 as 32-bit halves (a negative field has a negative high half).
    const w = timevalWords;
    if (w[1] < 0 || w[3] < 0 || w[3] > 0 || (w[2] >>> 0) >= 1_000_000) return -EINVAL;
    const s = w[1] * TWO32 + (w[0] >>> 0), us = w[2] >>> 0;
    t = s >= MAX_NS / 1e9 ? MAX_NS : s * 1_000_000_000 + us * 1000;
  }
  const r = selectCommon(k, p, a, tva ? t ?? 0 : null);
  if (r !== BLOCK && tva && p.block?.deadline !== undefined) {
    // Linux writes back the time left (below 2^53 ns, so its seconds fit the low half).
    const left = p.block.deadline > k.clock.now ? p.block.deadline - k.clock.now : 0;
    const w = timevalWords;
    w[0] = Math.floor(left / 1_000_000_000); w[1] = 0;
    w[2] = Math.floor((left % 1_000_000_000) / 1000); w[3] = 0;
    p.mem.writeOrFault(tva, timeval);
  }
  return r;
};

const pselect6: Handler = (k, p, a) => {
  let t: bigint | null = null;
  if (a.u(4) && !p.block) { t = readTimespec(p, a.u(4)); if (t === null) return -EINVAL; }
  return selectCommon(k, p, a, a.u(4) ? clampNs(t ?? 0n) : null);
};

export const pollCalls: Record<string, Handler> = { poll, ppoll, select, pselect6 };
