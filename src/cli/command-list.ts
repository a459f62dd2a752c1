// The subcommands by name, each loaded only when asked for: a command starts
// with its own modules alone (exec does not load the flight, the dataset's
// Arrow and Parquet or the generator's pool). commands.ts is the same list
// loaded at once; test/cli/command-list.test.ts keeps the two equal.
import type { CommandModule } from "yargs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/** In the order `--help` lists them. */
export const COMMAND_LOADERS: ReadonlyArray<readonly [string, () => Promise<AnyCommand>]> = [
  ["exec", async () => (await import("./exec.js")).execCommand],
  ["fly", async () => (await import("./fly.js")).flyCommand],
  ["generate", async () => (await import("./generate.js")).generateCommand],
  ["merge", async () => (await import("./merge.js")).mergeCommand],
  ["export", async () => (await import("./export.js")).exportCommand],
  ["evaluate", async () => (await import("./evaluate.js")).evaluateCommand],
  ["plot", async () => (await import("./plot.js")).plotCommand],
  ["process", async () => (await import("./process.js")).processCommand],
  ["drone", async () => (await import("./drone-pty.js")).dronePtyCommand],
  ["bench", async () => (await import("./bench.js")).benchCommand],
];

/** The command named `word` alone when it names one; otherwise (help, a typo) every command, for the list and the suggestion. */
export async function loadCommands(word: string | undefined): Promise<AnyCommand[]> {
  const one = COMMAND_LOADERS.find(([name]) => name === word);
  return Promise.all((one ? [one] : COMMAND_LOADERS).map(([, load]) => load()));
}
