// /dev/ttyS0 end to end: a guest program in raw mode exchanges bytes with a
// scripted device; select() and reads wait in virtual time.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ScheduledEndpoint } from "./scheduled-endpoint.js";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

// Answers "PING\n" with "PONG\n", the first byte 1 ms after the request, then 10 µs per byte.
class PongDevice extends ScheduledEndpoint {
  received = "";
  write(data: Uint8Array, now: number): void {
    this.received += Buffer.from(data).toString();
    if (this.received.endsWith("PING\n")) [..."PONG\n"].forEach((c, i) => this.pending.push([now + 1_000_000 + i * 10_000, c.charCodeAt(0)]));
  }
}

describe.skipIf(!coreRunsGlibc())("serial port", () => {
  it("raw-mode request/reply with select timeouts in virtual time", () => {
    const exe = build(tmp(), "serial", readFileSync(path.join(__dirname, "programs/serial.c"), "utf8"), "c");
    const dev = new PongDevice();
    const r = runGuest(exe, [], { serial: dev });
    expect(r.stdout).toBe("isatty 1\nreply PONG\ntook between 1ms and 2ms: 1\nsecond select 0 after 200ms: 1\n");
    expect(dev.received).toBe("PING\n");
    expect(r.outcome.status).toBe(0);
  });

  it("with no device attached the port stays silent and select times out", () => {
    const exe = build(tmp(), "serial", readFileSync(path.join(__dirname, "programs/serial.c"), "utf8"), "c");
    const r = runGuest(exe);
    expect(r.stdout).toBe("isatty 1\nselect timed out\n");
    expect(r.outcome.status).toBe(2);
  });
});
