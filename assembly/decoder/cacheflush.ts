// Invalidation of the decoded-trace cache. Tags carry a generation in their top 16 bits: each
// address space (CR3) whose traces the cache holds has its own (the SPACES table), `dcEpoch` is the
// running one's. A process switch makes the new space's generation current (a fresh one if it has
// none), so a switch back finds its traces; two spaces with different code at one address never
// share a trace. A flush (code written, a frame freed, page tables changed, probes, the JIT's
// table full) hands out a new generation and forgets every space's: invalidation is exact by being
// global (a code page may be shared by several spaces). A real clear every 65534 generations.
import { STATE, S_CR3, TC_BASE, TC_BLOCK, TC_ENTRIES, CODE_PAGES, MAX_PHYS_PAGES, SPACES, SPACE_MAX, SPACE_ENTRY } from "../memmap";
import { clearKept } from "./tcache";

// The running address space's generation.
export let dcEpoch: u64 = 1;
let dcLast: u64 = 1;      // the last generation handed out
let spaceNext: u32 = 0;   // the SPACES entry a space takes next (round robin)
// The traces, the kept words and SPACES live in the fixed area, which reset() zeroes.
export function resetDcEpoch(): void { dcEpoch = 1; dcLast = 1; spaceNext = 0; dcFlushes = 0; }

// Every flush, counted (the generations wrap, this does not; a switch is not a flush): the JIT's
// host side knows by it that code it compiled since the last one is still what the guest runs
// (src/machine/jit/jit.ts). Only a reset() zeroes it, and the host's Jit.reset() forgets what it
// knew then too.
export let dcFlushes: u64 = 0;

function forgetSpaces(): void { memory.fill(SPACES, 0, SPACE_MAX * SPACE_ENTRY); }

// A generation no tag in the cache carries. The wrap is a flush (counted: the JIT's host side keys
// what it knows by generation, and a number handed out again must not find it), even when a switch
// to a new space made it.
function newGeneration(): u64 {
  dcLast++;
  if (dcLast >= 0xFFFF) {
    dcFlushes++;
    for (let i: u32 = 0; i < TC_ENTRIES; i++) store<u64>(TC_BASE + i * TC_BLOCK, 0);
    clearKept();
    forgetSpaces();
    // Not the running one's: the run loop tells a flush in the middle of a trace (a store to its
    // code) by dcEpoch changing (exec/run.ts, exec/fast.ts).
    dcLast = dcEpoch == 1 ? 2 : 1;
  }
  return dcLast;
}

function remember(cr3: u64, gen: u64): void {
  const e = SPACES + spaceNext * SPACE_ENTRY;
  spaceNext = (spaceNext + 1) & (SPACE_MAX - 1);
  store<u64>(e, cr3);
  store<u64>(e, gen, 8);
}

export function dcFlush(): void {
  dcFlushes++;
  forgetSpaces();
  dcEpoch = newGeneration();
  remember(load<u64>(STATE + S_CR3), dcEpoch);
}

// CR3 changed: the new space's generation, or a fresh one (a space pushed out of SPACES by later
// ones gets a fresh one too: its traces are unreachable from then on).
export function dcSwitch(): void {
  const cr3 = load<u64>(STATE + S_CR3);
  for (let i: u32 = 0; i < SPACE_MAX; i++) {
    const e = SPACES + i * SPACE_ENTRY;
    const gen = load<u64>(e, 8);
    if (gen != 0 && load<u64>(e) == cr3) { dcEpoch = gen; return; }
  }
  dcEpoch = newGeneration();
  remember(cr3, dcEpoch);
}

// A new address space's root is at `cr3`: a destroyed space with that root frame may have left a
// generation there. The running space's (CR3 not rewritten since): a flush.
export function dcForget(cr3: u64): void {
  if (cr3 == load<u64>(STATE + S_CR3)) { dcFlush(); return; }
  for (let i: u32 = 0; i < SPACE_MAX; i++) {
    const e = SPACES + i * SPACE_ENTRY;
    if (load<u64>(e) == cr3) store<u64>(e, 0, 8);
  }
}

// A store hit a physical page that holds decoded code: forget the page's code
// mark and every decoded instruction (they are re-decoded on demand).
export function codePageWritten(ppn: u64): void {
  if (ppn < <u64>MAX_PHYS_PAGES && load<u8>(CODE_PAGES + <u32>ppn) != 0) {
    memory.fill(CODE_PAGES, 0, MAX_PHYS_PAGES);
    dcFlush();
  }
}
