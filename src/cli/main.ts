// The `skytrace` command line: one module per subcommand in this folder.
import yargs from "yargs";
import { loadCommands } from "./command-list.js";
import { splitExecArgv } from "./exec-argv.js";

export async function main(argv: string[]): Promise<void> {
  // exec's PROGRAM and its arguments never reach yargs (exec-argv.ts); they come back as `guest`.
  // The top level has no option that takes a value, so the first other word names the command.
  let words = argv;
  let context: object = {};
  const at = argv.findIndex((w) => !w.startsWith("-"));
  if (at >= 0 && argv[at] === "exec") {
    const { execOptionTakesValue } = await import("./exec.js");
    const split = splitExecArgv(argv.slice(at + 1), execOptionTakesValue);
    words = [...argv.slice(0, at + 1), ...split.own];
    context = { guest: split.guest };
  }
  let y = yargs()
    .scriptName("skytrace")
    .usage("$0 <command> [options]\n\nAn x86-64 emulator in WebAssembly that records a program's system calls.")
    // Numbers stay text until their flag's check (number-option.ts) reads them: "007", "1e30" and "0x10" as typed.
    .parserConfiguration({ "parse-numbers": false, "parse-positional-numbers": false })
    .strict()
    .demandCommand(1, "Name a command (see the list above).")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err, yy) => {
      if (err) {
        console.error(`skytrace: ${err.message}`);
      } else {
        yy.showHelp("error");
        console.error(`\nskytrace: ${msg}`);
      }
      process.exit(2);
    });
  for (const c of await loadCommands(at >= 0 ? argv[at] : undefined)) y = y.command(c);
  await y.parseAsync(words, context);
}
