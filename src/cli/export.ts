// `skytrace export lidds DATASET --out SCENARIO_DIR`: a generated dataset in
// LID-DS 2021's layout (src/research/lidds, docs/research.md). Exit status: 0
// written, 2 bad input (one line; nothing is left in SCENARIO_DIR but what was
// complete when the error was found), 130/143 when stopped by SIGINT/SIGTERM.
import path from "node:path";
import type { CommandModule } from "yargs";
import { numberOption } from "./number-option.js";
import { catchInterrupts } from "./interrupt.js";

interface LiddsArgs { dataset: string; out: string; seed: number; training?: number; validation?: number; testNormal?: number; quiet: boolean }

const count = (flag: string, what: string) => numberOption(flag, what, { kind: "integer", min: 0, max: 1_000_000_000 });

const liddsCommand: CommandModule<object, LiddsArgs> = {
  command: "lidds <dataset>",
  describe: "LID-DS 2021 layout: training/, validation/, test/normal/, test/normal_and_attack/, one ZIP per flight (.sc, .json, .res, .labels.csv)",
  builder: (y) =>
    y
      .positional("dataset", { type: "string", demandOption: true, describe: "a dataset folder made by `skytrace generate` (index.jsonl)" })
      .option("out", { type: "string", demandOption: true, describe: "the scenario folder to write (new or empty)" })
      .option("seed", numberOption("seed", "split seed: which normal flights train, validate and test", { kind: "integer", min: 0, max: 4294967295 }, { default: 1 }))
      .option("training", count("training", "normal flights for training (with --validation and --test-normal; default: LID-DS's 200/50/750 proportions of the normal flights)"))
      .option("validation", count("validation", "normal flights for validation"))
      .option("test-normal", count("test-normal", "normal flights for test (every flight of another scenario is in test too)"))
      .option("quiet", { type: "boolean", default: false, describe: "no progress lines" })
      .check((a) => {
        const given = [a.training, a.validation, a.testNormal].filter((v) => v !== undefined).length;
        if (given !== 0 && given !== 3) throw new Error("--training, --validation and --test-normal go together: give all three or none");
        return true;
      })
      .example("$0 export lidds data --out lidds/skytrace", "LID-DS's proportions of the normal flights, split seed 1")
      .example("$0 export lidds data --out lidds/s --training 20 --validation 5 --test-normal 75 --seed 7", "exact counts")
      .epilog("Load it with LID-DS: dataloader_factory('lidds/skytrace') or DataLoader2021('lidds/skytrace'). The same dataset and options give byte-identical ZIPs.") as never,
  handler: async (a) => {
    const { exportLidds, exportSummaryText, ExportStopped } = await import("../research/lidds/export.js");
    // LID-DS files a recording under training/validation/test by a substring test on its folder's whole path.
    const parent = path.resolve(a.out);
    for (const word of ["training", "validation"]) {
      if (parent.includes(word)) console.error(`skytrace: note: the path ${parent} contains "${word}": LID-DS's loader files every recording whose folder path contains it under ${word}`);
    }
    const counts = a.training === undefined ? undefined : { training: a.training, validation: a.validation!, testNormal: a.testNormal! };
    // Ctrl-C or SIGTERM: the recording in progress is removed, the complete ones stay; 130 or 143.
    const interrupt = catchInterrupts();
    try {
      const s = await exportLidds({
        dataset: a.dataset, out: a.out, seed: a.seed, counts, stop: interrupt.signal,
        onFlight: a.quiet ? undefined : (done, total, id) => { if (done === total || done % 25 === 0) console.error(`export lidds: ${done}/${total} (${id})`); },
      });
      console.log(exportSummaryText(s));
    } catch (e) {
      if (!(e instanceof ExportStopped)) throw e;
      console.error(`export lidds: stopped; the complete recordings stay in ${a.out}`);
      process.exit(interrupt.status());
    } finally {
      interrupt.dispose();
    }
  },
};

export const exportCommand: CommandModule<object, object> = {
  command: "export",
  describe: "Write a dataset in another tool's layout (lidds: LID-DS 2021)",
  builder: (y) => y.command(liddsCommand).demandCommand(1, "Name a layout: lidds.") as never,
  handler: () => {},
};
