// The contract between the guest's serial port (/dev/ttyS0 in src/kernel) and
// whatever sits on the other end of the wire (the drone in src/drone, or a test
// double). Time is virtual nanoseconds; bytes move at the link's baud rate.

export interface SerialEndpoint {
  // The guest wrote `data` to the port at virtual time `nowNs`.
  write(data: Uint8Array, nowNs: bigint): void;
  // Bytes from the device that have arrived by `nowNs`, at most `max` (consumed).
  read(max: number, nowNs: bigint): Uint8Array;
  // How many bytes have arrived by `nowNs` and are not read yet.
  available(nowNs: bigint): number;
  // Virtual time at which the next not-yet-arrived byte will arrive, or null when
  // nothing is in flight and nothing will come unless the guest writes first.
  nextArrival(nowNs: bigint): bigint | null;
}
