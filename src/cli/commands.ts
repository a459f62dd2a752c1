// Every subcommand, in the order `--help` lists them.
import type { CommandModule } from "yargs";
import { execCommand } from "./exec.js";
import { processCommand } from "./process.js";
import { dronePtyCommand } from "./drone-pty.js";
import { flyCommand } from "./fly.js";
import { generateCommand } from "./generate.js";
import { mergeCommand } from "./merge.js";
import { benchCommand } from "./bench.js";
import { exportCommand } from "./export.js";
import { evaluateCommand } from "./evaluate.js";
import { plotCommand } from "./plot.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [execCommand, flyCommand, generateCommand, mergeCommand, exportCommand, evaluateCommand, plotCommand, processCommand, dronePtyCommand, benchCommand];
