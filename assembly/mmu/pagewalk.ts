// The 4-level x86-64 page walk from CR3 (4 KiB, 2 MiB and 1 GiB pages), with
// U/S, R/W and NX checks and accessed/dirty bits, as the hardware does it.
import { STATE, S_CR3, S_EFER, S_PHYS_SIZE, PHYS_BASE } from "../memmap";
import { PF_PRESENT, PF_WRITE, PF_USER, PF_FETCH, PF_RSVD } from "../cpu/exits";

export const ACC_READ: u32 = 0;
export const ACC_WRITE: u32 = 1;
export const ACC_FETCH: u32 = 2;

const PTE_P: u64 = 1;
const PTE_RW: u64 = 2;
const PTE_US: u64 = 4;
const PTE_A: u64 = 0x20;
const PTE_D: u64 = 0x40;
const PTE_PS: u64 = 0x80;
const PTE_NX: u64 = <u64>1 << 63;
const ADDR_MASK: u64 = 0x000F_FFFF_FFFF_F000;

// Result of the last walk: the page fault error code (0 = success) and the physical address.
export let walkError: u32 = 0;
export let walkPhys: u64 = 0;
export function resetPageWalk(): void { walkError = 0; walkPhys = 0; }

@inline function physOk(p: u64): bool { return p + 8 <= load<u64>(STATE + S_PHYS_SIZE); }

// Whether bits 63..47 of an address are all equal (48-bit virtual addresses).
@inline export function canonical(a: u64): bool { const top = <i64>a >> 47; return top == 0 || top == -1; }

// Translate a linear address for a user-mode access. On success walkError = 0 and
// walkPhys holds the physical address; otherwise walkError is the #PF error code
// (or 0xFFFFFFFF for a non-canonical address, which is #GP).
export function walk(vaddr: u64, access: u32): void {
  walkError = 0;
  if (!canonical(vaddr)) { walkError = 0xFFFFFFFF; return; }
  const nxe = (load<u64>(STATE + S_EFER) & 0x800) != 0;
  let base = load<u64>(STATE + S_CR3) & ADDR_MASK;
  let user: bool = true, writable: bool = true, exec: bool = true;
  let errBase: u32 = PF_USER | (access == ACC_WRITE ? PF_WRITE : 0) | (access == ACC_FETCH && nxe ? PF_FETCH : 0);
  let shift: u32 = 39;
  for (let level = 4; level >= 1; level--) {
    const idx = (vaddr >> shift) & 511;
    const ea = base + (idx << 3);
    if (!physOk(ea)) { walkError = errBase | PF_RSVD; return; }
    const lin = <usize>(PHYS_BASE + ea);
    let e = load<u64>(lin);
    if ((e & PTE_P) == 0) { walkError = errBase; return; }
    if ((e & PTE_US) == 0) user = false;
    if ((e & PTE_RW) == 0) writable = false;
    if (nxe && (e & PTE_NX) != 0) exec = false;
    const leaf = level == 1 || ((e & PTE_PS) != 0 && level <= 3);
    if (leaf) {
      if (!user || (access == ACC_WRITE && !writable) || (access == ACC_FETCH && !exec)) {
        walkError = errBase | PF_PRESENT; return;
      }
      let ne = e | PTE_A;
      if (access == ACC_WRITE) ne |= PTE_D;
      if (ne != e) store<u64>(lin, ne);
      const pageMask: u64 = (<u64>1 << shift) - 1;
      walkPhys = (e & ADDR_MASK & ~pageMask) | (vaddr & pageMask);
      return;
    }
    if ((e & PTE_A) == 0) store<u64>(lin, e | PTE_A);
    base = e & ADDR_MASK;
    shift -= 9;
  }
}
