import { describe, expect, it } from "vitest";
import { SerialLink } from "../../src/serial/link.js";
import { byteTimeNs, Wire } from "../../src/serial/wire.js";
import { droneOnLink } from "../../src/drone/index.js";

const B = 86806; // one byte at 115200 baud, 10 bits: 86805.6 ns rounded

// A device that records arrivals and echoes each line back in upper case.
function echo() {
  const link = new SerialLink();
  const got: Array<[number, number]> = [];
  let line: number[] = [];
  link.attach({
    receiveByte(b, t) {
      got.push([b, t]);
      line.push(b);
      if (b === 10) { link.sendToGuest(Uint8Array.from(line.map((c) => (c >= 97 && c <= 122 ? c - 32 : c))), t); line = []; }
    },
  });
  return { link, got };
}

const text = (u: Uint8Array) => Buffer.from(u).toString("latin1");

describe("serial wire timing", () => {
  it("a byte takes 10 bits at the baud rate", () => {
    expect(byteTimeNs(115200)).toBe(B);
    expect(byteTimeNs(9600)).toBe(1_041_667);
    expect(() => byteTimeNs(0)).toThrow(RangeError);
  });

  it("bytes of a burst arrive one byte-time apart; a later burst waits for the line", () => {
    const w = new Wire(100);
    const at: number[] = [];
    w.send(Uint8Array.of(1, 2, 3), 1000, (_b, t) => at.push(t));
    w.send(Uint8Array.of(4), 1050, (_b, t) => at.push(t)); // line busy until 1300
    w.send(Uint8Array.of(5), 5000, (_b, t) => at.push(t)); // line idle again
    expect(at).toEqual([1100, 1200, 1300, 1400, 5100]);
  });
});

describe("serial link", () => {
  it("delivers the guest's bytes to the device at their arrival times", () => {
    const { link, got } = echo();
    link.write(Buffer.from("ab\n"), 1_000_000);
    expect(got).toEqual([[97, 1_000_000 + B], [98, 1_000_000 + 2 * B], [10, 1_000_000 + 3 * B]]);
    expect(link.bytesFromGuest).toBe(3);
  });

  it("replies cross back at the baud rate; read takes only what has arrived", () => {
    const { link } = echo();
    const t0 = 1_000_000;
    link.write(Buffer.from("ab\n"), t0);
    const sent = t0 + 3 * B; // the reply leaves when the newline has arrived
    expect(link.available(sent)).toBe(0);
    expect(link.nextArrival(t0)).toBe(sent + B);
    expect(link.available(sent + B)).toBe(1);
    expect(link.available(sent + 2 * B - 1)).toBe(1);
    expect(text(link.read(10, sent + 2 * B))).toBe("AB");
    expect(link.nextArrival(sent + 2 * B)).toBe(sent + 3 * B);
    expect(link.read(10, sent + 2 * B).length).toBe(0);
    expect(text(link.read(1, sent + 10 * B))).toBe("\n");
    expect(link.nextArrival(sent + 10 * B)).toBe(null);
    expect(link.available(sent + 10 * B)).toBe(0);
  });

  it("read honours max and keeps the rest, across chunks", () => {
    const { link } = echo();
    link.write(Buffer.from("x\ny\n"), 0);
    const late = 100 * B;
    expect(link.available(late)).toBe(4);
    expect(text(link.read(3, late))).toBe("X\nY");
    expect(text(link.read(3, late))).toBe("\n");
  });

  it("nextArrival is null on a silent link and lets an idle reader skip ahead exactly", () => {
    const { link, drone } = droneOnLink();
    expect(link.nextArrival(0)).toBe(null);
    link.write(Buffer.from("S\n"), 0);
    let t = 0, n = 0;
    let reply = "";
    for (;;) { // what a blocking read(1) in the kernel would do
      const next = link.nextArrival(t);
      if (next === null) break;
      t = next;
      reply += text(link.read(1, t));
      n++;
    }
    expect(reply).toMatch(/^P [-0-9. ]+ V [-0-9. ]+ A [0-9.]+ F GROUNDED\n$/);
    expect(t).toBe(2 * B + reply.length * B);
    expect(n).toBe(reply.length);
    expect(drone.timeNs).toBe(2 * B - (2 * B) % 1_000_000);
  });

  it("a drone stream makes nextArrival point at the next line even when the guest is silent", () => {
    const { link } = droneOnLink();
    link.write(Buffer.from("STREAM 50\n"), 0);
    const t1 = 10 * B; // STREAM's newline arrives
    expect(text(link.read(10, t1 + 3 * B))).toBe("OK\n");
    expect(link.nextArrival(t1 + 3 * B)).toBe(t1 + 20_000_000 + B);
    const line = text(link.read(100, t1 + 20_000_000 + 100 * B));
    expect(line).toMatch(/^P .* F GROUNDED\n$/);
    // Unread lines pile up in order, as in a real UART FIFO.
    const later = t1 + 200_000_000;
    const pile = text(link.read(link.available(later), later));
    expect(pile.split("\n").length - 1).toBe(8); // the 9th leaves just now: still on the wire
    expect(link.nextArrival(later)).toBe(later + B);
    expect(pile.split("\n").slice(0, -1).every((l) => /^P .* F GROUNDED$/.test(l))).toBe(true);
  });

  it("is deterministic: the same writes at the same times give the same bytes at the same times", () => {
    const run = () => {
      const { link } = droneOnLink({ seed: 3 });
      const log: string[] = [];
      let t = 0;
      for (let i = 0; i < 50; i++) {
        link.write(Buffer.from(i % 2 ? "S\n" : `T 0 0 0.${i % 10}\n`), t);
        t += 20_000_000;
        log.push(`${t}:${text(link.read(1000, t))}`);
      }
      return log.join("");
    };
    expect(run()).toBe(run());
  });

  it("garbage from the guest gets ERR replies, never an exception", () => {
    const { link } = droneOnLink();
    const junk = new Uint8Array(5000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) & 0xff;
    expect(() => link.write(junk, 0)).not.toThrow();
    const out = text(link.read(1 << 20, 10 ** 12));
    const lines = out.split("\n").filter((l) => l !== "");
    expect(lines.length).toBe(junk.filter((b) => b === 10).length);
    expect(lines.every((l) => l.startsWith("ERR "))).toBe(true);
  });
});

describe("reading into the caller's buffer", () => {
  it("readInto copies what has arrived across chunks, keeps the rest, and matches read", () => {
    const { link } = echo();
    link.write(Buffer.from("ab\ncd\n"), 0);
    const late = 100 * B;
    const buf = new Uint8Array(4);
    expect(link.readInto(buf, late)).toBe(4);
    expect(text(buf)).toBe("AB\nC");
    expect(link.readInto(buf, late)).toBe(2);
    expect(text(buf.subarray(0, 2))).toBe("D\n");
    expect(link.readInto(buf, late)).toBe(0);
  });

  it("takes only bytes that have arrived, one byte-time apart", () => {
    const w = new Wire(100);
    w.send(Uint8Array.of(1, 2, 3), 1000);
    const one = new Uint8Array(1);
    expect(w.takeInto(one, 1099)).toBe(0);
    expect(w.takeInto(one, 1100)).toBe(1);
    expect(one[0]).toBe(1);
    expect(w.nextArrival(1100)).toBe(1200);
    expect(w.nextArrival(1250)).toBe(1300);
    expect(w.takeInto(new Uint8Array(8), 1300)).toBe(2);
    expect(w.pending).toBe(0);
  });
});
