// The files a run loaded from outside the guest (its program, and every file of the sysroot or
// an --fs folder whose bytes the guest read, mapped or executed): the record that lets a run be
// reproduced and audited (`skytrace exec --loaded FILE`). One entry per guest path, with the
// bytes' SHA-256 and the metadata the guest saw; listed in path order, so the same run gives
// the same list.
import type { HostFile } from "./host-files.js";

export interface LoadedFile {
  path: string;        // in the guest
  host: string;        // on the host
  size: number;
  mode: string;        // octal permission bits, e.g. "0755"
  mtimeNs: string;     // as the guest saw it (decimal ns since 1970)
  sha256: string;
}

const text = (s: string): string => Buffer.from(s, "latin1").toString("utf8");

export class LoadedFiles {
  private readonly files = new Map<string, LoadedFile>();

  add(guestPath: string, hostPath: string, mode: number, mtimeNs: bigint, f: HostFile): void {
    if (this.files.has(guestPath)) return;
    this.files.set(guestPath, {
      path: text(guestPath), host: text(hostPath), size: f.bytes.length,
      mode: (mode & 0o7777).toString(8).padStart(4, "0"), mtimeNs: mtimeNs.toString(), sha256: f.sha256,
    });
  }

  list(): LoadedFile[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
