// Writes src/kernel/README.md's syscall list from the table's rows (src/kernel/syscalls/table.ts,
// through its build in dist/). Run after `npm run build:ts`; the test test/kernel/syscall-table.test.ts
// fails while the README differs from what this writes.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { SYSCALLS } = await import(path.join(root, "dist/src/kernel/syscalls/table.js"));
const { syscallDocs, withSection } = await import(path.join(root, "dist/src/kernel/syscalls/docs.js"));
const file = path.join(root, "src/kernel/README.md");
const before = readFileSync(file, "utf8");
const after = withSection(before, syscallDocs(SYSCALLS));
if (after !== before) writeFileSync(file, after);
console.log(`gen-syscall-docs: ${after === before ? "already up to date" : "src/kernel/README.md rewritten"}`);
