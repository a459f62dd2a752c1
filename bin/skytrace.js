#!/usr/bin/env node
// Entry point for `npx skytrace`: the compiled CLI lives in dist/ (built by `npm install`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const main = path.join(root, "dist/src/cli/main.js");
if (!existsSync(main)) {
  console.error("skytrace: not built yet; run 'npm install' (or 'npm run build') in " + root);
  process.exit(2);
}
const { main: run } = await import(main);
await run(process.argv.slice(2));
