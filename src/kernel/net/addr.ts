// Socket addresses as the guest passes them: struct sockaddr_in (AF_INET) and
// struct sockaddr_un (AF_UNIX: a path, an abstract name starting with a NUL, or
// nothing), parsed from and encoded to the caller's bytes as Linux does.
import type { Process } from "../process/process.js";
import { EINVAL, EAFNOSUPPORT } from "./errno-net.js";
import { Errno, EFAULT } from "../errno.js";

export const AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
const SUN_PATH = 108;

// The caller's sockaddr (at most 128 bytes, as Linux's struct sockaddr_storage) or -errno.
export function readSockaddr(p: Process, va: number, len: number): Uint8Array | number {
  if (len > 128 || len < 0) return -EINVAL;
  if (len === 0) return new Uint8Array(0);
  const b = p.mem.read(va, len);
  return b ?? -EFAULT;
}

export const familyOf = (b: Uint8Array): number => (b.length >= 2 ? b[0] | (b[1] << 8) : AF_UNSPEC);

export interface InetAddr { addr: number; port: number }

// A sockaddr_in: at least 16 bytes of family AF_INET (errors as inet_bind/inet_stream_connect give them).
export function parseInet(b: Uint8Array): InetAddr | number {
  if (b.length < 16) return -EINVAL;
  if (familyOf(b) !== AF_INET) return -EAFNOSUPPORT;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  return { port: dv.getUint16(2, false), addr: dv.getUint32(4, false) };
}

export function encodeInet(a: InetAddr): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, AF_INET, true);
  dv.setUint16(2, a.port, false);
  dv.setUint32(4, a.addr >>> 0, false);
  return b;
}

// An AF_UNIX name: `path` (a file system path) or an abstract name (`key`, its bytes after the
// NUL). `bytes` is the address as getsockname returns it (family included).
export interface UnixName { path: string | null; key: string | null; bytes: Uint8Array }

// "autobind" when only the family is given (bind picks an abstract name).
export function parseUnix(b: Uint8Array): UnixName | "autobind" | number {
  if (b.length < 2 || b.length > 2 + SUN_PATH || familyOf(b) !== AF_UNIX) return -EINVAL;
  if (b.length === 2) return "autobind";
  const sun = b.subarray(2);
  if (sun[0] === 0) return { path: null, key: Buffer.from(sun.subarray(1)).toString("latin1"), bytes: b.slice() };
  let end = sun.indexOf(0);
  if (end < 0) end = sun.length;
  const path = Buffer.from(sun.subarray(0, end)).toString("latin1");
  // Linux keeps a path name NUL-terminated: its length is the path's plus the NUL.
  const bytes = new Uint8Array(2 + end + 1);
  bytes.set(b.subarray(0, 2 + end));
  return { path, key: null, bytes };
}

export const UNNAMED_UNIX = Uint8Array.from([AF_UNIX, 0]);

// Write an address to the caller: as many bytes as fit, and the full length to *lenVa.
export function putSockaddr(p: Process, va: number, lenVa: number, bytes: Uint8Array): void {
  if (!va && !lenVa) return;
  const room = p.mem.u32(lenVa);
  if ((room | 0) < 0) throw new Errno(EINVAL);
  if (va && room > 0) p.mem.writeOrFault(va, bytes.subarray(0, Math.min(room, bytes.length)));
  p.mem.putU32(lenVa, bytes.length);
}

export const isLoopback = (a: number): boolean => a >>> 24 === 127;
export const LOCALHOST = 0x7f000001;
