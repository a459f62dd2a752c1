// Where the compiled worker and the default job live: workers need JavaScript,
// so from src/ (the tests, run through vitest) they come from dist/.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export function compiledModule(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, path.resolve(here, "../../dist/src/generate")]) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`skytrace: ${name} is not built; run 'npm run build:ts'`);
}

export const workerFile = (): string => compiledModule("worker.js");
export const flightJobUrl = (): string => pathToFileURL(compiledModule("flight-job.js")).href;
