// The contract between the guest's serial port (/dev/ttyS0 in src/kernel) and
// whatever sits on the other end of the wire (the drone in src/drone, or a test
// double). Time is virtual nanoseconds as integer numbers (the kernel's clock,
// exact below 2^53); bytes move at the link's baud rate.

export interface SerialEndpoint {
  // The guest wrote `data` to the port at virtual time `nowNs`.
  write(data: Uint8Array, nowNs: number): void;
  // Copies bytes from the device that have arrived by `nowNs` into `into` (at most its
  // length, consumed) and returns how many. The caller's buffer: nothing is allocated per read.
  readInto(into: Uint8Array, nowNs: number): number;
  // How many bytes have arrived by `nowNs` and are not read yet.
  available(nowNs: number): number;
  // Virtual time at which the next not-yet-arrived byte will arrive, or null when
  // nothing is in flight and nothing will come unless the guest writes first.
  nextArrival(nowNs: number): number | null;
}
