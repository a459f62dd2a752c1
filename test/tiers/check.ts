// The tier check of the "jit" and "interpreter" projects (vitest.config.ts): every Machine a test
// file makes without choosing a tier itself, in this process and in the commands it runs
// (`skytrace exec`, `fly`: their threads append a line to SKYTRACE_JIT_TALLY), must be in the
// tier the project names, and on the JIT side the JIT must have been asked for traces (tally.ts). Without this a change
// that dropped the environment on the way (a spawn with a fresh env, a worker that ignores it)
// would run the same tier twice and pass.
import { beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { countTiers, tallyLine, type TierTally } from "../../src/machine/jit/default.js";
import { tierProblem, type TallyLine } from "./tally.js";

const tier = process.env.SKYTRACE_TIER;
let local: TierTally;
let dir: string;

beforeAll(() => {
  if (tier !== "jit" && tier !== "interpreter") throw new Error(`test/tiers/check.ts: SKYTRACE_TIER is ${tier}, not jit or interpreter (vitest.config.ts sets it)`);
  local = countTiers();
  dir = mkdtempSync(path.join(tmpdir(), "skytrace-tier-"));
  process.env.SKYTRACE_JIT_TALLY = path.join(dir, "tally.jsonl");
});

afterAll(() => {
  const file = process.env.SKYTRACE_JIT_TALLY!;
  const lines: TallyLine[] = [JSON.parse(tallyLine(local))];
  if (existsSync(file)) for (const l of readFileSync(file, "utf8").split("\n")) if (l) lines.push(JSON.parse(l));
  delete process.env.SKYTRACE_JIT_TALLY;
  rmSync(dir, { recursive: true, force: true });
  const problem = tierProblem(tier as "jit" | "interpreter", lines);
  if (problem) throw new Error(`tier check (${tier} project): ${problem}`);
});
