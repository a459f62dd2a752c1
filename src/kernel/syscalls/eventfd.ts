// eventfd and eventfd2 (src/kernel/fs/eventfd.ts).
import type { Handler } from "./types.js";
import type { Process } from "../process/process.js";
import { O_CLOEXEC, O_NONBLOCK } from "../fs/file.js";
import { anonFile } from "../fs/anon-inode.js";
import { EventFd } from "../fs/eventfd.js";
import { EINVAL } from "../errno.js";

const EFD_SEMAPHORE = 1;

function create(p: Process, initial: number, flags: number): number {
  if (flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  const e = new EventFd(initial, (flags & EFD_SEMAPHORE) !== 0);
  const f = anonFile(e.ops, "[eventfd]", (flags & O_NONBLOCK) !== 0);
  const fd = p.allocFd(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.unref();
  return fd;
}

export const eventfdCalls: Record<string, Handler> = {
  eventfd: (_k, p, a) => create(p, a.u32(0), 0),
  eventfd2: (_k, p, a) => create(p, a.u32(0), a.int(1)),
};
