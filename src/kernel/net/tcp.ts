// TCP over the virtual loopback, with Linux's answers (net/ipv4/tcp*.c, af_inet.c).
// A connection is two sockets whose receive queues the other one's sends fill; the
// handshake is instant in virtual time: connect finds the listener and, when its
// accept queue (backlog + 1 entries) has room, makes the accepted end at once.
// A non-blocking connect still answers EINPROGRESS (natively the handshake is under
// way when connect returns) and is complete, refused or waiting for room when looked
// at next (poll, SO_ERROR, connect again). Close sends a FIN, or a RST when data was
// left unread; a send to a closed peer draws the RST (EPIPE then, and ECONNRESET
// or EPIPE to the next call). Not modelled: TIME_WAIT (a port is free as soon as
// its sockets are closed), urgent data, segment sizes and retransmission.
import { BLOCK, Blockable, POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDNORM, POLLWRNORM, POLLRDHUP } from "../fs/file.js";
import type { Process } from "../process/process.js";
import { Socket, SendArgs, RecvArgs, recvNonblocking, SOCK_STREAM, MSG_PEEK, MSG_WAITALL, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK } from "./socket.js";
import type { Network } from "./network.js";
import { ChunkQueue, Taken } from "./queue.js";
import { AF_INET, InetAddr, parseInet, encodeInet, isLoopback, LOCALHOST, familyOf, AF_UNSPEC } from "./addr.js";

// AF_UNSPEC with INADDR_ANY binds as AF_INET (Linux's compatibility rule); the bytes as a sockaddr_in.
function asInet(b: Uint8Array): Uint8Array {
  if (b.length >= 16 && familyOf(b) === AF_UNSPEC && b[4] === 0 && b[5] === 0 && b[6] === 0 && b[7] === 0) {
    const c = b.slice();
    c[0] = AF_INET; c[1] = 0;
    return c;
  }
  return b;
}
import { EAGAIN, EINVAL, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, EISCONN, ENOTCONN, EPIPE, ECONNREFUSED, ECONNRESET,
  ECONNABORTED, EALREADY, EINPROGRESS } from "./errno-net.js";
const SOMAXCONN = 4096;
export const TCP_RCVBUF = 131072, TCP_SNDBUF = 16384; // net.ipv4.tcp_rmem/tcp_wmem defaults

type State = "closed" | "listen" | "synsent" | "established";

const overlap = (a: number, b: number): boolean => a === 0 || b === 0 || a === b;

export class TcpSocket extends Socket {
  state: State = "closed";
  // The socket layer's view (struct socket's state): a connect under way is "connecting".
  sockState: "unconnected" | "connecting" | "connected" = "unconnected";
  local: InetAddr = { addr: 0, port: 0 };
  remote: InetAddr | null = null;
  peer: TcpSocket | null = null;
  peerClosed = false;       // the other end is closed: what we send draws a RST
  readonly rq = new ChunkQueue();
  private inPorts = false;
  // Listening: connections made and not yet accepted, and connects waiting for room.
  backlog = 0;
  readonly acceptq: TcpSocket[] = [];
  readonly synq: TcpSocket[] = [];
  private target: TcpSocket | null = null;    // the listener a waiting connect wants
  private targetAddr = 0;

  constructor(net: Network) {
    super(net, AF_INET, SOCK_STREAM, 6, { rcv: TCP_RCVBUF, snd: TCP_SNDBUF });
  }

  get listening(): boolean { return this.state === "listen"; }
  inq(): number { return this.rq.bytes; }

  poll(): number {
    this.tryComplete();
    if (this.state === "listen") return this.acceptq.length ? POLLIN | POLLRDNORM : 0;
    let m = 0;
    if (this.shut === SHUTDOWN_MASK || this.state === "closed") m |= POLLHUP;
    if (this.shut & RCV_SHUTDOWN) m |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.state !== "synsent") {
      if (this.rq.bytes > 0) m |= POLLIN | POLLRDNORM;
      if (this.shut & SEND_SHUTDOWN || this.room() > 0) m |= POLLOUT | POLLWRNORM;
    }
    if (this.err) m |= POLLERR;
    return m;
  }

  // Bytes the peer's queue takes before a send waits: its receive buffer plus our send buffer.
  private room(): number {
    if (!this.peer) return this.sndbuf;
    return this.peer.rcvbuf + this.sndbuf - this.peer.rq.bytes;
  }

  // Linux's inet_csk_bind_conflict: another socket on the port with an overlapping address,
  // unless both allow SO_REUSEADDR and it is not listening.
  private conflict(addr: number, port: number): boolean {
    for (const o of this.net.tcp.users(port)) {
      const t = o as TcpSocket;
      if (t === this || !overlap(t.local.addr, addr)) continue;
      if (this.reuseAddr && t.reuseAddr && t.state !== "listen") continue;
      return true;
    }
    return false;
  }

  private takePort(addr: number, port: number): number {
    if (port === 0) { port = this.net.tcp.ephemeral(); if (!port) return -EADDRINUSE; }
    else if (this.conflict(addr, port)) return -EADDRINUSE;
    this.local = { addr, port };
    this.net.tcp.add(port, this);
    this.inPorts = true;
    return 0;
  }

  bind(_p: Process, b: Uint8Array): number {
    const a = parseInet(asInet(b));
    if (typeof a === "number") return a;
    if (a.addr !== 0 && !isLoopback(a.addr)) return -EADDRNOTAVAIL;
    if (this.local.port || this.state !== "closed") return -EINVAL;
    return this.takePort(a.addr, a.port);
  }

  listen(backlog: number): number {
    if (this.sockState !== "unconnected") return -EINVAL;
    if (this.state !== "closed" && this.state !== "listen") return -EINVAL;
    this.backlog = backlog >>> 0 > SOMAXCONN ? SOMAXCONN : backlog;
    if (this.state === "listen") return 0;
    if (!this.local.port) { const r = this.takePort(0, 0); if (r < 0) return r; }
    else if (this.conflict(this.local.addr, this.local.port)) return -EADDRINUSE;
    this.state = "listen";
    return 0;
  }

  private queueFull(): boolean { return this.acceptq.length > this.backlog; }

  accept(nonblock: boolean): Socket | number | typeof BLOCK {
    if (this.state !== "listen") return -EINVAL;
    const c = this.acceptq.shift();
    if (!c) return nonblock ? -EAGAIN : BLOCK;
    // Room now for a connect that was waiting.
    while (this.synq.length && !this.queueFull()) this.synq.shift()!.tryComplete();
    return c;
  }

  private findListener(addr: number, port: number): TcpSocket | null {
    let any: TcpSocket | null = null;
    for (const o of this.net.tcp.users(port)) {
      const t = o as TcpSocket;
      if (t.state !== "listen") continue;
      if (t.local.addr === addr) return t;
      if (t.local.addr === 0) any = t;
    }
    return any;
  }

  connect(_p: Process, b: Uint8Array, nonblock: boolean, retry: boolean): Blockable {
    if (this.state === "listen" && this.sockState === "unconnected") return -EISCONN;
    if (this.sockState === "connected") return -EISCONN;
    let err = -EALREADY;
    if (b.length < 2) return -EINVAL;
    if (familyOf(b) === AF_UNSPEC) { this.abort(); this.sockState = "unconnected"; return 0; } // disconnect
    if (this.sockState === "unconnected") {
      const a = parseInet(b);
      if (typeof a === "number") return a;
      const dest = a.addr === 0 ? LOCALHOST : a.addr;
      if (!isLoopback(dest)) return -ENETUNREACH;
      if (!this.local.port) { const r = this.takePort(0, 0); if (r < 0) return r; }
      if (this.local.addr === 0) this.local = { addr: LOCALHOST, port: this.local.port };
      this.remote = { addr: dest, port: a.port };
      this.sockState = "connecting";
      this.start(dest, a.port);
      // Natively the handshake is still under way when a non-blocking connect returns.
      if (nonblock) return -EINPROGRESS;
      err = -EINPROGRESS;
    } else if (retry) err = -EINPROGRESS;
    this.tryComplete();
    if (this.state === "synsent") return nonblock ? err : BLOCK;
    if (this.state === "closed") {
      this.sockState = "unconnected";
      return -(this.takeError() || ECONNABORTED);
    }
    this.sockState = "connected";
    return 0;
  }

  // Send the SYN: refused (RST) with no listener, established when its queue has room, else waiting.
  private start(dest: number, port: number): void {
    const l = this.findListener(dest, port);
    if (!l) { this.refuse(); return; }
    this.state = "synsent";
    this.target = l;
    this.targetAddr = dest;
    if (l.queueFull() || l.synq.length) l.synq.push(this);
    else this.establish();
  }

  private refuse(): void {
    this.state = "closed";
    this.shut = SHUTDOWN_MASK;
    this.err = ECONNREFUSED;
    this.target = null;
    this.wq.wake(0);
  }

  // A waiting connect goes through once its listener has room (or is refused if it went away).
  tryComplete(): void {
    if (this.state !== "synsent") return;
    const l = this.target!;
    if (l.state !== "listen") { this.refuse(); return; }
    if (l.queueFull()) return;
    const i = l.synq.indexOf(this);
    if (i >= 0) l.synq.splice(i, 1);
    this.establish();
  }

  private establish(): void {
    const l = this.target!;
    this.target = null;
    const c = new TcpSocket(this.net);
    c.state = "established";
    c.sockState = "connected";
    c.local = { addr: l.local.addr === 0 ? this.targetAddr : l.local.addr, port: l.local.port };
    c.remote = { ...this.local };
    c.reuseAddr = l.reuseAddr;
    c.rcvbuf = l.rcvbuf; c.sndbuf = l.sndbuf;
    c.noDelay = l.noDelay; c.keepAlive = l.keepAlive;
    this.net.tcp.add(c.local.port, c);
    c.inPorts = true;
    c.peer = this;
    this.peer = c;
    this.state = "established";
    l.acceptq.push(c);
    l.wq.wake(POLLIN | POLLRDNORM);
    this.wq.wake(POLLOUT | POLLWRNORM);
  }

  send(a: SendArgs): Blockable {
    if (this.state === "synsent") {
      this.tryComplete();
      if (this.state === "synsent") return a.nonblock ? -EAGAIN : BLOCK;
    }
    if (this.state !== "established") return -(this.takeError() || EPIPE);
    if (this.err || this.shut & SEND_SHUTDOWN) return -(this.takeError() || EPIPE);
    const peer = this.peer;
    if (!peer || this.peerClosed) {
      // The data reaches a closed socket, whose RST comes back.
      this.reset();
      return a.data.length;
    }
    const room = this.room();
    if (room <= 0) return a.nonblock ? -EAGAIN : BLOCK;
    const n = Math.min(room, a.data.length);
    peer.rq.push(a.data.slice(0, n));
    peer.wq.wake(POLLIN | POLLRDNORM);
    return n;
  }

  // A RST arrived (Linux's tcp_reset): the error depends on whether the peer had finished sending.
  reset(): void {
    if (this.state === "closed") return;
    this.err = this.shut & RCV_SHUTDOWN ? EPIPE : ECONNRESET;
    this.state = "closed";
    this.shut = SHUTDOWN_MASK;
    this.peer = null;
    this.wq.wake(0);
  }

  recv(a: RecvArgs): Taken | number | typeof BLOCK {
    if (this.state === "listen") return -ENOTCONN;
    const peek = (a.flags & MSG_PEEK) !== 0;
    const nonblock = recvNonblocking(a);
    if (this.rq.bytes > 0) {
      const waitAll = a.flags & MSG_WAITALL && !peek && !nonblock;
      if (waitAll && this.rq.bytes < a.max && !this.err && !(this.shut & RCV_SHUTDOWN) && this.state === "established") return BLOCK;
      const before = this.peer ? this.peer.room() : 1;
      const t = this.rq.readStream(a.max, peek);
      if (!peek && this.peer && before <= 0 && this.peer.room() > 0) this.peer.wq.wake(POLLOUT | POLLWRNORM);
      return t;
    }
    if (a.max === 0) return { data: new Uint8Array(0), full: 0, from: null, rights: null };
    const end = this.emptyQueueEnd();
    if (end !== null) return end;
    if (this.state === "closed") return -ENOTCONN;
    return nonblock ? -EAGAIN : BLOCK;
  }

  shutdown(how: number): number {
    if (how < 0 || how > 2) return -EINVAL;
    const mode = how + 1;
    switch (this.state) {
      case "listen":
        if (mode & RCV_SHUTDOWN) this.stopListening();
        return 0;
      case "synsent":
        this.disconnect();
        return 0;
      case "closed":
        this.shut |= mode; // Linux sets it even here, and answers ENOTCONN
        this.wq.wake(0);
        return -ENOTCONN;
    }
    if (mode & SEND_SHUTDOWN && !(this.shut & SEND_SHUTDOWN)) {
      this.shut |= SEND_SHUTDOWN;
      if (this.peer) { this.peer.shut |= RCV_SHUTDOWN; this.peer.wq.wake(0); }
    }
    if (mode & RCV_SHUTDOWN) this.shut |= RCV_SHUTDOWN;
    this.wq.wake(0);
    return 0;
  }

  private disconnect(): void {
    const l = this.target;
    if (l) { const i = l.synq.indexOf(this); if (i >= 0) l.synq.splice(i, 1); }
    this.target = null;
    this.state = "closed";
    this.sockState = "unconnected";
  }

  // Drop the connection with a RST to the other end (tcp_disconnect).
  abort(): void {
    if (this.state === "established" && this.peer) this.peer.reset();
    else if (this.state === "synsent") this.disconnect();
    if (this.state === "listen") this.stopListening();
    this.state = "closed";
    this.peer = null;
    this.rq.clear();
  }

  private stopListening(): void {
    this.state = "closed";
    for (const c of this.acceptq.splice(0)) { c.abort(); c.release(); }
    for (const w of this.synq.splice(0)) w.refuse();
    this.wq.wake(0);
  }

  localName(): Uint8Array { return encodeInet(this.local); }

  peerName(): Uint8Array | null {
    if (!this.remote || this.state === "closed" || this.state === "synsent" || this.state === "listen") return null;
    return encodeInet(this.remote);
  }

  release(): void {
    if (this.state === "listen") this.stopListening();
    else if (this.state === "synsent") this.disconnect();
    else if (this.state === "established" && this.peer) {
      const peer = this.peer;
      if (this.rq.bytes > 0) peer.reset();          // unread data: RST instead of FIN
      else {
        if (!(this.shut & SEND_SHUTDOWN)) peer.shut |= RCV_SHUTDOWN;
        peer.peerClosed = true;
        peer.wq.wake(0);
      }
    }
    this.state = "closed";
    this.peer = null;
    this.rq.clear();
    if (this.inPorts) { this.net.tcp.remove(this.local.port, this); this.inPorts = false; }
  }
}
