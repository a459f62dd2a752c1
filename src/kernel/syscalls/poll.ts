// poll, ppoll, select, pselect6: readiness over any fds, with timeouts in
// virtual time. A call that must wait blocks until the earliest of its
// deadline and the next event a device announces (serial bytes arriving).
import type { Handler } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLPRI } from "../fs/file.js";
import { readTimespec } from "./time.js";
import { Errno, EINVAL, EBADF, EFAULT } from "../errno.js";

// Deadline bookkeeping across retries: computed on the first call only.
function deadlineOf(k: Kernel, p: Process, nr: number, timeoutNs: bigint | null): bigint | null {
  if (!p.block) p.block = { nr, deadline: timeoutNs === null ? undefined : k.clock.now + timeoutNs };
  return p.block.deadline ?? null;
}

function earliest(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function pollCommon(k: Kernel, p: Process, nr: number, va: number, nfds: number, timeoutNs: bigint | null): number | typeof BLOCK {
  if (nfds > 1024) return -EINVAL;
  const raw = p.mem.readOrFault(va, nfds * 8);
  const dv = new DataView(raw.buffer);
  let ready = 0;
  let next: bigint | null = null;
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
  return pollCommon(k, p, a.nr, a.u(0), a.u32(1), ms < 0 ? null : BigInt(ms) * 1_000_000n);
};

const ppoll: Handler = (k, p, a) => {
  let t: bigint | null = null;
  if (a.u(2)) { t = p.block ? 0n : readTimespec(p, a.u(2)); if (t === null) return -EINVAL; }
  return pollCommon(k, p, a.nr, a.u(0), a.u32(1), t);
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
const timevalView = new DataView(timeval.buffer);

// Reads the set at va into scratch slot s; null when va is 0. A bad pointer is EFAULT.
function readSet(p: Process, s: number, va: number, words: number): Uint8Array | null {
  if (!va) return null;
  const b = inSet[s][words];
  if (!p.mem.readInto(va, b)) throw new Errno(EFAULT);
  return b;
}

function selectCommon(k: Kernel, p: Process, nr: number, nfds: number, rva: number, wva: number, eva: number, timeoutNs: bigint | null): number | typeof BLOCK {
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const words = Math.ceil(nfds / 64);
  const r = readSet(p, 0, rva, words), w = readSet(p, 1, wva, words), e = readSet(p, 2, eva, words);
  const ro = outSet[0][words], wo = outSet[1][words], eo = outSet[2][words];
  ro.fill(0); wo.fill(0); eo.fill(0);
  let ready = 0;
  let next: bigint | null = null;
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
  let t: bigint | null = null;
  if (tva && !p.block) {
    if (!p.mem.readInto(tva, timeval)) throw new Errno(EFAULT);
    const s = timevalView.getBigInt64(0, true), us = timevalView.getBigInt64(8, true);
    if (s < 0n || us < 0n || us >= 1_000_000n) return -EINVAL;
    t = s * 1_000_000_000n + us * 1000n;
  }
  const r = selectCommon(k, p, a.nr, a.int(0), a.u(1), a.u(2), a.u(3), tva ? t ?? 0n : null);
  if (r !== BLOCK && tva && p.block?.deadline !== undefined) {
    // Linux writes back the time left.
    const left = p.block.deadline > k.clock.now ? p.block.deadline - k.clock.now : 0n;
    timevalView.setBigInt64(0, left / 1_000_000_000n, true);
    timevalView.setBigInt64(8, (left % 1_000_000_000n) / 1000n, true);
    p.mem.writeOrFault(tva, timeval);
  }
  return r;
};

const pselect6: Handler = (k, p, a) => {
  let t: bigint | null = null;
  if (a.u(4) && !p.block) { t = readTimespec(p, a.u(4)); if (t === null) return -EINVAL; }
  return selectCommon(k, p, a.nr, a.int(0), a.u(1), a.u(2), a.u(3), a.u(4) ? t ?? 0n : null);
};

export const pollCalls: Record<string, Handler> = { poll, ppoll, select, pselect6 };
