// Socket calls over src/kernel/net: AF_INET (TCP and UDP on the virtual
// loopback) and AF_UNIX (stream and datagram). Calls that must wait (accept,
// connect, recv, a send into a full queue) block and are retried; a blocking
// stream send longer than the peer's queue takes keeps its progress across
// retries (p.block.data), so it returns only when everything is sent, as Linux's.
import type { Handler, SysResult } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { SysArgs } from "./args.js";
import { OpenFile, O_NONBLOCK, O_CLOEXEC } from "../fs/file.js";
import { Network } from "../net/network.js";
import { Socket, socketOf, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, MSG_DONTWAIT, MSG_NOSIGNAL, MSG_TRUNC, MSG_CTRUNC,
  MSG_CMSG_CLOEXEC, MSG_PEEK } from "../net/socket.js";
import { TcpSocket } from "../net/tcp.js";
import { UdpSocket } from "../net/udp.js";
import { UnixStream, UnixDgram, UnixSocket } from "../net/unix.js";
import { AF_INET, AF_UNIX, readSockaddr, putSockaddr } from "../net/addr.js";
import type { Taken } from "../net/queue.js";
import { fileOf } from "./util.js";
import { EINVAL, EAFNOSUPPORT, ENOTSOCK, EPROTONOSUPPORT, ESOCKTNOSUPPORT, ENOPROTOOPT, ENOTCONN, EOPNOTSUPP, EPIPE } from "../net/errno-net.js";
import { Errno, EFAULT, EBADF } from "../errno.js";
import { SIGPIPE } from "../signal/signals.js";

const SOCK_TYPE_MASK = 0xf, IPPROTO_TCP = 6, IPPROTO_UDP = 17;
const SOL_SOCKET = 1, SOL_IP = 0;
const SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9,
  SO_LINGER = 13, SO_REUSEPORT = 15, SO_PASSCRED = 16, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30,
  SO_PROTOCOL = 38, SO_DOMAIN = 39, SO_PRIORITY = 12, SO_OOBINLINE = 10, SO_DONTROUTE = 5;
const TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6;
const SCM_RIGHTS = 1, SCM_MAX_FD = 253;

const nets = new WeakMap<Kernel, Network>();
const netOf = (k: Kernel): Network => { let n = nets.get(k); if (!n) { n = new Network(k.vfs); nets.set(k, n); } return n; };

function sockOf(p: Process, fd: number): { f: OpenFile; s: Socket } {
  const f = fileOf(p, fd);
  const s = socketOf(f);
  if (!s) throw new Errno(ENOTSOCK);
  return { f, s };
}

function install(p: Process, s: Socket, flags: number): number {
  const f = s.file((flags & O_NONBLOCK) !== 0);
  const fd = p.allocFd(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.unref();
  return fd;
}

const reported = new WeakMap<Kernel, Set<string>>();
function reportOnce(k: Kernel, what: string): void {
  let r = reported.get(k);
  if (!r) { r = new Set(); reported.set(k, r); }
  if (!r.has(what)) { r.add(what); k.report(`skytrace: ${what}`); }
}

function make(k: Kernel, domain: number, type: number, proto: number): Socket | number {
  const kind = type & SOCK_TYPE_MASK;
  const net = netOf(k);
  if (domain === AF_INET) {
    if (kind === SOCK_STREAM && (proto === 0 || proto === IPPROTO_TCP)) return new TcpSocket(net);
    if (kind === SOCK_DGRAM && (proto === 0 || proto === IPPROTO_UDP)) return new UdpSocket(net);
    if (kind !== SOCK_STREAM && kind !== SOCK_DGRAM) reportOnce(k, `AF_INET sockets of type ${kind} are not supported; socket() returns EPROTONOSUPPORT`);
    return -EPROTONOSUPPORT;
  }
  if (domain === AF_UNIX) {
    if (proto !== 0 && proto !== 1) return -EPROTONOSUPPORT;
    if (kind === SOCK_STREAM) return new UnixStream(net);
    if (kind === SOCK_DGRAM) return new UnixDgram(net);
    if (kind === SOCK_SEQPACKET) reportOnce(k, "AF_UNIX SOCK_SEQPACKET sockets are not supported; socket() returns ESOCKTNOSUPPORT");
    return -ESOCKTNOSUPPORT;
  }
  return -EAFNOSUPPORT;
}

const socket: Handler = (k, p, a) => {
  const type = a.int(1);
  if (type & ~(SOCK_TYPE_MASK | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  const s = make(k, a.int(0), type, a.int(2));
  if (typeof s === "number") return s;
  return install(p, s, type);
};

const socketpair: Handler = (k, p, a) => {
  const domain = a.int(0), type = a.int(1), proto = a.int(2);
  if (type & ~(SOCK_TYPE_MASK | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  if (domain === AF_INET) return -EOPNOTSUPP;
  if (domain !== AF_UNIX) return -EAFNOSUPPORT;
  if (proto !== 0 && proto !== 1) return -EPROTONOSUPPORT;
  const kind = type & SOCK_TYPE_MASK;
  if (kind !== SOCK_STREAM && kind !== SOCK_DGRAM) {
    if (kind === SOCK_SEQPACKET) reportOnce(k, "AF_UNIX SOCK_SEQPACKET sockets are not supported; socketpair() returns ESOCKTNOSUPPORT");
    return -ESOCKTNOSUPPORT;
  }
  if (!p.mem.ensure(a.u(3), 8, true)) return -EFAULT;
  const [x, y] = kind === SOCK_STREAM ? UnixStream.pair(netOf(k)) : UnixDgram.pair(netOf(k));
  const fx = install(p, x, type);
  if (fx < 0) { y.release(); return fx; }
  const fy = install(p, y, type);
  if (fy < 0) { p.closeFd(fx); return fy; }
  const b = new Uint8Array(8);
  new DataView(b.buffer).setInt32(0, fx, true);
  new DataView(b.buffer).setInt32(4, fy, true);
  p.mem.writeOrFault(a.u(3), b);
  return 0;
};

function addrArg(p: Process, va: number, len: number): Uint8Array {
  const b = readSockaddr(p, va, len);
  if (typeof b === "number") throw new Errno(-b);
  return b;
}

const bind: Handler = (_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  return s.bind(p, addrArg(p, a.u(1), a.int(2)));
};

const listen: Handler = (_k, p, a) => sockOf(p, a.int(0)).s.listen(a.int(1));

function acceptCommon(p: Process, a: SysArgs, flags: number): SysResult {
  if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  const { f, s } = sockOf(p, a.int(0));
  const c = s.accept(f.nonblock);
  if (c === BLOCK) { p.wakeAt = null; return BLOCK; }
  if (typeof c === "number") return c;
  const fd = install(p, c, flags);
  if (fd < 0) { c.release(); return fd; }
  if (a.u(1) || a.u(2)) {
    try { putSockaddr(p, a.u(1), a.u(2), c.peerName() ?? c.localName()); } catch (e) { p.closeFd(fd); throw e; }
  }
  return fd;
}
const accept: Handler = (_k, p, a) => acceptCommon(p, a, 0);
const accept4: Handler = (_k, p, a) => acceptCommon(p, a, a.int(3));

const connect: Handler = (_k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const r = s.connect(p, addrArg(p, a.u(1), a.int(2)), f.nonblock, p.block !== null);
  if (r === BLOCK) p.wakeAt = null;
  return r;
};

// A send of `data` (the whole of it for a blocking stream socket, keeping progress in p.block).
function sendCommon(k: Kernel, p: Process, nr: number, f: OpenFile, s: Socket, data: Uint8Array, to: Uint8Array | null,
  flags: number, rights: OpenFile[] | null): SysResult {
  const nonblock = f.nonblock || (flags & MSG_DONTWAIT) !== 0;
  const stream = s.type === SOCK_STREAM;
  let sent = typeof p.block?.data === "number" ? p.block.data : 0;
  for (;;) {
    const r = s.send({ data: sent ? data.subarray(sent) : data, to, flags, rights: sent ? null : rights, nonblock, retry: p.block !== null, p });
    if (r === BLOCK) {
      if (sent > 0 && nonblock) return sent;
      if (!p.block) p.block = { nr };
      p.block.data = sent;
      p.wakeAt = null;
      return BLOCK;
    }
    if (r < 0) {
      if (sent > 0) return sent;
      if (rights) for (const x of rights) x.unref();
      if (r === -EPIPE && !(flags & MSG_NOSIGNAL)) k.raise(p, SIGPIPE);
      return r;
    }
    sent += r;
    if (sent >= data.length || !stream || nonblock) return sent;
  }
}

const sendto: Handler = (k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const len = a.u(2);
  const data = len ? p.mem.readOrFault(a.u(1), Math.min(len, 1 << 24)) : new Uint8Array(0);
  const to = a.u(4) ? addrArg(p, a.u(4), a.int(5)) : null;
  return sendCommon(k, p, a.nr, f, s, data, to, a.int(3), null);
};

function recvFrom(s: Socket, f: OpenFile, max: number, flags: number): Taken | number | typeof BLOCK {
  return s.recv({ max, flags, nonblock: f.nonblock || (flags & MSG_DONTWAIT) !== 0 });
}

// Where a received message came from, as recvfrom/recvmsg report it: the datagram's sender,
// the peer of a unix stream socket, nothing (length 0) for TCP.
function sourceOf(s: Socket, t: Taken): Uint8Array {
  if (t.from) return t.from;
  if (s instanceof UnixStream) return s.peer?.name ? s.peer.name.bytes : new Uint8Array(0);
  return new Uint8Array(0);
}

const recvfrom: Handler = (_k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const flags = a.int(3), len = a.u(2);
  const t = recvFrom(s, f, Math.min(len, 1 << 24), flags);
  if (t === BLOCK) { p.wakeAt = null; return BLOCK; }
  if (typeof t === "number") return t;
  if (t.rights) for (const x of t.rights) x.unref(); // no room for files in recvfrom
  if (t.data.length) p.mem.writeOrFault(a.u(1), t.data);
  if (a.u(4)) putSockaddr(p, a.u(4), a.u(5), sourceOf(s, t));
  else if (a.u(5)) p.mem.putU32(a.u(5), 0);
  return flags & MSG_TRUNC && s.type !== SOCK_STREAM ? t.full : t.data.length;
}

// struct msghdr (56 bytes) and its iovecs.
interface MsgHdr { name: number; namelen: number; iov: Array<[number, number]>; control: number; controllen: number }
function readMsghdr(p: Process, va: number): MsgHdr {
  const b = p.mem.readOrFault(va, 56);
  const dv = new DataView(b.buffer);
  const u = (o: number): number => dv.getUint32(o + 4, true) * 2 ** 32 + dv.getUint32(o, true);
  const iovlen = u(24);
  if (iovlen > 1024) throw new Errno(EINVAL); // UIO_MAXIOV: EMSGSIZE natively, EINVAL close enough
  const raw = iovlen ? p.mem.readOrFault(u(16), iovlen * 16) : new Uint8Array(0);
  const iv = new DataView(raw.buffer);
  const iov: Array<[number, number]> = [];
  for (let i = 0; i < iovlen; i++) {
    iov.push([iv.getUint32(i * 16 + 4, true) * 2 ** 32 + iv.getUint32(i * 16, true),
      iv.getUint32(i * 16 + 12, true) * 2 ** 32 + iv.getUint32(i * 16 + 8, true)]);
  }
  return { name: u(0), namelen: dv.getUint32(8, true), iov, control: u(32), controllen: u(40) };
}

// SCM_RIGHTS files in a sendmsg's control buffer (other control messages: EINVAL).
function rightsOf(p: Process, s: Socket, m: MsgHdr): OpenFile[] | null {
  if (!m.control || m.controllen < 16) return null;
  const c = p.mem.readOrFault(m.control, Math.min(m.controllen, 4096));
  const dv = new DataView(c.buffer);
  const files: OpenFile[] = [];
  try {
    for (let o = 0; o + 16 <= c.length;) {
      const len = dv.getUint32(o, true), level = dv.getInt32(o + 8, true), type = dv.getInt32(o + 12, true);
      if (len < 16 || o + len > c.length) throw new Errno(EINVAL);
      if (level !== SOL_SOCKET || type !== SCM_RIGHTS || !(s instanceof UnixSocket)) throw new Errno(EINVAL);
      const n = (len - 16) >> 2;
      if (files.length + n > SCM_MAX_FD) throw new Errno(EINVAL);
      for (let i = 0; i < n; i++) {
        const f = p.getFile(dv.getInt32(o + 16 + i * 4, true));
        if (!f) throw new Errno(EBADF);
        files.push(f.ref());
      }
      o += (len + 7) & ~7;
    }
  } catch (e) {
    for (const f of files) f.unref();
    throw e;
  }
  return files.length ? files : null;
}

const sendmsg: Handler = (k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const m = readMsghdr(p, a.u(1));
  const total = m.iov.reduce((n, [, l]) => n + l, 0);
  const data = new Uint8Array(Math.min(total, 1 << 24));
  let o = 0;
  for (const [base, len] of m.iov) {
    const n = Math.min(len, data.length - o);
    if (n > 0 && !p.mem.readInto(base, data.subarray(o, o + n))) return -EFAULT;
    o += n;
  }
  const to = m.name && m.namelen ? addrArg(p, m.name, m.namelen) : null;
  const rights = p.block ? null : rightsOf(p, s, m);
  return sendCommon(k, p, a.nr, f, s, data, to, a.int(2), rights);
};

const recvmsg: Handler = (_k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const flags = a.int(2);
  const m = readMsghdr(p, a.u(1));
  const room = m.iov.reduce((n, [, l]) => n + l, 0);
  const t = recvFrom(s, f, Math.min(room, 1 << 24), flags);
  if (t === BLOCK) { p.wakeAt = null; return BLOCK; }
  if (typeof t === "number") return t;
  let o = 0;
  for (const [base, len] of m.iov) {
    const n = Math.min(len, t.data.length - o);
    if (n <= 0) break;
    p.mem.writeOrFault(base, t.data.subarray(o, o + n));
    o += n;
  }
  let outFlags = s.type !== SOCK_STREAM && t.full > t.data.length ? MSG_TRUNC : 0;
  // The sender's address: as much as fits, and msg_namelen its full length.
  const head = new Uint8Array(56);
  const hv = new DataView(head.buffer);
  p.mem.readInto(a.u(1), head);
  if (m.name) {
    const src = sourceOf(s, t);
    if (src.length) p.mem.writeOrFault(m.name, src.subarray(0, Math.min(m.namelen, src.length)));
    hv.setUint32(8, src.length, true);
  } else hv.setUint32(8, 0, true);
  let used = 0;
  if (t.rights) {
    const fit = m.controllen >= 16 ? Math.min(t.rights.length, Math.floor((m.controllen - 16) / 4)) : 0;
    if (fit > 0) {
      const cm = new Uint8Array(16 + fit * 4);
      const cv = new DataView(cm.buffer);
      cv.setUint32(0, 16 + fit * 4, true);
      cv.setInt32(8, SOL_SOCKET, true);
      cv.setInt32(12, SCM_RIGHTS, true);
      for (let i = 0; i < fit; i++) {
        const fd = p.allocFd(t.rights[i], (flags & MSG_CMSG_CLOEXEC) !== 0);
        if (fd < 0) { t.rights[i].unref(); outFlags |= MSG_CTRUNC; cv.setInt32(16 + i * 4, -1, true); continue; }
        cv.setInt32(16 + i * 4, fd, true);
      }
      p.mem.writeOrFault(m.control, cm);
      used = Math.min(m.controllen, (cm.length + 7) & ~7);
    }
    for (let i = fit; i < t.rights.length; i++) t.rights[i].unref();
    if (fit < t.rights.length) outFlags |= MSG_CTRUNC;
  }
  hv.setUint32(40, used, true); hv.setUint32(44, 0, true);
  hv.setInt32(48, outFlags, true);
  p.mem.writeOrFault(a.u(1), head);
  return flags & MSG_TRUNC && s.type !== SOCK_STREAM ? t.full : t.data.length;
};

const getsockname: Handler = (_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  putSockaddr(p, a.u(1), a.u(2), s.localName());
  return 0;
};
const getpeername: Handler = (_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  const n = s.peerName();
  if (!n) return -ENOTCONN;
  putSockaddr(p, a.u(1), a.u(2), n);
  return 0;
};

const shutdown: Handler = (_k, p, a) => sockOf(p, a.int(0)).s.shutdown(a.int(1));

// Linux doubles a buffer size set and keeps it between a floor and twice the maximum.
const bufSize = (v: number, floor: number): number => Math.max(floor, Math.min(Math.max(v, 0), 212992) * 2);

const setsockopt: Handler = (_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  const level = a.int(1), opt = a.int(2), va = a.u(3), len = a.int(4);
  const int = (): number => {
    if (len < 4) throw new Errno(EINVAL);
    return p.mem.u32(va) | 0;
  };
  if (level === SOL_SOCKET) {
    switch (opt) {
      case SO_REUSEADDR: s.reuseAddr = int() !== 0; return 0;
      case SO_KEEPALIVE: s.keepAlive = int() !== 0; return 0;
      case SO_RCVBUF: s.rcvbuf = bufSize(int(), 2304); return 0;
      case SO_SNDBUF: s.sndbuf = bufSize(int(), 4608); return 0;
      case SO_LINGER: if (len < 8) return -EINVAL; p.mem.readOrFault(va, 8); return 0;
      case SO_RCVTIMEO: case SO_SNDTIMEO: if (len < 16) return -EINVAL; p.mem.readOrFault(va, 16); return 0;
      case SO_BROADCAST: case SO_REUSEPORT: case SO_PASSCRED: case SO_PRIORITY: case SO_OOBINLINE: case SO_DONTROUTE: int(); return 0;
      default: return -ENOPROTOOPT;
    }
  }
  if (level === IPPROTO_TCP && s instanceof TcpSocket) {
    switch (opt) {
      case TCP_NODELAY: s.noDelay = int() !== 0; return 0;
      case TCP_MAXSEG: case TCP_CORK: case TCP_KEEPIDLE: case TCP_KEEPINTVL: case TCP_KEEPCNT: int(); return 0;
      default: return -ENOPROTOOPT;
    }
  }
  if (level === SOL_IP && s.family === AF_INET) { int(); return 0; }
  return s.family === AF_UNIX ? -EOPNOTSUPP : -ENOPROTOOPT;
};

const getsockopt: Handler = (_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  const level = a.int(1), opt = a.int(2), va = a.u(3), lenVa = a.u(4);
  const room = p.mem.u32(lenVa) | 0;
  if (room < 0) return -EINVAL;
  let v: number;
  if (level === SOL_SOCKET) {
    switch (opt) {
      case SO_TYPE: v = s.type; break;
      case SO_ERROR: v = s.takeError(); break;
      case SO_DOMAIN: v = s.family; break;
      case SO_PROTOCOL: v = s.protocol; break;
      case SO_ACCEPTCONN: v = s.listening ? 1 : 0; break;
      case SO_RCVBUF: v = s.rcvbuf; break;
      case SO_SNDBUF: v = s.sndbuf; break;
      case SO_REUSEADDR: v = s.reuseAddr ? 1 : 0; break;
      case SO_KEEPALIVE: v = s.keepAlive ? 1 : 0; break;
      case SO_BROADCAST: case SO_REUSEPORT: case SO_PASSCRED: case SO_PRIORITY: case SO_OOBINLINE: case SO_DONTROUTE: v = 0; break;
      case SO_LINGER: {
        const n = Math.min(room, 8);
        p.mem.writeOrFault(va, new Uint8Array(n));
        p.mem.putU32(lenVa, n);
        return 0;
      }
      default: return -ENOPROTOOPT;
    }
  } else if (level === IPPROTO_TCP && s instanceof TcpSocket) {
    if (opt === TCP_NODELAY) v = s.noDelay ? 1 : 0;
    else return -ENOPROTOOPT;
  } else return s.family === AF_UNIX ? -EOPNOTSUPP : -ENOPROTOOPT;
  const n = Math.min(room, 4);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  p.mem.writeOrFault(va, b.subarray(0, n));
  p.mem.putU32(lenVa, n);
  return 0;
};

export const netCalls: Record<string, Handler> = {
  socket, socketpair, bind, listen, accept, accept4, connect, sendto, recvfrom, sendmsg, recvmsg,
  getsockname, getpeername, shutdown, setsockopt, getsockopt,
};
export { MSG_PEEK };
