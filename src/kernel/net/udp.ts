// UDP over the virtual loopback: a datagram sent to 127.0.0.0/8 (or 0.0.0.0) on
// a port some guest socket is bound to is queued there (up to its receive buffer);
// to any other local port it vanishes, as on Linux where nothing listens (and a
// connected sender gets ECONNREFUSED next, from the ICMP port unreachable). There
// is no other network: other destinations fail with ENETUNREACH.
import { BLOCK, Blockable, POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDNORM, POLLWRNORM, POLLWRBAND, POLLRDHUP } from "../fs/file.js";
import type { Process } from "../process/process.js";
import { Socket, SendArgs, RecvArgs, recvNonblocking, SOCK_DGRAM, MSG_PEEK, RCV_SHUTDOWN, SHUTDOWN_MASK } from "./socket.js";
import type { Network } from "./network.js";
import { ChunkQueue, Taken } from "./queue.js";
import { AF_INET, AF_UNSPEC, InetAddr, parseInet, encodeInet, isLoopback, LOCALHOST, familyOf } from "./addr.js";
import { EAGAIN, EINVAL, EADDRINUSE, EADDRNOTAVAIL, EDESTADDRREQ, ENETUNREACH, EMSGSIZE, ENOTCONN, ECONNREFUSED } from "./errno-net.js";

export const UDP_RCVBUF = 212992; // net.core.rmem_default
const MAX_DATAGRAM = 65507;

const isLocal = (a: number): boolean => a === 0 || isLoopback(a);

export class UdpSocket extends Socket {
  local: InetAddr = { addr: 0, port: 0 };
  remote: InetAddr | null = null;
  readonly rq = new ChunkQueue();

  constructor(net: Network) {
    super(net, AF_INET, SOCK_DGRAM, 17, { rcv: UDP_RCVBUF, snd: UDP_RCVBUF });
  }

  get listening(): boolean { return false; }
  inq(): number { return this.rq.firstLength; }

  poll(): number {
    let m = POLLOUT | POLLWRNORM | POLLWRBAND;
    if (this.rq.count) m |= POLLIN | POLLRDNORM;
    if (this.shut & RCV_SHUTDOWN) m |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.shut === SHUTDOWN_MASK) m |= POLLHUP;
    if (this.err) m |= POLLERR;
    return m;
  }

  private bindTo(addr: number, port: number): number {
    if (port === 0) { port = this.net.udp.ephemeral(); if (!port) return -EADDRINUSE; }
    else {
      for (const o of this.net.udp.users(port)) {
        const u = o as UdpSocket;
        if ((u.local.addr === 0 || addr === 0 || u.local.addr === addr) && !(this.reuseAddr && u.reuseAddr)) return -EADDRINUSE;
      }
    }
    this.local = { addr, port };
    this.net.udp.add(port, this);
    return 0;
  }

  bind(_p: Process, b: Uint8Array): number {
    const a = parseInet(b);
    if (typeof a === "number") return a;
    if (this.local.port) return -EINVAL;
    if (!isLocal(a.addr)) return -EADDRNOTAVAIL;
    return this.bindTo(a.addr, a.port);
  }

  listen(): number { return -95; } // EOPNOTSUPP
  accept(): number { return -95; }

  connect(_p: Process, b: Uint8Array): Blockable {
    if (b.length >= 2 && familyOf(b) === AF_UNSPEC) { this.remote = null; return 0; }
    const a = parseInet(b);
    if (typeof a === "number") return a;
    const dest = a.addr === 0 ? LOCALHOST : a.addr;
    if (!isLoopback(dest)) return -ENETUNREACH;
    if (!this.local.port) { const r = this.bindTo(0, 0); if (r < 0) return r; }
    this.remote = { addr: dest, port: a.port };
    return 0;
  }

  send(s: SendArgs): Blockable {
    if (s.data.length > MAX_DATAGRAM) return -EMSGSIZE;
    let to: InetAddr;
    if (s.to && s.to.length > 0) {
      const a = parseInet(s.to);
      if (typeof a === "number") return a;
      to = a;
    } else if (this.remote) {
      if (this.err) return -this.takeError();
      to = this.remote;
    } else return -EDESTADDRREQ;
    const dest = to.addr === 0 ? LOCALHOST : to.addr;
    if (!isLoopback(dest)) return -ENETUNREACH;
    if (!this.local.port) { const r = this.bindTo(0, 0); if (r < 0) return r; }
    const from = encodeInet({ addr: LOCALHOST, port: this.local.port });
    let target: UdpSocket | null = null;
    for (const o of this.net.udp.users(to.port)) {
      const u = o as UdpSocket;
      if (u.local.addr !== 0 && u.local.addr !== dest) continue;
      // A connected socket takes datagrams from its peer only.
      if (u.remote && (u.remote.port !== this.local.port || u.remote.addr !== LOCALHOST)) continue;
      target = u;
      break;
    }
    if (!target) {
      if (this.remote) this.err = ECONNREFUSED; // the ICMP port unreachable reaches a connected socket
      return s.data.length;
    }
    if (target.rq.bytes + s.data.length <= target.rcvbuf) {
      target.rq.push(s.data.slice(), from);
      target.wq.wake(POLLIN | POLLRDNORM);
    }
    return s.data.length;
  }

  recv(a: RecvArgs): Taken | number | typeof BLOCK {
    const t = this.rq.readDatagram(a.max, (a.flags & MSG_PEEK) !== 0);
    if (t) return t;
    return this.emptyQueueEnd() ?? (recvNonblocking(a) ? -EAGAIN : BLOCK);
  }

  shutdown(how: number): number {
    if (how < 0 || how > 2) return -EINVAL;
    this.shut |= how + 1;
    this.wq.wake(0);
    return this.remote ? 0 : -ENOTCONN;
  }

  localName(): Uint8Array { return encodeInet(this.local); }
  peerName(): Uint8Array | null { return this.remote ? encodeInet(this.remote) : null; }

  release(): void {
    if (this.local.port) this.net.udp.remove(this.local.port, this);
    this.rq.clear();
  }
}

export { AF_INET };
