// File mappings (test/kernel/sysroot/filemap.c) of a file imported from the host (--fs) and of a
// file the program writes, emulated against native: the same output. Pages come from the file
// when first touched (src/kernel/mm/backing.ts).
import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, tmp, runGuest, native, coreRunsGlibc } from "./helpers.js";

const ready = coreRunsGlibc();
let dir: string, exe: string, data: string;

beforeAll(() => {
  if (!ready) return;
  dir = tmp();
  exe = build(dir, "filemap", readFileSync(path.join(__dirname, "sysroot/filemap.c"), "utf8"), "c");
  mkdirSync(path.join(dir, "shared"));
  data = path.join(dir, "shared", "pages.bin");
  // Five pages and a half, page i filled with 'A' + i.
  writeFileSync(data, Buffer.concat([0, 1, 2, 3, 4, 5].map((i) => Buffer.alloc(i < 5 ? 4096 : 2048, 65 + i))));
});

describe.skipIf(!ready)("file mappings", () => {
  it("offsets, private writes, shared read-only, MAP_FIXED over a span, mprotect, munmap, mremap, fork: as natively", () => {
    const n = path.join(dir, "native"), e = path.join(dir, "emu");
    mkdirSync(n); mkdirSync(e);
    const want = native(exe, [data], n);
    expect(want.stdout).toContain("untouched private page after the file changed: X");
    const got = runGuest(exe, [data], { cwd: e, fsDirs: [path.join(dir, "shared")] });
    expect(got.outcome.kind).toBe("exited");
    expect(got.stdout).toBe(want.stdout);
    expect(got.outcome.status).toBe(want.status);
  });
});
