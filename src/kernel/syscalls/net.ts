// Sockets: UDP/IPv4 on the virtual loopback (src/kernel/net/udp.ts). Other
// families and stream sockets are not supported yet.
import type { Handler } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { OpenFile, O_RDWR, O_NONBLOCK, O_CLOEXEC } from "../fs/file.js";
import { S_IFSOCK } from "../fs/inode.js";
import { UdpSocket, Loopback } from "../net/udp.js";
import { fileOf, scratch } from "./util.js";
import { EINVAL, EAFNOSUPPORT, ENOTSOCK, EPROTONOSUPPORT, ENOPROTOOPT, ENOTCONN, EADDRNOTAVAIL } from "../net/errno-net.js";
import { EFAULT } from "../errno.js";

const AF_INET = 2, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_TYPE_MASK = 0xf, IPPROTO_UDP = 17;
const MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40;
const SOL_SOCKET = 1, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8;

const nets = new WeakMap<Kernel, Loopback>();
const netOf = (k: Kernel): Loopback => { let n = nets.get(k); if (!n) { n = new Loopback(); nets.set(k, n); } return n; };
const sockets = new WeakMap<OpenFile, UdpSocket>();

function sockOf(p: Process, fd: number): { f: OpenFile; s: UdpSocket } {
  const f = fileOf(p, fd);
  const s = sockets.get(f);
  if (!s) throw new SockErr(-ENOTSOCK);
  return { f, s };
}
class SockErr { constructor(readonly r: number) {} }
const guard = (h: Handler): Handler => (k, p, a) => { try { return h(k, p, a); } catch (e) { if (e instanceof SockErr) return e.r; throw e; } };

function readAddr(p: Process, va: number, len: number): { addr: number; port: number } | number {
  if (len < 16) return -EINVAL;
  const b = p.mem.readOrFault(va, 16);
  const dv = new DataView(b.buffer);
  if (dv.getUint16(0, true) !== AF_INET) return -EAFNOSUPPORT;
  return { port: dv.getUint16(2, false), addr: dv.getUint32(4, false) };
}

function writeAddr(p: Process, va: number, lenVa: number, addr: number, port: number): void {
  if (!va) return;
  const room = p.mem.u32(lenVa);
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, AF_INET, true);
  dv.setUint16(2, port, false);
  dv.setUint32(4, addr, false);
  p.mem.writeOrFault(va, b.subarray(0, Math.min(room, 16)));
  p.mem.putU32(lenVa, 16);
}

const reportedStream = new WeakSet<Kernel>();
const socket: Handler = (k, p, a) => {
  const domain = a.int(0), type = a.int(1), proto = a.int(2);
  if (domain !== AF_INET) return -EAFNOSUPPORT;
  const kind = type & SOCK_TYPE_MASK;
  if (type & ~(SOCK_TYPE_MASK | O_NONBLOCK | O_CLOEXEC)) return -EINVAL;
  if (kind === SOCK_STREAM) {
    if (!reportedStream.has(k)) { reportedStream.add(k); k.report("skytrace: TCP sockets are not supported yet; socket() returns EPROTONOSUPPORT"); }
    return -EPROTONOSUPPORT;
  }
  if (kind !== SOCK_DGRAM || (proto !== 0 && proto !== IPPROTO_UDP)) return -EPROTONOSUPPORT;
  const s = new UdpSocket(netOf(k));
  const f = new OpenFile(s.ops, O_RDWR | (type & O_NONBLOCK), undefined, "socket");
  f.statMode = S_IFSOCK | 0o777;
  f.statIno = k.nextPipeIno();
  sockets.set(f, s);
  const fd = p.allocFd(f, (type & O_CLOEXEC) !== 0);
  if (fd < 0) f.unref();
  return fd;
};

const bind: Handler = guard((k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  const ad = readAddr(p, a.u(1), a.u32(2));
  if (typeof ad === "number") return ad;
  if (s.localPort) return -EINVAL;
  if (ad.addr !== 0 && ad.addr >>> 24 !== 127) return -EADDRNOTAVAIL;
  return s.net.bind(s, ad.addr, ad.port);
});

const connect: Handler = guard((_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  const ad = readAddr(p, a.u(1), a.u32(2));
  if (typeof ad === "number") return ad;
  if (!s.localPort) { const r = s.net.bind(s, 0, 0); if (r < 0) return r; }
  s.peerAddr = ad.addr; s.peerPort = ad.port;
  return 0;
});

const sendto: Handler = guard((_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  if (a.u(2) > 65507) return -90; // EMSGSIZE: larger than a UDP datagram
  const data = p.mem.readOrFault(a.u(1), a.u(2));
  if (a.u(4)) {
    const ad = readAddr(p, a.u(4), a.u32(5));
    if (typeof ad === "number") return ad;
    return s.send(data, ad.addr, ad.port, true);
  }
  return s.send(data, s.peerAddr, s.peerPort, !!s.peerPort);
});

const recvfrom: Handler = guard((_k, p, a) => {
  const { f, s } = sockOf(p, a.int(0));
  const flags = a.int(3);
  const len = a.u(2);
  if (!p.mem.ensure(a.u(1), Math.max(1, Math.min(len, 65536)), true)) return -EFAULT;
  const buf = scratch(Math.min(len, 65536));
  const r = s.recv(f, buf, (flags & MSG_PEEK) !== 0, (flags & MSG_DONTWAIT) !== 0);
  if (r === BLOCK) { p.wakeAt = null; return BLOCK; }
  if (typeof r === "number") return r;
  p.mem.writeOrFault(a.u(1), buf.subarray(0, r.n));
  writeAddr(p, a.u(4), a.u(5), r.from.fromAddr, r.from.fromPort);
  return flags & MSG_TRUNC ? r.full : r.n;
});

const getsockname: Handler = guard((_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  writeAddr(p, a.u(1), a.u(2), s.localAddr, s.localPort);
  return 0;
});
const getpeername: Handler = guard((_k, p, a) => {
  const { s } = sockOf(p, a.int(0));
  if (!s.peerPort) return -ENOTCONN;
  writeAddr(p, a.u(1), a.u(2), s.peerAddr, s.peerPort);
  return 0;
});

const setsockopt: Handler = guard((_k, p, a) => { sockOf(p, a.int(0)); return 0; });
const getsockopt: Handler = guard((_k, p, a) => {
  sockOf(p, a.int(0));
  const level = a.int(1), opt = a.int(2);
  if (level !== SOL_SOCKET) return -ENOPROTOOPT;
  const v = opt === SO_TYPE ? SOCK_DGRAM : opt === SO_ERROR ? 0 : opt === SO_RCVBUF || opt === SO_SNDBUF ? 212992 : -1;
  if (v < 0) return -ENOPROTOOPT;
  p.mem.putU32(a.u(3), v);
  p.mem.putU32(a.u(4), 4);
  return 0;
});
const shutdown: Handler = guard((_k, p, a) => { const { s } = sockOf(p, a.int(0)); return s.peerPort ? 0 : -ENOTCONN; });
const notSupported: Handler = guard((_k, p, a) => { sockOf(p, a.int(0)); return -95; /* EOPNOTSUPP on a datagram socket */ });

export const netCalls: Record<string, Handler> = {
  socket, socketpair: () => -EAFNOSUPPORT, bind, connect, sendto, recvfrom, getsockname, getpeername,
  setsockopt, getsockopt, shutdown, listen: notSupported, accept: notSupported, accept4: notSupported,
};
