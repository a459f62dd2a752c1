// src/kernel/README.md's syscall list, made from the table's rows: what each implemented call
// supports, and the ENOSYS calls grouped by why. scripts/gen-syscall-docs.mjs writes it between
// the README's markers; test/kernel/syscall-table.test.ts fails when the README differs.
import type { SyscallRow } from "./table.js";

export const DOCS_BEGIN = "<!-- syscalls: generated from src/kernel/syscalls/table.ts by scripts/gen-syscall-docs.mjs -->";
export const DOCS_END = "<!-- syscalls: end -->";

export function syscallDocs(rows: SyscallRow[]): string {
  const out = ["| nr | syscall | area | support |", "|---:|---|---|---|"];
  for (const r of rows) if (r.area) out.push(`| ${r.nr} | ${r.name} | ${r.area} | ${r.support.replace(/\|/g, "\\|")} |`);
  const why = new Map<string, string[]>();
  for (const r of rows) {
    if (r.area) continue;
    const reason = r.support.replace(/^ENOSYS:?\s*/, "") || "not implemented";
    why.set(reason, [...(why.get(reason) ?? []), r.name]);
  }
  out.push("", `ENOSYS (${rows.filter((r) => !r.area).length} calls; the first of each is reported once):`, "");
  for (const [reason, names] of why) out.push(`- ${reason}: ${names.join(" ")}`);
  return out.join("\n");
}

// The README with its generated section replaced by `section`.
export function withSection(readme: string, section: string): string {
  const b = readme.indexOf(DOCS_BEGIN), e = readme.indexOf(DOCS_END);
  if (b < 0 || e < b) throw new Error("src/kernel/README.md: the generated syscall section's markers are missing");
  return readme.slice(0, b + DOCS_BEGIN.length) + "\n" + section + "\n" + readme.slice(e);
}
