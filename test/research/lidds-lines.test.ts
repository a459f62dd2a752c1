// The `.sc` line order and formats on hand-made rows: ties between an exit and
// an entry at the same nanosecond, a call that never returned, errno names,
// values that need all 64 bits, and times past 2^32 ns.
import { describe, expect, it } from "vitest";
import type { FlightRows } from "../../src/research/lidds/flight-table.js";
import { lineOrder, scLine } from "../../src/research/lidds/sc-lines.js";
import { epochNs } from "../../src/research/lidds/epoch.js";
import { metadataJson } from "../../src/research/lidds/metadata.js";
import type { FlightManifest } from "../../src/flight/manifest.js";

function rows(list: Array<{ enter: number; exit: number; name: string; tid: number; ret?: bigint; args?: bigint[] }>): FlightRows {
  const n = list.length;
  const w = (vals: bigint[]) => { const a = new BigUint64Array(vals.map((v) => BigInt.asUintN(64, v))); return new Uint32Array(a.buffer); };
  const ret = w(list.map((r) => r.ret ?? 0n));
  return {
    n, enter: Float64Array.from(list.map((r) => r.enter)), exit: Float64Array.from(list.map((r) => r.exit)), name: list.map((r) => r.name),
    args: [0, 1, 2, 3, 4, 5].map((k) => w(list.map((r) => r.args?.[k] ?? 0n))), ret: new Int32Array(ret.buffer),
    pid: Float64Array.from(list.map((r) => r.tid)), tid: Float64Array.from(list.map((r) => r.tid)), comm: list.map(() => "a b"),
    label: new Int8Array(n), cause: list.map(() => ""), episode: new Float64Array(n).fill(-1),
  };
}

describe("lidds .sc lines", () => {
  it("orders by time; at a tie an exit goes before a later call's entry, never before its own", () => {
    const r = rows([
      { enter: 10, exit: 20, name: "read", tid: 1 },
      { enter: 20, exit: 20, name: "getpid", tid: 2 },     // enters as call 0 returns, returns at once
      { enter: 25, exit: -1, name: "exit_group", tid: 2 },  // never returns: no exit line
      { enter: 30, exit: 40, name: "write", tid: 1 },
    ]);
    expect(Array.from(lineOrder(r))).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it("formats fields and parameters as documented", () => {
    const r = rows([
      { enter: 5_000_000_123, exit: 5_000_000_200, name: "read", tid: 7, ret: -11n, args: [3n, 0x7ffc0000n, 0xffffffffffffffffn] },
      { enter: 1, exit: 2, name: "brk", tid: 7, ret: 0x4b1d00n, args: [0n] },
      { enter: 3, exit: 4, name: "lseek", tid: 7, ret: -72n, args: [0xffffffffn, 0xffffffffffffffb8n, 1n] },
      { enter: 5, exit: 6, name: "syscall_999", tid: 7, ret: 0n },
    ]);
    expect(epochNs(5_000_000_123)).toBe("1546300805000000123");
    expect(scLine(r, 0)).toBe("1546300805000000123 0 7 a_b 7 read > fd=3 size=18446744073709551615");
    expect(scLine(r, 1)).toBe("1546300805000000200 0 7 a_b 7 read < res=-11(EAGAIN)");
    expect(scLine(r, 3)).toBe("1546300800000000002 0 7 a_b 7 brk < res=0x4b1d00");
    expect(scLine(r, 4)).toBe("1546300800000000003 0 7 a_b 7 lseek > fd=-1 offset=-72 whence=1");
    expect(scLine(r, 6)).toBe("1546300800000000005 0 7 a_b 7 syscall_999 >");
  });

  it("the JSON has no single quote left for LID-DS's quote replacement to break, and means the same", () => {
    const m = { recording: { beginNs: 5, endNs: 10, durationNs: 5 }, episodes: [], outcome: { autopilotState: "it's" } } as unknown as FlightManifest;
    const text = metadataJson(m, { flightId: "f", scenario: "normal", seed: 1, split: "test" });
    expect(text).not.toContain("'");
    expect(JSON.parse(text.replace(/'/g, '"')).skytrace.outcome).toBe("it's");
  });
});
