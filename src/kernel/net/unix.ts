// AF_UNIX sockets (net/unix/af_unix.c): stream and datagram, named by a path (a
// socket inode in the guest's file system, made by bind with mode 0777 & ~umask),
// by an abstract name (a leading NUL; gone with the socket), or unnamed. Files
// travel with SCM_RIGHTS (the syscall layer turns them into fds). Stream sockets
// connect through a listener's accept queue (backlog + 1 entries; a connect that
// finds it full waits, or is EAGAIN); a datagram socket's queue holds 11
// datagrams (net.unix.max_dgram_qlen = 10, as Linux counts).
import { BLOCK, Blockable, POLLIN, POLLOUT, POLLERR, POLLHUP, POLLRDNORM, POLLWRNORM, POLLWRBAND, POLLRDHUP } from "../fs/file.js";
import { SocketInode } from "../fs/inode.js";
import type { Process } from "../process/process.js";
import { Errno } from "../errno.js";
import { Socket, SendArgs, RecvArgs, recvNonblocking, SOCK_STREAM, SOCK_DGRAM, MSG_PEEK, MSG_WAITALL, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK } from "./socket.js";
import type { Network } from "./network.js";
import { ChunkQueue, Taken } from "./queue.js";
import { AF_UNIX, AF_UNSPEC, UnixName, parseUnix, familyOf, UNNAMED_UNIX } from "./addr.js";
import { EAGAIN, EINVAL, EADDRINUSE, EISCONN, ENOTCONN, EPIPE, ECONNREFUSED, ECONNRESET, EOPNOTSUPP, EPROTOTYPE, EMSGSIZE, EPERM } from "./errno-net.js";

export const UNIX_BUF = 212992;        // net.core.wmem_default / rmem_default
const MAX_DGRAM_QLEN = 10;
const EROFS = 30;

export abstract class UnixSocket extends Socket {
  name: UnixName | null = null;
  private inode: SocketInode | null = null;
  readonly rq = new ChunkQueue();
  dead = false;                           // closed: peers find out on their next call

  constructor(net: Network, type: number) {
    super(net, AF_UNIX, type, 0, { rcv: UNIX_BUF, snd: UNIX_BUF });
  }

  localName(): Uint8Array { return this.name ? this.name.bytes : UNNAMED_UNIX; }

  bind(p: Process, b: Uint8Array): number {
    const n = parseUnix(b);
    if (typeof n === "number") return n;
    if (this.name) return -EINVAL;
    if (n === "autobind") { this.autobind(); return 0; }
    if (n.key !== null) {
      if (this.net.abstractNames.has(n.key)) return -EADDRINUSE;
      this.net.abstractNames.set(n.key, this);
      this.name = n;
      return 0;
    }
    const { dir, name } = this.net.vfs.parentOf(p.cwd, n.path!);
    if (dir.entries.has(name) || name === "." || name === "..") return -EADDRINUSE;
    if (dir.frozen) return -EROFS;
    const node = new SocketInode(0o777 & ~p.umask);
    dir.entries.set(name, node);
    this.net.unixPaths.set(node, this);
    this.inode = node;
    this.name = n;
    return 0;
  }

  protected autobind(): void {
    const key = this.net.autobindName();
    const bytes = new Uint8Array(2 + 1 + key.length);
    bytes[0] = AF_UNIX;
    bytes.set(Buffer.from(key, "latin1"), 3);
    this.name = { path: null, key, bytes };
    this.net.abstractNames.set(key, this);
  }

  // The socket a name refers to (unix_find_other): -errno when there is none of this type.
  protected lookup(p: Process | null, b: Uint8Array): UnixSocket | number {
    const n = parseUnix(b);
    if (n === "autobind") return -EINVAL;
    if (typeof n === "number") return n;
    let s: Socket | undefined;
    if (n.key !== null) s = this.net.abstractNames.get(n.key);
    else {
      if (!p) return -EINVAL;
      let inode;
      try { inode = this.net.vfs.resolve(p.cwd, n.path!, true).inode; } catch (e) {
        if (e instanceof Errno) return -e.errno;
        throw e;
      }
      if (!(inode instanceof SocketInode)) return -ECONNREFUSED;
      s = this.net.unixPaths.get(inode);
    }
    if (!s || !(s instanceof UnixSocket) || s.dead) return -ECONNREFUSED;
    if (s.type !== this.type) return -EPROTOTYPE;
    return s;
  }

  protected unbind(): void {
    if (this.name?.key != null && this.net.abstractNames.get(this.name.key) === this) this.net.abstractNames.delete(this.name.key);
    if (this.inode) { this.net.unixPaths.delete(this.inode); this.inode = null; }
  }

  inq(): number { return this.type === SOCK_DGRAM ? this.rq.firstLength : this.rq.bytes; }
}

export class UnixStream extends UnixSocket {
  state: "unconnected" | "listening" | "connected" = "unconnected";
  peer: UnixStream | null = null;
  backlog = 0;
  readonly acceptq: UnixStream[] = [];

  constructor(net: Network) { super(net, SOCK_STREAM); }

  get listening(): boolean { return this.state === "listening"; }

  // Two ends connected to each other (socketpair).
  static pair(net: Network): [UnixStream, UnixStream] {
    const a = new UnixStream(net), b = new UnixStream(net);
    a.state = b.state = "connected";
    a.peer = b; b.peer = a;
    return [a, b];
  }

  private writable(): boolean {
    return this.state !== "listening" && (!this.peer || this.peer.rq.bytes < this.sndbuf);
  }

  poll(): number {
    let m = 0;
    if (this.err) m |= POLLERR;
    if (this.shut === SHUTDOWN_MASK) m |= POLLHUP;
    if (this.shut & RCV_SHUTDOWN) m |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.rq.bytes > 0 || (this.state === "listening" && this.acceptq.length)) m |= POLLIN | POLLRDNORM;
    if (this.state === "unconnected") m |= POLLHUP;
    if (this.writable()) m |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return m;
  }

  listen(backlog: number): number {
    if (!this.name || this.state === "connected") return -EINVAL;
    this.backlog = backlog >>> 0 > 4096 ? 4096 : backlog;
    this.state = "listening";
    return 0;
  }

  private queueFull(): boolean { return this.acceptq.length > this.backlog; }

  accept(nonblock: boolean): Socket | number | typeof BLOCK {
    if (this.state !== "listening") return -EINVAL;
    const c = this.acceptq.shift();
    if (!c) return nonblock ? -EAGAIN : BLOCK;
    return c;
  }

  connect(p: Process, b: Uint8Array, nonblock: boolean): Blockable {
    const other = this.lookup(p, b);
    if (typeof other === "number") return other;
    const l = other as UnixStream;
    if (l.state !== "listening" || l.shut & RCV_SHUTDOWN) return -ECONNREFUSED;
    if (l.queueFull()) return nonblock ? -EAGAIN : BLOCK;
    if (this.state === "connected") return -EISCONN;
    if (this.state !== "unconnected") return -EINVAL;
    const c = new UnixStream(this.net);
    c.state = "connected";
    c.name = l.name;               // an accepted socket is named as its listener
    c.rcvbuf = l.rcvbuf; c.sndbuf = l.sndbuf;
    c.peer = this;
    this.peer = c;
    this.state = "connected";
    l.acceptq.push(c);
    l.wq.wake(POLLIN | POLLRDNORM);
    return 0;
  }

  send(a: SendArgs): Blockable {
    if (a.to && a.to.length) return this.state === "connected" ? -EISCONN : -EOPNOTSUPP;
    const peer = this.peer;
    if (!peer) return -ENOTCONN;
    if (this.shut & SEND_SHUTDOWN || peer.dead || peer.shut & RCV_SHUTDOWN) return -EPIPE;
    const room = this.sndbuf - peer.rq.bytes;
    if (room <= 0) return a.nonblock ? -EAGAIN : BLOCK;
    const n = Math.min(room, a.data.length);
    peer.rq.push(a.data.slice(0, n), null, a.rights);
    peer.wq.wake(POLLIN | POLLRDNORM);
    return n;
  }

  recv(a: RecvArgs): Taken | number | typeof BLOCK {
    if (this.state !== "connected") return -EINVAL;
    const peek = (a.flags & MSG_PEEK) !== 0;
    const nonblock = recvNonblocking(a);
    if (this.rq.bytes > 0) {
      if (a.flags & MSG_WAITALL && !peek && !nonblock && this.rq.bytes < a.max && !this.err && !(this.shut & RCV_SHUTDOWN)) return BLOCK;
      const wasFull = this.peer ? !this.peer.writable() : false;
      const t = this.rq.readStream(a.max, peek);
      if (!peek && wasFull && this.peer?.writable()) this.peer.wq.wake(POLLOUT | POLLWRNORM);
      return t;
    }
    return this.emptyQueueEnd() ?? (nonblock ? -EAGAIN : BLOCK);
  }

  shutdown(how: number): number {
    if (how < 0 || how > 2) return -EINVAL;
    const mode = how + 1;
    this.shut |= mode;
    this.wq.wake(0);
    const o = this.peer;
    if (o) {
      o.shut |= (mode & RCV_SHUTDOWN ? SEND_SHUTDOWN : 0) | (mode & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0);
      o.wq.wake(0);
    }
    return 0;
  }

  peerName(): Uint8Array | null {
    if (this.state !== "connected" || !this.peer) return null;
    return this.peer.localName();
  }

  release(): void {
    this.dead = true;
    this.unbind();
    if (this.state === "listening") for (const c of this.acceptq.splice(0)) { c.hangUp(true); c.dead = true; c.rq.clear(); }
    else this.hangUp(this.rq.bytes > 0);
    this.rq.clear();
  }

  // Tell the peer we are gone: everything shut down, and ECONNRESET when we left data unread.
  private hangUp(unread: boolean): void {
    const o = this.peer;
    if (!o) return;
    o.shut = SHUTDOWN_MASK;
    if (unread) o.err = ECONNRESET;
    o.wq.wake(0);
  }
}

export class UnixDgram extends UnixSocket {
  peer: UnixDgram | null = null;
  // Senders that found our queue full (a send or a poll): woken for POLLOUT when it has room again.
  private readonly waiters = new Set<UnixDgram>();

  constructor(net: Network) { super(net, SOCK_DGRAM); }

  get listening(): boolean { return false; }

  static pair(net: Network): [UnixDgram, UnixDgram] {
    const a = new UnixDgram(net), b = new UnixDgram(net);
    a.peer = b; b.peer = a;
    return [a, b];
  }

  private full(): boolean { return this.rq.count > MAX_DGRAM_QLEN; }

  poll(): number {
    let m = 0;
    if (this.err) m |= POLLERR;
    if (this.shut & RCV_SHUTDOWN) m |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.shut === SHUTDOWN_MASK) m |= POLLHUP;
    if (this.rq.count) m |= POLLIN | POLLRDNORM;
    const o = this.peer;
    if (o && !o.dead && o.peer !== this && o.full()) o.waiters.add(this);
    else m |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return m;
  }

  listen(): number { return -EOPNOTSUPP; }
  accept(): number { return -EOPNOTSUPP; }

  connect(p: Process, b: Uint8Array): Blockable {
    if (b.length >= 2 && familyOf(b) === AF_UNSPEC) { this.peer = null; return 0; }
    const o = this.lookup(p, b);
    if (typeof o === "number") return o;
    this.peer = o as UnixDgram;
    return 0;
  }

  send(a: SendArgs): Blockable {
    if (a.data.length > this.sndbuf - 32) return -EMSGSIZE;
    let o: UnixDgram;
    if (a.to && a.to.length) {
      const r = this.lookup(a.p, a.to);
      if (typeof r === "number") return r;
      o = r as UnixDgram;
    } else {
      if (!this.peer) return -ENOTCONN;
      if (this.peer.dead) { this.peer = null; return -ECONNREFUSED; }
      o = this.peer;
    }
    if (o.peer && o.peer !== this) return -EPERM;     // it takes datagrams from its own peer only
    if (o.shut & RCV_SHUTDOWN) return -EPIPE;
    if (o.peer !== this && o.full()) { o.waiters.add(this); return a.nonblock ? -EAGAIN : BLOCK; }
    o.rq.push(a.data.slice(), this.name ? this.name.bytes : null, a.rights);
    o.wq.wake(POLLIN | POLLRDNORM);
    return a.data.length;
  }

  recv(a: RecvArgs): Taken | number | typeof BLOCK {
    const wasFull = this.full();
    const t = this.rq.readDatagram(a.max, (a.flags & MSG_PEEK) !== 0);
    if (t) {
      if (wasFull && !this.full()) {
        const ws = [...this.waiters];
        this.waiters.clear();
        for (const w of ws) w.wq.wake(POLLOUT | POLLWRNORM);
      }
      return t;
    }
    return this.emptyQueueEnd() ?? (recvNonblocking(a) ? -EAGAIN : BLOCK);
  }

  shutdown(how: number): number {
    if (how < 0 || how > 2) return -EINVAL;
    this.shut |= how + 1;
    this.wq.wake(0);
    return 0;
  }

  peerName(): Uint8Array | null { return this.peer ? this.peer.localName() : null; }

  release(): void {
    this.dead = true;
    this.unbind();
    this.rq.clear();
  }
}
