// The drone on a real host pseudo-terminal, flown in real time: a live demo
// mode and the native test of the autopilot. This mode alone reads the host's
// clock (virtual time = host monotonic time since start); it never produces a
// dataset, and its flights are not reproducible to the byte.
import tty from "node:tty";
import { writeSync } from "node:fs";
import { Drone, DroneDevice, droneConfig, DroneConfigInput, Outcome } from "../drone/index.js";
import { openPty } from "./open-pty.js";

export interface PtyServer {
  // Path of the terminal a controller opens (e.g. /dev/pts/3).
  readonly path: string;
  readonly drone: Drone;
  readonly device: DroneDevice;
  // Resolves when the drone has landed or crashed.
  readonly finished: Promise<Outcome>;
  // Brings the physics up to now and tells how the flight stands.
  outcome(): Outcome;
  close(): void;
}

export interface PtyOptions {
  // How often the physics and the sensor stream catch up with the clock (ms).
  tickMs?: number;
}

export function servePty(config: DroneConfigInput = {}, opts: PtyOptions = {}): PtyServer {
  const drone = new Drone(droneConfig(config));
  const pair = openPty();
  const t0 = process.hrtime.bigint();
  // The host's u64 clock enters here, as integer nanoseconds (the drone's time type).
  const now = (): number => Number(process.hrtime.bigint() - t0);
  const device = new DroneDevice(drone, (bytes) => {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(pair.master, bytes, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      }
    }
  });
  const stream = new tty.ReadStream(pair.master);
  stream.on("data", (chunk: Buffer) => device.receive(chunk, now()));
  stream.on("error", () => { /* EIO once the far side is gone: nothing more will come */ });

  let resolveFinished!: (o: Outcome) => void;
  const finished = new Promise<Outcome>((r) => { resolveFinished = r; });
  let done = false;
  const timer = setInterval(() => {
    const t = now();
    device.emitUntil(t);
    drone.advanceTo(t);
    // The stream goes on after the end: the controller still reads its last lines.
    if (drone.finished && !done) { done = true; resolveFinished(drone.outcome()); }
  }, opts.tickMs ?? 1);

  let closed = false;
  return {
    path: pair.path,
    drone,
    device,
    finished,
    outcome() {
      if (!closed) drone.advanceTo(now());
      return drone.outcome();
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      drone.advanceTo(now());
      stream.destroy(); // closes the master
      pair.close();
    },
  };
}
