// The one syscall table: number -> handler, assembled from the areas by name
// (names and numbers come from src/linux/syscall-numbers.ts).
import { SYSCALL_NUMBERS } from "../../linux/syscall-numbers.js";
import type { Handler } from "./types.js";
import { fsIo } from "./fs-io.js";
import { fsPath } from "./fs-path.js";
import { mmCalls } from "./mm.js";
import { processCalls } from "./process.js";
import { infoCalls } from "./info.js";
import { timeCalls } from "./time.js";
import { signalCalls } from "./signal.js";
import { ioctlCalls } from "./ioctl.js";
import { pollCalls } from "./poll.js";
import { netCalls } from "./net.js";
import { fsMetaCalls } from "./fs-meta.js";
import { fsCopyCalls } from "./fs-copy.js";

export const SYSCALL_TABLE: Array<Handler | undefined> = [];

for (const area of [fsIo, fsPath, mmCalls, processCalls, infoCalls, timeCalls, signalCalls, ioctlCalls, pollCalls, netCalls, fsMetaCalls, fsCopyCalls]) {
  for (const [name, h] of Object.entries(area)) {
    const nr = SYSCALL_NUMBERS[name];
    if (nr === undefined) throw new Error(`syscall table: unknown syscall name ${name}`);
    SYSCALL_TABLE[nr] = h;
  }
}

export const implementedSyscalls = (): string[] =>
  SYSCALL_TABLE.map((h, nr) => (h ? nr : -1)).filter((n) => n >= 0).map((n) => Object.keys(SYSCALL_NUMBERS).find((k) => SYSCALL_NUMBERS[k] === n)!);
