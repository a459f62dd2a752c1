// Where a case whose output depends on the file system runs natively. The
// emulated kernel reports what ext4 (4 KiB blocks, no inline data: mke2fs's
// defaults) reports, e.g. st_blocks; the native reference must then run in a
// folder on ext4 too, whatever file system the host's /tmp is (tmpfs counts
// blocks otherwise). Candidates: the temporary folder, then the repository's
// build/ folder.
import { mkdirSync, mkdtempSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./emulated-run.js";

export const EXT4_SUPER_MAGIC = 0xef53; // statfs's f_type for ext2/3/4

export interface FsChoice { dir?: string; why: string }

const onExt4 = (dir: string): boolean => {
  try {
    const s = statfsSync(dir);
    return s.type === EXT4_SUPER_MAGIC && s.bsize === 4096;
  } catch {
    return false;
  }
};

/** A new empty folder on ext4 with 4 KiB blocks, or why there is none. */
export function ext4Folder(candidates = [tmpdir(), path.join(ROOT, "build")]): FsChoice {
  for (const c of candidates) {
    if (!onExt4(c)) continue;
    mkdirSync(c, { recursive: true });
    return { dir: mkdtempSync(path.join(c, "native-ext4-")), why: `${c} is on ext4` };
  }
  return { why: `none of ${candidates.join(", ")} is on ext4 with 4 KiB blocks (statfs f_type 0xef53)` };
}
