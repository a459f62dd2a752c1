// `skytrace evaluate DATASET --out REPORT_DIR`: baseline detectors (STIDE, a
// timing model) trained, thresholded and scored on a generated dataset's fixed
// splits (src/research). Exit status: 0 written, 2 bad input.
import type { CommandModule } from "yargs";
import { numberOption } from "./number-option.js";
import { toolVersion } from "../flight/paths.js";
// (the evaluation itself is loaded when run: other commands start without Arrow and Parquet)

interface Args {
  dataset: string;
  out: string;
  seed: number;
  training?: number;
  validation?: number;
  testNormal?: number;
  stideN: number;
  stideWindow: number;
  detectors: string;
  scores: boolean;
}

const KNOWN = ["stide", "timing"];

export const evaluateCommand: CommandModule<object, Args> = {
  command: "evaluate <dataset>",
  describe: "Train baseline detectors (STIDE, a Δt model) on a dataset's normal flights, threshold on validation, score the test flights",
  builder: (y) =>
    y
      .positional("dataset", { type: "string", demandOption: true, describe: "a dataset folder made by skytrace generate" })
      .option("out", { type: "string", demandOption: true, requiresArg: true, describe: "report folder: evaluation.json, report.md, report.html, scores/<flight>.csv.gz" })
      .option("seed", numberOption("seed", "split seed: which normal flights train, validate and test (the same splits as export lidds --seed)", { kind: "integer", min: 0, max: 4294967295 }, { default: 1 }))
      .option("training", numberOption("training", "normal flights for training (with --validation and --test-normal; default: LID-DS's 200/50/750 proportions of the normal flights)", { kind: "integer", min: 1, max: 1_000_000_000 }))
      .option("validation", numberOption("validation", "normal flights for validation (they set the thresholds)", { kind: "integer", min: 1, max: 1_000_000_000 }))
      .option("test-normal", numberOption("test-normal", "normal flights for test (every flight of another scenario is in test too)", { kind: "integer", min: 0, max: 1_000_000_000 }))
      .check((a) => {
        const given = [a.training, a.validation, a.testNormal].filter((v) => v !== undefined).length;
        if (given !== 0 && given !== 3) throw new Error("--training, --validation and --test-normal go together: give all three or none");
        return true;
      })
      .option("stide-n", numberOption("stide-n", "STIDE's n-gram length", { kind: "integer", min: 1, max: 64 }, { default: 7 }))
      .option("stide-window", numberOption("stide-window", "STIDE's sliding window (n-grams)", { kind: "integer", min: 1, max: 1_000_000 }, { default: 100 }))
      .option("detectors", { type: "string", default: KNOWN.join(","), requiresArg: true, describe: "which detectors, comma-separated (stide, timing)" })
      .option("scores", { type: "boolean", default: true, describe: "write each test flight's scores (--no-scores: only evaluation.json, report.md and report.html)" })
      .example("$0 evaluate data --out report", "LID-DS's proportions of the normal flights: 20 % train, 5 % validate, 75 % test")
      .example("$0 evaluate data --out report --training 200 --validation 50 --test-normal 750", "LID-DS 2021's exact counts")
      .epilog("evaluation.json's fields and every metric's definition: docs/research.md (Evaluate). Exit status: 0 written, 2 bad input.") as never,
  handler: async (a) => {
    const detectors = a.detectors.split(",");
    for (const d of detectors) if (!KNOWN.includes(d)) throw new Error(`--detectors: unknown detector "${d}" (known: ${KNOWN.join(", ")})`);
    if (new Set(detectors).size !== detectors.length) throw new Error(`--detectors: "${a.detectors}" names a detector twice`);
    const { evaluate, EvaluateError } = await import("../research/evaluate/evaluate.js");
    try {
      const s = await evaluate({
        dataset: a.dataset, out: a.out, splitSeed: a.seed,
        counts: a.training === undefined ? undefined : { training: a.training, validation: a.validation!, testNormal: a.testNormal! },
        stide: { n: a.stideN, window: a.stideWindow },
        detectors: detectors as never,
        scores: a.scores,
        tool: { name: "skytrace", version: toolVersion() },
        log: (l) => console.error(l),
      });
      const e = s.evaluation;
      // report.html beside report.md: tables, ROC curves, scores over time (src/research/plot; `skytrace plot REPORT_DIR` remakes it).
      const { writeReportHtml } = await import("../research/plot/plot-report.js");
      await writeReportHtml(s.reportDir);
      console.log(`evaluate: ${s.syscalls} syscalls of ${e.splits.training.length + e.splits.validation.length + e.splits.test.length} flights in ${(s.wallMs / 1000).toFixed(1)} s ` +
        `(${Math.round(s.syscalls / (s.wallMs / 1000))} syscalls/s); ${s.reportDir}/evaluation.json, report.md, report.html`);
      for (const d of e.detectors) {
        const all = d.scopes[0];
        console.log(`  ${d.name}: threshold ${d.threshold.toFixed(4)}, detection rate ${all.lidds.detectionRate.toFixed(3)}, ${all.lidds.consecutiveFalseAlarms} CFA, ` +
          `F1 with CFA ${all.lidds.f1WithCfa.toFixed(3)}, ROC AUC ${all.syscalls.rocAuc === null ? "–" : all.syscalls.rocAuc.toFixed(3)}`);
      }
    } catch (e) {
      throw e instanceof EvaluateError ? new Error(e.message) : e;
    }
  },
};
