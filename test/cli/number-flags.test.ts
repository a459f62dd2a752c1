// Every numeric flag of every command, with bad values, through the real
// bin/skytrace.js: exit 2, one line on stderr naming the flag and the value,
// no stack trace, nothing written. The commands and their flags come from the
// command list itself (src/cli/commands.ts), so a new command or flag is
// walked without touching this test; a flag declared as a plain yargs number
// (not with numberOption) fails it.
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { CommandModule, Options } from "yargs";
import { commands } from "../../src/cli/commands.js";
import { numberOptionOf, parseNumber, type NumberRule } from "../../src/cli/number-option.js";
import { built, expectOneLineRefusal, mapLimit, removeTempDirs, runCli, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

// What a command's builder declares (its options, and its subcommands such as
// `export lidds`), recorded by a stand-in for yargs.
function declared(cmd: CommandModule): Map<string, Options> {
  return record(cmd).options;
}
function record(cmd: CommandModule): { options: Map<string, Options>; subcommands: CommandModule[] } {
  const options = new Map<string, Options>();
  const subcommands: CommandModule[] = [];
  const y: Record<string | symbol, unknown> = new Proxy({}, {
    get: (_t, prop) => {
      if (prop === "then") return undefined;
      if (prop === "option" || prop === "options") {
        return (name: string | Record<string, Options>, spec?: Options) => {
          if (typeof name === "string") options.set(name, spec ?? {});
          else for (const [k, v] of Object.entries(name)) options.set(k, v);
          return y;
        };
      }
      if (prop === "command") return (sub: CommandModule) => { if (typeof sub === "object") subcommands.push(sub); return y; };
      return () => y;
    },
  });
  (cmd.builder as (y: unknown) => unknown)(y);
  return { options, subcommands };
}

const commandName = (cmd: CommandModule): string => String(cmd.command).split(" ")[0];

// Every command and subcommand, with the words that name it on the command line.
function allCommands(): Array<{ words: string[]; cmd: CommandModule }> {
  const out: Array<{ words: string[]; cmd: CommandModule }> = [];
  const walk = (cmd: CommandModule, words: string[]) => {
    out.push({ words, cmd });
    for (const sub of record(cmd).subcommands) walk(sub, [...words, commandName(sub)]);
  };
  for (const cmd of commands) walk(cmd, [commandName(cmd)]);
  return out;
}

// A value this rule allows (the other flags of a run must pass, so that only the one under test is refused).
const goodValue = (rule: NumberRule): string => String(rule.aboveMin ? rule.max : rule.min);

// Whether `text` is wrong for `rule`, decided here from the rule, not by the code under test.
function isWrong(text: string, rule: NumberRule): boolean {
  const decimal = /^-?[0-9]+$/.test(text);
  if (rule.kind !== "real") {
    if (!decimal) return true;
    const v = BigInt(text);
    return v < BigInt(rule.min) || v > BigInt(rule.max) || (!!rule.aboveMin && v === BigInt(rule.min));
  }
  if (!/^-?[0-9.]+(e[0-9]+)?$/.test(text)) return true;
  const v = Number(text);
  return !Number.isFinite(v) || v < Number(rule.min) || v > Number(rule.max) || (!!rule.aboveMin && v === Number(rule.min));
}

function badValues(rule: NumberRule): string[] {
  const below = rule.aboveMin ? String(rule.min) : (BigInt(Math.floor(Number(rule.min))) - 1n).toString();
  const above = rule.kind === "real" ? String(Number(rule.max) * 2) : (BigInt(rule.max) + 1n).toString();
  return [...new Set(["abc", "1.5", "-1", "1e30", "", "NaN", "Infinity", below, above])].filter((v) => isWrong(v, rule));
}

interface Case { command: string; flag: string; value: string; args: string[]; out: string }

function cases(): Case[] {
  const out: Case[] = [];
  for (const { words, cmd } of allCommands()) {
    const name = words.join(" ");
    const opts = declared(cmd);
    const numeric = [...opts].filter(([, spec]) => numberOptionOf(spec));
    for (const [flag, spec] of numeric) {
      const { rule } = numberOptionOf(spec)!;
      for (const value of badValues(rule)) {
        const dir = tempDir("numflag");
        // The command's other required options, with values it accepts; paths inside `dir`.
        const required: string[] = [];
        for (const [other, o] of opts) {
          if (other === flag || !o.demandOption) continue;
          const r = numberOptionOf(o);
          if (o.type === "boolean") required.push(`--${other}`);
          else required.push(`--${other}`, r ? goodValue(r.rule) : path.join(dir, other));
        }
        // Positionals (a file, dataset folders, exec's PROGRAM) after the options.
        const positional = /[<[]/.test(String(cmd.command)) || name === "exec" ? [path.join(dir, "positional")] : [];
        out.push({ command: name, flag, value, args: [...words, ...required, `--${flag}`, value, ...positional], out: dir });
      }
    }
  }
  return out;
}

describe("numeric flags", () => {
  it("every numeric option is declared with numberOption (a plain yargs number would let NaN through)", () => {
    const plain: string[] = [];
    let numeric = 0;
    for (const { words, cmd } of allCommands()) {
      for (const [flag, spec] of declared(cmd)) {
        if (spec.type === "number" || spec.number) plain.push(`${words.join(" ")} --${flag}`);
        const n = numberOptionOf(spec);
        if (n) { numeric++; expect(n.flag, `${words.join(" ")} --${flag}`).toBe(flag); }
      }
    }
    expect(plain).toEqual([]);
    // exec --seed; fly and generate's flight flags and seeds; generate --flights/--workers; drone --seed; bench --flights/--rounds.
    expect(numeric).toBeGreaterThanOrEqual(16);
  });

  it("the check reads the text as typed: ranges inclusive, decimal only, no -0, bigints for 64-bit values", () => {
    const int: NumberRule = { kind: "integer", min: 1, max: 256 };
    expect(parseNumber("workers", "1", int)).toBe(1);
    expect(parseNumber("workers", "256", int)).toBe(256);
    expect(parseNumber("workers", "007", int)).toBe(7);
    for (const bad of ["0", "257", "1.0", "1e2", " 3", "", "0x10"]) expect(() => parseNumber("workers", bad, int)).toThrow(`--workers must be an integer from 1 to 256, not ${JSON.stringify(bad)}`);
    expect(() => parseNumber("workers", ["2", "3"], int)).toThrow('--workers must be given once, not 2 times ("2", "3")');
    const u64: NumberRule = { kind: "uint64", min: 0, max: 2n ** 64n - 1n };
    expect(parseNumber("seed", "18446744073709551615", u64)).toBe(2n ** 64n - 1n);
    expect(() => parseNumber("seed", "18446744073709551616", u64)).toThrow(/from 0 to 18446744073709551615/);
    const real: NumberRule = { kind: "real", min: 0, aboveMin: true, max: 86400 };
    expect(parseNumber("s", "0.5", real)).toBe(0.5);
    expect(parseNumber("s", ".5", real)).toBe(0.5);
    expect(parseNumber("s", "1e3", real)).toBe(1000);
    expect(parseNumber("s", "86400", real)).toBe(86400);
    for (const bad of ["0", "-0", "86400.001", "Infinity", "NaN", "1e", "", "1,5"]) expect(() => parseNumber("s", bad, real)).toThrow(/--s must be a number above 0 and at most 86400/);
  });

  it.skipIf(!built)("bad values for every numeric flag of every command: exit 2, one line naming flag and value, nothing written", async () => {
    const all = cases();
    expect(new Set(all.map((c) => c.command))).toEqual(new Set(["exec", "fly", "generate", "export lidds", "evaluate", "drone", "bench"]));
    const runs = await mapLimit(all, 3, async (c) => ({ c, r: await runCli(c.args, { cwd: c.out, timeoutMs: 30_000 }) }));
    for (const { c, r } of runs) {
      expectOneLineRefusal(r, new RegExp(`--${c.flag} .*${JSON.stringify(c.value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      expect(readdirSync(c.out), `${c.command} --${c.flag} ${JSON.stringify(c.value)} wrote files`).toEqual([]);
    }
  }, 300_000);
});
