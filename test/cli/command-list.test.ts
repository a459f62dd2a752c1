// The lazily loaded command list (command-list.ts, what the CLI starts from)
// names the same commands in the same order as the eager one (commands.ts,
// what the flag tests walk), and `exec` registers without loading the kernel,
// the flight, the generator or Arrow in the main thread (its worker thread
// loads the kernel: one copy, not two).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { commands } from "../../src/cli/commands.js";
import { COMMAND_LOADERS, loadCommands } from "../../src/cli/command-list.js";

const root = path.resolve(__dirname, "../..");
const nameOf = (c: { command?: unknown }): string => String(c.command).split(" ")[0];

// Every module URL a fresh Node process resolves while it imports the built `module` and runs `call` on it.
function modulesLoaded(module: string, call: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-cmdlist-"));
  try {
    const log = path.join(dir, "resolved.txt");
    writeFileSync(path.join(dir, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";\n` +
      `export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + "\\n"); return r; }\n`);
    writeFileSync(path.join(dir, "main.mjs"),
      `import { register } from "node:module";\n` +
      `register(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});\n` +
      `const m = await import(${JSON.stringify(pathToFileURL(path.join(root, "dist/src/cli", module)).href)});\n` +
      `await (${call})(m);\n`);
    writeFileSync(log, "");
    const r = spawnSync(process.execPath, [path.join(dir, "main.mjs")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return readFileSync(log, "utf8").split("\n").filter((l) => l);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the command list", () => {
  it("loads the same commands as commands.ts, in order", async () => {
    expect(COMMAND_LOADERS.map(([name]) => name)).toEqual(commands.map(nameOf));
    expect(await loadCommands(undefined)).toEqual(commands);
    expect(await loadCommands("no-such-command")).toEqual(commands);
    for (const c of commands) expect(await loadCommands(nameOf(c))).toEqual([c]);
  });

  it("exec's main thread loads no kernel, flight, generator or Arrow module", () => {
    const urls = modulesLoaded("command-list.js", `(m) => m.loadCommands("exec")`);
    expect(urls.some((u) => u.endsWith("/dist/src/cli/exec.js"))).toBe(true);
    const heavy = urls.filter((u) => /\/dist\/src\/(kernel\/kernel|flight|generate|drone|machine\/machine)|apache-arrow|parquet-wasm|piscina/.test(u));
    expect(heavy).toEqual([]);
  });

  it("every command loaded (for --help) does load them, so the check above can see them", () => {
    const urls = modulesLoaded("command-list.js", `(m) => m.loadCommands(undefined)`);
    expect(urls.some((u) => u.includes("/dist/src/flight/"))).toBe(true);
  });
});
