// A host pseudo-terminal pair through node-pty's native binding. Only the
// binding's open() is used: the JS wrapper's destroy() signals pid -1 (every
// process we may signal), so the descriptors are closed here, by hand.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { closeSync } from "node:fs";

interface NativePty { open(cols: number, rows: number): { master: number; slave: number; pty: string } }

export interface PtyPair { master: number; slave: number; path: string; close(): void }

export function openPty(): PtyPair {
  const require = createRequire(import.meta.url);
  const native = require("node-pty/build/Release/pty.node") as NativePty;
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
