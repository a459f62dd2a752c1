// struct stat (x86-64, 144 bytes) and struct statx for an open file or inode.
import { Inode, S_IFCHR, S_IFIFO } from "./inode.js";
import type { OpenFile } from "./file.js";
import { EPOCH_NS } from "../clock.js";

export const DEV_ROOT = 0x2a, DEV_PIPE = 0x0c;

export interface StatInfo {
  dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number; rdev: number;
  size: number; blksize: number; blocks: number; atime: bigint; mtime: bigint; ctime: bigint;
}

export function statOfInode(i: Inode): StatInfo {
  const size = i.size;
  return {
    dev: DEV_ROOT, ino: i.ino, mode: i.mode, nlink: i.nlink, uid: i.uid, gid: i.gid, rdev: i.rdev,
    size, blksize: 4096, blocks: i.blocks,
    atime: i.atimeNs || i.mtimeNs || EPOCH_NS, mtime: i.mtimeNs || EPOCH_NS, ctime: i.ctimeNs || EPOCH_NS,
  };
}

export function statOfFile(f: OpenFile): StatInfo {
  if (f.inode) return statOfInode(f.inode);
  const mode = f.statMode ?? S_IFIFO | 0o600;
  return {
    dev: (mode & 0o170000) === S_IFCHR ? 0x16 : DEV_PIPE, ino: f.statIno, mode, nlink: 1, uid: 0, gid: 0,
    rdev: f.statRdev, size: 0, blksize: 4096, blocks: 0,
    atime: EPOCH_NS, mtime: EPOCH_NS, ctime: EPOCH_NS,
  };
}

const putTime = (dv: DataView, off: number, ns: bigint): void => {
  dv.setBigInt64(off, ns / 1_000_000_000n, true);
  dv.setBigInt64(off + 8, ns % 1_000_000_000n, true);
};

export function encodeStat(s: StatInfo): Uint8Array {
  const b = new Uint8Array(144);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, BigInt(s.dev), true);
  dv.setBigUint64(8, BigInt(s.ino), true);
  dv.setBigUint64(16, BigInt(s.nlink), true);
  dv.setUint32(24, s.mode, true);
  dv.setUint32(28, s.uid, true);
  dv.setUint32(32, s.gid, true);
  dv.setBigUint64(40, BigInt(s.rdev), true);
  dv.setBigInt64(48, BigInt(s.size), true);
  dv.setBigInt64(56, BigInt(s.blksize), true);
  dv.setBigInt64(64, BigInt(s.blocks), true);
  putTime(dv, 72, s.atime);
  putTime(dv, 88, s.mtime);
  putTime(dv, 104, s.ctime);
  return b;
}

// struct statx (256 bytes), every basic field filled (STATX_BASIC_STATS).
export function encodeStatx(s: StatInfo): Uint8Array {
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x7ff, true);          // stx_mask
  dv.setUint32(4, s.blksize, true);
  dv.setUint32(16, s.nlink, true);
  dv.setUint32(20, s.uid, true);
  dv.setUint32(24, s.gid, true);
  dv.setUint16(28, s.mode, true);
  dv.setBigUint64(32, BigInt(s.ino), true);
  dv.setBigUint64(40, BigInt(s.size), true);
  dv.setBigUint64(48, BigInt(s.blocks), true);
  const t = (off: number, ns: bigint): void => { dv.setBigInt64(off, ns / 1_000_000_000n, true); dv.setUint32(off + 8, Number(ns % 1_000_000_000n), true); };
  t(64, s.atime); t(80, s.ctime); t(96, s.ctime); t(112, s.mtime);
  dv.setUint32(128, s.rdev >> 8, true); dv.setUint32(132, s.rdev & 0xff, true);
  dv.setUint32(136, s.dev >> 8, true); dv.setUint32(140, s.dev & 0xff, true);
  return b;
}
