// scripts/reference-dataset.mjs, which writes docs/research.md's baseline
// table: one end-to-end run on a tiny dataset into a scratch document (the
// rows are evaluation.json's figures, the rest of the document stays), its
// marker handling and its options.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { removeTempDirs, tempDir } from "../cli/helpers.js";
// @ts-expect-error: a plain .mjs module without types
import { replaceBetweenMarkers, parseOptions, markers, BEGIN, END } from "../../scripts/reference-dataset.mjs";

const SCRIPT = path.resolve("scripts/reference-dataset.mjs");
afterAll(removeTempDirs);

describe("reference-dataset", () => {
  it("generates, evaluates and writes the table between the markers, nothing else", () => {
    const dir = tempDir("reference");
    const doc = path.join(dir, "doc.md");
    writeFileSync(doc, `# Doc\n\nbefore\n\n${BEGIN} (made by the script) -->\nold text\n${END}\n\nafter\n`);
    const r = spawnSync(process.execPath, [SCRIPT, "--flights", "5", "--mix", "normal=4,sockets=1", "--seed", "2", "--training", "2", "--validation", "1",
      "--test-normal", "1", "--workers", "1", "--out", path.join(dir, "work"), "--doc", doc], { encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(doc, "utf8");
    expect(text.startsWith(`# Doc\n\nbefore\n\n${BEGIN} (made by the script) -->\nMade by \`node scripts/reference-dataset.mjs --flights 5 --mix normal=4,sockets=1 --seed 2 --split-seed 1 --training 2 --validation 1 --test-normal 1\``)).toBe(true);
    expect(text.endsWith(`${END}\n\nafter\n`)).toBe(true);
    expect(text).not.toContain("old text");
    const e = JSON.parse(readFileSync(path.join(dir, "work", "report", "evaluation.json"), "utf8"));
    const rows = text.split("\n").filter((l) => /^\| (stide|timing) \|/.test(l));
    expect(rows.map((l) => l.split(" | ").slice(0, 2).join(" | "))).toEqual(e.detectors.flatMap((d: { name: string; scopes: { scope: string }[] }) => d.scopes.map((s) => `| ${d.name} | ${s.scope}`)));
    const all = e.detectors[0].scopes[0];
    expect(rows[0]).toContain(`| ${all.normalFlights} / ${all.anomalousFlights} | ${all.lidds.detectionRate.toFixed(3)} | ${all.lidds.consecutiveFalseAlarms} |`);
    expect(rows[0]).toContain(`| ${all.syscalls.rocAuc.toFixed(3)} | ${all.episodes.detected} of ${all.episodes.count} |`);
  });

  it("needs exactly one pair of markers, and whole numbers", () => {
    expect(() => replaceBetweenMarkers("no markers", "x")).toThrow(/exactly one/);
    expect(() => replaceBetweenMarkers(`${BEGIN} -->\n${END}\n${BEGIN} -->\n${END}`, "x")).toThrow(/exactly one/);
    expect(replaceBetweenMarkers(`a\n${BEGIN} -->\nold\n${END}\nb`, "new")).toBe(`a\n${BEGIN} -->\nnew\n${END}\nb`);
    // A named section: its own markers, the default section left alone.
    const [sb, se] = markers("small");
    const two = `a\n${BEGIN} -->\nold\n${END}\n${sb} -->\nold small\n${se}\nb`;
    expect(replaceBetweenMarkers(two, "new", "small")).toBe(`a\n${BEGIN} -->\nold\n${END}\n${sb} -->\nnew\n${se}\nb`);
    expect(() => replaceBetweenMarkers(`a\n${BEGIN} -->\nold\n${END}\nb`, "x", "small")).toThrow(/exactly one/);
    expect(parseOptions(["--section", "small"]).section).toBe("small");
    expect(() => parseOptions(["--section", "Bad Name"])).toThrow(/--section/);
    expect(() => parseOptions(["--flights", "ten"])).toThrow(/--flights "ten": a whole number/);
    expect(() => parseOptions(["--nope"])).toThrow();
    expect(() => parseOptions(["--training", "2"])).toThrow(/all three or none/);
    const r = spawnSync(process.execPath, [SCRIPT, "--seed", "-1"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
