// The guest's wall clock starts at 2019-01-01T00:00:00Z (docs/dataset.md): at
// virtual time t ns it reads 1546300800 s + t ns. LID-DS's times are since the
// Unix epoch: nanoseconds in `.sc` lines, seconds in the JSON and `.res`.
export const GUEST_EPOCH_S = 1546300800;

/** Virtual ns (a safe integer, 0 or more) as decimal nanoseconds since the Unix epoch, exactly. */
export function epochNs(t: number): string {
  const s = Math.floor(t / 1e9);
  return `${GUEST_EPOCH_S + s}${String(t - s * 1e9).padStart(9, "0")}`;
}

/** Virtual ns as seconds since the Unix epoch, exact in the text (9 decimals). */
export function epochSecondsText(t: number): string {
  const s = Math.floor(t / 1e9);
  return `${GUEST_EPOCH_S + s}.${String(t - s * 1e9).padStart(9, "0")}`;
}

/** The same as a JSON number (a double: within a microsecond at these magnitudes). */
export const epochSeconds = (t: number): number => Number(epochSecondsText(t));
