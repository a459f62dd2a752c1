// exec --sysroot DIR: a working directory the guest cannot show. The guest starts in the folder
// at the same path in its own tree; when that is not the host's folder the program finds none of
// its files there and says only "No such file or directory", so exec says why, in one line:
// - under /tmp, /dev, /proc or /sys, the kernel's own folders, which hide the host's (a checkout
//   under /tmp, a scratch folder in /dev/shm);
// - outside DIR (DIR not /): the guest's folder of that path is DIR's, or an empty one.
// An --fs import of the folder (or one above it) shows it, and then nothing is said.
import path from "node:path";
import { KERNEL_DIRS } from "../kernel/fs/host-import.js";

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir === "/" ? "/" : dir + "/");

/**
 * The note for a run in `hostCwd` that the guest starts in `guestCwd` (its path inside the sysroot
 * `sysroot`, a real path; the same path when outside it), or undefined when the guest sees it.
 */
export function hiddenCwdNotice(hostCwd: string, guestCwd: string, sysroot: string, fsDirs: string[]): string | undefined {
  const shown = guestCwd === hostCwd && fsDirs.some((d) => under(hostCwd, path.resolve(d)));
  if (shown) return undefined;
  const own = KERNEL_DIRS.find((d) => under(guestCwd, d));
  if (own !== undefined) {
    const fix = guestCwd !== hostCwd || own === "/proc" || own === "/sys" ? "run it from another folder" : `add --fs ${hostCwd} to show it`;
    const whose = guestCwd === hostCwd ? "the host's" : "the sysroot's";
    return `skytrace: note: the working directory ${hostCwd} is not visible to the program: the guest's ${own} is its own, ` +
      `which hides ${whose}, so it starts in an empty ${guestCwd}; ${fix}`;
  }
  if (sysroot !== "/" && guestCwd === hostCwd) {
    return `skytrace: note: the working directory ${hostCwd} is outside the sysroot ${sysroot}: the program starts in ` +
      `the sysroot's ${hostCwd}, or an empty one; add --fs ${hostCwd} to show this one`;
  }
  return undefined;
}
