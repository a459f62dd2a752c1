// The drone and its wiring to a serial link, for the flight and the PTY mode.
import { droneConfig, DroneConfigInput } from "./config.js";
import { Drone } from "./drone.js";
import { DroneDevice } from "./device.js";
import { SerialLink, LinkOptions } from "../serial/link.js";

export * from "./config.js";
export * from "./drone.js";
export * from "./device.js";
export * from "./telemetry.js";
export * from "./truth-phase.js";

// A drone on the far end of a serial link: give `link` to the kernel's tty.
export function droneOnLink(config: DroneConfigInput = {}, linkOptions: LinkOptions = {}): { drone: Drone; device: DroneDevice; link: SerialLink } {
  const drone = new Drone(droneConfig(config));
  const link = new SerialLink(linkOptions);
  const device = new DroneDevice(drone, (bytes, t) => link.sendToGuest(bytes, t));
  link.attach(device);
  return { drone, device, link };
}
