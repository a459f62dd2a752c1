// SOCKETS flights: the normal mission with UDP datagrams sent in the stretches
// of a schedule whose window opens at CRUISE: socket/sendto appear only after
// CRUISE began, as the autopilot's STATE reports (write syscalls in the trace)
// and the drone's telemetry both place it.
import { afterAll, describe, expect, it } from "vitest";
import { fly, checkFiles, count, phase, telemetrySpan, removeTempDirs } from "./helpers.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";
import type { Flown } from "./helpers.js";

// Every UDP datagram is one episode of cause udp, whose rows are exactly its socket, sendto and
// close, in a row of the autopilot's calls; no other row is labeled.
function checkUdpLabels(f: Flown): void {
  const t = f.table, m = f.manifest;
  const pilot = t.pid[t.comm.indexOf("autopilot")];
  const udpRows = [...Array(t.n).keys()].filter((i) => t.pid[i] === pilot && ["socket", "sendto", "close"].includes(t.name[i]));
  expect(m.episodes.length).toBe(count(f, "socket"));
  expect(new Set(m.episodes.map((e) => e.cause))).toEqual(new Set(["udp"]));
  expect([...Array(t.n).keys()].filter((i) => t.label[i] === 1)).toEqual(udpRows);
  const own = [...Array(t.n).keys()].filter((i) => t.tid[i] === pilot);
  for (const e of m.episodes) {
    const rows = [...Array(t.n).keys()].filter((i) => t.episode[i] === e.episode);
    expect(rows.map((i) => t.name[i])).toEqual(["socket", "sendto", "close"]);
    expect(own.indexOf(rows[2]) - own.indexOf(rows[0])).toBe(2);   // nothing else of the thread in between
    for (const i of rows) {
      expect([t.label[i], t.cause[i], t.pid[i], t.tid[i]]).toEqual([1, "udp", e.pid, e.tid]);
      expect(t.enter[i]).toBeGreaterThan(e.startNs);
      expect(t.exit[i]).toBeLessThan(e.endNs);
    }
    const [sock, send, close] = rows;
    expect(t.ret[sock]).toBeGreaterThanOrEqual(0);
    expect([Number(t.args[0][send]), Number(t.args[0][close])]).toEqual([t.ret[sock], t.ret[sock]]);
    expect(e.params.bytes).toBe(Number(t.args[2][send]));
    expect(t.ret[send]).toBe(e.params.bytes);
    // The stretch's parameters: its size, a port among its ports.
    const x = m.anomalies!.stretches[e.params.stretch as number];
    expect(e.params.bytes).toBe(x.params.bytes);
    expect(e.params.port).toBeGreaterThanOrEqual(x.params.port);
    expect(e.params.port).toBeLessThan(x.params.port + x.params.ports);
    // The rows just outside the episode are not in it.
    expect(t.enter[rows[0] - 1]).toBeLessThan(e.startNs);
    expect(t.enter[rows[2] + 1]).toBeGreaterThan(e.endNs);
  }
  // Datagrams go to different random ports (where the stretch has more than a few).
  const wide = m.episodes.filter((e) => m.anomalies!.stretches[e.params.stretch as number].params.ports > 1000);
  expect(new Set(wide.map((e) => e.params.port)).size).toBeGreaterThan(wide.length / 2);
}

afterAll(removeTempDirs);

describe("skytrace fly: sockets", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: reaches the destination and lands; socket and sendto only from CRUISE on`, () => {
      const f = fly("sockets", seed);
      checkFiles(f, "sockets");
      expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotExitStatus: 0 });
      const cruise = phase(f, "CRUISE");
      // The state reports agree with what the drone logged (telemetry every 10 ms, plus the wire's delay).
      const span = telemetrySpan(f, "CRUISE");
      expect(Math.abs(span.first - cruise.startNs)).toBeLessThan(12e6);
      expect(Math.abs(span.last - cruise.endNs)).toBeLessThan(12e6);
      const net = f.raw.filter((e) => e.kind === "SYSCALL" && (Number(e.regs[0]) === NR.socket || Number(e.regs[0]) === NR.sendto));
      expect(count(f, "socket")).toBeGreaterThan(3);
      expect(count(f, "sendto")).toBe(count(f, "socket"));
      for (const e of net) expect(Number(e.ts)).toBeGreaterThan(cruise.startNs);
      // The datagrams go to 127.0.0.1 from the autopilot alone.
      const pilot = f.manifest.processes.find((p) => p.program === "/bin/autopilot")!;
      expect(new Set(net.map((e) => "0x" + e.cr3.toString(16)))).toEqual(new Set([pilot.cr3]));
      checkUdpLabels(f);
    });
  }
});
