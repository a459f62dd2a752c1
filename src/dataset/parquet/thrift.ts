// Thrift's compact protocol, the writing half, as far as Parquet's metadata
// needs it (parquet.thrift: FileMetaData, PageHeader and what they hold):
// structs of fields with ids, i32/i64 as zigzag varints, binary, bool, lists.
import { Bytes } from "./bytes.js";

export const enum CT { TRUE = 1, FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, BINARY = 8, LIST = 9, STRUCT = 12 }

const utf8 = new TextEncoder();

export class ThriftWriter {
  private last = 0;
  private readonly stack: number[] = [];
  constructor(readonly out: Bytes) {}

  private field(id: number, type: number): void {
    const d = id - this.last;
    if (d > 0 && d <= 15) this.out.byte((d << 4) | type);
    else { this.out.byte(type); this.out.zigzag(id); }
    this.last = id;
  }

  i32(id: number, v: number): this { this.field(id, CT.I32); this.out.zigzag(v); return this; }
  i64(id: number, v: number): this { this.field(id, CT.I64); this.out.zigzag(v); return this; }
  byte(id: number, v: number): this { this.field(id, CT.BYTE); this.out.byte(v & 0xff); return this; }
  bool(id: number, v: boolean): this { this.field(id, v ? CT.TRUE : CT.FALSE); return this; }
  binary(id: number, v: Uint8Array): this { this.field(id, CT.BINARY); this.out.varint(v.length); this.out.bytes(v); return this; }
  string(id: number, v: string): this { return this.binary(id, utf8.encode(v)); }

  // A struct field: its fields are written by `body`.
  struct(id: number, body: (w: this) => void): this {
    this.field(id, CT.STRUCT);
    this.begin();
    body(this);
    return this.end();
  }

  // A list field of `n` elements of `type`; `each(i)` writes element i (for structs: begin..end around it).
  list(id: number, type: CT, n: number, each: (i: number) => void): this {
    this.field(id, CT.LIST);
    if (n < 15) this.out.byte((n << 4) | type);
    else { this.out.byte(0xf0 | type); this.out.varint(n); }
    for (let i = 0; i < n; i++) each(i);
    return this;
  }

  // List elements (no field header).
  elemI32(v: number): void { this.out.zigzag(v); }
  elemString(v: string): void { const b = utf8.encode(v); this.out.varint(b.length); this.out.bytes(b); }
  elemStruct(body: (w: this) => void): void { this.begin(); body(this); this.end(); }

  // The top-level struct (the caller's message).
  begin(): this { this.stack.push(this.last); this.last = 0; return this; }
  end(): this { this.out.byte(0); this.last = this.stack.pop()!; return this; }
}
