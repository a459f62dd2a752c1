// Invalidation of the decoded-trace cache. Tags carry a generation in their top 16 bits: each
// address space (CR3) whose traces the cache holds has its own (the SPACES table), `dcEpoch` is the
// running one's. A process switch makes the new space's generation current (a fresh one if it has
// none), so a switch back finds its traces; two spaces with different code at one address never
// share a trace. Each physical page's code mark (CODE_PAGES, a u16) has a bit per SPACES entry
// whose space decoded from it: a code page written or freed drops only those spaces' generations
// (a new one for the running space, its entry freed for another), and the page table or probes of
// one space changing drop only its own (`dropSpace`). A flush (fast forms, the JIT's table full,
// a probe of every space, EFER) hands out a new generation and forgets every space's. A real
// clear every 65534 generations.
import { STATE, S_CR3, TC_BASE, TC_BLOCK, TC_ENTRIES, CODE_PAGES, MAX_PHYS_PAGES, SPACES, SPACE_MAX, SPACE_ENTRY } from "../memmap";
import { clearKept, builtInGeneration, setBuiltInGeneration } from "./tcache";

// The running address space's generation.
export let dcEpoch: u64 = 1;
let dcLast: u64 = 1;      // the last generation handed out
let spaceNext: u32 = 0;   // the SPACES entry a space takes next when none is free (round robin)
// The running space's SPACES entry, and its bit in the code-page marks (decode.ts sets it).
let dcSpace: u32 = 0;
export let dcMark: u32 = 1;
// 0: a code page written or freed, and one space's page-table or probe change, drop every space
// (as before the marks; SKYTRACE_SPACE_FLUSH=0, for measuring what the marks save: bench/space-flush.ts).
let perSpace: bool = true;
// The traces, the kept words, the marks and SPACES live in the fixed area, which reset() zeroes.
export function resetDcEpoch(): void { dcEpoch = 1; dcLast = 1; spaceNext = 0; dcFlushes = 0; dcSpace = 0; dcMark = 1; dcDrops = 0; perSpace = true; }

// Every flush, counted (the generations wrap, this does not; a switch is not a flush, nor is a
// drop of some spaces): the JIT's host side knows by it that code it compiled since the last one is
// still what the guest runs (src/machine/jit/jit.ts; a dropped space's old generation is never
// handed out again before a wrap, which counts here, so what it keyed by that generation is
// unreachable, not wrong). Only a reset() zeroes it, and the host's Jit.reset() forgets then too.
export let dcFlushes: u64 = 0;
// Drops of one space's generation (code written or freed, its page tables or probes changed).
export let dcDrops: u64 = 0;

export function setSpaceFlush(on: bool): void { perSpace = on; dcFlush(); }

function forgetSpaces(): void { memory.fill(SPACES, 0, SPACE_MAX * SPACE_ENTRY); }

// A generation no tag in the cache carries. The wrap is a flush (counted: the JIT's host side keys
// what it knows by generation, and a number handed out again must not find it), even when a switch
// to a new space made it; it forgets every space, so the caller remembers the running one after.
function newGeneration(): u64 {
  dcLast++;
  if (dcLast >= 0xFFFF) {
    dcFlushes++;
    for (let i: u32 = 0; i < TC_ENTRIES; i++) store<u64>(TC_BASE + i * TC_BLOCK, 0);
    clearKept();
    forgetSpaces();
    memory.fill(CODE_PAGES, 0, MAX_PHYS_PAGES * 2);
    // Not the running one's: the run loop tells a flush in the middle of a trace (a store to its
    // code) by dcEpoch changing (exec/run.ts, exec/fast.ts).
    dcLast = dcEpoch == 1 ? 2 : 1;
  }
  return dcLast;
}

// The running space (CR3) takes generation `gen`: a free entry if there is one, else the next in
// turn (the space there is pushed out: its traces are unreachable from then on; its bits on code
// pages stay, and only cost the new owner a drop it did not need).
function remember(cr3: u64, gen: u64): void {
  let i: u32 = 0;
  while (i < SPACE_MAX && load<u64>(SPACES + i * SPACE_ENTRY, 8) != 0) i++;
  if (i == SPACE_MAX) { i = spaceNext; spaceNext = (spaceNext + 1) & (SPACE_MAX - 1); }
  const e = SPACES + i * SPACE_ENTRY;
  store<u64>(e, cr3);
  store<u64>(e, gen, 8);
  dcSpace = i;
  dcMark = 1 << i;
  setBuiltInGeneration(false);
}

// Every space's traces, and every code-page mark.
export function dcFlush(): void {
  dcFlushes++;
  forgetSpaces();
  memory.fill(CODE_PAGES, 0, MAX_PHYS_PAGES * 2);
  dcEpoch = newGeneration();
  remember(load<u64>(STATE + S_CR3), dcEpoch);
}

// The running space's traces: a new generation for it, in its own entry (its bit on the pages it
// decoded stays its bit); none if no trace was built in its generation yet.
function dropRunning(): void {
  if (!builtInGeneration) return;
  dcDrops++;
  dcEpoch = newGeneration();   // a wrap forgets every space: the entry is written whole
  const e = SPACES + dcSpace * SPACE_ENTRY;
  store<u64>(e, load<u64>(STATE + S_CR3));
  store<u64>(e, dcEpoch, 8);
  setBuiltInGeneration(false);
}

// The traces of the space in SPACES entry `i`.
function dropEntry(i: u32): void {
  if (i == dcSpace) { dropRunning(); return; }
  const e = SPACES + i * SPACE_ENTRY;
  if (load<u64>(e, 8) == 0) return;
  dcDrops++;
  store<u64>(e, 0, 8);   // free: the space takes a fresh generation when it runs again
}

// The page tables or the probes of the space rooted at `cr3` changed: its traces go (all, with
// the marks off).
export function dcDropSpace(cr3: u64): void {
  if (!perSpace) { dcFlush(); return; }
  if (cr3 == load<u64>(STATE + S_CR3)) { dropRunning(); return; }
  for (let i: u32 = 0; i < SPACE_MAX; i++) {
    const e = SPACES + i * SPACE_ENTRY;
    if (load<u64>(e) == cr3 && load<u64>(e, 8) != 0) dropEntry(i);
  }
}

// CR3 changed: the new space's generation, or a fresh one (a space pushed out of SPACES by later
// ones gets a fresh one too: its traces are unreachable from then on).
export function dcSwitch(): void {
  const cr3 = load<u64>(STATE + S_CR3);
  for (let i: u32 = 0; i < SPACE_MAX; i++) {
    const e = SPACES + i * SPACE_ENTRY;
    const gen = load<u64>(e, 8);
    if (gen != 0 && load<u64>(e) == cr3) { dcEpoch = gen; dcSpace = i; dcMark = 1 << i; setBuiltInGeneration(true); return; }
  }
  dcEpoch = newGeneration();
  remember(cr3, dcEpoch);
}

// A new address space's root is at `cr3`: a destroyed space with that root frame may have left a
// generation there. The running space's (CR3 not rewritten since): a new generation for it.
export function dcForget(cr3: u64): void {
  if (cr3 == load<u64>(STATE + S_CR3)) { if (perSpace) dropRunning(); else dcFlush(); return; }
  for (let i: u32 = 0; i < SPACE_MAX; i++) {
    const e = SPACES + i * SPACE_ENTRY;
    if (load<u64>(e) == cr3) store<u64>(e, 0, 8);
  }
}

// A store hit a physical page that holds decoded code, or the page was freed: the spaces that
// decoded from it lose their traces (re-decoded on demand), and the page its mark.
export function codePageWritten(ppn: u64): void {
  if (ppn >= <u64>MAX_PHYS_PAGES) return;
  const at = CODE_PAGES + (<u32>ppn << 1);
  const mark = <u32>load<u16>(at);
  if (mark == 0) return;
  if (!perSpace) { dcFlush(); return; }
  store<u16>(at, 0);
  for (let i: u32 = 0; i < SPACE_MAX; i++) if (mark & (1 << i)) dropEntry(i);
}
