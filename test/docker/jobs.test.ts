// docker/'s Kubernetes Indexed Job and Slurm array script, run as the engines
// run them: every shard at once into one shared folder, each with the variables
// its engine sets (JOB_COMPLETION_INDEX; SLURM_ARRAY_TASK_* derived from the
// script's own #SBATCH --array), with the commands taken from the files
// themselves; then their merge step, and the result compared with an unsharded
// run. The flights are the fake job's (test/generate/fixtures) and few, so the
// test is quick; only the flight count and the output folder are substituted.
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { removeTempDirs, tempDir, tree, treeDiff } from "../generate/helpers.js";

const CLI = path.resolve("bin/skytrace.js");
const FAKE_JOB = path.resolve("test/generate/fixtures/fake-job.mjs");
const FLIGHTS = "20";
// What only a sharded run has: its meta and index files per shard.
const SHARD_FILES = /^(generate.*\.json|index\.shard-.*)$/;
const META = /^generate(\.shard-\d+-of-\d+)?\.json$/;

afterAll(removeTempDirs);

/** This process's environment without any job engine's variables (a CI runner may itself be a Slurm job). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("SLURM_") || k === "JOB_COMPLETION_INDEX" || k === "SKYTRACE_SHARD_COUNT") delete env[k];
  return env;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    // Never left running: a stuck shard fails the test with its output.
    const timer = setTimeout(() => { out += "\n[killed after 60 s]"; p.kill("SIGKILL"); }, 60_000);
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { out += d; });
    p.on("error", reject);
    p.on("close", (status) => { clearTimeout(timer); resolve({ status, out }); });
  });
}

/** A command's arguments with the test's flight count, folder and fake job in place of the real ones. */
function forTest(args: string[], dir: string): string[] {
  const a = args.map((x) => (x === "/data" ? dir : x));
  const f = a.indexOf("--flights");
  if (f >= 0) a[f + 1] = FLIGHTS;
  const w = a.indexOf("--workers");
  if (w >= 0) a[w + 1] = "1"; // every shard at once on this machine: one worker each
  return f >= 0 ? [...a, "--job", FAKE_JOB] : a;
}

/** The unsharded dataset the shards must add up to. */
async function whole(generateArgs: string[]): Promise<string> {
  const dir = tempDir("whole");
  const args = forTest(generateArgs, dir);
  const s = args.indexOf("--shard");
  args.splice(s, 2);
  const r = await run(process.execPath, [CLI, ...args], cleanEnv());
  expect(r.status, r.out).toBe(0);
  return dir;
}

describe("docker/kubernetes.yaml: an Indexed Job's pods, then the merge Job", () => {
  it("every index's pod makes its shard into the shared volume, and the merge Job's check passes: the same dataset as unsharded", async () => {
    const docs = parseAllDocuments(readFileSync("docker/kubernetes.yaml", "utf8")).map((d) => d.toJS());
    const job = docs.find((d) => d.kind === "Job")!;
    expect(job.spec.completionMode).toBe("Indexed");
    const pod = job.spec.template.spec;
    const c = pod.containers[0];
    const env = Object.fromEntries((c.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
    // The count the engine does not export must be the Job's own.
    expect(env.SKYTRACE_SHARD_COUNT).toBe(String(job.spec.completions));
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(["/data"]);
    expect(c.args).toContain("/data");
    expect(pod.securityContext.runAsUser).not.toBe(0);

    const shared = tempDir("k8s");
    const pods = [...Array(job.spec.completions).keys()].map((i) =>
      run(process.execPath, [CLI, ...forTest(c.args, shared)], { ...cleanEnv(), ...env, JOB_COMPLETION_INDEX: String(i) }));
    for (const r of await Promise.all(pods)) expect(r.status, r.out).toBe(0);

    const merge = parseAllDocuments(readFileSync("docker/kubernetes-merge.yaml", "utf8")).map((d) => d.toJS()).find((d) => d.kind === "Job")!;
    const mc = merge.spec.template.spec.containers[0];
    expect(mc.image).toBe(c.image);
    const m = await run(process.execPath, [CLI, ...forTest(mc.args, shared)], cleanEnv());
    expect(m.status, m.out).toBe(0);

    const w = await whole(c.args);
    expect(treeDiff(tree(w, META), tree(shared, SHARD_FILES))).toEqual([]);
    expect(tree(shared, SHARD_FILES).size).toBeGreaterThan(Number(FLIGHTS) * 4);
  });
});

/** The task IDs of `sbatch --array=SPEC` for one range A-B, A-B:S, each with an optional %N limit. */
function arrayTasks(spec: string): { ids: number[]; step: number } {
  const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?(?:%\d+)?$/.exec(spec);
  if (!m) throw new Error(`the test reads one range from --array, not '${spec}'`);
  const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]), step = m[3] === undefined ? 1 : Number(m[3]);
  const ids: number[] = [];
  for (let i = a; i <= b; i += step) ids.push(i);
  return { ids, step };
}

describe("docker/slurm-array.sh: an array's tasks, then the merge job", () => {
  it("every task makes its shard from Slurm's variables into one folder, and the merge step passes: the same dataset as unsharded", async () => {
    const script = readFileSync("docker/slurm-array.sh", "utf8");
    const spec = /^#SBATCH\s+--array=(\S+)/m.exec(script)![1];
    const cpus = /^#SBATCH\s+--cpus-per-task=(\d+)/m.exec(script)![1];
    // The usage lines: the shards' submission (its script arguments) and the merge's.
    const submit = /^#\s+jid=\$\(sbatch --parsable docker\/slurm-array\.sh (.*)\)$/m.exec(script)![1].split(/\s+/);
    const mergeArgs = /^#\s+sbatch --dependency=\S+ --array=\S+ docker\/slurm-array\.sh (.*)$/m.exec(script)![1].split(/\s+/);
    const { ids, step } = arrayTasks(spec);
    expect(ids.length).toBeGreaterThan(1);

    const submitDir = tempDir("slurm-submit");
    const bin = path.join(submitDir, "bin");
    mkdirSync(bin);
    symlinkSync(CLI, path.join(bin, "skytrace"));
    const out = path.join(submitDir, "data");
    const base = { ...cleanEnv(), PATH: `${bin}${path.delimiter}${process.env.PATH}`, SLURM_SUBMIT_DIR: submitDir, SLURM_ARRAY_JOB_ID: "7100", SLURM_JOB_NAME: "skytrace" };
    const tasks = ids.map((id, n) => run("bash", ["docker/slurm-array.sh", ...forTest(submit, out)], {
      ...base, SLURM_JOB_ID: String(7100 + n), SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: String(ids.length),
      SLURM_ARRAY_TASK_MIN: String(ids[0]), SLURM_ARRAY_TASK_MAX: String(ids[ids.length - 1]), SLURM_ARRAY_TASK_STEP: String(step),
      SLURM_CPUS_PER_TASK: cpus,
    }));
    for (const r of await Promise.all(tasks)) expect(r.status, r.out).toBe(0);
    // The dataset went where the script says by default: data/ in the submission folder.
    expect(readFileSync(path.join(out, `index.shard-1-of-${ids.length}.jsonl`), "utf8")).toMatch(/"status":"ok"/);

    const m = await run("bash", ["docker/slurm-array.sh", ...mergeArgs], { ...base, SLURM_JOB_ID: "7200", SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "1", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "0", SLURM_ARRAY_TASK_STEP: "1" });
    expect(m.status, m.out).toBe(0);

    const w = await whole(["generate", ...submit, "--shard", "auto", "--out", "/data"]);
    expect(treeDiff(tree(w, META), tree(out, SHARD_FILES))).toEqual([]);
  });
});
