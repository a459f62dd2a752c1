// Files with no name in any file system (epoll, eventfd, timerfd), as Linux's
// anon_inode files: one shared inode, mode 0600 with no file type, O_RDWR.
import { OpenFile, FileOps, O_RDWR, O_NONBLOCK } from "./file.js";

// The one inode every anonymous file shares (Linux's anon_inode_inode): the same st_ino for all.
export const ANON_INODE_INO = 1;

export function anonFile(ops: FileOps, name: string, nonblock: boolean): OpenFile {
  const f = new OpenFile(ops, O_RDWR | (nonblock ? O_NONBLOCK : 0), undefined, `anon_inode:${name}`);
  f.statMode = 0o600;
  f.statIno = ANON_INODE_INO;
  return f;
}
