// The guest's network, one per kernel: the loopback's UDP and TCP ports
// (127.0.0.0/8; nothing else exists, other destinations are ENETUNREACH) and the
// AF_UNIX names (abstract ones here; path names are socket inodes in the file
// system, bound to their socket in `unixPaths`). The host's network is never touched.
import type { SocketInode } from "../fs/inode.js";
import type { Vfs } from "../fs/vfs.js";
import type { Socket } from "./socket.js";

// Linux's net.ipv4.ip_local_port_range.
export const EPHEMERAL_FIRST = 32768, EPHEMERAL_LAST = 60999;

// The sockets bound to each port of one protocol (several may share one: a listener and the
// connections it accepted, or SO_REUSEADDR binds).
export class PortSpace<S> {
  readonly ports = new Map<number, S[]>();
  private next = EPHEMERAL_FIRST;

  users(port: number): S[] { return this.ports.get(port) ?? []; }

  add(port: number, s: S): void {
    const l = this.ports.get(port);
    if (l) l.push(s); else this.ports.set(port, [s]);
  }

  remove(port: number, s: S): void {
    const l = this.ports.get(port);
    if (!l) return;
    const i = l.indexOf(s);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this.ports.delete(port);
  }

  // The next free ephemeral port, round-robin from where the last search ended; 0 when none is free.
  ephemeral(): number {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const p = this.next;
      this.next = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.ports.has(p)) return p;
    }
    return 0;
  }
}

export class Network {
  constructor(readonly vfs: Vfs) {}
  readonly tcp = new PortSpace<Socket>();
  readonly udp = new PortSpace<Socket>();
  readonly abstractNames = new Map<string, Socket>();
  readonly unixPaths = new WeakMap<SocketInode, Socket>();
  private autobindNext = 0;
  private ino = 200000;

  nextIno(): number { return this.ino++; }

  // Linux's autobind: an abstract name of five hex digits (counted, not random, here).
  autobindName(): string {
    for (;;) {
      const name = (this.autobindNext++ & 0xfffff).toString(16).padStart(5, "0");
      if (!this.abstractNames.has(name)) return name;
    }
  }
}
