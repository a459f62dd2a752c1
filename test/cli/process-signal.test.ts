// `skytrace process RAW -o OUT` stopped by Ctrl-C or SIGTERM mid-conversion:
// neither OUT nor its temporary is left. Signalled once the temporary file
// holds output, so the conversion is certainly under way.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BIN, built, removeTempDirs, tempDir, waitUntil } from "./helpers.js";

afterAll(removeTempDirs);

// `pairs` SYSCALL/SYSRET pairs: 20 000 give ~140 kB of processed output, past the converter's 64 kB flush.
function rawLines(pairs: number): string {
  const parts: string[] = [];
  let ts = 1000;
  for (let i = 0; i < pairs; i++) {
    parts.push(`${ts}, SYSCALL,0x27,0x0,0x0,0x0,0x0,0x0,0x0,0x2000\n${ts + 200}, SYSRET,0x2000\n`);
    ts += 500;
  }
  return parts.join("");
}

async function stopped(dir: string, raw: string, sig: NodeJS.Signals) {
  const child = spawn(process.execPath, [BIN, "process", raw, "-o", path.join(dir, "out.txt")], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<[number | null, string | null]>((r) => child.on("close", (code, s) => r([code, s])));
  const temp = () => readdirSync(dir).find((n) => n.endsWith(".tmp"));
  await waitUntil(() => { const t = temp(); return !!t && statSync(path.join(dir, t)).size > 0; }, child);
  child.kill(sig);
  const [code, signal] = await exited;
  return { code, signal, stderr };
}

describe.skipIf(!built)("skytrace process -o, stopped", () => {
  it("SIGTERM while converting a file (80 MB, a second of work): exit 143, no output, no temporary", async () => {
    const dir = tempDir("process-sig");
    writeFileSync(path.join(dir, "big.raw"), rawLines(1_000_000));
    expect(await stopped(dir, path.join(dir, "big.raw"), "SIGTERM")).toEqual({ code: 143, signal: null, stderr: "" });
    expect(readdirSync(dir)).toEqual(["big.raw"]);
  });

  it("SIGINT while reading a FIFO whose writer stays open: ends at once (by the signal), no output, no temporary", async () => {
    const dir = tempDir("process-fifo");
    const fifo = path.join(dir, "raw.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const writer = createWriteStream(fifo);
    writer.on("error", () => {});   // EPIPE once the reader is gone
    writer.write(rawLines(20_000));
    const r = await stopped(dir, fifo, "SIGINT");
    writer.destroy();
    expect(r).toEqual({ code: null, signal: "SIGINT", stderr: "" });
    expect(readdirSync(dir)).toEqual(["raw.fifo"]);
  });
});
