// Compile the AssemblyScript core to build/core.wasm (release) and
// build/core.debug.wasm (assertions, names), failing loudly on any error,
// after generating assembly/decoder/insns.ts from the instruction table.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

mkdirSync("build", { recursive: true });
// The instruction table's compiled-in part first (src/isa/table.ts -> assembly/decoder/insns.ts).
{
  const r = spawnSync(process.execPath, ["scripts/gen-insn-table.mjs"], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-core: gen-insn-table failed (status ${r.status})`);
    process.exit(1);
  }
}
for (const target of ["release", "debug"]) {
  const r = spawnSync(process.execPath, ["node_modules/assemblyscript/bin/asc.js", "assembly/index.ts", "--target", target], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-core: asc --target ${target} failed (status ${r.status})`);
    process.exit(1);
  }
}
