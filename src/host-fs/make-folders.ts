// Making an output folder and its missing parents on the host, one component
// at a time. Node's own `mkdirSync(dir, { recursive: true })` loops forever
// where a file system refuses new folders with ENOENT (/proc: it then finds
// the parent, which exists, and tries again); walking the components
// ourselves fails on the first one that cannot be made, with its reason.
import * as fs from "node:fs";
import path from "node:path";

// A folder that cannot be made: bad input for the command line (exit status 2).
export class FolderError extends Error {
  constructor(readonly dir: string, readonly reason: string) {
    super(`cannot create folder ${dir}: ${reason}`);
    this.name = "FolderError";
  }
}

/** Why a host file operation failed, in words (the code kept for what has no words here). */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "EACCES": case "EPERM": return "permission denied";
    case "EROFS": return "read-only file system";
    case "ENOSPC": return "no space left on device";
    case "EDQUOT": return "disk quota exceeded";
    case "ENAMETOOLONG": return "name too long";
    case "ELOOP": return "too many levels of symbolic links";
    case "ENOTDIR": return "a component of the path is not a folder";
    case "EEXIST": return "the path exists and is not a folder";
    default: return err.code ? `${err.code}` : String(e);
  }
}

/**
 * Makes `dir` and every missing parent. Returns the first folder it made
 * (undefined when `dir` already existed), for removeMadeFolders. Throws a
 * FolderError naming the component that failed; folders made before the
 * failure are removed again.
 */
export function makeFolders(dir: string): string | undefined {
  const abs = path.resolve(dir);
  const root = path.parse(abs).root;
  let made: string | undefined;
  let cur = root;
  const fail = (reason: string): never => {
    if (made) removeMadeFolders(path.dirname(cur), made);
    throw new FolderError(dir, reason);
  };
  for (const part of abs.slice(root.length).split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part);
    const what = cur === abs ? "it" : cur;
    let st: fs.Stats | undefined;
    try { st = fs.statSync(cur); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") fail(code === "ENOTDIR" ? fsReason(e) : `${cur}: ${fsReason(e)}`);
    }
    if (st) {
      if (!st.isDirectory()) fail(cur === abs ? "the path exists and is not a folder" : `${what} is not a folder`);
      continue;
    }
    try {
      fs.mkdirSync(cur);
      made ??= cur;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") {
        // Made meanwhile by someone else (fine if a folder), or a symbolic link to nowhere.
        let isDir = false;
        try { isDir = fs.statSync(cur).isDirectory(); } catch { fail(`${cur} is a symbolic link to nothing`); }
        if (!isDir) fail(`${what} is not a folder`);
      } else if (code === "ENOENT") {
        // The parent exists (we just checked): its file system does not take new folders (/proc).
        fail(`${path.dirname(cur)} does not accept new folders`);
      } else {
        fail(`${cur}: ${fsReason(e)}`);
      }
    }
  }
  return made;
}

/** Removes `dir` and its parents up to `made` (what makeFolders returned), each only while empty. */
export function removeMadeFolders(dir: string, made: string | undefined): void {
  if (!made) return;
  const top = path.resolve(made);
  for (let d = path.resolve(dir); d === top || d.startsWith(top + path.sep); d = path.dirname(d)) {
    try { fs.rmdirSync(d); } catch { return; }
    if (d === top) return;
  }
}
