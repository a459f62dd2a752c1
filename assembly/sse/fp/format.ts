// The two binary formats SSE computes in, and their bit-level classification.
// A value travels as a u64 holding its bit pattern (binary32 in the low half).

export const F32: u32 = 0;
export const F64: u32 = 1;

@inline export function precision(fmt: u32): u32 { return fmt == F64 ? 53 : 24; }
@inline export function bias(fmt: u32): i32 { return fmt == F64 ? 1023 : 127; }
@inline export function expField(fmt: u32): u32 { return fmt == F64 ? 0x7FF : 0xFF; }
@inline export function signBitOf(fmt: u32): u64 { return fmt == F64 ? 0x8000000000000000 : 0x80000000; }
@inline export function quietBit(fmt: u32): u64 { return fmt == F64 ? 0x0008000000000000 : 0x00400000; }
@inline export function fracMask(fmt: u32): u64 { return fmt == F64 ? 0x000FFFFFFFFFFFFF : 0x007FFFFF; }
@inline export function infOf(fmt: u32): u64 { return fmt == F64 ? 0x7FF0000000000000 : 0x7F800000; }
// The "QNaN floating-point indefinite" x86 produces for invalid operations.
@inline export function defaultNaN(fmt: u32): u64 { return fmt == F64 ? 0xFFF8000000000000 : 0xFFC00000; }

@inline export function expOf(bits: u64, fmt: u32): u32 {
  return fmt == F64 ? <u32>(bits >> 52) & 0x7FF : <u32>(bits >> 23) & 0xFF;
}
@inline export function isNaN(bits: u64, fmt: u32): bool {
  return expOf(bits, fmt) == expField(fmt) && (bits & fracMask(fmt)) != 0;
}
@inline export function isSNaN(bits: u64, fmt: u32): bool {
  return isNaN(bits, fmt) && (bits & quietBit(fmt)) == 0;
}
@inline export function isDenormal(bits: u64, fmt: u32): bool {
  return expOf(bits, fmt) == 0 && (bits & fracMask(fmt)) != 0;
}
@inline export function quiet(bits: u64, fmt: u32): u64 { return bits | quietBit(fmt); }
