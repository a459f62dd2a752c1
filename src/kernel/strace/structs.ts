// --strace's decoders for the structures of sockets, epoll and timerfd, in
// strace's notation: {sa_family=AF_INET, sin_port=htons(80), ...}.
import type { Process } from "../process/process.js";

type Quote = (b: Uint8Array, max?: number) => string;

export function flagNames(v: number, table: Array<[number, string]>): string {
  const parts: string[] = [];
  for (const [b, n] of table) if ((v & b) === b && b !== 0) { parts.push(n); v &= ~b; }
  if (v) parts.push(`0x${(v >>> 0).toString(16)}`);
  return parts.length ? parts.join("|") : "0";
}

export const MSG_FLAGS: Array<[number, string]> = [[1, "MSG_OOB"], [2, "MSG_PEEK"], [4, "MSG_DONTROUTE"], [8, "MSG_CTRUNC"],
  [0x10, "MSG_PROBE"], [0x20, "MSG_TRUNC"], [0x40, "MSG_DONTWAIT"], [0x80, "MSG_EOR"], [0x100, "MSG_WAITALL"], [0x200, "MSG_FIN"],
  [0x400, "MSG_SYN"], [0x800, "MSG_CONFIRM"], [0x1000, "MSG_RST"], [0x2000, "MSG_ERRQUEUE"], [0x4000, "MSG_NOSIGNAL"],
  [0x8000, "MSG_MORE"], [0x10000, "MSG_WAITFORONE"], [0x40000000, "MSG_CMSG_CLOEXEC"]];

export const EPOLL_EVENTS: Array<[number, string]> = [[1, "EPOLLIN"], [2, "EPOLLPRI"], [4, "EPOLLOUT"], [8, "EPOLLERR"],
  [0x10, "EPOLLHUP"], [0x20, "EPOLLNVAL"], [0x40, "EPOLLRDNORM"], [0x80, "EPOLLRDBAND"], [0x100, "EPOLLWRNORM"],
  [0x200, "EPOLLWRBAND"], [0x400, "EPOLLMSG"], [0x2000, "EPOLLRDHUP"], [1 << 28, "EPOLLEXCLUSIVE"], [1 << 29, "EPOLLWAKEUP"],
  [1 << 30, "EPOLLONESHOT"], [0x80000000, "EPOLLET"]];

const SOL_SOCKET_OPTS: Record<number, string> = { 1: "SO_DEBUG", 2: "SO_REUSEADDR", 3: "SO_TYPE", 4: "SO_ERROR", 5: "SO_DONTROUTE",
  6: "SO_BROADCAST", 7: "SO_SNDBUF", 8: "SO_RCVBUF", 9: "SO_KEEPALIVE", 10: "SO_OOBINLINE", 12: "SO_PRIORITY", 13: "SO_LINGER",
  15: "SO_REUSEPORT", 16: "SO_PASSCRED", 17: "SO_PEERCRED", 18: "SO_RCVLOWAT", 19: "SO_SNDLOWAT", 20: "SO_RCVTIMEO_OLD",
  21: "SO_SNDTIMEO_OLD", 30: "SO_ACCEPTCONN", 38: "SO_PROTOCOL", 39: "SO_DOMAIN" };
const TCP_OPTS: Record<number, string> = { 1: "TCP_NODELAY", 2: "TCP_MAXSEG", 3: "TCP_CORK", 4: "TCP_KEEPIDLE", 5: "TCP_KEEPINTVL", 6: "TCP_KEEPCNT" };
export const LEVELS: Record<number, string> = { 0: "SOL_IP", 1: "SOL_SOCKET", 6: "SOL_TCP", 17: "SOL_UDP", 41: "SOL_IPV6" };
export function optionName(level: number, opt: number): string {
  const t = level === 1 ? SOL_SOCKET_OPTS : level === 6 ? TCP_OPTS : {};
  return t[opt] ?? String(opt);
}

export function sockaddr(p: Process, va: number, len: number, quote: Quote): string {
  if (va === 0) return "NULL";
  if (len < 2) return `0x${va.toString(16)}`;
  const b = p.mem.read(va, Math.min(len, 110));
  if (!b) return `0x${va.toString(16)}`;
  const dv = new DataView(b.buffer);
  const fam = dv.getUint16(0, true);
  if (fam === 2 && b.length >= 8) {
    const ip = `${b[4]}.${b[5]}.${b[6]}.${b[7]}`;
    return `{sa_family=AF_INET, sin_port=htons(${dv.getUint16(2, false)}), sin_addr=inet_addr("${ip}")}`;
  }
  if (fam === 1) {
    if (b.length <= 2) return "{sa_family=AF_UNIX}";
    const path = b.subarray(2);
    if (path[0] === 0) return `{sa_family=AF_UNIX, sun_path=@${quote(path.subarray(1), 108)}}`;
    const end = path.indexOf(0);
    return `{sa_family=AF_UNIX, sun_path=${quote(end >= 0 ? path.subarray(0, end) : path, 108)}}`;
  }
  const names: Record<number, string> = { 0: "AF_UNSPEC", 10: "AF_INET6", 16: "AF_NETLINK" };
  return `{sa_family=${names[fam] ?? fam}, ...}`;
}

export function epollEvent(b: Uint8Array, off: number): string {
  const dv = new DataView(b.buffer, b.byteOffset);
  const ev = dv.getUint32(off, true), lo = dv.getUint32(off + 4, true), hi = dv.getUint32(off + 8, true);
  const u64 = (BigInt(hi) << 32n) | BigInt(lo);
  return `{events=${flagNames(ev, EPOLL_EVENTS)}, data={u32=${lo}, u64=${u64}}}`;
}

export function itimerspec(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset);
  const ts = (o: number): string => `{tv_sec=${dv.getBigInt64(o, true)}, tv_nsec=${dv.getBigInt64(o + 8, true)}}`;
  return `{it_interval=${ts(0)}, it_value=${ts(16)}}`;
}

// struct msghdr; `data`: how many bytes the iovecs hold (sendmsg: all; recvmsg: the result).
export function msghdr(p: Process, va: number, data: number, quote: Quote): string {
  const b = p.mem.read(va, 56);
  if (!b) return `0x${va.toString(16)}`;
  const dv = new DataView(b.buffer);
  const u = (o: number): number => dv.getUint32(o + 4, true) * 2 ** 32 + dv.getUint32(o, true);
  const name = u(0), namelen = dv.getUint32(8, true), iov = u(16), iovlen = u(24), control = u(32), controllen = u(40);
  const flags = dv.getInt32(48, true);
  const iovs: string[] = [];
  let left = data;
  for (let i = 0; i < Math.min(iovlen, 16); i++) {
    const e = p.mem.read(iov + i * 16, 16);
    if (!e) break;
    const ev = new DataView(e.buffer);
    const base = ev.getUint32(4, true) * 2 ** 32 + ev.getUint32(0, true), len = ev.getUint32(12, true) * 2 ** 32 + ev.getUint32(8, true);
    const n = Math.max(0, Math.min(len, left, 32));
    left -= Math.min(len, Math.max(left, 0));
    const bytes = p.mem.read(base, n);
    iovs.push(`{iov_base=${bytes ? quote(bytes, 32) + (Math.min(len, data) > 32 ? "..." : "") : `0x${base.toString(16)}`}, iov_len=${len}}`);
  }
  let ctl = "";
  if (controllen > 0) {
    const c = p.mem.read(control, Math.min(controllen, 256));
    const parts: string[] = [];
    if (c) {
      const cv = new DataView(c.buffer);
      for (let o = 0; o + 16 <= c.length;) {
        const len = cv.getUint32(o, true), level = cv.getInt32(o + 8, true), type = cv.getInt32(o + 12, true);
        if (len < 16) break;
        const fds: number[] = [];
        if (level === 1 && type === 1) for (let q = o + 16; q + 4 <= Math.min(o + len, c.length); q += 4) fds.push(cv.getInt32(q, true));
        parts.push(`{cmsg_len=${len}, cmsg_level=${LEVELS[level] ?? level}, cmsg_type=${level === 1 && type === 1 ? "SCM_RIGHTS" : type}` +
          (level === 1 && type === 1 ? `, cmsg_data=[${fds.join(", ")}]}` : "}"));
        o += (len + 7) & ~7;
      }
    }
    ctl = `msg_control=[${parts.join(", ")}], `;
  }
  const nm = name ? sockaddr(p, name, namelen, quote) : "NULL";
  return `{msg_name=${nm}, msg_namelen=${namelen}, msg_iov=[${iovs.join(", ")}], msg_iovlen=${iovlen}, ${ctl}msg_controllen=${controllen}, msg_flags=${flagNames(flags, MSG_FLAGS)}}`;
}
