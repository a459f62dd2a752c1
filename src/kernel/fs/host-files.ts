// Host files' bytes, read once per host process: a sysroot's libraries are loaded by every
// program that runs (a flight, a test file, a script calling /bin/ls many times), so what was
// read stays cached while its host identity (device, inode, size, mtime) is unchanged, up to a
// byte budget (the least recently used go first). The SHA-256 is computed on first read.
import * as fs from "node:fs";
import { createHash } from "node:crypto";

export interface HostFile {
  readonly bytes: Uint8Array;   // never written: the guest gets copies (reads, private mappings)
  readonly sha256: string;
}

const BUDGET = 1 << 30;                 // bytes kept
const MAX_FILE = 1 << 30;               // a bigger file is not read (EIO), as MAX_FILE for writes
const cache = new Map<string, { id: string; file: HostFile }>();
let cached = 0;

const identity = (st: fs.BigIntStats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;

// The file's bytes, or null when it cannot be read as a regular file (gone, not a file, too big).
// The last component is opened without following a symlink.
export function readHostFile(path: Buffer): HostFile | null {
  let fd: number;
  try { fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW); } catch { return null; }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile() || st.size > BigInt(MAX_FILE)) return null;
    const key = path.toString("latin1");
    const id = identity(st);
    const hit = cache.get(key);
    if (hit && hit.id === id) {
      cache.delete(key); cache.set(key, hit); // most recently used last
      return hit.file;
    }
    const bytes = new Uint8Array(Number(st.size));
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const data = got === bytes.length ? bytes : bytes.slice(0, got);
    const file: HostFile = { bytes: data, sha256: createHash("sha256").update(data).digest("hex") };
    if (hit) { cache.delete(key); cached -= hit.file.bytes.length; }
    cache.set(key, { id, file });
    cached += data.length;
    for (const [k, v] of cache) {
      if (cached <= BUDGET) break;
      cache.delete(k);
      cached -= v.file.bytes.length;
    }
    return file;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
