// The `.sc` file of a LID-DS 2021 recording: one line per syscall entry and one
// per exit, in time order, space-separated as LID-DS's loader splits them:
//   <ns since the epoch> <uid> <pid> <process name> <tid> <syscall> <> or <> <param=value>…
// Entry lines carry the arguments (params.ts), exit lines `res=` (with the
// errno's name for an error, as sysdig prints it: res=-2(ENOENT)). A call that
// never returned (exit_group, a call still open at the end) has no exit line.
import { ERRNO_NAMES } from "../../kernel/errno-names.js";
import { epochNs } from "./epoch.js";
import type { FlightRows } from "./flight-table.js";
import { ENTRY_PARAMS, formatValue, HEX_RESULTS } from "./params.js";

/** The guest runs everything as root (its getuid returns 0). */
export const GUEST_UID = 0;

/**
 * The lines' order as codes: 2*row for a row's entry, 2*row+1 for its exit.
 * Entries come in table order (enter_ns rises), exits by exit_ns then row;
 * at equal times an exit goes first unless its own entry is still to come.
 */
export function lineOrder(r: FlightRows): Int32Array {
  const exits: number[] = [];
  for (let i = 0; i < r.n; i++) if (r.exit[i] >= 0) exits.push(i);
  exits.sort((a, b) => r.exit[a] - r.exit[b] || a - b);
  const out = new Int32Array(r.n + exits.length);
  let k = 0, e = 0;
  for (let i = 0; i < r.n; i++) {
    while (e < exits.length && (r.exit[exits[e]] < r.enter[i] || (r.exit[exits[e]] === r.enter[i] && exits[e] < i))) out[k++] = 2 * exits[e++] + 1;
    out[k++] = 2 * i;
  }
  while (e < exits.length) out[k++] = 2 * exits[e++] + 1;
  return out;
}

/** A process name as one field: whitespace (which would split it) becomes `_`, an empty name `?`. */
export const field = (s: string): string => (s === "" ? "?" : s.replace(/\s/g, "_"));

/** The result of a call as sysdig shows it: an address in hex, else signed decimal, an error with its name. */
export function resText(name: string, lo: number, hi: number): string {
  const v = formatValue(lo, hi, "i");
  if (hi === 0xffffffff) {
    const errno = -(lo | 0);
    if (errno > 0 && errno < 4096 && ERRNO_NAMES[errno]) return `${v}(${ERRNO_NAMES[errno][0]})`;
  }
  return HEX_RESULTS.has(name) ? formatValue(lo, hi, "x") : v;
}

/** Line `code` of lineOrder, without its newline. */
export function scLine(r: FlightRows, code: number): string {
  const i = code >> 1;
  const exit = (code & 1) === 1;
  const head = `${epochNs(exit ? r.exit[i] : r.enter[i])} ${GUEST_UID} ${r.pid[i]} ${field(r.comm[i])} ${r.tid[i]} ${r.name[i]}`;
  if (exit) return `${head} < res=${resText(r.name[i], r.ret[2 * i] >>> 0, r.ret[2 * i + 1] >>> 0)}`;
  const params = ENTRY_PARAMS[r.name[i]];
  if (!params) return `${head} >`;
  let s = `${head} >`;
  for (const p of params) s += ` ${p.name}=${formatValue(r.args[p.arg][2 * i], r.args[p.arg][2 * i + 1], p.format)}`;
  return s;
}
