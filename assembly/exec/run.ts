// The run loop: fetch a decoded instruction from the cache (decoding it on a
// miss), execute it, repeat until the budget is spent or an exit is pending.
// Like KVM_RUN, it returns the exit reason to the host, which handles it and
// calls run() again. Nothing here allocates or calls into JS.
import { STATE, S_RIP, S_RFLAGS, S_TICKS, S_EXIT_REASON, S_EXIT_RIP, DC_TAGS, DC_SLOTS, DC_ENTRIES, DC_SLOT_SIZE } from "../memmap";
import { rip, setRip, setInstRip, instRip, ticks, setTicks, exc, clearExc, budget, setBudget, addTick } from "../cpu/state";
import { setFlagsValue, getFlags } from "../cpu/flags";
import { EXIT_BUDGET, EXIT_SYSCALL, EXIT_HLT, EXIT_INT3 } from "../cpu/exits";
import { decode } from "../decoder/decode";
import { dcEpoch } from "../decoder/cacheflush";
import { D_LEN } from "../decoder/slot";
import { execute } from "./dispatch";

// Exits that happen after the instruction retired (RIP already past it).
@inline function isTrap(reason: u32): bool { return reason == EXIT_SYSCALL || reason == EXIT_HLT || reason == EXIT_INT3; }

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

export function runLoop(n: i64): u32 {
  loadState();
  clearExc();
  setBudget(n);
  store<u32>(STATE + S_EXIT_REASON, EXIT_BUDGET);
  while (budget > 0) {
    const r = rip;
    const idx = <u32>(r ^ (r >> 16)) & (DC_ENTRIES - 1);
    const tag = r | (dcEpoch << 48);
    const d: usize = DC_SLOTS + idx * DC_SLOT_SIZE;
    setInstRip(r);
    if (load<u64>(DC_TAGS + (idx << 3)) != tag) {
      if (!decode(r, d)) break;
      store<u64>(DC_TAGS + (idx << 3), tag);
    }
    setRip(r + <u64>load<u8>(d + D_LEN));
    addTick();
    setBudget(budget - 1);
    execute(d);
    if (exc != 0) {
      if (!isTrap(exc)) {
        // A fault: the instruction did not retire; RIP stays on it.
        setRip(instRip);
        setTicks(ticks - 1);
        setBudget(budget + 1);
      }
      break;
    }
  }
  // (a fetch fault in decode() leaves RIP on the instruction and retires nothing)
  if (exc != 0) store<u64>(STATE + S_EXIT_RIP, instRip);
  saveState();
  return load<u32>(STATE + S_EXIT_REASON);
}
