import { describe, it, expect } from "vitest";
import { parseProcessedText, TraceFormatError as TraceFormatErrorForTests } from "./processed-reader.js";
import { parseRawText, processedReference, toProcessedText } from "./trace-text.js";
import { ProcessedWriter } from "../../src/dataset/processed-writer.js";
import { ByteSink } from "../../src/dataset/byte-sink.js";
import { RECORD_WORDS } from "../../src/machine/trace-ring.js";

const RAW = [
  "100, SYSCALL,0x0,0x3,0x7ffc0000,0x1,0x0,0x0,0x0,0x1000", // read
  "100, SYSRET,0x1000",
  "150, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1000", // select
  "180, SYSRET,0x1000",
  "180, SYSCALL,0x1,0x1,0x4000,0x10,0x0,0x0,0x0,0x2000", // write, another process
  "181, SYSRET,0x2000",
  "181, SYSRET,0x2000",
  "1000, SYSCALL,0xffffffffffffffff,0x0,0x0,0x0,0x0,0x0,0x0,0x2000",
  "",
].join("\n");

describe("processed format", () => {
  it("has one line per SYSCALL: delta to the previous SYSCALL, TAB, RAX+1", () => {
    expect(toProcessedText(parseRawText(RAW))).toBe("0\t1\n50\t24\n30\t2\n820\t18446744073709551616\n");
    expect(processedReference(parseRawText(RAW))).toBe(toProcessedText(parseRawText(RAW)));
  });

  it("has exactly as many lines as the raw file has SYSCALL events", () => {
    let raw = "";
    let ts = 0;
    let syscalls = 0;
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      ts += seed % 97;
      if (seed % 3) { raw += `${ts}, SYSCALL,0x${(seed % 330).toString(16)},0x0,0x0,0x0,0x0,0x0,0x0,0x1000\n`; syscalls++; }
      else raw += `${ts}, SYSRET,0x1000\n`;
    }
    expect(toProcessedText(parseRawText(raw))).toBe(processedReference(parseRawText(raw)));
    const processed = parseProcessedText(toProcessedText(parseRawText(raw)));
    expect(processed.length).toBe(syscalls);
    // and the deltas add back up to the SYSCALL timestamps
    const sysTs = parseRawText(raw).filter((e) => e.kind === "SYSCALL").map((e) => e.ts);
    let acc = sysTs[0];
    processed.forEach((l, i) => { if (i) acc += l.delta; expect(acc).toBe(sysTs[i]); });
  });

  it("an empty raw trace, or one with only SYSRETs, gives an empty file", () => {
    expect(toProcessedText(parseRawText(""))).toBe("");
    expect(toProcessedText(parseRawText("5, SYSRET,0x1\n"))).toBe("");
  });

  it("round-trips through the strict reader", () => {
    const text = toProcessedText(parseRawText(RAW));
    const lines = parseProcessedText(text);
    expect(lines.map((l) => `${l.delta}\t${l.callPlusOne}\n`).join("")).toBe(text);
  });

  it("refuses a timestamp that goes back when fed unchecked records", () => {
    const w = new ProcessedWriter(new ByteSink(64));
    const rec = new Uint32Array(RECORD_WORDS);
    rec[0] = 1; rec[2] = 10;
    w.write(rec, 0);
    rec[2] = 9;
    expect(() => w.write(rec, 0)).toThrow(/goes back/);
  });

  it("writes timestamps and numbers beyond 2^53 exactly", () => {
    const raw = "9007199254740993, SYSCALL,0x20000000000001,0x0,0x0,0x0,0x0,0x0,0x0,0x1\n18446744073709551615, SYSCALL,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x1\n";
    expect(toProcessedText(parseRawText(raw))).toBe(processedReference(parseRawText(raw)));
    expect(toProcessedText(parseRawText(raw))).toBe("0\t9007199254740994\n18437736874454810622\t1\n");
  });
});

describe("processed reader: rejects what is not the format", () => {
  const bad: Array<[string, string, RegExp]> = [
    ["first delta not 0", "5\t1\n", /:1: the first line's delta must be 0/],
    ["space instead of tab", "0\t1\n3 24\n", /:2: expected two fields/],
    ["two tabs", "0\t1\n3\t\t24\n", /:2: expected two fields/],
    ["negative delta", "0\t1\n-3\t24\n", /:2: delta is not/],
    ["delta leading zero", "0\t1\n03\t24\n", /:2: delta has a leading zero/],
    ["RAX+1 zero", "0\t1\n3\t0\n", /:2: RAX\+1 is 0/],
    ["RAX+1 leading zero", "0\t1\n3\t024\n", /:2: RAX\+1 has a leading zero/],
    ["RAX+1 hex", "0\t1\n3\t0x18\n", /:2: RAX\+1 is not/],
    ["RAX+1 above 2^64", "0\t18446744073709551617\n", /:1: RAX\+1 18446744073709551617 exceeds 2\^64/],
    ["empty line", "0\t1\n\n", /:2: empty line/],
    ["CRLF", "0\t1\r\n", /:1: line ends in CR/],
    ["no final newline", "0\t1\n3\t24", /:2: last line is not terminated/],
    ["trailing field", "0\t1\t5\n", /:1: expected two fields/],
  ];
  for (const [name, text, why] of bad) {
    it(name, () => {
      expect(() => parseProcessedText(text, "p.txt")).toThrow(TraceFormatErrorForTests);
      expect(() => parseProcessedText(text, "p.txt")).toThrow(why);
    });
  }
  it("accepts 2^64 exactly and big deltas", () => {
    expect(parseProcessedText("0\t18446744073709551616\n123456789012345678901\t1\n").length).toBe(2);
  });
});
