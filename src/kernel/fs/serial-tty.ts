// /dev/ttyS0: a serial port with a Linux line discipline over a SerialEndpoint.
// termios decides input processing (ICRNL, INLCR, IGNCR, ISTRIP), canonical
// (line) or raw reads with VMIN/VTIME, echo, and output processing (ONLCR).
// Reads that must wait let virtual time pass until the endpoint says the next
// byte arrives. Without an endpoint the port reads nothing and drops writes.
import type { SerialEndpoint } from "../../serial/endpoint.js";
import type { Clock } from "../clock.js";
import { BLOCK, Blockable, FileOps, OpenFile, POLLIN, POLLOUT, IoctlIo } from "./file.js";
import { WaitQueue } from "./wait-queue.js";
import { EAGAIN, EFAULT, EINVAL, ENOTTY } from "../errno.js";

// termios flag bits and c_cc indices (asm-generic/termbits.h).
const IGNCR = 0x80, ICRNL = 0x100, INLCR = 0x40, ISTRIP = 0x20;
const OPOST = 1, ONLCR = 4, OCRNL = 8;
const ICANON = 2, ECHO = 8, ECHONL = 0x40;
const VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VEOL = 11, VEOL2 = 16;
export const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
  TCXONC = 0x540a, TCFLSH = 0x540b, TIOCEXCL = 0x540c, TIOCNXCL = 0x540d, TIOCSCTTY = 0x540e,
  TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414,
  TIOCMGET = 0x5415, TIOCMBIS = 0x5416, TIOCMBIC = 0x5417, TIOCMSET = 0x5418, FIONREAD = 0x541b,
  TIOCGSERIAL = 0x541e, TIOCSSERIAL = 0x541f, FIONBIO = 0x5421;

// Linux's defaults for a serial port: 9600 8N1, cooked mode, echo on.
function defaultTermios(): Uint8Array {
  const t = new Uint8Array(36);
  const dv = new DataView(t.buffer);
  dv.setUint32(0, ICRNL | 0x400 /* IXON */, true);
  dv.setUint32(4, OPOST | ONLCR, true);
  dv.setUint32(8, 0o15 /* B9600 */ | 0o60 /* CS8 */ | 0o200 /* CREAD */ | 0o2000 /* HUPCL */ | 0o4000 /* CLOCAL */, true);
  dv.setUint32(12, 1 /* ISIG */ | ICANON | ECHO | 0x10 | 0x20 | 0x200 | 0x800 | 0x8000, true);
  t.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return t;
}

export class SerialTty {
  termios = defaultTermios();
  private tv = new DataView(this.termios.buffer);
  private queue: number[] = [];     // processed input waiting to be read
  private qhead = 0;
  private lastArrival = 0;          // when the latest byte entered the queue (VTIME inter-byte timer)
  private rx = new Uint8Array(256); // scratch for bytes taken off the wire (grown when needed)
  winsize = new Uint8Array(8);
  readonly wq = new WaitQueue();  // woken (for epoll) when arriving bytes make the port readable
  readonly ops: FileOps;

  constructor(private endpoint: () => SerialEndpoint | null, private clock: Clock) {
    const tty = this;
    this.ops = {
      seekable: false,
      read: (f, buf) => tty.read(f, buf),
      write: (_f, data) => tty.write(data),
      poll: () => { tty.pump(); return (tty.readable() ? POLLIN : 0) | POLLOUT; },
      nextEvent: (f) => tty.nextEvent(f),
      ioctl: (_f, req, arg, io) => tty.ioctl(req, arg, io),
      wq: this.wq,
    };
  }

  private get iflag(): number { return this.tv.getUint32(0, true); }
  private get oflag(): number { return this.tv.getUint32(4, true); }
  private get lflag(): number { return this.tv.getUint32(12, true); }
  private cc(i: number): number { return this.termios[17 + i]; }
  private get pending(): number { return this.queue.length - this.qhead; }

  // Move bytes that have arrived by now from the wire into the input queue.
  private pump(): void {
    const ep = this.endpoint();
    if (!ep) return;
    const now = this.clock.now;
    // One call takes everything that has arrived (grow the buffer and go on while it fills up).
    let n = ep.readInto(this.rx, now);
    if (n === 0) return;
    while (n === this.rx.length) {
      const more = new Uint8Array(this.rx.length * 2);
      more.set(this.rx);
      this.rx = more;
      n += ep.readInto(more.subarray(n), now);
    }
    const raw = this.rx;
    const ifl = this.iflag, lfl = this.lflag;
    let echo: number[] | null = null; // made only when something is echoed (raw mode echoes nothing)
    for (let i = 0; i < n; i++) {
      let c = raw[i];
      if (ifl & ISTRIP) c &= 0x7f;
      if (c === 13) { if (ifl & IGNCR) continue; if (ifl & ICRNL) c = 10; } else if (c === 10 && ifl & INLCR) c = 13;
      if (lfl & ICANON) {
        if (c === this.cc(VERASE)) { if (this.pending > 0 && this.queue[this.queue.length - 1] !== 10) this.queue.pop(); continue; }
        if (c === this.cc(VKILL)) { while (this.pending > 0 && this.queue[this.queue.length - 1] !== 10) this.queue.pop(); continue; }
      }
      this.queue.push(c);
      if (lfl & ECHO || (lfl & ECHONL && c === 10)) (echo ??= []).push(c);
    }
    this.lastArrival = now;
    if (echo !== null) this.write(Uint8Array.from(echo));
    if (this.readable()) this.wq.wake(POLLIN);
  }

  // A canonical read needs a complete line; a raw read needs VMIN bytes (or any, with VMIN=0).
  private lineEnd(): number {
    for (let i = this.qhead; i < this.queue.length; i++) {
      const c = this.queue[i];
      if (c === 10 || c === this.cc(VEOF) || (c !== 0 && (c === this.cc(VEOL) || c === this.cc(VEOL2)))) return i;
    }
    return -1;
  }

  private readable(): boolean {
    if (this.lflag & ICANON) return this.lineEnd() >= 0;
    return this.pending > 0;
  }

  private take(n: number, buf: Uint8Array): number {
    for (let i = 0; i < n; i++) buf[i] = this.queue[this.qhead + i];
    this.qhead += n;
    if (this.qhead > 4096 && this.qhead * 2 > this.queue.length) { this.queue = this.queue.slice(this.qhead); this.qhead = 0; }
    return n;
  }

  read(f: OpenFile, buf: Uint8Array): Blockable {
    this.pump();
    if (buf.length === 0) return 0;
    const now = this.clock.now;
    if (this.lflag & ICANON) {
      const e = this.lineEnd();
      if (e < 0) return this.wait(f);
      f.blockSince = null;
      const isEof = this.queue[e] === this.cc(VEOF);
      const n = Math.min(buf.length, e - this.qhead + (isEof ? 0 : 1));
      this.take(n, buf);
      if (isEof && n === e - this.qhead) this.qhead++; // consume the EOF character itself
      return n;
    }
    const vmin = this.cc(VMIN), vtime = this.cc(VTIME) * 100_000_000;
    const have = this.pending;
    if (vmin === 0) {
      if (have > 0 || vtime === 0) { f.blockSince = null; return this.take(Math.min(have, buf.length), buf); }
      if (f.blockSince === null) f.blockSince = now;
      if (now - f.blockSince >= vtime) { f.blockSince = null; return 0; }
      return this.wait(f);
    }
    const want = Math.min(vmin, buf.length);
    if (have >= want || (vtime > 0 && have > 0 && now - this.lastArrival >= vtime)) {
      f.blockSince = null;
      return this.take(Math.min(have, buf.length), buf);
    }
    return this.wait(f);
  }

  private wait(f: OpenFile): Blockable {
    if (f.nonblock) { f.blockSince = null; return -EAGAIN; }
    if (f.blockSince === null) f.blockSince = this.clock.now;
    return BLOCK;
  }

  nextEvent(f: OpenFile): number | null {
    const now = this.clock.now;
    let t = this.endpoint()?.nextArrival(now) ?? null;
    if (!(this.lflag & ICANON)) {
      const vtime = this.cc(VTIME) * 100_000_000;
      if (vtime > 0) {
        const base = this.cc(VMIN) === 0 ? f.blockSince ?? now : this.pending > 0 ? this.lastArrival : null;
        if (base !== null && (t === null || base + vtime < t)) t = base + vtime;
      }
    }
    return t;
  }

  write(data: Uint8Array): number {
    const ep = this.endpoint();
    if (!ep) return data.length;
    let out = data;
    const ofl = this.oflag;
    if (ofl & OPOST && ofl & (ONLCR | OCRNL)) {
      const b: number[] = [];
      for (const c of data) {
        if (c === 10 && ofl & ONLCR) b.push(13, 10);
        else if (c === 13 && ofl & OCRNL) b.push(10);
        else b.push(c);
      }
      out = Uint8Array.from(b);
    }
    ep.write(out, this.clock.now);
    return data.length;
  }

  ioctl(req: number, arg: number, io: IoctlIo): number {
    switch (req) {
      case TCGETS: return io.write(arg, this.termios) ? 0 : -EFAULT;
      case TCSETS: case TCSETSW: case TCSETSF: {
        const t = io.read(arg, 36);
        if (!t) return -EFAULT;
        this.termios.set(t);
        if (req === TCSETSF) { this.pump(); this.queue = []; this.qhead = 0; }
        return 0;
      }
      case TIOCGWINSZ: return io.write(arg, this.winsize) ? 0 : -EFAULT;
      case TIOCSWINSZ: { const w = io.read(arg, 8); if (!w) return -EFAULT; this.winsize.set(w); return 0; }
      case FIONREAD: { this.pump(); const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, this.pending, true); return io.write(arg, b) ? 0 : -EFAULT; }
      case TIOCOUTQ: return io.write(arg, new Uint8Array(4)) ? 0 : -EFAULT;
      case TCFLSH: if (arg === 0 || arg === 2) { this.pump(); this.queue = []; this.qhead = 0; } return arg <= 2 ? 0 : -EINVAL;
      case TCSBRK: case TCXONC: case TIOCEXCL: case TIOCNXCL: case TIOCMBIS: case TIOCMBIC: case TIOCMSET: return 0;
      case TIOCMGET: { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, 0x002 | 0x004 | 0x020 | 0x100, true); return io.write(arg, b) ? 0 : -EFAULT; }
      default: return -ENOTTY;
    }
  }
}
