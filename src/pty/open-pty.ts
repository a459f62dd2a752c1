// A host pseudo-terminal pair through node-pty's native binding. Only the
// binding's open() is used: the JS wrapper's destroy() signals pid -1 (every
// process we may signal), so the descriptors are closed here, by hand.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { closeSync } from "node:fs";

interface NativePty { open(cols: number, rows: number): { master: number; slave: number; pty: string } }

export interface PtyPair { master: number; slave: number; path: string; close(): void }

// node-pty is an optional dependency (it compiles at install time; there is no
// Linux prebuild), so it is loaded here, by `drone --pty` alone, and its absence
// is one clear line rather than a module-resolution trace.
export function loadNativePty(): NativePty {
  const require = createRequire(import.meta.url);
  try {
    return require("node-pty/build/Release/pty.node") as NativePty;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "MODULE_NOT_FOUND" && code !== "ERR_DLOPEN_FAILED") throw e;
    throw new Error(
      "drone --pty needs node-pty, an optional dependency that is not installed or did not build " +
        "(it compiles at install time: python3, make, g++ and Node's headers); install those and run the install again",
    );
  }
}

export function openPty(): PtyPair {
  const native = loadNativePty();
  const { master, slave, pty } = native.open(80, 24);
  // Raw, no echo, no output processing, before any controller opens it.
  execFileSync("stty", ["-F", pty, "raw", "-echo", "-onlcr"], { stdio: "ignore" });
  let open = true;
  return {
    master, slave, path: pty,
    close() {
      if (!open) return;
      open = false;
      closeSync(slave);
    },
  };
}
