// The run loop: look up the decoded trace at RIP (building it on a miss), run
// its instructions one after another, repeat until the budget is spent or an
// exit is pending. Like KVM_RUN, it returns the exit reason to the host, which
// handles it and calls run() again. Nothing here allocates or calls into JS.
import { STATE, S_RIP, S_RFLAGS, S_TICKS, S_EXIT_REASON, S_EXIT_RIP, S_EXIT_VECTOR, S_PROBE_SKIP, TC_HEADER, TC_COUNT, DC_SLOT_SIZE } from "../memmap";
import { rip, setRip, setInstRip, instRip, ticks, setTicks, exc, clearExc, budget, setBudget } from "../cpu/state";
import { setFlagsValue, getFlags } from "../cpu/flags";
import { EXIT_BUDGET, NO_VECTOR, isTrap, vectorOf } from "../cpu/exits";
import { buildTrace } from "../decoder/trace";
import { tcSet, tcTag, tcFind, tcVictim, tcRestoreJit } from "../decoder/tcache";
import { dcEpoch } from "../decoder/cacheflush";
import { D_LEN, D_FAST } from "../decoder/slot";
import { execute } from "./dispatch";
import { execFast } from "./fast";
import { stepOverProbe } from "./probe";
import { settleNonCanonical } from "./stackfault";
import { resetAccess } from "../mmu/access";
import { TC_JIT } from "../memmap";
import { jitThreshold, JIT_ENTRY, countRun, enterCompiled } from "../jit/entry";

export function loadState(): void {
  setRip(load<u64>(STATE + S_RIP));
  setFlagsValue(load<u64>(STATE + S_RFLAGS));
  setTicks(load<u64>(STATE + S_TICKS));
}

export function saveState(): void {
  store<u64>(STATE + S_RIP, rip);
  store<u64>(STATE + S_RFLAGS, getFlags());
  store<u64>(STATE + S_TICKS, ticks);
}

// The clock, the budget and the instruction's start RIP live in locals while a
// trace runs; the globals are written only around a generic instruction (which
// may read them: RDTSC, the trace ring, REP's per-iteration budget) and when
// the loop leaves. Fast forms read only `rip`, so it alone is set per
// instruction, and they say themselves whether the trace goes straight on.
// Both paths count exactly as one instruction at a time would.
export function runLoop(n: i64): u32 {
  loadState();
  clearExc();
  resetAccess();
  setBudget(n);
  store<u32>(STATE + S_EXIT_REASON, EXIT_BUDGET);
  store<u32>(STATE + S_EXIT_VECTOR, NO_VECTOR);
  // Resuming after a probe exit: its instruction first, by itself (exec/probe.ts).
  if (load<u32>(STATE + S_PROBE_SKIP) != 0 && n > 0) stepOverProbe();
  let tk = ticks;
  let bg = budget;
  if (exc == 0) while (bg > 0) {
    const r = rip;
    const s = tcSet(r);
    const tag = tcTag(r);
    let t = tcFind(s, tag);
    if (t == 0) {
      t = tcVictim(s);
      setInstRip(r);
      if (!buildTrace(r, t)) break; // fetch fault: RIP stays, nothing retired
      store<u64>(t, tag);
      tcRestoreJit(t, r, tag);
    }
    if (jitThreshold != 0) {
      // The second tier (jit/entry.ts): compiled code runs the trace, or it is counted towards compiling it.
      const j = load<u32>(t + TC_JIT);
      if (j >= JIT_ENTRY) {
        const left = enterCompiled(j, bg);
        if (left < bg) { tk += bg - left; bg = left; continue; }
      } else if (countRun(t, r, j)) break;
    }
    const epoch = dcEpoch;
    let count = <i64>load<u16>(t + TC_COUNT);
    if (count > bg) count = bg;
    let d: usize = t + TC_HEADER;
    let start = r;
    // bg > 0 too: a REP instruction spends budget on its iterations, and the slice must end
    // where it would with any other trace boundaries (the JIT's: test/cpu/jit-lockstep.test.ts).
    for (let i: i64 = 0; i < count && bg > 0; i++) {
      const next = start + <u64>load<u8>(d + D_LEN);
      setRip(next);
      tk++;
      bg--;
      const f = <u32>load<u8>(d + D_FAST);
      if (f != 0) {
        if (execFast(f, d, next, epoch)) { start = next; d += DC_SLOT_SIZE; continue; }
      } else {
        setInstRip(start);
        setTicks(tk);
        setBudget(bg);
        execute(d);
        tk = ticks;
        bg = budget;
      }
      if (exc != 0) {
        setInstRip(start);
        settleNonCanonical(d);
        if (!isTrap(exc)) {
          // A fault: the instruction did not retire; RIP stays on it.
          setRip(start);
          tk--;
          bg++;
        }
        break;
      }
      // Control went elsewhere, or a store hit decoded code: look up again.
      if (rip != next || dcEpoch != epoch) break;
      start = next;
      d += DC_SLOT_SIZE;
    }
    if (exc != 0) break;
  }
  setTicks(tk);
  setBudget(bg);
  if (exc != 0) {
    store<u64>(STATE + S_EXIT_RIP, instRip);
    if (load<u32>(STATE + S_EXIT_VECTOR) == NO_VECTOR) store<u32>(STATE + S_EXIT_VECTOR, vectorOf(exc));
  }
  saveState();
  return load<u32>(STATE + S_EXIT_REASON);
}
