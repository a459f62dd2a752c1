// A program that starts with "#!" (Linux's binfmt_script): its first line names the interpreter
// and at most one argument; the kernel runs the interpreter with argv
// [interpreter, argument?, script path, original argv[1]...]. As Linux 5.1+, the line is read
// from the first 256 bytes; an interpreter name cut off by that limit is ENOEXEC.
import { ExecError } from "./parse.js";

export const SCRIPT_DEPTH = 4; // Linux: an interpreter may itself be a script, 4 levels deep (then ELOOP)
const BUF = 256;              // BINPRM_BUF_SIZE

export interface Shebang { interpreter: string; arg?: string }

export const isScript = (file: Uint8Array): boolean => file.length >= 2 && file[0] === 0x23 && file[1] === 0x21;

// The interpreter line of a script (kernel strings: one char per byte).
export function parseShebang(file: Uint8Array, path: string): Shebang {
  const head = Buffer.from(file.subarray(2, Math.min(file.length, BUF))).toString("latin1");
  const nl = head.indexOf("\n");
  const line = nl >= 0 ? head.slice(0, nl) : head;
  const m = /^[ \t]*([^ \t\0]*)(?:[ \t]*)(.*)$/.exec(line)!;
  const interpreter = m[1];
  // No newline in the buffer and the name runs to its end: the name may be longer than we see.
  if (nl < 0 && file.length > BUF && m[2] === "") throw new ExecError(`${path}: its #! line is longer than ${BUF} bytes`);
  if (interpreter === "") throw new ExecError(`${path}: its #! line names no interpreter`);
  const arg = m[2].replace(/[ \t]+$/, "").split("\0")[0];
  return arg === "" ? { interpreter } : { interpreter, arg };
}
