// `skytrace merge DIR… [--out OUT]`: join shards' indexes, check the set is
// complete. Exit status: 0 complete, 1 incomplete (missing, failed or
// mismatched flights, listed), 2 bad input.
import type { CommandModule } from "yargs";
// (the merge itself is loaded when run: other commands start without Arrow and Parquet)

interface Args { dirs: string[]; out?: string; verify: boolean }

export const mergeCommand: CommandModule<object, Args> = {
  command: "merge <dirs..>",
  describe: "Join the shards of a generated dataset and check that every flight is there, once, matching its checksums",
  builder: (y) =>
    y
      .positional("dirs", { type: "string", array: true, demandOption: true, describe: "dataset folders (one shared by the shards, or one per shard)" })
      .option("out", { type: "string", describe: "assemble the joined dataset here (hard links where possible, else copies)" })
      .option("verify", { type: "boolean", default: true, describe: "check every file against its size and sha256 (--no-verify: trust the indexes)" })
      .example("$0 merge data", "shards that shared one folder: write data/index.jsonl and data/index.csv")
      .example("$0 merge shard1 shard2 shard3 --out data", "shards made on three machines, joined into data") as never,
  handler: async (a) => {
    const { merge, mergeReportText } = await import("../generate/merge.js");
    const r = await merge({ dirs: a.dirs, out: a.out, verify: a.verify });
    console.log(mergeReportText(r));
    process.exitCode = r.ok ? 0 : 1;
  },
};
