// Guest physical RAM: a frame allocator over the core's linear memory. Frames
// are handed out from a free list, then by bumping; RAM grows on demand.
import type { CoreExports } from "./core.js";

export const PAGE = 4096;
const GROW_STEP = 16 * 1024 * 1024;

export class PhysMem {
  private next = PAGE; // frame 0 is never handed out (a null physical address stays invalid)
  private free: number[] = [];
  private size = 0;
  private u8!: Uint8Array;
  private dv!: DataView;
  // Where guest physical address 0 sits in linear memory (asked of the core, so a
  // core built with another memory map still works).
  readonly base: number;

  constructor(private core: CoreExports, private limit = 3 * 1024 * 1024 * 1024) {
    this.base = core.physBase();
    this.ensure(GROW_STEP);
  }

  // After the core's reset (which zeroed the RAM it had and its size): no frame
  // in use and the first 16 MiB available, as in a new PhysMem. Linear memory
  // that grew for a big flight stays allocated (WebAssembly memory cannot
  // shrink) but is zero and outside the guest's RAM until a flight needs it.
  reset(): void {
    this.next = PAGE;
    this.free = [];
    this.size = 0;
    this.ensure(GROW_STEP);
  }

  // Bytes of linear memory the instance holds (guest RAM and everything below it).
  get linearBytes(): number { return this.core.memory.buffer.byteLength; }

  get bytes(): Uint8Array { this.refresh(); return this.u8; }
  get view(): DataView { this.refresh(); return this.dv; }

  // Views go stale when linear memory grows (the old buffer is detached and
  // the view's length drops to 0, which is cheaper to check than the buffer).
  private refresh(): void {
    if (!this.u8 || this.u8.length === 0) {
      this.u8 = new Uint8Array(this.core.memory.buffer);
      this.dv = new DataView(this.core.memory.buffer);
    }
  }

  private ensure(bytes: number): void {
    if (bytes <= this.size) return;
    const want = Math.min(this.limit, Math.ceil(bytes / GROW_STEP) * GROW_STEP);
    if (want < bytes || this.core.setPhysSize(want) < 0) throw new Error("skytrace: out of guest physical memory");
    this.size = want;
    this.refresh();
  }

  // A zeroed 4 KiB frame; returns its physical address.
  alloc(): number {
    let pa = this.free.pop();
    if (pa === undefined) {
      pa = this.next;
      this.next += PAGE;
      this.ensure(this.next);
    }
    this.bytes.fill(0, this.base + pa, this.base + pa + PAGE);
    return pa;
  }

  /** Whether the frame at `pa` holds decoded code (releasing or writing it drops the core's decoded cache). */
  holdsCode(pa: number): boolean { return this.core.isCodePage(Math.floor(pa / PAGE)) !== 0; }

  release(pa: number): void {
    this.core.codeWritten(pa, PAGE);
    this.free.push(pa);
  }

  /** A frame became an address space's page-table root (src/machine/paging.ts). */
  newRoot(pa: number): void { this.core.newSpace(pa); }

  framesInUse(): number { return this.next / PAGE - 1 - this.free.length; }
  /** Whether no frame was handed out since this PhysMem was made or reset. */
  get untouched(): boolean { return this.next === PAGE; }

  // The host wrote guest RAM at linear offset `lin`: drop decoded code there.
  codeWrittenAt(lin: number, len: number): void { this.core.codeWritten(lin - this.base, len); }

  // Linear-memory offset of a physical address.
  lin(pa: number): number { return this.base + pa; }

  read64(pa: number): bigint { return this.view.getBigUint64(this.base + pa, true); }
  write64(pa: number, v: bigint): void { this.view.setBigUint64(this.base + pa, v, true); }
}
