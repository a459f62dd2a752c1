// A file's size and sha256 (lowercase hex) from its bytes, as the manifest and
// the dataset index record them.
import { createHash } from "node:crypto";

export interface Checksum {
  bytes: number;
  sha256: string;
}

export function checksum(b: Uint8Array): Checksum {
  return { bytes: b.length, sha256: createHash("sha256").update(b).digest("hex") };
}
