// UDP over a virtual loopback: datagrams sent to 127.0.0.0/8 (or 0.0.0.0) on a
// port some guest socket is bound to are queued there; to any other local port
// they vanish, as on Linux where nothing listens. There is no other network:
// other destinations fail with ENETUNREACH. The host's network is never touched.
import { BLOCK, Blockable, FileOps, OpenFile, POLLIN, POLLOUT } from "../fs/file.js";
import { EAGAIN, EADDRINUSE, EDESTADDRREQ, ENETUNREACH } from "./errno-net.js";

export interface Datagram { data: Uint8Array; fromAddr: number; fromPort: number }

const RCVBUF = 212992;
const EPHEMERAL_FIRST = 32768, EPHEMERAL_LAST = 60999;

export class Loopback {
  private ports = new Map<number, UdpSocket>();
  private nextEphemeral = EPHEMERAL_FIRST;

  bind(s: UdpSocket, addr: number, port: number): number {
    if (port === 0) {
      for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
        const p = this.nextEphemeral;
        this.nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
        if (!this.ports.has(p)) { port = p; break; }
      }
      if (port === 0) return -EADDRINUSE;
    } else if (this.ports.has(port)) return -EADDRINUSE;
    this.ports.set(port, s);
    s.localAddr = addr;
    s.localPort = port;
    return 0;
  }

  release(s: UdpSocket): void {
    if (s.localPort && this.ports.get(s.localPort) === s) this.ports.delete(s.localPort);
  }

  deliver(to: number, port: number, d: Datagram): number {
    if (!isLocal(to)) return -ENETUNREACH;
    const dst = this.ports.get(port);
    if (dst && dst.queued + d.data.length <= RCVBUF) { dst.queue.push(d); dst.queued += d.data.length; }
    return d.data.length;
  }
}

export const isLocal = (a: number): boolean => a === 0 || a >>> 24 === 127;
export const LOCALHOST = 0x7f000001;

export class UdpSocket {
  localAddr = 0;
  localPort = 0;
  peerAddr = 0;
  peerPort = 0;
  queue: Datagram[] = [];
  queued = 0;
  readonly ops: FileOps;

  constructor(readonly net: Loopback) {
    const s = this;
    this.ops = {
      seekable: false,
      read: (f, buf) => { const r = s.recv(f, buf, false); return typeof r === "number" || r === BLOCK ? r : r.n; },
      write: (_f, data) => s.send(data, s.peerAddr, s.peerPort, !!s.peerPort),
      poll: () => (s.queue.length ? POLLIN : 0) | POLLOUT,
      release: () => s.net.release(s),
    };
  }

  send(data: Uint8Array, addr: number, port: number, haveDest: boolean): number {
    if (!haveDest) return -EDESTADDRREQ;
    if (!isLocal(addr)) return -ENETUNREACH;
    if (!this.localPort) { const r = this.net.bind(this, 0, 0); if (r < 0) return r; }
    return this.net.deliver(addr, port, { data: data.slice(), fromAddr: LOCALHOST, fromPort: this.localPort });
  }

  // One datagram into buf (truncated to fit); with `peek` it stays queued.
  recv(f: OpenFile, buf: Uint8Array, peek: boolean, dontwait = false): Blockable | { n: number; full: number; from: Datagram } {
    const d = this.queue[0];
    if (!d) return f.nonblock || dontwait ? -EAGAIN : BLOCK;
    if (!peek) { this.queue.shift(); this.queued -= d.data.length; }
    const n = Math.min(buf.length, d.data.length);
    buf.set(d.data.subarray(0, n));
    return { n, full: d.data.length, from: d };
  }
}
