// A code probe at run time. Reaching a probe slot (decoder/probe.ts) exits
// before the instruction: nothing retired, no tick, RIP on the instruction,
// the probe's index in the exit info. It also arms a one-shot skip (like
// RFLAGS.RF after a debug breakpoint, but kept in the state block where the
// guest cannot see it): the next run() that starts at that RIP executes the
// instruction once by itself, decoded afresh, and then runs on as usual, so
// reaching the address again exits again. The skip stays armed while the
// instruction has not completed (a fault, or a REP instruction that yielded
// at the end of the budget with iterations left), so a split instruction is
// one probe hit. It is per thread: the host saves it with the context.
import { STATE, S_PROBE_SKIP, S_PROBE_SKIP_RIP, PROBE_SLOT } from "../memmap";
import { rip, setRip, setInstRip, ticks, setTicks, exc, raise, budget, setBudget } from "../cpu/state";
import { EXIT_PROBE, isTrap } from "../cpu/exits";
import { D_IMM, D_LEN, D_OP } from "../decoder/slot";
import { decode } from "../decoder/decode";
import { execute } from "./dispatch";
import { settleNonCanonical } from "./stackfault";

@inline function arm(at: u64): void {
  store<u32>(STATE + S_PROBE_SKIP, 1);
  store<u64>(STATE + S_PROBE_SKIP_RIP, at);
}

// The run loop reached probe slot d (RIP is the probe's address: the slot has no bytes).
export function probeHit(d: usize): void {
  raise(EXIT_PROBE, <u32>load<u64>(d + D_IMM), rip);
  arm(rip);
}

// MOVS CMPS STOS LODS SCAS: with a REP prefix they may stop with RIP still on them.
@inline function isString(op: u32): bool { return (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF); }

// Called by run() when the skip is armed and there is budget: execute the
// instruction at RIP once through the generic executor (the fast forms do
// exactly what it does), counting it as the run loop would.
export function stepOverProbe(): void {
  store<u32>(STATE + S_PROBE_SKIP, 0);
  const start = rip;
  if (start != load<u64>(STATE + S_PROBE_SKIP_RIP)) return; // the host moved RIP: nothing to skip
  setInstRip(start);
  if (!decode(start, PROBE_SLOT)) { arm(start); return; }   // fetch fault pending: not executed yet
  setRip(start + <u64>load<u8>(PROBE_SLOT + D_LEN));
  setTicks(ticks + 1);
  setBudget(budget - 1);
  execute(PROBE_SLOT);
  if (exc != 0) {
    settleNonCanonical(PROBE_SLOT);
    if (!isTrap(exc)) {
      // A fault: the instruction did not retire; RIP stays on it and so does the skip.
      setRip(start);
      setTicks(ticks - 1);
      setBudget(budget + 1);
      arm(start);
    }
    return;
  }
  if (rip == start && isString(<u32>load<u16>(PROBE_SLOT + D_OP))) arm(start);
}
