// `--shard auto`: K/M from the variables a Kubernetes Indexed Job or a Slurm job
// array sets, spelled as the engines set them (every task of an array gets the
// same COUNT/MIN/MAX/STEP and its own ID), and a clear line for what cannot map.
import { describe, expect, it } from "vitest";
import { parseShard, SHARD_COUNT_VAR } from "../../src/generate/plan.js";

/** The variables Slurm gives task `id` of `sbatch --array=A-B[:S][%N]` (the %N throttle changes none). */
function slurmTask(id: number, a: number, b: number, s = 1): NodeJS.ProcessEnv {
  const ids = arrayIds(a, b, s);
  return {
    SLURM_ARRAY_JOB_ID: "4242", SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: String(ids.length),
    SLURM_ARRAY_TASK_MIN: String(ids[0]), SLURM_ARRAY_TASK_MAX: String(ids[ids.length - 1]), SLURM_ARRAY_TASK_STEP: String(s),
  };
}
function arrayIds(a: number, b: number, s = 1): number[] {
  const ids: number[] = [];
  for (let i = a; i <= b; i += s) ids.push(i);
  return ids;
}
const shards = (envs: NodeJS.ProcessEnv[]) => envs.map((e) => { const s = parseShard("auto", e); return `${s.k}/${s.m}`; });

describe("--shard auto", () => {
  it("Kubernetes Indexed Job: JOB_COMPLETION_INDEX 0..n-1 and the manifest's count give 1/n..n/n", () => {
    const envs = [0, 1, 2, 3].map((i) => ({ JOB_COMPLETION_INDEX: String(i), [SHARD_COUNT_VAR]: "4" }));
    expect(shards(envs)).toEqual(["1/4", "2/4", "3/4", "4/4"]);
  });

  it("Kubernetes: the count missing, an index past it, or a non-number is one clear error", () => {
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "0" })).toThrow(/SKYTRACE_SHARD_COUNT is not.*completions/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "4", [SHARD_COUNT_VAR]: "4" })).toThrow(/not below/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "x", [SHARD_COUNT_VAR]: "4" })).toThrow(/JOB_COMPLETION_INDEX='x' is not/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "0", [SHARD_COUNT_VAR]: "0" })).toThrow(/not below/);
    expect(() => parseShard("auto", { [SHARD_COUNT_VAR]: "4" })).toThrow(/JOB_COMPLETION_INDEX is not/);
  });

  it("Slurm --array=0-9 and --array=1-10 (with or without %N) both give 1/10..10/10, in index order", () => {
    const expected = arrayIds(1, 10).map((k) => `${k}/10`);
    expect(shards(arrayIds(0, 9).map((id) => slurmTask(id, 0, 9)))).toEqual(expected);
    expect(shards(arrayIds(1, 10).map((id) => slurmTask(id, 1, 10)))).toEqual(expected);
  });

  it("Slurm with a step, --array=3-21:6 (tasks 3, 9, 15, 21), gives 1/4..4/4", () => {
    expect(shards(arrayIds(3, 21, 6).map((id) => slurmTask(id, 3, 21, 6)))).toEqual(["1/4", "2/4", "3/4", "4/4"]);
  });

  it("Slurm without SLURM_ARRAY_TASK_STEP (older releases) takes step 1", () => {
    const e = slurmTask(4, 1, 10);
    delete e.SLURM_ARRAY_TASK_STEP;
    expect(parseShard("auto", e)).toEqual({ k: 4, m: 10 });
  });

  it("Slurm: a list that is not one range with a step (--array=1,3,7) is refused with a clear line", () => {
    for (const step of [undefined, "1", "2"]) {
      const e: NodeJS.ProcessEnv = { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7" };
      if (step) e.SLURM_ARRAY_TASK_STEP = step;
      expect(() => parseShard("auto", e)).toThrow(/not one range with a step.*--array=A-B/);
    }
  });

  it("Slurm: missing or inconsistent variables are one clear error", () => {
    const e = slurmTask(2, 0, 9);
    expect(() => parseShard("auto", { ...e, SLURM_ARRAY_TASK_COUNT: undefined })).toThrow(/SLURM_ARRAY_TASK_COUNT is not/);
    expect(() => parseShard("auto", { ...e, SLURM_ARRAY_TASK_MIN: undefined })).toThrow(/SLURM_ARRAY_TASK_MIN is not/);
    expect(() => parseShard("auto", { ...e, SLURM_ARRAY_TASK_ID: "12", SLURM_ARRAY_TASK_MAX: undefined })).toThrow(/inconsistent/);
    expect(() => parseShard("auto", slurmTask(4, 3, 21, 6))).toThrow(/inconsistent/);
    expect(() => parseShard("auto", { ...e, SLURM_ARRAY_TASK_ID: "-1" })).toThrow(/is not a non-negative integer/);
  });

  it("nothing set, or both engines' variables, is one clear error; K/M is still taken as given", () => {
    expect(() => parseShard("auto", {})).toThrow(/no job index in the environment.*--shard K\/M/);
    expect(() => parseShard("auto", { ...slurmTask(0, 0, 1), JOB_COMPLETION_INDEX: "0", [SHARD_COUNT_VAR]: "2" })).toThrow(/both/);
    expect(parseShard("2/8", slurmTask(0, 0, 9))).toEqual({ k: 2, m: 8 });
  });
});
