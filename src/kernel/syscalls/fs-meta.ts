// What programs ask about a file system beyond stat: statfs/fstatfs (the one file system,
// described as ext4 is: a fixed size, read-only where it was imported from the host), extended
// attributes (supported and empty, as on ext4: a get is ENODATA, a list is empty; setting one is
// not supported, EROFS on imported files), and fadvise64 (a hint: checked, then nothing).
// Dynamically linked coreutils call these: ls -l asks each file's SELinux label and ACL.
import type { Handler } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { Inode } from "../fs/inode.js";
import { fileOf, pathArg } from "./util.js";
import { EBADF, EINVAL, ENODATA, EOPNOTSUPP, EROFS, ESPIPE, ERANGE } from "../errno.js";

const EXT4_SUPER_MAGIC = 0xef53;
const ST_RDONLY = 1, ST_VALID = 0x20, ST_RELATIME = 0x1000;
// The size the file system claims (1 GiB of 4 KiB blocks, half free; 65536 inodes, half free).
const BLOCKS = 262144, FILES = 65536;

function statfsOf(i: Inode | undefined): Uint8Array {
  const b = new Uint8Array(120);
  const dv = new DataView(b.buffer);
  const put = (off: number, v: number): void => dv.setBigInt64(off, BigInt(v), true);
  put(0, EXT4_SUPER_MAGIC);
  put(8, 4096);                  // f_bsize
  put(16, BLOCKS);
  put(24, BLOCKS / 2);           // f_bfree
  put(32, BLOCKS / 2);           // f_bavail
  put(40, FILES);
  put(48, FILES / 2);            // f_ffree
  put(64, 255);                  // f_namelen
  put(72, 4096);                 // f_frsize
  put(80, ST_VALID | ST_RELATIME | (i?.frozen ? ST_RDONLY : 0));
  return b;
}

const lookup = (k: Kernel, p: Process, a: Parameters<Handler>[2], follow: boolean): Inode =>
  k.vfs.resolve(p.cwd, pathArg(p, a, 0), follow).inode;

const statfs: Handler = (k, p, a) => { p.mem.writeOrFault(a.u(1), statfsOf(lookup(k, p, a, true))); return 0; };
const fstatfs: Handler = (_k, p, a) => { p.mem.writeOrFault(a.u(1), statfsOf(fileOf(p, a.int(0)).inode)); return 0; };

// The attribute name must be readable and 1..255 bytes, as Linux checks before looking.
function nameOk(p: Process, va: number): number {
  const s = p.mem.readCString(va, 256);
  if (s === null) return p.mem.read(va, 1) === null ? -14 : -ERANGE;
  return s.length === 0 ? -ERANGE : 0;
}

const getAttr = (inode: () => Inode | undefined): Handler => (_k, p, a) => {
  inode();
  const bad = nameOk(p, a.u(1));
  return bad || -ENODATA;
};
const listAttr = (inode: () => Inode | undefined): Handler => () => { inode(); return 0; };
const setAttr = (inode: () => Inode | undefined): Handler => (_k, p, a) => {
  const i = inode();
  const bad = nameOk(p, a.u(1));
  if (bad) return bad;
  return i?.frozen ? -EROFS : -EOPNOTSUPP;
};
const removeAttr = (inode: () => Inode | undefined): Handler => (_k, p, a) => {
  const i = inode();
  const bad = nameOk(p, a.u(1));
  if (bad) return bad;
  return i?.frozen ? -EROFS : -ENODATA;
};

// Each xattr call in its three forms: by path (following a final symlink), by path (l*: not), by fd (f*).
function xattrCalls(name: string, make: (inode: () => Inode | undefined) => Handler): Record<string, Handler> {
  return {
    [name]: (k, p, a) => make(() => lookup(k, p, a, true))(k, p, a),
    [`l${name}`]: (k, p, a) => make(() => lookup(k, p, a, false))(k, p, a),
    [`f${name}`]: (k, p, a) => make(() => fileOf(p, a.int(0)).inode)(k, p, a),
  };
}

const POSIX_FADV_NOREUSE = 5;
const fadvise64: Handler = (_k, p, a) => {
  const f = p.getFile(a.int(0));
  if (!f) return -EBADF;
  if (!f.ops.seekable) return -ESPIPE;
  const advice = a.int(3);
  if (advice < 0 || advice > POSIX_FADV_NOREUSE || a.i64(2) < 0) return -EINVAL;
  return 0;
};

export const fsMetaCalls: Record<string, Handler> = {
  statfs, fstatfs, fadvise64,
  ...xattrCalls("getxattr", getAttr), ...xattrCalls("listxattr", listAttr),
  ...xattrCalls("setxattr", setAttr), ...xattrCalls("removexattr", removeAttr),
};
