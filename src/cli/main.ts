// The `skytrace` command line: one module per subcommand in this folder.
import yargs from "yargs";
import { commands } from "./commands.js";

export async function main(argv: string[]): Promise<void> {
  let y = yargs(argv)
    .scriptName("skytrace")
    .usage("$0 <command> [options]\n\nAn x86-64 emulator in WebAssembly that records a program's system calls.")
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
  for (const c of commands) y = y.command(c);
  await y.parseAsync();
}
