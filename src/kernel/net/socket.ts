// What every socket is to the rest of the kernel: a file whose operations are
// the socket's (read = recv, write = send, poll, FIONREAD), a wait queue for
// epoll, the options a program may set and read back, and a pending error
// (Linux's sk_err, taken by SO_ERROR or reported by the next call).
import { BLOCK, Blockable, FileOps, OpenFile, O_RDWR, O_NONBLOCK } from "../fs/file.js";
import { WaitQueue } from "../fs/wait-queue.js";
import { S_IFSOCK } from "../fs/inode.js";
import type { Process } from "../process/process.js";
import type { Network } from "./network.js";
import type { Taken } from "./queue.js";

export const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
// A recv that must not wait: the socket's O_NONBLOCK or this call's MSG_DONTWAIT.
export const recvNonblocking = (a: RecvArgs): boolean => a.nonblock || (a.flags & MSG_DONTWAIT) !== 0;

export const MSG_OOB = 1, MSG_PEEK = 2, MSG_CTRUNC = 8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100,
  MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
export const SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
// sk_shutdown's bits.
export const RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
const FIONREAD = 0x541b, SIOCOUTQ = 0x5411;

// A send's outcome: bytes sent, -errno (EPIPE: the caller raises SIGPIPE unless MSG_NOSIGNAL), or BLOCK.
export type SendResult = Blockable;

export interface SendArgs {
  data: Uint8Array;
  to: Uint8Array | null;       // the caller's address bytes (sendto/sendmsg), or null
  flags: number;
  rights: OpenFile[] | null;   // files passed with SCM_RIGHTS
  nonblock: boolean;
  retry: boolean;              // a blocked call run again
  p: Process | null;           // the caller (null for write(2), which names no address)
}

export interface RecvArgs { max: number; flags: number; nonblock: boolean }

export abstract class Socket {
  readonly wq = new WaitQueue();
  readonly ops: FileOps;
  err = 0;                // pending error (positive errno), Linux's sk_err
  shut = 0;               // RCV_SHUTDOWN | SEND_SHUTDOWN, Linux's sk_shutdown
  reuseAddr = false;
  keepAlive = false;
  noDelay = false;
  rcvbuf: number;
  sndbuf: number;

  constructor(readonly net: Network, readonly family: number, readonly type: number, readonly protocol: number,
    buffers: { rcv: number; snd: number }) {
    this.rcvbuf = buffers.rcv;
    this.sndbuf = buffers.snd;
    const s = this;
    this.ops = {
      seekable: false,
      read: (f, buf) => {
        const r = s.recv({ max: buf.length, flags: 0, nonblock: f.nonblock });
        if (typeof r === "number" || r === BLOCK) return r;
        buf.set(r.data);
        if (r.rights) for (const x of r.rights) x.unref(); // read(2) drops files in flight
        return r.data.length;
      },
      write: (f, data) => s.send({ data, to: null, flags: 0, rights: null, nonblock: f.nonblock, retry: false, p: null }),
      poll: () => s.poll(),
      wq: this.wq,
      ioctl: (_f, req, arg, io) => {
        if (req !== FIONREAD && req !== SIOCOUTQ) return -25; // ENOTTY
        const b = new Uint8Array(4);
        new DataView(b.buffer).setInt32(0, req === FIONREAD ? s.inq() : 0, true);
        return io.write(arg, b) ? 0 : -14;
      },
      release: () => s.release(),
    };
  }

  abstract poll(): number;
  abstract bind(p: Process, addr: Uint8Array): number;
  abstract listen(backlog: number): number;
  // A new connection, -errno or BLOCK.
  abstract accept(nonblock: boolean): Socket | number | typeof BLOCK;
  abstract connect(p: Process, addr: Uint8Array, nonblock: boolean, retry: boolean): Blockable;
  abstract send(a: SendArgs): SendResult;
  abstract recv(a: RecvArgs): Taken | number | typeof BLOCK;
  abstract shutdown(how: number): number;
  abstract localName(): Uint8Array;
  abstract peerName(): Uint8Array | null;  // null: ENOTCONN
  abstract release(): void;
  abstract get listening(): boolean;
  // Bytes waiting to be read (FIONREAD).
  abstract inq(): number;

  // The pending error, cleared (sock_error).
  takeError(): number {
    const e = this.err;
    this.err = 0;
    return e;
  }

  // What recv returns on an empty queue before it would wait: the pending error first, then
  // end of stream (0) after SHUT_RD or the peer's shutdown; null when neither.
  protected emptyQueueEnd(): number | null {
    if (this.err) return -this.takeError();
    if (this.shut & RCV_SHUTDOWN) return 0;
    return null;
  }

  // A file for this socket, with SOCK_NONBLOCK's flag.
  file(nonblock: boolean): OpenFile {
    const f = new OpenFile(this.ops, O_RDWR | (nonblock ? O_NONBLOCK : 0), undefined, "socket");
    f.statMode = S_IFSOCK | 0o777;
    f.statIno = this.net.nextIno();
    sockets.set(this.ops, this);
    return f;
  }
}

const sockets = new WeakMap<FileOps, Socket>();
export const socketOf = (f: OpenFile): Socket | undefined => sockets.get(f.ops);
