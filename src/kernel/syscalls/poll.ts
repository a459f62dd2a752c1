// poll, ppoll, select, pselect6: readiness over any fds, with timeouts in
// virtual time. A call that must wait blocks until the earliest of its
// deadline and the next event a device announces (serial bytes arriving).
import type { Handler } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLPRI } from "../fs/file.js";
import { readTimespec } from "./time.js";
import { EINVAL, EBADF } from "../errno.js";

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

function readSet(p: Process, va: number, nfds: number): Uint8Array | null {
  if (!va) return null;
  return p.mem.readOrFault(va, Math.ceil(nfds / 64) * 8);
}

function selectCommon(k: Kernel, p: Process, nr: number, nfds: number, rva: number, wva: number, eva: number, timeoutNs: bigint | null): number | typeof BLOCK {
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const sets = [readSet(p, rva, nfds), readSet(p, wva, nfds), readSet(p, eva, nfds)];
  const outs = sets.map((s) => (s ? new Uint8Array(s.length) : null));
  let ready = 0;
  let next: bigint | null = null;
  for (let fd = 0; fd < nfds; fd++) {
    const byte = fd >> 3, m = 1 << (fd & 7);
    const want = [sets[0] && sets[0][byte] & m, sets[1] && sets[1][byte] & m, sets[2] && sets[2][byte] & m];
    if (!want[0] && !want[1] && !want[2]) continue;
    const f = p.getFile(fd);
    if (!f) return -EBADF;
    const rev = f.ops.poll(f, k.clock);
    const hits = [rev & (POLLIN | POLLHUP | POLLERR), rev & (POLLOUT | POLLERR), rev & POLLPRI];
    let any = false;
    for (let s = 0; s < 3; s++) if (want[s] && hits[s]) { outs[s]![byte] |= m; ready++; any = true; }
    if (!any) next = earliest(next, f.ops.nextEvent?.(f, k.clock) ?? null);
  }
  const deadline = deadlineOf(k, p, nr, timeoutNs);
  if (ready === 0 && (deadline === null || k.clock.now < deadline)) {
    p.wakeAt = earliest(deadline, next);
    return BLOCK;
  }
  [rva, wva, eva].forEach((va, i) => { if (va) p.mem.writeOrFault(va, outs[i]!); });
  return ready;
}

const select: Handler = (k, p, a) => {
  const tva = a.u(4);
  let t: bigint | null = null;
  if (tva && !p.block) {
    const b = p.mem.readOrFault(tva, 16);
    const dv = new DataView(b.buffer);
    const s = dv.getBigInt64(0, true), us = dv.getBigInt64(8, true);
    if (s < 0n || us < 0n || us >= 1_000_000n) return -EINVAL;
    t = s * 1_000_000_000n + us * 1000n;
  }
  const r = selectCommon(k, p, a.nr, a.int(0), a.u(1), a.u(2), a.u(3), tva ? t ?? 0n : null);
  if (r !== BLOCK && tva && p.block?.deadline !== undefined) {
    // Linux writes back the time left.
    const left = p.block.deadline > k.clock.now ? p.block.deadline - k.clock.now : 0n;
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, left / 1_000_000_000n, true);
    dv.setBigInt64(8, (left % 1_000_000_000n) / 1000n, true);
    p.mem.writeOrFault(tva, b);
  }
  return r;
};

const pselect6: Handler = (k, p, a) => {
  let t: bigint | null = null;
  if (a.u(4) && !p.block) { t = readTimespec(p, a.u(4)); if (t === null) return -EINVAL; }
  return selectCommon(k, p, a.nr, a.int(0), a.u(1), a.u(2), a.u(3), a.u(4) ? t ?? 0n : null);
};

export const pollCalls: Record<string, Handler> = { poll, ppoll, select, pselect6 };
